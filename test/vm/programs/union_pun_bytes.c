/* Type punning through unions: a 32-bit value and its little-endian bytes/halves. */
#include <stdio.h>

typedef union {
    unsigned int u32;
    int i32;
    unsigned short u16[2];
    unsigned char b[4];
    signed char sb[4];
} WORD32;

typedef union {
    unsigned long long u64;
    unsigned int u32[2];
    unsigned char b[8];
} WORD64;

int main(void)
{
    WORD32 w;
    WORD64 q;
    int i;
    unsigned sum = 0;

    w.u32 = 0x11223344u;
    printf("b=%02x %02x %02x %02x u16=%04x %04x\n", w.b[0], w.b[1], w.b[2], w.b[3], (unsigned)w.u16[0], (unsigned)w.u16[1]);
    w.b[3] = 0xFF;
    printf("u32=%08x i32=%d sb[3]=%d\n", w.u32, w.i32, w.sb[3]);
    w.u16[0] = 0xABCD;
    printf("u32=%08x\n", w.u32);
    q.u64 = 0x0102030405060708ULL;
    for (i = 0; i < 8; i++) {
        printf("%02x ", q.b[i]);
        sum += q.b[i] * (unsigned)(i + 1);
    }
    printf("\nlo=%08x hi=%08x\n", q.u32[0], q.u32[1]);
    q.u32[1] = 0xFFFFFFFFu;
    printf("u64=%016llx\n", q.u64);
    for (i = 0; i < 8; i++) q.b[i] = (unsigned char)(0x80 | i);
    printf("u64=%016llx\n", q.u64);
    {
        /* byte swap via union */
        WORD32 in, out;
        in.u32 = 0xDEADBEEFu;
        for (i = 0; i < 4; i++) out.b[i] = in.b[3 - i];
        printf("swapped=%08x\n", out.u32);
    }
    printf("sum=%u\n", sum);
    return (int)(sum % 100);
}
