/*
 * driver.c - "Streamer" WDM function driver: an ISR and its DpcForIsr sharing a ring
 * buffer and counters on a multiprocessor (see README.md and driver.h).
 *
 *   ISR          (DIRQL, interrupt spin lock held) read the sample, append it to the ring,
 *                IoRequestDpc last
 *   DpcForIsr    (DISPATCH_LEVEL, maybe on another CPU while the ISR runs again) take the
 *                samples out with KeSynchronizeExecution, process them outside the lock,
 *                merge the statistics under an executive spin lock
 *   audit (DBG)  after every DPC run, check under the interrupt spin lock that every
 *                sample the ISR read is accounted for exactly once
 *   REMOVE       quiet the card, KeFlushQueuedDpcs, IoDisconnectInterrupt, print a summary
 *
 * Build with KDSIM_RACE_BUG=1 to get the unsynchronized DPC and watch the audit fail.
 */

#include "driver.h"

static NTSTATUS StrCompleteIrp(_Inout_ PIRP Irp, _In_ NTSTATUS Status);
static NTSTATUS StrForwardIrpSynchronous(_In_ PSTR_EXTENSION Ext, _Inout_ PIRP Irp);
static NTSTATUS StrStartDevice(_In_ PSTR_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID StrStopDevice(_In_ PSTR_EXTENSION Ext);
static VOID StrUnmapRegisters(_In_ PSTR_EXTENSION Ext);
static ULONG StrCalibrate(_In_ ULONG Raw);
static VOID StrAccumulate(_Inout_ PSTR_STATISTICS Stats, _In_ ULONG Raw);

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, StrAddDevice)
#pragma alloc_text(PAGE, StrUnload)
#pragma alloc_text(PAGE, StrDispatchCreateClose)
#pragma alloc_text(PAGE, StrDispatchPnp)
#pragma alloc_text(PAGE, StrForwardIrpSynchronous)
#pragma alloc_text(PAGE, StrStartDevice)
#pragma alloc_text(PAGE, StrStopDevice)
#pragma alloc_text(PAGE, StrUnmapRegisters)
#endif

/* Sensor calibration, raw counts -> milli-units, piecewise linear. Read by the DPC at
   DISPATCH_LEVEL, so it is ordinary (nonpaged) read-only data. */
static const ULONG StrCalibrationRaw[] = { 0, 256, 1024, 4096, 16384, 65536, 0xFFFFFFFF };
static const ULONG StrCalibrationOut[] = { 0, 250, 1000, 3900, 15500, 61000, 61000 };

C_ASSERT(RTL_NUMBER_OF(StrCalibrationRaw) == RTL_NUMBER_OF(StrCalibrationOut));

/* ======================================================================================
 * Driver and device setup (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    KdPrint(("Streamer: DriverEntry (%s DPC)\n", KDSIM_RACE_BUG ? "UNSYNCHRONIZED" : "synchronized"));

    DriverObject->MajorFunction[IRP_MJ_CREATE] = StrDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = StrDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_PNP] = StrDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = StrDispatchPower;
    DriverObject->DriverExtension->AddDevice = StrAddDevice;
    DriverObject->DriverUnload = StrUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS StrAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo = NULL;
    PSTR_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    status = IoCreateDevice(DriverObject, sizeof(STR_EXTENSION), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    ext = (PSTR_EXTENSION)fdo->DeviceExtension;        /* zeroed by IoCreateDevice */
    ext->Self = fdo;
    ext->Pdo = PhysicalDeviceObject;
    IoInitializeRemoveLock(&ext->RemoveLock, STR_POOL_TAG, 0, 0);
    KeInitializeSpinLock(&ext->StatsLock);
    IoInitializeDpcRequest(fdo, StrDpcForIsr);

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
VOID StrUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
    KdPrint(("Streamer: unloaded\n"));
}

_Use_decl_annotations_
NTSTATUS StrDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    return StrCompleteIrp(Irp, STATUS_SUCCESS);
}

static NTSTATUS StrCompleteIrp(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* ======================================================================================
 * Plug and Play
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS StrStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);

    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static NTSTATUS StrForwardIrpSynchronous(PSTR_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, StrStartCompletion, &event, TRUE, TRUE, TRUE);

    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS StrDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSTR_EXTENSION ext = (PSTR_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status;

    PAGED_CODE();

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return StrCompleteIrp(Irp, status);
    }

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        status = StrForwardIrpSynchronous(ext, Irp);
        if (NT_SUCCESS(status)) {
            status = StrStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return StrCompleteIrp(Irp, status);

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_STOP_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
        StrStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        StrStopDevice(ext);
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

static NTSTATUS StrStartDevice(PSTR_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
{
    PCM_PARTIAL_RESOURCE_LIST list;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    BOOLEAN haveInterrupt = FALSE;
    NTSTATUS status;
    ULONG i;

    PAGED_CODE();

    if (Translated == NULL || Translated->Count == 0) {
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    list = &Translated->List[0].PartialResourceList;
    for (i = 0; i < list->Count; i++) {
        desc = &list->PartialDescriptors[i];
        switch (desc->Type) {
        case CmResourceTypeMemory:
            if (Ext->Registers == NULL && desc->u.Memory.Length >= sizeof(STR_REGISTERS)) {
                Ext->Registers = (PSTR_REGISTERS)MmMapIoSpace(desc->u.Memory.Start, sizeof(STR_REGISTERS),
                                                              MmNonCached);
                if (Ext->Registers == NULL) {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }
                Ext->MappedIoSpace = TRUE;
            }
            break;

        case CmResourceTypePort:
            if (Ext->Registers == NULL && desc->u.Port.Length >= sizeof(STR_REGISTERS)) {
                if (desc->Flags & CM_RESOURCE_PORT_IO) {
                    Ext->Registers = (PSTR_REGISTERS)(ULONG_PTR)desc->u.Port.Start.QuadPart;
                    Ext->PortMapped = TRUE;
                } else {
                    Ext->Registers = (PSTR_REGISTERS)MmMapIoSpace(desc->u.Port.Start, sizeof(STR_REGISTERS),
                                                                  MmNonCached);
                    if (Ext->Registers == NULL) {
                        return STATUS_INSUFFICIENT_RESOURCES;
                    }
                    Ext->MappedIoSpace = TRUE;
                }
            }
            break;

        case CmResourceTypeInterrupt:
            Ext->Vector = desc->u.Interrupt.Vector;
            Ext->Irql = (KIRQL)desc->u.Interrupt.Level;
            Ext->Affinity = desc->u.Interrupt.Affinity;
            Ext->InterruptMode = (desc->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive;
            Ext->ShareVector = (BOOLEAN)(desc->ShareDisposition == CmResourceShareShared);
            haveInterrupt = TRUE;
            break;

        default:
            break;
        }
    }

    if (Ext->Registers == NULL || !haveInterrupt) {
        StrUnmapRegisters(Ext);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    StrWriteRegister(Ext, &Ext->Registers->IntEnable, 0);
    StrWriteRegister(Ext, &Ext->Registers->Control, STR_CONTROL_RESET);
    StrWriteRegister(Ext, &Ext->Registers->Status, STR_STATUS_CAUSES);

    /* The affinity from the resources lets the interrupt land on any CPU: the ISR's
       interrupt spin lock keeps it from running twice at once, but nothing keeps it from
       running while the DPC runs on another CPU. */
    status = IoConnectInterrupt(&Ext->Interrupt, StrInterruptService, Ext, NULL,
                                Ext->Vector, Ext->Irql, Ext->Irql, Ext->InterruptMode,
                                Ext->ShareVector, Ext->Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        Ext->Interrupt = NULL;
        StrUnmapRegisters(Ext);
        return status;
    }
    Ext->Started = TRUE;

    KeSynchronizeExecution(Ext->Interrupt, StrEnableInterrupts, Ext);
    KdPrint(("Streamer: started, vector 0x%X IRQL %u affinity 0x%X\n",
             Ext->Vector, Ext->Irql, (ULONG)Ext->Affinity));
    return STATUS_SUCCESS;
}

static VOID StrStopDevice(PSTR_EXTENSION Ext)
{
    PSTR_SHARED shared = &Ext->Shared;
    ULONG accounted;

    PAGED_CODE();

    if (!Ext->Started) {
        return;
    }
    Ext->Started = FALSE;

    /* Card quiet first (no new ISR work, so no new DPC), then wait for any DPC still queued
       or running (it calls KeSynchronizeExecution on Ext->Interrupt), then disconnect. */
    KeSynchronizeExecution(Ext->Interrupt, StrDisableInterrupts, Ext);
    KeFlushQueuedDpcs();
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;
    StrUnmapRegisters(Ext);

    /* Neither the ISR nor the DPC can run now. */
    accounted = shared->Consumed + shared->Ring.Count + shared->Overruns;
    DbgPrint("Streamer: summary: received=%lu accounted=%lu (consumed %lu + in ring %lu + overruns %lu); "
             "processed %lu in %lu DPC runs (%lu concurrent, max batch %lu); ISR while DPC active %lu\n",
             shared->Received, accounted, shared->Consumed, shared->Ring.Count, shared->Overruns,
             Ext->Stats.Processed, Ext->Stats.DpcRuns, Ext->Stats.ConcurrentDpcs, Ext->Stats.MaxBatch,
             shared->IsrWhileDpcActive);
}

static VOID StrUnmapRegisters(PSTR_EXTENSION Ext)
{
    PAGED_CODE();

    if (Ext->MappedIoSpace && Ext->Registers != NULL) {
        MmUnmapIoSpace(Ext->Registers, sizeof(STR_REGISTERS));
    }
    Ext->Registers = NULL;
    Ext->MappedIoSpace = FALSE;
    Ext->PortMapped = FALSE;
}

_Use_decl_annotations_
NTSTATUS StrDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSTR_EXTENSION ext = (PSTR_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return StrCompleteIrp(Irp, status);
    }
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
BOOLEAN StrEnableInterrupts(PVOID SynchronizeContext)
{
    PSTR_EXTENSION ext = (PSTR_EXTENSION)SynchronizeContext;

    StrWriteRegister(ext, &ext->Registers->IntEnable, STR_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN StrDisableInterrupts(PVOID SynchronizeContext)
{
    PSTR_EXTENSION ext = (PSTR_EXTENSION)SynchronizeContext;

    StrWriteRegister(ext, &ext->Registers->IntEnable, 0);
    StrWriteRegister(ext, &ext->Registers->Status, STR_STATUS_CAUSES);
    return TRUE;
}

/* The ISR never runs on two CPUs at once (its interrupt spin lock), so it updates the
   shared block with plain reads and writes. What it must not assume is that the DPC is
   idle: the DPC may be in the middle of its own update on another CPU. */
_Use_decl_annotations_
BOOLEAN StrInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PSTR_EXTENSION ext = (PSTR_EXTENSION)ServiceContext;
    PSTR_SHARED shared = &ext->Shared;
    PSTR_RING ring = &shared->Ring;
    ULONG status;
    ULONG sample;

    UNREFERENCED_PARAMETER(Interrupt);

    status = StrReadRegister(ext, &ext->Registers->Status);
    if ((status & STR_STATUS_CAUSES) == 0) {
        return FALSE;
    }
    StrWriteRegister(ext, &ext->Registers->Status, status & STR_STATUS_CAUSES);

    if (status & STR_STATUS_DATA_READY) {
        sample = StrReadRegister(ext, &ext->Registers->Data);
        shared->Received++;
        if (ring->Count == STR_RING_SIZE) {
            shared->Overruns++;                 /* the DPC is starved: drop, don't overwrite */
        } else {
            ring->Samples[ring->Head] = sample;
            ring->Head = (ring->Head + 1) & STR_RING_MASK;
            ring->Count++;
        }
    }

    /* For the summary: is a DPC running (on another CPU, or preempted on this one) right
       now? This is the overlap the synchronization is for. */
    if (ext->DpcActive != 0) {
        shared->IsrWhileDpcActive++;
    }

    IoRequestDpc(ext->Self, NULL, NULL);
    return TRUE;
}

/* Runs at the ISR's SynchronizeIrql holding its spin lock: the ISR is not running
   anywhere. Copies up to STR_BATCH samples out, so the lock is held only for the copy. */
_Use_decl_annotations_
BOOLEAN StrTakeBatch(PVOID SynchronizeContext)
{
    PSTR_BATCH_CONTEXT batch = (PSTR_BATCH_CONTEXT)SynchronizeContext;
    PSTR_SHARED shared = &batch->Extension->Shared;
    PSTR_RING ring = &shared->Ring;
    ULONG n = 0;

    while (ring->Count != 0 && n < STR_BATCH) {
        batch->Samples[n++] = ring->Samples[ring->Tail];
        ring->Tail = (ring->Tail + 1) & STR_RING_MASK;
        ring->Count--;
    }
    shared->Consumed += n;
    batch->Taken = n;
    batch->More = (BOOLEAN)(ring->Count != 0);
    return TRUE;
}

/* DBG consistency check, under the interrupt spin lock so that it sees a state neither
   side is halfway through changing. */
_Use_decl_annotations_
BOOLEAN StrAuditShared(PVOID SynchronizeContext)
{
    PSTR_EXTENSION ext = (PSTR_EXTENSION)SynchronizeContext;
    PSTR_SHARED shared = &ext->Shared;

    UNREFERENCED_PARAMETER(shared);     /* only ASSERTs use it (DBG=0 builds) */

    /* Every sample the ISR read was taken by a DPC, is still in the ring, or was dropped;
       and Count agrees with the indexes. A lost update of Count breaks both. */
    ASSERTMSG("Streamer: a sample was lost or counted twice",
              shared->Received == shared->Consumed + shared->Ring.Count + shared->Overruns);
    ASSERTMSG("Streamer: ring Count disagrees with Head/Tail",
              ((shared->Ring.Tail + shared->Ring.Count) & STR_RING_MASK) == shared->Ring.Head);
    return TRUE;
}

static ULONG StrCalibrate(ULONG Raw)
{
    ULONG i = 1;

    while (i < RTL_NUMBER_OF(StrCalibrationRaw) - 1 && Raw > StrCalibrationRaw[i]) {
        i++;
    }
    if (Raw >= StrCalibrationRaw[i]) {
        return StrCalibrationOut[i];
    }
    return StrCalibrationOut[i - 1] +
           (ULONG)(((ULONG64)(Raw - StrCalibrationRaw[i - 1]) * (StrCalibrationOut[i] - StrCalibrationOut[i - 1])) /
                   (StrCalibrationRaw[i] - StrCalibrationRaw[i - 1]));
}

/* Folds one sample into a DPC run's private statistics. */
static VOID StrAccumulate(PSTR_STATISTICS Stats, ULONG Raw)
{
    ULONG value = StrCalibrate(Raw);

    if (Stats->Processed == 0 || value < Stats->Min) {
        Stats->Min = value;
    }
    if (Stats->Processed == 0 || value > Stats->Max) {
        Stats->Max = value;
    }
    Stats->CalibratedSum += value;
    Stats->Processed++;
}

/* DpcForIsr: DISPATCH_LEVEL, on the CPU that ran the ISR. Another CPU may be running the
   ISR (or, queued again by it, this same DPC) at this very moment. */
_Use_decl_annotations_
VOID StrDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PSTR_EXTENSION ext = (PSTR_EXTENSION)DeviceObject->DeviceExtension;
    PSTR_STATISTICS stats = &ext->Stats;
    STR_STATISTICS run;
    BOOLEAN concurrent;
    ULONG taken = 0;
#if KDSIM_RACE_BUG
    PSTR_RING ring = &ext->Shared.Ring;
    ULONG pending;
    ULONG tail;
#else
    STR_BATCH_CONTEXT batch;
    ULONG i;
#endif

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    concurrent = (BOOLEAN)(InterlockedIncrement(&ext->DpcActive) > 1);
    RtlZeroMemory(&run, sizeof(run));

#if KDSIM_RACE_BUG
    /* BUG (deliberate; see README.md): no interrupt spin lock. The reasoning was "the ISR
       only moves Head and the DPC only moves Tail, so they never touch the same field".
       But both change Count: an interrupt that arrives on another CPU between the read of
       Count and the write below adds a sample whose increment is then overwritten. The
       sample stays in the ring unaccounted for, and the ring's Count no longer matches
       Head - Tail. Without the lock there is no reason to copy, so the samples are
       processed in place, which makes the window as long as the processing. */
    pending = ring->Count;
    tail = ring->Tail;
    while (pending != 0) {
        StrAccumulate(&run, ring->Samples[tail]);
        tail = (tail + 1) & STR_RING_MASK;
        pending--;
        taken++;
    }
    ring->Tail = tail;
    ring->Count = 0;                            /* "the ring is empty now": lost update */
    ext->Shared.Consumed += taken;
#else
    /* Take the samples under the interrupt spin lock, a batch at a time (the ISR is held
       off while we copy, so keep it short), and process them after releasing it. */
    batch.Extension = ext;
    do {
        KeSynchronizeExecution(ext->Interrupt, StrTakeBatch, &batch);
        for (i = 0; i < batch.Taken; i++) {
            StrAccumulate(&run, batch.Samples[i]);
        }
        if (batch.Taken > run.MaxBatch) {
            run.MaxBatch = batch.Taken;
        }
        taken += batch.Taken;
    } while (batch.More);
#endif

    /* Merge this run's statistics: another instance of this DPC may be doing the same. */
    KeAcquireSpinLockAtDpcLevel(&ext->StatsLock);
    if (run.Processed != 0) {
        if (stats->Processed == 0 || run.Min < stats->Min) {
            stats->Min = run.Min;
        }
        if (stats->Processed == 0 || run.Max > stats->Max) {
            stats->Max = run.Max;
        }
    }
    stats->Processed += run.Processed;
    stats->CalibratedSum += run.CalibratedSum;
    if (run.MaxBatch > stats->MaxBatch) {
        stats->MaxBatch = run.MaxBatch;
    }
    stats->DpcRuns++;
    if (concurrent) {
        stats->ConcurrentDpcs++;
    }
    KeReleaseSpinLockFromDpcLevel(&ext->StatsLock);

    NT_ASSERT(run.Processed == taken);

#if DBG
    KeSynchronizeExecution(ext->Interrupt, StrAuditShared, ext);
#endif

    InterlockedDecrement(&ext->DpcActive);
}
