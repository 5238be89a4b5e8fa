/*
 * driver.c - "InPort" bus mouse port driver: the adapter's registers, its periodic
 * interrupt and the mouse class connection (see README.md and driver.h).
 *
 *   AddDevice        IoCreateDevice (FILE_DEVICE_INPORT_PORT), attach, IoInitializeDpcRequest
 *   START_DEVICE     forward down and wait; ports and IRQ from the translated resources;
 *                    find the chip by its ID signature, reset it, program the report rate
 *                    with interrupts off, IoConnectInterrupt (Latched), then enable them
 *   Internal IOCTLs  IOCTL_INTERNAL_MOUSE_CONNECT / _DISCONNECT from mouclass,
 *                    IOCTL_MOUSE_QUERY_ATTRIBUTES
 *   ISR              (DIRQL) HOLD, read STATUS / X / Y, release; idle reports end here;
 *                    otherwise a MOUSE_INPUT_DATA into the ring, then IoRequestDpc
 *   DpcForIsr        (DISPATCH_LEVEL) take runs of packets from the ring under the interrupt
 *                    lock and pass them to the class service callback
 *   STOP / REMOVE    chip interrupts off, KeFlushQueuedDpcs, IoDisconnectInterrupt
 */

#include "driver.h"

static NTSTATUS InpCompleteIrp(_Inout_ PIRP Irp, _In_ NTSTATUS Status, _In_ ULONG_PTR Information);
static NTSTATUS InpForwardIrpSynchronous(_In_ PINP_EXTENSION Ext, _Inout_ PIRP Irp);
static NTSTATUS InpStartDevice(_In_ PINP_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID InpStopDevice(_In_ PINP_EXTENSION Ext);
static BOOLEAN InpDetectChip(_In_ PINP_EXTENSION Ext, _Out_ PUCHAR Version);
static VOID InpUnmapPorts(_In_ PINP_EXTENSION Ext);
static BOOLEAN InpSynchronize(_In_ PINP_EXTENSION Ext, _In_ PKSYNCHRONIZE_ROUTINE Routine, _In_ PVOID Context);
static PKINTERRUPT InpExchangeInterrupt(_In_ PINP_EXTENSION Ext, _In_opt_ PKINTERRUPT Interrupt);

/* PASSIVE_LEVEL-only code is pageable. The ISR, the DPC, the synchronize routines and the
   internal IOCTL dispatch routine (the class driver may call it at DISPATCH_LEVEL) stay
   resident. */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, InpAddDevice)
#pragma alloc_text(PAGE, InpUnload)
#pragma alloc_text(PAGE, InpDispatchCreateClose)
#pragma alloc_text(PAGE, InpDispatchPnp)
#pragma alloc_text(PAGE, InpForwardIrpSynchronous)
#pragma alloc_text(PAGE, InpStartDevice)
#pragma alloc_text(PAGE, InpStopDevice)
#pragma alloc_text(PAGE, InpDetectChip)
#pragma alloc_text(PAGE, InpUnmapPorts)
#endif

/* ======================================================================================
 * Driver and device setup (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = InpDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = InpDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = InpDispatchInternalDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = InpDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = InpDispatchPower;
    DriverObject->DriverExtension->AddDevice = InpAddDevice;
    DriverObject->DriverUnload = InpUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS InpAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo = NULL;
    PINP_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    /* No name: nobody opens a port device directly; mouclass reaches it by stacking
       above it and talks to it with internal IOCTLs. */
    status = IoCreateDevice(DriverObject, sizeof(INP_EXTENSION), NULL, FILE_DEVICE_INPORT_PORT,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    ext = (PINP_EXTENSION)fdo->DeviceExtension;         /* zeroed by IoCreateDevice */
    ext->Self = fdo;
    ext->Pdo = PhysicalDeviceObject;
    IoInitializeRemoveLock(&ext->RemoveLock, INP_POOL_TAG, 0, 0);
    KeInitializeSpinLock(&ext->StateLock);
    ext->Mode = INP_MODE_QUIET;

    /* fdo->Dpc with the device object as context: InpDpcForIsr(Dpc, fdo, Irp, Context). */
    IoInitializeDpcRequest(fdo, InpDpcForIsr);

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
VOID InpUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
    /* IRP_MN_REMOVE_DEVICE has deleted every device object by now. */
}

/* ======================================================================================
 * Plug and Play
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS InpForwardCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);

    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;             /* the dispatch routine finishes it */
}

/* Sends the IRP down and waits until the lower drivers have completed it. */
static NTSTATUS InpForwardIrpSynchronous(PINP_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, InpForwardCompletion, &event, TRUE, TRUE, TRUE);
    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS InpDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PINP_EXTENSION ext = (PINP_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status;

    PAGED_CODE();

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return InpCompleteIrp(Irp, status, 0);
    }

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        /* The ISA bus driver enables the decode first; only then may we touch the ports. */
        status = InpForwardIrpSynchronous(ext, Irp);
        if (NT_SUCCESS(status)) {
            status = InpStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return InpCompleteIrp(Irp, status, 0);

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_STOP_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
        InpStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        InpStopDevice(ext);                             /* no-op after a stop */
        IoReleaseRemoveLockAndWait(&ext->RemoveLock, Irp);
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
    status = IoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* The ID register alternates between INP_ID_CODE and the chip's version on every read.
   Anything else at these ports (an empty slot reads 0xFF) fails one of the three reads. */
static BOOLEAN InpDetectChip(PINP_EXTENSION Ext, PUCHAR Version)
{
    UCHAR id;
    UCHAR version;

    PAGED_CODE();

    *Version = 0;
    id = InpReadPort(Ext, INP_PORT_ID);
    if (id != INP_ID_CODE) {
        /* An odd number of earlier reads (a previous probe, the BIOS) leaves the toggle on
           the version byte: one more read gets back to the signature. */
        id = InpReadPort(Ext, INP_PORT_ID);
        if (id != INP_ID_CODE) {
            return FALSE;
        }
    }
    version = InpReadPort(Ext, INP_PORT_ID);
    if (version == INP_ID_CODE || InpReadPort(Ext, INP_PORT_ID) != INP_ID_CODE) {
        return FALSE;                                   /* a port stuck at one value */
    }
    *Version = version;
    return TRUE;
}

/* Ports and interrupt from the translated resources; chip found, reset and quiet; ISR
   connected; only then is the chip allowed to interrupt. */
static NTSTATUS InpStartDevice(PINP_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
{
    PCM_PARTIAL_RESOURCE_LIST list;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    PHYSICAL_ADDRESS portStart;
    BOOLEAN havePorts = FALSE;
    BOOLEAN haveInterrupt = FALSE;
    PKINTERRUPT interrupt = NULL;
    NTSTATUS status;
    ULONG i;

    PAGED_CODE();

    if (Translated == NULL || Translated->Count == 0) {
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    portStart.QuadPart = 0;

    list = &Translated->List[0].PartialResourceList;
    for (i = 0; i < list->Count; i++) {
        desc = &list->PartialDescriptors[i];
        switch (desc->Type) {
        case CmResourceTypePort:
            if (!havePorts && desc->u.Port.Length >= INP_PORT_SPAN) {
                portStart = desc->u.Port.Start;
                if (desc->Flags & CM_RESOURCE_PORT_IO) {
                    Ext->PortBase = (PUCHAR)(ULONG_PTR)portStart.QuadPart;
                    Ext->PortMapped = TRUE;
                } else {
                    /* The platform translated the ISA ports into memory space. */
                    Ext->PortBase = (PUCHAR)MmMapIoSpace(portStart, INP_PORT_SPAN, MmNonCached);
                    if (Ext->PortBase == NULL) {
                        return STATUS_INSUFFICIENT_RESOURCES;
                    }
                    Ext->MappedIoSpace = TRUE;
                    Ext->PortMapped = FALSE;
                }
                havePorts = TRUE;
            }
            break;

        case CmResourceTypeInterrupt:
            /* Translated: Level = DIRQL, Vector = IDT vector. An ISA IRQ is an edge. */
            Ext->Vector = desc->u.Interrupt.Vector;
            Ext->Irql = (KIRQL)desc->u.Interrupt.Level;
            Ext->Affinity = desc->u.Interrupt.Affinity;
            Ext->InterruptMode = (desc->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive;
            haveInterrupt = TRUE;
            break;

        default:
            break;
        }
    }
    if (!havePorts || !haveInterrupt) {
        KdPrint(("InPort: missing %s resource\n", havePorts ? "interrupt" : "port"));
        InpUnmapPorts(Ext);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    if (!InpDetectChip(Ext, &Ext->ChipVersion)) {
        DbgPrint("InPort: no InPort signature at port 0x%X\n", portStart.LowPart);
        InpUnmapPorts(Ext);
        return STATUS_NO_SUCH_DEVICE;
    }
    DbgPrint("InPort: chip version 0x%02X at port 0x%X\n", Ext->ChipVersion, portStart.LowPart);

    /* Reset: counters cleared, MODE 0 (no interrupts). Then the rate, with the interrupt
       enable bit still off: nothing may interrupt before the ISR is connected. No ISR
       exists yet, so the ADDRESS/DATA pair is ours without the interrupt lock. */
    InpWritePort(Ext, INP_PORT_ADDRESS, INP_ADDRESS_RESET);
    InpWriteRegister(Ext, INP_REG_MODE, INP_MODE_QUADRATURE | INP_MODE_RATE_100HZ);
    Ext->Mode = INP_MODE_QUADRATURE | INP_MODE_RATE_100HZ;

    /* Not shared: an edge-triggered ISA line has one owner. */
    status = IoConnectInterrupt(&interrupt, InpInterruptService, Ext->Self, NULL,
                                Ext->Vector, Ext->Irql, Ext->Irql, Ext->InterruptMode,
                                FALSE, Ext->Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        DbgPrint("InPort: IoConnectInterrupt(vector 0x%X, IRQL %u) failed 0x%08X\n",
                 Ext->Vector, Ext->Irql, status);
        InpWritePort(Ext, INP_PORT_ADDRESS, INP_ADDRESS_RESET);
        InpUnmapPorts(Ext);
        return status;
    }
    InpExchangeInterrupt(Ext, interrupt);
    Ext->Started = TRUE;

    KeSynchronizeExecution(Ext->Interrupt, InpEnableReporting, Ext);
    KdPrint(("InPort: started, vector 0x%X IRQL %u %s, %u reports/s\n", Ext->Vector, Ext->Irql,
             Ext->InterruptMode == Latched ? "latched" : "level-sensitive", INP_REPORT_RATE_HZ));
    return STATUS_SUCCESS;
}

/* Chip quiet, DPCs drained, ISR disconnected. The order matters: the DPC uses the
   interrupt object (KeSynchronizeExecution), so it must be gone before the object is. */
static VOID InpStopDevice(PINP_EXTENSION Ext)
{
    PKINTERRUPT interrupt;

    PAGED_CODE();

    if (!Ext->Started) {
        return;
    }
    Ext->Started = FALSE;

    /* 1. No more periodic interrupts; an edge already latched finds Reporting FALSE and
          queues nothing. After this returns no new DPC can be requested. */
    KeSynchronizeExecution(Ext->Interrupt, InpDisableReporting, Ext);

    /* 2. A DpcForIsr requested before step 1 may be queued or running on another CPU. */
    KeFlushQueuedDpcs();

    /* 3. Internal IOCTLs see NULL from now on and no longer synchronise with the ISR. */
    interrupt = InpExchangeInterrupt(Ext, NULL);
    IoDisconnectInterrupt(interrupt);

    DbgPrint("InPort: stopped: %lu interrupts (%lu idle), %lu packets, %lu lost\n",
             Ext->Stats.Interrupts, Ext->Stats.IdleInterrupts, Ext->Stats.Packets, Ext->Stats.Overruns);
    InpUnmapPorts(Ext);
}

/* Publishes (or withdraws) the interrupt object for InpSynchronize. Not pageable: it holds
   a spin lock, and code runs at DISPATCH_LEVEL while it does. */
static PKINTERRUPT InpExchangeInterrupt(PINP_EXTENSION Ext, PKINTERRUPT Interrupt)
{
    PKINTERRUPT previous;
    KIRQL oldIrql;

    KeAcquireSpinLock(&Ext->StateLock, &oldIrql);
    previous = Ext->Interrupt;
    Ext->Interrupt = Interrupt;
    KeReleaseSpinLock(&Ext->StateLock, oldIrql);
    return previous;
}

static VOID InpUnmapPorts(PINP_EXTENSION Ext)
{
    PAGED_CODE();

    if (Ext->MappedIoSpace && Ext->PortBase != NULL) {
        MmUnmapIoSpace(Ext->PortBase, INP_PORT_SPAN);
    }
    Ext->PortBase = NULL;
    Ext->MappedIoSpace = FALSE;
    Ext->PortMapped = FALSE;
}

/* ======================================================================================
 * Requests
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS InpDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    return InpCompleteIrp(Irp, STATUS_SUCCESS, 0);
}

/* Runs Routine holding the interrupt spin lock when the ISR is connected (the connection
   data is the ISR's), or directly while it is not (nothing else runs it then; StateLock
   serialises the callers). Any IRQL <= DISPATCH_LEVEL. */
static BOOLEAN InpSynchronize(PINP_EXTENSION Ext, PKSYNCHRONIZE_ROUTINE Routine, PVOID Context)
{
    BOOLEAN result;
    KIRQL oldIrql;

    KeAcquireSpinLock(&Ext->StateLock, &oldIrql);
    if (Ext->Interrupt != NULL) {
        result = KeSynchronizeExecution(Ext->Interrupt, Routine, Context);
    } else {
        result = Routine(Context);
    }
    KeReleaseSpinLock(&Ext->StateLock, oldIrql);
    return result;
}

_Use_decl_annotations_
NTSTATUS InpDispatchInternalDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PINP_EXTENSION ext = (PINP_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    INP_CONNECT_CONTEXT connect;
    PMOUSE_ATTRIBUTES attributes;
    ULONG_PTR information = 0;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return InpCompleteIrp(Irp, status, 0);
    }

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_INTERNAL_MOUSE_CONNECT:
        /* METHOD_NEITHER from a kernel-mode caller: Type3InputBuffer is mouclass's
           CONNECT_DATA {ClassDeviceObject, ClassService}. One class driver at a time, and
           that is checked first (as i8042prt does): a second connect is refused whatever
           it carries. */
        connect.Extension = ext;
        connect.ConnectData = NULL;
        connect.WasConnected = FALSE;
        InpSynchronize(ext, InpQueryConnection, &connect);
        if (connect.WasConnected) {
            status = STATUS_SHARING_VIOLATION;
            break;
        }
        connect.ConnectData = (PCONNECT_DATA)stack->Parameters.DeviceIoControl.Type3InputBuffer;
        if (inLength < sizeof(CONNECT_DATA) || connect.ConnectData == NULL ||
            connect.ConnectData->ClassService == NULL) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        /* Connects only if still unconnected (another connect may have raced us). */
        InpSynchronize(ext, InpSetConnection, &connect);
        status = connect.WasConnected ? STATUS_SHARING_VIOLATION : STATUS_SUCCESS;
        break;

    case IOCTL_INTERNAL_MOUSE_DISCONNECT:
        connect.Extension = ext;
        connect.ConnectData = NULL;
        connect.WasConnected = FALSE;
        InpSynchronize(ext, InpSetConnection, &connect);
        /* A DPC may have picked up the callback just before: when we may wait, let it
           finish, so the class driver is not called after it was told it is disconnected. */
        if (KeGetCurrentIrql() == PASSIVE_LEVEL) {
            KeFlushQueuedDpcs();
        }
        status = STATUS_SUCCESS;
        break;

    case IOCTL_MOUSE_QUERY_ATTRIBUTES:
        /* METHOD_BUFFERED: the answer goes into the system buffer. */
        if (outLength < sizeof(MOUSE_ATTRIBUTES)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        attributes = (PMOUSE_ATTRIBUTES)Irp->AssociatedIrp.SystemBuffer;
        RtlZeroMemory(attributes, sizeof(MOUSE_ATTRIBUTES));
        attributes->MouseIdentifier = MOUSE_INPORT_HARDWARE;
        attributes->NumberOfButtons = INP_NUMBER_OF_BUTTONS;
        attributes->SampleRate = INP_REPORT_RATE_HZ;
        attributes->InputDataQueueLength = INP_QUEUE_LENGTH * sizeof(MOUSE_INPUT_DATA);  /* bytes */
        information = sizeof(MOUSE_ATTRIBUTES);
        status = STATUS_SUCCESS;
        break;

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return InpCompleteIrp(Irp, status, information);
}

static NTSTATUS InpCompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

_Use_decl_annotations_
NTSTATUS InpDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PINP_EXTENSION ext = (PINP_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return InpCompleteIrp(Irp, status, 0);
    }
    /* The chip is reprogrammed by the next IRP_MN_START_DEVICE; pass power IRPs down. */
    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    status = PoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* ======================================================================================
 * Synchronize routines: at the ISR's SynchronizeIrql, holding its spin lock
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN InpEnableReporting(PVOID SynchronizeContext)
{
    PINP_EXTENSION ext = (PINP_EXTENSION)SynchronizeContext;

    /* A fresh start: nothing queued, no button down as far as the class driver knows. */
    ext->PreviousButtons = 0;
    ext->DataIn = 0;
    ext->DataOut = 0;
    ext->InputCount = 0;

    /* Writing the enable bit starts the periodic interrupt at the programmed rate. */
    ext->Mode = INP_MODE_RUNNING;
    ext->Reporting = TRUE;
    InpWriteRegister(ext, INP_REG_MODE, ext->Mode);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN InpDisableReporting(PVOID SynchronizeContext)
{
    PINP_EXTENSION ext = (PINP_EXTENSION)SynchronizeContext;

    /* Rate 0 with both enable bits off: INTR stays low. */
    ext->Mode = INP_MODE_QUIET;
    ext->Reporting = FALSE;
    InpWriteRegister(ext, INP_REG_MODE, ext->Mode);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN InpQueryConnection(PVOID SynchronizeContext)
{
    PINP_CONNECT_CONTEXT ctx = (PINP_CONNECT_CONTEXT)SynchronizeContext;

    ctx->WasConnected = (BOOLEAN)(ctx->Extension->ConnectData.ClassService != NULL);
    return ctx->WasConnected;
}

_Use_decl_annotations_
BOOLEAN InpSetConnection(PVOID SynchronizeContext)
{
    PINP_CONNECT_CONTEXT ctx = (PINP_CONNECT_CONTEXT)SynchronizeContext;
    PINP_EXTENSION ext = ctx->Extension;

    ctx->WasConnected = (BOOLEAN)(ext->ConnectData.ClassService != NULL);
    if (ctx->ConnectData != NULL) {
        if (!ctx->WasConnected) {
            ext->ConnectData = *ctx->ConnectData;
            ext->ConnectionSequence++;
        }
        return TRUE;
    }
    /* Disconnect: what is still queued was meant for the old connection. */
    ext->ConnectData.ClassDeviceObject = NULL;
    ext->ConnectData.ClassService = NULL;
    ext->ConnectionSequence++;
    ext->DataOut = ext->DataIn;
    ext->InputCount = 0;
    return TRUE;
}

/* The oldest packets that are contiguous in the ring (a wrapped queue takes two runs). */
_Use_decl_annotations_
BOOLEAN InpGetQueueRun(PVOID SynchronizeContext)
{
    PINP_QUEUE_RUN run = (PINP_QUEUE_RUN)SynchronizeContext;
    PINP_EXTENSION ext = run->Extension;

    run->NewOverruns = ext->Stats.Overruns - ext->OverrunsReported;
    ext->OverrunsReported = ext->Stats.Overruns;
    run->Connect = ext->ConnectData;
    run->ConnectionSequence = ext->ConnectionSequence;
    if (ext->ConnectData.ClassService == NULL || ext->InputCount == 0) {
        run->Count = 0;
        return FALSE;
    }
    run->Start = &ext->Queue[ext->DataOut];
    run->Count = min(ext->InputCount, INP_QUEUE_LENGTH - ext->DataOut);
    return TRUE;
}

/* Frees what the class driver consumed. The ISR appends only to slots outside the run, so
   the class driver could read the run in place without the lock. */
_Use_decl_annotations_
BOOLEAN InpConsumeQueueRun(PVOID SynchronizeContext)
{
    PINP_QUEUE_RUN run = (PINP_QUEUE_RUN)SynchronizeContext;
    PINP_EXTENSION ext = run->Extension;

    /* A disconnect in the meantime emptied the ring: nothing of this run is left. */
    if (ext->ConnectionSequence != run->ConnectionSequence) {
        return FALSE;
    }
    ext->DataOut = (ext->DataOut + run->Consumed) % INP_QUEUE_LENGTH;
    ext->InputCount -= run->Consumed;
    return TRUE;
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

/* STATUS button bits that changed → MOUSE_*_BUTTON_DOWN / _UP transitions. */
static USHORT InpButtonFlags(UCHAR Buttons, UCHAR Changed)
{
    USHORT flags = 0;

    if (Changed & INP_STATUS_BUTTON1) {
        flags |= (Buttons & INP_STATUS_BUTTON1) ? MOUSE_LEFT_BUTTON_DOWN : MOUSE_LEFT_BUTTON_UP;
    }
    if (Changed & INP_STATUS_BUTTON3) {
        flags |= (Buttons & INP_STATUS_BUTTON3) ? MOUSE_RIGHT_BUTTON_DOWN : MOUSE_RIGHT_BUTTON_UP;
    }
    if (Changed & INP_STATUS_BUTTON2) {
        flags |= (Buttons & INP_STATUS_BUTTON2) ? MOUSE_MIDDLE_BUTTON_DOWN : MOUSE_MIDDLE_BUTTON_UP;
    }
    return flags;
}

/* The buttons held now, in the same encoding (RawButtons). */
static ULONG InpRawButtons(UCHAR Buttons)
{
    return InpButtonFlags(Buttons, Buttons);
}

_Use_decl_annotations_
BOOLEAN InpInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PDEVICE_OBJECT fdo = (PDEVICE_OBJECT)ServiceContext;
    PINP_EXTENSION ext = (PINP_EXTENSION)fdo->DeviceExtension;
    PMOUSE_INPUT_DATA packet;
    UCHAR status;
    UCHAR buttons;
    UCHAR changed;
    LONG dx = 0;
    LONG dy = 0;

    UNREFERENCED_PARAMETER(Interrupt);

    /* The line is ours alone (not shared), so every interrupt on it is the InPort's; one
       latched just before the driver quieted the chip has nothing to report. */
    if (!ext->Reporting) {
        return TRUE;
    }
    ext->Stats.Interrupts++;

    /* 1. HOLD: its rising edge copies buttons and counters into STATUS / DATA X / DATA Y and
          restarts the counters, so motion during our reads counts towards the next report. */
    InpWriteRegister(ext, INP_REG_MODE, (UCHAR)(ext->Mode | INP_MODE_HOLD));
    status = InpReadRegister(ext, INP_REG_STATUS);
    if (status & INP_STATUS_MOVEMENT) {
        dx = (CHAR)InpReadRegister(ext, INP_REG_DATA_X);
        dy = (CHAR)InpReadRegister(ext, INP_REG_DATA_Y);
    }
    /* 2. Release HOLD (rate and enable bits unchanged: the interrupt keeps its rhythm). */
    InpWriteRegister(ext, INP_REG_MODE, ext->Mode);

    /* 3. The chip interrupts at every period; most periods have nothing new. */
    buttons = status & INP_STATUS_BUTTONS;
    changed = buttons ^ ext->PreviousButtons;
    if (dx == 0 && dy == 0 && changed == 0) {
        ext->Stats.IdleInterrupts++;
        return TRUE;
    }
    ext->PreviousButtons = buttons;

    if (ext->ConnectData.ClassService == NULL) {
        return TRUE;                                    /* no class driver to tell */
    }
    if (ext->InputCount == INP_QUEUE_LENGTH) {
        ext->Stats.Overruns++;                          /* the DPC is far behind: drop it */
        return TRUE;
    }

    /* 4. One report: relative motion and the button transitions since the last one. */
    packet = &ext->Queue[ext->DataIn];
    packet->UnitId = 0;
    packet->Flags = MOUSE_MOVE_RELATIVE;
    packet->ButtonFlags = InpButtonFlags(buttons, changed);
    packet->ButtonData = 0;
    packet->RawButtons = InpRawButtons(buttons);
    packet->LastX = dx;
    packet->LastY = dy;
    packet->ExtraInformation = 0;
    ext->DataIn = (ext->DataIn + 1) % INP_QUEUE_LENGTH;
    ext->InputCount++;
    ext->Stats.Packets++;

    /* 5. Last: the DPC passes the packet on at DISPATCH_LEVEL. */
    IoRequestDpc(fdo, NULL, NULL);
    return TRUE;
}

/* DpcForIsr: DISPATCH_LEVEL, possibly on another CPU while the ISR runs again. The class
   service callback must be called at DISPATCH_LEVEL, never from the ISR. */
_Use_decl_annotations_
VOID InpDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PINP_EXTENSION ext = (PINP_EXTENSION)DeviceObject->DeviceExtension;
    PSERVICE_CALLBACK_ROUTINE classService;
    INP_QUEUE_RUN run;
    ULONG consumed;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    for (;;) {
        RtlZeroMemory(&run, sizeof(run));
        run.Extension = ext;
        KeSynchronizeExecution(ext->Interrupt, InpGetQueueRun, &run);
        if (run.NewOverruns != 0) {
            DbgPrint("InPort: %lu mouse reports lost (input queue full)\n", run.NewOverruns);
        }
        if (run.Count == 0) {
            break;
        }

        consumed = 0;
        classService = (PSERVICE_CALLBACK_ROUTINE)(ULONG_PTR)run.Connect.ClassService;
        (*classService)(run.Connect.ClassDeviceObject, run.Start, run.Start + run.Count, &consumed);

        run.Consumed = min(consumed, run.Count);
        KeSynchronizeExecution(ext->Interrupt, InpConsumeQueueRun, &run);
        if (run.Consumed < run.Count) {
            break;      /* the class queue is full: the rest goes with the next report */
        }
    }
}
