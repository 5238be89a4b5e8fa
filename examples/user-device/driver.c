/*
 * driver.c - "Thermal" WDM function driver for the THS-1 temperature sensor (see README.md
 * for a walkthrough, driver.h for the interface, devices/thermal-sensor.js for the part).
 *
 *   AddDevice        IoCreateDevice, IoAttachDeviceToDeviceStack, IoInitializeDpcRequest
 *   START_DEVICE     forward down and wait; translated resources: BAR0 -> MmMapIoSpaceEx,
 *                    the interrupt's vector/IRQL/affinity/mode/sharing; check ID; reset;
 *                    program the default limits; IoConnectInterrupt; then, under the
 *                    interrupt lock, continuous conversion with every cause enabled
 *   ISR              (DIRQL) ours? acknowledge the causes (W1C), note them, IoRequestDpc
 *   DpcForIsr        (DISPATCH) read TEMPERATURE and the excursion state, keep the latest
 *                    temperature, print an alert and complete the waiting
 *                    IOCTL_THERMAL_WAIT_ALERT requests with it
 *   DeviceControl    IOCTL_THERMAL_READ, IOCTL_THERMAL_SET_LIMITS, IOCTL_THERMAL_WAIT_ALERT
 *                    (pends on a driver queue with a cancel routine)
 *   STOP / REMOVE    interrupts off under the interrupt lock, IoDisconnectInterrupt,
 *                    KeFlushQueuedDpcs, fail the waiting requests, MmUnmapIoSpace
 */

#include "driver.h"

/* Temperatures in 1/16 degC print as fixed point with four decimals (1/16 = 0.0625), with
   no floating point in the kernel: DbgPrint("T " THM_TEMP_FORMAT "\n", THM_TEMP_ARGS(t)). */
#define THM_TEMP_FORMAT     "%s%u.%04u C"
#define THM_TEMP_ARGS(t)    ((t) < 0 ? "-" : ""), ThmMagnitude(t) / 16, (ThmMagnitude(t) % 16) * 625

FORCEINLINE ULONG ThmMagnitude(_In_ LONG Temperature)
{
    return Temperature < 0 ? (ULONG)(-Temperature) : (ULONG)Temperature;
}

static NTSTATUS ThmCompleteIrp(_Inout_ PIRP Irp, _In_ NTSTATUS Status, _In_ ULONG_PTR Information);

/* PnP helpers: PASSIVE_LEVEL. */
_IRQL_requires_(PASSIVE_LEVEL)
static NTSTATUS ThmForwardIrpSynchronous(_In_ PTHM_EXTENSION Ext, _Inout_ PIRP Irp);
_IRQL_requires_(PASSIVE_LEVEL)
static NTSTATUS ThmStartDevice(_In_ PTHM_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
_IRQL_requires_(PASSIVE_LEVEL)
static VOID ThmStopDevice(_In_ PTHM_EXTENSION Ext, _In_ NTSTATUS Status);
_IRQL_requires_max_(APC_LEVEL)
static VOID ThmUnmapRegisters(_In_ PTHM_EXTENSION Ext);

/* They take Lock themselves. */
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static VOID ThmPublishStart(_In_ PTHM_EXTENSION Ext, _In_ const THERMAL_LIMITS *Limits);
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static BOOLEAN ThmSetStarted(_In_ PTHM_EXTENSION Ext, _In_ BOOLEAN Started);
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static VOID ThmFailWaiters(_In_ PTHM_EXTENSION Ext, _In_ NTSTATUS Status);
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static VOID ThmCompleteList(_In_ PTHM_EXTENSION Ext, _Inout_ PLIST_ENTRY Done);

/* The wait queue: called holding Lock, hence at DISPATCH_LEVEL. */
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static BOOLEAN ThmQueueWaiter(_In_ PTHM_EXTENSION Ext, _Inout_ PIRP Irp);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static PIRP ThmDequeueWaiter(_In_ PTHM_EXTENSION Ext);

/* Only PASSIVE_LEVEL code that holds no spin lock is pageable; whatever takes Lock or runs
   at DISPATCH_LEVEL or above stays resident. */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, ThmAddDevice)
#pragma alloc_text(PAGE, ThmUnload)
#pragma alloc_text(PAGE, ThmDispatchCreateClose)
#pragma alloc_text(PAGE, ThmDispatchPnp)
#pragma alloc_text(PAGE, ThmForwardIrpSynchronous)
#pragma alloc_text(PAGE, ThmStartDevice)
#pragma alloc_text(PAGE, ThmStopDevice)
#pragma alloc_text(PAGE, ThmUnmapRegisters)
#endif

/* ======================================================================================
 * Driver and device setup (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = ThmDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = ThmDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = ThmDispatchDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = ThmDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = ThmDispatchPower;
    DriverObject->DriverExtension->AddDevice = ThmAddDevice;
    DriverObject->DriverUnload = ThmUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS ThmAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    UNICODE_STRING deviceName = RTL_CONSTANT_STRING(THM_DEVICE_NAME);
    UNICODE_STRING linkName = RTL_CONSTANT_STRING(THM_LINK_NAME);
    PDEVICE_OBJECT fdo = NULL;
    PTHM_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    /* One sensor per machine in this sample, hence the fixed name. */
    status = IoCreateDevice(DriverObject, sizeof(THM_EXTENSION), &deviceName, FILE_DEVICE_THERMAL_SENSOR,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Thermal: IoCreateDevice failed 0x%08X\n", status));
        return status;
    }

    ext = (PTHM_EXTENSION)fdo->DeviceExtension;        /* zeroed by IoCreateDevice */
    ext->Self = fdo;
    ext->Pdo = PhysicalDeviceObject;
    IoInitializeRemoveLock(&ext->RemoveLock, THM_POOL_TAG, 0, 0);
    KeInitializeSpinLock(&ext->Lock);
    InitializeListHead(&ext->WaitQueue);

    /* The ISR's DPC is the device object's own (fdo->Dpc): ThmDpcForIsr(Dpc, fdo, Irp, Context). */
    IoInitializeDpcRequest(fdo, ThmDpcForIsr);

    ext->LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
    if (ext->LowerDevice == NULL) {
        IoDeleteDevice(fdo);
        return STATUS_NO_SUCH_DEVICE;
    }

    status = IoCreateSymbolicLink(&linkName, &deviceName);
    if (NT_SUCCESS(status)) {
        ext->LinkCreated = TRUE;
    } else {
        KdPrint(("Thermal: no symbolic link (0x%08X); the device is still usable by name\n", status));
    }

    fdo->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID ThmUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
    /* Every device was removed (IRP_MN_REMOVE_DEVICE) before the driver can unload. */
}

/* ======================================================================================
 * Plug and Play
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS ThmStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);

    /* Wake ThmForwardIrpSynchronous only if IoCallDriver returned STATUS_PENDING to it. */
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    /* Keep the IRP: the PnP dispatch routine finishes it after its own work. */
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static NTSTATUS ThmForwardIrpSynchronous(PTHM_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, ThmStartCompletion, &event, TRUE, TRUE, TRUE);
    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS ThmDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTHM_EXTENSION ext = (PTHM_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    UNICODE_STRING linkName = RTL_CONSTANT_STRING(THM_LINK_NAME);
    NTSTATUS status;

    PAGED_CODE();

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return ThmCompleteIrp(Irp, status, 0);
    }

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        /* The bus driver enables the slot first; only then are the resources usable. */
        status = ThmForwardIrpSynchronous(ext, Irp);
        if (NT_SUCCESS(status)) {
            status = ThmStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return ThmCompleteIrp(Irp, status, 0);

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_STOP_DEVICE:
        ThmStopDevice(ext, STATUS_DEVICE_NOT_READY);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_SURPRISE_REMOVAL:
        ThmStopDevice(ext, STATUS_DELETE_PENDING);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        ThmStopDevice(ext, STATUS_DELETE_PENDING);      /* no-op after a surprise removal */
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

/* Maps BAR0, checks the part, programs the limits, connects the interrupt, then starts
   the sensor converting. */
static NTSTATUS ThmStartDevice(PTHM_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
{
    PCM_PARTIAL_RESOURCE_LIST list;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    PHYSICAL_ADDRESS barStart;
    ULONG barLength = 0;
    BOOLEAN haveInterrupt = FALSE;
    THM_CONTROL_CONTEXT control;
    THERMAL_LIMITS limits;
    NTSTATUS status;
    ULONG id;
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
            if (barLength == 0 && desc->u.Memory.Length >= sizeof(THM_REGISTERS)) {
                barStart = desc->u.Memory.Start;
                barLength = desc->u.Memory.Length;
            }
            break;

        case CmResourceTypeInterrupt:
            /* Translated: Level is the DIRQL, Vector the IDT vector (IRQL = Vector >> 4). */
            if (!haveInterrupt && !(desc->Flags & CM_RESOURCE_INTERRUPT_MESSAGE)) {
                Ext->Vector = desc->u.Interrupt.Vector;
                Ext->Irql = (KIRQL)desc->u.Interrupt.Level;
                Ext->Affinity = desc->u.Interrupt.Affinity;
                Ext->InterruptMode = (desc->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive;
                Ext->ShareVector = (BOOLEAN)(desc->ShareDisposition == CmResourceShareShared);
                haveInterrupt = TRUE;
            }
            break;

        default:
            break;                          /* e.g. CmResourceTypeDevicePrivate */
        }
    }

    if (barLength == 0 || !haveInterrupt) {
        KdPrint(("Thermal: missing %s resource\n", barLength == 0 ? "BAR0 memory" : "interrupt"));
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    Ext->RegisterSpan = sizeof(THM_REGISTERS);
    Ext->Registers = (PTHM_REGISTERS)MmMapIoSpaceEx(barStart, Ext->RegisterSpan, PAGE_READWRITE | PAGE_NOCACHE);
    if (Ext->Registers == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    id = READ_REGISTER_ULONG(&Ext->Registers->Id);
    if (id != THM_ID) {
        KdPrint(("Thermal: BAR0 ID reads 0x%08X, not a THS-1\n", id));
        ThmUnmapRegisters(Ext);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    /* Power-on state before any ISR exists: not converting, INT_ENABLE 0, no causes. */
    WRITE_REGISTER_ULONG(&Ext->Registers->Control, THM_CONTROL_RESET);
    Ext->EnabledCauses = 0;
    Ext->PendingCauses = 0;

    /* The driver's limits replace the part's power-on ones; the sensor compares every
       result with them from its first conversion on. */
    limits.HighLimit = THM_DEFAULT_HIGH_LIMIT;
    limits.LowLimit = THM_DEFAULT_LOW_LIMIT;
    limits.Hysteresis = THM_DEFAULT_HYSTERESIS;
    WRITE_REGISTER_ULONG(&Ext->Registers->HighLimit, (ULONG)limits.HighLimit);
    WRITE_REGISTER_ULONG(&Ext->Registers->LowLimit, (ULONG)limits.LowLimit);
    WRITE_REGISTER_ULONG(&Ext->Registers->Hysteresis, (ULONG)limits.Hysteresis);

    /* ServiceContext = the extension (resident); SynchronizeIrql = the DIRQL: ours is the
       only ISR that uses this interrupt spin lock. */
    status = IoConnectInterrupt(&Ext->Interrupt, ThmInterruptService, Ext, NULL,
                                Ext->Vector, Ext->Irql, Ext->Irql, Ext->InterruptMode,
                                Ext->ShareVector, Ext->Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Thermal: IoConnectInterrupt(vector 0x%X, IRQL %u) failed 0x%08X\n",
                 Ext->Vector, Ext->Irql, status));
        Ext->Interrupt = NULL;
        ThmUnmapRegisters(Ext);
        return status;
    }

    /* Not here under the spin lock: this routine is pageable, and code at DISPATCH_LEVEL
       must be resident (Verifier's Force IRQL checking turns it into bug check 0xD1). */
    ThmPublishStart(Ext, &limits);

    /* Only now may the sensor interrupt: every result (to keep the latest temperature) and
       both alerts. Under the interrupt lock, so the ISR sees CONTROL and EnabledCauses
       change together. */
    control.Extension = Ext;
    control.Control = THM_CONTROL_ENABLE | THM_CONTROL_CONTINUOUS | (THM_STATUS_CAUSES << THM_CONTROL_INT_SHIFT);
    KeSynchronizeExecution(Ext->Interrupt, ThmProgramControl, &control);

    DbgPrint("Thermal: started: vector 0x%X IRQL %u %s%s; limits high " THM_TEMP_FORMAT ", low "
             THM_TEMP_FORMAT ", hysteresis " THM_TEMP_FORMAT "\n",
             Ext->Vector, Ext->Irql, Ext->InterruptMode == Latched ? "latched" : "level-sensitive",
             Ext->ShareVector ? " shared" : "", THM_TEMP_ARGS(limits.HighLimit),
             THM_TEMP_ARGS(limits.LowLimit), THM_TEMP_ARGS(limits.Hysteresis));
    return STATUS_SUCCESS;
}

/* Stops accepting work, silences and disconnects the sensor, fails the waiting requests. */
static VOID ThmStopDevice(PTHM_EXTENSION Ext, NTSTATUS Status)
{
    THM_CONTROL_CONTEXT control;

    PAGED_CODE();

    if (!ThmSetStarted(Ext, FALSE)) {
        return;                             /* never started (nothing mapped), or already stopped */
    }

    /* Interrupts off first: a level-triggered line left asserted with no ISR would storm
       (bug check 0xF2). Under the interrupt lock: the ISR may be running on another CPU. */
    control.Extension = Ext;
    control.Control = 0;
    KeSynchronizeExecution(Ext->Interrupt, ThmProgramControl, &control);
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;

    /* The DpcForIsr queued by the last interrupt may still be queued or running; it sees
       Started FALSE and leaves the wait queue alone. */
    KeFlushQueuedDpcs();

    ThmFailWaiters(Ext, Status);
    ThmUnmapRegisters(Ext);
}

static VOID ThmUnmapRegisters(PTHM_EXTENSION Ext)
{
    PAGED_CODE();

    if (Ext->Registers != NULL) {
        MmUnmapIoSpace(Ext->Registers, Ext->RegisterSpan);
    }
    Ext->Registers = NULL;
}

/* Start: the limits in force and a fresh reading state, published under Lock. */
static VOID ThmPublishStart(PTHM_EXTENSION Ext, const THERMAL_LIMITS *Limits)
{
    KIRQL oldIrql;

    KeAcquireSpinLock(&Ext->Lock, &oldIrql);
    Ext->Limits = *Limits;
    Ext->HaveTemperature = FALSE;
    Ext->Temperature = 0;
    Ext->Excursion = ThmNormal;
    Ext->Started = TRUE;
    KeReleaseSpinLock(&Ext->Lock, oldIrql);
}

/* Sets Started under Lock and returns the previous value. */
static BOOLEAN ThmSetStarted(PTHM_EXTENSION Ext, BOOLEAN Started)
{
    KIRQL oldIrql;
    BOOLEAN wasStarted;

    KeAcquireSpinLock(&Ext->Lock, &oldIrql);
    wasStarted = Ext->Started;
    Ext->Started = Started;
    KeReleaseSpinLock(&Ext->Lock, oldIrql);
    return wasStarted;
}

/* After a stop: completes every waiting IOCTL_THERMAL_WAIT_ALERT with Status. */
static VOID ThmFailWaiters(PTHM_EXTENSION Ext, NTSTATUS Status)
{
    LIST_ENTRY done;
    KIRQL oldIrql;
    PIRP irp;

    InitializeListHead(&done);

    KeAcquireSpinLock(&Ext->Lock, &oldIrql);
    while ((irp = ThmDequeueWaiter(Ext)) != NULL) {
        irp->IoStatus.Status = Status;
        irp->IoStatus.Information = 0;
        InsertTailList(&done, &irp->Tail.Overlay.ListEntry);
    }
    KeReleaseSpinLock(&Ext->Lock, oldIrql);

    ThmCompleteList(Ext, &done);
}

/* ======================================================================================
 * I/O requests
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS ThmDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    return ThmCompleteIrp(Irp, STATUS_SUCCESS, 0);
}

/* Checks a THERMAL_LIMITS against what the sensor can hold and compare sensibly. */
static BOOLEAN ThmLimitsValid(_In_ const THERMAL_LIMITS *Limits)
{
    return Limits->HighLimit >= THM_TEMPERATURE_MIN && Limits->HighLimit <= THM_TEMPERATURE_MAX &&
           Limits->LowLimit >= THM_TEMPERATURE_MIN && Limits->LowLimit < Limits->HighLimit &&
           Limits->Hysteresis >= 0 && Limits->Hysteresis <= THM_HYSTERESIS_MAX &&
           Limits->Hysteresis <= Limits->HighLimit - Limits->LowLimit;
}

_Use_decl_annotations_
NTSTATUS ThmDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTHM_EXTENSION ext = (PTHM_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    ULONG_PTR information = 0;
    THERMAL_LIMITS limits;
    NTSTATUS status;
    KIRQL oldIrql;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return ThmCompleteIrp(Irp, status, 0);
    }

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_THERMAL_READ:
        if (outLength < sizeof(LONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        KeAcquireSpinLock(&ext->Lock, &oldIrql);
        if (!ext->Started || !ext->HaveTemperature) {
            status = STATUS_DEVICE_NOT_READY;   /* no result yet: the first one is 1 conversion away */
        } else {
            *(PLONG)Irp->AssociatedIrp.SystemBuffer = ext->Temperature;
            information = sizeof(LONG);
            status = STATUS_SUCCESS;
        }
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        break;

    case IOCTL_THERMAL_SET_LIMITS:
        if (inLength < sizeof(THERMAL_LIMITS)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        /* METHOD_BUFFERED: a copy of the caller's input, safe to read at any IRQL. */
        limits = *(PTHERMAL_LIMITS)Irp->AssociatedIrp.SystemBuffer;
        if (!ThmLimitsValid(&limits)) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        /* Under Lock, so the DPC prints the limits the sensor is comparing with. The sensor
           uses them from its next result; the ISR never touches these registers. */
        KeAcquireSpinLock(&ext->Lock, &oldIrql);
        if (!ext->Started) {
            status = STATUS_DEVICE_NOT_READY;
        } else {
            WRITE_REGISTER_ULONG(&ext->Registers->HighLimit, (ULONG)limits.HighLimit);
            WRITE_REGISTER_ULONG(&ext->Registers->LowLimit, (ULONG)limits.LowLimit);
            WRITE_REGISTER_ULONG(&ext->Registers->Hysteresis, (ULONG)limits.Hysteresis);
            ext->Limits = limits;
            status = STATUS_SUCCESS;
        }
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        if (NT_SUCCESS(status)) {
            DbgPrint("Thermal: limits: high " THM_TEMP_FORMAT ", low " THM_TEMP_FORMAT ", hysteresis "
                     THM_TEMP_FORMAT "\n", THM_TEMP_ARGS(limits.HighLimit), THM_TEMP_ARGS(limits.LowLimit),
                     THM_TEMP_ARGS(limits.Hysteresis));
        }
        break;

    case IOCTL_THERMAL_WAIT_ALERT:
        if (outLength < sizeof(THERMAL_ALERT)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        /* Park the IRP on the wait queue; the DPC completes it with the next alert. */
        KeAcquireSpinLock(&ext->Lock, &oldIrql);
        if (!ext->Started) {
            status = STATUS_DEVICE_NOT_READY;
        } else if (!ThmQueueWaiter(ext, Irp)) {
            status = STATUS_CANCELLED;
        } else {
            KeReleaseSpinLock(&ext->Lock, oldIrql);
            return STATUS_PENDING;          /* the remove lock stays held until completion */
        }
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        break;

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return ThmCompleteIrp(Irp, status, information);
}

_Use_decl_annotations_
NTSTATUS ThmDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTHM_EXTENSION ext = (PTHM_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return ThmCompleteIrp(Irp, status, 0);
    }
    /* The sensor keeps no state the driver must save: pass every power IRP down. */
    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    status = PoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* ---- The cancel-safe wait queue (WaitQueue, under Lock) ----------------------------------- */

/* Called holding Lock. FALSE: the IRP was cancelled before it could be queued. */
static BOOLEAN ThmQueueWaiter(PTHM_EXTENSION Ext, PIRP Irp)
{
    IoSetCancelRoutine(Irp, ThmCancelWait);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
        /* Cancelled already, and the cancel routine will not run: the caller fails it. */
        return FALSE;
    }
    /* (If Irp->Cancel is set but the routine was already taken, it is about to run: it waits
       for Lock and then unlinks the IRP.) */
    IoMarkIrpPending(Irp);
    InsertTailList(&Ext->WaitQueue, &Irp->Tail.Overlay.ListEntry);
    return TRUE;
}

/* Called holding Lock. The oldest waiter whose cancel routine has not been taken, or NULL. */
static PIRP ThmDequeueWaiter(PTHM_EXTENSION Ext)
{
    PLIST_ENTRY entry;
    PIRP irp;

    while (!IsListEmpty(&Ext->WaitQueue)) {
        entry = RemoveHeadList(&Ext->WaitQueue);
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
VOID ThmCancelWait(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTHM_EXTENSION ext = (PTHM_EXTENSION)DeviceObject->DeviceExtension;
    KIRQL oldIrql;

    /* Entered holding the global cancel spin lock: release it before anything else. */
    IoReleaseCancelSpinLock(Irp->CancelIrql);

    KeAcquireSpinLock(&ext->Lock, &oldIrql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    KeReleaseSpinLock(&ext->Lock, oldIrql);

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    ThmCompleteIrp(Irp, STATUS_CANCELLED, 0);
}

/* Completes the IRPs on Done (status already set). Never called holding a spin lock. */
static VOID ThmCompleteList(PTHM_EXTENSION Ext, PLIST_ENTRY Done)
{
    PLIST_ENTRY entry;
    PIRP irp;

    while (!IsListEmpty(Done)) {
        entry = RemoveHeadList(Done);
        irp = CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
        IoReleaseRemoveLock(&Ext->RemoveLock, irp);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}

static NTSTATUS ThmCompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

/* DIRQL, holding the interrupt spin lock. The line is level-triggered and may be shared. */
_Use_decl_annotations_
BOOLEAN ThmInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PTHM_EXTENSION ext = (PTHM_EXTENSION)ServiceContext;
    ULONG causes;

    UNREFERENCED_PARAMETER(Interrupt);

    /* 1. Ours? Only enabled causes assert INT; if none is pending, another device on the
          line is interrupting: say so at once so its ISR gets its turn. */
    causes = READ_REGISTER_ULONG(&ext->Registers->Status) & ext->EnabledCauses;
    if (causes == 0) {
        return FALSE;
    }

    /* 2. Acknowledge: writing the causes back clears them and drops the line. */
    WRITE_REGISTER_ULONG(&ext->Registers->Status, causes);

    /* 3. Causes accumulate until the DPC takes them: it runs once for several interrupts
          when it was still queued. */
    InterlockedOr(&ext->PendingCauses, (LONG)causes);

    /* 4. Last: queue the DpcForIsr (no IRP is associated with an interrupt here). */
    IoRequestDpc(ext->Self, NULL, NULL);
    return TRUE;
}

/* SynchCritSection: CONTROL and EnabledCauses change together, with the ISR locked out. */
_Use_decl_annotations_
BOOLEAN ThmProgramControl(PVOID SynchronizeContext)
{
    PTHM_CONTROL_CONTEXT context = (PTHM_CONTROL_CONTEXT)SynchronizeContext;
    PTHM_EXTENSION ext = context->Extension;

    ext->EnabledCauses = (context->Control >> THM_CONTROL_INT_SHIFT) & THM_STATUS_CAUSES;
    WRITE_REGISTER_ULONG(&ext->Registers->Control, context->Control);
    if (ext->EnabledCauses == 0) {
        /* Switched off: clear what is latched so a restart begins clean. */
        WRITE_REGISTER_ULONG(&ext->Registers->Status, THM_STATUS_CAUSES);
    }
    return TRUE;
}

/* DpcForIsr: DISPATCH_LEVEL, possibly on another CPU than the ISR and while it runs again. */
_Use_decl_annotations_
VOID ThmDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PTHM_EXTENSION ext = (PTHM_EXTENSION)DeviceObject->DeviceExtension;
    THM_EXCURSION ended = ThmNormal;
    THERMAL_LIMITS limits;
    LIST_ENTRY done;
    ULONG causes;
    ULONG status;
    ULONG cause = 0;
    LONG temperature;
    PIRP waiter;
    PTHERMAL_ALERT alert;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    InitializeListHead(&done);
    causes = (ULONG)InterlockedExchange(&ext->PendingCauses, 0);

    KeAcquireSpinLockAtDpcLevel(&ext->Lock);
    if (!ext->Started) {
        /* Stopping: ThmStopDevice fails the waiters after KeFlushQueuedDpcs. */
        KeReleaseSpinLockFromDpcLevel(&ext->Lock);
        return;
    }

    /* The result that interrupted (or a newer one), and the sensor's excursion state. */
    status = READ_REGISTER_ULONG(&ext->Registers->Status);
    temperature = (LONG)READ_REGISTER_ULONG(&ext->Registers->Temperature);    /* sign-extended */
    ext->Temperature = temperature;
    ext->HaveTemperature = TRUE;

    /* An alert starts an excursion; the sensor raises no cause when one ends (its HIGH/LOW
       state bit clears past the hysteresis), so that is seen here on a later result. */
    if (causes & THM_STATUS_ALERT_HIGH) {
        ext->Excursion = ThmHigh;
        cause = THERMAL_ALERT_HIGH;
    } else if (causes & THM_STATUS_ALERT_LOW) {
        ext->Excursion = ThmLow;
        cause = THERMAL_ALERT_LOW;
    } else if ((ext->Excursion == ThmHigh && !(status & THM_STATUS_HIGH)) ||
               (ext->Excursion == ThmLow && !(status & THM_STATUS_LOW))) {
        ended = ext->Excursion;
        ext->Excursion = ThmNormal;
        cause = THERMAL_ALERT_NORMAL;
    }
    limits = ext->Limits;

    /* Every waiter gets this alert. */
    if (cause != 0) {
        while ((waiter = ThmDequeueWaiter(ext)) != NULL) {
            alert = (PTHERMAL_ALERT)waiter->AssociatedIrp.SystemBuffer;
            alert->Cause = cause;
            alert->Temperature = temperature;
            waiter->IoStatus.Status = STATUS_SUCCESS;
            waiter->IoStatus.Information = sizeof(THERMAL_ALERT);
            InsertTailList(&done, &waiter->Tail.Overlay.ListEntry);
        }
    }
    KeReleaseSpinLockFromDpcLevel(&ext->Lock);

    switch (cause) {
    case THERMAL_ALERT_HIGH:
        DbgPrint("Thermal: HIGH alert: " THM_TEMP_FORMAT " (high limit " THM_TEMP_FORMAT ")\n",
                 THM_TEMP_ARGS(temperature), THM_TEMP_ARGS(limits.HighLimit));
        break;
    case THERMAL_ALERT_LOW:
        DbgPrint("Thermal: LOW alert: " THM_TEMP_FORMAT " (low limit " THM_TEMP_FORMAT ")\n",
                 THM_TEMP_ARGS(temperature), THM_TEMP_ARGS(limits.LowLimit));
        break;
    case THERMAL_ALERT_NORMAL:
        if (ended == ThmHigh) {
            DbgPrint("Thermal: back to normal: " THM_TEMP_FORMAT " (below " THM_TEMP_FORMAT ")\n",
                     THM_TEMP_ARGS(temperature), THM_TEMP_ARGS(limits.HighLimit - limits.Hysteresis));
        } else {
            DbgPrint("Thermal: back to normal: " THM_TEMP_FORMAT " (above " THM_TEMP_FORMAT ")\n",
                     THM_TEMP_ARGS(temperature), THM_TEMP_ARGS(limits.LowLimit + limits.Hysteresis));
        }
        break;
    default:
        break;                              /* a result inside the limits: just kept */
    }

    /* Outside the lock: never call IoCompleteRequest holding a spin lock. */
    ThmCompleteList(ext, &done);
}
