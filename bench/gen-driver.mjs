// Deterministic generator of a large driver-like C translation unit for the front-end benchmark
// (bench/frontend.mjs). Two files:
//   driver_like.h — a self-contained WDK-style header (typedefs, structs with bit-fields and
//                   unions, enums, prototypes, macros, inline list helpers);
//   driver.c      — `units` copies of a driver "unit" (structs, unions, enums, variadic logging
//                   and CONTAINING_RECORD macros, designated initializers, an ISR, a DPC and
//                   functions with loops, switches and pointer arithmetic), each varied by index.
// Everything is plain C11 with anonymous unions, valid for gcc (-std=gnu11 -fms-extensions)
// and for kdsim; it uses no `long` (LP64 and LLP64 differ) and includes no system header.

/** Small deterministic PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = `#ifndef DRIVER_LIKE_H
#define DRIVER_LIKE_H
/* driver_like.h: a self-contained WDK-style header for the front-end benchmark (generated). */

typedef void VOID;
typedef void *PVOID;
typedef char CHAR;
typedef CHAR *PCHAR;
typedef const CHAR *PCSTR;
typedef unsigned char UCHAR;
typedef UCHAR *PUCHAR;
typedef unsigned char BOOLEAN;
typedef BOOLEAN *PBOOLEAN;
typedef short SHORT;
typedef unsigned short USHORT;
typedef USHORT *PUSHORT;
typedef unsigned short WCHAR;
typedef WCHAR *PWCHAR;
typedef int LONG;
typedef LONG *PLONG;
typedef unsigned int ULONG;
typedef ULONG *PULONG;
typedef long long LONGLONG;
typedef unsigned long long ULONGLONG;
typedef long long LONG_PTR;
typedef unsigned long long ULONG_PTR;
typedef ULONG_PTR SIZE_T;
typedef ULONG_PTR KSPIN_LOCK;
typedef KSPIN_LOCK *PKSPIN_LOCK;
typedef ULONG_PTR KAFFINITY;
typedef int NTSTATUS;
typedef UCHAR KIRQL;
typedef KIRQL *PKIRQL;

#define TRUE 1
#define FALSE 0
#define NULL ((void *)0)
#define STATUS_SUCCESS ((NTSTATUS)0x00000000)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009A)
#define STATUS_PENDING ((NTSTATUS)0x00000103)
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define PASSIVE_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define HIGH_LEVEL 15
#define DPFLTR_IHVDRIVER_ID 77
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
#define FIELD_OFFSET(type, field) ((LONG)(LONG_PTR)&(((type *)0)->field))
#define CONTAINING_RECORD(address, type, field) \\
    ((type *)((PUCHAR)(address) - (ULONG_PTR)(&((type *)0)->field)))
#define ARRAYSIZE(A) (sizeof(A) / sizeof((A)[0]))
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define MAX_OF(a, b) (((a) > (b)) ? (a) : (b))
#define MIN_OF(a, b) (((a) < (b)) ? (a) : (b))
#define FLAG_ON(F, SF) ((((F) & (SF))) != 0)
#define SET_FLAG(F, SF) ((F) |= (SF))
#define CLEAR_FLAG(F, SF) ((F) &= ~(SF))
#define ALIGN_UP_BY(length, alignment) (((ULONG_PTR)(length) + (alignment) - 1) & ~((ULONG_PTR)(alignment) - 1))
#define KdPrintEx(_x_) DbgPrintEx _x_
#define TRACE(Level, Format, ...) DbgPrintEx(DPFLTR_IHVDRIVER_ID, (Level), "drv: " Format "\\n", __VA_ARGS__)

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
typedef LARGE_INTEGER PHYSICAL_ADDRESS;

typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWCHAR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;

struct _KDPC;
typedef void KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

typedef struct _KDPC {
    union {
        ULONG TargetInfoAsUlong;
        struct {
            UCHAR Type;
            UCHAR Importance;
            volatile USHORT Number;
        };
    };
    SINGLE_LIST_ENTRY DpcListEntry;
    KAFFINITY ProcessorHistory;
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    volatile PVOID DpcData;
} KDPC, *PKDPC;

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

typedef struct _KINTERRUPT *PKINTERRUPT;
typedef BOOLEAN KSERVICE_ROUTINE(PKINTERRUPT Interrupt, PVOID ServiceContext);
typedef KSERVICE_ROUTINE *PKSERVICE_ROUTINE;

ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
ULONG DbgPrint(PCSTR Format, ...);
void KeInitializeDpc(PKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
BOOLEAN KeInsertQueueDpc(PKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2);
void KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql);
void KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
void KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
void KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);
KIRQL KeGetCurrentIrql(void);
void KeStallExecutionProcessor(ULONG MicroSeconds);
PVOID ExAllocatePoolWithTag(int PoolType, SIZE_T NumberOfBytes, ULONG Tag);
void ExFreePoolWithTag(PVOID P, ULONG Tag);
ULONG READ_REGISTER_ULONG(volatile ULONG *Register);
void WRITE_REGISTER_ULONG(volatile ULONG *Register, ULONG Value);
UCHAR READ_PORT_UCHAR(PUCHAR Port);
void WRITE_PORT_UCHAR(PUCHAR Port, UCHAR Value);

static inline void InitializeListHead(PLIST_ENTRY ListHead)
{
    ListHead->Flink = ListHead->Blink = ListHead;
}

static inline BOOLEAN IsListEmpty(const LIST_ENTRY *ListHead)
{
    return (BOOLEAN)(ListHead->Flink == ListHead);
}

static inline BOOLEAN RemoveEntryList(PLIST_ENTRY Entry)
{
    PLIST_ENTRY Blink = Entry->Blink;
    PLIST_ENTRY Flink = Entry->Flink;
    Blink->Flink = Flink;
    Flink->Blink = Blink;
    return (BOOLEAN)(Flink == Blink);
}

static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY ListHead)
{
    PLIST_ENTRY Entry = ListHead->Flink;
    PLIST_ENTRY Flink = Entry->Flink;
    ListHead->Flink = Flink;
    Flink->Blink = ListHead;
    return Entry;
}

static inline void InsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
    PLIST_ENTRY Blink = ListHead->Blink;
    Entry->Flink = ListHead;
    Entry->Blink = Blink;
    Blink->Flink = Entry;
    ListHead->Blink = Entry;
}

static inline void InsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
    PLIST_ENTRY Flink = ListHead->Flink;
    Entry->Flink = Flink;
    Entry->Blink = ListHead;
    Flink->Blink = Entry;
    ListHead->Flink = Entry;
}

static inline void PushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY Entry)
{
    Entry->Next = ListHead->Next;
    ListHead->Next = Entry;
}

static inline PSINGLE_LIST_ENTRY PopEntryList(PSINGLE_LIST_ENTRY ListHead)
{
    PSINGLE_LIST_ENTRY FirstEntry = ListHead->Next;
    if (FirstEntry != NULL) ListHead->Next = FirstEntry->Next;
    return FirstEntry;
}
`;

/** One block of the header: a hardware register file, its enum, prototypes and accessors. */
function headerBlock(i, rnd) {
  const nregs = 4 + Math.floor(rnd() * 6);
  const regs = [];
  for (let r = 0; r < nregs; r++) regs.push(`    volatile ULONG Reg${r};`);
  const w1 = 1 + Math.floor(rnd() * 7);
  const w2 = 1 + Math.floor(rnd() * 8);
  return `
/* ---- hardware block ${i} ---- */
typedef union _HW${i}_STATUS {
    struct {
        ULONG Busy : 1;
        ULONG Error : 1;
        ULONG Code : ${w1};
        ULONG Channel : ${w2};
        ULONG Reserved : ${32 - 2 - w1 - w2};
    };
    ULONG AsUlong;
} HW${i}_STATUS, *PHW${i}_STATUS;

typedef struct _HW${i}_REGISTERS {
${regs.join('\n')}
    HW${i}_STATUS Status;
    union {
        ULONG Doorbell;
        struct { USHORT DoorbellLow; USHORT DoorbellHigh; };
    };
    UCHAR Pad[${4 + (i % 5) * 4}];
} HW${i}_REGISTERS, *PHW${i}_REGISTERS;

typedef enum _HW${i}_COMMAND {
    Hw${i}CmdNop = 0,
    Hw${i}CmdReset = 0x${(16 + i).toString(16)},
    Hw${i}CmdStart,
    Hw${i}CmdStop,
    Hw${i}CmdMax
} HW${i}_COMMAND;

#define HW${i}_READ(Regs, Field) READ_REGISTER_ULONG(&((PHW${i}_REGISTERS)(Regs))->Field)
#define HW${i}_WRITE(Regs, Field, Value) WRITE_REGISTER_ULONG(&((PHW${i}_REGISTERS)(Regs))->Field, (ULONG)(Value))
#define HW${i}_STATUS_OFFSET FIELD_OFFSET(HW${i}_REGISTERS, Status)

NTSTATUS Hw${i}Initialize(PHW${i}_REGISTERS Registers, ULONG Flags);
NTSTATUS Hw${i}Command(PHW${i}_REGISTERS Registers, HW${i}_COMMAND Command, PULONG Result);
BOOLEAN Hw${i}Interrupt(PKINTERRUPT Interrupt, PVOID ServiceContext);
void Hw${i}Shutdown(PHW${i}_REGISTERS Registers);
`;
}

/** The header: the fixed WDK-like base plus `blocks` generated hardware blocks. */
export function generateHeader(blocks = 120) {
  const rnd = prng(12345);
  const parts = [BASE];
  for (let i = 0; i < blocks; i++) parts.push(headerBlock(i, rnd));
  parts.push('\n#endif /* DRIVER_LIKE_H */\n');
  return parts.join('');
}

/** One driver unit (~90 lines) using everything a driver source file typically does. */
function unit(u, rnd) {
  const hw = u % 120;
  const n = 4 + Math.floor(rnd() * 12);
  const shift = 1 + Math.floor(rnd() * 7);
  const mask = (0xff ^ (u & 0x7f)).toString(16);
  return `
/* ======== unit ${u} ======== */
typedef enum _U${u}_STATE { U${u}Idle, U${u}Running = ${4 + (u % 9)}, U${u}Draining, U${u}Stopped } U${u}_STATE;

typedef union _U${u}_CTRL {
    struct {
        ULONG Enable : 1;
        ULONG Mode : 3;
        ULONG Priority : ${2 + (u % 4)};
        ULONG Count : 16;
    };
    ULONG AsUlong;
} U${u}_CTRL;

typedef struct _U${u}_PACKET {
    ULONG Id;
    USHORT Length;
    UCHAR Flags : 4, Kind : 4;
    LIST_ENTRY Link;
    union {
        ULONG Raw[${n}];
        struct { USHORT Lo, Hi; } Parts;
        LARGE_INTEGER Stamp;
    } Data;
} U${u}_PACKET, *PU${u}_PACKET;

typedef struct _U${u}_EXTENSION {
    LIST_ENTRY PendingList;
    KSPIN_LOCK Lock;
    KDPC Dpc;
    U${u}_CTRL Ctrl;
    U${u}_STATE State;
    PHW${hw}_REGISTERS Registers;
    PUCHAR Buffer;
    SIZE_T BufferLength;
    ULONG Statistics[${n}];
    IO_STATUS_BLOCK LastStatus;
    struct _U${u}_EXTENSION *Next;
} U${u}_EXTENSION, *PU${u}_EXTENSION;

#define U${u}_LOG(Level, Format, ...) TRACE((Level), "u${u}: " Format, __VA_ARGS__)
#define U${u}_PACKET_FROM_LINK(Entry) CONTAINING_RECORD((Entry), U${u}_PACKET, Link)
#define U${u}_CHECKSUM(Value, Shift) ((((Value) << (Shift)) | ((Value) >> (32 - (Shift)))) ^ 0x${mask})

static const ULONG U${u}Weights[8] = { [0] = 1, [2] = ${u & 0xff}, [5] = 0x${(u * 7 + 3).toString(16)}, [7] = 9 };
static U${u}_EXTENSION U${u}Template = {
    .Ctrl = { .AsUlong = 0x${(u * 13).toString(16)} },
    .State = U${u}Idle,
    .BufferLength = sizeof(U${u}_PACKET) * ${n},
    .Statistics = { [1] = ${u}, [${n - 1}] = 1 },
};

static inline ULONG U${u}PacketWeight(const U${u}_PACKET *Packet)
{
    return Packet->Data.Parts.Lo + U${u}Weights[Packet->Kind & 7] * (ULONG)Packet->Length;
}

ULONG U${u}Checksum(const UCHAR *Data, SIZE_T Length)
{
    ULONG sum = ${u};
    const UCHAR *p = Data;
    const UCHAR *end = Data + Length;
    while (p < end) {
        sum = U${u}_CHECKSUM(sum, ${shift}) + *p++;
        if (((ULONG_PTR)p & 0xF) == 0) sum ^= (ULONG)(end - p);
    }
    return sum;
}

NTSTATUS U${u}Process(PU${u}_EXTENSION Ext, PUCHAR Buffer, ULONG Length)
{
    ULONG i, total = 0;
    PLIST_ENTRY entry;
    KIRQL oldIrql;
    if (Ext == NULL || Buffer == NULL) return STATUS_INVALID_PARAMETER;
    KeAcquireSpinLock(&Ext->Lock, &oldIrql);
    for (entry = Ext->PendingList.Flink; entry != &Ext->PendingList; entry = entry->Flink) {
        PU${u}_PACKET packet = U${u}_PACKET_FROM_LINK(entry);
        total += U${u}PacketWeight(packet);
        if (packet->Flags & 1) continue;
        packet->Data.Raw[packet->Id % ${n}] += total;
    }
    KeReleaseSpinLock(&Ext->Lock, oldIrql);
    for (i = 0; i < Length; i++) {
        Buffer[i] = (UCHAR)(Buffer[i] ^ (total >> (i & 7)));
        Ext->Statistics[i % ARRAYSIZE(Ext->Statistics)]++;
    }
    switch (Ext->State) {
    case U${u}Idle:
        Ext->State = U${u}Running;
        Ext->Ctrl.Enable = 1;
        break;
    case U${u}Running:
        Ext->Ctrl.Mode = (total >> ${shift}) & 7;
        if (Ext->Ctrl.Count++ > ${100 + u}) Ext->State = U${u}Draining;
        break;
    case U${u}Draining:
    case U${u}Stopped:
        return STATUS_UNSUCCESSFUL;
    default:
        break;
    }
    HW${hw}_WRITE(Ext->Registers, Doorbell, total);
    U${u}_LOG(DPFLTR_TRACE_LEVEL, "processed %u bytes, total %u, mode %u", Length, total, (ULONG)Ext->Ctrl.Mode);
    Ext->LastStatus.Status = STATUS_SUCCESS;
    Ext->LastStatus.Information = Length;
    return NT_SUCCESS(Ext->LastStatus.Status) ? STATUS_SUCCESS : STATUS_PENDING;
}

BOOLEAN U${u}Isr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PU${u}_EXTENSION ext = (PU${u}_EXTENSION)ServiceContext;
    HW${hw}_STATUS status;
    UNREFERENCED_PARAMETER(Interrupt);
    status.AsUlong = HW${hw}_READ(ext->Registers, Status.AsUlong);
    if (!status.Busy && !status.Error) return FALSE;
    KeInsertQueueDpc(&ext->Dpc, (PVOID)(ULONG_PTR)status.AsUlong, NULL);
    return TRUE;
}

void U${u}Dpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PU${u}_EXTENSION ext = (PU${u}_EXTENSION)DeferredContext;
    ULONG code = (ULONG)(ULONG_PTR)SystemArgument1;
    int retries = ${1 + (u % 5)};
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&ext->Lock);
    do {
        if (!IsListEmpty(&ext->PendingList)) {
            PLIST_ENTRY e = RemoveHeadList(&ext->PendingList);
            PU${u}_PACKET p = U${u}_PACKET_FROM_LINK(e);
            ext->Statistics[0] += p->Length + (code & 0x${mask});
        }
    } while (--retries > 0);
    KeReleaseSpinLockFromDpcLevel(&ext->Lock);
}
`;
}

/** The driver source: `#include "driver_like.h"` then `units` units. */
export function generateDriver(units) {
  const rnd = prng(777);
  const parts = ['/* driver.c: generated driver-like source for the kdsim front-end benchmark. */\n#include "driver_like.h"\n'];
  for (let u = 0; u < units; u++) parts.push(unit(u, rnd));
  return parts.join('');
}

export function countLines(text) {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
