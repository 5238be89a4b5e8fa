/*
 * driver.c - "Twin": a WDM driver for a two-channel sampling card. The card shows up as
 * two PCI functions, channel A and channel B, each with its own registers and its own
 * interrupt; this driver runs both. Every sample of channel A is paired with the latest
 * sample of channel B (a differential measurement).
 *
 * BUGGY ON PURPOSE (see README.md): channel A's ISR takes channel B's interrupt spin lock
 * (KeAcquireInterruptSpinLock) to read B's latest sample, and on the path where B has no
 * new sample it returns without releasing it. The ISR then returns at B's IRQL (10)
 * instead of its own (9), still holding B's lock. Driver Verifier reports
 * DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4) with Arg1 = 0x111; without Verifier the
 * kernel's own check gives IRQL_UNEXPECTED_VALUE (0xC8).
 */

#include <ntddk.h>

/* ---- Hardware: each channel has 16 bytes of registers in a memory BAR ----------------- */
typedef struct _TWN_REGISTERS {
    ULONG Status;       /* 0x00 R/W1C: bit 0 DATA_READY, bit 1 ERROR */
    ULONG Control;      /* 0x04 W:     bit 0 START, bit 1 RESET */
    ULONG IntEnable;    /* 0x08 R/W:   causes that raise the interrupt */
    ULONG Data;         /* 0x0C R:     the latest sample */
} TWN_REGISTERS, *PTWN_REGISTERS;

#define TWN_STATUS_DATA_READY   0x00000001
#define TWN_STATUS_ERROR        0x00000002
#define TWN_STATUS_CAUSES       (TWN_STATUS_DATA_READY | TWN_STATUS_ERROR)
#define TWN_CONTROL_RESET       0x00000002

#define TWN_CHANNEL_A           0
#define TWN_CHANNEL_B           1
#define TWN_CHANNELS            2

typedef struct _TWN_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PTWN_REGISTERS Registers;
    PKINTERRUPT Interrupt;
    BOOLEAN Started;
    ULONG Channel;                      /* TWN_CHANNEL_A or TWN_CHANNEL_B */

    /* Channel B: its latest sample. Written by B's ISR, read (and consumed) by A's ISR;
       both under B's interrupt spin lock. */
    ULONG LatestSample;
    BOOLEAN HaveSample;

    /* Channel A: channel B's extension while both are started. Set and cleared under A's
       interrupt spin lock, so A's ISR (which holds that lock) sees a stable value. */
    struct _TWN_EXTENSION *Peer;

    /* Channel A: ISR -> DPC, under A's interrupt spin lock. */
    ULONG IsrSample;
    ULONG IsrReference;
    ULONG IsrPairs;
    ULONG Unpaired;
} TWN_EXTENSION, *PTWN_EXTENSION;

typedef struct _TWN_PAIR {
    PTWN_EXTENSION Extension;
    ULONG Sample;
    ULONG Reference;
    ULONG Pairs;
} TWN_PAIR, *PTWN_PAIR;

typedef struct _TWN_LINK {
    PTWN_EXTENSION ChannelA;
    PTWN_EXTENSION ChannelB;            /* NULL to unlink */
} TWN_LINK, *PTWN_LINK;

/* The card as a whole: which channels are started. Touched at PASSIVE_LEVEL only, under
   TwnCardLock. Global data is nonpaged. */
static KSPIN_LOCK TwnCardLock;
static PTWN_EXTENSION TwnStartedChannel[TWN_CHANNELS];
static ULONG TwnNextChannel;            /* AddDevice order: A, then B */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE TwnAddDevice;
DRIVER_UNLOAD TwnUnload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH TwnDispatchCreateClose;
_Dispatch_type_(IRP_MJ_PNP) DRIVER_DISPATCH TwnDispatchPnp;
_Dispatch_type_(IRP_MJ_POWER) DRIVER_DISPATCH TwnDispatchPower;
IO_COMPLETION_ROUTINE TwnStartCompletion;
KSERVICE_ROUTINE TwnInterruptService;
IO_DPC_ROUTINE TwnDpcForIsr;
KSYNCHRONIZE_ROUTINE TwnTakePair;
KSYNCHRONIZE_ROUTINE TwnSetPeer;
KSYNCHRONIZE_ROUTINE TwnEnableInterrupts;
KSYNCHRONIZE_ROUTINE TwnDisableInterrupts;

static NTSTATUS TwnStartDevice(_In_ PTWN_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID TwnStopDevice(_In_ PTWN_EXTENSION Ext);
static VOID TwnLinkChannels(_In_ PTWN_EXTENSION Ext, _In_ BOOLEAN Started);

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, TwnAddDevice)
#pragma alloc_text(PAGE, TwnUnload)
#pragma alloc_text(PAGE, TwnDispatchCreateClose)
#pragma alloc_text(PAGE, TwnDispatchPnp)
#pragma alloc_text(PAGE, TwnStartDevice)
#pragma alloc_text(PAGE, TwnStopDevice)
#endif

/* ======================================================================================
 * Setup and Plug and Play (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    KeInitializeSpinLock(&TwnCardLock);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = TwnDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = TwnDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_PNP] = TwnDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = TwnDispatchPower;
    DriverObject->DriverExtension->AddDevice = TwnAddDevice;
    DriverObject->DriverUnload = TwnUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS TwnAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo;
    PTWN_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    /* PnP calls AddDevice for one device at a time: no lock needed for the counter. */
    if (TwnNextChannel >= TWN_CHANNELS) {
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    status = IoCreateDevice(DriverObject, sizeof(TWN_EXTENSION), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    ext = (PTWN_EXTENSION)fdo->DeviceExtension;
    ext->Self = fdo;
    ext->Channel = TwnNextChannel++;
    IoInitializeDpcRequest(fdo, TwnDpcForIsr);

    ext->LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
    if (ext->LowerDevice == NULL) {
        IoDeleteDevice(fdo);
        return STATUS_NO_SUCH_DEVICE;
    }
    fdo->Flags |= DO_POWER_PAGABLE;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID TwnUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
}

_Use_decl_annotations_
NTSTATUS TwnDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS TwnStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

_Use_decl_annotations_
NTSTATUS TwnDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTWN_EXTENSION ext = (PTWN_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        KeInitializeEvent(&event, NotificationEvent, FALSE);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, TwnStartCompletion, &event, TRUE, TRUE, TRUE);
        status = IoCallDriver(ext->LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
            status = Irp->IoStatus.Status;
        }
        if (NT_SUCCESS(status)) {
            status = TwnStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        Irp->IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;

    case IRP_MN_SURPRISE_REMOVAL:
    case IRP_MN_STOP_DEVICE:
        TwnStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        TwnStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(ext->LowerDevice, Irp);
        IoDetachDevice(ext->LowerDevice);
        IoDeleteDevice(DeviceObject);
        return status;

    default:
        break;
    }
    IoSkipCurrentIrpStackLocation(Irp);
    return IoCallDriver(ext->LowerDevice, Irp);
}

static NTSTATUS TwnStartDevice(PTWN_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
{
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR irq = NULL;
    NTSTATUS status;
    ULONG i;

    PAGED_CODE();

    if (Translated == NULL || Translated->Count == 0) {
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    for (i = 0; i < Translated->List[0].PartialResourceList.Count; i++) {
        desc = &Translated->List[0].PartialResourceList.PartialDescriptors[i];
        if (desc->Type == CmResourceTypeMemory && Ext->Registers == NULL &&
            desc->u.Memory.Length >= sizeof(TWN_REGISTERS)) {
            Ext->Registers = (PTWN_REGISTERS)MmMapIoSpace(desc->u.Memory.Start, sizeof(TWN_REGISTERS), MmNonCached);
        } else if (desc->Type == CmResourceTypeInterrupt) {
            irq = desc;
        }
    }
    if (Ext->Registers == NULL || irq == NULL) {
        if (Ext->Registers != NULL) {
            MmUnmapIoSpace(Ext->Registers, sizeof(TWN_REGISTERS));
            Ext->Registers = NULL;
        }
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    WRITE_REGISTER_ULONG(&Ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, TWN_CONTROL_RESET);
    WRITE_REGISTER_ULONG(&Ext->Registers->Status, TWN_STATUS_CAUSES);

    /* Each channel gets its own interrupt object with the system's own interrupt spin lock
       (SpinLock NULL) at its own DIRQL. */
    status = IoConnectInterrupt(&Ext->Interrupt, TwnInterruptService, Ext, NULL,
                                irq->u.Interrupt.Vector, (KIRQL)irq->u.Interrupt.Level,
                                (KIRQL)irq->u.Interrupt.Level,
                                (irq->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive,
                                (BOOLEAN)(irq->ShareDisposition == CmResourceShareShared),
                                irq->u.Interrupt.Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        MmUnmapIoSpace(Ext->Registers, sizeof(TWN_REGISTERS));
        Ext->Registers = NULL;
        return status;
    }
    Ext->Started = TRUE;
    KeSynchronizeExecution(Ext->Interrupt, TwnEnableInterrupts, Ext);
    TwnLinkChannels(Ext, TRUE);
    KdPrint(("Twin: channel %c started, vector 0x%X IRQL %u\n", Ext->Channel == TWN_CHANNEL_A ? 'A' : 'B',
             irq->u.Interrupt.Vector, (ULONG)irq->u.Interrupt.Level));
    return STATUS_SUCCESS;
}

static VOID TwnStopDevice(PTWN_EXTENSION Ext)
{
    PAGED_CODE();

    if (!Ext->Started) {
        return;
    }
    Ext->Started = FALSE;
    TwnLinkChannels(Ext, FALSE);        /* A's ISR stops looking at B first */
    KeSynchronizeExecution(Ext->Interrupt, TwnDisableInterrupts, Ext);
    KeFlushQueuedDpcs();
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;
    MmUnmapIoSpace(Ext->Registers, sizeof(TWN_REGISTERS));
    Ext->Registers = NULL;
}

/* Gives channel A's ISR a pointer to channel B while both are started. Not pageable: it
   holds a spin lock. */
static VOID TwnLinkChannels(PTWN_EXTENSION Ext, BOOLEAN Started)
{
    TWN_LINK link;
    KIRQL oldIrql;

    KeAcquireSpinLock(&TwnCardLock, &oldIrql);
    TwnStartedChannel[Ext->Channel] = Started ? Ext : NULL;
    link.ChannelA = TwnStartedChannel[TWN_CHANNEL_A];
    link.ChannelB = TwnStartedChannel[TWN_CHANNEL_B];
    if (!Started && Ext->Channel == TWN_CHANNEL_A) {
        link.ChannelA = Ext;            /* A going away: unlink its own pointer */
        link.ChannelB = NULL;
    }
    if (link.ChannelA != NULL) {
        KeSynchronizeExecution(link.ChannelA->Interrupt, TwnSetPeer, &link);
    }
    KeReleaseSpinLock(&TwnCardLock, oldIrql);
}

_Use_decl_annotations_
NTSTATUS TwnDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTWN_EXTENSION ext = (PTWN_EXTENSION)DeviceObject->DeviceExtension;

    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    return PoCallDriver(ext->LowerDevice, Irp);
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN TwnSetPeer(PVOID SynchronizeContext)
{
    PTWN_LINK link = (PTWN_LINK)SynchronizeContext;

    link->ChannelA->Peer = link->ChannelB;
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN TwnEnableInterrupts(PVOID SynchronizeContext)
{
    PTWN_EXTENSION ext = (PTWN_EXTENSION)SynchronizeContext;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, TWN_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN TwnDisableInterrupts(PVOID SynchronizeContext)
{
    PTWN_EXTENSION ext = (PTWN_EXTENSION)SynchronizeContext;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&ext->Registers->Status, TWN_STATUS_CAUSES);
    return TRUE;
}

/* One ISR for both channels; ServiceContext says which. Runs at the channel's DIRQL
   (A: 9, B: 10 in kdsim.json) holding that channel's interrupt spin lock. */
_Use_decl_annotations_
BOOLEAN TwnInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PTWN_EXTENSION ext = (PTWN_EXTENSION)ServiceContext;
    PTWN_EXTENSION peer;
    KIRQL peerIrql;
    ULONG status;
    ULONG sample;

    UNREFERENCED_PARAMETER(Interrupt);

    status = READ_REGISTER_ULONG(&ext->Registers->Status);
    if ((status & TWN_STATUS_CAUSES) == 0) {
        return FALSE;
    }
    WRITE_REGISTER_ULONG(&ext->Registers->Status, status & TWN_STATUS_CAUSES);
    if ((status & TWN_STATUS_DATA_READY) == 0) {
        return TRUE;
    }
    sample = READ_REGISTER_ULONG(&ext->Registers->Data);

    if (ext->Channel == TWN_CHANNEL_B) {
        /* B just keeps its latest sample for A. */
        ext->LatestSample = sample;
        ext->HaveSample = TRUE;
        return TRUE;
    }

    /* Channel A: pair the sample with B's latest. B's ISR writes that under B's interrupt
       spin lock, so take the same lock to read it. B's DIRQL (10) is above ours (9), so
       this raises the IRQL to 10 as well. */
    peer = ext->Peer;
    if (peer == NULL) {
        return TRUE;                    /* B not started: nothing to pair with */
    }
    peerIrql = KeAcquireInterruptSpinLock(peer->Interrupt);
    if (!peer->HaveSample) {
        /* B has not converted since the last pair: drop this sample.
           BUG: returns without KeReleaseInterruptSpinLock. The ISR goes back to the kernel
           at IRQL 10 holding B's lock; the kernel expected IRQL 9 (the level it raised to
           for this ISR). Verifier: 0xC4 / 0x111. */
        ext->Unpaired++;
        return TRUE;
    }
    ext->IsrSample = sample;
    ext->IsrReference = peer->LatestSample;
    ext->IsrPairs++;
    peer->HaveSample = FALSE;
    KeReleaseInterruptSpinLock(peer->Interrupt, peerIrql);

    IoRequestDpc(ext->Self, NULL, NULL);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN TwnTakePair(PVOID SynchronizeContext)
{
    PTWN_PAIR pair = (PTWN_PAIR)SynchronizeContext;

    pair->Sample = pair->Extension->IsrSample;
    pair->Reference = pair->Extension->IsrReference;
    pair->Pairs = pair->Extension->IsrPairs;
    return TRUE;
}

/* Channel A only (B's ISR queues no DPC). */
_Use_decl_annotations_
VOID TwnDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PTWN_EXTENSION ext = (PTWN_EXTENSION)DeviceObject->DeviceExtension;
    TWN_PAIR pair;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    pair.Extension = ext;
    KeSynchronizeExecution(ext->Interrupt, TwnTakePair, &pair);
    KdPrint(("Twin: pair %lu: A=%lu B=%lu A-B=%ld\n", pair.Pairs, pair.Sample, pair.Reference,
             (LONG)(pair.Sample - pair.Reference)));
}
