/* A dense switch (jump-table candidate) on 0..15 used to decode nibbles. */
#include <stdio.h>

static char hexdigit(unsigned v)
{
    switch (v) {
    case 0: return '0'; case 1: return '1'; case 2: return '2'; case 3: return '3';
    case 4: return '4'; case 5: return '5'; case 6: return '6'; case 7: return '7';
    case 8: return '8'; case 9: return '9'; case 10: return 'a'; case 11: return 'b';
    case 12: return 'c'; case 13: return 'd'; case 14: return 'e'; case 15: return 'f';
    }
    return '?';
}

static int bits_set(unsigned v)
{
    switch (v & 15u) {
    case 0: return 0;
    case 1: case 2: case 4: case 8: return 1;
    case 3: case 5: case 6: case 9: case 10: case 12: return 2;
    case 7: case 11: case 13: case 14: return 3;
    default: return 4;
    }
}

int main(void)
{
    unsigned vals[] = { 0xDEADBEEFu, 0x12345678u, 0u, 0xFFFFFFFFu, 0x0F1E2D3Cu };
    int i, k, total = 0;
    for (i = 0; i < 5; i++) {
        char buf[9];
        int pop = 0;
        for (k = 0; k < 8; k++) {
            unsigned nib = (vals[i] >> (28 - 4 * k)) & 15u;
            buf[k] = hexdigit(nib);
            pop += bits_set(nib);
        }
        buf[8] = '\0';
        printf("%s pop=%d\n", buf, pop);
        total += pop;
    }
    printf("hexdigit(16)=%c\n", hexdigit(16));
    return total % 100;
}
