/* Building a scatter/gather list from a virtually contiguous buffer over scattered physical pages. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef unsigned long long ULONG64;
#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12
#define BYTE_OFFSET(va) ((ULONG)((va) & (PAGE_SIZE - 1)))
#define ADDRESS_AND_SIZE_TO_SPAN_PAGES(va, size) ((ULONG)((((va) & (PAGE_SIZE - 1)) + (size) + (PAGE_SIZE - 1)) >> PAGE_SHIFT))

typedef struct { ULONG64 Address; ULONG Length; } SG_ELEMENT;
typedef struct { ULONG NumberOfElements; SG_ELEMENT Elements[16]; } SG_LIST;

/* a fake page table: virtual page number -> physical frame number */
static ULONG64 pfn_of(ULONG64 va)
{
    ULONG64 vpn = va >> PAGE_SHIFT;
    static const ULONG64 frames[8] = { 0x1234, 0x1235, 0x0800, 0x0801, 0x0802, 0x7FFFF, 0x100000, 0x100001 };
    return frames[vpn % 8];
}

static void build_sg(SG_LIST *sg, ULONG64 va, ULONG length, ULONG max_segment)
{
    sg->NumberOfElements = 0;
    while (length) {
        ULONG64 pa = (pfn_of(va) << PAGE_SHIFT) | BYTE_OFFSET(va);
        ULONG chunk = PAGE_SIZE - BYTE_OFFSET(va);
        SG_ELEMENT *last = sg->NumberOfElements ? &sg->Elements[sg->NumberOfElements - 1] : NULL;
        if (chunk > length) chunk = length;
        if (last && last->Address + last->Length == pa && last->Length + chunk <= max_segment) {
            last->Length += chunk; /* physically contiguous: merge */
        } else {
            sg->Elements[sg->NumberOfElements].Address = pa;
            sg->Elements[sg->NumberOfElements].Length = chunk;
            sg->NumberOfElements++;
        }
        va += chunk;
        length -= chunk;
    }
}

int main(void)
{
    struct { ULONG64 va; ULONG len; ULONG max; } cases[] = {
        { 0x10000ULL, 4096, 65536 }, { 0x10100ULL, 4096, 65536 }, { 0x10FF0ULL, 20000, 65536 }, { 0x12000ULL, 12288, 8192 }, { 0x17FFFULL, 2, 65536 },
    };
    int c;
    ULONG total_elems = 0;
    for (c = 0; c < 5; c++) {
        SG_LIST sg;
        ULONG i, sum = 0;
        build_sg(&sg, cases[c].va, cases[c].len, cases[c].max);
        printf("va=%llx len=%u span=%u offset=%u elements=%u\n", cases[c].va, cases[c].len, ADDRESS_AND_SIZE_TO_SPAN_PAGES(cases[c].va, cases[c].len),
               BYTE_OFFSET(cases[c].va), sg.NumberOfElements);
        for (i = 0; i < sg.NumberOfElements; i++) {
            printf("  [%u] pa=%09llx len=%u\n", i, sg.Elements[i].Address, sg.Elements[i].Length);
            sum += sg.Elements[i].Length;
        }
        if (sum != cases[c].len) printf("  LENGTH MISMATCH\n");
        total_elems += sg.NumberOfElements;
    }
    return (int)total_elems;
}
