/* Splitting and joining 64-bit values: 0xFFFFFFFF00000000 patterns, sign/zero extension. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef unsigned long long ULONG64;
typedef long long LONG64;

static ULONG64 join(ULONG hi, ULONG lo) { return ((ULONG64)hi << 32) | lo; }
static ULONG hi32(ULONG64 v) { return (ULONG)(v >> 32); }
static ULONG lo32(ULONG64 v) { return (ULONG)v; }

int main(void)
{
    ULONG64 pats[] = { 0xFFFFFFFF00000000ULL, 0x00000000FFFFFFFFULL, 0x8000000080000000ULL, 0x7FFFFFFF7FFFFFFFULL, 0x0000000100000000ULL };
    int i;
    ULONG64 folded = 0;
    for (i = 0; i < 5; i++) {
        ULONG64 p = pats[i];
        printf("%016llx hi=%08x lo=%08x joined=%016llx signed=%lld ~=%016llx neg=%016llx\n", p, hi32(p), lo32(p),
               join(lo32(p), hi32(p)), (LONG64)p, ~p, -p);
        folded += p >> 1;
    }
    printf("folded=%016llx\n", folded);
    {
        int neg = -5;
        unsigned pos = 0xFFFFFFFBu;
        LONG64 sext = neg;
        ULONG64 zext = pos;
        ULONG64 sext_u = (ULONG64)neg;
        ULONG64 via_unsigned = (ULONG64)(unsigned)neg;
        printf("sext=%lld zext=%llu sext_u=%016llx via_unsigned=%016llx\n", sext, zext, sext_u, via_unsigned);
        printf("mask & ~0xFFF: %016llx\n", 0xFFFFF80012345678ULL & ~0xFFFULL);
        printf("mask & ~0xFFFu (zero-extended!): %016llx\n", 0xFFFFF80012345678ULL & ~0xFFFu);
        printf("mask & ~0xFFF (int, sign-extended): %016llx\n", 0xFFFFF80012345678ULL & ~0xFFF);
    }
    {
        ULONG64 addr = 0xFFFFF80012345ABCULL;
        ULONG64 page = addr >> 12, off = addr & 0xFFF;
        printf("page=%llx off=%llx pml4=%llu pdpt=%llu pd=%llu pt=%llu\n", page, off, (addr >> 39) & 511, (addr >> 30) & 511,
               (addr >> 21) & 511, (addr >> 12) & 511);
        return (int)((addr >> 21) & 63);
    }
}
