/*
 * ntddkbd.h - the keyboard device interface: IOCTL_KEYBOARD_* (FILE_DEVICE_KEYBOARD,
 * METHOD_BUFFERED), the KEYBOARD_INPUT_DATA packet a port driver hands the keyboard class
 * driver (kbdclass) and that a read of \Device\KeyboardClassN returns, and the attribute,
 * typematic and indicator records. Values and layouts as in the WDK's ntddkbd.h (x64).
 * Include after <wdm.h> or <ntddk.h>; kbdmou.h includes it.
 *
 * GUID_DEVINTERFACE_KEYBOARD is declared only when DEFINE_GUID is defined; kdsim's headers
 * do not define DEFINE_GUID.
 */
#pragma once
#ifndef _NTDDKBD_
#define _NTDDKBD_

/* Class device names; a unit number is appended (\Device\KeyboardClass0). */
#define DD_KEYBOARD_DEVICE_NAME     "\\Device\\KeyboardClass"
#define DD_KEYBOARD_DEVICE_NAME_U   L"\\Device\\KeyboardClass"

#define IOCTL_KEYBOARD_QUERY_ATTRIBUTES             CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0000, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_SET_TYPEMATIC                CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0001, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_SET_INDICATORS               CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0002, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_QUERY_TYPEMATIC              CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0008, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_QUERY_INDICATORS             CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0010, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_QUERY_INDICATOR_TRANSLATION  CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0020, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_INSERT_DATA                  CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0040, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_QUERY_EXTENDED_ATTRIBUTES    CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0080, METHOD_BUFFERED, FILE_ANY_ACCESS)
/* IME status of the keyboard hardware (Far East keyboards). */
#define IOCTL_KEYBOARD_QUERY_IME_STATUS             CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0400, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_KEYBOARD_SET_IME_STATUS               CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0401, METHOD_BUFFERED, FILE_ANY_ACCESS)

#ifdef DEFINE_GUID
/* {884B96C3-56EF-11D1-BC8C-00A0C91405DD} */
DEFINE_GUID(GUID_DEVINTERFACE_KEYBOARD,
            0x884b96c3, 0x56ef, 0x11d1, 0xbc, 0x8c, 0x00, 0xa0, 0xc9, 0x14, 0x05, 0xdd);
#define GUID_CLASS_KEYBOARD GUID_DEVINTERFACE_KEYBOARD      /* obsolete name */
#endif

/* ---- Input packets ---------------------------------------------------------------------- */

typedef struct _KEYBOARD_INPUT_DATA {
    USHORT UnitId;                      /* N of \Device\KeyboardPortN */
    USHORT MakeCode;                    /* scan code (set 1), without the break bit */
    USHORT Flags;                       /* KEY_* */
    USHORT Reserved;
    ULONG ExtraInformation;             /* device-specific */
} KEYBOARD_INPUT_DATA, *PKEYBOARD_INPUT_DATA;

/* MakeCode of the packet a port driver queues when its input buffer overflows. */
#define KEYBOARD_OVERRUN_MAKE_CODE  0xFF

/* KEYBOARD_INPUT_DATA.Flags */
#define KEY_MAKE                    0   /* key pressed */
#define KEY_BREAK                   1   /* key released */
#define KEY_E0                      2   /* preceded by the 0xE0 prefix */
#define KEY_E1                      4   /* preceded by the 0xE1 prefix (Pause) */
#define KEY_TERMSRV_SET_LED         8
#define KEY_TERMSRV_SHADOW          0x10
#define KEY_TERMSRV_VKPACKET        0x20
#define KEY_RIM_VKEY                0x40
#define KEY_FROM_KEYBOARD_OVERRIDER 0x80
#define KEY_UNICODE_SEQUENCE_ITEM   0x100
#define KEY_UNICODE_SEQUENCE_END    0x200

/* ---- QUERY_TYPEMATIC / SET_TYPEMATIC ----------------------------------------------------------- */

typedef struct _KEYBOARD_TYPEMATIC_PARAMETERS {
    USHORT UnitId;
    USHORT Rate;                        /* repeats per second */
    USHORT Delay;                       /* milliseconds before repeating */
} KEYBOARD_TYPEMATIC_PARAMETERS, *PKEYBOARD_TYPEMATIC_PARAMETERS;

/* ---- QUERY_ATTRIBUTES ------------------------------------------------------------------------ */

typedef struct _KEYBOARD_ID {
    UCHAR Type;                         /* 4: IBM enhanced 101/102-key, 7: Japanese, 8: Korean */
    UCHAR Subtype;                      /* OEM-dependent */
} KEYBOARD_ID, *PKEYBOARD_ID;

typedef struct _KEYBOARD_ATTRIBUTES {
    KEYBOARD_ID KeyboardIdentifier;
    USHORT KeyboardMode;                /* scan code set */
    USHORT NumberOfFunctionKeys;
    USHORT NumberOfIndicators;          /* LEDs */
    USHORT NumberOfKeysTotal;
    ULONG InputDataQueueLength;         /* bytes of the typeahead buffer */
    KEYBOARD_TYPEMATIC_PARAMETERS KeyRepeatMinimum;
    KEYBOARD_TYPEMATIC_PARAMETERS KeyRepeatMaximum;
} KEYBOARD_ATTRIBUTES, *PKEYBOARD_ATTRIBUTES;

/* TRUE for an enhanced (101/102-key) or compatible keyboard, FALSE for an old AT (83/84/86-key). */
#define ENHANCED_KEYBOARD(Id)   ((Id).Type == 2 || (Id).Type == 4 || FAREAST_KEYBOARD(Id))
/* Japanese (7) and Korean (8) keyboards are enhanced-compatible too. */
#define FAREAST_KEYBOARD(Id)    ((Id).Type == 7 || (Id).Type == 8)

/* ---- QUERY_EXTENDED_ATTRIBUTES (HID usages 0x2C1-0x2C6) --------------------------------------- */

#define KEYBOARD_EXTENDED_ATTRIBUTES_STRUCT_VERSION_1   (1)

typedef struct _KEYBOARD_EXTENDED_ATTRIBUTES {
    UCHAR Version;                      /* KEYBOARD_EXTENDED_ATTRIBUTES_STRUCT_VERSION_1 */
    UCHAR FormFactor;
    UCHAR KeyType;
    UCHAR PhysicalLayout;
    UCHAR VendorSpecificPhysicalLayout;
    UCHAR IETFLanguageTagIndex;
    UCHAR ImplementedInputAssistControls;
} KEYBOARD_EXTENDED_ATTRIBUTES, *PKEYBOARD_EXTENDED_ATTRIBUTES;

/* ---- QUERY_INDICATORS / SET_INDICATORS, QUERY_INDICATOR_TRANSLATION -------------------------- */

typedef struct _KEYBOARD_INDICATOR_PARAMETERS {
    USHORT UnitId;
    USHORT LedFlags;                    /* KEYBOARD_*_ON */
} KEYBOARD_INDICATOR_PARAMETERS, *PKEYBOARD_INDICATOR_PARAMETERS;

typedef struct _INDICATOR_LIST {
    USHORT MakeCode;
    USHORT IndicatorFlags;
} INDICATOR_LIST, *PINDICATOR_LIST;

typedef struct _KEYBOARD_INDICATOR_TRANSLATION {
    USHORT NumberOfIndicatorKeys;
    INDICATOR_LIST IndicatorList[1];    /* NumberOfIndicatorKeys entries */
} KEYBOARD_INDICATOR_TRANSLATION, *PKEYBOARD_INDICATOR_TRANSLATION;

/* KEYBOARD_INDICATOR_PARAMETERS.LedFlags, INDICATOR_LIST.IndicatorFlags */
#define KEYBOARD_LED_INJECTED     0x8000    /* Terminal Server */
#define KEYBOARD_SHADOW           0x4000    /* Terminal Server */
#define KEYBOARD_KANA_LOCK_ON     8         /* Japanese keyboards */
#define KEYBOARD_CAPS_LOCK_ON     4
#define KEYBOARD_NUM_LOCK_ON      2
#define KEYBOARD_SCROLL_LOCK_ON   1

/* ---- Other records ------------------------------------------------------------------------------ */

/* Input buffer of keyboard IOCTLs that only name a unit. */
typedef struct _KEYBOARD_UNIT_ID_PARAMETER {
    USHORT UnitId;
} KEYBOARD_UNIT_ID_PARAMETER, *PKEYBOARD_UNIT_ID_PARAMETER;

/* Base of the keyboard drivers' IO_ERROR_LOG_PACKET.UniqueErrorValue. */
#define KEYBOARD_ERROR_VALUE_BASE   10000

/* QUERY_IME_STATUS / SET_IME_STATUS */
typedef struct _KEYBOARD_IME_STATUS {
    USHORT UnitId;
    ULONG ImeOpen;
    ULONG ImeConvMode;
} KEYBOARD_IME_STATUS, *PKEYBOARD_IME_STATUS;

/* ---- x64 layouts (the class driver reads packets with this layout) ----------------------------- */

_Static_assert(sizeof(KEYBOARD_INPUT_DATA) == 12 && FIELD_OFFSET(KEYBOARD_INPUT_DATA, ExtraInformation) == 8,
               "KEYBOARD_INPUT_DATA");
_Static_assert(sizeof(KEYBOARD_TYPEMATIC_PARAMETERS) == 6, "KEYBOARD_TYPEMATIC_PARAMETERS");
_Static_assert(sizeof(KEYBOARD_ATTRIBUTES) == 28 && FIELD_OFFSET(KEYBOARD_ATTRIBUTES, InputDataQueueLength) == 12 &&
               FIELD_OFFSET(KEYBOARD_ATTRIBUTES, KeyRepeatMaximum) == 22, "KEYBOARD_ATTRIBUTES");
_Static_assert(sizeof(KEYBOARD_EXTENDED_ATTRIBUTES) == 7, "KEYBOARD_EXTENDED_ATTRIBUTES");
_Static_assert(sizeof(KEYBOARD_INDICATOR_TRANSLATION) == 6, "KEYBOARD_INDICATOR_TRANSLATION");
_Static_assert(sizeof(KEYBOARD_IME_STATUS) == 12, "KEYBOARD_IME_STATUS");

#endif /* _NTDDKBD_ */
