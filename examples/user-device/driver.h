/*
 * driver.h - "Thermal", a WDM function driver for the THS-1 memory-mapped temperature sensor
 * (devices/thermal-sensor.js is the part's model and, in its header comment, its datasheet).
 *
 * The sensor converts continuously; the driver takes an interrupt for every result (to keep
 * the latest temperature) and for every limit alert, prints alerts, completes
 * IOCTL_THERMAL_WAIT_ALERT requests with them, and lets applications read the temperature
 * and change the limits.
 */
#pragma once

#include <ntddk.h>

/* ---- Hardware: BAR0 (32 bytes, memory) ---------------------------------------------------- */

typedef struct _THM_REGISTERS {
    ULONG Id;               /* 0x00 RO   THM_ID */
    ULONG Control;          /* 0x04 RW   THM_CONTROL_* */
    ULONG Status;           /* 0x08 R/W1C THM_STATUS_*: causes latch; the state bits are RO */
    ULONG Temperature;      /* 0x0C RO   last result: 1/16 degC, sign-extended */
    ULONG HighLimit;        /* 0x10 RW   1/16 degC */
    ULONG LowLimit;         /* 0x14 RW   1/16 degC */
    ULONG Hysteresis;       /* 0x18 RW   1/16 degC, bits 11:0 */
    ULONG Reserved;         /* 0x1C */
} THM_REGISTERS, *PTHM_REGISTERS;

C_ASSERT(sizeof(THM_REGISTERS) == 0x20);
C_ASSERT(FIELD_OFFSET(THM_REGISTERS, Hysteresis) == 0x18);

#define THM_ID                      0x54485331  /* "THS1" */

#define THM_CONTROL_ENABLE          0x00000001  /* convert */
#define THM_CONTROL_CONTINUOUS      0x00000002  /* ...continuously (else one-shot) */
#define THM_CONTROL_INT_SHIFT       4           /* bit 4+n enables STATUS cause bit n */
#define THM_CONTROL_RESET           0x80000000  /* back to power-on state (self-clearing) */

#define THM_STATUS_DATA_READY       0x00000001  /* W1C: a conversion finished */
#define THM_STATUS_ALERT_HIGH       0x00000002  /* W1C: reached HIGH_LIMIT */
#define THM_STATUS_ALERT_LOW        0x00000004  /* W1C: fell to LOW_LIMIT */
#define THM_STATUS_CAUSES           (THM_STATUS_DATA_READY | THM_STATUS_ALERT_HIGH | THM_STATUS_ALERT_LOW)
#define THM_STATUS_BUSY             0x00000100  /* RO: converting */
#define THM_STATUS_HIGH             0x00000200  /* RO: high excursion in progress */
#define THM_STATUS_LOW              0x00000400  /* RO: low excursion in progress */

/* Temperatures are LONGs in 1/16 degC (the sensor's unit) everywhere in this driver. */
#define THM_SIXTEENTHS(celsius)     ((LONG)((celsius) * 16))
#define THM_TEMPERATURE_MIN         (-2048)     /* -128.0000 degC */
#define THM_TEMPERATURE_MAX         2047        /* +127.9375 degC */
#define THM_HYSTERESIS_MAX          0xFFF

/* Limits programmed at START_DEVICE (IOCTL_THERMAL_SET_LIMITS changes them until the next
   start). The sensor's own power-on values are 80 / 0 / 2 degC. */
#define THM_DEFAULT_HIGH_LIMIT      THM_SIXTEENTHS(70)
#define THM_DEFAULT_LOW_LIMIT       THM_SIXTEENTHS(5)
#define THM_DEFAULT_HYSTERESIS      THM_SIXTEENTHS(2)

/* ---- Interface to applications ----------------------------------------------------------- */
#define FILE_DEVICE_THERMAL_SENSOR  0x8A53

/* Out: LONG, the latest temperature in 1/16 degC. */
#define IOCTL_THERMAL_READ \
    CTL_CODE(FILE_DEVICE_THERMAL_SENSOR, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)     /* 0x8A536000 */
/* Out: THERMAL_ALERT. Pends (cancelably) until the next alert. */
#define IOCTL_THERMAL_WAIT_ALERT \
    CTL_CODE(FILE_DEVICE_THERMAL_SENSOR, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS)     /* 0x8A536004 */
/* In: THERMAL_LIMITS. */
#define IOCTL_THERMAL_SET_LIMITS \
    CTL_CODE(FILE_DEVICE_THERMAL_SENSOR, 0x802, METHOD_BUFFERED, FILE_WRITE_ACCESS)    /* 0x8A53A008 */

/* THERMAL_ALERT.Cause */
#define THERMAL_ALERT_HIGH          1           /* the temperature reached the high limit */
#define THERMAL_ALERT_LOW           2           /* the temperature fell to the low limit */
#define THERMAL_ALERT_NORMAL        3           /* back inside the limits, past the hysteresis */

typedef struct _THERMAL_ALERT {
    ULONG Cause;                                /* THERMAL_ALERT_* */
    LONG Temperature;                           /* 1/16 degC, when the alert was seen */
} THERMAL_ALERT, *PTHERMAL_ALERT;

typedef struct _THERMAL_LIMITS {
    LONG HighLimit;                             /* 1/16 degC */
    LONG LowLimit;                              /* 1/16 degC, below HighLimit */
    LONG Hysteresis;                            /* 1/16 degC, 0 to HighLimit - LowLimit */
} THERMAL_LIMITS, *PTHERMAL_LIMITS;

#define THM_POOL_TAG                'mrhT'      /* "Thrm" in !pool output */
#define THM_DEVICE_NAME             L"\\Device\\Thermal0"
#define THM_LINK_NAME               L"\\DosDevices\\Thermal0"

/* ---- Device extension ---------------------------------------------------------------------- */

typedef enum _THM_EXCURSION {
    ThmNormal,
    ThmHigh,
    ThmLow
} THM_EXCURSION;

typedef struct _THM_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT LowerDevice;
    PDEVICE_OBJECT Pdo;
    IO_REMOVE_LOCK RemoveLock;                  /* held by every IRP the driver is working on */
    BOOLEAN LinkCreated;

    /* Resources from IRP_MN_START_DEVICE. */
    PTHM_REGISTERS Registers;                   /* BAR0 mapped with MmMapIoSpaceEx */
    SIZE_T RegisterSpan;
    PKINTERRUPT Interrupt;
    ULONG Vector;
    KIRQL Irql;
    KAFFINITY Affinity;
    KINTERRUPT_MODE InterruptMode;
    BOOLEAN ShareVector;

    /* The STATUS causes CONTROL enables. Written only under the interrupt spin lock
       (KeSynchronizeExecution) together with CONTROL; the ISR reads it to tell our
       interrupts from those of another device on the shared line. */
    ULONG EnabledCauses;

    /* ISR -> DpcForIsr: causes acknowledged and not yet handled (InterlockedOr in the ISR,
       InterlockedExchange in the DPC: a DPC that is already queued is not queued again). */
    volatile LONG PendingCauses;

    /* Lock protects everything below. The dispatch routines (PASSIVE), the cancel routine
       and the DpcForIsr (DISPATCH) share it; the ISR never takes it. */
    KSPIN_LOCK Lock;
    BOOLEAN Started;
    BOOLEAN HaveTemperature;                    /* at least one result since the start */
    LONG Temperature;                           /* the latest result */
    THM_EXCURSION Excursion;                    /* as last reported */
    THERMAL_LIMITS Limits;                      /* what the sensor holds */
    LIST_ENTRY WaitQueue;                       /* IOCTL_THERMAL_WAIT_ALERT IRPs, linked through
                                                   Irp->Tail.Overlay.ListEntry */
} THM_EXTENSION, *PTHM_EXTENSION;

/* KeSynchronizeExecution context for ThmProgramControl. */
typedef struct _THM_CONTROL_CONTEXT {
    PTHM_EXTENSION Extension;
    ULONG Control;                              /* THM_CONTROL_* to write */
} THM_CONTROL_CONTEXT, *PTHM_CONTROL_CONTEXT;

/* ---- Routines, declared through their WDK function classes -------------------------------- */

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE ThmAddDevice;
DRIVER_UNLOAD ThmUnload;

_Dispatch_type_(IRP_MJ_CREATE)
_Dispatch_type_(IRP_MJ_CLOSE)
DRIVER_DISPATCH ThmDispatchCreateClose;

_Dispatch_type_(IRP_MJ_DEVICE_CONTROL)
DRIVER_DISPATCH ThmDispatchDeviceControl;

_Dispatch_type_(IRP_MJ_PNP)
DRIVER_DISPATCH ThmDispatchPnp;

_Dispatch_type_(IRP_MJ_POWER)
DRIVER_DISPATCH ThmDispatchPower;

IO_COMPLETION_ROUTINE ThmStartCompletion;
KSERVICE_ROUTINE ThmInterruptService;
IO_DPC_ROUTINE ThmDpcForIsr;
KSYNCHRONIZE_ROUTINE ThmProgramControl;
DRIVER_CANCEL ThmCancelWait;
