/* short / unsigned short promotions and narrowing stores. */
#include <stdio.h>

typedef unsigned short USHORT;
typedef short SHORT;

static USHORT add16(USHORT a, USHORT b) { return (USHORT)(a + b); }
static SHORT neg16(SHORT a) { return (SHORT)-a; }

int main(void)
{
    USHORT u = 60000;
    SHORT s = -30000;
    int i;
    USHORT acc = 0;
    SHORT sacc = 0;

    printf("u+u=%d u*2=%d\n", u + u, u * 2);
    printf("add16=%u\n", (unsigned)add16(u, u));
    printf("s+s=%d (short)(s+s)=%d\n", s + s, (SHORT)(s + s));
    printf("neg16(-32768)=%d\n", neg16((SHORT)-32768));
    printf("u>>3=%d ~u=%d (USHORT)~u=%u\n", u >> 3, ~u, (unsigned)(USHORT)~u);
    printf("s>>3=%d s/7=%d s%%7=%d\n", s >> 3, s / 7, s % 7);
    printf("u*u as unsigned=%u\n", (unsigned)u * u);
    for (i = 0; i < 1000; i++) {
        acc = (USHORT)(acc + 1234);
        sacc = (SHORT)(sacc + 1234);
    }
    printf("acc=%u sacc=%d\n", (unsigned)acc, sacc);
    {
        USHORT a = 1, b = 2;
        int diff = a - b;
        unsigned udiff = (unsigned)(a - b);
        printf("a-b=%d as unsigned=%u (USHORT)(a-b)=%u\n", diff, udiff, (unsigned)(USHORT)(a - b));
    }
    {
        SHORT tbl[5] = { 32767, -32768, 1, -1, 0 };
        int k, sum = 0;
        for (k = 0; k < 5; k++) {
            sum += tbl[k];
            printf("tbl[%d]=%d hex=%04x\n", k, tbl[k], (unsigned)(USHORT)tbl[k]);
        }
        printf("sum=%d\n", sum);
    }
    return (int)(acc % 97);
}
