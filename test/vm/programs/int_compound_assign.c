/* Compound assignments: the operation happens in the promoted type, then narrows. */
#include <stdio.h>

int main(void)
{
    unsigned char uc = 200;
    signed char sc = 100;
    short s = 30000;
    unsigned short us = 1;
    int i = 1000;
    unsigned u = 10;
    long long ll = 1;
    int k;

    uc += 100;
    printf("uc+=100 -> %u\n", (unsigned)uc);
    uc *= 3;
    printf("uc*=3 -> %u\n", (unsigned)uc);
    uc -= 200;
    printf("uc-=200 -> %u\n", (unsigned)uc);
    sc += 100;
    printf("sc+=100 -> %d\n", sc);
    sc /= 3;
    printf("sc/=3 -> %d\n", sc);
    s += 10000;
    printf("s+=10000 -> %d\n", s);
    us -= 2;
    printf("us-=2 -> %u\n", (unsigned)us);
    us >>= 4;
    printf("us>>=4 -> %u\n", (unsigned)us);
    us <<= 8;
    printf("us<<=8 -> %u\n", (unsigned)us);
    i %= 7;
    printf("i%%=7 -> %d\n", i);
    i -= 10;
    i *= 3;
    printf("i -> %d\n", i);
    i /= -4;
    printf("i/=-4 -> %d\n", i);
    u -= 20;
    printf("u-=20 -> %u\n", u);
    u /= 3;
    printf("u/=3 -> %u\n", u);
    u ^= 0xAAAAAAAAu;
    printf("u^= -> %08x\n", u);
    u |= 0xF;
    u &= ~0xF0u;
    printf("u|= &= -> %08x\n", u);
    for (k = 0; k < 39; k++) ll *= 3;
    printf("3^39=%lld\n", ll);
    ll >>= 10;
    printf("ll>>=10=%lld\n", ll);
    ll %= 1000000007;
    printf("ll%%=p=%lld\n", ll);
    {
        unsigned char c = 10;
        c += -20;
        printf("c+=-20 -> %u\n", (unsigned)c);
        int x = 7;
        x += 0.6 * 10;
        printf("x+=6.0 -> %d\n", x);
        x *= 2.5;
        printf("x*=2.5 -> %d\n", x);
    }
    return (int)(ll % 64);
}
