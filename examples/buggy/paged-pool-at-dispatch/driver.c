/*
 * driver.c - "History": a WDM driver for a sampling card that keeps the last 16384
 * samples in a history buffer for diagnostics.
 *
 * BUGGY ON PURPOSE (see README.md): the history buffer comes from paged pool, and the
 * DpcForIsr writes to it at DISPATCH_LEVEL. Paged memory may be on disk; a page fault
 * cannot be serviced at DISPATCH_LEVEL, so the write bug checks with
 * DRIVER_IRQL_NOT_LESS_OR_EQUAL (0xD1). On a real machine it only crashes when the page
 * happens to be paged out; Driver Verifier's "force IRQL checking" (on in kdsim.json)
 * pages out all pageable memory whenever the driver raises IRQL, so it crashes every time.
 */

#include <ntddk.h>

/* ---- Hardware: 16 bytes of registers in a memory BAR --------------------------------- */
typedef struct _HIS_REGISTERS {
    ULONG Status;       /* 0x00 R/W1C: bit 0 DATA_READY, bit 1 ERROR */
    ULONG Control;      /* 0x04 W:     bit 0 START, bit 1 RESET */
    ULONG IntEnable;    /* 0x08 R/W:   causes that raise the interrupt */
    ULONG Data;         /* 0x0C R:     the latest sample */
} HIS_REGISTERS, *PHIS_REGISTERS;

#define HIS_STATUS_DATA_READY   0x00000001
#define HIS_STATUS_ERROR        0x00000002
#define HIS_STATUS_CAUSES       (HIS_STATUS_DATA_READY | HIS_STATUS_ERROR)
#define HIS_CONTROL_RESET       0x00000002

#define HIS_POOL_TAG            'tsiH'      /* "Hist" */
#define HIS_HISTORY_LENGTH      16384       /* samples: 64 KB */

typedef struct _HIS_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PHIS_REGISTERS Registers;
    PKINTERRUPT Interrupt;
    BOOLEAN Started;

    ULONG IsrSample;                    /* ISR -> DPC, under the interrupt spin lock */
    ULONG IsrCount;

    PULONG History;                     /* HIS_HISTORY_LENGTH samples, a ring */
    ULONG HistoryNext;                  /* DPC only */
    ULONG Samples;                      /* DPC only */
} HIS_EXTENSION, *PHIS_EXTENSION;

typedef struct _HIS_TAKE {
    PHIS_EXTENSION Extension;
    ULONG Sample;
    ULONG Count;
} HIS_TAKE, *PHIS_TAKE;

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE HisAddDevice;
DRIVER_UNLOAD HisUnload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH HisDispatchCreateClose;
_Dispatch_type_(IRP_MJ_PNP) DRIVER_DISPATCH HisDispatchPnp;
_Dispatch_type_(IRP_MJ_POWER) DRIVER_DISPATCH HisDispatchPower;
IO_COMPLETION_ROUTINE HisStartCompletion;
KSERVICE_ROUTINE HisInterruptService;
IO_DPC_ROUTINE HisDpcForIsr;
KSYNCHRONIZE_ROUTINE HisTakeSample;
KSYNCHRONIZE_ROUTINE HisEnableInterrupts;
KSYNCHRONIZE_ROUTINE HisDisableInterrupts;

static NTSTATUS HisStartDevice(_In_ PHIS_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID HisStopDevice(_In_ PHIS_EXTENSION Ext);

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, HisAddDevice)
#pragma alloc_text(PAGE, HisUnload)
#pragma alloc_text(PAGE, HisDispatchCreateClose)
#pragma alloc_text(PAGE, HisDispatchPnp)
#pragma alloc_text(PAGE, HisStartDevice)
#pragma alloc_text(PAGE, HisStopDevice)
#endif

/* ======================================================================================
 * Setup and Plug and Play (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = HisDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = HisDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_PNP] = HisDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = HisDispatchPower;
    DriverObject->DriverExtension->AddDevice = HisAddDevice;
    DriverObject->DriverUnload = HisUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS HisAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo;
    PHIS_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    status = IoCreateDevice(DriverObject, sizeof(HIS_EXTENSION), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    ext = (PHIS_EXTENSION)fdo->DeviceExtension;
    ext->Self = fdo;
    IoInitializeDpcRequest(fdo, HisDpcForIsr);

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
VOID HisUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
}

_Use_decl_annotations_
NTSTATUS HisDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS HisStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

_Use_decl_annotations_
NTSTATUS HisDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PHIS_EXTENSION ext = (PHIS_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        KeInitializeEvent(&event, NotificationEvent, FALSE);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, HisStartCompletion, &event, TRUE, TRUE, TRUE);
        status = IoCallDriver(ext->LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
            status = Irp->IoStatus.Status;
        }
        if (NT_SUCCESS(status)) {
            status = HisStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        Irp->IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;

    case IRP_MN_SURPRISE_REMOVAL:
    case IRP_MN_STOP_DEVICE:
        HisStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        HisStopDevice(ext);
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

static NTSTATUS HisStartDevice(PHIS_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
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
            desc->u.Memory.Length >= sizeof(HIS_REGISTERS)) {
            Ext->Registers = (PHIS_REGISTERS)MmMapIoSpace(desc->u.Memory.Start, sizeof(HIS_REGISTERS), MmNonCached);
        } else if (desc->Type == CmResourceTypeInterrupt) {
            irq = desc;
        }
    }
    if (Ext->Registers == NULL || irq == NULL) {
        if (Ext->Registers != NULL) {
            MmUnmapIoSpace(Ext->Registers, sizeof(HIS_REGISTERS));
            Ext->Registers = NULL;
        }
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    /* 64 KB is a lot of nonpaged pool for a diagnostic feature, and the history is only
       looked at once in a while, so: paged pool. (BUG: the writer is the DPC; see below.) */
    Ext->History = (PULONG)ExAllocatePool2(POOL_FLAG_PAGED, HIS_HISTORY_LENGTH * sizeof(ULONG), HIS_POOL_TAG);
    if (Ext->History == NULL) {
        MmUnmapIoSpace(Ext->Registers, sizeof(HIS_REGISTERS));
        Ext->Registers = NULL;
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    WRITE_REGISTER_ULONG(&Ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, HIS_CONTROL_RESET);
    WRITE_REGISTER_ULONG(&Ext->Registers->Status, HIS_STATUS_CAUSES);

    status = IoConnectInterrupt(&Ext->Interrupt, HisInterruptService, Ext, NULL,
                                irq->u.Interrupt.Vector, (KIRQL)irq->u.Interrupt.Level,
                                (KIRQL)irq->u.Interrupt.Level,
                                (irq->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive,
                                (BOOLEAN)(irq->ShareDisposition == CmResourceShareShared),
                                irq->u.Interrupt.Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(Ext->History, HIS_POOL_TAG);
        Ext->History = NULL;
        MmUnmapIoSpace(Ext->Registers, sizeof(HIS_REGISTERS));
        Ext->Registers = NULL;
        return status;
    }
    Ext->Started = TRUE;
    KeSynchronizeExecution(Ext->Interrupt, HisEnableInterrupts, Ext);
    return STATUS_SUCCESS;
}

static VOID HisStopDevice(PHIS_EXTENSION Ext)
{
    PAGED_CODE();

    if (!Ext->Started) {
        return;
    }
    Ext->Started = FALSE;
    KeSynchronizeExecution(Ext->Interrupt, HisDisableInterrupts, Ext);
    KeFlushQueuedDpcs();                /* the DPC uses Ext->Interrupt and Ext->History */
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;
    ExFreePoolWithTag(Ext->History, HIS_POOL_TAG);
    Ext->History = NULL;
    MmUnmapIoSpace(Ext->Registers, sizeof(HIS_REGISTERS));
    Ext->Registers = NULL;
}

_Use_decl_annotations_
NTSTATUS HisDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PHIS_EXTENSION ext = (PHIS_EXTENSION)DeviceObject->DeviceExtension;

    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    return PoCallDriver(ext->LowerDevice, Irp);
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN HisEnableInterrupts(PVOID SynchronizeContext)
{
    PHIS_EXTENSION ext = (PHIS_EXTENSION)SynchronizeContext;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, HIS_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN HisDisableInterrupts(PVOID SynchronizeContext)
{
    PHIS_EXTENSION ext = (PHIS_EXTENSION)SynchronizeContext;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&ext->Registers->Status, HIS_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN HisInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PHIS_EXTENSION ext = (PHIS_EXTENSION)ServiceContext;
    ULONG status;

    UNREFERENCED_PARAMETER(Interrupt);

    status = READ_REGISTER_ULONG(&ext->Registers->Status);
    if ((status & HIS_STATUS_CAUSES) == 0) {
        return FALSE;
    }
    WRITE_REGISTER_ULONG(&ext->Registers->Status, status & HIS_STATUS_CAUSES);
    if (status & HIS_STATUS_DATA_READY) {
        ext->IsrSample = READ_REGISTER_ULONG(&ext->Registers->Data);
        ext->IsrCount++;
    }
    IoRequestDpc(ext->Self, NULL, NULL);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN HisTakeSample(PVOID SynchronizeContext)
{
    PHIS_TAKE take = (PHIS_TAKE)SynchronizeContext;

    take->Sample = take->Extension->IsrSample;
    take->Count = take->Extension->IsrCount;
    take->Extension->IsrCount = 0;
    return TRUE;
}

_Use_decl_annotations_
VOID HisDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PHIS_EXTENSION ext = (PHIS_EXTENSION)DeviceObject->DeviceExtension;
    HIS_TAKE take;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    take.Extension = ext;
    KeSynchronizeExecution(ext->Interrupt, HisTakeSample, &take);
    if (take.Count == 0) {
        return;
    }

    /* BUG: ext->History is paged pool and this is DISPATCH_LEVEL. If the page is not
       resident the processor faults, and the memory manager cannot bring the page in at
       this IRQL: bug check 0xD1 with Arg1 = this address, Arg2 = 2 (DISPATCH_LEVEL),
       Arg3 = 1 (a write), Arg4 = the address of this instruction. */
    ext->History[ext->HistoryNext] = take.Sample;
    ext->HistoryNext = (ext->HistoryNext + 1) % HIS_HISTORY_LENGTH;
    ext->Samples += take.Count;
}
