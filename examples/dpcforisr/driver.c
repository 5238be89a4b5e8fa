/*
 * driver.c - "Sampler" WDM function driver: the IoInitializeDpcRequest / IoRequestDpc /
 * DpcForIsr flow end to end (see README.md for a walkthrough and driver.h for the card).
 *
 *   AddDevice        IoCreateDevice, IoAttachDeviceToDeviceStack, IoInitializeDpcRequest
 *   START_DEVICE     forward down and wait, map registers, IoConnectInterrupt, then enable
 *                    the card's interrupts
 *   Read             IoMarkIrpPending + IoStartPacket
 *   StartIo          (DISPATCH_LEVEL) start a conversion
 *   ISR              (DIRQL) is it ours? ack the card, save status, IoRequestDpc last
 *   DpcForIsr        (DISPATCH_LEVEL) take the ISR's state with KeSynchronizeExecution,
 *                    store the sample, start the next conversion or complete the read
 *                    (IoStartNextPacket, then IoCompleteRequest)
 */

#include "driver.h"

static NTSTATUS SmpCompleteIrp(_Inout_ PIRP Irp, _In_ NTSTATUS Status, _In_ ULONG_PTR Information);
static BOOLEAN SmpSetStarted(_In_ PSMP_EXTENSION Ext, _In_ BOOLEAN Started);
static VOID SmpCompleteWaiters(_In_ PSMP_EXTENSION Ext, _In_ NTSTATUS Status, _In_ ULONG Sample);
static VOID SmpAbortTransfer(_In_ PSMP_EXTENSION Ext);
static VOID SmpUnmapRegisters(_In_ PSMP_EXTENSION Ext);
static NTSTATUS SmpForwardIrpSynchronous(_In_ PSMP_EXTENSION Ext, _Inout_ PIRP Irp);
static NTSTATUS SmpStartDevice(_In_ PSMP_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Raw,
                               _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID SmpStopDevice(_In_ PSMP_EXTENSION Ext);

/* PASSIVE_LEVEL-only code is pageable; anything that runs at DISPATCH_LEVEL or above, or
   holds a spin lock, stays resident. */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, SmpAddDevice)
#pragma alloc_text(PAGE, SmpUnload)
#pragma alloc_text(PAGE, SmpDispatchCreateClose)
#pragma alloc_text(PAGE, SmpDispatchPnp)
#pragma alloc_text(PAGE, SmpForwardIrpSynchronous)
#pragma alloc_text(PAGE, SmpStartDevice)
#pragma alloc_text(PAGE, SmpStopDevice)
#pragma alloc_text(PAGE, SmpUnmapRegisters)
#endif

/* ======================================================================================
 * Driver and device setup (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    KdPrint(("Sampler: DriverEntry %wZ\n", RegistryPath));

    DriverObject->MajorFunction[IRP_MJ_CREATE] = SmpDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = SmpDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = SmpDispatchRead;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = SmpDispatchDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = SmpDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = SmpDispatchPower;
    DriverObject->DriverExtension->AddDevice = SmpAddDevice;
    DriverObject->DriverStartIo = SmpStartIo;
    DriverObject->DriverUnload = SmpUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS SmpAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    UNICODE_STRING deviceName = RTL_CONSTANT_STRING(SMP_DEVICE_NAME);
    UNICODE_STRING linkName = RTL_CONSTANT_STRING(SMP_LINK_NAME);
    PDEVICE_OBJECT fdo = NULL;
    PSMP_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    /* One card per machine in this sample, hence the fixed name. */
    status = IoCreateDevice(DriverObject, sizeof(SMP_EXTENSION), &deviceName, FILE_DEVICE_SAMPLER,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Sampler: IoCreateDevice failed 0x%08X\n", status));
        return status;
    }

    ext = (PSMP_EXTENSION)fdo->DeviceExtension;        /* zeroed by IoCreateDevice */
    ext->Self = fdo;
    ext->Pdo = PhysicalDeviceObject;
    IoInitializeRemoveLock(&ext->RemoveLock, SMP_POOL_TAG, 0, 0);
    KeInitializeSpinLock(&ext->StateLock);
    InitializeListHead(&ext->WaitQueue);

    /* The DPC object for the ISR lives in the device object (fdo->Dpc); its context is the
       device object, so SmpDpcForIsr gets (Dpc, fdo, Irp, Context). */
    IoInitializeDpcRequest(fdo, SmpDpcForIsr);

    ext->LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
    if (ext->LowerDevice == NULL) {
        IoDeleteDevice(fdo);
        return STATUS_NO_SUCH_DEVICE;
    }

    status = IoCreateSymbolicLink(&linkName, &deviceName);
    if (NT_SUCCESS(status)) {
        ext->LinkCreated = TRUE;
    } else {
        KdPrint(("Sampler: no symbolic link (0x%08X); the device is still usable by name\n", status));
    }

    fdo->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID SmpUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
    /* PnP removed every device (IRP_MN_REMOVE_DEVICE) before the driver can unload. */
    KdPrint(("Sampler: unloaded\n"));
}

/* ======================================================================================
 * Plug and Play
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS SmpStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);

    /* Wake SmpForwardIrpSynchronous only if IoCallDriver returned STATUS_PENDING to it. */
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    /* Keep the IRP: the PnP dispatch routine finishes it after its own work. */
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* Sends the IRP to the lower driver and waits until that driver has completed it. */
static NTSTATUS SmpForwardIrpSynchronous(PSMP_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, SmpStartCompletion, &event, TRUE, TRUE, TRUE);

    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS SmpDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    UNICODE_STRING linkName = RTL_CONSTANT_STRING(SMP_LINK_NAME);
    NTSTATUS status;

    PAGED_CODE();

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return SmpCompleteIrp(Irp, status, 0);
    }

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        /* The bus driver starts the slot first; only then are the resources usable. */
        status = SmpForwardIrpSynchronous(ext, Irp);
        if (NT_SUCCESS(status)) {
            status = SmpStartDevice(ext, stack->Parameters.StartDevice.AllocatedResources,
                                    stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SmpCompleteIrp(Irp, status, 0);

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_STOP_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
        SmpStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        SmpStopDevice(ext);                 /* nothing left to do after a surprise removal */
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

/* Finds the register block and the interrupt in the translated resources, connects the
   ISR, and only then lets the card interrupt. */
static NTSTATUS SmpStartDevice(PSMP_EXTENSION Ext, PCM_RESOURCE_LIST Raw, PCM_RESOURCE_LIST Translated)
{
    PCM_PARTIAL_RESOURCE_LIST list;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    BOOLEAN haveInterrupt = FALSE;
    NTSTATUS status;
    ULONG i;

    PAGED_CODE();

    if (Raw == NULL || Translated == NULL || Translated->Count == 0) {
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    KdPrint(("Sampler: %u raw / %u translated resource descriptors\n",
             Raw->List[0].PartialResourceList.Count, Translated->List[0].PartialResourceList.Count));

    list = &Translated->List[0].PartialResourceList;
    for (i = 0; i < list->Count; i++) {
        desc = &list->PartialDescriptors[i];
        switch (desc->Type) {
        case CmResourceTypeMemory:
            if (Ext->Registers == NULL && desc->u.Memory.Length >= sizeof(SMP_REGISTERS)) {
                Ext->Registers = (PSMP_REGISTERS)MmMapIoSpace(desc->u.Memory.Start, sizeof(SMP_REGISTERS),
                                                              MmNonCached);
                if (Ext->Registers == NULL) {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }
                Ext->RegisterSpan = sizeof(SMP_REGISTERS);
                Ext->MappedIoSpace = TRUE;
                Ext->PortMapped = FALSE;
            }
            break;

        case CmResourceTypePort:
            if (Ext->Registers == NULL && desc->u.Port.Length >= sizeof(SMP_REGISTERS)) {
                if (desc->Flags & CM_RESOURCE_PORT_IO) {
                    /* Real I/O space: the "address" is the port number. */
                    Ext->Registers = (PSMP_REGISTERS)(ULONG_PTR)desc->u.Port.Start.QuadPart;
                    Ext->PortMapped = TRUE;
                } else {
                    /* A port range the platform translated into memory space. */
                    Ext->Registers = (PSMP_REGISTERS)MmMapIoSpace(desc->u.Port.Start, sizeof(SMP_REGISTERS),
                                                                  MmNonCached);
                    if (Ext->Registers == NULL) {
                        return STATUS_INSUFFICIENT_RESOURCES;
                    }
                    Ext->MappedIoSpace = TRUE;
                    Ext->PortMapped = FALSE;
                }
                Ext->RegisterSpan = sizeof(SMP_REGISTERS);
            }
            break;

        case CmResourceTypeInterrupt:
            /* Translated: Level is the DIRQL, Vector the IDT vector (IRQL = Vector >> 4). */
            Ext->Vector = desc->u.Interrupt.Vector;
            Ext->Irql = (KIRQL)desc->u.Interrupt.Level;
            Ext->Affinity = desc->u.Interrupt.Affinity;
            Ext->InterruptMode = (desc->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive;
            Ext->ShareVector = (BOOLEAN)(desc->ShareDisposition == CmResourceShareShared);
            haveInterrupt = TRUE;
            break;

        default:
            break;                          /* e.g. CmResourceTypeDevicePrivate */
        }
    }

    if (Ext->Registers == NULL || !haveInterrupt) {
        KdPrint(("Sampler: missing %s resource\n", haveInterrupt ? "register" : "interrupt"));
        SmpUnmapRegisters(Ext);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    /* Quiet the card before the ISR exists: no interrupt sources, no stale causes. */
    SmpWriteRegister(Ext, &Ext->Registers->IntEnable, 0);
    SmpWriteRegister(Ext, &Ext->Registers->Control, SMP_CONTROL_RESET);
    SmpWriteRegister(Ext, &Ext->Registers->Status, SMP_STATUS_CAUSES);

    /* ServiceContext = the device object (resident); SynchronizeIrql = the DIRQL because
       this is the only ISR sharing our interrupt spin lock. */
    status = IoConnectInterrupt(&Ext->Interrupt, SmpInterruptService, Ext->Self, NULL,
                                Ext->Vector, Ext->Irql, Ext->Irql, Ext->InterruptMode,
                                Ext->ShareVector, Ext->Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Sampler: IoConnectInterrupt(vector 0x%X, IRQL %u) failed 0x%08X\n",
                 Ext->Vector, Ext->Irql, status));
        Ext->Interrupt = NULL;
        SmpUnmapRegisters(Ext);
        return status;
    }

    SmpSetStarted(Ext, TRUE);

    /* Only now may the card raise its line. */
    KeSynchronizeExecution(Ext->Interrupt, SmpEnableDeviceInterrupts, Ext);
    KdPrint(("Sampler: started, vector 0x%X IRQL %u %s\n", Ext->Vector, Ext->Irql,
             Ext->InterruptMode == Latched ? "latched" : "level-sensitive"));
    return STATUS_SUCCESS;
}

/* Stops accepting work, silences and disconnects the card, fails what cannot finish. */
static VOID SmpStopDevice(PSMP_EXTENSION Ext)
{
    PAGED_CODE();

    if (!SmpSetStarted(Ext, FALSE)) {
        return;                             /* never started, or already stopped */
    }
    SmpCompleteWaiters(Ext, STATUS_DEVICE_NOT_READY, 0);

    /* Card interrupts off first: a level-triggered line left asserting after the ISR is
       gone would storm (bug check 0xF2). */
    KeSynchronizeExecution(Ext->Interrupt, SmpDisableDeviceInterrupts, Ext);
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;

    /* A DpcForIsr queued by the last interrupt may still be queued or running. */
    KeFlushQueuedDpcs();
    SmpAbortTransfer(Ext);
    SmpUnmapRegisters(Ext);
}

static VOID SmpUnmapRegisters(PSMP_EXTENSION Ext)
{
    PAGED_CODE();

    if (Ext->MappedIoSpace && Ext->Registers != NULL) {
        MmUnmapIoSpace(Ext->Registers, Ext->RegisterSpan);
    }
    Ext->Registers = NULL;
    Ext->MappedIoSpace = FALSE;
    Ext->PortMapped = FALSE;
}

/* Sets Started under StateLock and returns the previous value. Not pageable: it holds a
   spin lock, and code runs at DISPATCH_LEVEL while it does. */
static BOOLEAN SmpSetStarted(PSMP_EXTENSION Ext, BOOLEAN Started)
{
    KIRQL oldIrql;
    BOOLEAN wasStarted;

    KeAcquireSpinLock(&Ext->StateLock, &oldIrql);
    wasStarted = Ext->Started;
    Ext->Started = Started;
    KeReleaseSpinLock(&Ext->StateLock, oldIrql);
    return wasStarted;
}

/* After a stop: fails the read that will never get its interrupt. StartIo then fails every
   queued read (Started is FALSE). Not pageable: it runs at DISPATCH_LEVEL. */
static VOID SmpAbortTransfer(PSMP_EXTENSION Ext)
{
    KIRQL oldIrql;
    PIRP irp;

    /* IoStartNextPacket must be called at DISPATCH_LEVEL. */
    KeRaiseIrql(DISPATCH_LEVEL, &oldIrql);
    KeAcquireSpinLockAtDpcLevel(&Ext->StateLock);
    irp = Ext->ActiveIrp;                   /* not CurrentIrp: a StartIo racing with the stop
                                               may be failing that one itself */
    Ext->ActiveIrp = NULL;
    KeReleaseSpinLockFromDpcLevel(&Ext->StateLock);
    if (irp != NULL) {
        irp->IoStatus.Status = STATUS_DEVICE_NOT_READY;
        irp->IoStatus.Information = Ext->TransferDone;
        IoStartNextPacket(Ext->Self, FALSE);
        IoReleaseRemoveLock(&Ext->RemoveLock, irp);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
    KeLowerIrql(oldIrql);
}

/* ======================================================================================
 * I/O requests
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS SmpDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    return SmpCompleteIrp(Irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
NTSTATUS SmpDispatchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return SmpCompleteIrp(Irp, status, 0);
    }
    if (!ext->Started || length == 0 || (length % sizeof(ULONG)) != 0) {
        status = !ext->Started ? STATUS_DEVICE_NOT_READY
               : length == 0   ? STATUS_SUCCESS
                               : STATUS_INVALID_PARAMETER;
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SmpCompleteIrp(Irp, status, 0);
    }

    /* StartIo runs now (at DISPATCH_LEVEL) if the card is idle; otherwise the IRP waits in
       DeviceObject->DeviceQueue until the DPC calls IoStartNextPacket. The remove lock is
       released when the read completes. */
    IoMarkIrpPending(Irp);
    IoStartPacket(DeviceObject, Irp, NULL, NULL);
    return STATUS_PENDING;
}

_Use_decl_annotations_
VOID SmpStartIo(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    BOOLEAN started = FALSE;

    NT_ASSERT(stack->MajorFunction == IRP_MJ_READ);

    /* StartIo is called at DISPATCH_LEVEL: take the lock without raising. Holding it keeps
       SmpStopDevice from disconnecting the interrupt under us. */
    KeAcquireSpinLockAtDpcLevel(&ext->StateLock);
    if (ext->Started) {
        ext->ActiveIrp = Irp;
        ext->TransferBuffer = (PULONG)Irp->AssociatedIrp.SystemBuffer;
        ext->TransferLength = stack->Parameters.Read.Length;
        ext->TransferDone = 0;
        /* The ISR may be running on another CPU: program the card under the interrupt lock. */
        KeSynchronizeExecution(ext->Interrupt, SmpStartConversion, ext);
        started = TRUE;
    }
    KeReleaseSpinLockFromDpcLevel(&ext->StateLock);

    if (!started) {
        Irp->IoStatus.Status = STATUS_DEVICE_NOT_READY;
        Irp->IoStatus.Information = 0;
        IoStartNextPacket(DeviceObject, FALSE);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}

_Use_decl_annotations_
NTSTATUS SmpDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PSAMPLER_STATISTICS stats;
    ULONG_PTR information = 0;
    NTSTATUS status;
    KIRQL oldIrql;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return SmpCompleteIrp(Irp, status, 0);
    }

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_SAMPLER_GET_STATISTICS:
        if (outLength < sizeof(SAMPLER_STATISTICS)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        stats = (PSAMPLER_STATISTICS)Irp->AssociatedIrp.SystemBuffer;
        *stats = ext->Stats;
        information = sizeof(SAMPLER_STATISTICS);
        status = STATUS_SUCCESS;
        break;

    case IOCTL_SAMPLER_WAIT_FOR_SAMPLE:
        if (outLength < sizeof(ULONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        /* Park the IRP on our own queue; the DPC completes it with the next sample. */
        KeAcquireSpinLock(&ext->StateLock, &oldIrql);
        if (!ext->Started) {
            KeReleaseSpinLock(&ext->StateLock, oldIrql);
            status = STATUS_DEVICE_NOT_READY;
            break;
        }
        IoSetCancelRoutine(Irp, SmpCancelWait);
        if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
            /* Cancelled before it was queued, and the cancel routine will not run. */
            KeReleaseSpinLock(&ext->StateLock, oldIrql);
            status = STATUS_CANCELLED;
            break;
        }
        /* (If Irp->Cancel is set but the cancel routine was already taken, it is about to
           run: it waits for StateLock and then removes the IRP from the queue.) */
        IoMarkIrpPending(Irp);
        InsertTailList(&ext->WaitQueue, &Irp->Tail.Overlay.ListEntry);
        KeReleaseSpinLock(&ext->StateLock, oldIrql);
        return STATUS_PENDING;              /* the remove lock stays held until completion */

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return SmpCompleteIrp(Irp, status, information);
}

_Use_decl_annotations_
VOID SmpCancelWait(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;
    KIRQL oldIrql;

    /* Entered holding the global cancel spin lock: release it before anything else. */
    IoReleaseCancelSpinLock(Irp->CancelIrql);

    KeAcquireSpinLock(&ext->StateLock, &oldIrql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    KeReleaseSpinLock(&ext->StateLock, oldIrql);

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    SmpCompleteIrp(Irp, STATUS_CANCELLED, 0);
}

/* Completes every queued IOCTL_SAMPLER_WAIT_FOR_SAMPLE with Status (and Sample). Called
   from the DPC (DISPATCH_LEVEL) and from SmpStopDevice (PASSIVE_LEVEL). */
static VOID SmpCompleteWaiters(PSMP_EXTENSION Ext, NTSTATUS Status, ULONG Sample)
{
    LIST_ENTRY ready;
    PLIST_ENTRY entry;
    KIRQL oldIrql;
    PIRP irp;

    InitializeListHead(&ready);

    KeAcquireSpinLock(&Ext->StateLock, &oldIrql);
    while (!IsListEmpty(&Ext->WaitQueue)) {
        entry = RemoveHeadList(&Ext->WaitQueue);
        irp = CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
        if (IoSetCancelRoutine(irp, NULL) == NULL) {
            /* Its cancel routine is running and will complete it. Leave the entry linked
               to itself so that routine's RemoveEntryList changes nothing. */
            InitializeListHead(entry);
            continue;
        }
        InsertTailList(&ready, entry);
    }
    KeReleaseSpinLock(&Ext->StateLock, oldIrql);

    /* Complete outside the lock: never call IoCompleteRequest holding a spin lock. */
    while (!IsListEmpty(&ready)) {
        entry = RemoveHeadList(&ready);
        irp = CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
        if (NT_SUCCESS(Status)) {
            *(PULONG)irp->AssociatedIrp.SystemBuffer = Sample;
        }
        IoReleaseRemoveLock(&Ext->RemoveLock, irp);
        SmpCompleteIrp(irp, Status, NT_SUCCESS(Status) ? sizeof(ULONG) : 0);
    }
}

static NTSTATUS SmpCompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

_Use_decl_annotations_
NTSTATUS SmpDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return SmpCompleteIrp(Irp, status, 0);
    }
    /* The card keeps no state across power transitions: pass every power IRP down. */
    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    status = PoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN SmpInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PDEVICE_OBJECT fdo = (PDEVICE_OBJECT)ServiceContext;
    PSMP_EXTENSION ext = (PSMP_EXTENSION)fdo->DeviceExtension;
    ULONG status;

    UNREFERENCED_PARAMETER(Interrupt);

    /* 1. Is it ours? The line may be shared: if none of our causes is pending, say so at
          once so the next ISR on the vector gets its turn. */
    status = SmpReadRegister(ext, &ext->Registers->Status);
    if ((status & SMP_STATUS_CAUSES) == 0) {
        return FALSE;
    }

    /* 2. Quiet the card: writing the causes back clears them and drops the line. */
    SmpWriteRegister(ext, &ext->Registers->Status, status & SMP_STATUS_CAUSES);

    /* 3. Save what the DPC needs. Causes accumulate: one DPC run may cover several
          interrupts, because a DPC that is already queued is not queued again. */
    if (status & SMP_STATUS_DATA_READY) {
        ext->IsrSample = SmpReadRegister(ext, &ext->Registers->Data);
    }
    ext->IsrStatus |= status & SMP_STATUS_CAUSES;
    InterlockedIncrement(&ext->Stats.Interrupts);

    /* 4. Last: queue the DpcForIsr, passing the read StartIo started (NULL if none). */
    IoRequestDpc(fdo, fdo->CurrentIrp, NULL);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN SmpSnapshotIsrState(PVOID SynchronizeContext)
{
    PSMP_ISR_SNAPSHOT snapshot = (PSMP_ISR_SNAPSHOT)SynchronizeContext;
    PSMP_EXTENSION ext = snapshot->Extension;

    /* Runs at the ISR's SynchronizeIrql holding its spin lock: the ISR cannot run now. */
    snapshot->Status = ext->IsrStatus;
    snapshot->Sample = ext->IsrSample;
    ext->IsrStatus = 0;
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN SmpStartConversion(PVOID SynchronizeContext)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)SynchronizeContext;

    SmpWriteRegister(ext, &ext->Registers->Control, SMP_CONTROL_START);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN SmpEnableDeviceInterrupts(PVOID SynchronizeContext)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)SynchronizeContext;

    SmpWriteRegister(ext, &ext->Registers->IntEnable, SMP_INT_ALL);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN SmpDisableDeviceInterrupts(PVOID SynchronizeContext)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)SynchronizeContext;

    SmpWriteRegister(ext, &ext->Registers->IntEnable, 0);
    SmpWriteRegister(ext, &ext->Registers->Control, SMP_CONTROL_RESET);
    SmpWriteRegister(ext, &ext->Registers->Status, SMP_STATUS_CAUSES);
    return TRUE;
}

/* DpcForIsr: DISPATCH_LEVEL, possibly on another CPU than the ISR and possibly while the
   ISR runs again. Irp is DeviceObject->CurrentIrp as the ISR saw it. */
_Use_decl_annotations_
VOID SmpDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;
    SMP_ISR_SNAPSHOT snapshot;
    BOOLEAN finished = FALSE;
    NTSTATUS status = STATUS_SUCCESS;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);

    InterlockedIncrement(&ext->Stats.Dpcs);

    KeAcquireSpinLockAtDpcLevel(&ext->StateLock);
    if (!ext->Started) {
        /* Stopping: SmpStopDevice fails the transfer after KeFlushQueuedDpcs. */
        KeReleaseSpinLockFromDpcLevel(&ext->StateLock);
        return;
    }

    /* Take (and clear) the ISR's state under the interrupt spin lock. */
    snapshot.Extension = ext;
    snapshot.Status = 0;
    snapshot.Sample = 0;
    KeSynchronizeExecution(ext->Interrupt, SmpSnapshotIsrState, &snapshot);

    if (Irp != NULL && Irp == ext->ActiveIrp && snapshot.Status != 0) {
        if (snapshot.Status & SMP_STATUS_ERROR) {
            status = STATUS_IO_DEVICE_ERROR;
            finished = TRUE;
        } else {
            ext->TransferBuffer[ext->TransferDone / sizeof(ULONG)] = snapshot.Sample;
            ext->TransferDone += sizeof(ULONG);
            if (ext->TransferDone < ext->TransferLength) {
                /* More samples wanted: next conversion; the read stays current. */
                KeSynchronizeExecution(ext->Interrupt, SmpStartConversion, ext);
            } else {
                finished = TRUE;
            }
        }
        if (finished) {
            ext->ActiveIrp = NULL;
        }
    }
    KeReleaseSpinLockFromDpcLevel(&ext->StateLock);

    if (snapshot.Status & SMP_STATUS_ERROR) {
        InterlockedIncrement(&ext->Stats.Errors);
    }
    if (snapshot.Status & SMP_STATUS_DATA_READY) {
        InterlockedIncrement(&ext->Stats.Samples);
        SmpCompleteWaiters(ext, STATUS_SUCCESS, snapshot.Sample);
    }

    if (finished) {
        Irp->IoStatus.Status = status;
        Irp->IoStatus.Information = ext->TransferDone;
        /* Start the next queued read (its StartIo runs right here), then complete this one. */
        IoStartNextPacket(DeviceObject, FALSE);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
