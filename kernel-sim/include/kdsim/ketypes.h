/*
 * kdsim/ketypes.h - kernel (Ke) types: IRQL, spin locks, DPC, dispatcher objects, timers,
 * device queues, APC, interrupt objects. Part of wdm.h; include <wdm.h>, not this file.
 *
 * Layouts are those of Windows 10 x64 where KERNEL_MODEL.md gives them (KDPC section 2.1,
 * KINTERRUPT section 3.3), otherwise the WDK's x64 layout. The simulator keeps these
 * objects in simulated memory and reads them through offsets taken from this file
 * (ARCHITECTURE.md decision 2), so every layout is checked with _Static_assert below.
 */
#pragma once
#ifndef _KDSIM_KETYPES_H_
#define _KDSIM_KETYPES_H_

/* ---- IRQL (x64; KERNEL_MODEL section 1.1) ------------------------------------------- */

#define PASSIVE_LEVEL   0       /* threads: DriverEntry, AddDevice, most dispatch routines */
#define LOW_LEVEL       0
#define APC_LEVEL       1
#define DISPATCH_LEVEL  2       /* DPCs, StartIo, spin-lock holders, the idle thread */
#define CMCI_LEVEL      5       /* corrected machine check interrupt */
#define CLOCK_LEVEL     13
#define IPI_LEVEL       14
#define DRS_LEVEL       14
#define POWER_LEVEL     14
#define PROFILE_LEVEL   15
#define HIGH_LEVEL      15
#define SYNCH_LEVEL     (IPI_LEVEL - 2) /* 12 on MP x64 */
/* Device IRQLs (DIRQL) are 3..12 on x64: IRQL = interrupt vector >> 4. */

typedef enum _MODE {
    KernelMode,
    UserMode,
    MaximumMode
} MODE;

/* Opaque kernel objects drivers only hold pointers to. */
typedef struct _KTHREAD *PKTHREAD, *PRKTHREAD;
typedef struct _KPROCESS *PKPROCESS, *PRKPROCESS;
typedef struct _ETHREAD *PETHREAD;
typedef struct _EPROCESS *PEPROCESS;
typedef struct _KTRAP_FRAME *PKTRAP_FRAME;

/* ---- Spin locks (KERNEL_MODEL section 4) -------------------------------------------- */

typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;     /* 0 = free */

typedef struct _KSPIN_LOCK_QUEUE {
    struct _KSPIN_LOCK_QUEUE * volatile Next;
    PKSPIN_LOCK volatile Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;

/* In-stack queued spin lock handle: lives on the acquiring caller's stack. */
typedef struct _KLOCK_QUEUE_HANDLE {
    KSPIN_LOCK_QUEUE LockQueue;
    KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

/* ---- DPC (KERNEL_MODEL section 2) ---------------------------------------------------- */

typedef enum _KDPC_IMPORTANCE {
    LowImportance,              /* 0 */
    MediumImportance,           /* 1, the default */
    HighImportance,             /* 2: queued at the head */
    MediumHighImportance        /* 3: note the numeric order */
} KDPC_IMPORTANCE;

struct _KDPC;

/* CustomDpc / CustomTimerDpc / CustomThreadedDpc; called at DISPATCH_LEVEL by the DPC
   retire loop as DeferredRoutine(Dpc, DeferredContext, SystemArgument1, SystemArgument2). */
_Function_class_(KDEFERRED_ROUTINE)
_IRQL_requires_max_(DISPATCH_LEVEL)
_IRQL_requires_min_(DISPATCH_LEVEL)
_IRQL_requires_(DISPATCH_LEVEL)
_IRQL_requires_same_
typedef VOID KDEFERRED_ROUTINE(
    _In_ struct _KDPC *Dpc,
    _In_opt_ PVOID DeferredContext,
    _In_opt_ PVOID SystemArgument1,
    _In_opt_ PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

/*
 * Windows 10 x64 layout (KERNEL_MODEL section 2.1), which is also the current WDK's:
 * Win 8.1+ links queued DPCs with a SINGLE_LIST_ENTRY and added ProcessorHistory; the size
 * stays 0x40. DpcData != NULL <=> the DPC is queued (the "already queued" test of
 * KeInsertQueueDpc). Drivers must treat the contents as opaque.
 */
typedef struct _KDPC {
    union {
        ULONG TargetInfoAsUlong;
        struct {
            UCHAR Type;                 /* DpcObject (19) or ThreadedDpcObject */
            UCHAR Importance;           /* KDPC_IMPORTANCE */
            volatile USHORT Number;     /* target processor encoding; 0 = current CPU */
        };
    };
    SINGLE_LIST_ENTRY DpcListEntry;     /* link in the per-CPU queue */
    KAFFINITY ProcessorHistory;
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    volatile PVOID DpcData;             /* the KDPC_DATA it is queued in, or NULL */
} KDPC, *PKDPC, *PRKDPC;

_Static_assert(sizeof(KDPC) == 0x40, "KDPC size (KERNEL_MODEL 2.1)");
_Static_assert(FIELD_OFFSET(KDPC, Importance) == 0x01, "KDPC.Importance");
_Static_assert(FIELD_OFFSET(KDPC, Number) == 0x02, "KDPC.Number");
_Static_assert(FIELD_OFFSET(KDPC, DpcListEntry) == 0x08, "KDPC.DpcListEntry");
_Static_assert(FIELD_OFFSET(KDPC, ProcessorHistory) == 0x10, "KDPC.ProcessorHistory");
_Static_assert(FIELD_OFFSET(KDPC, DeferredRoutine) == 0x18, "KDPC.DeferredRoutine");
_Static_assert(FIELD_OFFSET(KDPC, DeferredContext) == 0x20, "KDPC.DeferredContext");
_Static_assert(FIELD_OFFSET(KDPC, SystemArgument1) == 0x28, "KDPC.SystemArgument1");
_Static_assert(FIELD_OFFSET(KDPC, SystemArgument2) == 0x30, "KDPC.SystemArgument2");
_Static_assert(FIELD_OFFSET(KDPC, DpcData) == 0x38, "KDPC.DpcData");

/* Filled by KeQueryDpcWatchdogInformation; limits of 0 mean "watchdog disabled". */
typedef struct _KDPC_WATCHDOG_INFORMATION {
    ULONG DpcTimeLimit;
    ULONG DpcTimeCount;
    ULONG DpcWatchdogLimit;
    ULONG DpcWatchdogCount;
    ULONG Reserved;
} KDPC_WATCHDOG_INFORMATION, *PKDPC_WATCHDOG_INFORMATION;

_Static_assert(sizeof(KDPC_WATCHDOG_INFORMATION) == 0x14, "KDPC_WATCHDOG_INFORMATION");

/* ---- Dispatcher objects ---------------------------------------------------------------- */

/*
 * Common header of every waitable object (0x18 bytes on x64). The first 4 bytes are
 * Type/flags/Size (or a lock word); SignalState > 0 means signaled; WaitListHead links
 * the KWAIT_BLOCKs of waiting threads. The WDK's union has more members (timer, thread and
 * mutant flag bytes); this form keeps the ones with a meaning for the simulator.
 */
typedef struct _DISPATCHER_HEADER {
    union {
        struct {
            UCHAR Type;
            union {
                UCHAR TimerControlFlags;
                UCHAR Abandoned;
                UCHAR Signalling;
            };
            union {
                UCHAR ThreadControlFlags;
                UCHAR Hand;
                UCHAR Size;             /* object size in ULONGs */
            };
            union {
                UCHAR TimerMiscFlags;
                UCHAR DebugActive;
                UCHAR DpcActive;
            };
        };
        volatile LONG Lock;
        LONG LockNV;
    };
    LONG SignalState;
    LIST_ENTRY WaitListHead;
} DISPATCHER_HEADER, *PDISPATCHER_HEADER;

typedef struct _KEVENT {
    DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT, *PRKEVENT;

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header;
    LONG Limit;
} KSEMAPHORE, *PKSEMAPHORE, *PRKSEMAPHORE;

/* DueTime is absolute interrupt time (100 ns units); Period in milliseconds, 0 = one-shot. */
typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULARGE_INTEGER DueTime;
    LIST_ENTRY TimerListEntry;
    struct _KDPC *Dpc;
    ULONG Processor;
    ULONG Period;
} KTIMER, *PKTIMER, *PRKTIMER;

#define THREAD_WAIT_OBJECTS   3     /* KeWaitForMultipleObjects without a wait-block array */
#define MAXIMUM_WAIT_OBJECTS  64

typedef struct _KWAIT_BLOCK {
    LIST_ENTRY WaitListEntry;
    UCHAR WaitType;
    volatile UCHAR BlockState;
    USHORT WaitKey;
    LONG SpareLong;
    union {
        struct _KTHREAD *Thread;
        struct _KQUEUE *NotificationQueue;
        struct _KDPC *Dpc;
    };
    PVOID Object;
    PVOID SparePtr;
} KWAIT_BLOCK, *PKWAIT_BLOCK, *PRKWAIT_BLOCK;

typedef enum _KWAIT_REASON {
    Executive,
    FreePage,
    PageIn,
    PoolAllocation,
    DelayExecution,
    Suspended,
    UserRequest,
    WrExecutive,
    WrFreePage,
    WrPageIn,
    WrPoolAllocation,
    WrDelayExecution,
    WrSuspended,
    WrUserRequest,
    WrSpare0,
    WrQueue,
    WrLpcReceive,
    WrLpcReply,
    WrVirtualMemory,
    WrPageOut,
    WrRendezvous,
    WrKeyedEvent,
    WrTerminated,
    WrProcessInSwap,
    WrCpuRateControl,
    WrCalloutStack,
    WrKernel,
    WrResource,
    WrPushLock,
    WrMutex,
    WrQuantumEnd,
    WrDispatchInt,
    WrPreempted,
    WrYieldExecution,
    WrFastMutex,
    WrGuardedMutex,
    WrRundown,
    WrAlertByThreadId,
    WrDeferredPreempt
} KWAIT_REASON;

_Static_assert(sizeof(DISPATCHER_HEADER) == 0x18, "DISPATCHER_HEADER");
_Static_assert(FIELD_OFFSET(DISPATCHER_HEADER, SignalState) == 0x04, "SignalState");
_Static_assert(FIELD_OFFSET(DISPATCHER_HEADER, WaitListHead) == 0x08, "WaitListHead");
_Static_assert(sizeof(KEVENT) == 0x18, "KEVENT");
_Static_assert(sizeof(KSEMAPHORE) == 0x20, "KSEMAPHORE");
_Static_assert(sizeof(KTIMER) == 0x40, "KTIMER");
_Static_assert(FIELD_OFFSET(KTIMER, DueTime) == 0x18 && FIELD_OFFSET(KTIMER, Dpc) == 0x30 &&
               FIELD_OFFSET(KTIMER, Period) == 0x3C, "KTIMER fields");
_Static_assert(sizeof(KWAIT_BLOCK) == 0x30, "KWAIT_BLOCK");

/* ---- Device queue (DEVICE_OBJECT.DeviceQueue; IoStartPacket / IoStartNextPacket) ------- */

typedef struct _KDEVICE_QUEUE_ENTRY {
    LIST_ENTRY DeviceListEntry;
    ULONG SortKey;
    BOOLEAN Inserted;
} KDEVICE_QUEUE_ENTRY, *PKDEVICE_QUEUE_ENTRY, *PRKDEVICE_QUEUE_ENTRY;

typedef struct _KDEVICE_QUEUE {
    CSHORT Type;
    CSHORT Size;
    LIST_ENTRY DeviceListHead;
    KSPIN_LOCK Lock;
    union {                             /* x64 form */
        BOOLEAN Busy;                   /* TRUE while the device is processing a packet */
        struct {
            LONG64 Reserved : 8;
            LONG64 Hint : 56;
        };
    };
} KDEVICE_QUEUE, *PKDEVICE_QUEUE, *PRKDEVICE_QUEUE;

_Static_assert(sizeof(KDEVICE_QUEUE_ENTRY) == 0x18, "KDEVICE_QUEUE_ENTRY");
_Static_assert(sizeof(KDEVICE_QUEUE) == 0x28 && FIELD_OFFSET(KDEVICE_QUEUE, Busy) == 0x20,
               "KDEVICE_QUEUE");

/* ---- APC (only embedded: IRP.Tail.Apc) --------------------------------------------------- */

typedef struct _KAPC {
    UCHAR Type;
    UCHAR SpareByte0;
    UCHAR Size;
    UCHAR SpareByte1;
    ULONG SpareLong0;
    struct _KTHREAD *Thread;
    LIST_ENTRY ApcListEntry;
    PVOID Reserved[3];                  /* KernelRoutine, RundownRoutine, NormalRoutine */
    PVOID NormalContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    CCHAR ApcStateIndex;
    KPROCESSOR_MODE ApcMode;
    BOOLEAN Inserted;
} KAPC, *PKAPC, *PRKAPC;

_Static_assert(sizeof(KAPC) == 0x58, "KAPC");

/* ---- Interrupts (KERNEL_MODEL section 3) ------------------------------------------------- */

typedef enum _KINTERRUPT_MODE {
    LevelSensitive,             /* 0: level-triggered (line-based PCI) */
    Latched                     /* 1: edge-triggered (ISA, MSI) */
} KINTERRUPT_MODE;

typedef enum _KINTERRUPT_POLARITY {
    InterruptPolarityUnknown,
    InterruptActiveHigh,
    InterruptRisingEdge = InterruptActiveHigh,
    InterruptActiveLow,
    InterruptFallingEdge = InterruptActiveLow,
    InterruptActiveBoth,
    InterruptActiveBothTriggerLow = InterruptActiveBoth,
    InterruptActiveBothTriggerHigh
} KINTERRUPT_POLARITY, *PKINTERRUPT_POLARITY;

/* Opaque to drivers, as in the WDK: the layout is KDSIM_KINTERRUPT below. */
typedef struct _KINTERRUPT *PKINTERRUPT, *PRKINTERRUPT;

/* ISR. The WDK writes HIGH_LEVEL as static analysis's stand-in for "some DIRQL"; the
   simulator calls the ISR at its interrupt object's SynchronizeIrql with the interrupt
   spin lock held (KERNEL_MODEL section 3.5). */
_Function_class_(KSERVICE_ROUTINE)
_IRQL_requires_(HIGH_LEVEL)
_IRQL_requires_same_
typedef BOOLEAN KSERVICE_ROUTINE(
    _In_ struct _KINTERRUPT *Interrupt,
    _In_opt_ PVOID ServiceContext);
typedef KSERVICE_ROUTINE *PKSERVICE_ROUTINE;

_Function_class_(KMESSAGE_SERVICE_ROUTINE)
_IRQL_requires_same_
typedef BOOLEAN KMESSAGE_SERVICE_ROUTINE(
    _In_ struct _KINTERRUPT *Interrupt,
    _In_ PVOID ServiceContext,
    _In_ ULONG MessageID);
typedef KMESSAGE_SERVICE_ROUTINE *PKMESSAGE_SERVICE_ROUTINE;

/* SynchCritSection routine passed to KeSynchronizeExecution: runs at SynchronizeIrql with
   the interrupt spin lock held. */
_Function_class_(KSYNCHRONIZE_ROUTINE)
_IRQL_requires_same_
typedef BOOLEAN KSYNCHRONIZE_ROUTINE(
    _In_opt_ PVOID SynchronizeContext);
typedef KSYNCHRONIZE_ROUTINE *PKSYNCHRONIZE_ROUTINE;

/* System thread entry (PsCreateSystemThread). */
_Function_class_(KSTART_ROUTINE)
_IRQL_requires_same_
typedef VOID KSTART_ROUTINE(
    _In_ PVOID StartContext);
typedef KSTART_ROUTINE *PKSTART_ROUTINE;

/*
 * kdsim's view of the interrupt object: Windows 10 x64 layout, 0x120 bytes
 * (KERNEL_MODEL section 3.3, from Microsoft public symbols). PKINTERRUPT values handed to
 * drivers point at one of these in simulated memory; the struct has its own tag so that
 * driver code still cannot dereference a PKINTERRUPT (it is opaque in the WDK), while the
 * simulator and the debugger (`dt nt!_KINTERRUPT`) read the fields by these offsets.
 * Kept current as ISRs run: ServiceCount, IsrDpcStats.IsrCount and IsrDpcStats.IsrActive
 * (times are not: Windows counts them in units kdsim does not model).
 */
typedef struct _KDSIM_ISRDPCSTATS_SEQUENCE {
    ULONG SequenceNumber;
    ULONG64 IsrTime;
    ULONG64 IsrCount;
    ULONG64 DpcTime;
    ULONG64 DpcCount;
} KDSIM_ISRDPCSTATS_SEQUENCE;

typedef struct _KDSIM_ISRDPCSTATS {
    ULONG64 IsrTime;
    ULONG64 IsrTimeStart;
    ULONG64 IsrCount;
    ULONG64 DpcTime;
    ULONG64 DpcTimeStart;
    ULONG64 DpcCount;
    BOOLEAN IsrActive;
    UCHAR Reserved[7];
    KDSIM_ISRDPCSTATS_SEQUENCE DpcWatchdog;
} KDSIM_ISRDPCSTATS;

typedef struct _KDSIM_KINTERRUPT {
    CSHORT Type;                        /* InterruptObject (22) */
    CSHORT Size;
    LIST_ENTRY InterruptListEntry;      /* chain of objects sharing the vector */
    PKSERVICE_ROUTINE ServiceRoutine;
    PKMESSAGE_SERVICE_ROUTINE MessageServiceRoutine;
    ULONG MessageIndex;
    PVOID ServiceContext;
    KSPIN_LOCK SpinLock;                /* built-in lock, used when none was supplied */
    ULONG TickCount;
    PKSPIN_LOCK ActualLock;             /* the lock really taken around the ISR */
    PVOID DispatchAddress;
    ULONG Vector;
    KIRQL Irql;
    KIRQL SynchronizeIrql;
    BOOLEAN FloatingSave;
    BOOLEAN Connected;
    ULONG Number;                       /* processor */
    BOOLEAN ShareVector;
    UCHAR EmulateActiveBoth;
    USHORT ActiveCount;
    LONG InternalState;
    KINTERRUPT_MODE Mode;
    KINTERRUPT_POLARITY Polarity;
    ULONG ServiceCount;
    ULONG DispatchCount;
    PKEVENT PassiveEvent;
    PKTRAP_FRAME TrapFrame;
    PVOID DisconnectData;
    PKTHREAD volatile ServiceThread;
    PVOID ConnectionData;
    PVOID IntTrackEntry;
    KDSIM_ISRDPCSTATS IsrDpcStats;
    PVOID RedirectObject;
    PVOID PhysicalDeviceObject;
} KDSIM_KINTERRUPT, *PKDSIM_KINTERRUPT;

_Static_assert(sizeof(KDSIM_ISRDPCSTATS) == 0x60, "ISRDPCSTATS");
_Static_assert(sizeof(KDSIM_KINTERRUPT) == 0x120, "KINTERRUPT size (KERNEL_MODEL 3.3)");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, InterruptListEntry) == 0x08, "KINTERRUPT.InterruptListEntry");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, ServiceRoutine) == 0x18, "KINTERRUPT.ServiceRoutine");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, MessageServiceRoutine) == 0x20, "KINTERRUPT.MessageServiceRoutine");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, MessageIndex) == 0x28, "KINTERRUPT.MessageIndex");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, ServiceContext) == 0x30, "KINTERRUPT.ServiceContext");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, SpinLock) == 0x38, "KINTERRUPT.SpinLock");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, TickCount) == 0x40, "KINTERRUPT.TickCount");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, ActualLock) == 0x48, "KINTERRUPT.ActualLock");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, DispatchAddress) == 0x50, "KINTERRUPT.DispatchAddress");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, Vector) == 0x58, "KINTERRUPT.Vector");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, Irql) == 0x5C, "KINTERRUPT.Irql");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, SynchronizeIrql) == 0x5D, "KINTERRUPT.SynchronizeIrql");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, FloatingSave) == 0x5E, "KINTERRUPT.FloatingSave");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, Connected) == 0x5F, "KINTERRUPT.Connected");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, Number) == 0x60, "KINTERRUPT.Number");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, ShareVector) == 0x64, "KINTERRUPT.ShareVector");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, EmulateActiveBoth) == 0x65, "KINTERRUPT.EmulateActiveBoth");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, ActiveCount) == 0x66, "KINTERRUPT.ActiveCount");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, InternalState) == 0x68, "KINTERRUPT.InternalState");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, Mode) == 0x6C, "KINTERRUPT.Mode");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, Polarity) == 0x70, "KINTERRUPT.Polarity");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, ServiceCount) == 0x74, "KINTERRUPT.ServiceCount");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, DispatchCount) == 0x78, "KINTERRUPT.DispatchCount");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, PassiveEvent) == 0x80, "KINTERRUPT.PassiveEvent");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, TrapFrame) == 0x88, "KINTERRUPT.TrapFrame");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, ServiceThread) == 0x98, "KINTERRUPT.ServiceThread");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, ConnectionData) == 0xA0, "KINTERRUPT.ConnectionData");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, IsrDpcStats) == 0xB0, "KINTERRUPT.IsrDpcStats");
_Static_assert(FIELD_OFFSET(KDSIM_KINTERRUPT, PhysicalDeviceObject) == 0x118, "KINTERRUPT.PhysicalDeviceObject");

/* ---- Spin lock / queue handle layout -------------------------------------------------------- */

_Static_assert(sizeof(KSPIN_LOCK) == 8, "KSPIN_LOCK is a ULONG_PTR");
_Static_assert(sizeof(KLOCK_QUEUE_HANDLE) == 0x18 && FIELD_OFFSET(KLOCK_QUEUE_HANDLE, OldIrql) == 0x10,
               "KLOCK_QUEUE_HANDLE");

#endif /* _KDSIM_KETYPES_H_ */
