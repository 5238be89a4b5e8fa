/* An RTL_BITMAP-style allocator: find and set runs of clear bits, clear ranges, count set bits. */
#include <stdio.h>
#include <string.h>

typedef unsigned int ULONG;
typedef struct { ULONG SizeOfBitMap; ULONG *Buffer; } RTL_BITMAP;

static ULONG g_bits[4]; /* 128 bits */

static int test_bit(const RTL_BITMAP *b, ULONG i) { return (b->Buffer[i / 32] >> (i % 32)) & 1u; }
static void set_bits(RTL_BITMAP *b, ULONG start, ULONG n)
{
    ULONG i;
    for (i = start; i < start + n; i++) b->Buffer[i / 32] |= 1u << (i % 32);
}
static void clear_bits(RTL_BITMAP *b, ULONG start, ULONG n)
{
    ULONG i;
    for (i = start; i < start + n; i++) b->Buffer[i / 32] &= ~(1u << (i % 32));
}
static ULONG find_clear_bits_and_set(RTL_BITMAP *b, ULONG n, ULONG hint)
{
    ULONG tries, start;
    for (tries = 0; tries < b->SizeOfBitMap; tries++) {
        ULONG k;
        start = (hint + tries) % b->SizeOfBitMap;
        if (start + n > b->SizeOfBitMap) continue;
        for (k = 0; k < n && !test_bit(b, start + k); k++) {
        }
        if (k == n) {
            set_bits(b, start, n);
            return start;
        }
    }
    return 0xFFFFFFFFu;
}
static ULONG number_of_set_bits(const RTL_BITMAP *b)
{
    ULONG i, n = 0;
    for (i = 0; i < b->SizeOfBitMap; i++) n += (ULONG)test_bit(b, i);
    return n;
}

int main(void)
{
    RTL_BITMAP bm = { 128, g_bits };
    ULONG sizes[] = { 5, 17, 1, 32, 40, 3, 30, 9 };
    ULONG starts[8];
    int i;
    memset(g_bits, 0, sizeof g_bits);
    for (i = 0; i < 8; i++) {
        starts[i] = find_clear_bits_and_set(&bm, sizes[i], 0);
        printf("alloc %2u -> %d\n", sizes[i], (int)starts[i]);
    }
    printf("set=%u words=%08x %08x %08x %08x\n", number_of_set_bits(&bm), g_bits[0], g_bits[1], g_bits[2], g_bits[3]);
    clear_bits(&bm, starts[1], sizes[1]);
    clear_bits(&bm, starts[3], sizes[3]);
    printf("after free set=%u\n", number_of_set_bits(&bm));
    printf("alloc 20 -> %d\n", (int)find_clear_bits_and_set(&bm, 20, 0));
    printf("alloc 20 (hint 64) -> %d\n", (int)find_clear_bits_and_set(&bm, 20, 64));
    printf("alloc 50 -> %d\n", (int)find_clear_bits_and_set(&bm, 50, 0));
    printf("final set=%u\n", number_of_set_bits(&bm));
    return (int)number_of_set_bits(&bm);
}
