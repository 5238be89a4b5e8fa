/*
 * ntddmou.h - the mouse device interface: IOCTL_MOUSE_* (FILE_DEVICE_MOUSE, METHOD_BUFFERED),
 * the MOUSE_INPUT_DATA packet a port driver hands the mouse class driver (mouclass) and that
 * a read of \Device\PointerClassN returns, and MOUSE_ATTRIBUTES. Values and layouts as in the
 * WDK's ntddmou.h (x64). Include after <wdm.h> or <ntddk.h>; kbdmou.h includes it.
 *
 * GUID_DEVINTERFACE_MOUSE is declared only when DEFINE_GUID is defined; kdsim's headers do
 * not define DEFINE_GUID.
 */
#pragma once
#ifndef _NTDDMOU_
#define _NTDDMOU_

/* Class device names; a unit number is appended (\Device\PointerClass0). */
#define DD_MOUSE_DEVICE_NAME    "\\Device\\PointerClass"
#define DD_MOUSE_DEVICE_NAME_U  L"\\Device\\PointerClass"

#define IOCTL_MOUSE_QUERY_ATTRIBUTES    CTL_CODE(FILE_DEVICE_MOUSE, 0, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_MOUSE_INSERT_DATA         CTL_CODE(FILE_DEVICE_MOUSE, 1, METHOD_BUFFERED, FILE_ANY_ACCESS)

#ifdef DEFINE_GUID
/* {378DE44C-56EF-11D1-BC8C-00A0C91405DD} */
DEFINE_GUID(GUID_DEVINTERFACE_MOUSE,
            0x378de44c, 0x56ef, 0x11d1, 0xbc, 0x8c, 0x00, 0xa0, 0xc9, 0x14, 0x05, 0xdd);
#define GUID_CLASS_MOUSE GUID_DEVINTERFACE_MOUSE            /* obsolete name */
#endif

/* ---- Input packets ---------------------------------------------------------------------- */

typedef struct _MOUSE_INPUT_DATA {
    USHORT UnitId;                      /* N of \Device\PointerPortN */
    USHORT Flags;                       /* MOUSE_MOVE_*, MOUSE_VIRTUAL_DESKTOP, ... */
    union {
        ULONG Buttons;
        struct {
            USHORT ButtonFlags;         /* button transitions: MOUSE_*_BUTTON_DOWN/UP, MOUSE_WHEEL */
            USHORT ButtonData;          /* wheel delta (signed, WHEEL_DELTA = 120 per notch) */
        };
    };
    ULONG RawButtons;                   /* raw button state */
    LONG LastX;                         /* signed motion, or absolute 0..0xFFFF */
    LONG LastY;                         /* positive = down (towards the user) */
    ULONG ExtraInformation;             /* device-specific */
} MOUSE_INPUT_DATA, *PMOUSE_INPUT_DATA;

/* MOUSE_INPUT_DATA.ButtonFlags: transitions since the last packet */
#define MOUSE_LEFT_BUTTON_DOWN      0x0001
#define MOUSE_LEFT_BUTTON_UP        0x0002
#define MOUSE_RIGHT_BUTTON_DOWN     0x0004
#define MOUSE_RIGHT_BUTTON_UP       0x0008
#define MOUSE_MIDDLE_BUTTON_DOWN    0x0010
#define MOUSE_MIDDLE_BUTTON_UP      0x0020

#define MOUSE_BUTTON_1_DOWN         MOUSE_LEFT_BUTTON_DOWN
#define MOUSE_BUTTON_1_UP           MOUSE_LEFT_BUTTON_UP
#define MOUSE_BUTTON_2_DOWN         MOUSE_RIGHT_BUTTON_DOWN
#define MOUSE_BUTTON_2_UP           MOUSE_RIGHT_BUTTON_UP
#define MOUSE_BUTTON_3_DOWN         MOUSE_MIDDLE_BUTTON_DOWN
#define MOUSE_BUTTON_3_UP           MOUSE_MIDDLE_BUTTON_UP

#define MOUSE_BUTTON_4_DOWN         0x0040
#define MOUSE_BUTTON_4_UP           0x0080
#define MOUSE_BUTTON_5_DOWN         0x0100
#define MOUSE_BUTTON_5_UP           0x0200

#define MOUSE_WHEEL                 0x0400  /* ButtonData holds the vertical wheel delta */
#define MOUSE_HWHEEL                0x0800  /* ButtonData holds the horizontal wheel delta */

/* MOUSE_INPUT_DATA.Flags */
#define MOUSE_MOVE_RELATIVE         0
#define MOUSE_MOVE_ABSOLUTE         1
#define MOUSE_VIRTUAL_DESKTOP       0x02    /* absolute coordinates span the virtual desktop */
#define MOUSE_ATTRIBUTES_CHANGED    0x04    /* requery the mouse attributes */
#if !defined(_WIN32_WINNT) || _WIN32_WINNT >= 0x0600
#define MOUSE_MOVE_NOCOALESCE       0x08    /* do not coalesce WM_MOUSEMOVEs */
#endif
#define MOUSE_TERMSRV_SRC_SHADOW    0x100

/* ---- QUERY_ATTRIBUTES ------------------------------------------------------------------------ */

typedef struct _MOUSE_ATTRIBUTES {
    USHORT MouseIdentifier;             /* MOUSE_*_HARDWARE, ... */
    USHORT NumberOfButtons;
    USHORT SampleRate;                  /* reports per second, if applicable */
    ULONG InputDataQueueLength;         /* bytes of the readahead buffer */
} MOUSE_ATTRIBUTES, *PMOUSE_ATTRIBUTES;

/* MOUSE_ATTRIBUTES.MouseIdentifier */
#define MOUSE_INPORT_HARDWARE       0x0001
#define MOUSE_I8042_HARDWARE        0x0002
#define MOUSE_SERIAL_HARDWARE       0x0004
#define BALLPOINT_I8042_HARDWARE    0x0008
#define BALLPOINT_SERIAL_HARDWARE   0x0010
#define WHEELMOUSE_I8042_HARDWARE   0x0020
#define WHEELMOUSE_SERIAL_HARDWARE  0x0040
#define MOUSE_HID_HARDWARE          0x0080
#define WHEELMOUSE_HID_HARDWARE     0x0100
#define HORIZONTAL_WHEEL_PRESENT    0x8000

/* ---- Other records ------------------------------------------------------------------------------ */

/* Input buffer of mouse IOCTLs that only name a unit. */
typedef struct _MOUSE_UNIT_ID_PARAMETER {
    USHORT UnitId;
} MOUSE_UNIT_ID_PARAMETER, *PMOUSE_UNIT_ID_PARAMETER;

/* Base of the mouse drivers' IO_ERROR_LOG_PACKET.UniqueErrorValue. */
#define MOUSE_ERROR_VALUE_BASE      20000

/* ---- x64 layouts (the class driver reads packets with this layout) ----------------------------- */

_Static_assert(sizeof(MOUSE_INPUT_DATA) == 24 && FIELD_OFFSET(MOUSE_INPUT_DATA, Buttons) == 4 &&
               FIELD_OFFSET(MOUSE_INPUT_DATA, ButtonData) == 6 && FIELD_OFFSET(MOUSE_INPUT_DATA, LastX) == 12,
               "MOUSE_INPUT_DATA");
_Static_assert(sizeof(MOUSE_ATTRIBUTES) == 12 && FIELD_OFFSET(MOUSE_ATTRIBUTES, InputDataQueueLength) == 8,
               "MOUSE_ATTRIBUTES");

#endif /* _NTDDMOU_ */
