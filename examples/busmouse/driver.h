/*
 * driver.h - "InPort", a WDM port driver for the Microsoft InPort bus mouse adapter
 * (ISA, 4 I/O ports, an edge-triggered IRQ), below the mouse class driver.
 *
 * The adapter counts mouse motion in two signed 8-bit counters and interrupts at a fixed
 * report rate. The ISR freezes the counters (HOLD), reads status and motion, releases them,
 * and queues a MOUSE_INPUT_DATA packet; the DpcForIsr hands queued packets to mouclass
 * through the service callback it received with IOCTL_INTERNAL_MOUSE_CONNECT.
 */
#pragma once

#include <ntddk.h>
#include <kbdmou.h>
#include <ntddmou.h>

/* ---- Hardware ---------------------------------------------------------------------------
 * Four consecutive I/O ports (0x23C primary, 0x238 secondary). Most of the chip is reached
 * indirectly: write an internal register number to ADDRESS, then read or write DATA. */
#define INP_PORT_ADDRESS        0       /* W: internal register select; 0x80 resets the chip */
#define INP_PORT_DATA           1       /* R/W: the selected internal register */
#define INP_PORT_ID             2       /* R: alternately INP_ID_CODE and the chip version */
#define INP_PORT_TEST           3       /* test register (unused) */
#define INP_PORT_SPAN           4

#define INP_ADDRESS_RESET       0x80

/* Internal registers (values written to ADDRESS). */
#define INP_REG_STATUS          0
#define INP_REG_DATA_X          1       /* signed 8-bit motion since the last HOLD */
#define INP_REG_DATA_Y          2       /* signed 8-bit motion, positive = towards the user */
#define INP_REG_MODE            7

/* STATUS, as latched by the last HOLD: button bits are 1 while the button is down. */
#define INP_STATUS_BUTTON3      0x01    /* right */
#define INP_STATUS_BUTTON2      0x02    /* middle */
#define INP_STATUS_BUTTON1      0x04    /* left */
#define INP_STATUS_BUTTONS      (INP_STATUS_BUTTON1 | INP_STATUS_BUTTON2 | INP_STATUS_BUTTON3)
#define INP_STATUS_MOVEMENT     0x40    /* DATA X or DATA Y is non-zero */

/* MODE. */
#define INP_MODE_RATE_MASK      0x07
#define INP_MODE_RATE_0HZ       0x00    /* no periodic interrupt (INTR low) */
#define INP_MODE_RATE_30HZ      0x01
#define INP_MODE_RATE_50HZ      0x02
#define INP_MODE_RATE_100HZ     0x03
#define INP_MODE_RATE_200HZ     0x04
#define INP_MODE_DATA_INT_ENABLE 0x08   /* interrupt at the selected rate */
#define INP_MODE_TIMER_INT_ENABLE 0x10
#define INP_MODE_HOLD           0x20    /* rising edge latches STATUS/X/Y and clears the counters */
#define INP_MODE_QUADRATURE     0x00    /* bits 6-7: quadrature inputs (the bus mouse) */

#define INP_ID_CODE             0xDE

/* What this driver programs: 100 reports per second. */
#define INP_REPORT_RATE_HZ      100
#define INP_MODE_RUNNING        (INP_MODE_QUADRATURE | INP_MODE_RATE_100HZ | INP_MODE_DATA_INT_ENABLE)
#define INP_MODE_QUIET          (INP_MODE_QUADRATURE | INP_MODE_RATE_0HZ)

#define INP_NUMBER_OF_BUTTONS   3

/* Packets the ISR can queue before the DPC has passed them on (about 0.3 s at 100 Hz). */
#define INP_QUEUE_LENGTH        32

#define INP_POOL_TAG            'pnIB'  /* "BInp" in !pool output */

/* ---- Device extension -------------------------------------------------------------------- */

typedef struct _INP_STATISTICS {
    ULONG Interrupts;                   /* ISR runs */
    ULONG IdleInterrupts;               /* no motion and no button change */
    ULONG Packets;                      /* MOUSE_INPUT_DATA queued for the class driver */
    ULONG Overruns;                     /* packets dropped because the queue was full */
} INP_STATISTICS, *PINP_STATISTICS;

typedef struct _INP_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;         /* where IRPs go down the stack */
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;

    /* Resources from IRP_MN_START_DEVICE. */
    PUCHAR PortBase;                    /* I/O port number, or a mapped address */
    BOOLEAN PortMapped;                 /* PortBase is in I/O space (READ/WRITE_PORT_UCHAR) */
    BOOLEAN MappedIoSpace;              /* PortBase came from MmMapIoSpace */
    PKINTERRUPT Interrupt;
    ULONG Vector;
    KIRQL Irql;
    KAFFINITY Affinity;
    KINTERRUPT_MODE InterruptMode;
    UCHAR ChipVersion;
    BOOLEAN Started;                    /* changed only by PnP IRPs (serialised) */

    /* Keeps Interrupt valid for code outside the PnP path (internal IOCTLs). Lock order:
       StateLock, then the interrupt spin lock. */
    KSPIN_LOCK StateLock;

    /* ---- Owned by the interrupt spin lock: the ISR reads and writes these at DIRQL; all
            other code touches them (and the chip's ADDRESS/DATA ports) only from a
            KeSynchronizeExecution routine, or before IoConnectInterrupt. ---------------- */
    BOOLEAN Reporting;                  /* chip interrupts enabled: the ISR queues packets */
    UCHAR Mode;                         /* MODE value, restored after each HOLD */
    UCHAR PreviousButtons;              /* INP_STATUS_BUTTONS as of the last report */
    CONNECT_DATA ConnectData;           /* from mouclass; ClassService NULL = not connected */
    ULONG ConnectionSequence;           /* bumped by every connect and disconnect */
    MOUSE_INPUT_DATA Queue[INP_QUEUE_LENGTH];   /* ring: ISR appends, DPC consumes */
    ULONG DataIn;                       /* next slot the ISR fills */
    ULONG DataOut;                      /* oldest packet not yet passed on */
    ULONG InputCount;                   /* packets in the ring */
    INP_STATISTICS Stats;
    ULONG OverrunsReported;             /* Stats.Overruns already printed by the DPC */
} INP_EXTENSION, *PINP_EXTENSION;

/* What the DPC takes from the ring under the interrupt lock: one contiguous run. */
typedef struct _INP_QUEUE_RUN {
    PINP_EXTENSION Extension;
    PMOUSE_INPUT_DATA Start;
    ULONG Count;
    ULONG Consumed;                     /* in: how many the class driver took */
    CONNECT_DATA Connect;
    ULONG ConnectionSequence;           /* the connection the run was taken for */
    ULONG NewOverruns;
} INP_QUEUE_RUN, *PINP_QUEUE_RUN;

/* KeSynchronizeExecution context for the connect/disconnect requests. */
typedef struct _INP_CONNECT_CONTEXT {
    PINP_EXTENSION Extension;
    PCONNECT_DATA ConnectData;          /* NULL: disconnect */
    BOOLEAN WasConnected;
} INP_CONNECT_CONTEXT, *PINP_CONNECT_CONTEXT;

/* ---- Routines, declared through their WDK function classes ------------------------------- */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE InpAddDevice;
DRIVER_UNLOAD InpUnload;

_Dispatch_type_(IRP_MJ_CREATE)
_Dispatch_type_(IRP_MJ_CLOSE)
DRIVER_DISPATCH InpDispatchCreateClose;

_Dispatch_type_(IRP_MJ_INTERNAL_DEVICE_CONTROL)
DRIVER_DISPATCH InpDispatchInternalDeviceControl;

_Dispatch_type_(IRP_MJ_PNP)
DRIVER_DISPATCH InpDispatchPnp;

_Dispatch_type_(IRP_MJ_POWER)
DRIVER_DISPATCH InpDispatchPower;

IO_COMPLETION_ROUTINE InpForwardCompletion;
KSERVICE_ROUTINE InpInterruptService;
IO_DPC_ROUTINE InpDpcForIsr;
KSYNCHRONIZE_ROUTINE InpEnableReporting;
KSYNCHRONIZE_ROUTINE InpDisableReporting;
KSYNCHRONIZE_ROUTINE InpQueryConnection;
KSYNCHRONIZE_ROUTINE InpSetConnection;
KSYNCHRONIZE_ROUTINE InpGetQueueRun;
KSYNCHRONIZE_ROUTINE InpConsumeQueueRun;

/* ---- Port access: the range is I/O space on a PC, memory space where the platform
        translates it (the translated resource says which) -------------------------------- */

FORCEINLINE UCHAR InpReadPort(_In_ PINP_EXTENSION Ext, _In_ ULONG Port)
{
    return Ext->PortMapped ? READ_PORT_UCHAR(Ext->PortBase + Port)
                           : READ_REGISTER_UCHAR(Ext->PortBase + Port);
}

FORCEINLINE VOID InpWritePort(_In_ PINP_EXTENSION Ext, _In_ ULONG Port, _In_ UCHAR Value)
{
    if (Ext->PortMapped) {
        WRITE_PORT_UCHAR(Ext->PortBase + Port, Value);
    } else {
        WRITE_REGISTER_UCHAR(Ext->PortBase + Port, Value);
    }
}

/* An internal register: select it, then use the data port. */
FORCEINLINE UCHAR InpReadRegister(_In_ PINP_EXTENSION Ext, _In_ UCHAR Register)
{
    InpWritePort(Ext, INP_PORT_ADDRESS, Register);
    return InpReadPort(Ext, INP_PORT_DATA);
}

FORCEINLINE VOID InpWriteRegister(_In_ PINP_EXTENSION Ext, _In_ UCHAR Register, _In_ UCHAR Value)
{
    InpWritePort(Ext, INP_PORT_ADDRESS, Register);
    InpWritePort(Ext, INP_PORT_DATA, Value);
}
