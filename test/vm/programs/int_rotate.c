/* Rotations, byte swaps and bit-field extraction with masks (32 and 16 bit). */
#include <stdio.h>

typedef unsigned int ULONG;
typedef unsigned short USHORT;

static ULONG rotl32(ULONG x, int n) { n &= 31; return n ? (x << n) | (x >> (32 - n)) : x; }
static ULONG rotr32(ULONG x, int n) { n &= 31; return n ? (x >> n) | (x << (32 - n)) : x; }
static USHORT rotl16(USHORT x, int n) { n &= 15; return (USHORT)(n ? (x << n) | (x >> (16 - n)) : x); }
static ULONG bswap32(ULONG x)
{
    return (x >> 24) | ((x >> 8) & 0xFF00u) | ((x << 8) & 0xFF0000u) | (x << 24);
}
static USHORT bswap16(USHORT x) { return (USHORT)((x >> 8) | (x << 8)); }
static ULONG extract(ULONG x, int lo, int width) { return (x >> lo) & ((width == 32) ? 0xFFFFFFFFu : ((1u << width) - 1u)); }
static ULONG insert(ULONG x, int lo, int width, ULONG v)
{
    ULONG mask = ((width == 32) ? 0xFFFFFFFFu : ((1u << width) - 1u)) << lo;
    return (x & ~mask) | ((v << lo) & mask);
}

int main(void)
{
    ULONG v = 0x12345678u;
    ULONG h = 0;
    int i;
    for (i = 0; i <= 32; i += 4) printf("rotl(%2d)=%08x rotr(%2d)=%08x\n", i, rotl32(v, i), i, rotr32(v, i));
    printf("rotl16(0x8001,1)=%04x rotl16(0x1234,4)=%04x\n", (unsigned)rotl16(0x8001, 1), (unsigned)rotl16(0x1234, 4));
    printf("bswap32=%08x bswap16=%04x\n", bswap32(v), (unsigned)bswap16(0xABCD));
    printf("extract(v,4,8)=%02x extract(v,28,4)=%x extract(v,0,32)=%08x\n", extract(v, 4, 8), extract(v, 28, 4), extract(v, 0, 32));
    printf("insert=%08x insert2=%08x\n", insert(v, 8, 8, 0xFF), insert(v, 30, 2, 7));
    for (i = 0; i < 100; i++) h = rotl32(h ^ (ULONG)i * 0x9E3779B1u, 13) + 0x6B43A9B5u;
    printf("h=%08x\n", h);
    return (int)(h % 97);
}
