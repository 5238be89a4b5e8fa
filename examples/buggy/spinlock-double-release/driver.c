/*
 * driver.c - "Counter": a WDM driver for a sampling card that keeps running statistics
 * (updated by the DpcForIsr) and returns them through two IOCTLs.
 *
 * BUGGY ON PURPOSE (see README.md): one error path of the IOCTL handler releases the
 * statistics spin lock early and then falls through to the common release after the
 * switch, so KeReleaseSpinLock runs twice. The second call happens at PASSIVE_LEVEL (the
 * first one already lowered IRQL), which Driver Verifier reports as
 * DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4) with Arg1 = 0x32.
 */

#include <ntddk.h>

/* ---- Hardware: 16 bytes of registers in a memory BAR --------------------------------- */
typedef struct _CNT_REGISTERS {
    ULONG Status;       /* 0x00 R/W1C: bit 0 DATA_READY, bit 1 ERROR */
    ULONG Control;      /* 0x04 W:     bit 0 START, bit 1 RESET */
    ULONG IntEnable;    /* 0x08 R/W:   causes that raise the interrupt */
    ULONG Data;         /* 0x0C R:     the latest sample */
} CNT_REGISTERS, *PCNT_REGISTERS;

#define CNT_STATUS_DATA_READY   0x00000001
#define CNT_STATUS_ERROR        0x00000002
#define CNT_STATUS_CAUSES       (CNT_STATUS_DATA_READY | CNT_STATUS_ERROR)
#define CNT_CONTROL_RESET       0x00000002

/* Out: CNT_STATISTICS. */
#define IOCTL_COUNTER_GET_STATISTICS \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)
/* No buffers. */
#define IOCTL_COUNTER_RESET_STATISTICS \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_WRITE_ACCESS)

typedef struct _CNT_STATISTICS {
    ULONG Samples;
    ULONG Errors;
    ULONG Last;
    ULONG Max;
} CNT_STATISTICS, *PCNT_STATISTICS;

typedef struct _CNT_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PCNT_REGISTERS Registers;
    PKINTERRUPT Interrupt;
    BOOLEAN Started;

    ULONG IsrStatus;                    /* ISR -> DPC, under the interrupt spin lock */
    ULONG IsrSample;

    KSPIN_LOCK StatsLock;               /* DPC (DISPATCH_LEVEL) and IOCTLs (PASSIVE_LEVEL) */
    CNT_STATISTICS Stats;
} CNT_EXTENSION, *PCNT_EXTENSION;

typedef struct _CNT_TAKE {
    PCNT_EXTENSION Extension;
    ULONG Status;
    ULONG Sample;
} CNT_TAKE, *PCNT_TAKE;

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE CntAddDevice;
DRIVER_UNLOAD CntUnload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH CntDispatchCreateClose;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH CntDispatchDeviceControl;
_Dispatch_type_(IRP_MJ_PNP) DRIVER_DISPATCH CntDispatchPnp;
_Dispatch_type_(IRP_MJ_POWER) DRIVER_DISPATCH CntDispatchPower;
IO_COMPLETION_ROUTINE CntStartCompletion;
KSERVICE_ROUTINE CntInterruptService;
IO_DPC_ROUTINE CntDpcForIsr;
KSYNCHRONIZE_ROUTINE CntTakeIsrState;
KSYNCHRONIZE_ROUTINE CntEnableInterrupts;
KSYNCHRONIZE_ROUTINE CntDisableInterrupts;

static NTSTATUS CntStartDevice(_In_ PCNT_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID CntStopDevice(_In_ PCNT_EXTENSION Ext);

/* CntDispatchDeviceControl takes a spin lock, so it is not pageable: code runs at
   DISPATCH_LEVEL while the lock is held. */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, CntAddDevice)
#pragma alloc_text(PAGE, CntUnload)
#pragma alloc_text(PAGE, CntDispatchCreateClose)
#pragma alloc_text(PAGE, CntDispatchPnp)
#pragma alloc_text(PAGE, CntStartDevice)
#pragma alloc_text(PAGE, CntStopDevice)
#endif

/* ======================================================================================
 * Setup and Plug and Play (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = CntDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = CntDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = CntDispatchDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = CntDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = CntDispatchPower;
    DriverObject->DriverExtension->AddDevice = CntAddDevice;
    DriverObject->DriverUnload = CntUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS CntAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo;
    PCNT_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    status = IoCreateDevice(DriverObject, sizeof(CNT_EXTENSION), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    ext = (PCNT_EXTENSION)fdo->DeviceExtension;
    ext->Self = fdo;
    KeInitializeSpinLock(&ext->StatsLock);
    IoInitializeDpcRequest(fdo, CntDpcForIsr);

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
VOID CntUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
}

_Use_decl_annotations_
NTSTATUS CntStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

_Use_decl_annotations_
NTSTATUS CntDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PCNT_EXTENSION ext = (PCNT_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        KeInitializeEvent(&event, NotificationEvent, FALSE);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, CntStartCompletion, &event, TRUE, TRUE, TRUE);
        status = IoCallDriver(ext->LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
            status = Irp->IoStatus.Status;
        }
        if (NT_SUCCESS(status)) {
            status = CntStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        Irp->IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;

    case IRP_MN_SURPRISE_REMOVAL:
    case IRP_MN_STOP_DEVICE:
        CntStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        CntStopDevice(ext);
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

static NTSTATUS CntStartDevice(PCNT_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
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
            desc->u.Memory.Length >= sizeof(CNT_REGISTERS)) {
            Ext->Registers = (PCNT_REGISTERS)MmMapIoSpace(desc->u.Memory.Start, sizeof(CNT_REGISTERS), MmNonCached);
        } else if (desc->Type == CmResourceTypeInterrupt) {
            irq = desc;
        }
    }
    if (Ext->Registers == NULL || irq == NULL) {
        if (Ext->Registers != NULL) {
            MmUnmapIoSpace(Ext->Registers, sizeof(CNT_REGISTERS));
            Ext->Registers = NULL;
        }
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    WRITE_REGISTER_ULONG(&Ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, CNT_CONTROL_RESET);
    WRITE_REGISTER_ULONG(&Ext->Registers->Status, CNT_STATUS_CAUSES);

    status = IoConnectInterrupt(&Ext->Interrupt, CntInterruptService, Ext, NULL,
                                irq->u.Interrupt.Vector, (KIRQL)irq->u.Interrupt.Level,
                                (KIRQL)irq->u.Interrupt.Level,
                                (irq->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive,
                                (BOOLEAN)(irq->ShareDisposition == CmResourceShareShared),
                                irq->u.Interrupt.Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        MmUnmapIoSpace(Ext->Registers, sizeof(CNT_REGISTERS));
        Ext->Registers = NULL;
        return status;
    }
    Ext->Started = TRUE;
    KeSynchronizeExecution(Ext->Interrupt, CntEnableInterrupts, Ext);
    return STATUS_SUCCESS;
}

static VOID CntStopDevice(PCNT_EXTENSION Ext)
{
    PAGED_CODE();

    if (!Ext->Started) {
        return;
    }
    Ext->Started = FALSE;
    KeSynchronizeExecution(Ext->Interrupt, CntDisableInterrupts, Ext);
    KeFlushQueuedDpcs();                /* the DPC uses Ext->Interrupt */
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;
    MmUnmapIoSpace(Ext->Registers, sizeof(CNT_REGISTERS));
    Ext->Registers = NULL;
}

_Use_decl_annotations_
NTSTATUS CntDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PCNT_EXTENSION ext = (PCNT_EXTENSION)DeviceObject->DeviceExtension;

    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    return PoCallDriver(ext->LowerDevice, Irp);
}

/* ======================================================================================
 * Requests
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS CntDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

/* Both IOCTLs read or write the statistics the DPC updates on another CPU, so the whole
   switch runs under StatsLock: acquired once before it, released once after it. */
_Use_decl_annotations_
NTSTATUS CntDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PCNT_EXTENSION ext = (PCNT_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    ULONG_PTR information = 0;
    NTSTATUS status;
    KIRQL oldIrql;

    KeAcquireSpinLock(&ext->StatsLock, &oldIrql);

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_COUNTER_GET_STATISTICS:
        if (outLength < sizeof(CNT_STATISTICS)) {
            /* Added later, to log callers that pass a short buffer. The lock is dropped
               first because DbgPrint is slow and the DPC would spin on the lock meanwhile.
               BUG: the `break` then reaches the KeReleaseSpinLock after the switch, which
               releases the lock a second time. That call runs at PASSIVE_LEVEL (the first
               one restored oldIrql): Driver Verifier stops the machine there with
               0xC4 / 0x32. Without Verifier it silently "releases" a lock that another CPU
               may have acquired in between. */
            KeReleaseSpinLock(&ext->StatsLock, oldIrql);
            KdPrint(("Counter: GET_STATISTICS with a %lu-byte buffer (need %u)\n",
                     outLength, (ULONG)sizeof(CNT_STATISTICS)));
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        *(PCNT_STATISTICS)Irp->AssociatedIrp.SystemBuffer = ext->Stats;
        information = sizeof(CNT_STATISTICS);
        status = STATUS_SUCCESS;
        break;

    case IOCTL_COUNTER_RESET_STATISTICS:
        RtlZeroMemory(&ext->Stats, sizeof(ext->Stats));
        status = STATUS_SUCCESS;
        break;

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    KeReleaseSpinLock(&ext->StatsLock, oldIrql);

    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN CntEnableInterrupts(PVOID SynchronizeContext)
{
    PCNT_EXTENSION ext = (PCNT_EXTENSION)SynchronizeContext;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, CNT_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN CntDisableInterrupts(PVOID SynchronizeContext)
{
    PCNT_EXTENSION ext = (PCNT_EXTENSION)SynchronizeContext;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&ext->Registers->Status, CNT_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN CntInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PCNT_EXTENSION ext = (PCNT_EXTENSION)ServiceContext;
    ULONG status;

    UNREFERENCED_PARAMETER(Interrupt);

    status = READ_REGISTER_ULONG(&ext->Registers->Status);
    if ((status & CNT_STATUS_CAUSES) == 0) {
        return FALSE;
    }
    WRITE_REGISTER_ULONG(&ext->Registers->Status, status & CNT_STATUS_CAUSES);
    if (status & CNT_STATUS_DATA_READY) {
        ext->IsrSample = READ_REGISTER_ULONG(&ext->Registers->Data);
    }
    ext->IsrStatus |= status & CNT_STATUS_CAUSES;
    IoRequestDpc(ext->Self, NULL, NULL);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN CntTakeIsrState(PVOID SynchronizeContext)
{
    PCNT_TAKE take = (PCNT_TAKE)SynchronizeContext;

    take->Status = take->Extension->IsrStatus;
    take->Sample = take->Extension->IsrSample;
    take->Extension->IsrStatus = 0;
    return TRUE;
}

_Use_decl_annotations_
VOID CntDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PCNT_EXTENSION ext = (PCNT_EXTENSION)DeviceObject->DeviceExtension;
    CNT_TAKE take;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    take.Extension = ext;
    KeSynchronizeExecution(ext->Interrupt, CntTakeIsrState, &take);

    /* Already at DISPATCH_LEVEL: take the lock without raising. */
    KeAcquireSpinLockAtDpcLevel(&ext->StatsLock);
    if (take.Status & CNT_STATUS_DATA_READY) {
        ext->Stats.Samples++;
        ext->Stats.Last = take.Sample;
        if (take.Sample > ext->Stats.Max) {
            ext->Stats.Max = take.Sample;
        }
    }
    if (take.Status & CNT_STATUS_ERROR) {
        ext->Stats.Errors++;
    }
    KeReleaseSpinLockFromDpcLevel(&ext->StatsLock);
}
