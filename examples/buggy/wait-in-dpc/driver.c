/*
 * driver.c - "Mailbox": a WDM driver for a sampling card that passes each sample to an
 * application through a one-slot mailbox.
 *
 * BUGGY ON PURPOSE (see README.md): the DpcForIsr waits on a KEVENT with no timeout to
 * keep from overwriting a sample the reader has not collected yet. A DPC runs at
 * DISPATCH_LEVEL in whatever thread was interrupted; it cannot block. The first sample
 * goes through (the event is signaled, the wait returns at once); when the reader falls
 * behind the wait has to block, and the kernel bug checks with ATTEMPTED_SWITCH_FROM_DPC.
 */

#include <ntddk.h>

/* ---- Hardware: 16 bytes of registers in a memory BAR --------------------------------- */
typedef struct _MBX_REGISTERS {
    ULONG Status;       /* 0x00 R/W1C: bit 0 DATA_READY, bit 1 ERROR */
    ULONG Control;      /* 0x04 W:     bit 0 START, bit 1 RESET */
    ULONG IntEnable;    /* 0x08 R/W:   causes that raise the interrupt */
    ULONG Data;         /* 0x0C R:     the latest sample */
} MBX_REGISTERS, *PMBX_REGISTERS;

#define MBX_STATUS_DATA_READY   0x00000001
#define MBX_STATUS_ERROR        0x00000002
#define MBX_STATUS_CAUSES       (MBX_STATUS_DATA_READY | MBX_STATUS_ERROR)
#define MBX_CONTROL_RESET       0x00000002

/* Out: ULONG, the next sample. Waits up to a second for one. */
#define IOCTL_MAILBOX_READ_SAMPLE \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)

typedef struct _MBX_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PMBX_REGISTERS Registers;
    PKINTERRUPT Interrupt;
    BOOLEAN Started;

    ULONG IsrSample;                    /* ISR -> DPC, under the interrupt spin lock */

    /* The mailbox: one sample, and two events for the hand-over.
       SlotFree   (synchronization, initially signaled): the reader has taken the last sample.
       SampleReady (synchronization, initially clear):   a new sample is in Mailbox. */
    ULONG Mailbox;
    KEVENT SlotFree;
    KEVENT SampleReady;
} MBX_EXTENSION, *PMBX_EXTENSION;

typedef struct _MBX_TAKE {
    PMBX_EXTENSION Extension;
    ULONG Sample;
} MBX_TAKE, *PMBX_TAKE;

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE MbxAddDevice;
DRIVER_UNLOAD MbxUnload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH MbxDispatchCreateClose;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH MbxDispatchDeviceControl;
_Dispatch_type_(IRP_MJ_PNP) DRIVER_DISPATCH MbxDispatchPnp;
_Dispatch_type_(IRP_MJ_POWER) DRIVER_DISPATCH MbxDispatchPower;
IO_COMPLETION_ROUTINE MbxStartCompletion;
KSERVICE_ROUTINE MbxInterruptService;
IO_DPC_ROUTINE MbxDpcForIsr;
KSYNCHRONIZE_ROUTINE MbxTakeSample;
KSYNCHRONIZE_ROUTINE MbxEnableInterrupts;
KSYNCHRONIZE_ROUTINE MbxDisableInterrupts;

static NTSTATUS MbxStartDevice(_In_ PMBX_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID MbxStopDevice(_In_ PMBX_EXTENSION Ext);

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, MbxAddDevice)
#pragma alloc_text(PAGE, MbxUnload)
#pragma alloc_text(PAGE, MbxDispatchCreateClose)
#pragma alloc_text(PAGE, MbxDispatchDeviceControl)
#pragma alloc_text(PAGE, MbxDispatchPnp)
#pragma alloc_text(PAGE, MbxStartDevice)
#pragma alloc_text(PAGE, MbxStopDevice)
#endif

/* ======================================================================================
 * Setup and Plug and Play (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = MbxDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = MbxDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = MbxDispatchDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = MbxDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = MbxDispatchPower;
    DriverObject->DriverExtension->AddDevice = MbxAddDevice;
    DriverObject->DriverUnload = MbxUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS MbxAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo;
    PMBX_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    status = IoCreateDevice(DriverObject, sizeof(MBX_EXTENSION), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    ext = (PMBX_EXTENSION)fdo->DeviceExtension;
    ext->Self = fdo;
    KeInitializeEvent(&ext->SlotFree, SynchronizationEvent, TRUE);
    KeInitializeEvent(&ext->SampleReady, SynchronizationEvent, FALSE);
    IoInitializeDpcRequest(fdo, MbxDpcForIsr);

    ext->LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
    if (ext->LowerDevice == NULL) {
        IoDeleteDevice(fdo);
        return STATUS_NO_SUCH_DEVICE;
    }
    fdo->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID MbxUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
}

_Use_decl_annotations_
NTSTATUS MbxStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

_Use_decl_annotations_
NTSTATUS MbxDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PMBX_EXTENSION ext = (PMBX_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        /* The bus driver starts the device first: forward and wait. */
        KeInitializeEvent(&event, NotificationEvent, FALSE);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, MbxStartCompletion, &event, TRUE, TRUE, TRUE);
        status = IoCallDriver(ext->LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
            status = Irp->IoStatus.Status;
        }
        if (NT_SUCCESS(status)) {
            status = MbxStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        Irp->IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;

    case IRP_MN_SURPRISE_REMOVAL:
    case IRP_MN_STOP_DEVICE:
        MbxStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        MbxStopDevice(ext);
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

static NTSTATUS MbxStartDevice(PMBX_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
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
            desc->u.Memory.Length >= sizeof(MBX_REGISTERS)) {
            Ext->Registers = (PMBX_REGISTERS)MmMapIoSpace(desc->u.Memory.Start, sizeof(MBX_REGISTERS), MmNonCached);
        } else if (desc->Type == CmResourceTypeInterrupt) {
            irq = desc;
        }
    }
    if (Ext->Registers == NULL || irq == NULL) {
        if (Ext->Registers != NULL) {
            MmUnmapIoSpace(Ext->Registers, sizeof(MBX_REGISTERS));
            Ext->Registers = NULL;
        }
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    WRITE_REGISTER_ULONG(&Ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, MBX_CONTROL_RESET);
    WRITE_REGISTER_ULONG(&Ext->Registers->Status, MBX_STATUS_CAUSES);

    status = IoConnectInterrupt(&Ext->Interrupt, MbxInterruptService, Ext, NULL,
                                irq->u.Interrupt.Vector, (KIRQL)irq->u.Interrupt.Level,
                                (KIRQL)irq->u.Interrupt.Level,
                                (irq->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive,
                                (BOOLEAN)(irq->ShareDisposition == CmResourceShareShared),
                                irq->u.Interrupt.Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        MmUnmapIoSpace(Ext->Registers, sizeof(MBX_REGISTERS));
        Ext->Registers = NULL;
        return status;
    }
    Ext->Started = TRUE;
    KeSynchronizeExecution(Ext->Interrupt, MbxEnableInterrupts, Ext);
    return STATUS_SUCCESS;
}

static VOID MbxStopDevice(PMBX_EXTENSION Ext)
{
    PAGED_CODE();

    if (!Ext->Started) {
        return;
    }
    Ext->Started = FALSE;
    KeSynchronizeExecution(Ext->Interrupt, MbxDisableInterrupts, Ext);
    KeFlushQueuedDpcs();                /* the DPC uses Ext->Interrupt */
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;
    MmUnmapIoSpace(Ext->Registers, sizeof(MBX_REGISTERS));
    Ext->Registers = NULL;
}

_Use_decl_annotations_
NTSTATUS MbxDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PMBX_EXTENSION ext = (PMBX_EXTENSION)DeviceObject->DeviceExtension;

    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    return PoCallDriver(ext->LowerDevice, Irp);
}

/* ======================================================================================
 * Requests (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS MbxDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

/* The reader's side of the mailbox. Blocking here is fine: a dispatch routine runs at
   PASSIVE_LEVEL in the requesting thread. */
_Use_decl_annotations_
NTSTATUS MbxDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PMBX_EXTENSION ext = (PMBX_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    LARGE_INTEGER timeout;
    ULONG_PTR information = 0;
    NTSTATUS status;

    PAGED_CODE();

    if (stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_MAILBOX_READ_SAMPLE) {
        status = STATUS_INVALID_DEVICE_REQUEST;
    } else if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(ULONG)) {
        status = STATUS_BUFFER_TOO_SMALL;
    } else {
        timeout.QuadPart = -10000000LL;         /* 1 s, relative */
        status = KeWaitForSingleObject(&ext->SampleReady, Executive, KernelMode, FALSE, &timeout);
        if (status == STATUS_SUCCESS) {
            *(PULONG)Irp->AssociatedIrp.SystemBuffer = ext->Mailbox;
            information = sizeof(ULONG);
            KeSetEvent(&ext->SlotFree, IO_NO_INCREMENT, FALSE);    /* the DPC may refill it */
        } else {
            status = STATUS_IO_TIMEOUT;
        }
    }
    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN MbxEnableInterrupts(PVOID SynchronizeContext)
{
    PMBX_EXTENSION ext = (PMBX_EXTENSION)SynchronizeContext;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, MBX_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN MbxDisableInterrupts(PVOID SynchronizeContext)
{
    PMBX_EXTENSION ext = (PMBX_EXTENSION)SynchronizeContext;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&ext->Registers->Status, MBX_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN MbxInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PMBX_EXTENSION ext = (PMBX_EXTENSION)ServiceContext;
    ULONG status;

    UNREFERENCED_PARAMETER(Interrupt);

    status = READ_REGISTER_ULONG(&ext->Registers->Status);
    if ((status & MBX_STATUS_CAUSES) == 0) {
        return FALSE;                   /* not ours (shared line) */
    }
    WRITE_REGISTER_ULONG(&ext->Registers->Status, status & MBX_STATUS_CAUSES);
    if (status & MBX_STATUS_DATA_READY) {
        ext->IsrSample = READ_REGISTER_ULONG(&ext->Registers->Data);
    }
    IoRequestDpc(ext->Self, NULL, NULL);
    return TRUE;
}

/* Runs under the interrupt spin lock: reads what the ISR saved without racing it. */
_Use_decl_annotations_
BOOLEAN MbxTakeSample(PVOID SynchronizeContext)
{
    PMBX_TAKE take = (PMBX_TAKE)SynchronizeContext;

    take->Sample = take->Extension->IsrSample;
    return TRUE;
}

_Use_decl_annotations_
VOID MbxDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PMBX_EXTENSION ext = (PMBX_EXTENSION)DeviceObject->DeviceExtension;
    MBX_TAKE take;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    take.Extension = ext;
    take.Sample = 0;
    KeSynchronizeExecution(ext->Interrupt, MbxTakeSample, &take);

    /* Don't overwrite a sample the reader has not taken yet.
       BUG: a DPC must never wait. This runs at DISPATCH_LEVEL, in whatever thread the
       interrupt happened to interrupt, so there is no thread of ours to put to sleep. While
       SlotFree is signaled the wait is satisfied at once and nothing happens; the first
       time it is not (the reader is behind), the kernel has to switch threads from inside
       a DPC and stops with ATTEMPTED_SWITCH_FROM_DPC (0xB8). */
    KeWaitForSingleObject(&ext->SlotFree, Executive, KernelMode, FALSE, NULL);

    ext->Mailbox = take.Sample;
    KeSetEvent(&ext->SampleReady, IO_NO_INCREMENT, FALSE);
}
