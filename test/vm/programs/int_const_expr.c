/* Integer constant expressions: literal types, suffixes, enum/array sizes, case labels. */
#include <stdio.h>

#define KB(x) ((x) * 1024)
#define MASK(bits) ((1u << (bits)) - 1u)
#define ARRAY_COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum { SMALL = 3 + 4 * 2, SHIFTED = 1 << 10, COMBINED = SMALL | SHIFTED, NEGATIVE = -SMALL };

static int table[KB(1) / 256];
static const unsigned masks[] = { MASK(1), MASK(4), MASK(8), MASK(16), MASK(31) };

int main(void)
{
    int i;
    printf("SMALL=%d SHIFTED=%d COMBINED=%d NEGATIVE=%d\n", SMALL, SHIFTED, COMBINED, NEGATIVE);
    printf("table entries=%u masks=%u\n", (unsigned)ARRAY_COUNT(table), (unsigned)ARRAY_COUNT(masks));
    for (i = 0; i < (int)ARRAY_COUNT(masks); i++) printf("mask[%d]=%x\n", i, masks[i]);
    printf("sizeof 1=%u 1u=%u 1ll=%u 1ull=%u 'x'=%u\n", (unsigned)sizeof 1, (unsigned)sizeof 1u, (unsigned)sizeof 1ll,
           (unsigned)sizeof 1ull, (unsigned)sizeof 'x');
    printf("sizeof 0x7FFFFFFF=%u 0x80000000=%u 0xFFFFFFFF=%u 0x100000000=%u\n", (unsigned)sizeof 0x7FFFFFFF,
           (unsigned)sizeof 0x80000000, (unsigned)sizeof 0xFFFFFFFF, (unsigned)sizeof 0x100000000);
    printf("0x80000000 > 0: %d; -0x80000000 > 0: %d\n", 0x80000000 > 0, -0x80000000 > 0);
    printf("-1 < 0x7FFFFFFF: %d; 010=%d 0x10=%d 0b? no; '\\377'=%d\n", -1 < 0x7FFFFFFF, 010, 0x10, '\377');
    printf("2147483648LL=%lld sizeof=%u 2147483648u sizeof=%u\n", 2147483648LL, (unsigned)sizeof(2147483648LL), (unsigned)sizeof(2147483648u));
    printf("(3+4)*5=%d 3+4*5=%d 20/3*3=%d 20%%3=%d 1<<4|1=%d\n", (3 + 4) * 5, 3 + 4 * 5, 20 / 3 * 3, 20 % 3, 1 << 4 | 1);
    printf("!1+2=%d ~5&7=%d 6^3|8=%d 5>3==1=%d\n", !1 + 2, ~5 & 7, 6 ^ 3 | 8, 5 > 3 == 1);
    switch (7) {
    case SMALL - 4: printf("case SMALL-4\n"); break;
    case SMALL: printf("case SMALL\n"); break;
    default: printf("default\n"); break;
    }
    return SMALL;
}
