/* Unsigned arithmetic wraps modulo 2^N for every unsigned type. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef unsigned short USHORT;
typedef unsigned char UCHAR;

int main(void)
{
    ULONG a = 0xFFFFFFF0u, b = 0x20u;
    USHORT s = 65530;
    UCHAR c = 250;
    ULONG acc = 1;
    int i;

    printf("a+b=%u a-b=%u b-a=%u\n", a + b, a - b, b - a);
    printf("a*b=%u a*a=%u\n", a * b, a * a);
    printf("0u-1=%u\n", 0u - 1u);
    for (i = 0; i < 10; i++) {
        s = (USHORT)(s + 1);
        c = (UCHAR)(c + 1);
    }
    printf("s=%u c=%u\n", (unsigned)s, (unsigned)c);
    s = 0;
    s--;
    c = 0;
    c--;
    printf("s--=%u c--=%u\n", (unsigned)s, (unsigned)c);
    for (i = 0; i < 40; i++) {
        acc = acc * 2654435761u + (ULONG)i;
    }
    printf("acc=%u (%08x)\n", acc, acc);
    acc = 0;
    for (i = 0; i < 100; i++) {
        acc -= 0x01010101u;
    }
    printf("acc-=...=%08x\n", acc);
    {
        ULONG x = 3000000000u;
        ULONG y = x + x;
        ULONG z = x * 3u;
        printf("x+x=%u x*3=%u neg=%u\n", y, z, -x);
    }
    {
        unsigned long long big = 0xFFFFFFFFFFFFFFFFull;
        big += 2;
        printf("ull wrap=%llu\n", big);
        big = 0;
        big -= 1;
        printf("ull 0-1=%llu %llx\n", big, big);
    }
    return (int)(acc & 0x3f);
}
