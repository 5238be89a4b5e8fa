/* 64-bit bit scans: population count, leading/trailing zero counts, highest power of two. */
#include <stdio.h>

typedef unsigned long long U64;

static int pop64(U64 x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}
static int clz64(U64 x)
{
    int n = 0;
    if (x == 0) return 64;
    while (!(x & 0x8000000000000000ULL)) {
        x <<= 1;
        n++;
    }
    return n;
}
static int ctz64(U64 x)
{
    int n = 0;
    if (x == 0) return 64;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
}
static U64 floor_pow2(U64 x)
{
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
    x |= x >> 32;
    return x - (x >> 1);
}

int main(void)
{
    U64 v[] = { 0, 1, 2, 3, 0x80000000ULL, 0x8000000000000000ULL, 0xFFFFFFFFFFFFFFFFULL, 0x00F0000000000F00ULL, 1000000007ULL };
    int i, total = 0;
    for (i = 0; i < 9; i++) {
        printf("%016llx pop=%d clz=%d ctz=%d floor2=%llx\n", v[i], pop64(v[i]), clz64(v[i]), ctz64(v[i]), floor_pow2(v[i]));
        total += pop64(v[i]) + clz64(v[i]);
    }
    return total % 100;
}
