/* Per-CPU DPC queues with LIST_ENTRY: importance (high to head), inserted flag, retire in order. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef unsigned char UCHAR;
typedef unsigned char BOOLEAN;
typedef void *PVOID;
typedef unsigned long long ULONG_PTR;
typedef struct _LIST_ENTRY { struct _LIST_ENTRY *Flink, *Blink; } LIST_ENTRY, *PLIST_ENTRY;
#define CONTAINING_RECORD(a, t, f) ((t *)((char *)(a) - (ULONG_PTR)(&((t *)0)->f)))

typedef enum { LowImportance, MediumImportance, HighImportance } KDPC_IMPORTANCE;
struct _KDPC;
typedef void (*PKDEFERRED_ROUTINE)(struct _KDPC *Dpc, PVOID Context, PVOID Arg1, PVOID Arg2);
typedef struct _KDPC {
    UCHAR Importance;
    UCHAR Number;
    LIST_ENTRY DpcListEntry;
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1, SystemArgument2;
    BOOLEAN Inserted;
} KDPC, *PKDPC;

typedef struct { LIST_ENTRY ListHead; ULONG Depth, MaxDepth, Retired; } KDPC_DATA;
static KDPC_DATA g_Cpu[2];

static void InitializeListHead(PLIST_ENTRY h) { h->Flink = h->Blink = h; }
static void InsertTailList(PLIST_ENTRY h, PLIST_ENTRY e) { e->Flink = h; e->Blink = h->Blink; h->Blink->Flink = e; h->Blink = e; }
static void InsertHeadList(PLIST_ENTRY h, PLIST_ENTRY e) { e->Flink = h->Flink; e->Blink = h; h->Flink->Blink = e; h->Flink = e; }
static PLIST_ENTRY RemoveHeadList(PLIST_ENTRY h) { PLIST_ENTRY e = h->Flink; h->Flink = e->Flink; e->Flink->Blink = h; return e; }

static void KeInitializeDpc(PKDPC Dpc, PKDEFERRED_ROUTINE Routine, PVOID Context)
{
    Dpc->Importance = MediumImportance;
    Dpc->Number = 0;
    Dpc->DeferredRoutine = Routine;
    Dpc->DeferredContext = Context;
    Dpc->Inserted = 0;
}

static BOOLEAN KeInsertQueueDpc(PKDPC Dpc, PVOID A1, PVOID A2)
{
    KDPC_DATA *q = &g_Cpu[Dpc->Number];
    if (Dpc->Inserted) return 0;
    Dpc->Inserted = 1;
    Dpc->SystemArgument1 = A1;
    Dpc->SystemArgument2 = A2;
    if (Dpc->Importance == HighImportance) InsertHeadList(&q->ListHead, &Dpc->DpcListEntry);
    else InsertTailList(&q->ListHead, &Dpc->DpcListEntry);
    if (++q->Depth > q->MaxDepth) q->MaxDepth = q->Depth;
    return 1;
}

static void KiRetireDpcList(int cpu)
{
    KDPC_DATA *q = &g_Cpu[cpu];
    while (q->ListHead.Flink != &q->ListHead) {
        PKDPC dpc = CONTAINING_RECORD(RemoveHeadList(&q->ListHead), KDPC, DpcListEntry);
        q->Depth--;
        dpc->Inserted = 0;
        q->Retired++;
        dpc->DeferredRoutine(dpc, dpc->DeferredContext, dpc->SystemArgument1, dpc->SystemArgument2);
    }
}

typedef struct { const char *Name; int Runs; int LastArg; } DEVICE;

static void DeviceDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    DEVICE *dev = (DEVICE *)Context;
    dev->Runs++;
    dev->LastArg = *(int *)Arg1;
    printf("  cpu%u %s dpc run %d arg=%d%s\n", (unsigned)Dpc->Number, dev->Name, dev->Runs, dev->LastArg, Arg2 ? " (flag)" : "");
}

int main(void)
{
    DEVICE devs[4] = { { "disk", 0, 0 }, { "net", 0, 0 }, { "usb", 0, 0 }, { "timer", 0, 0 } };
    KDPC dpcs[4];
    int args[8] = { 10, 20, 30, 40, 50, 60, 70, 80 };
    int i, round, inserted = 0, refused = 0;
    for (i = 0; i < 2; i++) InitializeListHead(&g_Cpu[i].ListHead);
    for (i = 0; i < 4; i++) {
        KeInitializeDpc(&dpcs[i], DeviceDpc, &devs[i]);
        dpcs[i].Number = (UCHAR)(i % 2);
    }
    dpcs[3].Importance = HighImportance;
    for (round = 0; round < 3; round++) {
        printf("round %d\n", round);
        for (i = 0; i < 8; i++) {
            if (KeInsertQueueDpc(&dpcs[(i + round) % 4], &args[i], (i % 3 == 0) ? &args[0] : NULL)) inserted++;
            else refused++;
        }
        KiRetireDpcList(0);
        KiRetireDpcList(1);
    }
    printf("inserted=%d refused=%d retired=%u/%u maxdepth=%u/%u\n", inserted, refused, g_Cpu[0].Retired, g_Cpu[1].Retired, g_Cpu[0].MaxDepth, g_Cpu[1].MaxDepth);
    return inserted * 2 + refused;
}
