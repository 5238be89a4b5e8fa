/*
 * driver.h - "Streamer", a WDM function driver for an imaginary PCI card that interrupts
 * once per sample at a high rate.
 *
 * The ISR (DIRQL) appends each sample to a ring buffer in the device extension; the
 * DpcForIsr (DISPATCH_LEVEL) empties it. On a multiprocessor the two run at the same time
 * on different CPUs, so everything they share is touched only under the interrupt spin
 * lock: the ISR holds it implicitly, the DPC takes it with KeSynchronizeExecution.
 *
 * KDSIM_RACE_BUG = 1 builds the DPC the way it is often first written, reading and
 * updating the ring without the lock (see README.md): an interrupt on another CPU in the
 * middle of the DPC then loses an update, and the DBG audit in the DPC asserts.
 */
#pragma once

#include <ntddk.h>

#ifndef KDSIM_RACE_BUG
#define KDSIM_RACE_BUG 0        /* 1: the unsynchronized DPC (kdsim.json "defines") */
#endif

/* ---- Hardware ---------------------------------------------------------------------------
 * 16 bytes of registers in a memory BAR or an I/O port range. */
typedef struct _STR_REGISTERS {
    ULONG Status;       /* 0x00 R/W1C: STR_STATUS_*; writing 1s clears interrupt causes */
    ULONG Control;      /* 0x04 W:     STR_CONTROL_* */
    ULONG IntEnable;    /* 0x08 R/W:   causes that assert the interrupt line */
    ULONG Data;         /* 0x0C R:     the latest sample */
} STR_REGISTERS, *PSTR_REGISTERS;

C_ASSERT(sizeof(STR_REGISTERS) == 0x10);

#define STR_STATUS_DATA_READY   0x00000001
#define STR_STATUS_ERROR        0x00000002
#define STR_STATUS_BUSY         0x80000000  /* read-only */
#define STR_STATUS_CAUSES       (STR_STATUS_DATA_READY | STR_STATUS_ERROR)

#define STR_CONTROL_START       0x00000001
#define STR_CONTROL_RESET       0x00000002

#define STR_POOL_TAG            'mrtS'      /* "Strm" */

/* ---- ISR -> DPC ring ----------------------------------------------------------------------
 * The ISR writes at Head, the DPC reads at Tail; Count is written by both. A power of two,
 * so indexes wrap with a mask. */
#define STR_RING_SIZE           64
#define STR_RING_MASK           (STR_RING_SIZE - 1)
#define STR_BATCH               16          /* samples the DPC takes per lock hold */

C_ASSERT((STR_RING_SIZE & STR_RING_MASK) == 0);

typedef struct _STR_RING {
    ULONG Head;                         /* next slot the ISR fills */
    ULONG Tail;                         /* next slot the DPC empties */
    ULONG Count;                        /* filled slots */
    ULONG Samples[STR_RING_SIZE];
} STR_RING, *PSTR_RING;

/* Everything the ISR and the DPC share. Guarded by the interrupt spin lock. */
typedef struct _STR_SHARED {
    STR_RING Ring;
    ULONG Received;                     /* ISR: samples read from the card */
    ULONG Overruns;                     /* ISR: samples dropped because the ring was full */
    ULONG Consumed;                     /* DPC: samples taken out of the ring */
    ULONG IsrWhileDpcActive;            /* ISR: interrupts serviced while a DPC was running */
} STR_SHARED, *PSTR_SHARED;

/* DPC-side statistics, guarded by StatsLock (the DPC may run on two CPUs at once). */
typedef struct _STR_STATISTICS {
    ULONG DpcRuns;
    ULONG ConcurrentDpcs;               /* runs that started while another was running */
    ULONG Processed;                    /* samples processed */
    ULONG MaxBatch;                     /* most samples one lock hold took */
    ULONG Min;
    ULONG Max;
    ULONG64 CalibratedSum;
} STR_STATISTICS, *PSTR_STATISTICS;

/* ---- Device extension -------------------------------------------------------------------- */

typedef struct _STR_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;

    PSTR_REGISTERS Registers;
    BOOLEAN PortMapped;
    BOOLEAN MappedIoSpace;
    BOOLEAN Started;
    PKINTERRUPT Interrupt;
    ULONG Vector;
    KIRQL Irql;
    KAFFINITY Affinity;
    KINTERRUPT_MODE InterruptMode;
    BOOLEAN ShareVector;

    STR_SHARED Shared;                  /* interrupt spin lock */

    volatile LONG DpcActive;            /* DPC instances running right now (interlocked) */

    KSPIN_LOCK StatsLock;
    STR_STATISTICS Stats;               /* StatsLock */
} STR_EXTENSION, *PSTR_EXTENSION;

/* What the DPC takes out of the ring in one KeSynchronizeExecution call. */
typedef struct _STR_BATCH_CONTEXT {
    PSTR_EXTENSION Extension;
    ULONG Taken;
    BOOLEAN More;                       /* the ring still holds samples */
    ULONG Samples[STR_BATCH];
} STR_BATCH_CONTEXT, *PSTR_BATCH_CONTEXT;

/* ---- Routines ------------------------------------------------------------------------------ */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE StrAddDevice;
DRIVER_UNLOAD StrUnload;

_Dispatch_type_(IRP_MJ_CREATE)
_Dispatch_type_(IRP_MJ_CLOSE)
DRIVER_DISPATCH StrDispatchCreateClose;

_Dispatch_type_(IRP_MJ_PNP)
DRIVER_DISPATCH StrDispatchPnp;

_Dispatch_type_(IRP_MJ_POWER)
DRIVER_DISPATCH StrDispatchPower;

IO_COMPLETION_ROUTINE StrStartCompletion;
KSERVICE_ROUTINE StrInterruptService;
IO_DPC_ROUTINE StrDpcForIsr;
KSYNCHRONIZE_ROUTINE StrTakeBatch;
KSYNCHRONIZE_ROUTINE StrAuditShared;
KSYNCHRONIZE_ROUTINE StrEnableInterrupts;
KSYNCHRONIZE_ROUTINE StrDisableInterrupts;

/* ---- Register access ------------------------------------------------------------------------ */

FORCEINLINE ULONG StrReadRegister(_In_ PSTR_EXTENSION Ext, _In_ volatile ULONG *Register)
{
    return Ext->PortMapped ? READ_PORT_ULONG((PULONG)Register) : READ_REGISTER_ULONG(Register);
}

FORCEINLINE VOID StrWriteRegister(_In_ PSTR_EXTENSION Ext, _In_ volatile ULONG *Register, _In_ ULONG Value)
{
    if (Ext->PortMapped) {
        WRITE_PORT_ULONG((PULONG)Register, Value);
    } else {
        WRITE_REGISTER_ULONG(Register, Value);
    }
}
