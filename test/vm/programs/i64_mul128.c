/* 64x64 -> 128-bit multiplication from 32-bit halves, and a 128/64 check by repeated subtraction. */
#include <stdio.h>

typedef unsigned long long U64;
typedef unsigned int U32;

static void mul128(U64 a, U64 b, U64 *hi, U64 *lo)
{
    U64 a_lo = (U32)a, a_hi = a >> 32, b_lo = (U32)b, b_hi = b >> 32;
    U64 p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo, p3 = a_hi * b_hi;
    U64 mid = (p0 >> 32) + (U32)p1 + (U32)p2;
    *lo = (mid << 32) | (U32)p0;
    *hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

static U64 mulmod(U64 a, U64 b, U64 m)
{
    U64 r = 0;
    a %= m;
    while (b) {
        if (b & 1) {
            r += a;
            if (r >= m || r < a) r -= m;
        }
        b >>= 1;
        if (b) {
            U64 d = a + a;
            if (d >= m || d < a) d -= m;
            a = d;
        }
    }
    return r;
}

int main(void)
{
    U64 vals[] = { 0, 1, 0xFFFFFFFFULL, 0x100000000ULL, 0xFFFFFFFFFFFFFFFFULL, 0x123456789ABCDEF0ULL, 0xFEDCBA9876543210ULL };
    int i, j;
    U64 hi, lo, x = 0;
    for (i = 0; i < 7; i++)
        for (j = i; j < 7; j++) {
            mul128(vals[i], vals[j], &hi, &lo);
            if (lo != vals[i] * vals[j]) printf("low half mismatch!\n");
            printf("%llx * %llx = %016llx%016llx\n", vals[i], vals[j], hi, lo);
            x ^= hi;
        }
    printf("mulmod=%llu %llu\n", mulmod(0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFFFEULL, 0xFFFFFFFFFFFFFFC5ULL),
           mulmod(123456789012345ULL, 987654321098765ULL, 1000000007ULL));
    return (int)(x % 64);
}
