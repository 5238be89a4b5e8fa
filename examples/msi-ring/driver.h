/*
 * driver.h - "RingCard", a WDM function driver for a small NIC-like PCI device with on-chip
 * RX/TX descriptor rings, doorbells and message-signalled interrupts (three MSI messages),
 * falling back to a level-triggered line when the system grants no messages.
 *
 * The device cannot reach system memory (no bus mastering): its descriptors live in BAR0
 * and the driver fills and harvests them with READ/WRITE_REGISTER_ULONG.
 */
#pragma once

#include <ntddk.h>

/* ---- Hardware: BAR0 (4 KiB, memory) ------------------------------------------------------ */

/* One RX or TX descriptor: up to 8 data bytes carried in two little-endian dwords. */
typedef struct _RING_DESCRIPTOR {
    ULONG Length;           /* +0x0 bytes in Data0/Data1 (0-8) */
    ULONG Flags;            /* +0x4 RING_DESC_* */
    ULONG Data0;            /* +0x8 bytes 0-3 */
    ULONG Data1;            /* +0xC bytes 4-7 */
} RING_DESCRIPTOR, *PRING_DESCRIPTOR;

#define RING_MAX_DESCRIPTORS    64
#define RING_DESCRIPTOR_BYTES   8           /* data bytes one descriptor carries */

typedef struct _RING_REGISTERS {
    ULONG Id;               /* 0x000 RO  RING_ID */
    ULONG Control;          /* 0x004 RW  RING_CONTROL_* */
    ULONG IntStatus;        /* 0x008 W1C RING_INT_*: causes latch here whatever the mask */
    ULONG IntMask;          /* 0x00C RW  RING_INT_*: causes that interrupt */
    ULONG RxDoorbell;       /* 0x010 RW  last RX descriptor made available */
    ULONG RxHead;           /* 0x014 RO  next RX descriptor the device fills */
    ULONG TxDoorbell;       /* 0x018 RW  last TX descriptor queued (starts TX) */
    ULONG TxHead;           /* 0x01C RO  next TX descriptor the device sends */
    ULONG RingSize;         /* 0x020 RW  entries per ring, power of 2 up to 64; only while disabled */
    ULONG MsiControl;       /* 0x024 RW  RING_MSI_ENABLE */
    ULONG RxMissed;         /* 0x028 RO  frames dropped for want of an RX descriptor */
    ULONG Reserved[53];     /* 0x02C-0x0FF */
    RING_DESCRIPTOR Rx[RING_MAX_DESCRIPTORS];   /* 0x100 */
    RING_DESCRIPTOR Tx[RING_MAX_DESCRIPTORS];   /* 0x500 */
} RING_REGISTERS, *PRING_REGISTERS;

C_ASSERT(sizeof(RING_DESCRIPTOR) == 0x10);
C_ASSERT(FIELD_OFFSET(RING_REGISTERS, RxMissed) == 0x028);
C_ASSERT(FIELD_OFFSET(RING_REGISTERS, Rx) == 0x100);
C_ASSERT(FIELD_OFFSET(RING_REGISTERS, Tx) == 0x500);

#define RING_ID                 0x8A521234

#define RING_CONTROL_ENABLE     0x00000001  /* transmit and receive */
#define RING_CONTROL_RESET      0x00000002  /* self-clearing: back to power-on state */

#define RING_INT_RX_DONE        0x00000001
#define RING_INT_TX_DONE        0x00000002
#define RING_INT_ERROR          0x00000004  /* RX overrun (RX_MISSED grew) or a TX descriptor error */
#define RING_INT_ALL            (RING_INT_RX_DONE | RING_INT_TX_DONE | RING_INT_ERROR)

#define RING_MSI_ENABLE         0x00000001  /* message N for cause bit N; the line stays low */
#define RING_MSI_MESSAGES       3           /* 0 RX_DONE, 1 TX_DONE, 2 ERROR */

#define RING_DESC_OWNED         0x00000001  /* the device may use it */
#define RING_DESC_DONE          0x00000002  /* the device filled (RX) or sent (TX) it */
#define RING_DESC_ERROR         0x00000004

/* Entries per ring this driver programs (RING_SIZE). Small on purpose: a burst of more
   than 8 frames before the DPC runs overruns the RX ring. */
#define RING_ENTRIES            8

/* ---- Interface to applications ------------------------------------------------------------
 * ReadFile returns received bytes: it completes as soon as any are available, with up to
 * the requested length (pends, cancelably, while none are). WriteFile transmits its bytes,
 * 8 per TX descriptor, and completes when the device has sent them all. */
#define FILE_DEVICE_RINGCARD    0x8A52

/* Out: RING_STATISTICS. */
#define IOCTL_RING_GET_STATISTICS \
    CTL_CODE(FILE_DEVICE_RINGCARD, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)     /* 0x8A526000 */

typedef struct _RING_STATISTICS {
    ULONG RxFrames;         /* frames harvested from the RX ring */
    ULONG RxBytes;
    ULONG TxFrames;         /* TX descriptors the device sent */
    ULONG TxBytes;
    ULONG RxMissed;         /* the device's RX_MISSED counter */
    ULONG Errors;           /* ERROR causes handled */
} RING_STATISTICS, *PRING_STATISTICS;

#define RING_POOL_TAG           'gniR'      /* "Ring" in !pool output */
#define RING_DEVICE_NAME        L"\\Device\\RingCard0"
#define RING_LINK_NAME          L"\\DosDevices\\RingCard0"

/* Received bytes waiting for reads. A frame is harvested only when it fits: when this is
   full the driver leaves descriptors DONE (the device then drops frames: RX_MISSED) until
   reads make room. */
#define RING_RX_QUEUE_BYTES     256

/* SystemArgument1 of RingDpc when no message ISR queued it (those pass their MessageID). */
#define RING_LINE_INTERRUPT     ((ULONG)-1)     /* the line-based fallback ISR */
#define RING_READ_KICK          ((ULONG)-2)     /* a read made room while RX was stalled */

/* ---- Device extension ---------------------------------------------------------------------- */

typedef struct _RING_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;              /* held by every IRP the driver is working on */
    BOOLEAN LinkCreated;

    /* Resources from IRP_MN_START_DEVICE. */
    PRING_REGISTERS Registers;              /* BAR0 mapped with MmMapIoSpaceEx */
    SIZE_T RegisterSpan;

    /* IoConnectInterruptEx's result: Version is CONNECT_MESSAGE_BASED (Connection is the
       IO_INTERRUPT_MESSAGE_INFO table) or CONNECT_LINE_BASED (the KINTERRUPT). */
    ULONG ConnectVersion;
    union {
        PVOID Generic;
        PIO_INTERRUPT_MESSAGE_INFO MessageTable;
        PKINTERRUPT Interrupt;
    } Connection;
    BOOLEAN Connected;
    ULONG IntMask;                          /* what INT_MASK holds while started (0 before) */

    /* ISR -> DPC: causes acknowledged by the ISRs and not yet handled. The ISRs (up to one
       per message, on any CPU) OR into it, the DPC takes it with InterlockedExchange. */
    volatile LONG PendingCauses;
    KDPC Dpc;                               /* RingDpc: one for all messages */

    /* Lock protects everything below, which the dispatch routines (PASSIVE), the cancel
       routine and RingDpc (DISPATCH, possibly on two CPUs at once: the ISR may queue the
       DPC again while it runs) share. The ISRs never take it. */
    KSPIN_LOCK Lock;
    BOOLEAN Started;

    /* RX: the next descriptor to harvest; received bytes; reads waiting for bytes. */
    ULONG RxNext;
    BOOLEAN RxStalled;                      /* a DONE descriptor waits for queue room */
    UCHAR RxQueue[RING_RX_QUEUE_BYTES];
    ULONG RxQueueHead;                      /* oldest byte */
    ULONG RxQueueCount;
    LIST_ENTRY ReadQueue;                   /* pending reads, Irp->Tail.Overlay.ListEntry */

    /* TX: one write at a time on the ring; later ones wait (cancelably) in WriteQueue. */
    LIST_ENTRY WriteQueue;
    PIRP CurrentWrite;                      /* being sent: no longer cancelable */
    ULONG WriteLength;
    ULONG WriteQueued;                      /* bytes put into descriptors so far */
    ULONG WriteSent;                        /* bytes the device reported DONE */
    BOOLEAN WriteFailed;
    ULONG TxNext;                           /* next descriptor to fill */
    ULONG TxClean;                          /* oldest descriptor not yet harvested */
    ULONG TxInFlight;

    RING_STATISTICS Stats;
} RING_EXTENSION, *PRING_EXTENSION;

/* ---- Routines, declared through their WDK function classes -------------------------------- */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE RingAddDevice;
DRIVER_UNLOAD RingUnload;

_Dispatch_type_(IRP_MJ_CREATE)
_Dispatch_type_(IRP_MJ_CLOSE)
DRIVER_DISPATCH RingDispatchCreateClose;

_Dispatch_type_(IRP_MJ_READ)
DRIVER_DISPATCH RingDispatchRead;

_Dispatch_type_(IRP_MJ_WRITE)
DRIVER_DISPATCH RingDispatchWrite;

_Dispatch_type_(IRP_MJ_DEVICE_CONTROL)
DRIVER_DISPATCH RingDispatchDeviceControl;

_Dispatch_type_(IRP_MJ_PNP)
DRIVER_DISPATCH RingDispatchPnp;

_Dispatch_type_(IRP_MJ_POWER)
DRIVER_DISPATCH RingDispatchPower;

IO_COMPLETION_ROUTINE RingStartCompletion;
KMESSAGE_SERVICE_ROUTINE RingMessageIsr;
KSERVICE_ROUTINE RingLineIsr;
KDEFERRED_ROUTINE RingDpc;
DRIVER_CANCEL RingCancelQueuedIrp;
