/*
 * driver.c - "Ticker" WDM function driver: a CustomDpc queued from the ISR with
 * KeInsertQueueDpc, and a periodic KTIMER whose CustomTimerDpc prints statistics
 * (see README.md for a walkthrough and driver.h for the card).
 *
 *   AddDevice        KeInitializeDpc x2, KeSetImportanceDpc(HighImportance) on the sample
 *                    DPC, KeInitializeTimerEx
 *   START_DEVICE     forward down and wait, map registers, IoConnectInterrupt, enable the
 *                    card's interrupts, KeSetTimerEx(period)
 *   ISR              (DIRQL) is it ours? ack, hand the sample over, KeInsertQueueDpc last,
 *                    counting TRUE (queued) and FALSE (coalesced into a pending run)
 *   TckSampleDpc     (DISPATCH_LEVEL) take the samples with KeSynchronizeExecution, fold
 *                    them into the statistics under a spin lock
 *   TckStatsTimerDpc (DISPATCH_LEVEL, every TCK_STATS_PERIOD_MS) snapshot and DbgPrint
 *   REMOVE_DEVICE    KeCancelTimer, KeRemoveQueueDpc, quiet the card, KeFlushQueuedDpcs,
 *                    IoDisconnectInterrupt, print the final accounting
 */

#include "driver.h"

static NTSTATUS TckCompleteIrp(_Inout_ PIRP Irp, _In_ NTSTATUS Status);
static NTSTATUS TckForwardIrpSynchronous(_In_ PTCK_EXTENSION Ext, _Inout_ PIRP Irp);
static NTSTATUS TckStartDevice(_In_ PTCK_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static VOID TckStopDevice(_In_ PTCK_EXTENSION Ext);
static VOID TckUnmapRegisters(_In_ PTCK_EXTENSION Ext);

/* PASSIVE_LEVEL-only code is pageable. The ISR, the DPCs and the synchronize routines run
   at DISPATCH_LEVEL or above and stay resident (no pragma: default .text). */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, TckAddDevice)
#pragma alloc_text(PAGE, TckUnload)
#pragma alloc_text(PAGE, TckDispatchCreateClose)
#pragma alloc_text(PAGE, TckDispatchPnp)
#pragma alloc_text(PAGE, TckForwardIrpSynchronous)
#pragma alloc_text(PAGE, TckStartDevice)
#pragma alloc_text(PAGE, TckStopDevice)
#pragma alloc_text(PAGE, TckUnmapRegisters)
#endif

/* ======================================================================================
 * Driver and device setup (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    KdPrint(("Ticker: DriverEntry\n"));

    DriverObject->MajorFunction[IRP_MJ_CREATE] = TckDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = TckDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_PNP] = TckDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = TckDispatchPower;
    DriverObject->DriverExtension->AddDevice = TckAddDevice;
    DriverObject->DriverUnload = TckUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS TckAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo = NULL;
    PTCK_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    status = IoCreateDevice(DriverObject, sizeof(TCK_EXTENSION), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Ticker: IoCreateDevice failed 0x%08X\n", status));
        return status;
    }

    ext = (PTCK_EXTENSION)fdo->DeviceExtension;        /* zeroed by IoCreateDevice */
    ext->Self = fdo;
    ext->Pdo = PhysicalDeviceObject;
    IoInitializeRemoveLock(&ext->RemoveLock, TCK_POOL_TAG, 0, 0);
    KeInitializeSpinLock(&ext->StatsLock);

    /* A CustomDpc instead of the device object's built-in DpcForIsr: the context can be
       anything (here the extension) and a driver can have as many as it needs. */
    KeInitializeDpc(&ext->SampleDpc, TckSampleDpc, ext);

    /* HighImportance puts the sample DPC at the head of its CPU's queue (and always asks
       for a DPC interrupt), so samples are not held up behind other DPCs queued on that
       CPU, the statistics DPC included. The default, MediumImportance, queues at the tail. */
    KeSetImportanceDpc(&ext->SampleDpc, HighImportance);

    /* The statistics DPC keeps the default importance: nothing waits for it. */
    KeInitializeDpc(&ext->StatsDpc, TckStatsTimerDpc, ext);

    /* A notification timer: a DPC is all we attach; nobody waits on the timer object. */
    KeInitializeTimerEx(&ext->StatsTimer, NotificationTimer);

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
VOID TckUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
    /* Every device is gone (IRP_MN_REMOVE_DEVICE) and with it every timer and DPC. */
    KdPrint(("Ticker: unloaded\n"));
}

_Use_decl_annotations_
NTSTATUS TckDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    return TckCompleteIrp(Irp, STATUS_SUCCESS);
}

static NTSTATUS TckCompleteIrp(PIRP Irp, NTSTATUS Status)
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
NTSTATUS TckStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);

    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    /* Keep the IRP: TckDispatchPnp completes it after its own work. */
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static NTSTATUS TckForwardIrpSynchronous(PTCK_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, TckStartCompletion, &event, TRUE, TRUE, TRUE);

    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS TckDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTCK_EXTENSION ext = (PTCK_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status;

    PAGED_CODE();

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return TckCompleteIrp(Irp, status);
    }

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        status = TckForwardIrpSynchronous(ext, Irp);
        if (NT_SUCCESS(status)) {
            status = TckStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return TckCompleteIrp(Irp, status);

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_STOP_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
        TckStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        TckStopDevice(ext);                 /* does nothing after a stop or surprise removal */
        IoReleaseRemoveLockAndWait(&ext->RemoveLock, Irp);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(ext->LowerDevice, Irp);
        IoDetachDevice(ext->LowerDevice);
        IoDeleteDevice(DeviceObject);       /* the KDPCs and the KTIMER go with it: they
                                               must be neither queued nor set by now */
        return status;

    default:
        break;
    }

    IoSkipCurrentIrpStackLocation(Irp);
    status = IoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* Maps the registers, connects the ISR, lets the card interrupt, starts the timer. */
static NTSTATUS TckStartDevice(PTCK_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
{
    PCM_PARTIAL_RESOURCE_LIST list;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    BOOLEAN haveInterrupt = FALSE;
    LARGE_INTEGER dueTime;
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
            if (Ext->Registers == NULL && desc->u.Memory.Length >= sizeof(TCK_REGISTERS)) {
                Ext->Registers = (PTCK_REGISTERS)MmMapIoSpace(desc->u.Memory.Start, sizeof(TCK_REGISTERS),
                                                              MmNonCached);
                if (Ext->Registers == NULL) {
                    return STATUS_INSUFFICIENT_RESOURCES;
                }
                Ext->MappedIoSpace = TRUE;
            }
            break;

        case CmResourceTypePort:
            if (Ext->Registers == NULL && desc->u.Port.Length >= sizeof(TCK_REGISTERS)) {
                if (desc->Flags & CM_RESOURCE_PORT_IO) {
                    Ext->Registers = (PTCK_REGISTERS)(ULONG_PTR)desc->u.Port.Start.QuadPart;
                    Ext->PortMapped = TRUE;
                } else {
                    Ext->Registers = (PTCK_REGISTERS)MmMapIoSpace(desc->u.Port.Start, sizeof(TCK_REGISTERS),
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
        KdPrint(("Ticker: missing %s resource\n", haveInterrupt ? "register" : "interrupt"));
        TckUnmapRegisters(Ext);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    /* Quiet the card before the ISR exists. */
    TckWriteRegister(Ext, &Ext->Registers->IntEnable, 0);
    TckWriteRegister(Ext, &Ext->Registers->Control, TCK_CONTROL_RESET);
    TckWriteRegister(Ext, &Ext->Registers->Status, TCK_STATUS_CAUSES);

    status = IoConnectInterrupt(&Ext->Interrupt, TckInterruptService, Ext, NULL,
                                Ext->Vector, Ext->Irql, Ext->Irql, Ext->InterruptMode,
                                Ext->ShareVector, Ext->Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        KdPrint(("Ticker: IoConnectInterrupt failed 0x%08X\n", status));
        Ext->Interrupt = NULL;
        TckUnmapRegisters(Ext);
        return status;
    }
    Ext->Started = TRUE;

    /* Only now may the card raise its line. */
    KeSynchronizeExecution(Ext->Interrupt, TckEnableInterrupts, Ext);

    /* First expiration one period from now (negative = relative, 100 ns units), then every
       TCK_STATS_PERIOD_MS milliseconds until KeCancelTimer. */
    Ext->PreviousTime = KeQueryInterruptTime();
    dueTime.QuadPart = -10000LL * TCK_STATS_PERIOD_MS;
    KeSetTimerEx(&Ext->StatsTimer, dueTime, TCK_STATS_PERIOD_MS, &Ext->StatsDpc);

    KdPrint(("Ticker: started, vector 0x%X IRQL %u, statistics every %u ms\n",
             Ext->Vector, Ext->Irql, TCK_STATS_PERIOD_MS));
    return STATUS_SUCCESS;
}

/* Tears down in the order that leaves no timer, DPC or ISR referring to what goes away. */
static VOID TckStopDevice(PTCK_EXTENSION Ext)
{
    TCK_ISR_COUNTERS counters;
    TCK_STATISTICS stats;
    ULONG unprocessed;
    BOOLEAN consistent;

    PAGED_CODE();

    if (!Ext->Started) {
        return;
    }
    Ext->Started = FALSE;

    /* 1. No more statistics: cancel the periodic timer (no new expirations), and take its
          DPC off the queue if an expiration already queued it. A run already in progress
          on another CPU is waited for by KeFlushQueuedDpcs below. */
    KeCancelTimer(&Ext->StatsTimer);
    if (KeRemoveQueueDpc(&Ext->StatsDpc)) {
        KdPrint(("Ticker: removed a queued statistics DPC\n"));
    }

    /* 2. Card interrupts off, under the interrupt spin lock: from here on the ISR claims
          nothing, so it queues no more sample DPCs. */
    KeSynchronizeExecution(Ext->Interrupt, TckDisableInterrupts, Ext);

    /* 3. A sample DPC the last interrupt queued need not run: its samples stay in the
          hand-off block and the final accounting reports them as unprocessed. */
    if (KeRemoveQueueDpc(&Ext->SampleDpc)) {
        KdPrint(("Ticker: removed a queued sample DPC\n"));
    }

    /* 4. Both DPCs call KeSynchronizeExecution on Ext->Interrupt: wait until no instance is
          still running anywhere before the interrupt object is freed. */
    KeFlushQueuedDpcs();

    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;
    TckUnmapRegisters(Ext);

    /* Nothing else runs now: plain reads are safe. Every claimed interrupt called
       KeInsertQueueDpc once, every sample is either processed or still handed off, and a
       DPC cannot run more often than it was queued. */
    counters = Ext->IsrCounters;
    stats = Ext->Stats;
    unprocessed = Ext->Handoff.Count;
    consistent = (BOOLEAN)(counters.Interrupts == counters.DpcQueued + counters.DpcCoalesced &&
                           counters.Samples == stats.Samples + unprocessed &&
                           stats.DpcRuns <= counters.DpcQueued);

    DbgPrint("Ticker: final: interrupts %lu, KeInsertQueueDpc TRUE %lu / FALSE %lu, sample DPC runs %lu "
             "(%lu empty), samples %lu processed + %lu unprocessed, timer DPC runs %lu: %s\n",
             counters.Interrupts, counters.DpcQueued, counters.DpcCoalesced, stats.DpcRuns,
             stats.EmptyRuns, stats.Samples, unprocessed, Ext->TimerTicks,
             consistent ? "consistent" : "INCONSISTENT");
    NT_ASSERT(consistent);
}

static VOID TckUnmapRegisters(PTCK_EXTENSION Ext)
{
    PAGED_CODE();

    if (Ext->MappedIoSpace && Ext->Registers != NULL) {
        MmUnmapIoSpace(Ext->Registers, sizeof(TCK_REGISTERS));
    }
    Ext->Registers = NULL;
    Ext->MappedIoSpace = FALSE;
    Ext->PortMapped = FALSE;
}

_Use_decl_annotations_
NTSTATUS TckDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PTCK_EXTENSION ext = (PTCK_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return TckCompleteIrp(Irp, status);
    }
    /* No power management of our own: pass every power IRP down. */
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
BOOLEAN TckEnableInterrupts(PVOID SynchronizeContext)
{
    PTCK_EXTENSION ext = (PTCK_EXTENSION)SynchronizeContext;

    TckWriteRegister(ext, &ext->Registers->IntEnable, TCK_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN TckDisableInterrupts(PVOID SynchronizeContext)
{
    PTCK_EXTENSION ext = (PTCK_EXTENSION)SynchronizeContext;

    TckWriteRegister(ext, &ext->Registers->IntEnable, 0);
    TckWriteRegister(ext, &ext->Registers->Status, TCK_STATUS_CAUSES);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN TckInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PTCK_EXTENSION ext = (PTCK_EXTENSION)ServiceContext;
    PTCK_HANDOFF handoff = &ext->Handoff;
    ULONG status;
    ULONG sample;

    UNREFERENCED_PARAMETER(Interrupt);

    /* Is it ours? (The line may be shared.) */
    status = TckReadRegister(ext, &ext->Registers->Status);
    if ((status & TCK_STATUS_CAUSES) == 0) {
        return FALSE;
    }

    /* Acknowledge: write-1-to-clear drops the line. */
    TckWriteRegister(ext, &ext->Registers->Status, status & TCK_STATUS_CAUSES);
    ext->IsrCounters.Interrupts++;

    if (status & TCK_STATUS_ERROR) {
        ext->IsrCounters.Errors++;
    }
    if (status & TCK_STATUS_DATA_READY) {
        /* Add the sample to the batch the DPC will take. Samples accumulate here because one
           DPC run may have to cover several interrupts. */
        sample = TckReadRegister(ext, &ext->Registers->Data);
        if (handoff->Count == 0 || sample < handoff->Min) {
            handoff->Min = sample;
        }
        if (handoff->Count == 0 || sample > handoff->Max) {
            handoff->Max = sample;
        }
        handoff->Last = sample;
        handoff->Sum += sample;
        handoff->Count++;
        ext->IsrCounters.Samples++;
    }

    /* Last: queue the CustomDpc. FALSE means it is already in a DPC queue and has not
       started yet: that run will see this sample too, and the arguments passed here are
       dropped (the first insert's stay). That is coalescing, not a lost interrupt. */
    if (KeInsertQueueDpc(&ext->SampleDpc, NULL, NULL)) {
        ext->IsrCounters.DpcQueued++;
    } else {
        ext->IsrCounters.DpcCoalesced++;
    }
    return TRUE;
}

/* Runs at the ISR's SynchronizeIrql holding its spin lock: takes the batch and clears it. */
_Use_decl_annotations_
BOOLEAN TckTakeHandoff(PVOID SynchronizeContext)
{
    PTCK_SNAPSHOT snapshot = (PTCK_SNAPSHOT)SynchronizeContext;
    PTCK_EXTENSION ext = snapshot->Extension;

    snapshot->Handoff = ext->Handoff;
    RtlZeroMemory(&ext->Handoff, sizeof(ext->Handoff));
    return TRUE;
}

/* Same lock, read-only: the ISR's counters and the batch not yet taken, as one picture. */
_Use_decl_annotations_
BOOLEAN TckSnapshot(PVOID SynchronizeContext)
{
    PTCK_SNAPSHOT snapshot = (PTCK_SNAPSHOT)SynchronizeContext;
    PTCK_EXTENSION ext = snapshot->Extension;

    snapshot->Counters = ext->IsrCounters;
    snapshot->Handoff = ext->Handoff;
    return TRUE;
}

/* CustomDpc: DISPATCH_LEVEL, on the CPU whose ISR queued it. It can run on two CPUs at
   once (an interrupt on CPU 1 may queue it again while it runs on CPU 0), so it touches
   shared state only under a lock. */
_Use_decl_annotations_
VOID TckSampleDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PTCK_EXTENSION ext = (PTCK_EXTENSION)DeferredContext;
    PTCK_STATISTICS stats = &ext->Stats;
    TCK_SNAPSHOT batch;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    batch.Extension = ext;
    KeSynchronizeExecution(ext->Interrupt, TckTakeHandoff, &batch);

    KeAcquireSpinLockAtDpcLevel(&ext->StatsLock);
    stats->DpcRuns++;
    if (batch.Handoff.Count == 0) {
        /* Nothing to take: an instance on another CPU took the batch after the ISR queued
           us again (or the interrupt was an ERROR without a sample). */
        stats->EmptyRuns++;
    } else {
        if (stats->Samples == 0 || batch.Handoff.Min < stats->Min) {
            stats->Min = batch.Handoff.Min;
        }
        if (stats->Samples == 0 || batch.Handoff.Max > stats->Max) {
            stats->Max = batch.Handoff.Max;
        }
        stats->Samples += batch.Handoff.Count;
        stats->Sum += batch.Handoff.Sum;
        if (batch.Handoff.Count > stats->MaxBatch) {
            stats->MaxBatch = batch.Handoff.Count;
        }
    }
    KeReleaseSpinLockFromDpcLevel(&ext->StatsLock);
}

/* CustomTimerDpc: queued by each expiration of StatsTimer; DISPATCH_LEVEL. */
_Use_decl_annotations_
VOID TckStatsTimerDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PTCK_EXTENSION ext = (PTCK_EXTENSION)DeferredContext;
    TCK_SNAPSHOT snapshot;
    TCK_STATISTICS stats;
    ULONG64 now;
    ULONG tick;
    ULONG newInterrupts;
    ULONG elapsedUs;
    ULONG average;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);    /* the expiration time; not needed */
    UNREFERENCED_PARAMETER(SystemArgument2);

    snapshot.Extension = ext;
    KeSynchronizeExecution(ext->Interrupt, TckSnapshot, &snapshot);
    now = KeQueryInterruptTime();

    KeAcquireSpinLockAtDpcLevel(&ext->StatsLock);
    stats = ext->Stats;
    tick = ++ext->TimerTicks;
    newInterrupts = snapshot.Counters.Interrupts - ext->PreviousInterrupts;
    elapsedUs = (ULONG)((now - ext->PreviousTime) / 10);
    ext->PreviousInterrupts = snapshot.Counters.Interrupts;
    ext->PreviousTime = now;
    KeReleaseSpinLockFromDpcLevel(&ext->StatsLock);

    /* Print outside the lock: DbgPrint is slow, and another CPU may be spinning on it. */
    average = stats.Samples != 0 ? (ULONG)(stats.Sum / stats.Samples) : 0;
    DbgPrint("Ticker: stats #%lu: +%lu interrupts in %lu us; total %lu, KeInsertQueueDpc TRUE %lu / "
             "FALSE %lu, sample DPC runs %lu (max batch %lu), pending %lu; samples %lu min %lu max %lu avg %lu\n",
             tick, newInterrupts, elapsedUs, snapshot.Counters.Interrupts, snapshot.Counters.DpcQueued,
             snapshot.Counters.DpcCoalesced, stats.DpcRuns, stats.MaxBatch, snapshot.Handoff.Count,
             stats.Samples, stats.Min, stats.Max, average);
}
