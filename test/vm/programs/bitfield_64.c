/* unsigned long long bit-fields (MSVC and gcc both allow them); always widen before arithmetic. */
#include <stdio.h>

typedef unsigned long long ULONG64;

typedef union {
    struct {
        ULONG64 Valid : 1;
        ULONG64 Write : 1;
        ULONG64 Owner : 1;
        ULONG64 Reserved : 9;
        ULONG64 PageFrameNumber : 40;
        ULONG64 Available : 11;
        ULONG64 NoExecute : 1;
    } Hard;
    ULONG64 Long;
} PTE;

int main(void)
{
    PTE pte;
    ULONG64 pfn, addr;
    int i;
    pte.Long = 0;
    pte.Hard.Valid = 1;
    pte.Hard.Write = 1;
    pte.Hard.PageFrameNumber = 0x123456789ULL;
    pte.Hard.NoExecute = 1;
    printf("pte=%016llx\n", pte.Long);
    pfn = pte.Hard.PageFrameNumber;
    addr = (pfn << 12) | 0xABC;
    printf("pfn=%llx phys=%llx\n", pfn, addr);
    pte.Long = 0x8000000ABCDEF867ULL;
    printf("valid=%llu write=%llu owner=%llu pfn=%llx avail=%llx nx=%llu\n", (ULONG64)pte.Hard.Valid, (ULONG64)pte.Hard.Write,
           (ULONG64)pte.Hard.Owner, (ULONG64)pte.Hard.PageFrameNumber, (ULONG64)pte.Hard.Available, (ULONG64)pte.Hard.NoExecute);
    pte.Hard.PageFrameNumber = 0xFFFFFFFFFFULL;
    pfn = pte.Hard.PageFrameNumber;
    pfn += 1;
    pte.Hard.PageFrameNumber = pfn; /* wraps to 0 in 40 bits */
    printf("after wrap pfn=%llx long=%016llx\n", (ULONG64)pte.Hard.PageFrameNumber, pte.Long);
    for (i = 0; i < 5; i++) {
        pte.Hard.Available = (ULONG64)pte.Hard.Available + 500;
        printf("avail=%llu\n", (ULONG64)pte.Hard.Available);
    }
    printf("sizeof=%u\n", (unsigned)sizeof(PTE));
    return (int)((ULONG64)pte.Hard.Available % 100);
}
