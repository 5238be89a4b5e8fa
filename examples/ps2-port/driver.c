/*
 * driver.c - "I8x", a PS/2 keyboard and mouse port driver for the 8042 controller (see
 * README.md for a walkthrough and driver.h for the hardware).
 *
 *   AddDevice        IoCreateDevice, IoAttachDeviceToDeviceStack, the DPCs and the timer
 *   START_DEVICE     forward down and wait; ports and the two interrupts from the translated
 *                    resources; initialise controller, keyboard and mouse by polling; connect
 *                    both interrupts (one spin lock, one SynchronizeIrql); only then enable
 *                    the interrupts in the controller's command byte
 *   Internal IOCTLs  the class drivers' CONNECT / DISCONNECT (CONNECT_DATA), keyboard and
 *                    mouse attributes, keyboard LEDs and typematic (through StartIo: the ISR
 *                    sends the command bytes as the keyboard ACKs them)
 *   Keyboard ISR     (DIRQL) status, data; command replies; E0/E1 prefixes and the break bit
 *                    -> KEYBOARD_INPUT_DATA into the keyboard ring; queue the keyboard DPC
 *   Mouse ISR        (DIRQL) status, data; 3- or 4-byte packets kept in sync by bit 3 of
 *                    byte 0 -> MOUSE_INPUT_DATA into the mouse ring; queue the mouse DPC
 *   DPCs             (DISPATCH_LEVEL) take the ring's run of packets under
 *                    KeSynchronizeExecution, call the class service with it, retire what it
 *                    consumed
 *   STOP / REMOVE    interrupts off in the command byte, IoDisconnectInterrupt both,
 *                    KeFlushQueuedDpcs, fail the keyboard command still in flight
 */

#include "driver.h"

#ifndef WHEEL_DELTA
#define WHEEL_DELTA 120                 /* one wheel detent (winuser.h) */
#endif

/* KeSynchronizeExecution contexts. */
typedef struct _I8X_RING_SYNC {
    PI8X_INPUT_PORT Port;
    ULONG Out;                          /* out: first undelivered slot */
    ULONG Count;                        /* out: undelivered packets */
    ULONG Overruns;                     /* out: packets lost since the last look */
    CONNECT_DATA Connect;               /* out: where to deliver them */
    ULONG Consumed;                     /* in (retire): what the class service took */
} I8X_RING_SYNC, *PI8X_RING_SYNC;

typedef struct _I8X_CONNECTION_CHANGE {
    PI8X_INPUT_PORT Port;
    BOOLEAN Connect;                    /* FALSE: disconnect */
    BOOLEAN BufferValid;                /* the IOCTL carried a whole CONNECT_DATA */
    CONNECT_DATA Data;
    NTSTATUS Status;                    /* out */
} I8X_CONNECTION_CHANGE, *PI8X_CONNECTION_CHANGE;

typedef struct _I8X_COMMAND_START {
    PI8X_EXTENSION Extension;
    PIRP Irp;
    UCHAR Bytes[2];
    ULONGLONG Deadline;
} I8X_COMMAND_START, *PI8X_COMMAND_START;

typedef struct _I8X_COMMAND_TAKE {
    PI8X_EXTENSION Extension;
    BOOLEAN OnlyIfExpired;              /* the timeout DPC: take a command still sending */
    PIRP Irp;                           /* out: the finished command's IRP, or NULL */
    NTSTATUS Status;                    /* out */
    UCHAR Command;                      /* out: its command byte, for DbgPrint */
} I8X_COMMAND_TAKE, *PI8X_COMMAND_TAKE;

static NTSTATUS I8xCompleteIrp(_Inout_ PIRP Irp, _In_ NTSTATUS Status, _In_ ULONG_PTR Information);
static NTSTATUS I8xForwardIrpSynchronous(_In_ PI8X_EXTENSION Ext, _Inout_ PIRP Irp);
static NTSTATUS I8xStartDevice(_In_ PI8X_EXTENSION Ext, _In_opt_ PCM_RESOURCE_LIST Translated);
static NTSTATUS I8xParseResources(_In_ PI8X_EXTENSION Ext, _In_ PCM_RESOURCE_LIST Translated);
static NTSTATUS I8xInitializeController(_In_ PI8X_EXTENSION Ext);
static NTSTATUS I8xInitializeKeyboard(_In_ PI8X_EXTENSION Ext);
static NTSTATUS I8xInitializeMouse(_In_ PI8X_EXTENSION Ext);
static NTSTATUS I8xConnectInterrupts(_In_ PI8X_EXTENSION Ext);
static VOID I8xStopDevice(_In_ PI8X_EXTENSION Ext);
static BOOLEAN I8xSetStarted(_In_ PI8X_EXTENSION Ext, _In_ BOOLEAN Started);
static VOID I8xFailCommandInFlight(_In_ PI8X_EXTENSION Ext);
static NTSTATUS I8xSetMouseSampleRate(_In_ PI8X_EXTENSION Ext, _In_ UCHAR Rate);
static BOOLEAN I8xWaitInputEmpty(_In_ PI8X_EXTENSION Ext);
static NTSTATUS I8xPutCommand(_In_ PI8X_EXTENSION Ext, _In_ UCHAR Command);
static NTSTATUS I8xPutData(_In_ PI8X_EXTENSION Ext, _In_ UCHAR Data);
static NTSTATUS I8xWriteCommandByte(_In_ PI8X_EXTENSION Ext, _In_ UCHAR CommandByte);
static NTSTATUS I8xGetBytePolled(_In_ PI8X_EXTENSION Ext, _In_ I8X_DEVICE Device, _In_ ULONG TimeoutUs,
                                 _Out_ PUCHAR Byte);
static NTSTATUS I8xControllerQuery(_In_ PI8X_EXTENSION Ext, _In_ UCHAR Command, _Out_ PUCHAR Reply);
static NTSTATUS I8xSendDeviceByte(_In_ PI8X_EXTENSION Ext, _In_ I8X_DEVICE Device, _In_ UCHAR Byte);
static VOID I8xFlushOutputBuffer(_In_ PI8X_EXTENSION Ext);
static UCHAR I8xLedByte(_In_ USHORT LedFlags);
static UCHAR I8xTypematicByte(_In_ PKEYBOARD_TYPEMATIC_PARAMETERS Typematic);
static BOOLEAN I8xSynchronize(_In_ PI8X_EXTENSION Ext, _In_ PKSYNCHRONIZE_ROUTINE Routine, _In_ PVOID Context);
static BOOLEAN I8xQueueInput(_Inout_ PI8X_INPUT_PORT Port, _In_ PVOID Packet);
static VOID I8xKeyboardCommandReply(_Inout_ PI8X_EXTENSION Ext, _In_ UCHAR Reply);
static VOID I8xBuildMouseInput(_Inout_ PI8X_EXTENSION Ext, _Out_ PMOUSE_INPUT_DATA Input);
static VOID I8xDeliverInput(_In_ PI8X_EXTENSION Ext, _In_ PI8X_INPUT_PORT Port, _Inout_ PULONG Delivered);
static VOID I8xDeliverRuns(_In_ PI8X_EXTENSION Ext, _In_ PI8X_INPUT_PORT Port, _Inout_ PULONG Delivered);
static VOID I8xFinishCommandIrp(_In_ PI8X_EXTENSION Ext, _Inout_ PIRP Irp, _In_ NTSTATUS Status);
static NTSTATUS I8xChangeConnection(_In_ PI8X_EXTENSION Ext, _In_ PI8X_INPUT_PORT Port, _In_ BOOLEAN Present,
                                    _In_ BOOLEAN Connect, _In_ PIO_STACK_LOCATION Stack);

/* PASSIVE_LEVEL-only code is pageable; ISRs, DPCs, StartIo, the cancel routine and anything
   that holds a spin lock stay resident. */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, I8xAddDevice)
#pragma alloc_text(PAGE, I8xUnload)
#pragma alloc_text(PAGE, I8xDispatchCreateClose)
#pragma alloc_text(PAGE, I8xDispatchPnp)
#pragma alloc_text(PAGE, I8xForwardIrpSynchronous)
#pragma alloc_text(PAGE, I8xStartDevice)
#pragma alloc_text(PAGE, I8xParseResources)
#pragma alloc_text(PAGE, I8xInitializeController)
#pragma alloc_text(PAGE, I8xInitializeKeyboard)
#pragma alloc_text(PAGE, I8xInitializeMouse)
#pragma alloc_text(PAGE, I8xConnectInterrupts)
#pragma alloc_text(PAGE, I8xStopDevice)
#pragma alloc_text(PAGE, I8xGetBytePolled)
#pragma alloc_text(PAGE, I8xControllerQuery)
#pragma alloc_text(PAGE, I8xSendDeviceByte)
#pragma alloc_text(PAGE, I8xFlushOutputBuffer)
#pragma alloc_text(PAGE, I8xSetMouseSampleRate)
#endif

/* ======================================================================================
 * Driver and device setup (PASSIVE_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->MajorFunction[IRP_MJ_CREATE] = I8xDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = I8xDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = I8xDispatchInternalDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = I8xDispatchPassDown;
    DriverObject->MajorFunction[IRP_MJ_PNP] = I8xDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = I8xDispatchPower;
    DriverObject->DriverExtension->AddDevice = I8xAddDevice;
    DriverObject->DriverStartIo = I8xStartIo;
    DriverObject->DriverUnload = I8xUnload;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NTSTATUS I8xAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo = NULL;
    PI8X_EXTENSION ext;
    NTSTATUS status;

    PAGED_CODE();

    /* Unnamed: the class drivers above reach the port through the stack, not by name. */
    status = IoCreateDevice(DriverObject, sizeof(I8X_EXTENSION), NULL, FILE_DEVICE_8042_PORT, 0, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    ext = (PI8X_EXTENSION)fdo->DeviceExtension;        /* zeroed by IoCreateDevice */
    ext->Self = fdo;
    ext->Pdo = PhysicalDeviceObject;
    IoInitializeRemoveLock(&ext->RemoveLock, I8X_POOL_TAG, 0, 0);
    KeInitializeSpinLock(&ext->StateLock);
    KeInitializeSpinLock(&ext->InterruptSpinLock);

    ext->Keyboard.Name = "keyboard";
    ext->Keyboard.Ring = (PUCHAR)ext->KeyboardRing;
    ext->Keyboard.ElementSize = sizeof(KEYBOARD_INPUT_DATA);
    ext->Keyboard.Length = I8X_KEYBOARD_RING_LENGTH;
    KeInitializeDpc(&ext->Keyboard.Dpc, I8xKeyboardDpc, ext);

    ext->Mouse.Name = "mouse";
    ext->Mouse.Ring = (PUCHAR)ext->MouseRing;
    ext->Mouse.ElementSize = sizeof(MOUSE_INPUT_DATA);
    ext->Mouse.Length = I8X_MOUSE_RING_LENGTH;
    KeInitializeDpc(&ext->Mouse.Dpc, I8xMouseDpc, ext);

    KeInitializeDpc(&ext->CommandDpc, I8xKeyboardCommandDpc, ext);
    KeInitializeDpc(&ext->CommandTimeoutDpc, I8xKeyboardCommandTimeoutDpc, ext);
    KeInitializeTimer(&ext->CommandTimer);

    ext->Typematic.Rate = I8X_TYPEMATIC_RATE_DEFAULT;
    ext->Typematic.Delay = I8X_TYPEMATIC_DELAY_DEFAULT;
    ext->MousePacketSize = 3;

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
VOID I8xUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DriverObject);
    /* PnP removed every device (IRP_MN_REMOVE_DEVICE) before the driver can unload. */
}

/* ======================================================================================
 * Plug and Play
 * ====================================================================================== */

_Use_decl_annotations_
NTSTATUS I8xForwardCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);

    /* Wake I8xForwardIrpSynchronous only if IoCallDriver returned STATUS_PENDING to it. */
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    /* Keep the IRP: the PnP dispatch routine finishes it after its own work. */
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* Sends the IRP to the lower driver and waits until that driver has completed it. */
static NTSTATUS I8xForwardIrpSynchronous(PI8X_EXTENSION Ext, PIRP Irp)
{
    KEVENT event;
    NTSTATUS status;

    PAGED_CODE();

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, I8xForwardCompletion, &event, TRUE, TRUE, TRUE);

    status = IoCallDriver(Ext->LowerDevice, Irp);
    if (status == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        status = Irp->IoStatus.Status;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS I8xDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status;

    PAGED_CODE();

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return I8xCompleteIrp(Irp, status, 0);
    }

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        /* The bus driver starts the device first; only then are the resources usable. */
        status = I8xForwardIrpSynchronous(ext, Irp);
        if (NT_SUCCESS(status)) {
            status = I8xStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        IoReleaseRemoveLock(&ext->RemoveLock, Irp);
        return I8xCompleteIrp(Irp, status, 0);

    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_STOP_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
        I8xStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        break;

    case IRP_MN_REMOVE_DEVICE:
        I8xStopDevice(ext);                 /* nothing left to do after a surprise removal */
        /* Wait until every other IRP holding the remove lock is finished; new ones fail. */
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

static NTSTATUS I8xStartDevice(PI8X_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
{
    NTSTATUS status;

    PAGED_CODE();

    if (Translated == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    status = I8xParseResources(Ext, Translated);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* 1. Controller, keyboard and mouse, by polling: no interrupt is connected yet, and the
          command byte keeps both interrupts off throughout. */
    status = I8xInitializeController(Ext);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* 2. Connect the ISRs while the controller still cannot interrupt. */
    status = I8xConnectInterrupts(Ext);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* 3. Publish the interrupt objects, then let the controller interrupt: a byte that
          arrived meanwhile raises its IRQ the moment its enable bit is set. */
    I8xSetStarted(Ext, TRUE);

    DbgPrint("I8x: started: keyboard %s, mouse %s, command byte 0x%02X\n",
             Ext->KeyboardPresent ? "on IRQ 1" : "absent", Ext->MousePresent ? "on IRQ 12" : "absent",
             Ext->CommandByte);
    return STATUS_SUCCESS;
}

/* The translated resources: two I/O ports (DATA 0x60, COMMAND/STATUS 0x64) and two interrupts,
   the keyboard's (IRQ 1) first and the mouse's (IRQ 12) second. (The in-box i8042prt gets
   them from two PDOs, the keyboard's and the mouse's; this controller device has both.) */
static NTSTATUS I8xParseResources(PI8X_EXTENSION Ext, PCM_RESOURCE_LIST Translated)
{
    PCM_PARTIAL_RESOURCE_LIST list;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    PI8X_INTERRUPT_RESOURCE irq;
    ULONG_PTR ports[2] = { 0, 0 };
    ULONG portCount = 0;
    ULONG irqCount = 0;
    ULONG i;

    PAGED_CODE();

    RtlZeroMemory(&Ext->KeyboardIrq, sizeof(Ext->KeyboardIrq));
    RtlZeroMemory(&Ext->MouseIrq, sizeof(Ext->MouseIrq));
    if (Translated->Count == 0) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    list = &Translated->List[0].PartialResourceList;
    for (i = 0; i < list->Count; i++) {
        desc = &list->PartialDescriptors[i];
        switch (desc->Type) {
        case CmResourceTypePort:
            /* A PC's 8042 is always in I/O space. */
            if ((desc->Flags & CM_RESOURCE_PORT_IO) == 0) {
                return STATUS_DEVICE_CONFIGURATION_ERROR;
            }
            if (portCount < 2) {
                ports[portCount] = (ULONG_PTR)desc->u.Port.Start.QuadPart;
            }
            portCount++;
            break;

        case CmResourceTypeInterrupt:
            irq = irqCount == 0 ? &Ext->KeyboardIrq : irqCount == 1 ? &Ext->MouseIrq : NULL;
            irqCount++;
            if (irq == NULL) {
                break;
            }
            irq->Found = TRUE;
            irq->Vector = desc->u.Interrupt.Vector;
            irq->Irql = (KIRQL)desc->u.Interrupt.Level;
            irq->Affinity = desc->u.Interrupt.Affinity;
            irq->Mode = (desc->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive;
            irq->Shared = desc->ShareDisposition == CmResourceShareShared;
            break;

        default:
            break;
        }
    }

    if (portCount < 2 || !Ext->KeyboardIrq.Found) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    /* DATA is the lower address, COMMAND/STATUS the higher. */
    Ext->DataPort = (PUCHAR)(ports[0] < ports[1] ? ports[0] : ports[1]);
    Ext->CommandPort = (PUCHAR)(ports[0] < ports[1] ? ports[1] : ports[0]);
    return STATUS_SUCCESS;
}

/* Both ISRs touch the same controller and share state, so they use one spin lock and one
   SynchronizeIrql (the higher of the two IRQLs): then neither ISR can run while the other
   does, and KeSynchronizeExecution on either interrupt object excludes both. */
static NTSTATUS I8xConnectInterrupts(PI8X_EXTENSION Ext)
{
    NTSTATUS status;

    PAGED_CODE();

    Ext->SynchronizeIrql = Ext->KeyboardIrq.Irql;
    if (Ext->MousePresent && Ext->MouseIrq.Irql > Ext->SynchronizeIrql) {
        Ext->SynchronizeIrql = Ext->MouseIrq.Irql;
    }

    if (Ext->KeyboardPresent) {
        status = IoConnectInterrupt(&Ext->KeyboardInterrupt, I8xKeyboardInterruptService, Ext,
                                    &Ext->InterruptSpinLock, Ext->KeyboardIrq.Vector, Ext->KeyboardIrq.Irql,
                                    Ext->SynchronizeIrql, Ext->KeyboardIrq.Mode, Ext->KeyboardIrq.Shared,
                                    Ext->KeyboardIrq.Affinity, FALSE);
        if (!NT_SUCCESS(status)) {
            DbgPrint("I8x: IoConnectInterrupt (keyboard) failed 0x%08X\n", status);
            Ext->KeyboardInterrupt = NULL;
            return status;
        }
    }
    if (Ext->MousePresent) {
        status = IoConnectInterrupt(&Ext->MouseInterrupt, I8xMouseInterruptService, Ext,
                                    &Ext->InterruptSpinLock, Ext->MouseIrq.Vector, Ext->MouseIrq.Irql,
                                    Ext->SynchronizeIrql, Ext->MouseIrq.Mode, Ext->MouseIrq.Shared,
                                    Ext->MouseIrq.Affinity, FALSE);
        if (!NT_SUCCESS(status)) {
            DbgPrint("I8x: IoConnectInterrupt (mouse) failed 0x%08X\n", status);
            Ext->MouseInterrupt = NULL;
            if (Ext->KeyboardInterrupt != NULL) {
                IoDisconnectInterrupt(Ext->KeyboardInterrupt);
                Ext->KeyboardInterrupt = NULL;
            }
            return status;
        }
    }
    return STATUS_SUCCESS;
}

static VOID I8xStopDevice(PI8X_EXTENSION Ext)
{
    PAGED_CODE();

    /* 1. No new work: StartIo and the DPCs check these under StateLock. The controller stops
          interrupting (its command byte) before the interrupt objects go away. */
    if (!I8xSetStarted(Ext, FALSE)) {
        return;
    }

    /* 2. Disconnect (an ISR already running finishes first), then wait for the DPCs it may
          have queued: after this, nothing of ours runs at raised IRQL. */
    if (Ext->KeyboardInterrupt != NULL) {
        IoDisconnectInterrupt(Ext->KeyboardInterrupt);
        Ext->KeyboardInterrupt = NULL;
    }
    if (Ext->MouseInterrupt != NULL) {
        IoDisconnectInterrupt(Ext->MouseInterrupt);
        Ext->MouseInterrupt = NULL;
    }
    KeCancelTimer(&Ext->CommandTimer);
    KeFlushQueuedDpcs();

    /* 3. A keyboard command still in flight gets no more replies: fail it (StartIo then fails
          whatever is still queued, since Started is FALSE). */
    I8xFailCommandInFlight(Ext);

    /* Undelivered packets are dropped with the interrupts. */
    Ext->Keyboard.Out = Ext->Keyboard.Count = 0;
    Ext->Mouse.Out = Ext->Mouse.Count = 0;
    Ext->KeyboardPrefix = 0;
    Ext->MouseByte = 0;

    DbgPrint("I8x: stopped: %lu keyboard and %lu mouse interrupts, %lu keys and %lu mouse packets "
             "delivered, %lu lost, %lu mouse resyncs\n",
             Ext->Stats.KeyboardInterrupts, Ext->Stats.MouseInterrupts, Ext->Stats.KeyboardPackets,
             Ext->Stats.MousePackets, Ext->Stats.Overruns, Ext->Stats.MouseResyncs);
}

/* Publishes (TRUE) or withdraws (FALSE) the connected interrupts and the started state, with
   the controller's interrupts enabled after publishing or disabled before withdrawing.
   Returns whether the interrupts were connected before. Not pageable: it holds StateLock. */
static BOOLEAN I8xSetStarted(PI8X_EXTENSION Ext, BOOLEAN Started)
{
    KIRQL oldIrql;
    BOOLEAN wasConnected;

    KeAcquireSpinLock(&Ext->StateLock, &oldIrql);
    wasConnected = Ext->InterruptsConnected;
    if (Started) {
        Ext->InterruptsConnected = TRUE;
        Ext->Started = TRUE;
        if (!I8xSynchronize(Ext, I8xEnableControllerInterrupts, Ext)) {
            DbgPrint("I8x: the controller did not take the command byte: no interrupts\n");
        }
    } else {
        Ext->Started = FALSE;
        if (wasConnected) {
            I8xSynchronize(Ext, I8xDisableControllerInterrupts, Ext);
        }
        Ext->InterruptsConnected = FALSE;
    }
    KeReleaseSpinLock(&Ext->StateLock, oldIrql);
    return wasConnected;
}

/* After the interrupts are gone and the DPCs flushed: fails the keyboard command that will
   never get its ACK. Not pageable: it runs at DISPATCH_LEVEL. */
static VOID I8xFailCommandInFlight(PI8X_EXTENSION Ext)
{
    KIRQL oldIrql;
    PIRP irp;

    irp = Ext->Command.Irp;
    Ext->Command.Irp = NULL;
    Ext->Command.State = I8xCommandIdle;
    if (irp != NULL) {
        KeRaiseIrql(DISPATCH_LEVEL, &oldIrql);      /* IoStartNextPacket runs at DISPATCH */
        I8xFinishCommandIrp(Ext, irp, STATUS_DEVICE_NOT_READY);
        KeLowerIrql(oldIrql);
    }
}

/* ======================================================================================
 * Controller initialisation by polling (PASSIVE_LEVEL, interrupts off in the command byte)
 * ====================================================================================== */

/* The controller takes a write only when its input buffer is empty. Not pageable: the ISR
   writes command bytes to the keyboard through it at DIRQL. */
static BOOLEAN I8xWaitInputEmpty(PI8X_EXTENSION Ext)
{
    ULONG i;

    for (i = 0; i < I8X_INPUT_EMPTY_POLLS; i++) {
        if ((READ_PORT_UCHAR(Ext->CommandPort) & I8042_STATUS_INPUT_FULL) == 0) {
            return TRUE;
        }
        KeStallExecutionProcessor(1);
    }
    return FALSE;
}

static NTSTATUS I8xPutCommand(PI8X_EXTENSION Ext, UCHAR Command)
{
    if (!I8xWaitInputEmpty(Ext)) {
        return STATUS_IO_TIMEOUT;
    }
    WRITE_PORT_UCHAR(Ext->CommandPort, Command);
    return STATUS_SUCCESS;
}

static NTSTATUS I8xPutData(PI8X_EXTENSION Ext, UCHAR Data)
{
    if (!I8xWaitInputEmpty(Ext)) {
        return STATUS_IO_TIMEOUT;
    }
    WRITE_PORT_UCHAR(Ext->DataPort, Data);
    return STATUS_SUCCESS;
}

/* 0x60 + the byte. Also used at DIRQL (enable/disable interrupts under the interrupt lock). */
static NTSTATUS I8xWriteCommandByte(PI8X_EXTENSION Ext, UCHAR CommandByte)
{
    NTSTATUS status;

    status = I8xPutCommand(Ext, I8042_WRITE_COMMAND_BYTE);
    if (NT_SUCCESS(status)) {
        status = I8xPutData(Ext, CommandByte);
    }
    if (NT_SUCCESS(status)) {
        Ext->CommandByte = CommandByte;
    }
    return status;
}

/* Waits for a byte from Device. A byte from the other one (a key pressed while the mouse is
   being reset, say) is read and dropped: it would otherwise block the output buffer. */
static NTSTATUS I8xGetBytePolled(PI8X_EXTENSION Ext, I8X_DEVICE Device, ULONG TimeoutUs, PUCHAR Byte)
{
    ULONG waited = 0;
    UCHAR status;
    UCHAR value;
    BOOLEAN fromAux;

    PAGED_CODE();

    for (;;) {
        status = READ_PORT_UCHAR(Ext->CommandPort);
        if (status & I8042_STATUS_OUTPUT_FULL) {
            value = READ_PORT_UCHAR(Ext->DataPort);
            fromAux = (status & I8042_STATUS_AUX_OUTPUT_FULL) != 0;
            if (fromAux == (Device == I8xAuxiliary)) {
                *Byte = value;
                return STATUS_SUCCESS;
            }
            Ext->Stats.DiscardedBytes++;    /* and keep waiting, within the same timeout */
        }
        if (waited >= TimeoutUs) {
            *Byte = 0;
            return STATUS_IO_TIMEOUT;
        }
        KeStallExecutionProcessor(I8X_POLL_STEP_US);
        waited += I8X_POLL_STEP_US;
    }
}

/* A controller command that answers with one byte (20, AA, AB, A9). */
static NTSTATUS I8xControllerQuery(PI8X_EXTENSION Ext, UCHAR Command, PUCHAR Reply)
{
    NTSTATUS status;

    PAGED_CODE();

    status = I8xPutCommand(Ext, Command);
    if (!NT_SUCCESS(status)) {
        *Reply = 0;
        return status;
    }
    return I8xGetBytePolled(Ext, I8xKeyboardOrController, I8X_CONTROLLER_TIMEOUT_US, Reply);
}

/* One byte to the keyboard or (behind D4) the mouse, until it is acknowledged. RESEND means
   the device did not get it: send it again, a few times. Scan codes or movement that were
   already on their way before the ACK are skipped. */
static NTSTATUS I8xSendDeviceByte(PI8X_EXTENSION Ext, I8X_DEVICE Device, UCHAR Byte)
{
    ULONG attempt;
    ULONG stray;
    NTSTATUS status;
    UCHAR reply;

    PAGED_CODE();

    for (attempt = 0; attempt <= I8X_RESEND_LIMIT; attempt++) {
        if (Device == I8xAuxiliary) {
            status = I8xPutCommand(Ext, I8042_WRITE_TO_AUX_DEVICE);
            if (!NT_SUCCESS(status)) {
                return status;
            }
        }
        status = I8xPutData(Ext, Byte);
        if (!NT_SUCCESS(status)) {
            return status;
        }
        for (stray = 0; stray < I8X_FLUSH_LIMIT; stray++) {
            status = I8xGetBytePolled(Ext, Device, I8X_ACK_TIMEOUT_US, &reply);
            if (!NT_SUCCESS(status)) {
                return status;
            }
            if (reply == PS2_ACKNOWLEDGE) {
                return STATUS_SUCCESS;
            }
            if (reply == PS2_RESEND) {
                break;
            }
            Ext->Stats.DiscardedBytes++;
        }
    }
    return STATUS_IO_DEVICE_ERROR;
}

/* Drops whatever the devices sent before we took over (the BIOS's last key, a mouse packet). */
static VOID I8xFlushOutputBuffer(PI8X_EXTENSION Ext)
{
    ULONG i;

    PAGED_CODE();

    for (i = 0; i < I8X_FLUSH_LIMIT; i++) {
        if ((READ_PORT_UCHAR(Ext->CommandPort) & I8042_STATUS_OUTPUT_FULL) == 0) {
            break;
        }
        (VOID)READ_PORT_UCHAR(Ext->DataPort);
        KeStallExecutionProcessor(I8X_POLL_STEP_US);
    }
}

static NTSTATUS I8xInitializeController(PI8X_EXTENSION Ext)
{
    NTSTATUS status;
    UCHAR reply;
    UCHAR commandByte;
    BOOLEAN keyboardInterfaceOk;
    BOOLEAN auxInterfaceOk;

    PAGED_CODE();

    /* What a previous start found no longer counts. */
    Ext->KeyboardPresent = FALSE;
    Ext->MousePresent = FALSE;
    Ext->MouseId = MOU_ID_STANDARD;
    Ext->MousePacketSize = 3;
    Ext->MouseByte = 0;
    Ext->MouseButtons = 0;
    Ext->KeyboardPrefix = 0;

    /* 1. Both devices off, so that only the controller talks; then drop stale bytes. */
    status = I8xPutCommand(Ext, I8042_DISABLE_KEYBOARD_DEVICE);
    if (NT_SUCCESS(status)) {
        status = I8xPutCommand(Ext, I8042_DISABLE_AUX_DEVICE);
    }
    if (!NT_SUCCESS(status)) {
        DbgPrint("I8x: the controller does not take commands\n");
        return STATUS_NO_SUCH_DEVICE;
    }
    I8xFlushOutputBuffer(Ext);

    /* 2. The command byte: interrupts off (we poll until the ISRs are connected), set 2 -> 1
          translation on, both device clocks still off. */
    status = I8xControllerQuery(Ext, I8042_READ_COMMAND_BYTE, &commandByte);
    if (!NT_SUCCESS(status)) {
        DbgPrint("I8x: no reply to READ_COMMAND_BYTE\n");
        return STATUS_NO_SUCH_DEVICE;
    }
    commandByte = (UCHAR)((commandByte & ~CCB_INTERRUPTS) | CCB_DEVICES_DISABLED | CCB_TRANSLATE | CCB_SYSTEM_FLAG);
    status = I8xWriteCommandByte(Ext, commandByte);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* 3. Controller self-test. Some controllers reset the command byte with it: write ours
          again afterwards. */
    status = I8xControllerQuery(Ext, I8042_SELF_TEST, &reply);
    if (!NT_SUCCESS(status) || reply != I8042_SELF_TEST_PASSED) {
        DbgPrint("I8x: controller self-test failed (0x%02X)\n", reply);
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    status = I8xWriteCommandByte(Ext, commandByte);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* 4. The two interface (clock and data line) tests. */
    status = I8xControllerQuery(Ext, I8042_TEST_KEYBOARD_INTERFACE, &reply);
    keyboardInterfaceOk = NT_SUCCESS(status) && reply == I8042_INTERFACE_TEST_PASSED;
    status = I8xControllerQuery(Ext, I8042_TEST_AUX_INTERFACE, &reply);
    auxInterfaceOk = NT_SUCCESS(status) && reply == I8042_INTERFACE_TEST_PASSED;
    DbgPrint("I8x: controller self-test passed; keyboard interface %s, mouse interface %s\n",
             keyboardInterfaceOk ? "OK" : "failed", auxInterfaceOk ? "OK" : "failed");

    /* 5. The devices, each with only its own port enabled. */
    if (keyboardInterfaceOk) {
        Ext->KeyboardPresent = NT_SUCCESS(I8xInitializeKeyboard(Ext));
    }
    if (auxInterfaceOk && Ext->MouseIrq.Found) {
        Ext->MousePresent = NT_SUCCESS(I8xInitializeMouse(Ext));
    }
    if (!Ext->KeyboardPresent && !Ext->MousePresent) {
        return STATUS_NO_SUCH_DEVICE;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS I8xInitializeKeyboard(PI8X_EXTENSION Ext)
{
    NTSTATUS status;
    UCHAR reply = 0;

    PAGED_CODE();

    status = I8xPutCommand(Ext, I8042_ENABLE_KEYBOARD_DEVICE);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* Reset: ACK, then the result of the keyboard's self-test (BAT). */
    status = I8xSendDeviceByte(Ext, I8xKeyboardOrController, PS2_RESET);
    if (NT_SUCCESS(status)) {
        status = I8xGetBytePolled(Ext, I8xKeyboardOrController, I8X_RESET_TIMEOUT_US, &reply);
    }
    if (!NT_SUCCESS(status) || reply != PS2_SELF_TEST_PASSED) {
        DbgPrint("I8x: no keyboard (reset: 0x%08X, 0x%02X)\n", status, reply);
        (VOID)I8xPutCommand(Ext, I8042_DISABLE_KEYBOARD_DEVICE);
        return NT_SUCCESS(status) ? STATUS_DEVICE_NOT_CONNECTED : status;
    }

    /* LEDs off (kbdclass sets them once it has connected), then the typematic rate. */
    status = I8xSendDeviceByte(Ext, I8xKeyboardOrController, KBD_SET_LEDS);
    if (NT_SUCCESS(status)) {
        status = I8xSendDeviceByte(Ext, I8xKeyboardOrController, I8xLedByte(Ext->Indicators.LedFlags));
    }
    if (NT_SUCCESS(status)) {
        status = I8xSendDeviceByte(Ext, I8xKeyboardOrController, KBD_SET_TYPEMATIC);
    }
    if (NT_SUCCESS(status)) {
        status = I8xSendDeviceByte(Ext, I8xKeyboardOrController, I8xTypematicByte(&Ext->Typematic));
    }

    /* Clock off again until the interrupts are on: keys pressed meanwhile wait in the
       keyboard's own buffer. */
    (VOID)I8xPutCommand(Ext, I8042_DISABLE_KEYBOARD_DEVICE);
    if (!NT_SUCCESS(status)) {
        DbgPrint("I8x: keyboard does not take LED/typematic commands (0x%08X)\n", status);
        return status;
    }
    DbgPrint("I8x: keyboard reset, LEDs 0x%02X, typematic %u cps / %u ms\n",
             I8xLedByte(Ext->Indicators.LedFlags), Ext->Typematic.Rate, Ext->Typematic.Delay);
    return STATUS_SUCCESS;
}

/* Sample rate (F3 + rate): also the IntelliMouse "knock". */
static NTSTATUS I8xSetMouseSampleRate(PI8X_EXTENSION Ext, UCHAR Rate)
{
    NTSTATUS status;

    status = I8xSendDeviceByte(Ext, I8xAuxiliary, MOU_SET_SAMPLE_RATE);
    if (NT_SUCCESS(status)) {
        status = I8xSendDeviceByte(Ext, I8xAuxiliary, Rate);
    }
    return status;
}

static NTSTATUS I8xInitializeMouse(PI8X_EXTENSION Ext)
{
    NTSTATUS status;
    UCHAR bat = 0;
    UCHAR id = 0;

    PAGED_CODE();

    status = I8xPutCommand(Ext, I8042_ENABLE_AUX_DEVICE);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* Reset: ACK, self-test result AA, then the device ID (00). */
    status = I8xSendDeviceByte(Ext, I8xAuxiliary, PS2_RESET);
    if (NT_SUCCESS(status)) {
        status = I8xGetBytePolled(Ext, I8xAuxiliary, I8X_RESET_TIMEOUT_US, &bat);
    }
    if (NT_SUCCESS(status)) {
        status = I8xGetBytePolled(Ext, I8xAuxiliary, I8X_ACK_TIMEOUT_US, &id);
    }
    if (!NT_SUCCESS(status) || bat != PS2_SELF_TEST_PASSED) {
        DbgPrint("I8x: no mouse (reset: 0x%08X, 0x%02X)\n", status, bat);
        (VOID)I8xPutCommand(Ext, I8042_DISABLE_AUX_DEVICE);
        return NT_SUCCESS(status) ? STATUS_DEVICE_NOT_CONNECTED : status;
    }

    /* IntelliMouse detection: sample rates 200, 100, 80 in a row switch a wheel mouse to
       ID 3 (4-byte packets with Z); a plain mouse still answers 0. */
    status = I8xSetMouseSampleRate(Ext, 200);
    if (NT_SUCCESS(status)) {
        status = I8xSetMouseSampleRate(Ext, 100);
    }
    if (NT_SUCCESS(status)) {
        status = I8xSetMouseSampleRate(Ext, 80);
    }
    if (NT_SUCCESS(status)) {
        status = I8xSendDeviceByte(Ext, I8xAuxiliary, MOU_GET_DEVICE_ID);
    }
    if (NT_SUCCESS(status)) {
        status = I8xGetBytePolled(Ext, I8xAuxiliary, I8X_ACK_TIMEOUT_US, &id);
    }
    if (!NT_SUCCESS(status)) {
        (VOID)I8xPutCommand(Ext, I8042_DISABLE_AUX_DEVICE);
        return status;
    }
    Ext->MouseId = id;
    Ext->MousePacketSize = id == MOU_ID_WHEEL ? 4 : 3;
    DbgPrint("I8x: mouse ID %u: %s\n", id,
             id == MOU_ID_WHEEL ? "wheel mouse (IntelliMouse), 4-byte packets" : "PS/2 mouse, 3-byte packets");

    /* Our resolution and rate, then stream mode reporting. */
    status = I8xSendDeviceByte(Ext, I8xAuxiliary, MOU_SET_RESOLUTION);
    if (NT_SUCCESS(status)) {
        status = I8xSendDeviceByte(Ext, I8xAuxiliary, I8X_MOUSE_RESOLUTION);
    }
    if (NT_SUCCESS(status)) {
        status = I8xSetMouseSampleRate(Ext, I8X_MOUSE_SAMPLE_RATE);
    }
    if (NT_SUCCESS(status)) {
        status = I8xSendDeviceByte(Ext, I8xAuxiliary, MOU_ENABLE_REPORTING);
    }

    /* Clock off until the interrupts are on: packets wait in the mouse. */
    (VOID)I8xPutCommand(Ext, I8042_DISABLE_AUX_DEVICE);
    return status;
}

/* KEYBOARD_INDICATOR_PARAMETERS.LedFlags -> the keyboard's LED byte. */
static UCHAR I8xLedByte(USHORT LedFlags)
{
    UCHAR leds = 0;

    if (LedFlags & KEYBOARD_SCROLL_LOCK_ON) {
        leds |= KBD_LED_SCROLL_LOCK;
    }
    if (LedFlags & KEYBOARD_NUM_LOCK_ON) {
        leds |= KBD_LED_NUM_LOCK;
    }
    if (LedFlags & KEYBOARD_CAPS_LOCK_ON) {
        leds |= KBD_LED_CAPS_LOCK;
    }
    return leds;
}

/* KEYBOARD_TYPEMATIC_PARAMETERS -> the typematic byte: bits 5-6 the delay (250 ms steps from
   250), bits 0-4 the rate, whose repeat period is (8 + b0-2) * 2^b3-4 * 4.17 ms. The fastest
   code whose rate does not exceed the request is taken. */
static UCHAR I8xTypematicByte(PKEYBOARD_TYPEMATIC_PARAMETERS Typematic)
{
    ULONG delay;
    ULONG code;
    ULONG rateX100;

    delay = Typematic->Delay <= 250 ? 0 : (Typematic->Delay - 1) / 250;
    if (delay > 3) {
        delay = 3;
    }
    for (code = 0; code < 31; code++) {
        rateX100 = 100000000 / ((8 + (code & 7)) * (1UL << ((code >> 3) & 3)) * 4170);
        if (rateX100 <= (ULONG)Typematic->Rate * 100 + 50) {
            break;
        }
    }
    return (UCHAR)((delay << 5) | code);
}

/* ======================================================================================
 * Interrupt handling
 * ====================================================================================== */

/* Calls Routine excluding both ISRs. The caller holds StateLock, which keeps the interrupt
   objects from being disconnected meanwhile. Before the interrupts are connected, or after
   they are gone, no ISR can run: a plain call will do. */
static BOOLEAN I8xSynchronize(PI8X_EXTENSION Ext, PKSYNCHRONIZE_ROUTINE Routine, PVOID Context)
{
    PKINTERRUPT interrupt = Ext->KeyboardInterrupt != NULL ? Ext->KeyboardInterrupt : Ext->MouseInterrupt;

    if (Ext->InterruptsConnected && interrupt != NULL) {
        /* Either object will do: both use InterruptSpinLock at SynchronizeIrql. */
        return KeSynchronizeExecution(interrupt, Routine, Context);
    }
    return Routine(Context);
}

/* Appends a packet for the DPC. DIRQL, interrupt spin lock held. FALSE if there is no class
   driver to give it to (the packet is dropped). */
static BOOLEAN I8xQueueInput(PI8X_INPUT_PORT Port, PVOID Packet)
{
    ULONG in;

    if (Port->Connect.ClassService == NULL) {
        return FALSE;
    }
    if (Port->Count >= Port->Length) {
        Port->Overruns++;                   /* the DPC reports it */
        return TRUE;
    }
    in = (Port->Out + Port->Count) % Port->Length;
    RtlCopyMemory(Port->Ring + in * Port->ElementSize, Packet, Port->ElementSize);
    Port->Count++;
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN I8xKeyboardInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)ServiceContext;
    KEYBOARD_INPUT_DATA input;
    UCHAR status;
    UCHAR scan;

    UNREFERENCED_PARAMETER(Interrupt);

    /* 1. Ours only if a byte waits and it is not the mouse's (IRQ 12 brings that one). */
    status = READ_PORT_UCHAR(ext->CommandPort);
    if ((status & (I8042_STATUS_OUTPUT_FULL | I8042_STATUS_AUX_OUTPUT_FULL)) != I8042_STATUS_OUTPUT_FULL) {
        return FALSE;
    }
    scan = READ_PORT_UCHAR(ext->DataPort);      /* empties the output buffer */
    ext->Stats.KeyboardInterrupts++;

    /* 2. Replies to a command are not keys: they drive the command state machine. */
    if (scan == PS2_ACKNOWLEDGE || scan == PS2_RESEND) {
        if (ext->Command.State == I8xCommandSending) {
            I8xKeyboardCommandReply(ext, scan);
        } else {
            ext->Stats.UnexpectedReplies++;
        }
        return TRUE;
    }

    /* 3. Prefixes apply to the next code. */
    if (scan == SCAN_PREFIX_E0) {
        ext->KeyboardPrefix = KEY_E0;
        return TRUE;
    }
    if (scan == SCAN_PREFIX_E1) {
        ext->KeyboardPrefix = KEY_E1;
        return TRUE;
    }

    /* 4. A make or break code (set 1: bit 7 = released). */
    input.UnitId = 0;
    input.Reserved = 0;
    input.ExtraInformation = 0;
    if (scan == SCAN_ERROR_SET1 || scan == SCAN_ERROR_SET1_ALT) {
        /* The keyboard's own buffer overflowed. */
        input.MakeCode = KEYBOARD_OVERRUN_MAKE_CODE;
        input.Flags = KEY_MAKE;
    } else {
        input.MakeCode = scan & (UCHAR)~SCAN_BREAK_BIT;
        input.Flags = (USHORT)(((scan & SCAN_BREAK_BIT) ? KEY_BREAK : KEY_MAKE) | ext->KeyboardPrefix);
    }
    ext->KeyboardPrefix = 0;

    /* The last free slot carries an overrun code instead, so kbdclass learns that keys are
       being lost (it then releases the keys it thinks are down). */
    if (ext->Keyboard.Connect.ClassService != NULL && ext->Keyboard.Count == ext->Keyboard.Length - 1) {
        input.MakeCode = KEYBOARD_OVERRUN_MAKE_CODE;
        input.Flags = KEY_MAKE;
        ext->Keyboard.Overruns++;
    }

    /* 5. Last: hand it to the DPC. */
    if (I8xQueueInput(&ext->Keyboard, &input)) {
        KeInsertQueueDpc(&ext->Keyboard.Dpc, NULL, NULL);
    }
    return TRUE;
}

/* The keyboard answered the command byte in flight. DIRQL, interrupt spin lock held. */
static VOID I8xKeyboardCommandReply(PI8X_EXTENSION Ext, UCHAR Reply)
{
    PI8X_KEYBOARD_COMMAND cmd = &Ext->Command;

    if (Reply == PS2_ACKNOWLEDGE) {
        cmd->Next++;
        cmd->Resends = 0;
        if (cmd->Next < RTL_NUMBER_OF(cmd->Bytes)) {
            /* The command byte was taken: now its parameter. */
            if (NT_SUCCESS(I8xPutData(Ext, cmd->Bytes[cmd->Next]))) {
                return;
            }
            cmd->Status = STATUS_IO_TIMEOUT;
        } else {
            cmd->Status = STATUS_SUCCESS;
        }
    } else if (cmd->Resends < I8X_RESEND_LIMIT && NT_SUCCESS(I8xPutData(Ext, cmd->Bytes[cmd->Next]))) {
        cmd->Resends++;
        return;
    } else {
        cmd->Status = STATUS_IO_DEVICE_ERROR;
    }
    /* Finished: the command DPC completes the IRP at DISPATCH_LEVEL. */
    cmd->State = I8xCommandDone;
    KeInsertQueueDpc(&Ext->CommandDpc, NULL, NULL);
}

_Use_decl_annotations_
BOOLEAN I8xMouseInterruptService(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)ServiceContext;
    MOUSE_INPUT_DATA input;
    ULONGLONG now;
    UCHAR status;
    UCHAR value;

    UNREFERENCED_PARAMETER(Interrupt);

    /* 1. Ours only if the byte waiting is the mouse's. */
    status = READ_PORT_UCHAR(ext->CommandPort);
    if ((status & (I8042_STATUS_OUTPUT_FULL | I8042_STATUS_AUX_OUTPUT_FULL)) !=
        (I8042_STATUS_OUTPUT_FULL | I8042_STATUS_AUX_OUTPUT_FULL)) {
        return FALSE;
    }
    value = READ_PORT_UCHAR(ext->DataPort);
    ext->Stats.MouseInterrupts++;

    /* 2. Stay in step with the packets: the bytes of one packet follow each other within
          a few ms, so a long gap means one was lost; and a first byte always has bit 3 set. */
    now = KeQueryInterruptTime();
    if (ext->MouseByte != 0 && now - ext->MouseLastByteTime > I8X_MOUSE_RESYNC_TIME_100NS) {
        ext->MouseByte = 0;
        ext->Stats.MouseResyncs++;
    }
    ext->MouseLastByteTime = now;
    if (ext->MouseByte == 0 && (value & MOU_B0_SYNC) == 0) {
        ext->Stats.MouseResyncs++;
        return TRUE;
    }

    ext->MousePacket[ext->MouseByte++] = value;
    if (ext->MouseByte < ext->MousePacketSize) {
        return TRUE;
    }
    ext->MouseByte = 0;

    /* 3. A whole packet: hand it to the DPC. */
    I8xBuildMouseInput(ext, &input);
    if (I8xQueueInput(&ext->Mouse, &input)) {
        KeInsertQueueDpc(&ext->Mouse.Dpc, NULL, NULL);
    }
    return TRUE;
}

/* MousePacket -> MOUSE_INPUT_DATA. DIRQL, interrupt spin lock held.
   - X and Y are 9-bit two's complement (sign in byte 0). PS/2 counts Y upward; Windows'
     relative motion counts it downward (screen coordinates), so Y is negated.
   - ButtonFlags report transitions against the previous packet; RawButtons the state.
   - Byte 3 of a wheel mouse is Z, negative when the wheel turns away from the user; Windows
     wants a positive ButtonData (in WHEEL_DELTA units) for that direction, so it is -Z. */
static VOID I8xBuildMouseInput(PI8X_EXTENSION Ext, PMOUSE_INPUT_DATA Input)
{
    UCHAR b0 = Ext->MousePacket[0];
    UCHAR buttons = b0 & MOU_B0_BUTTONS;
    UCHAR changed = buttons ^ Ext->MouseButtons;
    LONG x = Ext->MousePacket[1];
    LONG y = Ext->MousePacket[2];
    LONG z;
    USHORT flags = 0;

    if (b0 & MOU_B0_X_SIGN) {
        x -= 256;
    }
    if (b0 & MOU_B0_Y_SIGN) {
        y -= 256;
    }
    /* Overflow: the counter wrapped; report the largest motion in its direction. */
    if (b0 & MOU_B0_X_OVERFLOW) {
        x = (b0 & MOU_B0_X_SIGN) ? -256 : 255;
    }
    if (b0 & MOU_B0_Y_OVERFLOW) {
        y = (b0 & MOU_B0_Y_SIGN) ? -256 : 255;
    }

    if (changed & MOU_B0_LEFT) {
        flags |= (buttons & MOU_B0_LEFT) ? MOUSE_LEFT_BUTTON_DOWN : MOUSE_LEFT_BUTTON_UP;
    }
    if (changed & MOU_B0_RIGHT) {
        flags |= (buttons & MOU_B0_RIGHT) ? MOUSE_RIGHT_BUTTON_DOWN : MOUSE_RIGHT_BUTTON_UP;
    }
    if (changed & MOU_B0_MIDDLE) {
        flags |= (buttons & MOU_B0_MIDDLE) ? MOUSE_MIDDLE_BUTTON_DOWN : MOUSE_MIDDLE_BUTTON_UP;
    }
    Ext->MouseButtons = buttons;

    RtlZeroMemory(Input, sizeof(*Input));
    Input->UnitId = 0;
    Input->Flags = MOUSE_MOVE_RELATIVE;
    Input->LastX = x;
    Input->LastY = -y;
    Input->RawButtons = ((buttons & MOU_B0_LEFT) ? MOUSE_LEFT_BUTTON_DOWN : 0) |
                        ((buttons & MOU_B0_RIGHT) ? MOUSE_RIGHT_BUTTON_DOWN : 0) |
                        ((buttons & MOU_B0_MIDDLE) ? MOUSE_MIDDLE_BUTTON_DOWN : 0);
    if (Ext->MousePacketSize == 4) {
        z = (CHAR)Ext->MousePacket[3];
        if (z != 0) {
            flags |= MOUSE_WHEEL;
            Input->ButtonData = (USHORT)(-z * WHEEL_DELTA);
        }
    }
    Input->ButtonFlags = flags;
}

_Use_decl_annotations_
BOOLEAN I8xEnableControllerInterrupts(PVOID SynchronizeContext)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)SynchronizeContext;
    UCHAR commandByte = (UCHAR)(ext->CommandByte & ~(CCB_INTERRUPTS | CCB_DEVICES_DISABLED));

    /* Clock and interrupt on for each device found; the other stays off. */
    commandByte |= ext->KeyboardPresent ? CCB_ENABLE_KEYBOARD_INTERRUPT : CCB_DISABLE_KEYBOARD_DEVICE;
    commandByte |= ext->MousePresent ? CCB_ENABLE_AUX_INTERRUPT : CCB_DISABLE_AUX_DEVICE;
    return NT_SUCCESS(I8xWriteCommandByte(ext, commandByte));
}

_Use_decl_annotations_
BOOLEAN I8xDisableControllerInterrupts(PVOID SynchronizeContext)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)SynchronizeContext;

    /* Both interrupts and both clocks off: the devices keep what they have to send. */
    return NT_SUCCESS(I8xWriteCommandByte(ext, (UCHAR)((ext->CommandByte & ~CCB_INTERRUPTS) | CCB_DEVICES_DISABLED)));
}

/* ======================================================================================
 * DPCs: packets to the class drivers (DISPATCH_LEVEL)
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN I8xSnapshotRing(PVOID SynchronizeContext)
{
    PI8X_RING_SYNC sync = (PI8X_RING_SYNC)SynchronizeContext;
    PI8X_INPUT_PORT port = sync->Port;

    sync->Out = port->Out;
    sync->Count = port->Count;
    sync->Overruns = port->Overruns;
    sync->Connect = port->Connect;
    port->Overruns = 0;
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN I8xRetireRing(PVOID SynchronizeContext)
{
    PI8X_RING_SYNC sync = (PI8X_RING_SYNC)SynchronizeContext;
    PI8X_INPUT_PORT port = sync->Port;

    /* The ISR only appended meanwhile: Out is still where the snapshot saw it. */
    port->Out = (port->Out + sync->Consumed) % port->Length;
    port->Count -= sync->Consumed;
    return TRUE;
}

/* Hands the ring's packets to the class service: one contiguous run per call, so two calls
   when the packets wrap around the end of the ring. The run's slots stay the DPC's until
   I8xRetireRing, so the class service reads them without the interrupt lock (it completes
   kbdclass's read IRPs, which must not happen under a spin lock). */
static VOID I8xDeliverInput(PI8X_EXTENSION Ext, PI8X_INPUT_PORT Port, PULONG Delivered)
{
    /* The ISR on another processor may queue this DPC again while it runs here, and then it
       runs there too. The first instance does the work; a later one only tells it to look
       again, so no packet is handed up twice or out of order. */
    if (InterlockedIncrement(&Port->DpcActive) != 1) {
        return;
    }
    do {
        InterlockedExchange(&Port->DpcActive, 1);
        I8xDeliverRuns(Ext, Port, Delivered);
    } while (InterlockedDecrement(&Port->DpcActive) != 0);
}

static VOID I8xDeliverRuns(PI8X_EXTENSION Ext, PI8X_INPUT_PORT Port, PULONG Delivered)
{
    I8X_RING_SYNC sync;
    PUCHAR first;
    ULONG consumed;
    ULONG run;
    ULONG pass;
    BOOLEAN connected;

    for (pass = 0; pass < 2; pass++) {
        RtlZeroMemory(&sync, sizeof(sync));
        sync.Port = Port;

        KeAcquireSpinLockAtDpcLevel(&Ext->StateLock);
        connected = Ext->InterruptsConnected;
        if (connected) {
            I8xSynchronize(Ext, I8xSnapshotRing, &sync);
        }
        KeReleaseSpinLockFromDpcLevel(&Ext->StateLock);
        if (!connected) {
            return;                         /* stopping: I8xStopDevice drops the rest */
        }

        if (sync.Overruns != 0) {
            InterlockedExchangeAdd((volatile LONG *)&Ext->Stats.Overruns, (LONG)sync.Overruns);
            DbgPrint("I8x: %s: %lu packets lost, the ring was full\n", Port->Name, sync.Overruns);
        }
        if (sync.Count == 0) {
            return;
        }

        run = Port->Length - sync.Out;
        if (run > sync.Count) {
            run = sync.Count;
        }
        first = Port->Ring + sync.Out * Port->ElementSize;
        consumed = run;                     /* no class driver (disconnected): dropped */
        if (sync.Connect.ClassService != NULL) {
            consumed = 0;
            (*(PSERVICE_CALLBACK_ROUTINE)(ULONG_PTR)sync.Connect.ClassService)(
                sync.Connect.ClassDeviceObject, first, first + run * Port->ElementSize, &consumed);
            if (consumed > run) {
                consumed = run;
            }
        }
        *Delivered += consumed;

        sync.Consumed = consumed;
        KeAcquireSpinLockAtDpcLevel(&Ext->StateLock);
        if (Ext->InterruptsConnected) {
            I8xSynchronize(Ext, I8xRetireRing, &sync);
        }
        KeReleaseSpinLockFromDpcLevel(&Ext->StateLock);

        if (consumed < run) {
            /* The class driver's queue is full: the rest waits for the next interrupt's DPC
               (and the ring's overrun handling if that takes too long). */
            return;
        }
    }
}

_Use_decl_annotations_
VOID I8xKeyboardDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeferredContext;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    I8xDeliverInput(ext, &ext->Keyboard, &ext->Stats.KeyboardPackets);
}

_Use_decl_annotations_
VOID I8xMouseDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeferredContext;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    I8xDeliverInput(ext, &ext->Mouse, &ext->Stats.MousePackets);
}

/* ======================================================================================
 * Keyboard commands (LEDs, typematic): StartIo -> ISR -> command DPC
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN I8xStartKeyboardCommand(PVOID SynchronizeContext)
{
    PI8X_COMMAND_START start = (PI8X_COMMAND_START)SynchronizeContext;
    PI8X_EXTENSION ext = start->Extension;
    PI8X_KEYBOARD_COMMAND cmd = &ext->Command;

    cmd->Bytes[0] = start->Bytes[0];
    cmd->Bytes[1] = start->Bytes[1];
    cmd->Next = 0;
    cmd->Resends = 0;
    cmd->Irp = start->Irp;
    cmd->Deadline = start->Deadline;
    cmd->Status = STATUS_PENDING;
    cmd->State = I8xCommandSending;

    /* The ISR sends the parameter when the keyboard ACKs this byte. */
    if (!NT_SUCCESS(I8xPutData(ext, cmd->Bytes[0]))) {
        cmd->Status = STATUS_IO_TIMEOUT;
        cmd->State = I8xCommandDone;
        KeInsertQueueDpc(&ext->CommandDpc, NULL, NULL);
    }
    return TRUE;
}

/* Takes the command's IRP if it is finished (or, for the timeout DPC, overdue), leaving the
   state machine idle. Whoever takes it completes it: the command DPC and the timeout DPC
   can both be on their way. */
_Use_decl_annotations_
BOOLEAN I8xTakeFinishedCommand(PVOID SynchronizeContext)
{
    PI8X_COMMAND_TAKE take = (PI8X_COMMAND_TAKE)SynchronizeContext;
    PI8X_KEYBOARD_COMMAND cmd = &take->Extension->Command;

    take->Irp = NULL;
    if (take->OnlyIfExpired) {
        /* A timer set for an earlier command may fire late: check this command's deadline. */
        if (cmd->State != I8xCommandSending || KeQueryInterruptTime() < cmd->Deadline) {
            return FALSE;
        }
        take->Status = STATUS_IO_TIMEOUT;
    } else {
        if (cmd->State != I8xCommandDone) {
            return FALSE;
        }
        take->Status = cmd->Status;
    }
    take->Irp = cmd->Irp;
    take->Command = cmd->Bytes[0];
    cmd->Irp = NULL;
    cmd->State = I8xCommandIdle;
    return TRUE;
}

_Use_decl_annotations_
VOID I8xStartIo(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    I8X_COMMAND_START start;
    LARGE_INTEGER dueTime;
    KIRQL cancelIrql;
    BOOLEAN started = FALSE;

    /* The cancel routine may have this IRP already: then it completes it (and starts the
       next packet). Otherwise it is no longer cancellable: the command takes at most
       I8X_COMMAND_TIMEOUT_MS. */
    IoAcquireCancelSpinLock(&cancelIrql);
    if (Irp != DeviceObject->CurrentIrp || Irp->Cancel) {
        IoReleaseCancelSpinLock(cancelIrql);
        return;
    }
    IoSetCancelRoutine(Irp, NULL);
    IoReleaseCancelSpinLock(cancelIrql);

    start.Extension = ext;
    start.Irp = Irp;
    if (stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_KEYBOARD_SET_INDICATORS) {
        start.Bytes[0] = KBD_SET_LEDS;
        start.Bytes[1] = I8xLedByte(((PKEYBOARD_INDICATOR_PARAMETERS)Irp->AssociatedIrp.SystemBuffer)->LedFlags);
    } else {
        start.Bytes[0] = KBD_SET_TYPEMATIC;
        start.Bytes[1] = I8xTypematicByte((PKEYBOARD_TYPEMATIC_PARAMETERS)Irp->AssociatedIrp.SystemBuffer);
    }
    /* The deadline is taken before the timer is set, so the timer never fires before it. */
    start.Deadline = KeQueryInterruptTime() + (ULONGLONG)I8X_COMMAND_TIMEOUT_MS * 10000;
    dueTime.QuadPart = -(LONGLONG)I8X_COMMAND_TIMEOUT_MS * 10000;

    /* StartIo runs at DISPATCH_LEVEL. StateLock keeps the stop path from disconnecting the
       interrupts between the check and the write. */
    KeAcquireSpinLockAtDpcLevel(&ext->StateLock);
    if (ext->Started && ext->InterruptsConnected && ext->KeyboardPresent) {
        KeSetTimer(&ext->CommandTimer, dueTime, &ext->CommandTimeoutDpc);
        I8xSynchronize(ext, I8xStartKeyboardCommand, &start);
        started = TRUE;
    }
    KeReleaseSpinLockFromDpcLevel(&ext->StateLock);

    if (!started) {
        I8xFinishCommandIrp(ext, Irp, STATUS_DEVICE_NOT_READY);
    }
}

/* Completes a keyboard command's IRP and starts the next one. DISPATCH_LEVEL. */
static VOID I8xFinishCommandIrp(PI8X_EXTENSION Ext, PIRP Irp, NTSTATUS Status)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);

    if (NT_SUCCESS(Status)) {
        /* What the keyboard now has, for the QUERY IOCTLs. */
        KeAcquireSpinLockAtDpcLevel(&Ext->StateLock);
        if (stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_KEYBOARD_SET_INDICATORS) {
            Ext->Indicators = *(PKEYBOARD_INDICATOR_PARAMETERS)Irp->AssociatedIrp.SystemBuffer;
        } else {
            Ext->Typematic = *(PKEYBOARD_TYPEMATIC_PARAMETERS)Irp->AssociatedIrp.SystemBuffer;
        }
        KeReleaseSpinLockFromDpcLevel(&Ext->StateLock);
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoStartNextPacket(Ext->Self, TRUE);
    IoReleaseRemoveLock(&Ext->RemoveLock, Irp);
    IoCompleteRequest(Irp, IO_KEYBOARD_INCREMENT);
}

_Use_decl_annotations_
VOID I8xKeyboardCommandDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeferredContext;
    I8X_COMMAND_TAKE take;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    take.Extension = ext;
    take.OnlyIfExpired = FALSE;
    take.Irp = NULL;
    take.Status = STATUS_SUCCESS;
    take.Command = 0;
    KeAcquireSpinLockAtDpcLevel(&ext->StateLock);
    if (ext->InterruptsConnected) {
        I8xSynchronize(ext, I8xTakeFinishedCommand, &take);
    }
    KeReleaseSpinLockFromDpcLevel(&ext->StateLock);

    if (take.Irp != NULL) {
        KeCancelTimer(&ext->CommandTimer);
        I8xFinishCommandIrp(ext, take.Irp, take.Status);
    }
}

_Use_decl_annotations_
VOID I8xKeyboardCommandTimeoutDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeferredContext;
    I8X_COMMAND_TAKE take;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);

    take.Extension = ext;
    take.OnlyIfExpired = TRUE;
    take.Irp = NULL;
    take.Status = STATUS_IO_TIMEOUT;
    take.Command = 0;
    KeAcquireSpinLockAtDpcLevel(&ext->StateLock);
    if (ext->InterruptsConnected) {
        I8xSynchronize(ext, I8xTakeFinishedCommand, &take);
    }
    KeReleaseSpinLockFromDpcLevel(&ext->StateLock);

    if (take.Irp != NULL) {
        DbgPrint("I8x: keyboard command 0x%02X timed out\n", take.Command);
        I8xFinishCommandIrp(ext, take.Irp, take.Status);
    }
}

/* A queued (not yet started) command is cancelled. Entered holding the cancel spin lock. */
_Use_decl_annotations_
VOID I8xCancelQueuedCommand(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeviceObject->DeviceExtension;
    KIRQL oldIrql;

    if (Irp == DeviceObject->CurrentIrp) {
        /* StartIo has been handed this IRP but has not taken it yet: it will see Irp->Cancel
           and leave it to us. */
        IoReleaseCancelSpinLock(Irp->CancelIrql);
        KeRaiseIrql(DISPATCH_LEVEL, &oldIrql);
        IoStartNextPacket(DeviceObject, TRUE);
        KeLowerIrql(oldIrql);
    } else {
        KeRemoveEntryDeviceQueue(&DeviceObject->DeviceQueue, &Irp->Tail.Overlay.DeviceQueueEntry);
        IoReleaseCancelSpinLock(Irp->CancelIrql);
    }
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    I8xCompleteIrp(Irp, STATUS_CANCELLED, 0);
}

/* ======================================================================================
 * Requests
 * ====================================================================================== */

_Use_decl_annotations_
BOOLEAN I8xSetConnection(PVOID SynchronizeContext)
{
    PI8X_CONNECTION_CHANGE change = (PI8X_CONNECTION_CHANGE)SynchronizeContext;
    PI8X_INPUT_PORT port = change->Port;

    if (!change->Connect) {
        /* Packets already queued are dropped by the DPC (nobody to give them to). */
        port->Connect.ClassDeviceObject = NULL;
        port->Connect.ClassService = NULL;
        change->Status = STATUS_SUCCESS;
    } else if (port->Connect.ClassService != NULL) {
        change->Status = STATUS_SHARING_VIOLATION;      /* one class driver per port */
    } else if (!change->BufferValid || change->Data.ClassService == NULL) {
        change->Status = STATUS_INVALID_PARAMETER;
    } else {
        port->Connect = change->Data;
        change->Status = STATUS_SUCCESS;
    }
    return TRUE;
}

/* IOCTL_INTERNAL_{KEYBOARD,MOUSE}_{CONNECT,DISCONNECT}: METHOD_NEITHER, from the class driver
   (kernel mode), the CONNECT_DATA in Type3InputBuffer. */
static NTSTATUS I8xChangeConnection(PI8X_EXTENSION Ext, PI8X_INPUT_PORT Port, BOOLEAN Present,
                                    BOOLEAN Connect, PIO_STACK_LOCATION Stack)
{
    I8X_CONNECTION_CHANGE change;
    KIRQL oldIrql;

    if (!Present) {
        return STATUS_DEVICE_NOT_CONNECTED;
    }

    RtlZeroMemory(&change, sizeof(change));
    change.Port = Port;
    change.Connect = Connect;
    if (Connect && Stack->Parameters.DeviceIoControl.InputBufferLength >= sizeof(CONNECT_DATA) &&
        Stack->Parameters.DeviceIoControl.Type3InputBuffer != NULL) {
        /* Copied before the lock: it is the caller's memory. */
        change.Data = *(PCONNECT_DATA)Stack->Parameters.DeviceIoControl.Type3InputBuffer;
        change.BufferValid = TRUE;
    }

    /* The ISRs read Connect: change it under their lock. */
    KeAcquireSpinLock(&Ext->StateLock, &oldIrql);
    I8xSynchronize(Ext, I8xSetConnection, &change);
    KeReleaseSpinLock(&Ext->StateLock, oldIrql);

    /* After a disconnect the old class service must not be called any more: wait out a DPC
       that took it before the change. */
    if (!Connect && KeGetCurrentIrql() == PASSIVE_LEVEL) {
        KeFlushQueuedDpcs();
    }
    if (NT_SUCCESS(change.Status)) {
        DbgPrint("I8x: %s %s\n", Port->Name, Connect ? "connected to its class driver" : "disconnected");
    }
    return change.Status;
}

_Use_decl_annotations_
NTSTATUS I8xDispatchInternalDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = Irp->AssociatedIrp.SystemBuffer;
    PKEYBOARD_ATTRIBUTES kbdAttributes;
    PKEYBOARD_TYPEMATIC_PARAMETERS typematic;
    PMOUSE_ATTRIBUTES mouAttributes;
    ULONG_PTR information = 0;
    NTSTATUS status;
    KIRQL oldIrql;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return I8xCompleteIrp(Irp, status, 0);
    }

    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_INTERNAL_KEYBOARD_CONNECT:
        status = I8xChangeConnection(ext, &ext->Keyboard, ext->KeyboardPresent, TRUE, stack);
        break;
    case IOCTL_INTERNAL_KEYBOARD_DISCONNECT:
        status = I8xChangeConnection(ext, &ext->Keyboard, ext->KeyboardPresent, FALSE, stack);
        break;
    case IOCTL_INTERNAL_MOUSE_CONNECT:
        status = I8xChangeConnection(ext, &ext->Mouse, ext->MousePresent, TRUE, stack);
        break;
    case IOCTL_INTERNAL_MOUSE_DISCONNECT:
        status = I8xChangeConnection(ext, &ext->Mouse, ext->MousePresent, FALSE, stack);
        break;

    case IOCTL_KEYBOARD_QUERY_ATTRIBUTES:
        if (outLength < sizeof(KEYBOARD_ATTRIBUTES)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        kbdAttributes = (PKEYBOARD_ATTRIBUTES)buffer;
        RtlZeroMemory(kbdAttributes, sizeof(*kbdAttributes));
        kbdAttributes->KeyboardIdentifier.Type = 4;         /* enhanced 101/102-key */
        kbdAttributes->KeyboardIdentifier.Subtype = 0;
        kbdAttributes->KeyboardMode = 1;                    /* scan code set 1 (translated) */
        kbdAttributes->NumberOfFunctionKeys = 12;
        kbdAttributes->NumberOfIndicators = 3;
        kbdAttributes->NumberOfKeysTotal = 101;
        kbdAttributes->InputDataQueueLength = I8X_KEYBOARD_RING_LENGTH * sizeof(KEYBOARD_INPUT_DATA);
        kbdAttributes->KeyRepeatMinimum.Rate = 2;
        kbdAttributes->KeyRepeatMinimum.Delay = 250;
        kbdAttributes->KeyRepeatMaximum.Rate = 30;
        kbdAttributes->KeyRepeatMaximum.Delay = 1000;
        information = sizeof(KEYBOARD_ATTRIBUTES);
        status = STATUS_SUCCESS;
        break;

    case IOCTL_KEYBOARD_QUERY_INDICATORS:
    case IOCTL_KEYBOARD_QUERY_TYPEMATIC:
        if (stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_KEYBOARD_QUERY_INDICATORS) {
            information = sizeof(KEYBOARD_INDICATOR_PARAMETERS);
        } else {
            information = sizeof(KEYBOARD_TYPEMATIC_PARAMETERS);
        }
        if (outLength < information) {
            information = 0;
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        KeAcquireSpinLock(&ext->StateLock, &oldIrql);
        if (stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_KEYBOARD_QUERY_INDICATORS) {
            *(PKEYBOARD_INDICATOR_PARAMETERS)buffer = ext->Indicators;
        } else {
            *(PKEYBOARD_TYPEMATIC_PARAMETERS)buffer = ext->Typematic;
        }
        KeReleaseSpinLock(&ext->StateLock, oldIrql);
        status = STATUS_SUCCESS;
        break;

    case IOCTL_KEYBOARD_SET_INDICATORS:
    case IOCTL_KEYBOARD_SET_TYPEMATIC:
        if (stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_KEYBOARD_SET_INDICATORS) {
            status = inLength < sizeof(KEYBOARD_INDICATOR_PARAMETERS) ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
        } else {
            typematic = (PKEYBOARD_TYPEMATIC_PARAMETERS)buffer;
            status = inLength < sizeof(KEYBOARD_TYPEMATIC_PARAMETERS) || typematic->Rate == 0
                         ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
        }
        if (!NT_SUCCESS(status)) {
            break;
        }
        if (!ext->KeyboardPresent) {
            status = STATUS_DEVICE_NOT_CONNECTED;
            break;
        }
        /* One command at a time: StartIo sends it now or after the one in progress. The
           remove lock is released when it completes. */
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, NULL, I8xCancelQueuedCommand);
        return STATUS_PENDING;

    case IOCTL_MOUSE_QUERY_ATTRIBUTES:
        if (!ext->MousePresent) {
            status = STATUS_DEVICE_NOT_CONNECTED;
            break;
        }
        if (outLength < sizeof(MOUSE_ATTRIBUTES)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        mouAttributes = (PMOUSE_ATTRIBUTES)buffer;
        RtlZeroMemory(mouAttributes, sizeof(*mouAttributes));
        mouAttributes->MouseIdentifier = ext->MouseId == MOU_ID_WHEEL ? WHEELMOUSE_I8042_HARDWARE : MOUSE_I8042_HARDWARE;
        mouAttributes->NumberOfButtons = 3;
        mouAttributes->SampleRate = I8X_MOUSE_SAMPLE_RATE;
        mouAttributes->InputDataQueueLength = I8X_MOUSE_RING_LENGTH * sizeof(MOUSE_INPUT_DATA);
        information = sizeof(MOUSE_ATTRIBUTES);
        status = STATUS_SUCCESS;
        break;

    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return I8xCompleteIrp(Irp, status, information);
}

/* IRP_MJ_DEVICE_CONTROL: kbdclass and mouclass turn the keyboard and mouse IOCTLs into
   internal ones on their way down; anything else here belongs to the bus driver. */
_Use_decl_annotations_
NTSTATUS I8xDispatchPassDown(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        return I8xCompleteIrp(Irp, status, 0);
    }
    IoSkipCurrentIrpStackLocation(Irp);
    status = IoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

_Use_decl_annotations_
NTSTATUS I8xDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(DeviceObject);
    return I8xCompleteIrp(Irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
NTSTATUS I8xDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PI8X_EXTENSION ext = (PI8X_EXTENSION)DeviceObject->DeviceExtension;
    NTSTATUS status;

    status = IoAcquireRemoveLock(&ext->RemoveLock, Irp);
    if (!NT_SUCCESS(status)) {
        PoStartNextPowerIrp(Irp);
        return I8xCompleteIrp(Irp, status, 0);
    }
    /* This sample does not re-initialise the devices after a sleep (i8042prt does): every
       power IRP goes down unchanged. */
    PoStartNextPowerIrp(Irp);
    IoSkipCurrentIrpStackLocation(Irp);
    status = PoCallDriver(ext->LowerDevice, Irp);
    IoReleaseRemoveLock(&ext->RemoveLock, Irp);
    return status;
}

static NTSTATUS I8xCompleteIrp(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}
