/*
 * driver.c - "Digitizer": a WDM driver for a pen digitizer card. The card reports each pen
 * position as two words, X then Y, each latched in Data with its own DATA_READY.
 *
 * BUGGY ON PURPOSE (see README.md): to save an interrupt per report, the DpcForIsr takes X
 * from the ISR and then polls the card for Y with KeStallExecutionProcessor(50) in a loop
 * with no upper bound. When a report is cut short (the pen is lifted between X and Y)
 * DATA_READY never comes back, the DPC never returns, and after its allotment of 0x500
 * clock ticks (20 s) the DPC watchdog stops the machine with DPC_WATCHDOG_VIOLATION (0x133).
 */

#include <ntddk.h>

/* ---- Hardware: 16 bytes of registers in a memory BAR --------------------------------- */
typedef struct _DGT_REGISTERS {
    ULONG Status;       /* 0x00 R/W1C: bit 0 DATA_READY, bit 1 ERROR */
    ULONG Control;      /* 0x04 W:     bit 0 START, bit 1 RESET */
    ULONG IntEnable;    /* 0x08 R/W:   causes that raise the interrupt */
    ULONG Data;         /* 0x0C R:     the latest word (X or Y) */
} DGT_REGISTERS, *PDGT_REGISTERS;

#define DGT_STATUS_DATA_READY   0x00000001
#define DGT_STATUS_ERROR        0x00000002
#define DGT_STATUS_CAUSES       (DGT_STATUS_DATA_READY | DGT_STATUS_ERROR)
#define DGT_CONTROL_RESET       0x00000002

#define DGT_POLL_INTERVAL_US    50      /* the DDI's guidance: stall at most 50 us at a time */

typedef struct _DGT_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PDGT_REGISTERS Registers;
    PKINTERRUPT Interrupt;
    BOOLEAN Started;

    /* Under the interrupt spin lock. */
    ULONG EnabledCauses;                /* shadow of IntEnable: what the ISR may claim */
    ULONG IsrWord;                      /* the word (X) the ISR read */
    BOOLEAN IsrHaveWord;

    ULONG Reports;                      /* DPC only */
} DGT_EXTENSION, *PDGT_EXTENSION;

typedef struct _DGT_TAKE {
    PDGT_EXTENSION Extension;
    ULONG Word;
    BOOLEAN HaveWord;
} DGT_TAKE, *PDGT_TAKE;

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE DgtAddDevice;
DRIVER_UNLOAD DgtUnload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH DgtDispatchCreateClose;
_Dispatch_type_(IRP_MJ_PNP) DRIVER_DISPATCH DgtDispatchPnp;
_Dispatch_type_(IRP_MJ_POWER) DRIVER_DISPATCH DgtDispatchPower;
IO_COMPLETION_ROUTINE DgtStartCompletion;
KSERVICE_ROUTINE DgtInterruptService;
IO_DPC_ROUTINE DgtDpcForIsr;
KSYNCHRONIZE_ROUTINE DgtTakeWord;
KSYNCHRONIZE_ROUTINE DgtEnableInterrupts;
KSYNCHRONIZE_ROUTINE DgtDisableInterrupts;

static NTSTATUS DgtStartDevice(_In_ PDGT_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID DgtStopDevice(_In_ PDGT_EXTENSION Ext);

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, DgtAddDevice)
#pragma alloc_text(PAGE, DgtUnload)
#pragma alloc_text(PAGE, DgtDispatchCreateClose)
#pragma alloc_text(PAGE, DgtDispatchPnp)
#pragma alloc_text(PAGE, DgtStartDevice)
#pragma alloc_text(PAGE, DgtStopDevice)
#endif

/* ======================================================================================
 * Setup and Plug and Play (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = DgtDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = DgtDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_PNP] = DgtDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = DgtDispatchPower;
    DriverObject->DriverExtension->AddDevice = DgtAddDevice;
    DriverObject->DriverUnload = DgtUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS DgtAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo;
    PDGT_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    status = IoCreateDevice(DriverObject, sizeof(DGT_EXTENSION), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    ext = (PDGT_EXTENSION)fdo->DeviceExtension;
    ext->Self = fdo;
    IoInitializeDpcRequest(fdo, DgtDpcForIsr);

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
VOID DgtUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
}

_Use_decl_annotations_
NTSTATUS DgtDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS DgtStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

_Use_decl_annotations_
NTSTATUS DgtDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PDGT_EXTENSION ext = (PDGT_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        KeInitializeEvent(&event, NotificationEvent, FALSE);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, DgtStartCompletion, &event, TRUE, TRUE, TRUE);
        status = IoCallDriver(ext->LowerDevice, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
            status = Irp->IoStatus.Status;
        }
        if (NT_SUCCESS(status)) {
            status = DgtStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        Irp->IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;

    case IRP_MN_SURPRISE_REMOVAL:
    case IRP_MN_STOP_DEVICE:
        DgtStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        DgtStopDevice(ext);
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

static NTSTATUS DgtStartDevice(PDGT_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
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
            desc->u.Memory.Length >= sizeof(DGT_REGISTERS)) {
            Ext->Registers = (PDGT_REGISTERS)MmMapIoSpace(desc->u.Memory.Start, sizeof(DGT_REGISTERS), MmNonCached);
        } else if (desc->Type == CmResourceTypeInterrupt) {
            irq = desc;
        }
    }
    if (Ext->Registers == NULL || irq == NULL) {
        if (Ext->Registers != NULL) {
            MmUnmapIoSpace(Ext->Registers, sizeof(DGT_REGISTERS));
            Ext->Registers = NULL;
        }
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    WRITE_REGISTER_ULONG(&Ext->Registers->IntEnable, 0);
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, DGT_CONTROL_RESET);
    WRITE_REGISTER_ULONG(&Ext->Registers->Status, DGT_STATUS_CAUSES);

    status = IoConnectInterrupt(&Ext->Interrupt, DgtInterruptService, Ext, NULL,
                                irq->u.Interrupt.Vector, (KIRQL)irq->u.Interrupt.Level,
                                (KIRQL)irq->u.Interrupt.Level,
                                (irq->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive,
                                (BOOLEAN)(irq->ShareDisposition == CmResourceShareShared),
                                irq->u.Interrupt.Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        MmUnmapIoSpace(Ext->Registers, sizeof(DGT_REGISTERS));
        Ext->Registers = NULL;
        return status;
    }
    Ext->Started = TRUE;
    KeSynchronizeExecution(Ext->Interrupt, DgtEnableInterrupts, Ext);
    return STATUS_SUCCESS;
}

static VOID DgtStopDevice(PDGT_EXTENSION Ext)
{
    PAGED_CODE();

    if (!Ext->Started) {
        return;
    }
    Ext->Started = FALSE;
    KeSynchronizeExecution(Ext->Interrupt, DgtDisableInterrupts, Ext);
    KeFlushQueuedDpcs();                /* the DPC uses Ext->Interrupt and the registers */
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;
    MmUnmapIoSpace(Ext->Registers, sizeof(DGT_REGISTERS));
    Ext->Registers = NULL;
}

_Use_decl_annotations_
NTSTATUS DgtDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PDGT_EXTENSION ext = (PDGT_EXTENSION)DeviceObject->DeviceExtension;

    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    return PoCallDriver(ext->LowerDevice, Irp);
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN DgtEnableInterrupts(PVOID SynchronizeContext)
{
    PDGT_EXTENSION ext = (PDGT_EXTENSION)SynchronizeContext;

    ext->EnabledCauses = DGT_STATUS_CAUSES;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, DGT_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN DgtDisableInterrupts(PVOID SynchronizeContext)
{
    PDGT_EXTENSION ext = (PDGT_EXTENSION)SynchronizeContext;

    ext->EnabledCauses = 0;
    WRITE_REGISTER_ULONG(&ext->Registers->IntEnable, 0);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN DgtInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PDGT_EXTENSION ext = (PDGT_EXTENSION)ServiceContext;
    ULONG status;

    UNREFERENCED_PARAMETER(Interrupt);

    /* Only causes we enabled are ours: while the DPC polls for Y it masks the card, and a
       shared line interrupting for another device must not make us take Y from it. */
    status = READ_REGISTER_ULONG(&ext->Registers->Status) & ext->EnabledCauses;
    if (status == 0) {
        return FALSE;
    }
    WRITE_REGISTER_ULONG(&ext->Registers->Status, status);
    if (status & DGT_STATUS_DATA_READY) {
        ext->IsrWord = READ_REGISTER_ULONG(&ext->Registers->Data);
        ext->IsrHaveWord = TRUE;
    }
    IoRequestDpc(ext->Self, NULL, NULL);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN DgtTakeWord(PVOID SynchronizeContext)
{
    PDGT_TAKE take = (PDGT_TAKE)SynchronizeContext;

    take->Word = take->Extension->IsrWord;
    take->HaveWord = take->Extension->IsrHaveWord;
    take->Extension->IsrHaveWord = FALSE;
    return TRUE;
}

_Use_decl_annotations_
VOID DgtDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PDGT_EXTENSION ext = (PDGT_EXTENSION)DeviceObject->DeviceExtension;
    DGT_TAKE take;
    ULONG x;
    ULONG y;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    take.Extension = ext;
    KeSynchronizeExecution(ext->Interrupt, DgtTakeWord, &take);
    if (!take.HaveWord) {
        return;
    }
    x = take.Word;

    /* The card sends Y a few microseconds after X, so rather than take a second interrupt
       and keep half a report around, fetch Y right here: mask the card so the ISR leaves
       Y alone, and poll for it. */
    KeSynchronizeExecution(ext->Interrupt, DgtDisableInterrupts, ext);

    /* BUG: nothing bounds this loop. If Y never comes (the pen was lifted between X and Y,
       or the card was reset) DATA_READY never sets and the DPC spins at DISPATCH_LEVEL
       for ever: no thread runs on this CPU, and after 0x500 clock ticks the DPC watchdog
       bug checks with DPC_WATCHDOG_VIOLATION (0x133), Arg1 = 0. */
    while ((READ_REGISTER_ULONG(&ext->Registers->Status) & DGT_STATUS_DATA_READY) == 0) {
        KeStallExecutionProcessor(DGT_POLL_INTERVAL_US);
    }
    y = READ_REGISTER_ULONG(&ext->Registers->Data);
    WRITE_REGISTER_ULONG(&ext->Registers->Status, DGT_STATUS_DATA_READY);

    KeSynchronizeExecution(ext->Interrupt, DgtEnableInterrupts, ext);

    ext->Reports++;
    KdPrint(("Digitizer: report %lu: x=%lu y=%lu\n", ext->Reports, x, y));
}
