/* Shifts: logical on unsigned, arithmetic right shift on negative signed. */
#include <stdio.h>

int main(void)
{
    unsigned u = 0x80000001u;
    int s = -1000;
    int i;
    unsigned acc = 0;

    for (i = 0; i < 32; i += 5) {
        printf("u<<%d=%08x u>>%d=%08x\n", i, u << i, i, u >> i);
    }
    for (i = 0; i < 12; i += 3) {
        printf("s>>%d=%d\n", i, s >> i);
    }
    printf("-1>>31=%d -1>>1=%d\n", -1 >> 31, -1 >> 1);
    printf("(-2147483647-1)>>31=%d\n", (-2147483647 - 1) >> 31);
    printf("1u<<31=%u 1<<30=%d\n", 1u << 31, 1 << 30);
    printf("0xFFu<<24=%x\n", 0xFFu << 24);
    for (i = 0; i < 32; i++) {
        acc ^= (0x9E3779B9u << i) | (0x9E3779B9u >> (31 - i));
    }
    printf("acc=%08x\n", acc);
    {
        unsigned char b = 0x81;
        printf("b<<1=%d (unsigned char)(b<<1)=%d b>>1=%d\n", b << 1, (unsigned char)(b << 1), b >> 1);
        signed char sb = -128;
        printf("sb>>1=%d sb>>7=%d\n", sb >> 1, sb >> 7);
    }
    {
        int shift = 4;
        unsigned v = 0x12345678u;
        v = (v << shift) | (v >> (32 - shift));
        printf("rotl4=%08x\n", v);
    }
    {
        unsigned short us = 0x8000;
        printf("us<<1=%d (int promoted)\n", us << 1);
    }
    return (int)(acc >> 26);
}
