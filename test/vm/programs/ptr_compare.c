/* Relational comparison of pointers into the same array; equality with NULL and one-past-end. */
#include <stdio.h>

static int *find_max(int *begin, int *end)
{
    int *best = begin, *p;
    for (p = begin + 1; p < end; p++)
        if (*p > *best) best = p;
    return best;
}

static void reverse(int *lo, int *hi)
{
    while (lo < hi) {
        int t = *lo;
        *lo++ = *hi;
        *hi-- = t;
    }
}

int main(void)
{
    int a[12] = { 5, 3, 9, 1, 12, 7, 12, 0, -4, 8, 2, 6 };
    int *end = a + 12, *m, *p;
    int i, inside = 0;
    m = find_max(a, end);
    printf("max=%d at %d\n", *m, (int)(m - a));
    reverse(a, end - 1);
    for (i = 0; i < 12; i++) printf("%d ", a[i]);
    printf("\n");
    m = find_max(a, end);
    printf("max=%d at %d\n", *m, (int)(m - a));
    for (p = a; p <= end; p++) inside += (p >= a + 3 && p < a + 9);
    printf("inside=%d end==a+12 %d end>a %d a<=a %d\n", inside, end == a + 12, end > a, a <= a);
    {
        int *np = NULL;
        printf("np==NULL %d !np %d a!=NULL %d\n", np == NULL, !np, a != NULL);
        int *mid = a + 6;
        printf("mid-a=%d end-mid=%d (mid>a)-(mid<a)=%d\n", (int)(mid - a), (int)(end - mid), (mid > a) - (mid < a));
    }
    return inside * 5;
}
