/* Variadic functions reading ints: count-first, sentinel-terminated, and min/max. */
#include <stdio.h>
#include <stdarg.h>

static int sum_n(int count, ...)
{
    va_list ap;
    int i, s = 0;
    va_start(ap, count);
    for (i = 0; i < count; i++) s += va_arg(ap, int);
    va_end(ap);
    return s;
}

static int sum_until_zero(int first, ...)
{
    va_list ap;
    int s = first, v;
    if (first == 0) return 0;
    va_start(ap, first);
    while ((v = va_arg(ap, int)) != 0) s += v;
    va_end(ap);
    return s;
}

static void min_max(int *mn, int *mx, int count, ...)
{
    va_list ap;
    int i;
    va_start(ap, count);
    *mn = *mx = va_arg(ap, int);
    for (i = 1; i < count; i++) {
        int v = va_arg(ap, int);
        if (v < *mn) *mn = v;
        if (v > *mx) *mx = v;
    }
    va_end(ap);
}

int main(void)
{
    int mn, mx;
    printf("sum_n(0)=%d\n", sum_n(0));
    printf("sum_n(1,42)=%d\n", sum_n(1, 42));
    printf("sum_n(5,...)=%d\n", sum_n(5, 1, 2, 3, 4, 5));
    printf("sum_n(10,...)=%d\n", sum_n(10, -1, -2, -3, -4, -5, 100, 200, 300, 400, 500));
    printf("sum_until_zero=%d\n", sum_until_zero(7, 8, 9, -4, 0, 1000));
    min_max(&mn, &mx, 7, 5, -3, 99, 0, -2147483647 - 1, 2147483647, 12);
    printf("min=%d max=%d\n", mn, mx);
    return sum_n(4, 10, 20, 30, 3);
}
