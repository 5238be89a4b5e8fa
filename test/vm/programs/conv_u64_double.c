/* unsigned long long <-> double at 2^53, 2^63 and 2^64-1; long long <-> float rounding. */
#include <stdio.h>

typedef unsigned long long U64;

int main(void)
{
    U64 vals[] = { 0, 1, 9007199254740992ULL, 9007199254740993ULL, 9007199254740995ULL, 9223372036854775807ULL,
                   9223372036854775808ULL, 9223372036854777856ULL, 18446744073709549568ULL, 18446744073709551615ULL, 12345678901234567890ULL };
    int i;
    for (i = 0; i < 11; i++) {
        double d = (double)vals[i];
        float f = (float)vals[i];
        printf("%llu -> %.1f / %.1f\n", vals[i], d, (double)f);
    }
    {
        double ds[] = { 9223372036854775808.0, 1.8446744073709550e19, 4294967296.5, 12345678901234567890.0 };
        for (i = 0; i < 4; i++) printf("%.1f -> %llu\n", ds[i], (U64)ds[i]);
    }
    {
        long long neg[] = { -1, -9007199254740993LL, -9223372036854775807LL - 1, -16777217LL };
        for (i = 0; i < 4; i++) printf("%lld -> %.1f / %.1f\n", neg[i], (double)neg[i], (double)(float)neg[i]);
        double back = -9223372036854775808.0;
        printf("back=%lld\n", (long long)back);
    }
    {
        U64 x = 0xFFFFFFFFFFFFF800ULL;
        double dx = (double)x;
        printf("x=%llx dx=%.1f back=%llx\n", x, dx, (U64)dx);
    }
    return 53;
}
