/* int <-> double: truncation toward zero, exactness of integers, large values. */
#include <stdio.h>

int main(void)
{
    double ds[] = { 0.0, 0.5, 0.999, 1.0, -0.5, -1.5, 2.5, -2.5, 123456.789, -98765.4321, 2147483647.0, -2147483648.0, 1e9 + 0.75 };
    int i;
    long long sum = 0;
    for (i = 0; i < 13; i++) {
        int t = (int)ds[i];
        long long tl = (long long)ds[i];
        double back = (double)t;
        printf("%.4f -> int %d ll %lld back %.1f\n", ds[i], t, tl, back);
        sum += t;
    }
    {
        int big = 2147483647;
        double d = big;
        float f = (float)big;
        printf("d=%.1f f=%.1f (float rounds to 2^31)\n", d, (double)f);
        unsigned u = 4294967295u;
        double du = u;
        printf("du=%.1f back=%u\n", du, (unsigned)du);
        double x = 3000000000.0;
        unsigned ux = (unsigned)x;
        printf("3e9 -> unsigned %u\n", ux);
        long long l = 9007199254740993LL; /* 2^53 + 1: not exactly representable */
        double dl = (double)l;
        printf("2^53+1 -> %.1f -> %lld\n", dl, (long long)dl);
        printf("7/2=%d 7/2.0=%.2f (double)7/2=%.2f (double)(7/2)=%.2f\n", 7 / 2, 7 / 2.0, (double)7 / 2, (double)(7 / 2));
    }
    printf("sum=%lld\n", sum);
    return (int)(sum % 100 + 100) % 100;
}
