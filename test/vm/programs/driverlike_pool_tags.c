/* Pool allocations tracked by 4-character tags (multi-character constants, MSVC/gcc value 'abcd' = 0x61626364). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned int ULONG;
typedef unsigned long long SIZE_T;

#define TAG_DEVICE 'veDK' /* shows as "KDev" in a little-endian memory dump */
#define TAG_BUFFER 'fuBK'
#define TAG_IRP 'prIK'

typedef struct _POOL_HEADER { ULONG Tag; ULONG Size; struct _POOL_HEADER *Next; } POOL_HEADER;
typedef struct { ULONG Tag; ULONG Allocs; ULONG Frees; SIZE_T Bytes; } TAG_STATS;

static POOL_HEADER *g_Allocated;
static TAG_STATS g_Stats[8];
static int g_StatCount;

static TAG_STATS *stats_for(ULONG tag)
{
    int i;
    for (i = 0; i < g_StatCount; i++)
        if (g_Stats[i].Tag == tag) return &g_Stats[i];
    g_Stats[g_StatCount].Tag = tag;
    return &g_Stats[g_StatCount++];
}

static void *ExAllocatePoolWithTag(SIZE_T size, ULONG tag)
{
    POOL_HEADER *h = (POOL_HEADER *)malloc(sizeof(POOL_HEADER) + size);
    TAG_STATS *st;
    if (!h) return NULL;
    h->Tag = tag;
    h->Size = (ULONG)size;
    h->Next = g_Allocated;
    g_Allocated = h;
    st = stats_for(tag);
    st->Allocs++;
    st->Bytes += size;
    return h + 1;
}

static void ExFreePoolWithTag(void *p, ULONG tag)
{
    POOL_HEADER *h = (POOL_HEADER *)p - 1, **pp = &g_Allocated;
    if (h->Tag != tag) printf("BAD_POOL_CALLER: tag mismatch %08x vs %08x\n", h->Tag, tag);
    while (*pp != h) pp = &(*pp)->Next;
    *pp = h->Next;
    stats_for(h->Tag)->Frees++;
    stats_for(h->Tag)->Bytes -= h->Size;
    free(h);
}

static void tag_text(ULONG tag, char out[5])
{
    memcpy(out, &tag, 4); /* little-endian: the low byte is the first character */
    out[4] = '\0';
}

int main(void)
{
    void *blocks[20];
    ULONG tags[3] = { TAG_DEVICE, TAG_BUFFER, TAG_IRP };
    int i, leaked = 0;
    char text[5];
    printf("'abcd'=%08x TAG_DEVICE=%08x\n", (ULONG)'abcd', (ULONG)TAG_DEVICE);
    for (i = 0; i < 20; i++) blocks[i] = ExAllocatePoolWithTag((SIZE_T)(16 * (i + 1)), tags[i % 3]);
    for (i = 0; i < 20; i += 2) ExFreePoolWithTag(blocks[i], tags[i % 3]);
    ExFreePoolWithTag(blocks[1], TAG_IRP); /* wrong tag on purpose: reported, still freed */
    for (i = 0; i < g_StatCount; i++) {
        tag_text(g_Stats[i].Tag, text);
        printf("tag %s (%08x): allocs=%u frees=%u outstanding bytes=%llu\n", text, g_Stats[i].Tag, g_Stats[i].Allocs, g_Stats[i].Frees, g_Stats[i].Bytes);
    }
    while (g_Allocated) {
        leaked++;
        ExFreePoolWithTag(g_Allocated + 1, g_Allocated->Tag);
    }
    printf("leaked blocks freed at unload=%d\n", leaked);
    return leaked;
}
