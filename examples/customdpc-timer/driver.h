/*
 * driver.h - "Ticker", a WDM function driver for an imaginary PCI pulse-sampling card.
 *
 * The card latches a 32-bit sample on every external trigger pulse and interrupts. The
 * driver shows the two kinds of DPC a driver creates itself with KeInitializeDpc:
 *   - a CustomDpc (TckSampleDpc) that the ISR queues with KeInsertQueueDpc. The driver
 *     counts how often KeInsertQueueDpc returns FALSE: the DPC was still queued, so that
 *     interrupt was folded into the run already pending (coalescing);
 *   - a CustomTimerDpc (TckStatsTimerDpc) attached to a periodic KTIMER
 *     (KeInitializeTimerEx / KeSetTimerEx with a period) that prints statistics.
 */
#pragma once

#include <ntddk.h>              /* KeSetImportanceDpc is an ntddk.h routine */

/* ---- Hardware ---------------------------------------------------------------------------
 * 16 bytes of registers in a memory BAR or an I/O port range. */
typedef struct _TCK_REGISTERS {
    ULONG Status;       /* 0x00 R/W1C: TCK_STATUS_*; writing 1s clears interrupt causes */
    ULONG Control;      /* 0x04 W:     TCK_CONTROL_* */
    ULONG IntEnable;    /* 0x08 R/W:   causes that assert the interrupt line */
    ULONG Data;         /* 0x0C R:     the sample latched by the last trigger */
} TCK_REGISTERS, *PTCK_REGISTERS;

C_ASSERT(sizeof(TCK_REGISTERS) == 0x10);

#define TCK_STATUS_DATA_READY   0x00000001  /* a sample is waiting in Data */
#define TCK_STATUS_ERROR        0x00000002  /* a trigger arrived while Data was still unread */
#define TCK_STATUS_BUSY         0x80000000  /* read-only */
#define TCK_STATUS_CAUSES       (TCK_STATUS_DATA_READY | TCK_STATUS_ERROR)

#define TCK_CONTROL_START       0x00000001
#define TCK_CONTROL_RESET       0x00000002

#define TCK_POOL_TAG            'kciT'      /* "Tick" */

/* How often the statistics timer fires. KeSetTimerEx takes the period in milliseconds;
   the timer still expires on a clock tick (15.625 ms by default), so the DPC sees
   intervals that are multiples of the tick, not exactly this value. */
#define TCK_STATS_PERIOD_MS     20

/* ---- Device extension -------------------------------------------------------------------- */

/* What the ISR hands to TckSampleDpc. Written by the ISR at DIRQL and taken (and cleared)
   by the DPC inside KeSynchronizeExecution, so both always see it whole. */
typedef struct _TCK_HANDOFF {
    ULONG Count;                        /* samples latched since the DPC last took them */
    ULONG Last;
    ULONG Min;
    ULONG Max;
    ULONG64 Sum;
} TCK_HANDOFF, *PTCK_HANDOFF;

/* Counters only the ISR writes (it never runs on two CPUs at once: its interrupt spin
   lock serialises it). Others read them through KeSynchronizeExecution. */
typedef struct _TCK_ISR_COUNTERS {
    ULONG Interrupts;                   /* interrupts the ISR claimed */
    ULONG Samples;                      /* of which DATA_READY: samples handed to the DPC */
    ULONG Errors;                       /* of which ERROR */
    ULONG DpcQueued;                    /* KeInsertQueueDpc returned TRUE */
    ULONG DpcCoalesced;                 /* ... returned FALSE: the DPC was already queued */
} TCK_ISR_COUNTERS, *PTCK_ISR_COUNTERS;

/* Statistics kept by the DPCs at DISPATCH_LEVEL, guarded by StatsLock: TckSampleDpc and
   TckStatsTimerDpc can run at the same time on two CPUs. */
typedef struct _TCK_STATISTICS {
    ULONG DpcRuns;                      /* TckSampleDpc invocations */
    ULONG EmptyRuns;                    /* ... that found nothing: a run on another CPU had
                                           already taken the batch */
    ULONG Samples;                      /* samples those runs processed */
    ULONG MaxBatch;                     /* most samples one run processed */
    ULONG Min;
    ULONG Max;
    ULONG64 Sum;
} TCK_STATISTICS, *PTCK_STATISTICS;

typedef struct _TCK_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;

    /* Resources from IRP_MN_START_DEVICE. */
    PTCK_REGISTERS Registers;           /* mapped registers, or the port base */
    BOOLEAN PortMapped;
    BOOLEAN MappedIoSpace;
    BOOLEAN Started;
    PKINTERRUPT Interrupt;
    ULONG Vector;
    KIRQL Irql;
    KAFFINITY Affinity;
    KINTERRUPT_MODE InterruptMode;
    BOOLEAN ShareVector;

    /* The two driver-created DPCs and the timer. All must be resident: they live here, in
       the device extension, which is nonpaged. */
    KDPC SampleDpc;                     /* CustomDpc, queued by the ISR */
    KDPC StatsDpc;                      /* CustomTimerDpc of StatsTimer */
    KTIMER StatsTimer;

    TCK_HANDOFF Handoff;                /* interrupt spin lock */
    TCK_ISR_COUNTERS IsrCounters;       /* interrupt spin lock */

    KSPIN_LOCK StatsLock;
    TCK_STATISTICS Stats;               /* StatsLock */

    /* Used by TckStatsTimerDpc, also under StatsLock: an expiring periodic timer can queue
       its DPC again while the previous run is still going on another CPU. */
    ULONG TimerTicks;
    ULONG PreviousInterrupts;
    ULONG64 PreviousTime;               /* KeQueryInterruptTime at the previous tick */
} TCK_EXTENSION, *PTCK_EXTENSION;

/* What TckStatsTimerDpc copies out under the interrupt spin lock. */
typedef struct _TCK_SNAPSHOT {
    PTCK_EXTENSION Extension;
    TCK_ISR_COUNTERS Counters;
    TCK_HANDOFF Handoff;                /* the batch SampleDpc has not taken yet */
} TCK_SNAPSHOT, *PTCK_SNAPSHOT;

/* ---- Routines, declared through their WDK function classes ---------------------------- */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE TckAddDevice;
DRIVER_UNLOAD TckUnload;

_Dispatch_type_(IRP_MJ_CREATE)
_Dispatch_type_(IRP_MJ_CLOSE)
DRIVER_DISPATCH TckDispatchCreateClose;

_Dispatch_type_(IRP_MJ_PNP)
DRIVER_DISPATCH TckDispatchPnp;

_Dispatch_type_(IRP_MJ_POWER)
DRIVER_DISPATCH TckDispatchPower;

IO_COMPLETION_ROUTINE TckStartCompletion;
KSERVICE_ROUTINE TckInterruptService;
KDEFERRED_ROUTINE TckSampleDpc;         /* CustomDpc */
KDEFERRED_ROUTINE TckStatsTimerDpc;     /* CustomTimerDpc */
KSYNCHRONIZE_ROUTINE TckTakeHandoff;
KSYNCHRONIZE_ROUTINE TckSnapshot;
KSYNCHRONIZE_ROUTINE TckEnableInterrupts;
KSYNCHRONIZE_ROUTINE TckDisableInterrupts;

/* ---- Register access: memory-mapped or port-mapped, decided at start time --------------- */

FORCEINLINE ULONG TckReadRegister(_In_ PTCK_EXTENSION Ext, _In_ volatile ULONG *Register)
{
    return Ext->PortMapped ? READ_PORT_ULONG((PULONG)Register) : READ_REGISTER_ULONG(Register);
}

FORCEINLINE VOID TckWriteRegister(_In_ PTCK_EXTENSION Ext, _In_ volatile ULONG *Register, _In_ ULONG Value)
{
    if (Ext->PortMapped) {
        WRITE_PORT_ULONG((PULONG)Register, Value);
    } else {
        WRITE_REGISTER_ULONG(Register, Value);
    }
}
