/* Accumulation error: summing 0.1 repeatedly, pairwise vs sequential sums, order effects. */
#include <stdio.h>

static double pairwise(const double *v, int n)
{
    if (n == 1) return v[0];
    return pairwise(v, n / 2) + pairwise(v + n / 2, n - n / 2);
}

int main(void)
{
    double v[256], seq = 0, rev = 0, s10 = 0;
    int i;
    for (i = 0; i < 10; i++) s10 += 0.1;
    printf("ten 0.1s=%.17g == 1.0: %d\n", s10, s10 == 1.0);
    for (i = 0; i < 256; i++) v[i] = 1.0 / (i + 1) * (i % 3 == 0 ? -1 : 1) + 1e-3 * i;
    for (i = 0; i < 256; i++) seq += v[i];
    for (i = 255; i >= 0; i--) rev += v[i];
    printf("sequential=%.17g\nreverse   =%.17g\npairwise  =%.17g\n", seq, rev, pairwise(v, 256));
    {
        double big = 1e17;
        double s = big;
        for (i = 0; i < 100; i++) s += 1.0;
        printf("1e17 + 100*1.0 = %.1f\n", s);
        s = 0;
        for (i = 0; i < 100; i++) s += 1.0;
        s += big;
        printf("100*1.0 + 1e17 = %.1f\n", s);
    }
    return (int)(seq * 10) % 100;
}
