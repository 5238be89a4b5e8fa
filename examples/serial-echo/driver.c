/*
 * driver.c - "SerialEcho": a WDM function driver for a 16550A UART (COM port) that echoes
 * what it receives and serves reads, writes and IOCTL_SERIAL_* requests (see README.md and
 * driver.h).
 *
 *   AddDevice        IoCreateDevice (\Device\Serial0, FILE_DEVICE_SERIAL_PORT), COM1 link,
 *                    attach, IoInitializeDpcRequest, the read-timeout KTIMER + KDPC
 *   START_DEVICE     forward down and wait; ports and IRQ from the translated resources;
 *                    find the UART (scratch register, FIFO bits); with interrupts off program
 *                    the divisor, 8N1, the FIFOs; IoConnectInterrupt (Latched, not shared);
 *                    then MCR DTR|RTS|OUT2 and IER under KeSynchronizeExecution
 *   ISR              (DIRQL) read IIR until nothing is pending: RLS / RDA / character timeout
 *                    -> drain the RX FIFO into the receive buffer and the echo into the
 *                    transmit buffer; THRE -> refill the TX FIFO; MS -> read MSR; IoRequestDpc
 *   DpcForIsr        (DISPATCH_LEVEL) hand received bytes to pending reads, complete reads and
 *                    writes, feed the current write into the transmit buffer, report errors
 *   Read timer DPC   (DISPATCH_LEVEL) complete the head read whose interval/total timeout ran out
 *   Read / Write     wait, cancelably, on driver queues under the driver spin lock
 *   IOCTLs           baud rate, line control, timeouts, comm status, modem status, stats, purge
 *   STOP / REMOVE    IER 0 and OUT2 off, cancel the timer, KeFlushQueuedDpcs,
 *                    IoDisconnectInterrupt, complete what is pending
 */

#include "driver.h"

static NTSTATUS SerCompleteIrp(_Inout_ PIRP Irp, _In_ NTSTATUS Status, _In_ ULONG_PTR Information);

/* PnP helpers: PASSIVE_LEVEL. */
_IRQL_requires_(PASSIVE_LEVEL)
static NTSTATUS SerForwardIrpSynchronous(_In_ PSER_EXTENSION Ext, _Inout_ PIRP Irp);
_IRQL_requires_(PASSIVE_LEVEL)
static NTSTATUS SerStartDevice(_In_ PSER_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
_IRQL_requires_(PASSIVE_LEVEL)
static BOOLEAN SerDetectUart(_In_ PSER_EXTENSION Ext);
_IRQL_requires_(PASSIVE_LEVEL)
static VOID SerStopDevice(_In_ PSER_EXTENSION Ext, _In_ NTSTATUS Status);
_IRQL_requires_max_(APC_LEVEL)
static VOID SerUnmapPorts(_In_ PSER_EXTENSION Ext);

/* They take Lock themselves. */
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static BOOLEAN SerSetStarted(_In_ PSER_EXTENSION Ext, _In_ PKINTERRUPT Interrupt, _In_ BOOLEAN Started);
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static VOID SerFailPendingIrps(_In_ PSER_EXTENSION Ext, _In_ NTSTATUS Status);
_IRQL_requires_max_(DISPATCH_LEVEL) _Requires_lock_not_held_(Ext->Lock)
static VOID SerCompleteList(_In_ PSER_EXTENSION Ext, _Inout_ PLIST_ENTRY Done);

/* Queue work: called holding Lock, hence at DISPATCH_LEVEL. */
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static BOOLEAN SerQueueIrp(_In_ PSER_EXTENSION Ext, _In_ PLIST_ENTRY Queue, _Inout_ PIRP Irp);
_IRQL_requires_(DISPATCH_LEVEL)
static PIRP SerDequeueIrp(_In_ PLIST_ENTRY Queue);
_IRQL_requires_(DISPATCH_LEVEL)
static BOOLEAN SerTakeQueuedIrp(_Inout_ PIRP Irp);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static VOID SerServeReads(_In_ PSER_EXTENSION Ext, _Inout_ PLIST_ENTRY Done);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static VOID SerProcessTransmit(_In_ PSER_EXTENSION Ext, _Inout_ PLIST_ENTRY Done);
_IRQL_requires_(DISPATCH_LEVEL) _Requires_lock_held_(Ext->Lock)
static VOID SerAbortQueue(_In_ PSER_EXTENSION Ext, _In_ PLIST_ENTRY Queue, _In_ NTSTATUS Status, _Inout_ PLIST_ENTRY Done);

/* UART settings. */
static NTSTATUS SerDivisorFromBaud(_In_ ULONG BaudRate, _Out_ PUSHORT Divisor);
static NTSTATUS SerLcrFromLineControl(_In_ const SERIAL_LINE_CONTROL *LineControl, _Out_ PUCHAR Lcr);

/* ISR helpers: DIRQL, holding the interrupt spin lock. */
static BOOLEAN SerReceive(_In_ PSER_EXTENSION Ext, _In_ UCHAR Lsr);
static VOID SerFillTxFifo(_In_ PSER_EXTENSION Ext);

/* Only PASSIVE_LEVEL code that takes no spin lock is pageable; the ISR, the DPCs, the
   synchronize routines and everything that holds Lock stay resident. */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, SerAddDevice)
#pragma alloc_text(PAGE, SerUnload)
#pragma alloc_text(PAGE, SerDispatchCreateClose)
#pragma alloc_text(PAGE, SerDispatchPnp)
#pragma alloc_text(PAGE, SerForwardIrpSynchronous)
#pragma alloc_text(PAGE, SerStartDevice)
#pragma alloc_text(PAGE, SerDetectUart)
#pragma alloc_text(PAGE, SerStopDevice)
#pragma alloc_text(PAGE, SerUnmapPorts)
#endif

#define SER_RX_MASK             (SER_RX_BUFFER_SIZE - 1)
#define SER_TX_MASK             (SER_TX_BUFFER_SIZE - 1)
#define SER_100NS_PER_MS        10000ULL

/* ======================================================================================
 * Driver and device setup (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = SerDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = SerDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = SerDispatchRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = SerDispatchWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = SerDispatchDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = SerDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = SerDispatchPower;
    DriverObject->DriverExtension->AddDevice = SerAddDevice;
    DriverObject->DriverUnload = SerUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS SerAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    UNICODE_STRING deviceName = RTL_CONSTANT_STRING(SER_DEVICE_NAME);
    UNICODE_STRING linkName = RTL_CONSTANT_STRING(SER_LINK_NAME);
    PDEVICE_OBJECT fdo = NULL;
    PSER_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    /* One port in this sample, hence the fixed names (serial.sys numbers them and takes the
       COM name from the device's registry key). */
    status = IoCreateDevice(DriverObject, sizeof(SER_EXTENSION), &deviceName, FILE_DEVICE_SERIAL_PORT,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        KdPrint(("SerialEcho: IoCreateDevice failed 0x%08X\n", status));
        return status;
    }

    ext = (PSER_EXTENSION)fdo->DeviceExtension;         /* zeroed by IoCreateDevice */
    ext->Self = fdo;
    ext->Pdo = PhysicalDeviceObject;
    IoInitializeRemoveLock(&ext->RemoveLock, SER_POOL_TAG, 0, 0);
    KeInitializeSpinLock(&ext->Lock);
    InitializeListHead(&ext->ReadQueue);
    InitializeListHead(&ext->WriteQueue);

    /* Defaults until an application changes them: 115200 8N1, no read timeouts (a read
       waits until it has all the bytes it asked for, as with serial.sys). */
    ext->BaudRate = SER_DEFAULT_BAUD;
    ext->LineControl.WordLength = 8;
    ext->LineControl.Parity = NO_PARITY;
    ext->LineControl.StopBits = STOP_BIT_1;
    SerDivisorFromBaud(ext->BaudRate, &ext->Divisor);
    SerLcrFromLineControl(&ext->LineControl, &ext->Lcr);

    /* fdo->Dpc with the device object as context: SerDpcForIsr(Dpc, fdo, Irp, Context). */
    IoInitializeDpcRequest(fdo, SerDpcForIsr);
    KeInitializeTimer(&ext->ReadTimer);
    KeInitializeDpc(&ext->ReadTimerDpc, SerReadTimerDpc, ext);

    ext->LowerDevice = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
    if (ext->LowerDevice == NULL) {
        IoDeleteDevice(fdo);
        return STATUS_NO_SUCH_DEVICE;
    }

    status = IoCreateSymbolicLink(&linkName, &deviceName);
    if (NT_SUCCESS(status)) {
        ext->LinkCreated = TRUE;
    } else {
        KdPrint(("SerialEcho: no COM1 link (0x%08X); the device is still usable by name\n", status));
    }

    fdo->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID SerUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
    /* IRP_MN_REMOVE_DEVICE has deleted every device object by now. */
}

/* ======================================================================================
 * Plug and Play
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS SerForwardCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);

    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;             /* the dispatch routine finishes it */
}

/* Sends the IRP down and waits until the lower drivers have completed it. */
static NTSTATUS SerForwardIrpSynchronous(PSER_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, SerForwardCompletion, &event, TRUE, TRUE, TRUE);
    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS SerDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    UNICODE_STRING linkName = RTL_CONSTANT_STRING(SER_LINK_NAME);
    NTSTATUS status;

    PAGED_CODE();

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return SerCompleteIrp(Irp, status, 0);
    }

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        /* The ISA bus driver enables the decode first; only then may we touch the ports. */
        status = SerForwardIrpSynchronous(ext, Irp);
        if (NT_SUCCESS(status)) {
            status = SerStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SerCompleteIrp(Irp, status, 0);

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_STOP_DEVICE:
        SerStopDevice(ext, STATUS_DEVICE_NOT_READY);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_SURPRISE_REMOVAL:
        SerStopDevice(ext, STATUS_DELETE_PENDING);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        SerStopDevice(ext, STATUS_DELETE_PENDING);      /* no-op after a stop */
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

/* A UART answers at these ports if its scratch register keeps what is written to it (an
   empty decode reads 0xFF); it is a 16550A if IIR bits 6-7 report working FIFOs. The caller
   has just enabled the FIFOs. */
static BOOLEAN SerDetectUart(PSER_EXTENSION Ext)
{
    PAGED_CODE();

    SerWrite(Ext, SER_SCR, 0x5A);
    if (SerRead(Ext, SER_SCR) != 0x5A) {
        return FALSE;
    }
    SerWrite(Ext, SER_SCR, 0xA5);
    if (SerRead(Ext, SER_SCR) != 0xA5) {
        return FALSE;
    }
    return (BOOLEAN)((SerRead(Ext, SER_IIR) & SER_IIR_FIFOS_ENABLED) == SER_IIR_FIFOS_ENABLED);
}

/* Ports and interrupt from the translated resources; the UART found and programmed with its
   interrupts off; the ISR connected; only then may the UART interrupt. */
static NTSTATUS SerStartDevice(PSER_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
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
            if (!havePorts && desc->u.Port.Length >= SER_PORT_SPAN) {
                portStart = desc->u.Port.Start;
                if (desc->Flags & CM_RESOURCE_PORT_IO) {
                    Ext->PortBase = (PUCHAR)(ULONG_PTR)portStart.QuadPart;
                    Ext->PortMapped = TRUE;
                } else {
                    /* The platform translated the ISA ports into memory space. */
                    Ext->PortBase = (PUCHAR)MmMapIoSpace(portStart, SER_PORT_SPAN, MmNonCached);
                    if (Ext->PortBase == NULL) {
                        return STATUS_INSUFFICIENT_RESOURCES;
                    }
                    Ext->MappedIoSpace = TRUE;
                    Ext->PortMapped = FALSE;
                }
                Ext->PortAddress = portStart.LowPart;
                havePorts = TRUE;
            }
            break;

        case CmResourceTypeInterrupt:
            /* Translated: Level = DIRQL, Vector = IDT vector. A COM port's ISA IRQ is an edge. */
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
        KdPrint(("SerialEcho: missing %s resource\n", havePorts ? "interrupt" : "port"));
        SerUnmapPorts(Ext);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    /* No ISR exists yet, so the registers (and the DLAB bank) are ours without the interrupt
       lock. First silence the chip: no interrupt sources, and OUT2 low, which on a PC keeps
       INTR off the IRQ line. */
    SerWrite(Ext, SER_IER, 0);
    SerWrite(Ext, SER_MCR, 0);
    SerWrite(Ext, SER_FCR, SER_FCR_VALUE | SER_FCR_RX_RESET | SER_FCR_TX_RESET);
    if (!SerDetectUart(Ext)) {
        DbgPrint("SerialEcho: no 16550A at port 0x%X\n", Ext->PortAddress);
        SerWrite(Ext, SER_FCR, 0);
        SerUnmapPorts(Ext);
        return STATUS_NO_SUCH_DEVICE;
    }

    /* Baud rate: the divisor latch is reached with LCR.DLAB set; then 8N1 clears DLAB. */
    SerWrite(Ext, SER_LCR, SER_LCR_DLAB);
    SerWrite(Ext, SER_DLL, (UCHAR)(Ext->Divisor & 0xFF));
    SerWrite(Ext, SER_DLM, (UCHAR)(Ext->Divisor >> 8));
    SerWrite(Ext, SER_LCR, Ext->Lcr);

    /* Discard whatever the chip latched before us: line errors, modem deltas, a stale byte. */
    (VOID)SerRead(Ext, SER_LSR);
    (VOID)SerRead(Ext, SER_MSR);
    (VOID)SerRead(Ext, SER_RBR);
    (VOID)SerRead(Ext, SER_IIR);

    /* The ISR's state, fresh for this start. */
    Ext->RxHead = 0;
    Ext->RxCount = 0;
    Ext->TxHead = 0;
    Ext->TxCount = 0;
    Ext->TxFifoBusy = FALSE;
    Ext->TxQueuedTotal = 0;
    Ext->TxMovedTotal = 0;
    Ext->TxDoneTotal = 0;
    Ext->TxWaitDone = FALSE;
    Ext->TxWaitRoom = FALSE;
    Ext->ErrorWord = 0;
    RtlZeroMemory(&Ext->Perf, sizeof(Ext->Perf));
    Ext->BreakCount = 0;
    Ext->EchoDropped = 0;
    Ext->InterruptCount = 0;
    Ext->ErrorsReported = 0;

    /* An ISA edge has one owner: not shared. The ISR gets the device object (IoRequestDpc). */
    status = IoConnectInterrupt(&interrupt, SerInterruptService, Ext->Self, NULL,
                                Ext->Vector, Ext->Irql, Ext->Irql, Ext->InterruptMode,
                                FALSE, Ext->Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        DbgPrint("SerialEcho: IoConnectInterrupt(vector 0x%X, IRQL %u) failed 0x%08X\n",
                 Ext->Vector, Ext->Irql, status);
        SerWrite(Ext, SER_FCR, 0);
        SerUnmapPorts(Ext);
        return status;
    }

    /* Reads and writes are accepted from here on; then the UART may interrupt. */
    SerSetStarted(Ext, interrupt, TRUE);
    KeSynchronizeExecution(interrupt, SerEnableInterrupts, Ext);

    DbgPrint("SerialEcho: 16550A at port 0x%X, vector 0x%X (IRQL %u, %s): %lu baud 8N1, FIFO trigger %u\n",
             Ext->PortAddress, Ext->Vector, Ext->Irql, Ext->InterruptMode == Latched ? "latched" : "level",
             Ext->BaudRate, SER_RX_TRIGGER);
    return STATUS_SUCCESS;
}

/* Stops accepting work, silences and disconnects the UART, fails what cannot finish. */
static VOID SerStopDevice(PSER_EXTENSION Ext, NTSTATUS Status)
{
    PAGED_CODE();

    /* 1. Reads, writes and IOCTLs are refused from now on; a DPC that runs after this
          finds Started FALSE and leaves everything alone. */
    if (!SerSetStarted(Ext, NULL, FALSE)) {
        return;                                         /* never started, or already stopped */
    }

    /* 2. No interrupt sources, OUT2 (and DTR/RTS) low: the IRQ line stays quiet. */
    KeSynchronizeExecution(Ext->Interrupt, SerDisableInterrupts, Ext);

    /* 3. The DPCs use the interrupt object (KeSynchronizeExecution): a DpcForIsr or read
          timer DPC queued before step 1 may still be queued or running on another CPU. */
    KeCancelTimer(&Ext->ReadTimer);
    KeFlushQueuedDpcs();

    /* 4. Now nothing else uses the interrupt object. */
    IoDisconnectInterrupt(Ext->Interrupt);
    Ext->Interrupt = NULL;

    /* The ISR is gone: its counters can be read directly. */
    DbgPrint("SerialEcho: stopped: %lu interrupts, %lu bytes received, %lu sent, %lu echoes dropped; "
             "errors: %lu parity, %lu framing, %lu overrun, %lu break\n",
             Ext->InterruptCount, Ext->Perf.ReceivedCount, Ext->Perf.TransmittedCount, Ext->EchoDropped,
             Ext->Perf.ParityErrorCount, Ext->Perf.FrameErrorCount, Ext->Perf.SerialOverrunErrorCount,
             Ext->BreakCount);

    /* FIFOs reset and off. */
    SerWrite(Ext, SER_FCR, SER_FCR_ENABLE | SER_FCR_RX_RESET | SER_FCR_TX_RESET);
    SerWrite(Ext, SER_FCR, 0);

    SerFailPendingIrps(Ext, Status);
    SerUnmapPorts(Ext);
}

static VOID SerUnmapPorts(PSER_EXTENSION Ext)
{
    PAGED_CODE();

    if (Ext->MappedIoSpace && Ext->PortBase != NULL) {
        MmUnmapIoSpace(Ext->PortBase, SER_PORT_SPAN);
    }
    Ext->PortBase = NULL;
    Ext->MappedIoSpace = FALSE;
    Ext->PortMapped = FALSE;
}

/* Sets Started (and publishes or withdraws the interrupt object for the DPCs and requests)
   under Lock; returns the previous Started. Nonpaged: it holds a spin lock. */
static BOOLEAN SerSetStarted(PSER_EXTENSION Ext, PKINTERRUPT Interrupt, BOOLEAN Started)
{
    BOOLEAN wasStarted;
    KIRQL oldIrql;

    KeAcquireSpinLock(&Ext->Lock, &oldIrql);
    wasStarted = Ext->Started;
    Ext->Started = Started;
    if (Started) {
        Ext->Interrupt = Interrupt;
    }
    KeReleaseSpinLock(&Ext->Lock, oldIrql);
    return wasStarted;
}

/* After a stop: completes every read and write the driver still holds. */
static VOID SerFailPendingIrps(PSER_EXTENSION Ext, NTSTATUS Status)
{
    LIST_ENTRY done;
    KIRQL oldIrql;

    InitializeListHead(&done);

    KeAcquireSpinLock(&Ext->Lock, &oldIrql);
    SerAbortQueue(Ext, &Ext->ReadQueue, Status, &done);
    SerAbortQueue(Ext, &Ext->WriteQueue, Status, &done);
    if (Ext->CurrentWrite != NULL) {
        Ext->CurrentWrite->IoStatus.Status = Status;
        Ext->CurrentWrite->IoStatus.Information = 0;
        InsertTailList(&done, &Ext->CurrentWrite->Tail.Overlay.ListEntry);
        Ext->CurrentWrite = NULL;
    }
    KeReleaseSpinLock(&Ext->Lock, oldIrql);

    SerCompleteList(Ext, &done);
}

_Use_decl_annotations_
NTSTATUS SerDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return SerCompleteIrp(Irp, status, 0);
    }
    /* The UART is reprogrammed by the next IRP_MN_START_DEVICE; pass power IRPs down. */
    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    status = PoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

/* ======================================================================================
 * UART settings
 * ====================================================================================== */

/* baud = 115200 / divisor; a rate the divisor cannot make within 1% is refused. */
static NTSTATUS SerDivisorFromBaud(ULONG BaudRate, PUSHORT Divisor)
{
    ULONG divisor;
    ULONG actual;
    ULONG error;

    *Divisor = 0;
    if (BaudRate == 0 || BaudRate > SER_CLOCK_BAUD) {
        return STATUS_INVALID_PARAMETER;
    }
    divisor = (SER_CLOCK_BAUD + BaudRate / 2) / BaudRate;
    if (divisor == 0 || divisor > 0xFFFF) {
        return STATUS_INVALID_PARAMETER;
    }
    actual = SER_CLOCK_BAUD / divisor;
    error = actual > BaudRate ? actual - BaudRate : BaudRate - actual;
    if (error * 100 > BaudRate) {
        return STATUS_INVALID_PARAMETER;
    }
    *Divisor = (USHORT)divisor;
    return STATUS_SUCCESS;
}

static NTSTATUS SerLcrFromLineControl(const SERIAL_LINE_CONTROL *LineControl, PUCHAR Lcr)
{
    UCHAR lcr;

    *Lcr = 0;
    if (LineControl->WordLength < 5 || LineControl->WordLength > 8) {
        return STATUS_INVALID_PARAMETER;
    }
    lcr = (UCHAR)(LineControl->WordLength - 5);

    switch (LineControl->StopBits) {
    case STOP_BIT_1:
        break;
    case STOP_BITS_1_5:                                 /* the chip's 1.5 exists only with 5 data bits */
        if (LineControl->WordLength != 5) {
            return STATUS_INVALID_PARAMETER;
        }
        lcr |= SER_LCR_STOP_2;
        break;
    case STOP_BITS_2:                                   /* ... and 2 only with 6-8 */
        if (LineControl->WordLength == 5) {
            return STATUS_INVALID_PARAMETER;
        }
        lcr |= SER_LCR_STOP_2;
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }

    switch (LineControl->Parity) {
    case NO_PARITY:     break;
    case ODD_PARITY:    lcr |= SER_LCR_PARITY_ENABLE; break;
    case EVEN_PARITY:   lcr |= SER_LCR_PARITY_ENABLE | SER_LCR_PARITY_EVEN; break;
    case MARK_PARITY:   lcr |= SER_LCR_PARITY_ENABLE | SER_LCR_PARITY_STICK; break;
    case SPACE_PARITY:  lcr |= SER_LCR_PARITY_ENABLE | SER_LCR_PARITY_EVEN | SER_LCR_PARITY_STICK; break;
    default:            return STATUS_INVALID_PARAMETER;
    }
    *Lcr = lcr;
    return STATUS_SUCCESS;
}

/* ======================================================================================
 * Requests
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS SerDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    return SerCompleteIrp(Irp, STATUS_SUCCESS, 0);
}

/* Every read waits on ReadQueue, even one that can be satisfied at once: SerServeReads
   decides, so that reads are served in order and the timeout rules live in one place. */
_Use_decl_annotations_
NTSTATUS SerDispatchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    LIST_ENTRY done;
    NTSTATUS status;
    KIRQL oldIrql;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return SerCompleteIrp(Irp, status, 0);
    }
    if (length == 0) {
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SerCompleteIrp(Irp, STATUS_SUCCESS, 0);
    }

    InitializeListHead(&done);
    /* Information counts the bytes copied into the buffer so far; the timeouts are taken
       when the read reaches the head of the queue. */
    Irp->IoStatus.Information = 0;
    RtlZeroMemory(SerReadContext(Irp), sizeof(SER_READ_CONTEXT));

    KeAcquireSpinLock(&ext->Lock, &oldIrql);
    if (!ext->Started) {
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SerCompleteIrp(Irp, STATUS_DEVICE_NOT_READY, 0);
    }
    if (!SerQueueIrp(ext, &ext->ReadQueue, Irp)) {
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SerCompleteIrp(Irp, STATUS_CANCELLED, 0);
    }
    SerServeReads(ext, &done);
    KeReleaseSpinLock(&ext->Lock, oldIrql);

    /* Possibly this read itself: it was marked pending, so STATUS_PENDING is still right. */
    SerCompleteList(ext, &done);
    return STATUS_PENDING;                              /* the remove lock stays held until completion */
}

_Use_decl_annotations_
NTSTATUS SerDispatchWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)DeviceObject->DeviceExtension;
    ULONG length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;
    LIST_ENTRY done;
    NTSTATUS status;
    KIRQL oldIrql;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return SerCompleteIrp(Irp, status, 0);
    }
    if (length == 0) {
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SerCompleteIrp(Irp, STATUS_SUCCESS, 0);
    }

    InitializeListHead(&done);
    Irp->IoStatus.Information = 0;

    KeAcquireSpinLock(&ext->Lock, &oldIrql);
    if (!ext->Started) {
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SerCompleteIrp(Irp, STATUS_DEVICE_NOT_READY, 0);
    }
    if (!SerQueueIrp(ext, &ext->WriteQueue, Irp)) {
        KeReleaseSpinLock(&ext->Lock, oldIrql);
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return SerCompleteIrp(Irp, STATUS_CANCELLED, 0);
    }
    /* If no write is in progress this one becomes current and its bytes go into the
       transmit buffer (and the idle FIFO) now; the DPC completes it after the THRE
       interrupt that follows its last byte. */
    SerProcessTransmit(ext, &done);
    KeReleaseSpinLock(&ext->Lock, oldIrql);

    SerCompleteList(ext, &done);
    return STATUS_PENDING;
}

_Use_decl_annotations_
NTSTATUS SerDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = Irp->AssociatedIrp.SystemBuffer;     /* METHOD_BUFFERED: in and out */
    SER_LINE_SETTINGS line;
    SER_SNAPSHOT snapshot;
    SER_PURGE purge;
    PSERIAL_STATUS commStatus;
    PSERIAL_TIMEOUTS timeouts;
    SERIAL_LINE_CONTROL lineControl;
    PLIST_ENTRY entry;
    LIST_ENTRY done;
    ULONG_PTR information = 0;
    ULONG baudRate;
    ULONG outQueue;
    ULONG mask;
    USHORT divisor;
    UCHAR lcr;
    NTSTATUS status;
    KIRQL oldIrql;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return SerCompleteIrp(Irp, status, 0);
    }
    InitializeListHead(&done);
    RtlZeroMemory(&snapshot, sizeof(snapshot));
    snapshot.Extension = ext;

    KeAcquireSpinLock(&ext->Lock, &oldIrql);

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_SERIAL_SET_BAUD_RATE:
        if (inLength < sizeof(SERIAL_BAUD_RATE)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        baudRate = ((PSERIAL_BAUD_RATE)buffer)->BaudRate;
        status = SerDivisorFromBaud(baudRate, &divisor);
        if (!NT_SUCCESS(status)) {
            break;
        }
        if (!ext->Started) {
            status = STATUS_DEVICE_NOT_READY;
            break;
        }
        ext->BaudRate = baudRate;
        ext->Divisor = divisor;
        /* DLAB banks the ISR's RBR/THR: only under the interrupt lock. */
        line.Extension = ext;
        line.Divisor = divisor;
        line.Lcr = ext->Lcr;
        KeSynchronizeExecution(ext->Interrupt, SerProgramLine, &line);
        KdPrint(("SerialEcho: %lu baud (divisor %u)\n", baudRate, divisor));
        break;

    case IOCTL_SERIAL_GET_BAUD_RATE:
        if (outLength < sizeof(SERIAL_BAUD_RATE)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        ((PSERIAL_BAUD_RATE)buffer)->BaudRate = ext->BaudRate;
        information = sizeof(SERIAL_BAUD_RATE);
        break;

    case IOCTL_SERIAL_SET_LINE_CONTROL:
        if (inLength < sizeof(SERIAL_LINE_CONTROL)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        lineControl = *(PSERIAL_LINE_CONTROL)buffer;
        status = SerLcrFromLineControl(&lineControl, &lcr);
        if (!NT_SUCCESS(status)) {
            break;
        }
        if (!ext->Started) {
            status = STATUS_DEVICE_NOT_READY;
            break;
        }
        ext->LineControl = lineControl;
        ext->Lcr = lcr;
        line.Extension = ext;
        line.Divisor = ext->Divisor;
        line.Lcr = lcr;
        KeSynchronizeExecution(ext->Interrupt, SerProgramLine, &line);
        break;

    case IOCTL_SERIAL_GET_LINE_CONTROL:
        if (outLength < sizeof(SERIAL_LINE_CONTROL)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        *(PSERIAL_LINE_CONTROL)buffer = ext->LineControl;
        information = sizeof(SERIAL_LINE_CONTROL);
        break;

    case IOCTL_SERIAL_SET_TIMEOUTS:
        if (inLength < sizeof(SERIAL_TIMEOUTS)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        timeouts = (PSERIAL_TIMEOUTS)buffer;
        /* All three read values MAXULONG is the one combination serial.sys refuses. */
        if (timeouts->ReadIntervalTimeout == MAXULONG && timeouts->ReadTotalTimeoutMultiplier == MAXULONG &&
            timeouts->ReadTotalTimeoutConstant == MAXULONG) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        /* Reads that start (reach the queue head) from now on use them. */
        ext->Timeouts = *timeouts;
        break;

    case IOCTL_SERIAL_GET_TIMEOUTS:
        if (outLength < sizeof(SERIAL_TIMEOUTS)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        *(PSERIAL_TIMEOUTS)buffer = ext->Timeouts;
        information = sizeof(SERIAL_TIMEOUTS);
        break;

    case IOCTL_SERIAL_GET_COMMSTATUS:
        if (outLength < sizeof(SERIAL_STATUS)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        if (!ext->Started) {
            status = STATUS_DEVICE_NOT_READY;
            break;
        }
        /* The errors accumulate until this request reports (and clears) them. */
        snapshot.ClearErrorWord = TRUE;
        KeSynchronizeExecution(ext->Interrupt, SerTakeSnapshot, &snapshot);
        /* Out queue: bytes in the transmit buffer (echoes included) plus write bytes that
           have not reached it yet. */
        outQueue = snapshot.TxCount;
        if (ext->CurrentWrite != NULL) {
            outQueue += ext->WriteLength - ext->WriteQueued;
        }
        for (entry = ext->WriteQueue.Flink; entry != &ext->WriteQueue; entry = entry->Flink) {
            outQueue += IoGetCurrentIrpStackLocation(CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry))
                            ->Parameters.Write.Length;
        }
        commStatus = (PSERIAL_STATUS)buffer;
        RtlZeroMemory(commStatus, sizeof(SERIAL_STATUS));
        commStatus->Errors = snapshot.ErrorWord;
        commStatus->HoldReasons = 0;                    /* no flow control */
        commStatus->AmountInInQueue = snapshot.RxCount;
        commStatus->AmountInOutQueue = outQueue;
        information = sizeof(SERIAL_STATUS);
        break;

    case IOCTL_SERIAL_GET_MODEMSTATUS:
        if (outLength < sizeof(ULONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        if (!ext->Started) {
            status = STATUS_DEVICE_NOT_READY;
            break;
        }
        KeSynchronizeExecution(ext->Interrupt, SerTakeSnapshot, &snapshot);
        *(PULONG)buffer = snapshot.ModemStatus & SER_MSR_INPUTS;   /* SERIAL_CTS_STATE ... SERIAL_DCD_STATE */
        information = sizeof(ULONG);
        break;

    case IOCTL_SERIAL_GET_STATS:
        if (outLength < sizeof(SERIALPERF_STATS)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        if (!ext->Started) {
            status = STATUS_DEVICE_NOT_READY;
            break;
        }
        KeSynchronizeExecution(ext->Interrupt, SerTakeSnapshot, &snapshot);
        *(PSERIALPERF_STATS)buffer = snapshot.Perf;
        information = sizeof(SERIALPERF_STATS);
        break;

    case IOCTL_SERIAL_PURGE:
        if (inLength < sizeof(ULONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        mask = *(PULONG)buffer;
        if (mask == 0 || (mask & ~(SERIAL_PURGE_TXABORT | SERIAL_PURGE_RXABORT |
                                   SERIAL_PURGE_TXCLEAR | SERIAL_PURGE_RXCLEAR)) != 0) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        if (!ext->Started) {
            status = STATUS_DEVICE_NOT_READY;
            break;
        }
        if (mask & SERIAL_PURGE_RXABORT) {
            SerAbortQueue(ext, &ext->ReadQueue, STATUS_CANCELLED, &done);
            KeCancelTimer(&ext->ReadTimer);
        }
        if (mask & SERIAL_PURGE_TXABORT) {
            /* Bytes already in the transmit buffer still go out unless TXCLEAR is given too. */
            SerAbortQueue(ext, &ext->WriteQueue, STATUS_CANCELLED, &done);
            if (ext->CurrentWrite != NULL) {
                ext->CurrentWrite->IoStatus.Status = STATUS_CANCELLED;
                ext->CurrentWrite->IoStatus.Information = 0;
                InsertTailList(&done, &ext->CurrentWrite->Tail.Overlay.ListEntry);
                ext->CurrentWrite = NULL;
            }
        }
        if (mask & (SERIAL_PURGE_RXCLEAR | SERIAL_PURGE_TXCLEAR)) {
            purge.Extension = ext;
            purge.Mask = mask;
            KeSynchronizeExecution(ext->Interrupt, SerPurgeBuffers, &purge);
            /* Discarded bytes count as sent: a write whose last byte was among them is done. */
            SerProcessTransmit(ext, &done);
        }
        break;

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    KeReleaseSpinLock(&ext->Lock, oldIrql);
    SerCompleteList(ext, &done);                        /* what PURGE aborted */

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return SerCompleteIrp(Irp, status, NT_SUCCESS(status) ? information : 0);
}

/* ---- Cancel-safe driver queues (ReadQueue, WriteQueue), linked through
        Irp->Tail.Overlay.ListEntry and protected by Lock -------------------------------------- */

/* Called holding Lock. FALSE: the IRP was cancelled before it could be queued. */
static BOOLEAN SerQueueIrp(PSER_EXTENSION Ext, PLIST_ENTRY Queue, PIRP Irp)
{
    UNREFERENCED_PARAMETER(Ext);

    IoSetCancelRoutine(Irp, SerCancelQueuedIrp);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
        /* IoCancelIrp ran before the routine was set, so nobody will call it: the caller
           completes the IRP. */
        return FALSE;
    }
    /* (Cancel set but the routine already taken: it is about to run, waits for Lock and
       unlinks the IRP.) */
    IoMarkIrpPending(Irp);
    InsertTailList(Queue, &Irp->Tail.Overlay.ListEntry);
    return TRUE;
}

/* Unlinks Irp. TRUE: the driver owns it now (its cancel routine will not run). FALSE: its
   cancel routine is running and completes it; the entry is left pointing at itself so the
   routine's RemoveEntryList changes nothing. */
static BOOLEAN SerTakeQueuedIrp(PIRP Irp)
{
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    if (IoSetCancelRoutine(Irp, NULL) != NULL) {
        return TRUE;
    }
    InitializeListHead(&Irp->Tail.Overlay.ListEntry);
    return FALSE;
}

/* The oldest IRP on Queue the driver can take, or NULL. */
static PIRP SerDequeueIrp(PLIST_ENTRY Queue)
{
    PIRP irp;

    while (!IsListEmpty(Queue)) {
        irp = CONTAINING_RECORD(Queue->Flink, IRP, Tail.Overlay.ListEntry);
        if (SerTakeQueuedIrp(irp)) {
            return irp;
        }
    }
    return NULL;
}

/* Called holding Lock: every IRP on Queue goes to Done with Status (reads keep the count of
   bytes already in their buffer, as serial.sys does). */
static VOID SerAbortQueue(PSER_EXTENSION Ext, PLIST_ENTRY Queue, NTSTATUS Status, PLIST_ENTRY Done)
{
    PIRP irp;

    UNREFERENCED_PARAMETER(Ext);

    while ((irp = SerDequeueIrp(Queue)) != NULL) {
        irp->IoStatus.Status = Status;
        if (!NT_SUCCESS(Status) && Status != STATUS_CANCELLED) {
            irp->IoStatus.Information = 0;
        }
        InsertTailList(Done, &irp->Tail.Overlay.ListEntry);
    }
}

_Use_decl_annotations_
VOID SerCancelQueuedIrp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)DeviceObject->DeviceExtension;
    LIST_ENTRY done;
    KIRQL oldIrql;

    /* Entered holding the global cancel spin lock: release it before anything else. */
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    InitializeListHead(&done);

    KeAcquireSpinLock(&ext->Lock, &oldIrql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    /* If it was the head read, the next one starts now (its timeouts begin). */
    if (ext->Started) {
        SerServeReads(ext, &done);
    }
    KeReleaseSpinLock(&ext->Lock, oldIrql);

    SerCompleteList(ext, &done);

    /* A read keeps in Information what it had received (serial.sys does the same). */
    Irp->IoStatus.Status = STATUS_CANCELLED;
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

/* Completes the IRPs on Done (status and information already set). Never called holding a
   spin lock. */
static VOID SerCompleteList(PSER_EXTENSION Ext, PLIST_ENTRY Done)
{
    PLIST_ENTRY entry;
    PIRP irp;

    while (!IsListEmpty(Done)) {
        entry = RemoveHeadList(Done);
        irp = CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
        IoReleaseRemoveLock(&Ext->RemoveLock, irp);
        IoCompleteRequest(irp, NT_SUCCESS(irp->IoStatus.Status) ? IO_SERIAL_INCREMENT : IO_NO_INCREMENT);
    }
}

static NTSTATUS SerCompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* ---- Reads: at DISPATCH_LEVEL holding Lock ------------------------------------------------ */

/* The head read starts: its timeouts are taken from the current SERIAL_TIMEOUTS (the rules
   of the COMMTIMEOUTS documentation). */
static VOID SerStartRead(PSER_EXTENSION Ext, PSER_READ_CONTEXT Rc, ULONG Length, ULONGLONG Now)
{
    const SERIAL_TIMEOUTS *t = &Ext->Timeouts;
    ULONGLONG totalMs;

    Rc->Flags = SER_READ_STARTED;
    Rc->IntervalTimeout = 0;
    Rc->TotalDeadline = 0;

    if (t->ReadIntervalTimeout == MAXULONG && t->ReadTotalTimeoutMultiplier == 0 &&
        t->ReadTotalTimeoutConstant == 0) {
        Rc->Flags |= SER_READ_IMMEDIATE;                /* take what is there, even nothing */
        return;
    }
    if (t->ReadIntervalTimeout == MAXULONG && t->ReadTotalTimeoutMultiplier == MAXULONG) {
        Rc->Flags |= SER_READ_ANY_BYTE;                 /* the first byte(s), or nothing after the constant */
        totalMs = t->ReadTotalTimeoutConstant;
    } else {
        if (t->ReadIntervalTimeout != MAXULONG) {
            Rc->IntervalTimeout = t->ReadIntervalTimeout;
        }
        totalMs = (ULONGLONG)t->ReadTotalTimeoutMultiplier * Length + t->ReadTotalTimeoutConstant;
    }
    if (totalMs != 0) {
        Rc->TotalDeadline = Now + totalMs * SER_100NS_PER_MS;
    }
}

/* STATUS_PENDING while the read must go on waiting; else how it completes. */
static NTSTATUS SerReadOutcome(PIRP Irp, PSER_READ_CONTEXT Rc, ULONG Length, ULONGLONG Now)
{
    ULONG_PTR have = Irp->IoStatus.Information;

    if (have == Length) {
        return STATUS_SUCCESS;
    }
    if (Rc->Flags & SER_READ_IMMEDIATE) {
        return STATUS_SUCCESS;
    }
    if ((Rc->Flags & SER_READ_ANY_BYTE) && have > 0) {
        return STATUS_SUCCESS;
    }
    /* A timed-out read succeeds with what it has: STATUS_TIMEOUT is a success status. */
    if (Rc->TotalDeadline != 0 && Now >= Rc->TotalDeadline) {
        return STATUS_TIMEOUT;
    }
    /* The interval counts only once the first byte is in. */
    if (Rc->IntervalTimeout != 0 && have > 0 &&
        Now >= Rc->LastByteTime + Rc->IntervalTimeout * SER_100NS_PER_MS) {
        return STATUS_TIMEOUT;
    }
    return STATUS_PENDING;
}

/* Arms ReadTimer for the waiting head read's nearest timeout (or cancels it). */
static VOID SerArmReadTimer(PSER_EXTENSION Ext, PIRP Irp, PSER_READ_CONTEXT Rc, ULONGLONG Now)
{
    ULONGLONG deadline = Rc->TotalDeadline;
    ULONGLONG interval;
    LARGE_INTEGER due;

    if (Rc->IntervalTimeout != 0 && Irp->IoStatus.Information > 0) {
        interval = Rc->LastByteTime + Rc->IntervalTimeout * SER_100NS_PER_MS;
        if (deadline == 0 || interval < deadline) {
            deadline = interval;
        }
    }
    if (deadline == 0) {
        KeCancelTimer(&Ext->ReadTimer);
        return;
    }
    due.QuadPart = -(LONGLONG)(deadline > Now ? deadline - Now : 1);   /* relative */
    KeSetTimer(&Ext->ReadTimer, due, &Ext->ReadTimerDpc);
}

/* Gives received bytes to the reads in order and completes those that are done (moved to
   Done); arms the timer for the read left waiting at the head. Needs Started. */
static VOID SerServeReads(PSER_EXTENSION Ext, PLIST_ENTRY Done)
{
    ULONGLONG now = KeQueryInterruptTime();
    PSER_READ_CONTEXT rc;
    SER_RX_TAKE take;
    NTSTATUS status;
    ULONG length;
    PIRP irp;

    while (!IsListEmpty(&Ext->ReadQueue)) {
        irp = CONTAINING_RECORD(Ext->ReadQueue.Flink, IRP, Tail.Overlay.ListEntry);
        rc = SerReadContext(irp);
        length = IoGetCurrentIrpStackLocation(irp)->Parameters.Read.Length;

        if (irp->Cancel) {
            /* Being cancelled: no more bytes for it. */
            if (SerTakeQueuedIrp(irp)) {
                irp->IoStatus.Status = STATUS_CANCELLED;
                InsertTailList(Done, &irp->Tail.Overlay.ListEntry);
            }
            continue;
        }
        if (!(rc->Flags & SER_READ_STARTED)) {
            SerStartRead(Ext, rc, length, now);
        }

        /* Receive buffer -> the read's buffer, under the interrupt lock. */
        take.Extension = Ext;
        take.Buffer = (PUCHAR)irp->AssociatedIrp.SystemBuffer + irp->IoStatus.Information;
        take.Length = length - (ULONG)irp->IoStatus.Information;
        take.Copied = 0;
        KeSynchronizeExecution(Ext->Interrupt, SerTakeRxBytes, &take);
        if (take.Copied != 0) {
            irp->IoStatus.Information += take.Copied;
            rc->LastByteTime = now;
        }

        status = SerReadOutcome(irp, rc, length, now);
        if (status == STATUS_PENDING) {
            SerArmReadTimer(Ext, irp, rc, now);
            return;                                     /* later reads wait behind it */
        }
        if (SerTakeQueuedIrp(irp)) {
            irp->IoStatus.Status = status;
            InsertTailList(Done, &irp->Tail.Overlay.ListEntry);
        }
        /* else its cancel routine completes it, with the bytes it got */
    }
    KeCancelTimer(&Ext->ReadTimer);                     /* no read waits */
}

/* ---- Writes: at DISPATCH_LEVEL holding Lock ----------------------------------------------- */

/* Makes the oldest write current if none is and feeds its bytes into the transmit buffer as
   room allows; completes it once the ISR has seen the THRE interrupt after its last byte.
   Needs Started. */
static VOID SerProcessTransmit(PSER_EXTENSION Ext, PLIST_ENTRY Done)
{
    SER_TX_STEP step;
    PIRP irp;

    for (;;) {
        if (Ext->CurrentWrite == NULL) {
            Ext->CurrentWrite = SerDequeueIrp(&Ext->WriteQueue);
            if (Ext->CurrentWrite == NULL) {
                return;
            }
            /* It belongs to the transmitter now and takes at most length x character time:
               no longer cancelable (SerDequeueIrp cleared its cancel routine). */
            Ext->WriteLength = IoGetCurrentIrpStackLocation(Ext->CurrentWrite)->Parameters.Write.Length;
            Ext->WriteQueued = 0;
            Ext->WriteEndKnown = FALSE;
            Ext->WriteEnd = 0;
        }

        step.Extension = Ext;
        step.Data = (const UCHAR *)Ext->CurrentWrite->AssociatedIrp.SystemBuffer + Ext->WriteQueued;
        step.Length = Ext->WriteLength - Ext->WriteQueued;
        step.EndKnown = Ext->WriteEndKnown;
        step.End = Ext->WriteEnd;
        step.Appended = 0;
        step.DoneTotal = 0;
        KeSynchronizeExecution(Ext->Interrupt, SerTransmitStep, &step);
        Ext->WriteQueued += step.Appended;
        Ext->WriteEndKnown = step.EndKnown;
        Ext->WriteEnd = step.End;

        if (!Ext->WriteEndKnown || (LONG)(step.DoneTotal - Ext->WriteEnd) < 0) {
            return;                                     /* the ISR queues the DPC when it moves on */
        }
        irp = Ext->CurrentWrite;
        Ext->CurrentWrite = NULL;
        irp->IoStatus.Status = STATUS_SUCCESS;
        irp->IoStatus.Information = Ext->WriteLength;
        InsertTailList(Done, &irp->Tail.Overlay.ListEntry);
    }
}

/* ======================================================================================
 * Synchronize routines: at the ISR's SynchronizeIrql, holding its spin lock
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN SerEnableInterrupts(PVOID SynchronizeContext)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)SynchronizeContext;

    /* OUT2 connects INTR to the IRQ line; DTR and RTS tell the peer we are there. Enabling
       THRE with an empty FIFO raises a THRE interrupt at once: the ISR finds nothing to send. */
    SerWrite(ext, SER_MCR, SER_MCR_VALUE);
    ext->ModemStatus = SerRead(ext, SER_MSR);
    SerWrite(ext, SER_IER, SER_IER_VALUE);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN SerDisableInterrupts(PVOID SynchronizeContext)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)SynchronizeContext;

    SerWrite(ext, SER_IER, 0);
    SerWrite(ext, SER_MCR, 0);
    return TRUE;
}

/* Divisor latch and LCR. DLAB turns offsets 0-1 into DLL/DLM: the ISR must not run meanwhile. */
_Use_decl_annotations_
BOOLEAN SerProgramLine(PVOID SynchronizeContext)
{
    PSER_LINE_SETTINGS line = (PSER_LINE_SETTINGS)SynchronizeContext;
    PSER_EXTENSION ext = line->Extension;

    SerWrite(ext, SER_LCR, (UCHAR)(line->Lcr | SER_LCR_DLAB));
    SerWrite(ext, SER_DLL, (UCHAR)(line->Divisor & 0xFF));
    SerWrite(ext, SER_DLM, (UCHAR)(line->Divisor >> 8));
    SerWrite(ext, SER_LCR, line->Lcr);
    return TRUE;
}

/* Receive buffer -> a read's buffer. */
_Use_decl_annotations_
BOOLEAN SerTakeRxBytes(PVOID SynchronizeContext)
{
    PSER_RX_TAKE take = (PSER_RX_TAKE)SynchronizeContext;
    PSER_EXTENSION ext = take->Extension;
    ULONG n = min(take->Length, ext->RxCount);
    ULONG i;

    for (i = 0; i < n; i++) {
        take->Buffer[i] = ext->RxBuffer[ext->RxHead];
        ext->RxHead = (ext->RxHead + 1) & SER_RX_MASK;
    }
    ext->RxCount -= n;
    take->Copied = n;
    return (BOOLEAN)(n != 0);
}

/* The current write's next bytes -> TxBuffer (as many as fit); starts the transmitter if it
   is idle; tells the ISR what the DPC waits for. */
_Use_decl_annotations_
BOOLEAN SerTransmitStep(PVOID SynchronizeContext)
{
    PSER_TX_STEP step = (PSER_TX_STEP)SynchronizeContext;
    PSER_EXTENSION ext = step->Extension;
    ULONG n = min(step->Length, SER_TX_BUFFER_SIZE - ext->TxCount);
    ULONG tail = (ext->TxHead + ext->TxCount) & SER_TX_MASK;
    ULONG i;

    for (i = 0; i < n; i++) {
        ext->TxBuffer[tail] = step->Data[i];
        tail = (tail + 1) & SER_TX_MASK;
    }
    ext->TxCount += n;
    ext->TxQueuedTotal += n;
    step->Appended = n;
    if (!step->EndKnown && n == step->Length) {
        step->End = ext->TxQueuedTotal;
        step->EndKnown = TRUE;
    }

    if (!ext->TxFifoBusy) {
        SerFillTxFifo(ext);                             /* THRE will not come by itself */
    }

    step->DoneTotal = ext->TxDoneTotal;
    if (step->EndKnown) {
        ext->TxWaitFor = step->End;
        ext->TxWaitDone = (BOOLEAN)((LONG)(ext->TxDoneTotal - step->End) < 0);
        ext->TxWaitRoom = FALSE;
    } else {
        ext->TxWaitDone = FALSE;
        ext->TxWaitRoom = TRUE;                         /* more of the write to put in */
    }
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN SerTakeSnapshot(PVOID SynchronizeContext)
{
    PSER_SNAPSHOT snap = (PSER_SNAPSHOT)SynchronizeContext;
    PSER_EXTENSION ext = snap->Extension;

    snap->ErrorWord = ext->ErrorWord;
    if (snap->ClearErrorWord) {
        ext->ErrorWord = 0;
    }
    snap->Perf = ext->Perf;
    snap->BreakCount = ext->BreakCount;
    snap->EchoDropped = ext->EchoDropped;
    snap->InterruptCount = ext->InterruptCount;
    snap->RxCount = ext->RxCount;
    snap->TxCount = ext->TxCount;
    snap->ModemStatus = ext->ModemStatus;
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN SerPurgeBuffers(PVOID SynchronizeContext)
{
    PSER_PURGE purge = (PSER_PURGE)SynchronizeContext;
    PSER_EXTENSION ext = purge->Extension;
    UCHAR fcr = SER_FCR_VALUE;

    if (purge->Mask & SERIAL_PURGE_RXCLEAR) {
        ext->RxHead = 0;
        ext->RxCount = 0;
        fcr |= SER_FCR_RX_RESET;
    }
    if (purge->Mask & SERIAL_PURGE_TXCLEAR) {
        /* Everything queued counts as gone; the FIFO reset raises THRE again. */
        ext->TxHead = 0;
        ext->TxCount = 0;
        ext->TxMovedTotal = ext->TxQueuedTotal;
        ext->TxDoneTotal = ext->TxQueuedTotal;
        ext->TxFifoBusy = FALSE;
        fcr |= SER_FCR_TX_RESET;
    }
    SerWrite(ext, SER_FCR, fcr);
    return TRUE;
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

/* Moves up to a FIFO's worth of TxBuffer into THR. Only while the FIFO is empty (not
   TxFifoBusy): its THRE interrupt then says when all of them have left it. */
static VOID SerFillTxFifo(PSER_EXTENSION Ext)
{
    ULONG n = 0;

    while (n < SER_FIFO_DEPTH && Ext->TxCount > 0) {
        SerWrite(Ext, SER_THR, Ext->TxBuffer[Ext->TxHead]);
        Ext->TxHead = (Ext->TxHead + 1) & SER_TX_MASK;
        Ext->TxCount--;
        n++;
    }
    if (n != 0) {
        Ext->TxMovedTotal += n;
        Ext->Perf.TransmittedCount += n;
        Ext->TxFifoBusy = TRUE;
    }
}

/* Line status errors, as LSR reports them (reading LSR clears them). A break is reported
   as a break only, not also as the framing error it causes. */
static VOID SerCountLineErrors(PSER_EXTENSION Ext, UCHAR Lsr)
{
    if (Lsr & SER_LSR_OE) {
        Ext->Perf.SerialOverrunErrorCount++;
        Ext->ErrorWord |= SERIAL_ERROR_OVERRUN;
    }
    if (Lsr & SER_LSR_BI) {
        Ext->BreakCount++;
        Ext->ErrorWord |= SERIAL_ERROR_BREAK;
        return;
    }
    if (Lsr & SER_LSR_PE) {
        Ext->Perf.ParityErrorCount++;
        Ext->ErrorWord |= SERIAL_ERROR_PARITY;
    }
    if (Lsr & SER_LSR_FE) {
        Ext->Perf.FrameErrorCount++;
        Ext->ErrorWord |= SERIAL_ERROR_FRAMING;
    }
}

/* Drains the RX FIFO. Lsr was just read; in FIFO mode its PE/FE/BI belong to the character
   at the top of the FIFO, the one RBR gives next, so LSR is read again before each byte.
   Good bytes go to the receive buffer and, as the echo, to the transmit buffer; a damaged
   one (or a break's zero) is dropped. TRUE: the DPC has something to do. */
static BOOLEAN SerReceive(PSER_EXTENSION Ext, UCHAR Lsr)
{
    BOOLEAN work = FALSE;
    UCHAR ch;

    for (;;) {
        if (Lsr & (SER_LSR_OE | SER_LSR_CHAR_ERRORS)) {
            SerCountLineErrors(Ext, Lsr);
            work = TRUE;
        }
        if (!(Lsr & SER_LSR_DR)) {
            break;
        }
        ch = SerRead(Ext, SER_RBR);
        if (!(Lsr & SER_LSR_CHAR_ERRORS)) {
            if (Ext->RxCount < SER_RX_BUFFER_SIZE) {
                Ext->RxBuffer[(Ext->RxHead + Ext->RxCount) & SER_RX_MASK] = ch;
                Ext->RxCount++;
                Ext->Perf.ReceivedCount++;
                /* The echo: queued at the moment the byte becomes readable. */
                if (Ext->TxCount < SER_TX_BUFFER_SIZE) {
                    Ext->TxBuffer[(Ext->TxHead + Ext->TxCount) & SER_TX_MASK] = ch;
                    Ext->TxCount++;
                    Ext->TxQueuedTotal++;
                } else {
                    Ext->EchoDropped++;
                }
            } else {
                /* Nobody read for a while: the byte is lost (and not echoed). */
                Ext->Perf.BufferOverrunErrorCount++;
                Ext->ErrorWord |= SERIAL_ERROR_QUEUEOVERRUN;
            }
            work = TRUE;
        }
        Lsr = SerRead(Ext, SER_LSR);
    }
    return work;
}

/* DIRQL, holding the interrupt spin lock. The line is an ISA edge: the IRQ only rises again
   after INTR has gone low, so the ISR must leave no cause pending, hence the loop on IIR
   until it says "no interrupt". */
_Use_decl_annotations_
BOOLEAN SerInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PDEVICE_OBJECT fdo = (PDEVICE_OBJECT)ServiceContext;
    PSER_EXTENSION ext = (PSER_EXTENSION)fdo->DeviceExtension;
    BOOLEAN claimed = FALSE;
    BOOLEAN requestDpc = FALSE;
    UCHAR iir;

    UNREFERENCED_PARAMETER(Interrupt);

    for (;;) {
        iir = SerRead(ext, SER_IIR);
        if (iir & SER_IIR_NO_INTERRUPT) {
            break;
        }
        claimed = TRUE;

        switch (iir & SER_IIR_ID_MASK) {
        case SER_IIR_RLS:                               /* an error came with the top character */
        case SER_IIR_RDA:                               /* the FIFO reached the trigger level */
        case SER_IIR_CTI:                               /* fewer wait, 4 character times quiet */
            if (SerReceive(ext, SerRead(ext, SER_LSR))) {
                requestDpc = TRUE;
            }
            /* Echoes go out at once if the transmitter is idle. */
            if (!ext->TxFifoBusy) {
                SerFillTxFifo(ext);
            }
            break;

        case SER_IIR_THRE:
            /* Reading IIR cleared this interrupt. The FIFO is empty: every byte written to THR
               has left it for the shift register. */
            ext->TxFifoBusy = FALSE;
            ext->TxDoneTotal = ext->TxMovedTotal;
            SerFillTxFifo(ext);
            if (ext->TxWaitDone && (LONG)(ext->TxDoneTotal - ext->TxWaitFor) >= 0) {
                ext->TxWaitDone = FALSE;                /* the current write is out */
                requestDpc = TRUE;
            }
            if (ext->TxWaitRoom && ext->TxCount <= SER_TX_BUFFER_SIZE / 2) {
                ext->TxWaitRoom = FALSE;                /* room for more of it */
                requestDpc = TRUE;
            }
            break;

        case SER_IIR_MS:
            /* Reading MSR clears the delta bits and with them the interrupt. No flow
               control here: the state is kept for IOCTL_SERIAL_GET_MODEMSTATUS. */
            ext->ModemStatus = SerRead(ext, SER_MSR);
            break;

        default:
            /* Not a 16550A code: read every status register so that nothing stays pending. */
            (VOID)SerRead(ext, SER_LSR);
            (VOID)SerRead(ext, SER_MSR);
            break;
        }
    }

    if (!claimed) {
        return FALSE;                                   /* spurious: nothing was pending */
    }
    ext->InterruptCount++;

    /* Last: the DPC hands bytes to reads and completes requests at DISPATCH_LEVEL. */
    if (requestDpc) {
        IoRequestDpc(fdo, NULL, NULL);
    }
    return TRUE;
}

/* DpcForIsr: DISPATCH_LEVEL, possibly on another CPU while the ISR runs again (then its
   KeSynchronizeExecution calls wait for the ISR). */
_Use_decl_annotations_
VOID SerDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)DeviceObject->DeviceExtension;
    SER_SNAPSHOT snapshot;
    LIST_ENTRY done;
    ULONG errors;
    BOOLEAN report = FALSE;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);

    InitializeListHead(&done);
    RtlZeroMemory(&snapshot, sizeof(snapshot));
    snapshot.Extension = ext;

    KeAcquireSpinLockAtDpcLevel(&ext->Lock);
    if (!ext->Started) {
        /* Stopping: SerStopDevice completes everything after KeFlushQueuedDpcs. */
        KeReleaseSpinLockFromDpcLevel(&ext->Lock);
        return;
    }

    SerServeReads(ext, &done);
    SerProcessTransmit(ext, &done);

    /* New line errors since the last report? */
    KeSynchronizeExecution(ext->Interrupt, SerTakeSnapshot, &snapshot);
    errors = snapshot.Perf.ParityErrorCount + snapshot.Perf.FrameErrorCount +
             snapshot.Perf.SerialOverrunErrorCount + snapshot.Perf.BufferOverrunErrorCount + snapshot.BreakCount;
    if (errors != ext->ErrorsReported) {
        ext->ErrorsReported = errors;
        report = TRUE;
    }
    KeReleaseSpinLockFromDpcLevel(&ext->Lock);

    if (report) {
        DbgPrint("SerialEcho: receive errors so far: %lu parity, %lu framing, %lu overrun, %lu break, "
                 "%lu buffer overrun\n",
                 snapshot.Perf.ParityErrorCount, snapshot.Perf.FrameErrorCount,
                 snapshot.Perf.SerialOverrunErrorCount, snapshot.BreakCount,
                 snapshot.Perf.BufferOverrunErrorCount);
    }

    /* Outside the lock: never call IoCompleteRequest holding a spin lock. */
    SerCompleteList(ext, &done);
}

/* The head read's interval or total timeout: DISPATCH_LEVEL. */
_Use_decl_annotations_
VOID SerReadTimerDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PSER_EXTENSION ext = (PSER_EXTENSION)DeferredContext;
    LIST_ENTRY done;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    InitializeListHead(&done);
    KeAcquireSpinLockAtDpcLevel(&ext->Lock);
    if (ext->Started) {
        /* Picks up bytes that arrived meanwhile, completes what timed out, re-arms. */
        SerServeReads(ext, &done);
    }
    KeReleaseSpinLockFromDpcLevel(&ext->Lock);
    SerCompleteList(ext, &done);
}
