/*
 * driver.c - "RingCard" WDM function driver: descriptor rings in a PCI BAR, message-signalled
 * interrupts with a line-based fallback (see README.md for a walkthrough, driver.h for the card).
 *
 *   AddDevice        IoCreateDevice, IoAttachDeviceToDeviceStack, KeInitializeDpc
 *   START_DEVICE     forward down and wait; translated resources: BAR0 -> MmMapIoSpaceEx,
 *                    interrupts (CM_RESOURCE_INTERRUPT_MESSAGE or a line); reset the card;
 *                    IoConnectInterruptEx(CONNECT_MESSAGE_BASED, fallback ISR); then program
 *                    the rings, enable MSI (if messages), INT_MASK, ENABLE
 *   Message ISR      (DIRQL) MessageID = the cause: W1C it, KeInsertQueueDpc(MessageID)
 *   Line ISR         (DIRQL) read INT_STATUS: ours? W1C what is pending, KeInsertQueueDpc
 *   RingDpc          (DISPATCH) harvest RX descriptors into the receive queue, re-arm them,
 *                    ring RX_DOORBELL; satisfy reads; harvest TX, complete the write, queue
 *                    more descriptors; count errors and RX_MISSED
 *   Read / Write     pend on driver queues with a cancel routine; writes go out 8 bytes per
 *                    TX descriptor
 *   STOP / REMOVE    mask and disable, IoDisconnectInterruptEx, KeFlushQueuedDpcs, reset,
 *                    complete what is pending, MmUnmapIoSpace
 */

#include "driver.h"

static NTSTATUS RingCompleteIrp(_Inout_ PIRP Irp, _In_ NTSTATUS Status, _In_ ULONG_PTR Information);

/* PnP helpers: PASSIVE_LEVEL. */
_IRQL_requires_(PASSIVE_LEVEL)
static NTSTATUS RingForwardIrpSynchronous(_In_ PRING_EXTENSION Ext, _Inout_ PIRP Irp);
_IRQL_requires_(PASSIVE_LEVEL)
static NTSTATUS RingStartDevice(_In_ PRING_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
_IRQL_requires_(PASSIVE_LEVEL)
static NTSTATUS RingConnectInterrupts(_In_ PRING_EXTENSION Ext);
_IRQL_requires_(PASSIVE_LEVEL)
static VOID RingDisconnectInterrupts(_In_ PRING_EXTENSION Ext);
_IRQL_requires_(PASSIVE_LEVEL)
static VOID RingStopDevice(_In_ PRING_EXTENSION Ext, _In_ NTSTATUS Status);
_IRQL_requires_max_(APC_LEVEL)
static VOID RingUnmapRegisters(_In_ PRING_EXTENSION Ext);

/* They take Lock themselves. */
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static VOID RingProgramDevice(_In_ PRING_EXTENSION Ext);
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static BOOLEAN RingSetStarted(_In_ PRING_EXTENSION Ext, _In_ BOOLEAN Started);
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static VOID RingFailPendingIrps(_In_ PRING_EXTENSION Ext, _In_ NTSTATUS Status);
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static VOID RingCompleteList(_In_ PRING_EXTENSION Ext, _Inout_ PLIST_ENTRY Done);

/* Queue and ring work: called holding Lock, hence at DISPATCH_LEVEL. */
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static BOOLEAN RingQueueIrp(_In_ PRING_EXTENSION Ext, _In_ PLIST_ENTRY Queue, _Inout_ PIRP Irp);
_IRQL_requires_(DISPATCH_LEVEL)
static PIRP RingDequeueIrp(_In_ PLIST_ENTRY Queue);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static ULONG RingRxQueueGet(_In_ PRING_EXTENSION Ext, _Out_writes_bytes_(Length) PUCHAR Buffer, _In_ ULONG Length);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static VOID RingRxQueuePut(_In_ PRING_EXTENSION Ext, _In_reads_bytes_(Length) const UCHAR *Data, _In_ ULONG Length);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static VOID RingHarvestRx(_In_ PRING_EXTENSION Ext);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static VOID RingServeReads(_In_ PRING_EXTENSION Ext, _Inout_ PLIST_ENTRY Done);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static VOID RingHarvestTx(_In_ PRING_EXTENSION Ext, _Inout_ PLIST_ENTRY Done);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static VOID RingStartTx(_In_ PRING_EXTENSION Ext);

/* Only PASSIVE_LEVEL code that holds no spin lock is pageable; whatever takes Lock or runs
   at DISPATCH_LEVEL or above stays resident. */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, RingAddDevice)
#pragma alloc_text(PAGE, RingUnload)
#pragma alloc_text(PAGE, RingDispatchCreateClose)
#pragma alloc_text(PAGE, RingDispatchPnp)
#pragma alloc_text(PAGE, RingForwardIrpSynchronous)
#pragma alloc_text(PAGE, RingStartDevice)
#pragma alloc_text(PAGE, RingConnectInterrupts)
#pragma alloc_text(PAGE, RingDisconnectInterrupts)
#pragma alloc_text(PAGE, RingStopDevice)
#pragma alloc_text(PAGE, RingUnmapRegisters)
#endif

/* Descriptor indices wrap modulo the ring size the driver programmed. */
#define RING_NEXT(i)    (((i) + 1) & (RING_ENTRIES - 1))

/* ======================================================================================
 * Driver and device setup (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = RingDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = RingDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = RingDispatchRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = RingDispatchWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = RingDispatchDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = RingDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = RingDispatchPower;
    DriverObject->DriverExtension->AddDevice = RingAddDevice;
    DriverObject->DriverUnload = RingUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS RingAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    UNICODE_STRING deviceName = RTL_CONSTANT_STRING(RING_DEVICE_NAME);
    UNICODE_STRING linkName = RTL_CONSTANT_STRING(RING_LINK_NAME);
    PDEVICE_OBJECT fdo = NULL;
    PRING_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    /* One card per machine in this sample, hence the fixed name. */
    status = IoCreateDevice(DriverObject, sizeof(RING_EXTENSION), &deviceName, FILE_DEVICE_RINGCARD,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        KdPrint(("RingCard: IoCreateDevice failed 0x%08X\n", status));
        return status;
    }

    ext = (PRING_EXTENSION)fdo->DeviceExtension;       /* zeroed by IoCreateDevice */
    ext->Self = fdo;
    ext->Pdo = PhysicalDeviceObject;
    IoInitializeRemoveLock(&ext->RemoveLock, RING_POOL_TAG, 0, 0);
    KeInitializeSpinLock(&ext->Lock);
    InitializeListHead(&ext->ReadQueue);
    InitializeListHead(&ext->WriteQueue);

    /* A custom DPC rather than fdo->Dpc: every message ISR queues the same one and passes
       its MessageID as SystemArgument1. */
    KeInitializeDpc(&ext->Dpc, RingDpc, ext);

    ext->LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
    if (ext->LowerDevice == NULL) {
        IoDeleteDevice(fdo);
        return STATUS_NO_SUCH_DEVICE;
    }

    status = IoCreateSymbolicLink(&linkName, &deviceName);
    if (NT_SUCCESS(status)) {
        ext->LinkCreated = TRUE;
    } else {
        KdPrint(("RingCard: no symbolic link (0x%08X); the device is still usable by name\n", status));
    }

    fdo->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID RingUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
    /* Every device was removed (IRP_MN_REMOVE_DEVICE) before the driver can unload. */
}

/* ======================================================================================
 * Plug and Play
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS RingStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);

    /* Wake RingForwardIrpSynchronous only if IoCallDriver returned STATUS_PENDING to it. */
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    /* Keep the IRP: the PnP dispatch routine finishes it after its own work. */
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static NTSTATUS RingForwardIrpSynchronous(PRING_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, RingStartCompletion, &event, TRUE, TRUE, TRUE);
    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS RingDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    UNICODE_STRING linkName = RTL_CONSTANT_STRING(RING_LINK_NAME);
    NTSTATUS status;

    PAGED_CODE();

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return RingCompleteIrp(Irp, status, 0);
    }

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        /* The bus driver enables the slot first; only then are the resources usable. */
        status = RingForwardIrpSynchronous(ext, Irp);
        if (NT_SUCCESS(status)) {
            status = RingStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return RingCompleteIrp(Irp, status, 0);

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_STOP_DEVICE:
        RingStopDevice(ext, STATUS_DEVICE_NOT_READY);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_SURPRISE_REMOVAL:
        RingStopDevice(ext, STATUS_DELETE_PENDING);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        RingStopDevice(ext, STATUS_DELETE_PENDING);     /* no-op after a surprise removal */
        /* Wait until every other IRP holding the remove lock is finished; new ones fail. */
        IoReleaseRemoveLockAndWait(&ext->RemoveLock, Irp);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(ext->LowerDevice, Irp);
        if (ext->LinkCreated) {
            IoDeleteSymbolicLink(&linkName);
        }
        IoDetachDevice(ext->LowerDevice);
        IoDeleteDevice(DeviceObject);
        return status;

    default:
        break;
    }

    IoSkipCurrentIrpStackLocation(Irp);
    status = IoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* Maps BAR0, connects the interrupts, then brings the card up. */
static NTSTATUS RingStartDevice(PRING_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
{
    PCM_PARTIAL_RESOURCE_LIST list;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    PHYSICAL_ADDRESS barStart;
    ULONG barLength = 0;
    ULONG messages = 0;
    ULONG lines = 0;
    ULONG id;
    NTSTATUS status;
    ULONG i;

    PAGED_CODE();

    if (Translated == NULL || Translated->Count == 0) {
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    barStart.QuadPart = 0;

    list = &Translated->List[0].PartialResourceList;
    for (i = 0; i < list->Count; i++) {
        desc = &list->PartialDescriptors[i];
        switch (desc->Type) {
        case CmResourceTypeMemory:
            if (barLength == 0 && desc->u.Memory.Length >= sizeof(RING_REGISTERS)) {
                barStart = desc->u.Memory.Start;
                barLength = desc->u.Memory.Length;
            }
            break;

        case CmResourceTypeInterrupt:
            /* Messages carry CM_RESOURCE_INTERRUPT_MESSAGE (translated form in
               u.MessageInterrupt.Translated), a line does not (u.Interrupt). Logged only:
               IoConnectInterruptEx finds them from the PDO, and how many messages were
               granted is the MessageCount it returns. */
            if (desc->Flags & CM_RESOURCE_INTERRUPT_MESSAGE) {
                KdPrint(("RingCard: message interrupt: vector 0x%X, IRQL %u\n",
                         desc->u.MessageInterrupt.Translated.Vector, desc->u.MessageInterrupt.Translated.Level));
                messages++;
            } else {
                KdPrint(("RingCard: line interrupt: vector 0x%X, IRQL %u, %s\n", desc->u.Interrupt.Vector,
                         desc->u.Interrupt.Level,
                         (desc->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? "latched" : "level-sensitive"));
                lines++;
            }
            break;

        default:
            break;
        }
    }

    if (barLength == 0 || messages + lines == 0) {
        KdPrint(("RingCard: missing %s resource\n", barLength == 0 ? "BAR0 memory" : "interrupt"));
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    /* Registers and on-chip descriptors: uncached, read-write. */
    Ext->RegisterSpan = sizeof(RING_REGISTERS);
    Ext->Registers = (PRING_REGISTERS)MmMapIoSpaceEx(barStart, Ext->RegisterSpan, PAGE_READWRITE | PAGE_NOCACHE);
    if (Ext->Registers == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    id = READ_REGISTER_ULONG(&Ext->Registers->Id);
    if (id != RING_ID) {
        KdPrint(("RingCard: BAR0 ID reads 0x%08X, not a RingCard\n", id));
        RingUnmapRegisters(Ext);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    /* Power-on state before any ISR exists: disabled, INT_MASK 0, MSI off, no causes. */
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, RING_CONTROL_RESET);

    status = RingConnectInterrupts(Ext);
    if (!NT_SUCCESS(status)) {
        RingUnmapRegisters(Ext);
        return status;
    }

    /* Only now may the card interrupt. */
    RingProgramDevice(Ext);
    return STATUS_SUCCESS;
}

/* IoConnectInterruptEx, message based: one KINTERRUPT per message, RingMessageIsr for all
   of them (MessageID tells which). Without messages it falls back to the line and
   RingLineIsr, and says so in Version. */
static NTSTATUS RingConnectInterrupts(PRING_EXTENSION Ext)
{
    IO_CONNECT_INTERRUPT_PARAMETERS params;
    PIO_INTERRUPT_MESSAGE_INFO table;
    NTSTATUS status;

    PAGED_CODE();

    RtlZeroMemory(&params, sizeof(params));
    params.Version = CONNECT_MESSAGE_BASED;
    params.MessageBased.PhysicalDeviceObject = Ext->Pdo;
    params.MessageBased.ConnectionContext.Generic = &Ext->Connection.Generic;
    params.MessageBased.MessageServiceRoutine = RingMessageIsr;
    params.MessageBased.ServiceContext = Ext;
    /* No driver spin lock: each message gets its own interrupt lock, so the three ISRs can
       run at once on different CPUs. They share only PendingCauses (interlocked). */
    params.MessageBased.SpinLock = NULL;
    params.MessageBased.SynchronizeIrql = PASSIVE_LEVEL;    /* a minimum: the DIRQL wins */
    params.MessageBased.FloatingSave = FALSE;
    params.MessageBased.FallBackServiceRoutine = RingLineIsr;

    status = IoConnectInterruptEx(&params);
    if (!NT_SUCCESS(status)) {
        KdPrint(("RingCard: IoConnectInterruptEx failed 0x%08X\n", status));
        return status;
    }
    Ext->ConnectVersion = params.Version;
    Ext->Connected = TRUE;

    if (params.Version == CONNECT_LINE_BASED) {
        KdPrint(("RingCard: no MSI messages: the line-based fallback ISR is connected\n"));
        return STATUS_SUCCESS;
    }

    table = Ext->Connection.MessageTable;
    if (table->MessageCount < RING_MSI_MESSAGES) {
        /* The card sends message N for cause N and cannot fold causes onto fewer messages. */
        KdPrint(("RingCard: %u MSI message(s) granted, %u needed\n", table->MessageCount, RING_MSI_MESSAGES));
        RingDisconnectInterrupts(Ext);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    KdPrint(("RingCard: MSI: %u messages at IRQL %u (vectors 0x%X 0x%X 0x%X)\n", table->MessageCount,
             table->UnifiedIrql, table->MessageInfo[0].Vector, table->MessageInfo[1].Vector,
             table->MessageInfo[2].Vector));
    return STATUS_SUCCESS;
}

static VOID RingDisconnectInterrupts(PRING_EXTENSION Ext)
{
    IO_DISCONNECT_INTERRUPT_PARAMETERS params;

    PAGED_CODE();

    if (!Ext->Connected) {
        return;
    }
    /* Version and context exactly as IoConnectInterruptEx returned them. */
    RtlZeroMemory(&params, sizeof(params));
    params.Version = Ext->ConnectVersion;
    params.ConnectionContext.Generic = Ext->Connection.Generic;
    IoDisconnectInterruptEx(&params);
    Ext->Connection.Generic = NULL;
    Ext->Connected = FALSE;
}

/* Rings, MSI, mask, enable. Nonpaged: it holds Lock, so that a DPC or a request sees either
   the old state or all of the new one. */
static VOID RingProgramDevice(PRING_EXTENSION Ext)
{
    PRING_REGISTERS regs = Ext->Registers;
    KIRQL oldIrql;
    ULONG i;

    KeAcquireSpinLock(&Ext->Lock, &oldIrql);

    /* RING_SIZE is accepted only while ENABLE is clear (the reset left it clear). */
    WRITE_REGISTER_ULONG(&regs->RingSize, RING_ENTRIES);
    for (i = 0; i < RING_ENTRIES; i++) {
        WRITE_REGISTER_ULONG(&regs->Rx[i].Length, 0);
        WRITE_REGISTER_ULONG(&regs->Rx[i].Flags, RING_DESC_OWNED);
        WRITE_REGISTER_ULONG(&regs->Tx[i].Flags, 0);
    }
    /* Every RX descriptor, 0 through RING_ENTRIES - 1, is the device's. */
    WRITE_REGISTER_ULONG(&regs->RxDoorbell, RING_ENTRIES - 1);

    Ext->RxNext = 0;
    Ext->RxStalled = FALSE;
    Ext->RxQueueHead = 0;
    Ext->RxQueueCount = 0;
    Ext->TxNext = 0;
    Ext->TxClean = 0;
    Ext->TxInFlight = 0;
    Ext->CurrentWrite = NULL;
    Ext->PendingCauses = 0;
    Ext->Started = TRUE;

    if (Ext->ConnectVersion == CONNECT_MESSAGE_BASED) {
        WRITE_REGISTER_ULONG(&regs->MsiControl, RING_MSI_ENABLE);
    }
    Ext->IntMask = RING_INT_ALL;            /* before INT_MASK: a shared line ISR checks it */
    WRITE_REGISTER_ULONG(&regs->IntMask, RING_INT_ALL);
    WRITE_REGISTER_ULONG(&regs->Control, RING_CONTROL_ENABLE);

    KeReleaseSpinLock(&Ext->Lock, oldIrql);
    KdPrint(("RingCard: started, %u-entry rings, %s\n", RING_ENTRIES,
             Ext->ConnectVersion == CONNECT_MESSAGE_BASED ? "MSI" : "line interrupt"));
}

/* Stops accepting work, silences and disconnects the card, fails what cannot finish. */
static VOID RingStopDevice(PRING_EXTENSION Ext, NTSTATUS Status)
{
    PAGED_CODE();

    if (!RingSetStarted(Ext, FALSE)) {
        return;                             /* never started (nothing mapped), or already stopped */
    }

    /* Causes off first: a level line left asserted with no ISR would storm. The ISRs only
       ever write INT_STATUS, so these writes need no interrupt lock. */
    Ext->IntMask = 0;
    WRITE_REGISTER_ULONG(&Ext->Registers->IntMask, 0);
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, 0);
    WRITE_REGISTER_ULONG(&Ext->Registers->IntStatus, RING_INT_ALL);
    RingDisconnectInterrupts(Ext);

    /* A DPC queued by the last interrupt (or by a read) may still be queued or running; it
       sees Started FALSE and leaves the rings alone. */
    KeFlushQueuedDpcs();

    /* Back to power-on state: TX stops, MSI off. */
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, RING_CONTROL_RESET);
    RingFailPendingIrps(Ext, Status);
    RingUnmapRegisters(Ext);
}

static VOID RingUnmapRegisters(PRING_EXTENSION Ext)
{
    PAGED_CODE();

    if (Ext->Registers != NULL) {
        MmUnmapIoSpace(Ext->Registers, Ext->RegisterSpan);
    }
    Ext->Registers = NULL;
}

/* Sets Started under Lock and returns the previous value. */
static BOOLEAN RingSetStarted(PRING_EXTENSION Ext, BOOLEAN Started)
{
    KIRQL oldIrql;
    BOOLEAN wasStarted;

    KeAcquireSpinLock(&Ext->Lock, &oldIrql);
    wasStarted = Ext->Started;
    Ext->Started = Started;
    KeReleaseSpinLock(&Ext->Lock, oldIrql);
    return wasStarted;
}

/* After a stop: completes every queued read and write and the write in progress. */
static VOID RingFailPendingIrps(PRING_EXTENSION Ext, NTSTATUS Status)
{
    LIST_ENTRY done;
    KIRQL oldIrql;
    PIRP irp;

    InitializeListHead(&done);

    KeAcquireSpinLock(&Ext->Lock, &oldIrql);
    while ((irp = RingDequeueIrp(&Ext->ReadQueue)) != NULL) {
        irp->IoStatus.Status = Status;
        irp->IoStatus.Information = 0;
        InsertTailList(&done, &irp->Tail.Overlay.ListEntry);
    }
    while ((irp = RingDequeueIrp(&Ext->WriteQueue)) != NULL) {
        irp->IoStatus.Status = Status;
        irp->IoStatus.Information = 0;
        InsertTailList(&done, &irp->Tail.Overlay.ListEntry);
    }
    if (Ext->CurrentWrite != NULL) {
        irp = Ext->CurrentWrite;
        Ext->CurrentWrite = NULL;
        irp->IoStatus.Status = Status;
        irp->IoStatus.Information = Ext->WriteSent;
        InsertTailList(&done, &irp->Tail.Overlay.ListEntry);
    }
    Ext->RxQueueCount = 0;
    KeReleaseSpinLock(&Ext->Lock, oldIrql);

    RingCompleteList(Ext, &done);
}

/* ======================================================================================
 * I/O requests
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS RingDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    return RingCompleteIrp(Irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
NTSTATUS RingDispatchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    NTSTATUS status;
    KIRQL oldIrql;
    ULONG copied;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return RingCompleteIrp(Irp, status, 0);
    }
    if (length == 0) {
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return RingCompleteIrp(Irp, STATUS_SUCCESS, 0);
    }

    KeAcquireSpinLock(&ext->Lock, &oldIrql);
    if (!ext->Started) {
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return RingCompleteIrp(Irp, STATUS_DEVICE_NOT_READY, 0);
    }

    /* Bytes already here, and no earlier read waiting for them: complete at once. */
    if (ext->RxQueueCount > 0 && IsListEmpty(&ext->ReadQueue)) {
        copied = RingRxQueueGet(ext, (PUCHAR)Irp->AssociatedIrp.SystemBuffer, length);
        if (ext->RxStalled) {
            /* The DPC left DONE descriptors for want of room, and there is room now. Queued
               under Lock while Started: a stop's KeFlushQueuedDpcs waits for it. */
            KeInsertQueueDpc(&ext->Dpc, (PVOID)(ULONG_PTR)RING_READ_KICK, NULL);
        }
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return RingCompleteIrp(Irp, STATUS_SUCCESS, copied);
    }

    if (!RingQueueIrp(ext, &ext->ReadQueue, Irp)) {
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return RingCompleteIrp(Irp, STATUS_CANCELLED, 0);
    }
    KeReleaseSpinLock(&ext->Lock, oldIrql);
    return STATUS_PENDING;                  /* the remove lock stays held until completion */
}

_Use_decl_annotations_
NTSTATUS RingDispatchWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    NTSTATUS status;
    KIRQL oldIrql;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return RingCompleteIrp(Irp, status, 0);
    }
    if (length == 0) {
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return RingCompleteIrp(Irp, STATUS_SUCCESS, 0);
    }

    KeAcquireSpinLock(&ext->Lock, &oldIrql);
    if (!ext->Started) {
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return RingCompleteIrp(Irp, STATUS_DEVICE_NOT_READY, 0);
    }
    if (!RingQueueIrp(ext, &ext->WriteQueue, Irp)) {
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return RingCompleteIrp(Irp, STATUS_CANCELLED, 0);
    }
    /* If the ring is idle this write becomes current and its first descriptors go out now;
       the DPC completes it when the device has sent them all. */
    RingStartTx(ext);
    KeReleaseSpinLock(&ext->Lock, oldIrql);
    return STATUS_PENDING;
}

_Use_decl_annotations_
NTSTATUS RingDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG_PTR information = 0;
    NTSTATUS status;
    KIRQL oldIrql;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return RingCompleteIrp(Irp, status, 0);
    }

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_RING_GET_STATISTICS:
        if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(RING_STATISTICS)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        /* One consistent snapshot: the DPC updates the counters under the same lock. */
        KeAcquireSpinLock(&ext->Lock, &oldIrql);
        *(PRING_STATISTICS)Irp->AssociatedIrp.SystemBuffer = ext->Stats;
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        information = sizeof(RING_STATISTICS);
        status = STATUS_SUCCESS;
        break;

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return RingCompleteIrp(Irp, status, information);
}

_Use_decl_annotations_
NTSTATUS RingDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return RingCompleteIrp(Irp, status, 0);
    }
    /* The card keeps no state the driver must save: pass every power IRP down. */
    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    status = PoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* ---- Cancel-safe driver queues (ReadQueue, WriteQueue), linked through
        Irp->Tail.Overlay.ListEntry and protected by Lock ---------------------------------- */

/* Called holding Lock. FALSE: the IRP was cancelled before it could be queued. */
static BOOLEAN RingQueueIrp(PRING_EXTENSION Ext, PLIST_ENTRY Queue, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Ext);

    IoSetCancelRoutine(Irp, RingCancelQueuedIrp);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
        /* Cancelled already, and the cancel routine will not run: the caller fails it. */
        return FALSE;
    }
    /* (If Irp->Cancel is set but the routine was already taken, it is about to run: it waits
       for Lock and then unlinks the IRP.) */
    IoMarkIrpPending(Irp);
    InsertTailList(Queue, &Irp->Tail.Overlay.ListEntry);
    return TRUE;
}

/* Called holding Lock. The first IRP whose cancel routine has not been taken, or NULL. */
static PIRP RingDequeueIrp(PLIST_ENTRY Queue)
{
    PLIST_ENTRY entry;
    PIRP irp;

    while (!IsListEmpty(Queue)) {
        entry = RemoveHeadList(Queue);
        irp = CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
        if (IoSetCancelRoutine(irp, NULL) != NULL) {
            return irp;
        }
        /* Its cancel routine is running and will complete it. Leave the entry linked to
           itself so that routine's RemoveEntryList changes nothing. */
        InitializeListHead(entry);
    }
    return NULL;
}

_Use_decl_annotations_
VOID RingCancelQueuedIrp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)DeviceObject->DeviceExtension;
    KIRQL oldIrql;

    /* Entered holding the global cancel spin lock: release it before anything else. */
    IoReleaseCancelSpinLock(Irp->CancelIrql);

    KeAcquireSpinLock(&ext->Lock, &oldIrql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    KeReleaseSpinLock(&ext->Lock, oldIrql);

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    RingCompleteIrp(Irp, STATUS_CANCELLED, 0);
}

/* Completes the IRPs on Done (status already set). Never called holding a spin lock. */
static VOID RingCompleteList(PRING_EXTENSION Ext, PLIST_ENTRY Done)
{
    PLIST_ENTRY entry;
    PIRP irp;

    while (!IsListEmpty(Done)) {
        entry = RemoveHeadList(Done);
        irp = CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
        IoReleaseRemoveLock(&Ext->RemoveLock, irp);
        IoCompleteRequest(irp, NT_SUCCESS(irp->IoStatus.Status) ? IO_NETWORK_INCREMENT : IO_NO_INCREMENT);
    }
}

static NTSTATUS RingCompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* ---- The receive queue: a byte FIFO in the extension, under Lock --------------------------- */

static ULONG RingRxQueueGet(PRING_EXTENSION Ext, PUCHAR Buffer, ULONG Length)
{
    ULONG n = min(Length, Ext->RxQueueCount);
    ULONG i;

    for (i = 0; i < n; i++) {
        Buffer[i] = Ext->RxQueue[Ext->RxQueueHead];
        Ext->RxQueueHead = (Ext->RxQueueHead + 1) % RING_RX_QUEUE_BYTES;
    }
    Ext->RxQueueCount -= n;
    return n;
}

/* The caller made sure Length bytes fit. */
static VOID RingRxQueuePut(PRING_EXTENSION Ext, const UCHAR *Data, ULONG Length)
{
    ULONG tail = (Ext->RxQueueHead + Ext->RxQueueCount) % RING_RX_QUEUE_BYTES;
    ULONG i;

    for (i = 0; i < Length; i++) {
        Ext->RxQueue[tail] = Data[i];
        tail = (tail + 1) % RING_RX_QUEUE_BYTES;
    }
    Ext->RxQueueCount += Length;
}

/* ---- Ring work, at DISPATCH_LEVEL holding Lock ---------------------------------------------- */

/* Takes every DONE RX descriptor (oldest first) into the receive queue and gives it back to
   the device; one doorbell write for the lot. Stops at the first descriptor the device has
   not filled, or when the queue has no room for another frame (RxStalled). */
static VOID RingHarvestRx(PRING_EXTENSION Ext)
{
    PRING_REGISTERS regs = Ext->Registers;
    PRING_DESCRIPTOR desc;
    ULONG data[2];
    ULONG length;
    ULONG last = 0;
    BOOLEAN rearmed = FALSE;

    Ext->RxStalled = FALSE;
    for (;;) {
        desc = &regs->Rx[Ext->RxNext];
        if (!(READ_REGISTER_ULONG(&desc->Flags) & RING_DESC_DONE)) {
            break;                          /* still OWNED: the device has not filled it */
        }
        if (RING_RX_QUEUE_BYTES - Ext->RxQueueCount < RING_DESCRIPTOR_BYTES) {
            Ext->RxStalled = TRUE;          /* a read that makes room queues the DPC */
            break;
        }
        length = min(READ_REGISTER_ULONG(&desc->Length), RING_DESCRIPTOR_BYTES);
        data[0] = READ_REGISTER_ULONG(&desc->Data0);
        data[1] = READ_REGISTER_ULONG(&desc->Data1);
        RingRxQueuePut(Ext, (const UCHAR *)data, length);   /* x64: little-endian like the card */
        Ext->Stats.RxFrames++;
        Ext->Stats.RxBytes += length;

        /* Back to the device: OWNED, DONE cleared. */
        WRITE_REGISTER_ULONG(&desc->Flags, RING_DESC_OWNED);
        last = Ext->RxNext;
        rearmed = TRUE;
        Ext->RxNext = RING_NEXT(Ext->RxNext);
    }
    if (rearmed) {
        /* Makes the descriptors from RX_HEAD through `last` available again. */
        WRITE_REGISTER_ULONG(&regs->RxDoorbell, last);
    }
}

/* Gives queued bytes to waiting reads, oldest read first; completed ones go on Done. */
static VOID RingServeReads(PRING_EXTENSION Ext, PLIST_ENTRY Done)
{
    PIO_STACK_LOCATION stack;
    PIRP irp;

    while (Ext->RxQueueCount > 0 && (irp = RingDequeueIrp(&Ext->ReadQueue)) != NULL) {
        stack = IoGetCurrentIrpStackLocation(irp);
        irp->IoStatus.Information = RingRxQueueGet(Ext, (PUCHAR)irp->AssociatedIrp.SystemBuffer,
                                                   stack->Parameters.Read.Length);
        irp->IoStatus.Status = STATUS_SUCCESS;
        InsertTailList(Done, &irp->Tail.Overlay.ListEntry);
    }
}

/* Takes sent TX descriptors back; completes the current write when all its bytes are out. */
static VOID RingHarvestTx(PRING_EXTENSION Ext, PLIST_ENTRY Done)
{
    PRING_REGISTERS regs = Ext->Registers;
    PRING_DESCRIPTOR desc;
    ULONG flags;
    ULONG length;
    PIRP irp;

    while (Ext->TxInFlight > 0) {
        desc = &regs->Tx[Ext->TxClean];
        flags = READ_REGISTER_ULONG(&desc->Flags);
        if (!(flags & RING_DESC_DONE)) {
            break;                          /* the device sends in order: the rest wait too */
        }
        length = READ_REGISTER_ULONG(&desc->Length);
        if (flags & RING_DESC_ERROR) {
            Ext->WriteFailed = TRUE;        /* counted in Errors with the ERROR cause */
        } else {
            Ext->Stats.TxFrames++;
            Ext->Stats.TxBytes += length;
        }
        WRITE_REGISTER_ULONG(&desc->Flags, 0);
        Ext->WriteSent += length;
        Ext->TxClean = RING_NEXT(Ext->TxClean);
        Ext->TxInFlight--;
    }

    irp = Ext->CurrentWrite;
    if (irp != NULL && Ext->WriteSent == Ext->WriteLength) {
        Ext->CurrentWrite = NULL;
        irp->IoStatus.Status = Ext->WriteFailed ? STATUS_IO_DEVICE_ERROR : STATUS_SUCCESS;
        irp->IoStatus.Information = Ext->WriteFailed ? 0 : Ext->WriteLength;
        InsertTailList(Done, &irp->Tail.Overlay.ListEntry);
    }
}

/* Makes the oldest queued write current if none is, and puts as much of it as the ring
   holds into TX descriptors (8 bytes each); one doorbell write starts them. */
static VOID RingStartTx(PRING_EXTENSION Ext)
{
    PRING_REGISTERS regs = Ext->Registers;
    PRING_DESCRIPTOR desc;
    PUCHAR buffer;
    ULONG data[2];
    ULONG chunk;
    ULONG last = 0;
    BOOLEAN queued = FALSE;

    if (Ext->CurrentWrite == NULL) {
        Ext->CurrentWrite = RingDequeueIrp(&Ext->WriteQueue);
        if (Ext->CurrentWrite == NULL) {
            return;
        }
        /* From here on the write is the hardware's: it completes in a few microseconds and
           is no longer cancelable (its cancel routine was cleared by RingDequeueIrp). */
        Ext->WriteLength = IoGetCurrentIrpStackLocation(Ext->CurrentWrite)->Parameters.Write.Length;
        Ext->WriteQueued = 0;
        Ext->WriteSent = 0;
        Ext->WriteFailed = FALSE;
    }

    buffer = (PUCHAR)Ext->CurrentWrite->AssociatedIrp.SystemBuffer;
    while (Ext->WriteQueued < Ext->WriteLength && Ext->TxInFlight < RING_ENTRIES) {
        chunk = min(Ext->WriteLength - Ext->WriteQueued, RING_DESCRIPTOR_BYTES);
        data[0] = 0;
        data[1] = 0;
        RtlCopyMemory(data, buffer + Ext->WriteQueued, chunk);
        desc = &regs->Tx[Ext->TxNext];
        WRITE_REGISTER_ULONG(&desc->Length, chunk);
        WRITE_REGISTER_ULONG(&desc->Data0, data[0]);
        WRITE_REGISTER_ULONG(&desc->Data1, data[1]);
        WRITE_REGISTER_ULONG(&desc->Flags, RING_DESC_OWNED);    /* last: the data is in place */
        Ext->WriteQueued += chunk;
        last = Ext->TxNext;
        queued = TRUE;
        Ext->TxNext = RING_NEXT(Ext->TxNext);
        Ext->TxInFlight++;
    }
    if (queued) {
        WRITE_REGISTER_ULONG(&regs->TxDoorbell, last);
    }
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

/* MSI: DIRQL, on whichever CPU the message was sent to, holding this message's interrupt
   lock only. A message is never shared and says which cause it is: no INT_STATUS read. */
_Use_decl_annotations_
BOOLEAN RingMessageIsr(PKINTERRUPT Interrupt, PVOID ServiceContext, ULONG MessageID)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)ServiceContext;
    ULONG cause;

    UNREFERENCED_PARAMETER(Interrupt);

    if (MessageID >= RING_MSI_MESSAGES) {
        return FALSE;
    }
    cause = 1u << MessageID;                /* 0 RX_DONE, 1 TX_DONE, 2 ERROR */

    /* Acknowledge: the card sends this message again only after the cause bit was clear,
       so clear it before the DPC looks at the rings (an event after this write sends a new
       message; one before it is found by the DPC). */
    WRITE_REGISTER_ULONG(&ext->Registers->IntStatus, cause);
    InterlockedOr(&ext->PendingCauses, (LONG)cause);

    /* Last. If the DPC is already queued this does nothing (PendingCauses has the cause). */
    KeInsertQueueDpc(&ext->Dpc, (PVOID)(ULONG_PTR)MessageID, NULL);
    return TRUE;
}

/* Line fallback: DIRQL, level-triggered and possibly shared. */
_Use_decl_annotations_
BOOLEAN RingLineIsr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)ServiceContext;
    ULONG status;

    UNREFERENCED_PARAMETER(Interrupt);

    /* Ours? Another device on the line may be interrupting instead. */
    status = READ_REGISTER_ULONG(&ext->Registers->IntStatus) & ext->IntMask;
    if (status == 0) {
        return FALSE;
    }
    /* Writing the causes back clears them and drops the line. */
    WRITE_REGISTER_ULONG(&ext->Registers->IntStatus, status);
    InterlockedOr(&ext->PendingCauses, (LONG)status);
    KeInsertQueueDpc(&ext->Dpc, (PVOID)(ULONG_PTR)RING_LINE_INTERRUPT, NULL);
    return TRUE;
}

/* Who queued RingDpc (its SystemArgument1), for the log. */
static const char *RingQueuedBy(ULONG Source)
{
    switch (Source) {
    case 0:                     return "message 0 (RX_DONE)";
    case 1:                     return "message 1 (TX_DONE)";
    case 2:                     return "message 2 (ERROR)";
    case RING_LINE_INTERRUPT:   return "the line ISR";
    default:                    return "a read";
    }
}

/* DISPATCH_LEVEL. SystemArgument1: the MessageID of the ISR that queued it (RING_LINE_INTERRUPT
   for the line ISR, RING_READ_KICK from a read that made room); a DPC queued once for several
   interrupts keeps the first one's. The rings are harvested whatever the causes: a second instance
   running on the other CPU may already have taken them, and a RX_DONE that arrived after
   the ISR's acknowledgement is found here anyway. */
_Use_decl_annotations_
VOID RingDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PRING_EXTENSION ext = (PRING_EXTENSION)DeferredContext;
    ULONG messageId = (ULONG)(ULONG_PTR)SystemArgument1;
    LIST_ENTRY done;
    ULONG causes;
    ULONG missed;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument2);

    InitializeListHead(&done);
    causes = (ULONG)InterlockedExchange(&ext->PendingCauses, 0);

    KeAcquireSpinLockAtDpcLevel(&ext->Lock);
    if (!ext->Started) {
        /* Stopping: RingStopDevice completes everything after KeFlushQueuedDpcs. */
        KeReleaseSpinLockFromDpcLevel(&ext->Lock);
        return;
    }

    if (causes & RING_INT_ERROR) {
        ext->Stats.Errors++;
        missed = READ_REGISTER_ULONG(&ext->Registers->RxMissed);
        if (missed != ext->Stats.RxMissed) {
            KdPrint(("RingCard: RX overrun: %u frame(s) missed (DPC queued by %s)\n",
                     missed - ext->Stats.RxMissed, RingQueuedBy(messageId)));
            ext->Stats.RxMissed = missed;
        }
    }

    /* RX: harvest, hand bytes to reads; again while reads made room for stalled frames. */
    do {
        RingHarvestRx(ext);
        RingServeReads(ext, &done);
    } while (ext->RxStalled && RING_RX_QUEUE_BYTES - ext->RxQueueCount >= RING_DESCRIPTOR_BYTES);

    /* TX: take sent descriptors back, complete the write, queue more. */
    RingHarvestTx(ext, &done);
    RingStartTx(ext);
    KeReleaseSpinLockFromDpcLevel(&ext->Lock);

    /* Outside the lock: never call IoCompleteRequest holding a spin lock. */
    RingCompleteList(ext, &done);
}
