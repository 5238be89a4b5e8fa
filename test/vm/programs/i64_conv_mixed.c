/* Conversions between 32-bit and 64-bit integer types in expressions and assignments. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef int LONG;
typedef long long LONG64;
typedef unsigned long long ULONG64;

static LONG64 widen_signed(LONG v) { return v; }
static ULONG64 widen_unsigned(ULONG v) { return v; }
static LONG narrow(LONG64 v) { return (LONG)v; }
static ULONG unarrow(ULONG64 v) { return (ULONG)v; }

int main(void)
{
    LONG s[] = { 0, -1, 2147483647, -2147483647 - 1, 12345 };
    ULONG64 big[] = { 0x123456789ULL, 0xFFFFFFFF80000000ULL, 0x00000000FFFFFFFFULL, 0xABCDEF0012345678ULL };
    int i;
    for (i = 0; i < 5; i++)
        printf("%d -> s64 %lld, u64(via ULONG) %llu, u64(direct) %llx\n", s[i], widen_signed(s[i]), widen_unsigned((ULONG)s[i]), (ULONG64)s[i]);
    for (i = 0; i < 4; i++) printf("%llx -> LONG %d ULONG %u short %d uchar %u\n", big[i], narrow((LONG64)big[i]), unarrow(big[i]), (short)big[i], (unsigned)(unsigned char)big[i]);
    {
        ULONG a = 0xFFFFFFFFu, b = 2;
        ULONG64 wrong = a * b;           /* 32-bit multiply, then widen */
        ULONG64 right = (ULONG64)a * b;  /* 64-bit multiply */
        LONG neg = -3;
        ULONG64 m1 = neg * 2u;           /* unsigned 32-bit result zero-extended */
        LONG64 m2 = neg * 2LL;
        printf("wrong=%llu right=%llu m1=%llu m2=%lld\n", wrong, right, m1, m2);
        LONG64 sum = a + 1;              /* wraps in 32 bits */
        LONG64 sum2 = a + 1LL;
        printf("sum=%lld sum2=%lld\n", sum, sum2);
        ULONG64 mixed = (ULONG64)neg + a; /* both to 64 bits */
        printf("mixed=%llx\n", mixed);
        return (int)(right % 50);
    }
}
