/*
 * driver.h - "SerialEcho", a WDM function driver for a 16550A UART on a PC COM port
 * (8 I/O ports, an edge-triggered ISA IRQ) that echoes every byte it receives and serves
 * ReadFile / WriteFile / the usual IOCTL_SERIAL_* requests, in the manner of serial.sys.
 *
 * The ISR drains the receive FIFO into a receive buffer and, for the echo, into the transmit
 * buffer, and refills the transmit FIFO from that buffer on THRE. Reads and writes wait on
 * driver queues under a spin lock; the DpcForIsr and a read-timeout timer DPC complete them.
 */
#pragma once

#include <ntddk.h>
#include <ntddser.h>

/* ---- Hardware: the 16550A's eight registers (offsets from the port base) ----------------
 * Offsets 0 and 1 are banked by LCR.DLAB: with DLAB set they are the divisor latch. The ISR
 * uses offset 0 (RBR/THR), so DLAB may only be set by code holding the interrupt spin lock
 * (or before the ISR is connected). */
#define SER_RBR                 0       /* R:  receive buffer (DLAB 0) */
#define SER_THR                 0       /* W:  transmit holding register (DLAB 0) */
#define SER_DLL                 0       /* RW: divisor latch, low byte (DLAB 1) */
#define SER_IER                 1       /* RW: interrupt enable (DLAB 0) */
#define SER_DLM                 1       /* RW: divisor latch, high byte (DLAB 1) */
#define SER_IIR                 2       /* R:  interrupt identification */
#define SER_FCR                 2       /* W:  FIFO control */
#define SER_LCR                 3       /* RW: line control */
#define SER_MCR                 4       /* RW: modem control */
#define SER_LSR                 5       /* R:  line status */
#define SER_MSR                 6       /* R:  modem status */
#define SER_SCR                 7       /* RW: scratch */
#define SER_PORT_SPAN           8

/* IER */
#define SER_IER_RDA             0x01    /* received data available (and FIFO character timeout) */
#define SER_IER_THRE            0x02    /* transmit holding register empty */
#define SER_IER_RLS             0x04    /* receiver line status: overrun, parity, framing, break */
#define SER_IER_MS              0x08    /* modem status: CTS, DSR, RI, DCD changed */

/* IIR: bit 0 clear while an interrupt is pending; bits 1-3 say which (highest priority
   first: RLS, RDA, character timeout, THRE, MS); bits 6-7 are set when the FIFOs are on. */
#define SER_IIR_NO_INTERRUPT    0x01
#define SER_IIR_ID_MASK         0x0E
#define SER_IIR_MS              0x00
#define SER_IIR_THRE            0x02
#define SER_IIR_RDA             0x04
#define SER_IIR_RLS             0x06
#define SER_IIR_CTI             0x0C    /* character timeout: fewer than the trigger level wait */
#define SER_IIR_FIFOS_ENABLED   0xC0

/* FCR */
#define SER_FCR_ENABLE          0x01
#define SER_FCR_RX_RESET        0x02
#define SER_FCR_TX_RESET        0x04
#define SER_FCR_TRIGGER_1       0x00
#define SER_FCR_TRIGGER_4       0x40
#define SER_FCR_TRIGGER_8       0x80
#define SER_FCR_TRIGGER_14      0xC0

/* LCR */
#define SER_LCR_WORD_MASK       0x03    /* 0-3 = 5-8 data bits */
#define SER_LCR_STOP_2          0x04    /* 2 stop bits (1.5 with 5 data bits) */
#define SER_LCR_PARITY_ENABLE   0x08
#define SER_LCR_PARITY_EVEN     0x10
#define SER_LCR_PARITY_STICK    0x20    /* mark/space parity */
#define SER_LCR_BREAK           0x40
#define SER_LCR_DLAB            0x80

/* MCR */
#define SER_MCR_DTR             0x01
#define SER_MCR_RTS             0x02
#define SER_MCR_OUT1            0x04
#define SER_MCR_OUT2            0x08    /* on a PC: connects INTR to the IRQ line */
#define SER_MCR_LOOP            0x10

/* LSR */
#define SER_LSR_DR              0x01    /* a character is in RBR / the RX FIFO */
#define SER_LSR_OE              0x02    /* overrun: a character was lost */
#define SER_LSR_PE              0x04    /* parity error (the character at the top of the FIFO) */
#define SER_LSR_FE              0x08    /* framing error (ditto) */
#define SER_LSR_BI              0x10    /* break received (a zero character in the FIFO) */
#define SER_LSR_THRE            0x20
#define SER_LSR_TEMT            0x40
#define SER_LSR_RX_FIFO_ERROR   0x80
#define SER_LSR_CHAR_ERRORS     (SER_LSR_PE | SER_LSR_FE | SER_LSR_BI)

/* MSR: bits 0-3 say what changed since the last read, bits 4-7 are the inputs. */
#define SER_MSR_INPUTS          0xF0

#define SER_FIFO_DEPTH          16
#define SER_CLOCK_BAUD          115200  /* 1.8432 MHz / 16: the baud at divisor 1 */

/* ---- What this driver programs -------------------------------------------------------------- */

#define SER_DEFAULT_BAUD        115200
/* Receive FIFO trigger level 4: an RDA interrupt every 4 characters in a burst (347 us at
   115200), leaving 12 places of slack; the character timeout delivers shorter bursts. */
#define SER_FCR_VALUE           (SER_FCR_ENABLE | SER_FCR_TRIGGER_4)
#define SER_RX_TRIGGER          4
#define SER_IER_VALUE           (SER_IER_RDA | SER_IER_THRE | SER_IER_RLS | SER_IER_MS)
#define SER_MCR_VALUE           (SER_MCR_DTR | SER_MCR_RTS | SER_MCR_OUT2)

/* Driver buffers (powers of 2). Receive: bytes no read has taken yet (serial.sys's
   "interrupt buffer"). Transmit: echoes and write data waiting for room in the UART FIFO. */
#define SER_RX_BUFFER_SIZE      256
#define SER_TX_BUFFER_SIZE      256

#define SER_POOL_TAG            'ohcE'  /* "Echo" in !pool output */
#define SER_DEVICE_NAME         L"\\Device\\Serial0"
#define SER_LINK_NAME           L"\\DosDevices\\COM1"

/* ---- Per-read state, kept in the IRP while the driver owns it (Tail.Overlay.DriverContext) -- */

#define SER_READ_STARTED        0x01    /* timeouts captured: it is (or was) at the queue head */
#define SER_READ_IMMEDIATE      0x02    /* MAXULONG/0/0: return at once with what is there */
#define SER_READ_ANY_BYTE       0x04    /* MAXULONG/MAXULONG/n: return as soon as one byte is there */

typedef struct _SER_READ_CONTEXT {
    ULONGLONG TotalDeadline;            /* KeQueryInterruptTime units; 0 = no total timeout */
    ULONGLONG LastByteTime;             /* when bytes last arrived in it; 0 = none yet */
    ULONG IntervalTimeout;              /* ms; 0 = none */
    ULONG Flags;                        /* SER_READ_* */
} SER_READ_CONTEXT, *PSER_READ_CONTEXT;

C_ASSERT(sizeof(SER_READ_CONTEXT) <= RTL_FIELD_SIZE(IRP, Tail.Overlay.DriverContext));

#define SerReadContext(Irp)     ((PSER_READ_CONTEXT)&(Irp)->Tail.Overlay.DriverContext[0])

/* ---- Device extension ------------------------------------------------------------------------- */

typedef struct _SER_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;          /* held by every IRP the driver is working on */
    BOOLEAN LinkCreated;

    /* Resources from IRP_MN_START_DEVICE; changed only by PnP IRPs (serialised). */
    PUCHAR PortBase;                    /* I/O port number, or a mapped address */
    BOOLEAN PortMapped;                 /* PortBase is in I/O space (READ/WRITE_PORT_UCHAR) */
    BOOLEAN MappedIoSpace;              /* PortBase came from MmMapIoSpace */
    ULONG PortAddress;                  /* for messages */
    ULONG Vector;
    KIRQL Irql;
    KAFFINITY Affinity;
    KINTERRUPT_MODE InterruptMode;
    PKINTERRUPT Interrupt;              /* valid while Started (and until the stop's flush) */

    /* The head read's next timeout; SerReadTimerDpc runs at DISPATCH_LEVEL when it expires. */
    KTIMER ReadTimer;
    KDPC ReadTimerDpc;

    /* ---- Owned by the interrupt spin lock: the ISR works on these at DIRQL; everyone else
            only from a KeSynchronizeExecution routine (or before IoConnectInterrupt). ---- */
    UCHAR ModemStatus;                  /* MSR as of the last read */

    UCHAR RxBuffer[SER_RX_BUFFER_SIZE];
    ULONG RxHead;                       /* oldest byte */
    ULONG RxCount;

    UCHAR TxBuffer[SER_TX_BUFFER_SIZE];
    ULONG TxHead;
    ULONG TxCount;
    BOOLEAN TxFifoBusy;                 /* bytes written to THR; their THRE interrupt is due */
    /* Transmit byte numbers (they wrap; compare with (LONG)(a - b) >= 0): */
    ULONG TxQueuedTotal;                /* bytes ever put into TxBuffer */
    ULONG TxMovedTotal;                 /* bytes ever written to THR */
    ULONG TxDoneTotal;                  /* bytes known to have left the FIFO: TxMovedTotal at the last THRE */
    BOOLEAN TxWaitDone;                 /* the DPC waits for TxDoneTotal to reach TxWaitFor */
    ULONG TxWaitFor;
    BOOLEAN TxWaitRoom;                 /* the DPC waits for TxBuffer to be half empty */

    ULONG ErrorWord;                    /* SERIAL_ERROR_* since the last IOCTL_SERIAL_GET_COMMSTATUS */
    SERIALPERF_STATS Perf;              /* counters since start */
    ULONG BreakCount;
    ULONG EchoDropped;                  /* echoes lost for want of transmit buffer room */
    ULONG InterruptCount;

    /* ---- Owned by Lock: the dispatch routines (PASSIVE), the cancel routine and the DPCs
            (DISPATCH) share these. Lock order: Lock, then the interrupt spin lock. ------- */
    KSPIN_LOCK Lock;
    BOOLEAN Started;
    LIST_ENTRY ReadQueue;               /* pending reads, oldest first; the head is being filled */
    LIST_ENTRY WriteQueue;              /* writes not yet started */
    PIRP CurrentWrite;                  /* its bytes are going into TxBuffer: no longer cancelable */
    ULONG WriteLength;
    ULONG WriteQueued;                  /* bytes of it put into TxBuffer so far */
    BOOLEAN WriteEndKnown;
    ULONG WriteEnd;                     /* TxQueuedTotal after its last byte */
    ULONG BaudRate;
    USHORT Divisor;                     /* programmed for BaudRate */
    SERIAL_LINE_CONTROL LineControl;
    UCHAR Lcr;                          /* programmed for LineControl (DLAB clear) */
    SERIAL_TIMEOUTS Timeouts;
    ULONG ErrorsReported;               /* line errors already printed by the DPC */
} SER_EXTENSION, *PSER_EXTENSION;

/* ---- KeSynchronizeExecution contexts ----------------------------------------------------------- */

/* Receive buffer -> a read's buffer. */
typedef struct _SER_RX_TAKE {
    PSER_EXTENSION Extension;
    PUCHAR Buffer;
    ULONG Length;
    ULONG Copied;                       /* out */
} SER_RX_TAKE, *PSER_RX_TAKE;

/* The current write's next bytes -> TxBuffer; the transmit progress back. */
typedef struct _SER_TX_STEP {
    PSER_EXTENSION Extension;
    const UCHAR *Data;                  /* the write's bytes not yet queued */
    ULONG Length;                       /* may be 0 */
    BOOLEAN EndKnown;                   /* in/out: End is valid */
    ULONG End;                          /* in/out: TxQueuedTotal after the write's last byte */
    ULONG Appended;                     /* out */
    ULONG DoneTotal;                    /* out: TxDoneTotal */
} SER_TX_STEP, *PSER_TX_STEP;

/* Divisor and LCR for SerProgramLine. */
typedef struct _SER_LINE_SETTINGS {
    PSER_EXTENSION Extension;
    USHORT Divisor;
    UCHAR Lcr;
} SER_LINE_SETTINGS, *PSER_LINE_SETTINGS;

/* A consistent copy of the ISR's counters and buffer levels. */
typedef struct _SER_SNAPSHOT {
    PSER_EXTENSION Extension;
    BOOLEAN ClearErrorWord;             /* in: IOCTL_SERIAL_GET_COMMSTATUS reads and clears it */
    ULONG ErrorWord;
    SERIALPERF_STATS Perf;
    ULONG BreakCount;
    ULONG EchoDropped;
    ULONG InterruptCount;
    ULONG RxCount;
    ULONG TxCount;
    UCHAR ModemStatus;
} SER_SNAPSHOT, *PSER_SNAPSHOT;

/* IOCTL_SERIAL_PURGE's buffer part. */
typedef struct _SER_PURGE {
    PSER_EXTENSION Extension;
    ULONG Mask;                         /* SERIAL_PURGE_RXCLEAR / _TXCLEAR */
} SER_PURGE, *PSER_PURGE;

/* ---- Routines, declared through their WDK function classes ------------------------------------ */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE SerAddDevice;
DRIVER_UNLOAD SerUnload;

_Dispatch_type_(IRP_MJ_CREATE)
_Dispatch_type_(IRP_MJ_CLOSE)
DRIVER_DISPATCH SerDispatchCreateClose;

_Dispatch_type_(IRP_MJ_READ)
DRIVER_DISPATCH SerDispatchRead;

_Dispatch_type_(IRP_MJ_WRITE)
DRIVER_DISPATCH SerDispatchWrite;

_Dispatch_type_(IRP_MJ_DEVICE_CONTROL)
DRIVER_DISPATCH SerDispatchDeviceControl;

_Dispatch_type_(IRP_MJ_PNP)
DRIVER_DISPATCH SerDispatchPnp;

_Dispatch_type_(IRP_MJ_POWER)
DRIVER_DISPATCH SerDispatchPower;

IO_COMPLETION_ROUTINE SerForwardCompletion;
KSERVICE_ROUTINE SerInterruptService;
IO_DPC_ROUTINE SerDpcForIsr;
KDEFERRED_ROUTINE SerReadTimerDpc;
DRIVER_CANCEL SerCancelQueuedIrp;

KSYNCHRONIZE_ROUTINE SerEnableInterrupts;
KSYNCHRONIZE_ROUTINE SerDisableInterrupts;
KSYNCHRONIZE_ROUTINE SerProgramLine;
KSYNCHRONIZE_ROUTINE SerTakeRxBytes;
KSYNCHRONIZE_ROUTINE SerTransmitStep;
KSYNCHRONIZE_ROUTINE SerTakeSnapshot;
KSYNCHRONIZE_ROUTINE SerPurgeBuffers;

/* ---- Port access: I/O space on a PC, memory space where the platform translates it ---------- */

FORCEINLINE UCHAR SerRead(_In_ PSER_EXTENSION Ext, _In_ ULONG Register)
{
    return Ext->PortMapped ? READ_PORT_UCHAR(Ext->PortBase + Register)
                           : READ_REGISTER_UCHAR(Ext->PortBase + Register);
}

FORCEINLINE VOID SerWrite(_In_ PSER_EXTENSION Ext, _In_ ULONG Register, _In_ UCHAR Value)
{
    if (Ext->PortMapped) {
        WRITE_PORT_UCHAR(Ext->PortBase + Register, Value);
    } else {
        WRITE_REGISTER_UCHAR(Ext->PortBase + Register, Value);
    }
}
