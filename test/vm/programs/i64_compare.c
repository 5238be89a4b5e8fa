/* 64-bit comparisons, including mixes with 32-bit signed/unsigned operands. */
#include <stdio.h>

typedef long long LONG64;
typedef unsigned long long ULONG64;

static int cmp64(LONG64 a, LONG64 b) { return a < b ? -1 : a > b ? 1 : 0; }
static int ucmp64(ULONG64 a, ULONG64 b) { return a < b ? -1 : a > b ? 1 : 0; }

int main(void)
{
    LONG64 v[] = { 0, 1, -1, 4294967295LL, 4294967296LL, -4294967296LL, 9223372036854775807LL, -9223372036854775807LL - 1 };
    int i, j, sum = 0;
    for (i = 0; i < 8; i++) {
        for (j = 0; j < 8; j++) {
            sum += cmp64(v[i], v[j]) * (i + 1) + ucmp64((ULONG64)v[i], (ULONG64)v[j]) * (j + 1);
        }
        printf("v[%d]=%lld signed-rank-vs-0=%d unsigned-rank-vs-0=%d\n", i, v[i], cmp64(v[i], 0), ucmp64((ULONG64)v[i], 0));
    }
    printf("sum=%d\n", sum);
    {
        int neg = -1;
        unsigned u32 = 0xFFFFFFFFu;
        LONG64 l = 0xFFFFFFFFLL;
        ULONG64 ul = 0xFFFFFFFFULL;
        printf("neg < l: %d\n", neg < l);
        printf("u32 == l: %d\n", u32 == l);
        printf("neg == ul: %d (neg -> ULONG64 is all ones)\n", neg == ul);
        printf("(ULONG64)neg > ul: %d\n", (ULONG64)neg > ul);
        printf("u32 < 0x100000000LL: %d\n", u32 < 0x100000000LL);
        printf("neg < 0ULL: %d\n", neg < 0ULL);
    }
    {
        ULONG64 hi = 0x100000000ULL, lo = 0xFFFFFFFFULL;
        printf("hi>lo %d, (unsigned)hi>(unsigned)lo %d\n", hi > lo, (unsigned)hi > (unsigned)lo);
    }
    return sum & 63;
}
