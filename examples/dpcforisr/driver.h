/*
 * driver.h - "Sampler", a WDM function driver for an imaginary PCI data-acquisition card.
 *
 * The card converts one 32-bit sample per START command and interrupts when the sample
 * is ready (or the conversion failed). The driver shows the classic DpcForIsr pattern:
 * IoInitializeDpcRequest in AddDevice, IoConnectInterrupt at IRP_MN_START_DEVICE, an ISR
 * that acknowledges the card and calls IoRequestDpc, and a DpcForIsr that completes the
 * request and starts the next one (IoStartPacket / StartIo / IoStartNextPacket).
 */
#pragma once

#include <ntddk.h>

/* ---- Hardware ---------------------------------------------------------------------------
 * A 16-byte register block, in a memory BAR (usual) or an I/O port range: the driver takes
 * whichever the PnP manager assigns and accesses it with READ/WRITE_REGISTER_ULONG or
 * READ/WRITE_PORT_ULONG accordingly. */
typedef struct _SMP_REGISTERS {
    ULONG Status;       /* 0x00 R/W1C: SMP_STATUS_*; writing 1s clears interrupt causes */
    ULONG Control;      /* 0x04 W:     SMP_CONTROL_* */
    ULONG IntEnable;    /* 0x08 R/W:   SMP_INT_*: causes that assert the interrupt line */
    ULONG Data;         /* 0x0C R:     the last sample, valid while DATA_READY is set */
} SMP_REGISTERS, *PSMP_REGISTERS;

C_ASSERT(sizeof(SMP_REGISTERS) == 0x10);

#define SMP_STATUS_DATA_READY   0x00000001  /* a sample is waiting in Data */
#define SMP_STATUS_ERROR        0x00000002  /* the conversion failed */
#define SMP_STATUS_BUSY         0x80000000  /* a conversion is in progress (read-only) */
#define SMP_STATUS_CAUSES       (SMP_STATUS_DATA_READY | SMP_STATUS_ERROR)

#define SMP_CONTROL_START       0x00000001  /* start one conversion */
#define SMP_CONTROL_RESET       0x00000002  /* abort any conversion, clear Data */

#define SMP_INT_DATA_READY      SMP_STATUS_DATA_READY
#define SMP_INT_ERROR           SMP_STATUS_ERROR
#define SMP_INT_ALL             SMP_STATUS_CAUSES

/* ---- Interface to applications ----------------------------------------------------------
 * ReadFile returns samples (the length must be a multiple of 4). Two IOCTLs: */
#define FILE_DEVICE_SAMPLER     0x8A51

/* Out: SAMPLER_STATISTICS. */
#define IOCTL_SAMPLER_GET_STATISTICS \
    CTL_CODE(FILE_DEVICE_SAMPLER, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)
/* Out: ULONG. Pends until the card produces its next sample (while some read runs). */
#define IOCTL_SAMPLER_WAIT_FOR_SAMPLE \
    CTL_CODE(FILE_DEVICE_SAMPLER, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS)

typedef struct _SAMPLER_STATISTICS {
    LONG Interrupts;    /* interrupts the ISR claimed */
    LONG Dpcs;          /* DpcForIsr runs: can be fewer than Interrupts (DPCs coalesce) */
    LONG Samples;
    LONG Errors;
} SAMPLER_STATISTICS, *PSAMPLER_STATISTICS;

#define SMP_POOL_TAG            'lpmS'      /* "Smpl" in !pool output */
#define SMP_DEVICE_NAME         L"\\Device\\Sampler0"
#define SMP_LINK_NAME           L"\\DosDevices\\Sampler0"

/* ---- Device extension -------------------------------------------------------------------- */

typedef struct _SMP_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;         /* where IRPs go down the stack */
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;          /* held by every IRP the driver is working on */
    BOOLEAN LinkCreated;

    /* Resources from IRP_MN_START_DEVICE. */
    PSMP_REGISTERS Registers;           /* mapped registers, or the port base */
    ULONG RegisterSpan;
    BOOLEAN PortMapped;                 /* Registers are I/O ports */
    BOOLEAN MappedIoSpace;              /* Registers came from MmMapIoSpace */
    PKINTERRUPT Interrupt;
    ULONG Vector;
    KIRQL Irql;
    KAFFINITY Affinity;
    KINTERRUPT_MODE InterruptMode;
    BOOLEAN ShareVector;

    /* StateLock protects Started and WaitQueue. Lock order: StateLock, then the interrupt
       spin lock (KeSynchronizeExecution); the ISR takes no other lock. */
    KSPIN_LOCK StateLock;
    BOOLEAN Started;                    /* hardware connected and accepting work */
    LIST_ENTRY WaitQueue;               /* IOCTL_SAMPLER_WAIT_FOR_SAMPLE IRPs, linked
                                           through Irp->Tail.Overlay.ListEntry */

    /* Written by the ISR at DIRQL; taken and cleared by the DPC inside KeSynchronizeExecution. */
    ULONG IsrStatus;                    /* accumulated SMP_STATUS_CAUSES */
    ULONG IsrSample;

    /* The read in progress (the IRP StartIo started: DEVICE_OBJECT.CurrentIrp). Set by
       StartIo and cleared when it finishes, under StateLock; the device queue lets only
       one read be current at a time. */
    PIRP ActiveIrp;
    PULONG TransferBuffer;
    ULONG TransferLength;               /* bytes requested */
    ULONG TransferDone;                 /* bytes delivered */

    SAMPLER_STATISTICS Stats;           /* updated with InterlockedIncrement */
} SMP_EXTENSION, *PSMP_EXTENSION;

/* What DpcForIsr takes over from the ISR. */
typedef struct _SMP_ISR_SNAPSHOT {
    PSMP_EXTENSION Extension;
    ULONG Status;
    ULONG Sample;
} SMP_ISR_SNAPSHOT, *PSMP_ISR_SNAPSHOT;

/* ---- Routines, declared through their WDK function classes (this gives each its IRQL
        annotations; the definitions use _Use_decl_annotations_) ------------------------- */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE SmpAddDevice;
DRIVER_UNLOAD SmpUnload;
DRIVER_STARTIO SmpStartIo;

_Dispatch_type_(IRP_MJ_CREATE)
_Dispatch_type_(IRP_MJ_CLOSE)
DRIVER_DISPATCH SmpDispatchCreateClose;

_Dispatch_type_(IRP_MJ_READ)
DRIVER_DISPATCH SmpDispatchRead;

_Dispatch_type_(IRP_MJ_DEVICE_CONTROL)
DRIVER_DISPATCH SmpDispatchDeviceControl;

_Dispatch_type_(IRP_MJ_PNP)
DRIVER_DISPATCH SmpDispatchPnp;

_Dispatch_type_(IRP_MJ_POWER)
DRIVER_DISPATCH SmpDispatchPower;

IO_COMPLETION_ROUTINE SmpStartCompletion;
KSERVICE_ROUTINE SmpInterruptService;
IO_DPC_ROUTINE SmpDpcForIsr;
KSYNCHRONIZE_ROUTINE SmpSnapshotIsrState;
KSYNCHRONIZE_ROUTINE SmpStartConversion;
KSYNCHRONIZE_ROUTINE SmpEnableDeviceInterrupts;
KSYNCHRONIZE_ROUTINE SmpDisableDeviceInterrupts;
DRIVER_CANCEL SmpCancelWait;

/* ---- Register access: memory-mapped or port-mapped, decided at start time --------------- */

FORCEINLINE ULONG SmpReadRegister(_In_ PSMP_EXTENSION Ext, _In_ volatile ULONG *Register)
{
    return Ext->PortMapped ? READ_PORT_ULONG((PULONG)Register) : READ_REGISTER_ULONG(Register);
}

FORCEINLINE VOID SmpWriteRegister(_In_ PSMP_EXTENSION Ext, _In_ volatile ULONG *Register, _In_ ULONG Value)
{
    if (Ext->PortMapped) {
        WRITE_PORT_ULONG((PULONG)Register, Value);
    } else {
        WRITE_REGISTER_ULONG(Register, Value);
    }
}
