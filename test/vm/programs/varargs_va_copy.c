/* va_copy: scanning the arguments twice (count pass, then print pass). */
#include <stdio.h>
#include <stdarg.h>

static int print_list(const char *title, ...)
{
    va_list ap, again;
    const char *s;
    int count = 0, total_len = 0;
    va_start(ap, title);
    va_copy(again, ap);
    while ((s = va_arg(ap, const char *)) != NULL) {
        count++;
        while (*s++) total_len++;
    }
    va_end(ap);
    printf("%s (%d items, %d chars):", title, count, total_len);
    while ((s = va_arg(again, const char *)) != NULL) printf(" <%s>", s);
    va_end(again);
    printf("\n");
    return count;
}

static double average(int n, ...)
{
    va_list ap, ap2;
    double sum = 0, mean, var = 0;
    int i;
    va_start(ap, n);
    va_copy(ap2, ap);
    for (i = 0; i < n; i++) sum += va_arg(ap, double);
    mean = sum / n;
    for (i = 0; i < n; i++) {
        double d = va_arg(ap2, double) - mean;
        var += d * d;
    }
    va_end(ap2);
    va_end(ap);
    printf("mean=%.4f var=%.4f\n", mean, var / n);
    return mean;
}

int main(void)
{
    int c = 0;
    c += print_list("fruits", "apple", "kiwi", "plum", (const char *)NULL);
    c += print_list("empty", (const char *)NULL);
    c += print_list("one", "single", (const char *)NULL);
    average(4, 1.0, 2.0, 3.0, 4.0);
    average(3, -1.5, 0.25, 10.0);
    return c + (int)average(2, 10.0, 20.0);
}
