/*
 * wdm-stubs.c - a minimal native "kernel" for bench/kernel.mjs: just the DDIs that
 * examples/dpcforisr/driver.c links against, implemented straightforwardly, so that gcc -O2
 * can run the same driver logic as kdsim (ISR -> DpcForIsr -> IoCompleteRequest) natively.
 *
 * One processor and no time model: IRQL is a variable; spin locks only do IRQL bookkeeping;
 * lowering the IRQL below DISPATCH_LEVEL runs the queued DPCs (as in kdsim's KeLowerIrql).
 * The device is kernel-sim/devices/generic.ts (STATUS W1C, CONTROL START/RESET, INT_ENABLE,
 * DATA) with a zero conversion time: CONTROL START makes a sample ready at once and the
 * harness (harness.c) takes the interrupt as soon as the driver returns to it.
 *
 * Built with kdsim's simulated headers (-nostdinc -I kernel-sim/include) and the gcc prelude
 * of test/c/fixtures/headers; the C library (malloc, free) is the host's.
 */
#include "wdm-stubs.h"

#include <stdlib.h>

int dprintf(int fd, const char *format, ...);   /* POSIX; the simulated <stdio.h> lacks it */

KDN_STATS KdnStats;
VOID (*KdnIrpFinished)(PIRP Irp);

static KIRQL CurrentIrql = PASSIVE_LEVEL;

DECLSPEC_NORETURN static VOID Fatal(const char *what)
{
    dprintf(2, "wdm-stubs: %s\n", what);
    abort();
}

/* ======================================================================================
 * The device: generic.ts semantics, conversion time 0
 * ====================================================================================== */

#define DEV_STATUS_DATA_READY   0x1
#define DEV_STATUS_ERROR        0x2
#define DEV_CAUSES              (DEV_STATUS_DATA_READY | DEV_STATUS_ERROR)
#define DEV_CONTROL_START       0x1
#define DEV_CONTROL_RESET       0x2

static struct {
    ULONG Status;
    ULONG IntEnable;
    ULONG Data;
    ULONG Counter;              /* samples are 1, 2, 3, ... as in generic.ts */
    BOOLEAN Line;               /* (Status & IntEnable & causes) != 0 */
} Dev;

/* What MmMapIoSpace returns for the BAR; accesses are decoded by address, never stored. */
static ULONG DevWindow[KDN_BAR_LENGTH / sizeof(ULONG)];

static ULONG DeviceRead(ULONG_PTR Offset)
{
    switch (Offset) {
    case 0x0: return Dev.Status;
    case 0x8: return Dev.IntEnable;
    case 0xC: return Dev.Data;
    default:  return 0;         /* CONTROL reads as 0 */
    }
}

static VOID DeviceWrite(ULONG_PTR Offset, ULONG Value)
{
    switch (Offset) {
    case 0x0:
        Dev.Status &= ~(Value & DEV_CAUSES);
        break;
    case 0x4:
        if (Value & DEV_CONTROL_RESET) {
            Dev.Status = 0;
            Dev.Data = 0;
        }
        if (Value & DEV_CONTROL_START) {
            /* BUSY for zero time: the conversion is done before the driver reads STATUS. */
            KdnStats.Conversions++;
            Dev.Data = ++Dev.Counter;
            Dev.Status |= DEV_STATUS_DATA_READY;
        }
        break;
    case 0x8:
        Dev.IntEnable = Value & DEV_CAUSES;
        break;
    default:
        break;
    }
    Dev.Line = (Dev.Status & Dev.IntEnable & DEV_CAUSES) != 0;
}

static ULONG_PTR DeviceOffset(const volatile void *Address)
{
    ULONG_PTR offset = (ULONG_PTR)Address - (ULONG_PTR)DevWindow;
    if (offset >= sizeof(DevWindow) || (offset & 3) != 0) {
        Fatal("register access outside the mapped BAR");
    }
    return offset;
}

ULONG NTAPI READ_REGISTER_ULONG(volatile ULONG *Register)
{
    return DeviceRead(DeviceOffset(Register));
}

VOID NTAPI WRITE_REGISTER_ULONG(volatile ULONG *Register, ULONG Value)
{
    DeviceWrite(DeviceOffset(Register), Value);
}

/* The harness assigns a memory BAR only; a port access would be a driver bug here. */
ULONG NTAPI READ_PORT_ULONG(PULONG Port)
{
    return DeviceRead(DeviceOffset(Port));
}

VOID NTAPI WRITE_PORT_ULONG(PULONG Port, ULONG Value)
{
    DeviceWrite(DeviceOffset(Port), Value);
}

PVOID NTAPI MmMapIoSpace(PHYSICAL_ADDRESS PhysicalAddress, SIZE_T NumberOfBytes, MEMORY_CACHING_TYPE CacheType)
{
    ULONG64 start = (ULONG64)PhysicalAddress.QuadPart;
    UNREFERENCED_PARAMETER(CacheType);
    if (start < KDN_BAR_BASE || start + NumberOfBytes > KDN_BAR_BASE + KDN_BAR_LENGTH) {
        return NULL;
    }
    return (PUCHAR)DevWindow + (start - KDN_BAR_BASE);
}

VOID NTAPI MmUnmapIoSpace(PVOID BaseAddress, SIZE_T NumberOfBytes)
{
    UNREFERENCED_PARAMETER(BaseAddress);
    UNREFERENCED_PARAMETER(NumberOfBytes);
}

BOOLEAN KdnInterruptPending(VOID)
{
    return Dev.Line;
}

/* ======================================================================================
 * IRQL, spin locks, DPCs
 * ====================================================================================== */

static PKDPC DpcHead;
static PKDPC DpcTail;
static int DpcQueued;           /* the KDPC.DpcData of a queued DPC points here */

VOID KdnRetireDpcs(VOID)
{
    KIRQL old = CurrentIrql;
    PKDPC dpc;

    CurrentIrql = DISPATCH_LEVEL;
    while ((dpc = DpcHead) != NULL) {
        DpcHead = dpc->DpcListEntry.Next != NULL ? CONTAINING_RECORD(dpc->DpcListEntry.Next, KDPC, DpcListEntry) : NULL;
        if (DpcHead == NULL) {
            DpcTail = NULL;
        }
        dpc->DpcListEntry.Next = NULL;
        dpc->DpcData = NULL;    /* dequeued: it may be queued again while it runs */
        KdnStats.Dpcs++;
        dpc->DeferredRoutine(dpc, dpc->DeferredContext, dpc->SystemArgument1, dpc->SystemArgument2);
        if (CurrentIrql != DISPATCH_LEVEL) {
            Fatal("a DPC routine returned at an IRQL other than DISPATCH_LEVEL");
        }
    }
    CurrentIrql = old;
}

static VOID LowerIrql(KIRQL NewIrql)
{
    if (NewIrql > CurrentIrql) {
        Fatal("KeLowerIrql to a higher IRQL");
    }
    CurrentIrql = NewIrql;
    if (NewIrql < DISPATCH_LEVEL && DpcHead != NULL) {
        KdnRetireDpcs();
    }
}

static KIRQL RaiseIrql(KIRQL NewIrql)
{
    KIRQL old = CurrentIrql;
    if (NewIrql < old) {
        Fatal("KeRaiseIrql to a lower IRQL");
    }
    CurrentIrql = NewIrql;
    return old;
}

KIRQL NTAPI KeGetCurrentIrql(VOID)
{
    return CurrentIrql;
}

KIRQL FASTCALL KfRaiseIrql(KIRQL NewIrql)
{
    return RaiseIrql(NewIrql);
}

VOID NTAPI KeLowerIrql(KIRQL NewIrql)
{
    LowerIrql(NewIrql);
}

VOID NTAPI KeInitializeSpinLock(PKSPIN_LOCK SpinLock)
{
    *SpinLock = 0;
}

KIRQL NTAPI KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock)
{
    UNREFERENCED_PARAMETER(SpinLock);
    return RaiseIrql(DISPATCH_LEVEL);
}

VOID NTAPI KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    UNREFERENCED_PARAMETER(SpinLock);
    LowerIrql(NewIrql);
}

VOID NTAPI KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    UNREFERENCED_PARAMETER(SpinLock);
}

VOID NTAPI KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
    UNREFERENCED_PARAMETER(SpinLock);
}

VOID NTAPI IoAcquireCancelSpinLock(PKIRQL Irql)
{
    *Irql = RaiseIrql(DISPATCH_LEVEL);
}

VOID NTAPI IoReleaseCancelSpinLock(KIRQL Irql)
{
    LowerIrql(Irql);
}

VOID NTAPI KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
    Dpc->TargetInfoAsUlong = 0;
    Dpc->Type = 19;             /* DpcObject (the WDK's KOBJECTS value; no constant in the headers) */
    Dpc->Importance = MediumImportance;
    Dpc->DpcListEntry.Next = NULL;
    Dpc->ProcessorHistory = 0;
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
    Dpc->SystemArgument1 = NULL;
    Dpc->SystemArgument2 = NULL;
    Dpc->DpcData = NULL;
}

/* Queued once: while queued, further inserts return FALSE and keep the first arguments. */
BOOLEAN NTAPI KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
    if (Dpc->DpcData != NULL) {
        return FALSE;
    }
    Dpc->DpcData = &DpcQueued;
    Dpc->SystemArgument1 = SystemArgument1;
    Dpc->SystemArgument2 = SystemArgument2;
    Dpc->DpcListEntry.Next = NULL;
    if (DpcHead == NULL) {
        DpcHead = DpcTail = Dpc;
    } else if (Dpc->Importance == HighImportance) {
        Dpc->DpcListEntry.Next = &DpcHead->DpcListEntry;
        DpcHead = Dpc;
    } else {
        DpcTail->DpcListEntry.Next = &Dpc->DpcListEntry;
        DpcTail = Dpc;
    }
    /* Queued below DISPATCH_LEVEL, it runs at once (the DISPATCH software interrupt). */
    if (CurrentIrql < DISPATCH_LEVEL) {
        KdnRetireDpcs();
    }
    return TRUE;
}

VOID NTAPI KeFlushQueuedDpcs(VOID)
{
    if (CurrentIrql < DISPATCH_LEVEL) {
        KdnRetireDpcs();
    }
}

/* ======================================================================================
 * Interrupts
 * ====================================================================================== */

struct _KINTERRUPT {
    PKSERVICE_ROUTINE ServiceRoutine;
    PVOID ServiceContext;
    ULONG Vector;
    KIRQL Irql;
    KIRQL SynchronizeIrql;
    KINTERRUPT_MODE Mode;
    struct _KINTERRUPT *Next;   /* the chain of a shared vector */
};

static PKINTERRUPT InterruptChain;     /* connected to KDN_VECTOR */

NTSTATUS NTAPI IoConnectInterrupt(PKINTERRUPT *InterruptObject, PKSERVICE_ROUTINE ServiceRoutine, PVOID ServiceContext,
                                  PKSPIN_LOCK SpinLock, ULONG Vector, KIRQL Irql, KIRQL SynchronizeIrql,
                                  KINTERRUPT_MODE InterruptMode, BOOLEAN ShareVector, KAFFINITY ProcessorEnableMask,
                                  BOOLEAN FloatingSave)
{
    PKINTERRUPT interrupt;
    PKINTERRUPT *tail;

    UNREFERENCED_PARAMETER(SpinLock);
    UNREFERENCED_PARAMETER(FloatingSave);
    *InterruptObject = NULL;
    if (Vector != KDN_VECTOR || Irql != KDN_LEVEL || SynchronizeIrql < Irql || (ProcessorEnableMask & 1) == 0) {
        return STATUS_INVALID_PARAMETER;
    }
    if (InterruptChain != NULL && !ShareVector) {
        return STATUS_INVALID_PARAMETER;
    }
    interrupt = (PKINTERRUPT)calloc(1, sizeof(*interrupt));
    if (interrupt == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    interrupt->ServiceRoutine = ServiceRoutine;
    interrupt->ServiceContext = ServiceContext;
    interrupt->Vector = Vector;
    interrupt->Irql = Irql;
    interrupt->SynchronizeIrql = SynchronizeIrql;
    interrupt->Mode = InterruptMode;
    for (tail = &InterruptChain; *tail != NULL; tail = &(*tail)->Next) {
    }
    *tail = interrupt;
    *InterruptObject = interrupt;
    return STATUS_SUCCESS;
}

VOID NTAPI IoDisconnectInterrupt(PKINTERRUPT InterruptObject)
{
    PKINTERRUPT *link;

    for (link = &InterruptChain; *link != NULL; link = &(*link)->Next) {
        if (*link == InterruptObject) {
            *link = InterruptObject->Next;
            free(InterruptObject);
            return;
        }
    }
    Fatal("IoDisconnectInterrupt of an interrupt that is not connected");
}

/* The interrupt spin lock is implicit (one processor): raise, call, lower. */
BOOLEAN NTAPI KeSynchronizeExecution(PKINTERRUPT Interrupt, PKSYNCHRONIZE_ROUTINE SynchronizeRoutine, PVOID SynchronizeContext)
{
    KIRQL old = CurrentIrql;
    BOOLEAN result;

    if (old > Interrupt->SynchronizeIrql) {
        Fatal("KeSynchronizeExecution above the interrupt's SynchronizeIrql");
    }
    CurrentIrql = Interrupt->SynchronizeIrql;
    result = SynchronizeRoutine(SynchronizeContext);
    LowerIrql(old);
    return result;
}

/* Interrupt entry from the harness loop. The DPCs the ISR queued stay queued: the harness
   runs them next (KdnRetireDpcs), as the DISPATCH software interrupt would. */
BOOLEAN KdnDeliverInterrupt(VOID)
{
    KIRQL old = CurrentIrql;
    PKINTERRUPT interrupt;
    BOOLEAN claimed = FALSE;

    if (old >= KDN_LEVEL) {
        Fatal("interrupt delivered at or above its DIRQL");
    }
    for (interrupt = InterruptChain; interrupt != NULL && !claimed; interrupt = interrupt->Next) {
        CurrentIrql = interrupt->SynchronizeIrql;
        claimed = interrupt->ServiceRoutine(interrupt, interrupt->ServiceContext);
        if (CurrentIrql != interrupt->SynchronizeIrql) {
            Fatal("an ISR returned at a different IRQL");
        }
    }
    CurrentIrql = old;
    if (claimed) {
        KdnStats.Interrupts++;
    }
    return claimed;
}

/* ======================================================================================
 * Events (only what IRP_MN_START_DEVICE's synchronous forward needs)
 * ====================================================================================== */

VOID NTAPI KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    Event->Header.Lock = 0;
    Event->Header.Type = (UCHAR)Type;
    Event->Header.Size = (UCHAR)(sizeof(KEVENT) / sizeof(LONG));
    Event->Header.SignalState = State;
    InitializeListHead(&Event->Header.WaitListHead);
}

LONG NTAPI KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    LONG previous = Event->Header.SignalState;
    UNREFERENCED_PARAMETER(Increment);
    UNREFERENCED_PARAMETER(Wait);
    Event->Header.SignalState = 1;
    return previous;
}

/* Nothing else runs natively: a wait on an unsignaled event could never end. */
NTSTATUS NTAPI KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                     PLARGE_INTEGER Timeout)
{
    PKEVENT event = (PKEVENT)Object;
    UNREFERENCED_PARAMETER(WaitReason);
    UNREFERENCED_PARAMETER(WaitMode);
    UNREFERENCED_PARAMETER(Alertable);
    if (event->Header.SignalState > 0) {
        if (event->Header.Type == SynchronizationEvent) {
            event->Header.SignalState = 0;
        }
        return STATUS_SUCCESS;
    }
    if (Timeout != NULL) {
        return STATUS_TIMEOUT;
    }
    Fatal("KeWaitForSingleObject would wait forever (single-threaded native kernel)");
}

/* ======================================================================================
 * Interlocked operations (the WDK's are compiler intrinsics: lock-prefixed instructions)
 * ====================================================================================== */

LONG InterlockedIncrement(LONG volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}

PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}

/* ======================================================================================
 * Driver and device objects
 * ====================================================================================== */

static NTSTATUS InvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

PDRIVER_OBJECT KdnCreateDriverObject(PCWSTR Name)
{
    PDRIVER_OBJECT driver = (PDRIVER_OBJECT)calloc(1, sizeof(DRIVER_OBJECT) + sizeof(DRIVER_EXTENSION));
    USHORT length = 0;
    ULONG i;

    if (driver == NULL) {
        Fatal("out of memory");
    }
    driver->Type = IO_TYPE_DRIVER;
    driver->Size = (CSHORT)sizeof(DRIVER_OBJECT);
    driver->DriverExtension = (PDRIVER_EXTENSION)(driver + 1);
    driver->DriverExtension->DriverObject = driver;
    while (Name[length] != 0) {
        length++;
    }
    driver->DriverName.Buffer = (PWCH)Name;
    driver->DriverName.Length = (USHORT)(length * sizeof(WCHAR));
    driver->DriverName.MaximumLength = (USHORT)((length + 1) * sizeof(WCHAR));
    for (i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
        driver->MajorFunction[i] = InvalidDeviceRequest;
    }
    return driver;
}

NTSTATUS NTAPI IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                              DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                              PDEVICE_OBJECT *DeviceObject)
{
    PDEVICE_OBJECT device;

    UNREFERENCED_PARAMETER(DeviceName);
    *DeviceObject = NULL;
    /* calloc: zeroed, and 16-byte aligned on x86-64 glibc (DEVICE_OBJECT needs 16). */
    device = (PDEVICE_OBJECT)calloc(1, sizeof(DEVICE_OBJECT) + DeviceExtensionSize);
    if (device == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    device->Type = IO_TYPE_DEVICE;
    device->Size = (USHORT)(sizeof(DEVICE_OBJECT) + DeviceExtensionSize);
    device->ReferenceCount = 0;
    device->DriverObject = DriverObject;
    device->NextDevice = DriverObject->DeviceObject;
    DriverObject->DeviceObject = device;
    device->DeviceExtension = DeviceExtensionSize != 0 ? (PVOID)(device + 1) : NULL;
    device->DeviceType = DeviceType;
    device->Characteristics = DeviceCharacteristics;
    device->StackSize = 1;
    device->Flags = DO_DEVICE_INITIALIZING | (Exclusive ? DO_EXCLUSIVE : 0);
    device->DeviceQueue.Type = 0x14;   /* IO_TYPE_DEVICE_QUEUE (not in the headers) */
    device->DeviceQueue.Size = (CSHORT)sizeof(KDEVICE_QUEUE);
    InitializeListHead(&device->DeviceQueue.DeviceListHead);
    device->DeviceQueue.Lock = 0;
    device->DeviceQueue.Busy = FALSE;
    KeInitializeEvent(&device->DeviceLock, SynchronizationEvent, TRUE);
    *DeviceObject = device;
    return STATUS_SUCCESS;
}

VOID NTAPI IoDeleteDevice(PDEVICE_OBJECT DeviceObject)
{
    PDEVICE_OBJECT *link;

    for (link = &DeviceObject->DriverObject->DeviceObject; *link != NULL; link = &(*link)->NextDevice) {
        if (*link == DeviceObject) {
            *link = DeviceObject->NextDevice;
            break;
        }
    }
    free(DeviceObject);
}

PDEVICE_OBJECT NTAPI IoAttachDeviceToDeviceStack(PDEVICE_OBJECT SourceDevice, PDEVICE_OBJECT TargetDevice)
{
    PDEVICE_OBJECT top = TargetDevice;

    while (top->AttachedDevice != NULL) {
        top = top->AttachedDevice;
    }
    top->AttachedDevice = SourceDevice;
    SourceDevice->StackSize = (CCHAR)(top->StackSize + 1);
    SourceDevice->AlignmentRequirement = top->AlignmentRequirement;
    return top;
}

VOID NTAPI IoDetachDevice(PDEVICE_OBJECT TargetDevice)
{
    TargetDevice->AttachedDevice = NULL;
}

NTSTATUS NTAPI IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName)
{
    UNREFERENCED_PARAMETER(SymbolicLinkName);
    UNREFERENCED_PARAMETER(DeviceName);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName)
{
    UNREFERENCED_PARAMETER(SymbolicLinkName);
    return STATUS_SUCCESS;
}

/* ======================================================================================
 * IRPs
 * ====================================================================================== */

VOID NTAPI IoInitializeIrp(PIRP Irp, USHORT PacketSize, CCHAR StackSize)
{
    RtlZeroMemory(Irp, PacketSize);
    Irp->Type = IO_TYPE_IRP;
    Irp->Size = PacketSize;
    Irp->StackCount = StackSize;
    Irp->CurrentLocation = (CHAR)(StackSize + 1);
    InitializeListHead(&Irp->ThreadListEntry);
    Irp->Tail.Overlay.CurrentStackLocation = (PIO_STACK_LOCATION)(Irp + 1) + StackSize;
}

PIRP NTAPI IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota)
{
    USHORT size = IoSizeOfIrp(StackSize);
    PIRP irp;

    UNREFERENCED_PARAMETER(ChargeQuota);
    irp = (PIRP)malloc(size);
    if (irp == NULL) {
        return NULL;
    }
    IoInitializeIrp(irp, size, StackSize);
    return irp;
}

VOID NTAPI IoFreeIrp(PIRP Irp)
{
    free(Irp);
}

NTSTATUS FASTCALL IofCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack;

    Irp->CurrentLocation--;
    if (Irp->CurrentLocation <= 0) {
        Fatal("NO_MORE_IRP_STACK_LOCATIONS");
    }
    stack = --Irp->Tail.Overlay.CurrentStackLocation;
    stack->DeviceObject = DeviceObject;
    return DeviceObject->DriverObject->MajorFunction[stack->MajorFunction](DeviceObject, Irp);
}

NTSTATUS NTAPI PoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    return IofCallDriver(DeviceObject, Irp);
}

VOID NTAPI PoStartNextPowerIrp(PIRP Irp)
{
    UNREFERENCED_PARAMETER(Irp);
}

/* Walks the stack locations upwards calling the completion routines (as the WDK's
   IofCompleteRequest does), then hands the IRP to the harness (KdnIrpFinished). */
VOID FASTCALL IofCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    PIO_STACK_LOCATION stack;

    UNREFERENCED_PARAMETER(PriorityBoost);
    if (CurrentIrql > DISPATCH_LEVEL) {
        Fatal("IoCompleteRequest above DISPATCH_LEVEL");
    }
    if (Irp->CurrentLocation > Irp->StackCount + 1) {
        Fatal("MULTIPLE_IRP_COMPLETE_REQUESTS");
    }
    if (Irp->IoStatus.Status == STATUS_PENDING) {
        Fatal("IoCompleteRequest with STATUS_PENDING");
    }
    KdnStats.Completions++;
    while (Irp->CurrentLocation <= Irp->StackCount) {
        stack = Irp->Tail.Overlay.CurrentStackLocation;
        Irp->PendingReturned = (BOOLEAN)((stack->Control & SL_PENDING_RETURNED) != 0);
        Irp->CurrentLocation++;
        Irp->Tail.Overlay.CurrentStackLocation++;
        if (stack->CompletionRoutine != NULL &&
            ((NT_SUCCESS(Irp->IoStatus.Status) && (stack->Control & SL_INVOKE_ON_SUCCESS)) ||
             (!NT_SUCCESS(Irp->IoStatus.Status) && (stack->Control & SL_INVOKE_ON_ERROR)) ||
             (Irp->Cancel && (stack->Control & SL_INVOKE_ON_CANCEL)))) {
            PDEVICE_OBJECT device = Irp->CurrentLocation <= Irp->StackCount
                                        ? Irp->Tail.Overlay.CurrentStackLocation->DeviceObject
                                        : NULL;
            if (stack->CompletionRoutine(device, Irp, stack->Context) == STATUS_MORE_PROCESSING_REQUIRED) {
                return;
            }
        } else if (Irp->PendingReturned && Irp->CurrentLocation <= Irp->StackCount) {
            IoMarkIrpPending(Irp);
        }
    }
    if (KdnIrpFinished != NULL) {
        KdnIrpFinished(Irp);
    }
}

/* ---- Device queue and StartIo (IoStartPacket / IoStartNextPacket) ----------------------- */

VOID NTAPI IoStartPacket(PDEVICE_OBJECT DeviceObject, PIRP Irp, PULONG Key, PDRIVER_CANCEL CancelFunction)
{
    PKDEVICE_QUEUE queue = &DeviceObject->DeviceQueue;
    PKDEVICE_QUEUE_ENTRY entry = &Irp->Tail.Overlay.DeviceQueueEntry;
    KIRQL old = RaiseIrql(DISPATCH_LEVEL);

    if (CancelFunction != NULL) {
        IoSetCancelRoutine(Irp, CancelFunction);
    }
    if (!queue->Busy) {
        /* Idle: StartIo now, at DISPATCH_LEVEL. */
        queue->Busy = TRUE;
        entry->Inserted = FALSE;
        DeviceObject->CurrentIrp = Irp;
        DeviceObject->DriverObject->DriverStartIo(DeviceObject, Irp);
    } else {
        PLIST_ENTRY before = &queue->DeviceListHead;
        entry->SortKey = Key != NULL ? *Key : 0;
        if (Key != NULL) {
            /* By key: after every entry whose key is <= this one. */
            for (before = queue->DeviceListHead.Flink; before != &queue->DeviceListHead; before = before->Flink) {
                if (CONTAINING_RECORD(before, KDEVICE_QUEUE_ENTRY, DeviceListEntry)->SortKey > entry->SortKey) {
                    break;
                }
            }
        }
        InsertTailList(before, &entry->DeviceListEntry);
        entry->Inserted = TRUE;
    }
    LowerIrql(old);
}

VOID NTAPI IoStartNextPacket(PDEVICE_OBJECT DeviceObject, BOOLEAN Cancelable)
{
    PKDEVICE_QUEUE queue = &DeviceObject->DeviceQueue;
    PIRP irp;

    UNREFERENCED_PARAMETER(Cancelable);
    if (CurrentIrql != DISPATCH_LEVEL) {
        Fatal("IoStartNextPacket below DISPATCH_LEVEL");
    }
    if (IsListEmpty(&queue->DeviceListHead)) {
        queue->Busy = FALSE;
        DeviceObject->CurrentIrp = NULL;
        return;
    }
    irp = CONTAINING_RECORD(RemoveHeadList(&queue->DeviceListHead), IRP, Tail.Overlay.DeviceQueueEntry.DeviceListEntry);
    irp->Tail.Overlay.DeviceQueueEntry.Inserted = FALSE;
    DeviceObject->CurrentIrp = irp;
    DeviceObject->DriverObject->DriverStartIo(DeviceObject, irp);
}

/* ---- Remove locks ------------------------------------------------------------------------ */

VOID NTAPI IoInitializeRemoveLockEx(PIO_REMOVE_LOCK Lock, ULONG AllocateTag, ULONG MaxLockedMinutes, ULONG HighWatermark,
                                    ULONG RemlockSize)
{
    UNREFERENCED_PARAMETER(AllocateTag);
    UNREFERENCED_PARAMETER(MaxLockedMinutes);
    UNREFERENCED_PARAMETER(HighWatermark);
    RtlZeroMemory(Lock, RemlockSize);
    Lock->Common.Removed = FALSE;
    Lock->Common.IoCount = 1;
    KeInitializeEvent(&Lock->Common.RemoveEvent, SynchronizationEvent, FALSE);
}

NTSTATUS NTAPI IoAcquireRemoveLockEx(PIO_REMOVE_LOCK RemoveLock, PVOID Tag, PCSTR File, ULONG Line, ULONG RemlockSize)
{
    UNREFERENCED_PARAMETER(Tag);
    UNREFERENCED_PARAMETER(File);
    UNREFERENCED_PARAMETER(Line);
    UNREFERENCED_PARAMETER(RemlockSize);
    __atomic_add_fetch(&RemoveLock->Common.IoCount, 1, __ATOMIC_SEQ_CST);
    if (RemoveLock->Common.Removed) {
        if (__atomic_sub_fetch(&RemoveLock->Common.IoCount, 1, __ATOMIC_SEQ_CST) == 0) {
            KeSetEvent(&RemoveLock->Common.RemoveEvent, IO_NO_INCREMENT, FALSE);
        }
        return STATUS_DELETE_PENDING;
    }
    return STATUS_SUCCESS;
}

VOID NTAPI IoReleaseRemoveLockEx(PIO_REMOVE_LOCK RemoveLock, PVOID Tag, ULONG RemlockSize)
{
    UNREFERENCED_PARAMETER(Tag);
    UNREFERENCED_PARAMETER(RemlockSize);
    if (__atomic_sub_fetch(&RemoveLock->Common.IoCount, 1, __ATOMIC_SEQ_CST) == 0) {
        KeSetEvent(&RemoveLock->Common.RemoveEvent, IO_NO_INCREMENT, FALSE);
    }
}

VOID NTAPI IoReleaseRemoveLockAndWaitEx(PIO_REMOVE_LOCK RemoveLock, PVOID Tag, ULONG RemlockSize)
{
    RemoveLock->Common.Removed = TRUE;
    IoReleaseRemoveLockEx(RemoveLock, Tag, RemlockSize);    /* the caller's */
    IoReleaseRemoveLockEx(RemoveLock, Tag, RemlockSize);    /* the initial count */
    KeWaitForSingleObject(&RemoveLock->Common.RemoveEvent, Executive, KernelMode, FALSE, NULL);
}

/* ======================================================================================
 * Debugging
 * ====================================================================================== */

ULONG __cdecl DbgPrint(PCSTR Format, ...)
{
    UNREFERENCED_PARAMETER(Format);
    return 0;
}

VOID NTAPI RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber, PSTR MutableMessage)
{
    dprintf(2, "wdm-stubs: assertion failed at %s:%u: %s%s%s\n", (const char *)VoidFileName, LineNumber,
            (const char *)VoidFailedAssertion, MutableMessage != NULL ? " - " : "",
            MutableMessage != NULL ? MutableMessage : "");
    abort();
}

VOID NTAPI KdsimPagedCode(VOID)
{
    if (CurrentIrql > APC_LEVEL) {
        Fatal("pageable code called at IRQL > APC_LEVEL");
    }
}

VOID __fastfail(unsigned int Code)
{
    dprintf(2, "wdm-stubs: __fastfail(%u)\n", Code);
    abort();
}
