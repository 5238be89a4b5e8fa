/*
 * driver.h - "I8x", a PS/2 keyboard and mouse port driver for the 8042 controller, in the
 * manner of the in-box i8042prt: one FDO for the controller that drives both of its ports,
 * initialises them by polling at IRP_MN_START_DEVICE, connects IRQ 1 (keyboard) and IRQ 12
 * (mouse) with one shared interrupt spin lock, turns the bytes its ISRs read into
 * KEYBOARD_INPUT_DATA / MOUSE_INPUT_DATA packets and hands them to the keyboard and mouse
 * class drivers (kbdclass / mouclass) from one DPC per device kind.
 */
#pragma once

#include <ntddk.h>
#include <kbdmou.h>
#include <ntddkbd.h>
#include <ntddmou.h>

/* ---- The 8042 controller ------------------------------------------------------------------
 * Two I/O ports: DATA (0x60) and COMMAND/STATUS (0x64). The controller has a one-byte output
 * buffer that both devices and the controller itself fill; the STATUS bit AUX_OUTPUT_FULL
 * says the byte came from the mouse (auxiliary) port. Every byte that arrives raises an edge
 * on IRQ 1 (keyboard/controller byte) or IRQ 12 (mouse byte) when the command byte enables
 * that interrupt. */
#define I8042_STATUS_OUTPUT_FULL        0x01    /* a byte waits in DATA */
#define I8042_STATUS_INPUT_FULL         0x02    /* the controller has not taken our last write */
#define I8042_STATUS_SYSTEM_FLAG        0x04
#define I8042_STATUS_COMMAND            0x08    /* last write went to the command port */
#define I8042_STATUS_NOT_INHIBITED      0x10
#define I8042_STATUS_AUX_OUTPUT_FULL    0x20    /* the byte in DATA is the mouse's */
#define I8042_STATUS_TIMEOUT            0x40
#define I8042_STATUS_PARITY_ERROR       0x80

/* Controller commands (written to port 0x64). */
#define I8042_READ_COMMAND_BYTE         0x20
#define I8042_WRITE_COMMAND_BYTE        0x60    /* next DATA write is the command byte */
#define I8042_DISABLE_AUX_DEVICE        0xA7
#define I8042_ENABLE_AUX_DEVICE         0xA8
#define I8042_TEST_AUX_INTERFACE        0xA9    /* reply 00 = interface OK */
#define I8042_SELF_TEST                 0xAA    /* reply 55 = controller OK */
#define I8042_TEST_KEYBOARD_INTERFACE   0xAB    /* reply 00 = interface OK */
#define I8042_DISABLE_KEYBOARD_DEVICE   0xAD
#define I8042_ENABLE_KEYBOARD_DEVICE    0xAE
#define I8042_WRITE_TO_AUX_DEVICE       0xD4    /* next DATA write goes to the mouse */

#define I8042_SELF_TEST_PASSED          0x55
#define I8042_INTERFACE_TEST_PASSED     0x00

/* The command byte. */
#define CCB_ENABLE_KEYBOARD_INTERRUPT   0x01    /* IRQ 1 */
#define CCB_ENABLE_AUX_INTERRUPT        0x02    /* IRQ 12 */
#define CCB_SYSTEM_FLAG                 0x04
#define CCB_DISABLE_KEYBOARD_DEVICE     0x10    /* keyboard clock held low */
#define CCB_DISABLE_AUX_DEVICE          0x20    /* mouse clock held low */
#define CCB_TRANSLATE                   0x40    /* scan code set 2 -> set 1 */
#define CCB_INTERRUPTS                  (CCB_ENABLE_KEYBOARD_INTERRUPT | CCB_ENABLE_AUX_INTERRUPT)
#define CCB_DEVICES_DISABLED            (CCB_DISABLE_KEYBOARD_DEVICE | CCB_DISABLE_AUX_DEVICE)

/* ---- PS/2 device protocol ------------------------------------------------------------------ */
#define PS2_ACKNOWLEDGE                 0xFA
#define PS2_RESEND                      0xFE
#define PS2_RESET                       0xFF    /* -> FA, then AA (self-test passed) */
#define PS2_SELF_TEST_PASSED            0xAA

/* Keyboard commands. */
#define KBD_SET_LEDS                    0xED    /* + LED byte: b0 Scroll, b1 Num, b2 Caps */
#define KBD_SET_TYPEMATIC               0xF3    /* + b0-4 rate, b5-6 delay */
#define KBD_LED_SCROLL_LOCK             0x01
#define KBD_LED_NUM_LOCK                0x02
#define KBD_LED_CAPS_LOCK               0x04

/* Translated (set 1) scan codes the ISR treats specially. */
#define SCAN_PREFIX_E0                  0xE0
#define SCAN_PREFIX_E1                  0xE1
#define SCAN_BREAK_BIT                  0x80
#define SCAN_ERROR_SET1                 0xFF    /* key detection error / keyboard overrun */
#define SCAN_ERROR_SET1_ALT             0x00

/* Mouse commands (each sent behind I8042_WRITE_TO_AUX_DEVICE). */
#define MOU_SET_RESOLUTION              0xE8    /* + 0..3: 1, 2, 4, 8 counts/mm */
#define MOU_GET_DEVICE_ID               0xF2    /* -> FA, id */
#define MOU_SET_SAMPLE_RATE             0xF3    /* + reports per second */
#define MOU_ENABLE_REPORTING            0xF4
#define MOU_ID_STANDARD                 0x00    /* 3-byte packets */
#define MOU_ID_WHEEL                    0x03    /* IntelliMouse: 4-byte packets, Z in byte 3 */

/* Mouse packet byte 0. Bytes 1 and 2 are the low 8 bits of the 9-bit X and Y (Y is up). */
#define MOU_B0_LEFT                     0x01
#define MOU_B0_RIGHT                    0x02
#define MOU_B0_MIDDLE                   0x04
#define MOU_B0_SYNC                     0x08    /* always 1: how a packet start is recognised */
#define MOU_B0_X_SIGN                   0x10
#define MOU_B0_Y_SIGN                   0x20
#define MOU_B0_X_OVERFLOW               0x40
#define MOU_B0_Y_OVERFLOW               0x80
#define MOU_B0_BUTTONS                  (MOU_B0_LEFT | MOU_B0_RIGHT | MOU_B0_MIDDLE)

/* ---- What this driver programs ----------------------------------------------------------- */
#define I8X_TYPEMATIC_RATE_DEFAULT      30      /* characters per second */
#define I8X_TYPEMATIC_DELAY_DEFAULT     250     /* milliseconds */
#define I8X_MOUSE_SAMPLE_RATE           100     /* reports per second */
#define I8X_MOUSE_RESOLUTION            3       /* 8 counts/mm */

/* Polling at IRP_MN_START_DEVICE: a PS/2 byte takes about 1 ms on the wire, a device answers a
   command within 20 ms, a reset (self-test) within 750 ms. The poll step stays well under the
   50 us KeStallExecutionProcessor guidance. */
#define I8X_POLL_STEP_US                25
#define I8X_CONTROLLER_TIMEOUT_US       10000
#define I8X_ACK_TIMEOUT_US              25000
#define I8X_RESET_TIMEOUT_US            750000
#define I8X_RESEND_LIMIT                2
#define I8X_FLUSH_LIMIT                 32      /* stale bytes drained before the tests */
#define I8X_INPUT_EMPTY_POLLS           1000    /* IBF polls (1 us apart) before giving up */

/* The asynchronous keyboard command (LEDs, typematic) must finish within this time. */
#define I8X_COMMAND_TIMEOUT_MS          100

/* A gap this long between two bytes of one mouse packet means a byte was lost: start over. */
#define I8X_MOUSE_RESYNC_TIME_100NS     (20 * 10000)    /* 20 ms */

/* Packets the ISRs can queue before the DPC has delivered them (kdsim.json "defines" can
   make them small to watch the ring wrap). */
#ifndef I8X_KEYBOARD_RING_LENGTH
#define I8X_KEYBOARD_RING_LENGTH        64
#endif
#ifndef I8X_MOUSE_RING_LENGTH
#define I8X_MOUSE_RING_LENGTH           64
#endif

#define I8X_POOL_TAG                    'tP8I'  /* "I8Pt" in !pool output (remove lock) */

/* ---- Device extension -------------------------------------------------------------------- */

/* An interrupt resource from the translated CM_RESOURCE_LIST. */
typedef struct _I8X_INTERRUPT_RESOURCE {
    BOOLEAN Found;
    BOOLEAN Shared;
    KINTERRUPT_MODE Mode;
    ULONG Vector;
    KIRQL Irql;
    KAFFINITY Affinity;
} I8X_INTERRUPT_RESOURCE, *PI8X_INTERRUPT_RESOURCE;

/* One input side (keyboard or mouse): its class connection and the ring of packets that its
   ISR fills and its DPC empties. Connect, Out, Count and Overruns change only under the
   interrupt spin lock. Slots [Out, Out + Count) belong to the DPC (it reads them outside the
   lock while it calls the class service), all others to the ISR. */
typedef struct _I8X_INPUT_PORT {
    PCSTR Name;                         /* "keyboard" / "mouse", for DbgPrint */
    CONNECT_DATA Connect;               /* from IOCTL_INTERNAL_*_CONNECT; NULL service = none */
    PUCHAR Ring;                        /* KEYBOARD_INPUT_DATA[] or MOUSE_INPUT_DATA[] */
    ULONG ElementSize;
    ULONG Length;                       /* slots in Ring */
    ULONG Out;                          /* oldest undelivered packet */
    ULONG Count;                        /* undelivered packets */
    ULONG Overruns;                     /* packets lost to a full ring since the DPC looked */
    KDPC Dpc;                           /* I8xKeyboardDpc / I8xMouseDpc */
    volatile LONG DpcActive;            /* DPC instances running or wanting to: one KDPC can
                                           run on two processors at once, and only one may
                                           own the ring's undelivered run */
} I8X_INPUT_PORT, *PI8X_INPUT_PORT;

/* The keyboard command the ISR is sending (0xED + LEDs or 0xF3 + typematic): a small state
   machine driven by the keyboard's ACK / RESEND replies. Changed only under the interrupt
   spin lock once the interrupts are connected. */
typedef enum _I8X_COMMAND_STATE {
    I8xCommandIdle = 0,
    I8xCommandSending,                  /* Bytes[Next] written; waiting for its ACK */
    I8xCommandDone                      /* finished (Status); the command DPC is queued */
} I8X_COMMAND_STATE;

typedef struct _I8X_KEYBOARD_COMMAND {
    I8X_COMMAND_STATE State;
    UCHAR Bytes[2];
    UCHAR Next;
    UCHAR Resends;
    NTSTATUS Status;
    PIRP Irp;                           /* the IOCTL the command carries out */
    ULONGLONG Deadline;                 /* interrupt time (100 ns) after which it times out */
} I8X_KEYBOARD_COMMAND, *PI8X_KEYBOARD_COMMAND;

typedef struct _I8X_STATISTICS {
    ULONG KeyboardInterrupts;           /* keyboard ISR runs that read a byte */
    ULONG MouseInterrupts;              /* mouse ISR runs that read a byte */
    ULONG KeyboardPackets;              /* KEYBOARD_INPUT_DATA handed to kbdclass */
    ULONG MousePackets;                 /* MOUSE_INPUT_DATA handed to mouclass */
    ULONG Overruns;                     /* packets lost to a full ring */
    ULONG MouseResyncs;                 /* mouse bytes dropped to find a packet start */
    ULONG UnexpectedReplies;            /* ACK / RESEND with no command in flight */
    ULONG DiscardedBytes;               /* the other device's bytes seen while polling */
} I8X_STATISTICS, *PI8X_STATISTICS;

typedef struct _I8X_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;         /* where IRPs go down the stack */
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;          /* held by every IRP the driver is working on */

    /* Resources from IRP_MN_START_DEVICE. */
    PUCHAR DataPort;                    /* 0x60 */
    PUCHAR CommandPort;                 /* 0x64: STATUS when read */
    I8X_INTERRUPT_RESOURCE KeyboardIrq; /* the first interrupt resource: IRQ 1 */
    I8X_INTERRUPT_RESOURCE MouseIrq;    /* the second: IRQ 12 */
    KIRQL SynchronizeIrql;              /* the higher of the two IRQLs, used by both */
    KSPIN_LOCK InterruptSpinLock;       /* one lock for both interrupt objects */
    PKINTERRUPT KeyboardInterrupt;
    PKINTERRUPT MouseInterrupt;

    /* What initialisation found. */
    BOOLEAN KeyboardPresent;
    BOOLEAN MousePresent;
    UCHAR MouseId;                      /* MOU_ID_STANDARD or MOU_ID_WHEEL */
    UCHAR CommandByte;                  /* the value last written to the controller */

    /* StateLock protects Started and InterruptsConnected. Lock order: StateLock, then the
       interrupt spin lock (KeSynchronizeExecution). Holding StateLock while InterruptsConnected
       is TRUE keeps the interrupt objects alive. */
    KSPIN_LOCK StateLock;
    BOOLEAN Started;
    BOOLEAN InterruptsConnected;

    /* Keyboard state at DIRQL (interrupt spin lock). */
    USHORT KeyboardPrefix;              /* KEY_E0 / KEY_E1 for the next scan code, or 0 */
    I8X_KEYBOARD_COMMAND Command;
    KDPC CommandDpc;                    /* completes the command's IRP */
    KTIMER CommandTimer;                /* fires if the keyboard never answers */
    KDPC CommandTimeoutDpc;
    KEYBOARD_INDICATOR_PARAMETERS Indicators;   /* as last set on the keyboard */
    KEYBOARD_TYPEMATIC_PARAMETERS Typematic;

    /* Mouse state at DIRQL (interrupt spin lock). */
    UCHAR MousePacket[4];
    UCHAR MousePacketSize;              /* 3, or 4 with a wheel */
    UCHAR MouseByte;                    /* index of the next packet byte */
    UCHAR MouseButtons;                 /* MOU_B0_BUTTONS as of the last packet */
    ULONGLONG MouseLastByteTime;        /* KeQueryInterruptTime of the last byte */

    I8X_INPUT_PORT Keyboard;
    I8X_INPUT_PORT Mouse;
    KEYBOARD_INPUT_DATA KeyboardRing[I8X_KEYBOARD_RING_LENGTH];
    MOUSE_INPUT_DATA MouseRing[I8X_MOUSE_RING_LENGTH];

    I8X_STATISTICS Stats;               /* ISR fields change at DIRQL, the rest in DPCs */
} I8X_EXTENSION, *PI8X_EXTENSION;

/* Which device a polled byte must come from. */
typedef enum _I8X_DEVICE {
    I8xKeyboardOrController = 0,        /* AUX_OUTPUT_FULL clear */
    I8xAuxiliary                        /* AUX_OUTPUT_FULL set: the mouse */
} I8X_DEVICE;

/* ---- Routines, declared through their WDK function classes (this gives each its IRQL
        annotations; the definitions use _Use_decl_annotations_) ------------------------- */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE I8xAddDevice;
DRIVER_UNLOAD I8xUnload;
DRIVER_STARTIO I8xStartIo;

_Dispatch_type_(IRP_MJ_CREATE)
_Dispatch_type_(IRP_MJ_CLOSE)
DRIVER_DISPATCH I8xDispatchCreateClose;

_Dispatch_type_(IRP_MJ_INTERNAL_DEVICE_CONTROL)
DRIVER_DISPATCH I8xDispatchInternalDeviceControl;

_Dispatch_type_(IRP_MJ_DEVICE_CONTROL)
DRIVER_DISPATCH I8xDispatchPassDown;

_Dispatch_type_(IRP_MJ_PNP)
DRIVER_DISPATCH I8xDispatchPnp;

_Dispatch_type_(IRP_MJ_POWER)
DRIVER_DISPATCH I8xDispatchPower;

IO_COMPLETION_ROUTINE I8xForwardCompletion;
DRIVER_CANCEL I8xCancelQueuedCommand;

KSERVICE_ROUTINE I8xKeyboardInterruptService;
KSERVICE_ROUTINE I8xMouseInterruptService;
KDEFERRED_ROUTINE I8xKeyboardDpc;
KDEFERRED_ROUTINE I8xMouseDpc;
KDEFERRED_ROUTINE I8xKeyboardCommandDpc;
KDEFERRED_ROUTINE I8xKeyboardCommandTimeoutDpc;

KSYNCHRONIZE_ROUTINE I8xEnableControllerInterrupts;
KSYNCHRONIZE_ROUTINE I8xDisableControllerInterrupts;
KSYNCHRONIZE_ROUTINE I8xStartKeyboardCommand;
KSYNCHRONIZE_ROUTINE I8xTakeFinishedCommand;
KSYNCHRONIZE_ROUTINE I8xSetConnection;
KSYNCHRONIZE_ROUTINE I8xSnapshotRing;
KSYNCHRONIZE_ROUTINE I8xRetireRing;
