/* Bitwise operators, popcount, bit reversal, parity, lowest set bit. */
#include <stdio.h>

static int popcount32(unsigned x)
{
    int n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}

static unsigned reverse32(unsigned x)
{
    unsigned r = 0;
    int i;
    for (i = 0; i < 32; i++) {
        r = (r << 1) | (x & 1u);
        x >>= 1;
    }
    return r;
}

static int parity(unsigned x)
{
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return (int)(x & 1u);
}

int main(void)
{
    unsigned vals[] = { 0u, 1u, 0x80000000u, 0xFFFFFFFFu, 0x12345678u, 0xDEADBEEFu, 0x0F0F0F0Fu, 96u };
    int i, total = 0;

    for (i = 0; i < 8; i++) {
        unsigned v = vals[i];
        unsigned low = v & (0u - v);
        printf("%08x pop=%2d rev=%08x par=%d low=%08x clr=%08x not=%08x\n",
               v, popcount32(v), reverse32(v), parity(v), low, v & (v - 1u), ~v);
        total += popcount32(v);
    }
    printf("and=%08x or=%08x xor=%08x\n", 0xF0F0u & 0x3C3Cu, 0xF0F0u | 0x3C3Cu, 0xF0F0u ^ 0x3C3Cu);
    printf("!0=%d !5=%d !!7=%d ~0=%d\n", !0, !5, !!7, ~0);
    {
        int neg = -6;
        printf("neg&0xff=%d neg|1=%d neg^-1=%d\n", neg & 0xff, neg | 1, neg ^ -1);
    }
    printf("total=%d\n", total);
    return total;
}
