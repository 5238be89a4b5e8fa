/* 64-bit shifts by 0..63: logical for unsigned, arithmetic for negative signed. */
#include <stdio.h>

typedef long long LONG64;
typedef unsigned long long ULONG64;

int main(void)
{
    ULONG64 u = 0x8000000000000001ULL;
    LONG64 s = -0x123456789ALL;
    ULONG64 acc = 0;
    int i;

    for (i = 0; i < 64; i += 7) printf("u<<%2d=%016llx u>>%2d=%016llx\n", i, u << i, i, u >> i);
    for (i = 0; i < 64; i += 9) printf("s>>%2d=%lld\n", i, s >> i);
    printf("1ULL<<63=%llu 1LL<<62=%lld\n", 1ULL << 63, 1LL << 62);
    printf("(-1LL)>>63=%lld\n", -1LL >> 63);
    for (i = 0; i < 64; i++) acc += (0xDEADBEEFCAFEBABEULL >> i) ^ (0x0123456789ABCDEFULL << (63 - i));
    printf("acc=%016llx\n", acc);
    {
        unsigned int lo = 0x89ABCDEFu;
        ULONG64 widened = (ULONG64)lo << 32;
        ULONG64 not_widened = (ULONG64)(lo << 4);
        printf("widened=%016llx not_widened=%016llx\n", widened, not_widened);
        int shift = 40;
        printf("1ULL<<shift=%llx\n", 1ULL << shift);
        LONG64 neg = -1;
        printf("(ULONG64)neg>>60=%llx\n", (ULONG64)neg >> 60);
    }
    return (int)(acc >> 58);
}
