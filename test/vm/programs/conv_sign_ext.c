/* Sign extension vs zero extension when widening signed and unsigned narrow types. */
#include <stdio.h>

typedef unsigned char UCHAR;
typedef unsigned short USHORT;

int main(void)
{
    unsigned char bytes[] = { 0x00, 0x7F, 0x80, 0xFF, 0xA5 };
    int i;
    long long total = 0;
    for (i = 0; i < 5; i++) {
        signed char sc = (signed char)bytes[i];
        int as_int = sc;
        unsigned as_uint = (unsigned)sc;
        long long as_ll = sc;
        unsigned long long as_ull = (unsigned long long)sc;
        unsigned long long from_uc = bytes[i];
        printf("%02x: int %d uint %08x ll %lld ull %016llx uc->ull %llx\n", (unsigned)bytes[i], as_int, as_uint, as_ll, as_ull, from_uc);
        total += as_ll;
    }
    {
        USHORT w = 0xBEEF;
        short sw = (short)w;
        int a = w, b = sw;
        long long c = sw;
        printf("w=%d sw=%d c=%lld ull(sw)=%llx\n", a, b, c, (unsigned long long)sw);
    }
    {
        /* reading a 16-bit little-endian signed sample from bytes */
        UCHAR raw[4] = { 0x34, 0x92, 0xFE, 0x7F };
        short s0 = (short)(raw[0] | (raw[1] << 8));
        short s1 = (short)(raw[2] | (raw[3] << 8));
        int sum = s0 + s1;
        printf("s0=%d s1=%d sum=%d\n", s0, s1, sum);
        total += sum;
    }
    printf("total=%lld\n", total);
    return (int)(total < 0 ? -total % 100 : total % 100);
}
