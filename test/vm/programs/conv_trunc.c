/* Narrowing conversions keep the low bits (two's complement, as on both MSVC and gcc). */
#include <stdio.h>

int main(void)
{
    int vals[] = { 0, 127, 128, 255, 256, -1, -128, -129, 32767, 32768, 65535, 65536, 70000, -70000, 2147483647 };
    int i;
    unsigned acc = 0;
    for (i = 0; i < 15; i++) {
        int v = vals[i];
        signed char sc = (signed char)v;
        unsigned char uc = (unsigned char)v;
        short s = (short)v;
        unsigned short us = (unsigned short)v;
        printf("%11d -> sc %4d uc %3u s %6d us %5u\n", v, sc, (unsigned)uc, s, (unsigned)us);
        acc = acc * 31u + (unsigned)(sc + uc + s + us);
    }
    {
        long long big = 0x123456789ABCDEFLL;
        int i32 = (int)big;
        short i16 = (short)big;
        char i8 = (char)big;
        printf("big -> int %d (%x) short %d char %d\n", i32, (unsigned)i32, i16, i8);
        unsigned long long ubig = 0xFFFFFFFF80000001ULL;
        printf("ubig -> int %d unsigned %u\n", (int)ubig, (unsigned)ubig);
    }
    printf("acc=%u\n", acc);
    return (int)(acc % 100);
}
