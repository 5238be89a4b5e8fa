/* Usual arithmetic conversions: the common type of mixed operands decides the result. */
#include <stdio.h>

int main(void)
{
    int i = -5;
    unsigned u = 3;
    long long ll = -5;
    unsigned long long ull = 3;
    short s = -5;
    unsigned short us = 3;
    unsigned char uc = 3;
    double d = 2.5;
    float f = 1.5f;

    printf("i+u=%u (unsigned)\n", i + u);
    printf("i/u=%u\n", i / u);
    printf("ll+u=%lld (long long wins, u fits)\n", ll + u);
    printf("ll/u=%lld\n", ll / u);
    printf("i+ull=%llu\n", i + ull);
    printf("ll+ull=%llu\n", ll + ull);
    printf("s+us=%d s/us=%d (both int)\n", s + us, s / us);
    printf("s*uc=%d\n", s * uc);
    printf("i*d=%f u+d=%f\n", i * d, u + d);
    printf("i+f=%f (float)\n", (double)(i + f));
    printf("u>i? %d  us>s? %d  ull>ll? %d\n", u > i, us > s, ull > ll);
    printf("sizeof(s+us)=%u sizeof(u+ll)=%u sizeof(f+1)=%u sizeof(f+1.0)=%u\n",
           (unsigned)sizeof(s + us), (unsigned)sizeof(u + ll), (unsigned)sizeof(f + 1), (unsigned)sizeof(f + 1.0));
    printf("-1 >> 1 as unsigned: %u\n", (unsigned)-1 >> 1);
    printf("(i & u)=%u (i | 0u)=%u\n", i & u, i | 0u);
    {
        unsigned big = 4000000000u;
        long long r1 = big + big;            /* unsigned wrap */
        long long r2 = (long long)big + big; /* 64-bit */
        double r3 = big + 0.0;
        printf("r1=%lld r2=%lld r3=%.0f\n", r1, r2, r3);
    }
    return (int)((i + u) % 100u);
}
