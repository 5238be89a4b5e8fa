/* Chains of casts: each intermediate type matters. */
#include <stdio.h>

int main(void)
{
    int m1 = -1;
    printf("(short)(unsigned char)-1=%d\n", (short)(unsigned char)m1);
    printf("(unsigned char)(short)-1=%u\n", (unsigned)(unsigned char)(short)m1);
    printf("(int)(unsigned short)(signed char)-1=%d\n", (int)(unsigned short)(signed char)m1);
    printf("(long long)(unsigned)-1=%lld\n", (long long)(unsigned)m1);
    printf("(unsigned long long)(int)0x80000000u=%llx\n", (unsigned long long)(int)0x80000000u);
    printf("(unsigned long long)(unsigned)(int)-2=%llx\n", (unsigned long long)(unsigned)(int)-2);
    printf("(signed char)(unsigned char)200=%d\n", (signed char)(unsigned char)200);
    printf("(int)(double)(float)16777217=%d\n", (int)(double)(float)16777217);
    printf("(int)(float)(double)0.1*10=%d\n", (int)((float)(double)0.1 * 10));
    printf("(unsigned short)(int)(double)65535.9=%u\n", (unsigned)(unsigned short)(int)(double)65535.9);
    printf("(char)(short)(int)0x12345678=%d\n", (char)(short)(int)0x12345678);
    printf("(_Bool)(char)256=%d (_Bool)256=%d\n", (_Bool)(char)256, (_Bool)256);
    {
        unsigned long long x = 0x00000001FFFFFFFFULL;
        int a = (int)(unsigned)x;
        long long b = (long long)(int)x;
        unsigned long long c = (unsigned long long)(short)x;
        printf("a=%d b=%lld c=%llx\n", a, b, c);
        return (int)(c & 0x3F);
    }
}
