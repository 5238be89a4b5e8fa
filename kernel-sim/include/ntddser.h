/*
 * ntddser.h - the serial port device interface: IOCTL_SERIAL_* codes (FILE_DEVICE_SERIAL_PORT,
 * all METHOD_BUFFERED / FILE_ANY_ACCESS), their input/output records, and the flag values
 * serial.sys and the Win32 comm API (SetCommState, WaitCommEvent, ...) exchange through them.
 * Values and layouts as in the WDK's ntddser.h (x64). Include after <wdm.h> or <ntddk.h>.
 *
 * GUID_DEVINTERFACE_COMPORT is declared only when DEFINE_GUID is defined (the WDK guards it
 * the same way); kdsim's headers do not define DEFINE_GUID.
 */
#pragma once
#ifndef _NTDDSER_
#define _NTDDSER_

#ifdef DEFINE_GUID
/* {86E0D1E0-8089-11D0-9CE4-08003E301F73} */
DEFINE_GUID(GUID_DEVINTERFACE_COMPORT,
            0x86E0D1E0L, 0x8089, 0x11D0, 0x9C, 0xE4, 0x08, 0x00, 0x3E, 0x30, 0x1F, 0x73);
/* {4D36E978-E325-11CE-BFC1-08002BE10318} */
DEFINE_GUID(GUID_DEVINTERFACE_SERENUM_BUS_ENUMERATOR,
            0x4D36E978L, 0xE325, 0x11CE, 0xBF, 0xC1, 0x08, 0x00, 0x2B, 0xE1, 0x03, 0x18);
#define GUID_CLASS_COMPORT          GUID_DEVINTERFACE_COMPORT
#define GUID_SERENUM_BUS_ENUMERATOR GUID_DEVINTERFACE_SERENUM_BUS_ENUMERATOR
#endif

/* ---- IRP_MJ_DEVICE_CONTROL codes ---------------------------------------------------------- */

#define IOCTL_SERIAL_SET_BAUD_RATE      CTL_CODE(FILE_DEVICE_SERIAL_PORT,  1, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_QUEUE_SIZE     CTL_CODE(FILE_DEVICE_SERIAL_PORT,  2, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_LINE_CONTROL   CTL_CODE(FILE_DEVICE_SERIAL_PORT,  3, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_BREAK_ON       CTL_CODE(FILE_DEVICE_SERIAL_PORT,  4, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_BREAK_OFF      CTL_CODE(FILE_DEVICE_SERIAL_PORT,  5, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_IMMEDIATE_CHAR     CTL_CODE(FILE_DEVICE_SERIAL_PORT,  6, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_TIMEOUTS       CTL_CODE(FILE_DEVICE_SERIAL_PORT,  7, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_TIMEOUTS       CTL_CODE(FILE_DEVICE_SERIAL_PORT,  8, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_DTR            CTL_CODE(FILE_DEVICE_SERIAL_PORT,  9, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_CLR_DTR            CTL_CODE(FILE_DEVICE_SERIAL_PORT, 10, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_RESET_DEVICE       CTL_CODE(FILE_DEVICE_SERIAL_PORT, 11, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_RTS            CTL_CODE(FILE_DEVICE_SERIAL_PORT, 12, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_CLR_RTS            CTL_CODE(FILE_DEVICE_SERIAL_PORT, 13, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_XOFF           CTL_CODE(FILE_DEVICE_SERIAL_PORT, 14, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_XON            CTL_CODE(FILE_DEVICE_SERIAL_PORT, 15, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_WAIT_MASK      CTL_CODE(FILE_DEVICE_SERIAL_PORT, 16, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_WAIT_MASK      CTL_CODE(FILE_DEVICE_SERIAL_PORT, 17, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_WAIT_ON_MASK       CTL_CODE(FILE_DEVICE_SERIAL_PORT, 18, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_PURGE              CTL_CODE(FILE_DEVICE_SERIAL_PORT, 19, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_BAUD_RATE      CTL_CODE(FILE_DEVICE_SERIAL_PORT, 20, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_LINE_CONTROL   CTL_CODE(FILE_DEVICE_SERIAL_PORT, 21, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_CHARS          CTL_CODE(FILE_DEVICE_SERIAL_PORT, 22, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_CHARS          CTL_CODE(FILE_DEVICE_SERIAL_PORT, 23, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_HANDFLOW       CTL_CODE(FILE_DEVICE_SERIAL_PORT, 24, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_HANDFLOW       CTL_CODE(FILE_DEVICE_SERIAL_PORT, 25, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_MODEMSTATUS    CTL_CODE(FILE_DEVICE_SERIAL_PORT, 26, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_COMMSTATUS     CTL_CODE(FILE_DEVICE_SERIAL_PORT, 27, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_XOFF_COUNTER       CTL_CODE(FILE_DEVICE_SERIAL_PORT, 28, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_PROPERTIES     CTL_CODE(FILE_DEVICE_SERIAL_PORT, 29, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_DTRRTS         CTL_CODE(FILE_DEVICE_SERIAL_PORT, 30, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_LSRMST_INSERT      CTL_CODE(FILE_DEVICE_SERIAL_PORT, 31, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_CONFIG_SIZE        CTL_CODE(FILE_DEVICE_SERIAL_PORT, 32, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_COMMCONFIG     CTL_CODE(FILE_DEVICE_SERIAL_PORT, 33, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_COMMCONFIG     CTL_CODE(FILE_DEVICE_SERIAL_PORT, 34, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_STATS          CTL_CODE(FILE_DEVICE_SERIAL_PORT, 35, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_CLEAR_STATS        CTL_CODE(FILE_DEVICE_SERIAL_PORT, 36, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_GET_MODEM_CONTROL  CTL_CODE(FILE_DEVICE_SERIAL_PORT, 37, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_MODEM_CONTROL  CTL_CODE(FILE_DEVICE_SERIAL_PORT, 38, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_FIFO_CONTROL   CTL_CODE(FILE_DEVICE_SERIAL_PORT, 39, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* Reserved for the serial framework extension (SerCx/SerCx2). */
#define IOCTL_SERIAL_APPLY_DEFAULT_CONFIGURATION   CTL_CODE(FILE_DEVICE_SERIAL_PORT, 40, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_SET_INTERVAL_TIMER_RESOLUTION CTL_CODE(FILE_DEVICE_SERIAL_PORT, 41, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* Serenum (serial enumerator) codes; function codes 128-255 are serenum's. */
#define IOCTL_SERENUM_EXPOSE_HARDWARE   CTL_CODE(FILE_DEVICE_SERENUM, 128, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERENUM_REMOVE_HARDWARE   CTL_CODE(FILE_DEVICE_SERENUM, 129, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERENUM_PORT_DESC         CTL_CODE(FILE_DEVICE_SERENUM, 130, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERENUM_GET_PORT_NAME     CTL_CODE(FILE_DEVICE_SERENUM, 131, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* ---- IRP_MJ_INTERNAL_DEVICE_CONTROL codes (same numbers, other major function) ------------ */

#define IOCTL_SERIAL_INTERNAL_DO_WAIT_WAKE      CTL_CODE(FILE_DEVICE_SERIAL_PORT, 1, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_INTERNAL_CANCEL_WAIT_WAKE  CTL_CODE(FILE_DEVICE_SERIAL_PORT, 2, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_INTERNAL_BASIC_SETTINGS    CTL_CODE(FILE_DEVICE_SERIAL_PORT, 3, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_SERIAL_INTERNAL_RESTORE_SETTINGS  CTL_CODE(FILE_DEVICE_SERIAL_PORT, 4, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_SERENUM_REMOVE_SELF      CTL_CODE(FILE_DEVICE_SERENUM, 129, METHOD_NEITHER, FILE_ANY_ACCESS)

/* ---- Line settings: SET/GET_BAUD_RATE, SET/GET_LINE_CONTROL, SET_QUEUE_SIZE ---------------- */

typedef struct _SERIAL_BAUD_RATE {
    ULONG BaudRate;                     /* bits per second, e.g. 9600 */
} SERIAL_BAUD_RATE, *PSERIAL_BAUD_RATE;

typedef struct _SERIAL_LINE_CONTROL {
    UCHAR StopBits;                     /* STOP_BIT_1, STOP_BITS_1_5, STOP_BITS_2 */
    UCHAR Parity;                       /* NO_PARITY ... SPACE_PARITY */
    UCHAR WordLength;                   /* data bits, 5..8 */
} SERIAL_LINE_CONTROL, *PSERIAL_LINE_CONTROL;

#define STOP_BIT_1      0
#define STOP_BITS_1_5   1
#define STOP_BITS_2     2

#define NO_PARITY       0
#define ODD_PARITY      1
#define EVEN_PARITY     2
#define MARK_PARITY     3
#define SPACE_PARITY    4

/* The driver may allocate more than asked; an error if it cannot allocate this much. */
typedef struct _SERIAL_QUEUE_SIZE {
    ULONG InSize;
    ULONG OutSize;
} SERIAL_QUEUE_SIZE, *PSERIAL_QUEUE_SIZE;

/* ---- SET/GET_TIMEOUTS (all in milliseconds; see the COMMTIMEOUTS rules) -------------------- */

typedef struct _SERIAL_TIMEOUTS {
    ULONG ReadIntervalTimeout;          /* MAXULONG with both read totals 0: return at once */
    ULONG ReadTotalTimeoutMultiplier;   /* per byte requested */
    ULONG ReadTotalTimeoutConstant;
    ULONG WriteTotalTimeoutMultiplier;
    ULONG WriteTotalTimeoutConstant;
} SERIAL_TIMEOUTS, *PSERIAL_TIMEOUTS;

/* ---- SET/GET_CHARS (the driver fails the request if XonChar == XoffChar) --------------------- */

typedef struct _SERIAL_CHARS {
    UCHAR EofChar;
    UCHAR ErrorChar;                    /* replaces a received character with a parity error */
    UCHAR BreakChar;                    /* inserted when a break is received */
    UCHAR EventChar;                    /* sets SERIAL_EV_RXFLAG when received */
    UCHAR XonChar;
    UCHAR XoffChar;
} SERIAL_CHARS, *PSERIAL_CHARS;

/* ---- SET/GET_HANDFLOW ------------------------------------------------------------------------ */

typedef struct _SERIAL_HANDFLOW {
    ULONG ControlHandShake;             /* SERIAL_DTR_*, SERIAL_*_HANDSHAKE, ... */
    ULONG FlowReplace;                  /* SERIAL_AUTO_*, SERIAL_RTS_*, ... */
    LONG XonLimit;                      /* send XON / raise RTS below this many queued bytes */
    LONG XoffLimit;                     /* flow off when fewer than this many bytes are free */
} SERIAL_HANDFLOW, *PSERIAL_HANDFLOW;

/* SERIAL_HANDFLOW.ControlHandShake */
#define SERIAL_DTR_MASK           ((ULONG)0x03)
#define SERIAL_DTR_CONTROL        ((ULONG)0x01)
#define SERIAL_DTR_HANDSHAKE      ((ULONG)0x02)
#define SERIAL_CTS_HANDSHAKE      ((ULONG)0x08)
#define SERIAL_DSR_HANDSHAKE      ((ULONG)0x10)
#define SERIAL_DCD_HANDSHAKE      ((ULONG)0x20)
#define SERIAL_OUT_HANDSHAKEMASK  ((ULONG)0x38)
#define SERIAL_DSR_SENSITIVITY    ((ULONG)0x40)
#define SERIAL_ERROR_ABORT        ((ULONG)0x80000000)
#define SERIAL_CONTROL_INVALID    ((ULONG)0x7fffff84)

/* SERIAL_HANDFLOW.FlowReplace */
#define SERIAL_AUTO_TRANSMIT      ((ULONG)0x01)
#define SERIAL_AUTO_RECEIVE       ((ULONG)0x02)
#define SERIAL_ERROR_CHAR         ((ULONG)0x04)
#define SERIAL_NULL_STRIPPING     ((ULONG)0x08)
#define SERIAL_BREAK_CHAR         ((ULONG)0x10)
#define SERIAL_RTS_MASK           ((ULONG)0xc0)
#define SERIAL_RTS_CONTROL        ((ULONG)0x40)
#define SERIAL_RTS_HANDSHAKE      ((ULONG)0x80)
#define SERIAL_TRANSMIT_TOGGLE    ((ULONG)0xc0)
#define SERIAL_XOFF_CONTINUE      ((ULONG)0x80000000)
#define SERIAL_FLOW_INVALID       ((ULONG)0x7fffff20)

/* ---- GET_COMMSTATUS ---------------------------------------------------------------------------- */

typedef struct _SERIAL_STATUS {
    ULONG Errors;                       /* SERIAL_ERROR_*, cleared by the request */
    ULONG HoldReasons;                  /* SERIAL_TX_WAITING_*, SERIAL_RX_WAITING_* */
    ULONG AmountInInQueue;
    ULONG AmountInOutQueue;
    BOOLEAN EofReceived;
    BOOLEAN WaitForImmediate;
} SERIAL_STATUS, *PSERIAL_STATUS;

/* SERIAL_STATUS.Errors */
#define SERIAL_ERROR_BREAK        ((ULONG)0x00000001)
#define SERIAL_ERROR_FRAMING      ((ULONG)0x00000002)
#define SERIAL_ERROR_OVERRUN      ((ULONG)0x00000004)
#define SERIAL_ERROR_QUEUEOVERRUN ((ULONG)0x00000008)
#define SERIAL_ERROR_PARITY       ((ULONG)0x00000010)

/* SERIAL_STATUS.HoldReasons */
#define SERIAL_TX_WAITING_FOR_CTS   ((ULONG)0x00000001)
#define SERIAL_TX_WAITING_FOR_DSR   ((ULONG)0x00000002)
#define SERIAL_TX_WAITING_FOR_DCD   ((ULONG)0x00000004)
#define SERIAL_TX_WAITING_FOR_XON   ((ULONG)0x00000008)
#define SERIAL_TX_WAITING_XOFF_SENT ((ULONG)0x00000010)
#define SERIAL_TX_WAITING_ON_BREAK  ((ULONG)0x00000020)
#define SERIAL_RX_WAITING_FOR_DSR   ((ULONG)0x00000040)

/* ---- SET/GET_WAIT_MASK and WAIT_ON_MASK (a ULONG of these) ------------------------------------- */

#define SERIAL_EV_RXCHAR    0x0001      /* any character received */
#define SERIAL_EV_RXFLAG    0x0002      /* the EventChar received */
#define SERIAL_EV_TXEMPTY   0x0004      /* transmit queue empty */
#define SERIAL_EV_CTS       0x0008      /* CTS changed */
#define SERIAL_EV_DSR       0x0010      /* DSR changed */
#define SERIAL_EV_RLSD      0x0020      /* DCD (receive line signal detect) changed */
#define SERIAL_EV_BREAK     0x0040      /* break received */
#define SERIAL_EV_ERR       0x0080      /* line status error (framing, overrun, parity) */
#define SERIAL_EV_RING      0x0100      /* ring indicator */
#define SERIAL_EV_PERR      0x0200      /* printer error */
#define SERIAL_EV_RX80FULL  0x0400      /* receive buffer 80% full */
#define SERIAL_EV_EVENT1    0x0800      /* provider-specific */
#define SERIAL_EV_EVENT2    0x1000      /* provider-specific */

/* ---- PURGE (a ULONG of these) -------------------------------------------------------------- */

#define SERIAL_PURGE_TXABORT 0x00000001 /* cancel the current and all pending writes */
#define SERIAL_PURGE_RXABORT 0x00000002 /* cancel the current and all pending reads */
#define SERIAL_PURGE_TXCLEAR 0x00000004 /* empty the transmit buffer */
#define SERIAL_PURGE_RXCLEAR 0x00000008 /* empty the receive buffer */

/* ---- GET_MODEMSTATUS / GET_DTRRTS (a ULONG of these) ----------------------------------------- */

#define SERIAL_DTR_STATE    ((ULONG)0x00000001)
#define SERIAL_RTS_STATE    ((ULONG)0x00000002)
#define SERIAL_CTS_STATE    ((ULONG)0x00000010)
#define SERIAL_DSR_STATE    ((ULONG)0x00000020)
#define SERIAL_RI_STATE     ((ULONG)0x00000040)
#define SERIAL_DCD_STATE    ((ULONG)0x00000080)

/* ---- LSRMST_INSERT: the byte after the escape character in the receive stream ----------------- */

#define SERIAL_LSRMST_ESCAPE     ((UCHAR)0x00)
#define SERIAL_LSRMST_LSR_DATA   ((UCHAR)0x01) /* then the LSR, then the character received with it */
#define SERIAL_LSRMST_LSR_NODATA ((UCHAR)0x02) /* then the LSR */
#define SERIAL_LSRMST_MST        ((UCHAR)0x03) /* then the MSR */

/* ---- SET_FIFO_CONTROL (16550 FCR bits) and GET/SET_MODEM_CONTROL (MCR bits) ------------------ */

#define SERIAL_IOC_FCR_FIFO_ENABLE      ((ULONG)0x00000001)
#define SERIAL_IOC_FCR_RCVR_RESET       ((ULONG)0x00000002)
#define SERIAL_IOC_FCR_XMIT_RESET       ((ULONG)0x00000004)
#define SERIAL_IOC_FCR_DMA_MODE         ((ULONG)0x00000008)
#define SERIAL_IOC_FCR_RES1             ((ULONG)0x00000010)
#define SERIAL_IOC_FCR_RES2             ((ULONG)0x00000020)
#define SERIAL_IOC_FCR_RCVR_TRIGGER_LSB ((ULONG)0x00000040)
#define SERIAL_IOC_FCR_RCVR_TRIGGER_MSB ((ULONG)0x00000080)

#define SERIAL_IOC_MCR_DTR              ((ULONG)0x00000001)
#define SERIAL_IOC_MCR_RTS              ((ULONG)0x00000002)
#define SERIAL_IOC_MCR_OUT1             ((ULONG)0x00000004)
#define SERIAL_IOC_MCR_OUT2             ((ULONG)0x00000008)
#define SERIAL_IOC_MCR_LOOP             ((ULONG)0x00000010)

/* ---- XOFF_COUNTER ------------------------------------------------------------------------------ */

/* Queued like a write: sends XoffChar, then completes once Counter bytes were received
   (STATUS_SUCCESS), after Timeout ms (STATUS_SERIAL_COUNTER_TIMEOUT; 0 = never) or when a later
   write arrives (STATUS_SERIAL_MORE_WRITES). */

typedef struct _SERIAL_XOFF_COUNTER {
    ULONG Timeout;
    LONG Counter;                       /* must be > 0 */
    UCHAR XoffChar;
} SERIAL_XOFF_COUNTER, *PSERIAL_XOFF_COUNTER;

/* ---- GET_PROPERTIES ------------------------------------------------------------------------- */

typedef struct _SERIAL_COMMPROP {
    USHORT PacketLength;
    USHORT PacketVersion;
    ULONG ServiceMask;                  /* SERIAL_SP_SERIALCOMM */
    ULONG Reserved1;
    ULONG MaxTxQueue;
    ULONG MaxRxQueue;
    ULONG MaxBaud;                      /* a SERIAL_BAUD_* bit */
    ULONG ProvSubType;                  /* SERIAL_SP_RS232, ... */
    ULONG ProvCapabilities;             /* SERIAL_PCF_* */
    ULONG SettableParams;               /* SERIAL_SP_PARITY, ... */
    ULONG SettableBaud;                 /* SERIAL_BAUD_* */
    USHORT SettableData;                /* SERIAL_DATABITS_* */
    USHORT SettableStopParity;          /* SERIAL_STOPBITS_*, SERIAL_PARITY_* */
    ULONG CurrentTxQueue;
    ULONG CurrentRxQueue;
    ULONG ProvSpec1;
    ULONG ProvSpec2;
    WCHAR ProvChar[1];
} SERIAL_COMMPROP, *PSERIAL_COMMPROP;

#define SERIAL_SP_SERIALCOMM      ((ULONG)0x00000001)

/* SERIAL_COMMPROP.ProvSubType */
#define SERIAL_SP_UNSPECIFIED     ((ULONG)0x00000000)
#define SERIAL_SP_RS232           ((ULONG)0x00000001)
#define SERIAL_SP_PARALLEL        ((ULONG)0x00000002)
#define SERIAL_SP_RS422           ((ULONG)0x00000003)
#define SERIAL_SP_RS423           ((ULONG)0x00000004)
#define SERIAL_SP_RS449           ((ULONG)0x00000005)
#define SERIAL_SP_MODEM           ((ULONG)0x00000006)
#define SERIAL_SP_FAX             ((ULONG)0x00000021)
#define SERIAL_SP_SCANNER         ((ULONG)0x00000022)
#define SERIAL_SP_BRIDGE          ((ULONG)0x00000100)
#define SERIAL_SP_LAT             ((ULONG)0x00000101)
#define SERIAL_SP_TELNET          ((ULONG)0x00000102)
#define SERIAL_SP_X25             ((ULONG)0x00000103)

/* SERIAL_COMMPROP.ProvCapabilities */
#define SERIAL_PCF_DTRDSR         ((ULONG)0x0001)
#define SERIAL_PCF_RTSCTS         ((ULONG)0x0002)
#define SERIAL_PCF_CD             ((ULONG)0x0004)
#define SERIAL_PCF_PARITY_CHECK   ((ULONG)0x0008)
#define SERIAL_PCF_XONXOFF        ((ULONG)0x0010)
#define SERIAL_PCF_SETXCHAR       ((ULONG)0x0020)
#define SERIAL_PCF_TOTALTIMEOUTS  ((ULONG)0x0040)
#define SERIAL_PCF_INTTIMEOUTS    ((ULONG)0x0080)
#define SERIAL_PCF_SPECIALCHARS   ((ULONG)0x0100)
#define SERIAL_PCF_16BITMODE      ((ULONG)0x0200)

/* SERIAL_COMMPROP.SettableParams */
#define SERIAL_SP_PARITY          ((ULONG)0x0001)
#define SERIAL_SP_BAUD            ((ULONG)0x0002)
#define SERIAL_SP_DATABITS        ((ULONG)0x0004)
#define SERIAL_SP_STOPBITS        ((ULONG)0x0008)
#define SERIAL_SP_HANDSHAKING     ((ULONG)0x0010)
#define SERIAL_SP_PARITY_CHECK    ((ULONG)0x0020)
#define SERIAL_SP_CARRIER_DETECT  ((ULONG)0x0040)

/* SERIAL_COMMPROP.MaxBaud / SettableBaud */
#define SERIAL_BAUD_075           ((ULONG)0x00000001)
#define SERIAL_BAUD_110           ((ULONG)0x00000002)
#define SERIAL_BAUD_134_5         ((ULONG)0x00000004)
#define SERIAL_BAUD_150           ((ULONG)0x00000008)
#define SERIAL_BAUD_300           ((ULONG)0x00000010)
#define SERIAL_BAUD_600           ((ULONG)0x00000020)
#define SERIAL_BAUD_1200          ((ULONG)0x00000040)
#define SERIAL_BAUD_1800          ((ULONG)0x00000080)
#define SERIAL_BAUD_2400          ((ULONG)0x00000100)
#define SERIAL_BAUD_4800          ((ULONG)0x00000200)
#define SERIAL_BAUD_7200          ((ULONG)0x00000400)
#define SERIAL_BAUD_9600          ((ULONG)0x00000800)
#define SERIAL_BAUD_14400         ((ULONG)0x00001000)
#define SERIAL_BAUD_19200         ((ULONG)0x00002000)
#define SERIAL_BAUD_38400         ((ULONG)0x00004000)
#define SERIAL_BAUD_56K           ((ULONG)0x00008000)
#define SERIAL_BAUD_128K          ((ULONG)0x00010000)
#define SERIAL_BAUD_115200        ((ULONG)0x00020000)
#define SERIAL_BAUD_57600         ((ULONG)0x00040000)
#define SERIAL_BAUD_USER          ((ULONG)0x10000000)

/* SERIAL_COMMPROP.SettableData */
#define SERIAL_DATABITS_5         ((USHORT)0x0001)
#define SERIAL_DATABITS_6         ((USHORT)0x0002)
#define SERIAL_DATABITS_7         ((USHORT)0x0004)
#define SERIAL_DATABITS_8         ((USHORT)0x0008)
#define SERIAL_DATABITS_16        ((USHORT)0x0010)
#define SERIAL_DATABITS_16X       ((USHORT)0x0020)

/* SERIAL_COMMPROP.SettableStopParity */
#define SERIAL_STOPBITS_10        ((USHORT)0x0001)
#define SERIAL_STOPBITS_15        ((USHORT)0x0002)
#define SERIAL_STOPBITS_20        ((USHORT)0x0004)
#define SERIAL_PARITY_NONE        ((USHORT)0x0100)
#define SERIAL_PARITY_ODD         ((USHORT)0x0200)
#define SERIAL_PARITY_EVEN        ((USHORT)0x0400)
#define SERIAL_PARITY_MARK        ((USHORT)0x0800)
#define SERIAL_PARITY_SPACE       ((USHORT)0x1000)

/* ---- GET_STATS, GET/SET_COMMCONFIG, INTERNAL_BASIC/RESTORE_SETTINGS -------------------------- */

typedef struct _SERIALPERF_STATS {
    ULONG ReceivedCount;
    ULONG TransmittedCount;
    ULONG FrameErrorCount;
    ULONG SerialOverrunErrorCount;      /* UART overruns */
    ULONG BufferOverrunErrorCount;      /* receive queue overruns */
    ULONG ParityErrorCount;
} SERIALPERF_STATS, *PSERIALPERF_STATS;

typedef struct _SERIALCONFIG {
    ULONG Size;
    USHORT Version;
    ULONG SubType;
    ULONG ProvOffset;
    ULONG ProviderSize;
    WCHAR ProviderData[1];
} SERIALCONFIG, *PSERIALCONFIG;

typedef struct _SERIAL_BASIC_SETTINGS {
    SERIAL_TIMEOUTS Timeouts;
    SERIAL_HANDFLOW HandFlow;
    ULONG RxFifo;
    ULONG TxFifo;
} SERIAL_BASIC_SETTINGS, *PSERIAL_BASIC_SETTINGS;

/* ---- Serenum ---------------------------------------------------------------------------------- */

typedef struct _SERENUM_PORT_DESC {
    IN ULONG Size;                      /* sizeof(SERENUM_PORT_DESC) */
    OUT PVOID PortHandle;
    OUT PHYSICAL_ADDRESS PortAddress;
    USHORT Reserved[1];
} SERENUM_PORT_DESC, *PSERENUM_PORT_DESC;

typedef UCHAR (*PSERENUM_READPORT)(_In_ PVOID SerPortAddress);
typedef VOID (*PSERENUM_WRITEPORT)(_In_ PVOID SerPortAddress, _In_ UCHAR Value);

typedef enum _SERENUM_PORTION {
    SerenumFirstHalf,
    SerenumSecondHalf,
    SerenumWhole
} SERENUM_PORTION;

/* IOCTL_INTERNAL_SERENUM_REMOVE_SELF's Parameters.Others.Argument1 */
typedef struct _SERENUM_PORT_PARAMETERS {
    IN ULONG Size;
    OUT PSERENUM_READPORT ReadAccessor;
    OUT PSERENUM_WRITEPORT WriteAccessor;
    OUT PVOID SerPortAddress;
    OUT PVOID HardwareHandle;
    OUT SERENUM_PORTION Portion;
    OUT USHORT NumberAxis;              /* legacy joysticks */
    USHORT Reserved[3];
} SERENUM_PORT_PARAMETERS, *PSERENUM_PORT_PARAMETERS;

/* ---- x64 layouts ------------------------------------------------------------------------------ */

_Static_assert(sizeof(SERIAL_LINE_CONTROL) == 3 && sizeof(SERIAL_CHARS) == 6, "SERIAL_LINE_CONTROL/CHARS");
_Static_assert(sizeof(SERIAL_TIMEOUTS) == 20 && sizeof(SERIAL_HANDFLOW) == 16, "SERIAL_TIMEOUTS/HANDFLOW");
_Static_assert(sizeof(SERIAL_STATUS) == 20 && FIELD_OFFSET(SERIAL_STATUS, WaitForImmediate) == 17, "SERIAL_STATUS");
_Static_assert(sizeof(SERIAL_XOFF_COUNTER) == 12, "SERIAL_XOFF_COUNTER");
_Static_assert(sizeof(SERIAL_COMMPROP) == 64 && FIELD_OFFSET(SERIAL_COMMPROP, ProvChar) == 60, "SERIAL_COMMPROP");
_Static_assert(sizeof(SERIALCONFIG) == 24 && FIELD_OFFSET(SERIALCONFIG, ProviderData) == 20, "SERIALCONFIG");
_Static_assert(sizeof(SERIAL_BASIC_SETTINGS) == 44, "SERIAL_BASIC_SETTINGS");
_Static_assert(sizeof(SERENUM_PORT_DESC) == 32 && FIELD_OFFSET(SERENUM_PORT_DESC, PortAddress) == 16, "SERENUM_PORT_DESC");
_Static_assert(sizeof(SERENUM_PORT_PARAMETERS) == 56, "SERENUM_PORT_PARAMETERS");

#endif /* _NTDDSER_ */
