/*
 * kbdmou.h - how a keyboard or mouse port driver connects to its class driver (kbdclass /
 * mouclass): the internal IOCTLs the class driver (or an upper filter) sends down the stack,
 * the CONNECT_DATA they carry, and the class service callback the port driver then calls with
 * runs of KEYBOARD_INPUT_DATA / MOUSE_INPUT_DATA packets. Also the port/class device name
 * strings and error-log bases. Values and layouts as in the WDK's kbdmou.h (x64).
 * Include after <wdm.h> or <ntddk.h>.
 */
#pragma once
#ifndef _KBDMOU_
#define _KBDMOU_

#include <ntddkbd.h>
#include <ntddmou.h>

/* ---- Device names (a unit number is appended: \Device\KeyboardPort0) ------------------------ */

#define DD_KEYBOARD_PORT_DEVICE_NAME    "\\Device\\KeyboardPort"
#define DD_KEYBOARD_PORT_DEVICE_NAME_U  L"\\Device\\KeyboardPort"
#define DD_KEYBOARD_PORT_BASE_NAME_U    L"KeyboardPort"
#define DD_POINTER_PORT_DEVICE_NAME     "\\Device\\PointerPort"
#define DD_POINTER_PORT_DEVICE_NAME_U   L"\\Device\\PointerPort"
#define DD_POINTER_PORT_BASE_NAME_U     L"PointerPort"

#define DD_KEYBOARD_CLASS_BASE_NAME_U   L"KeyboardClass"
#define DD_POINTER_CLASS_BASE_NAME_U    L"PointerClass"

#define DD_KEYBOARD_RESOURCE_CLASS_NAME_U             L"Keyboard"
#define DD_POINTER_RESOURCE_CLASS_NAME_U              L"Pointer"
#define DD_KEYBOARD_MOUSE_COMBO_RESOURCE_CLASS_NAME_U L"Keyboard/Pointer"

/* How many port device names a legacy port driver tries with IoCreateDevice. */
#define POINTER_PORTS_MAXIMUM   8
#define KEYBOARD_PORTS_MAXIMUM  8

/* ---- Connecting the class service ---------------------------------------------------------- */

/* Parameters.DeviceIoControl.Type3InputBuffer of the CONNECT requests. The port driver keeps
   it and completes the request; a filter saves the class's copy and substitutes its own. */
typedef struct _CONNECT_DATA {
    IN PDEVICE_OBJECT ClassDeviceObject;    /* first argument of every ClassService call */
    IN PVOID ClassService;                  /* a PSERVICE_CALLBACK_ROUTINE */
} CONNECT_DATA, *PCONNECT_DATA;

/*
 * The class service callback. kbdclass's is documented as
 *   VOID KeyboardClassServiceCallback(PDEVICE_OBJECT DeviceObject,
 *       PKEYBOARD_INPUT_DATA InputDataStart, PKEYBOARD_INPUT_DATA InputDataEnd,
 *       PULONG InputDataConsumed);
 * and mouclass's MouseClassServiceCallback alike with PMOUSE_INPUT_DATA: InputDataEnd points
 * just past the last packet, and the callback adds the number of packets it took to
 * *InputDataConsumed. Port drivers call it from their ISR's DPC, at DISPATCH_LEVEL.
 */
_IRQL_requires_(DISPATCH_LEVEL)
typedef VOID (*PSERVICE_CALLBACK_ROUTINE)(
    _In_ PVOID NormalContext,
    _In_ PVOID SystemArgument1,
    _In_ PVOID SystemArgument2,
    _Inout_ PVOID SystemArgument3);

/* IRP_MJ_INTERNAL_DEVICE_CONTROL codes. DISCONNECT is not implemented by the system's port
   drivers (they complete it with STATUS_NOT_IMPLEMENTED); PnP removal disconnects instead. */
#define IOCTL_INTERNAL_KEYBOARD_CONNECT     CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0080, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_KEYBOARD_DISCONNECT  CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0100, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_KEYBOARD_ENABLE      CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0200, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_KEYBOARD_DISABLE     CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0400, METHOD_NEITHER, FILE_ANY_ACCESS)

#define IOCTL_INTERNAL_MOUSE_CONNECT        CTL_CODE(FILE_DEVICE_MOUSE, 0x0080, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_MOUSE_DISCONNECT     CTL_CODE(FILE_DEVICE_MOUSE, 0x0100, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_MOUSE_ENABLE         CTL_CODE(FILE_DEVICE_MOUSE, 0x0200, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_MOUSE_DISABLE        CTL_CODE(FILE_DEVICE_MOUSE, 0x0400, METHOD_NEITHER, FILE_ANY_ACCESS)

/* ---- Error logging -------------------------------------------------------------------------- */

/* IO_ERROR_LOG_PACKET.DumpData[0]; DumpData[1] is the port, [2]/[3] command and parameter
   (or expected and actual response) bytes. */
#define KBDMOU_COULD_NOT_SEND_COMMAND   0x0000
#define KBDMOU_COULD_NOT_SEND_PARAM     0x0001
#define KBDMOU_NO_RESPONSE              0x0002
#define KBDMOU_INCORRECT_RESPONSE       0x0004

/* Bases of the port drivers' IO_ERROR_LOG_PACKET.UniqueErrorValue. */
#define I8042_ERROR_VALUE_BASE          1000
#define INPORT_ERROR_VALUE_BASE         2000
#define SERIAL_MOUSE_ERROR_VALUE_BASE   3000

/* ---- WMI data blocks port drivers return (MSKeyboard_PortInformation, MSMouse_PortInformation) */

#define KEYBOARD_PORT_WMI_STD_DATA_GUID {0x4731F89A, 0x71CB, 0x11D1, {0xA5, 0x2C, 0x00, 0xA0, 0xC9, 0x06, 0x29, 0x10}}
typedef struct _KEYBOARD_PORT_WMI_STD_DATA {
    ULONG ConnectorType;                /* KEYBOARD_PORT_WMI_STD_* */
    ULONG DataQueueSize;                /* entries */
    ULONG ErrorCount;
    ULONG FunctionKeys;
    ULONG Indicators;
} KEYBOARD_PORT_WMI_STD_DATA, *PKEYBOARD_PORT_WMI_STD_DATA;

#define KEYBOARD_PORT_WMI_STD_I8042     0
#define KEYBOARD_PORT_WMI_STD_SERIAL    1
#define KEYBOARD_PORT_WMI_STD_USB       2

#define POINTER_PORT_WMI_STD_DATA_GUID  {0x4731F89C, 0x71CB, 0x11D1, {0xA5, 0x2C, 0x00, 0xA0, 0xC9, 0x06, 0x29, 0x10}}
typedef struct _POINTER_PORT_WMI_STD_DATA {
    ULONG ConnectorType;                /* POINTER_PORT_WMI_STD_I8042 ... */
    ULONG DataQueueSize;                /* entries */
    ULONG ErrorCount;
    ULONG Buttons;
    ULONG HardwareType;                 /* POINTER_PORT_WMI_STD_MOUSE ... */
} POINTER_PORT_WMI_STD_DATA, *PPOINTER_PORT_WMI_STD_DATA;

#define POINTER_PORT_WMI_STD_I8042          0
#define POINTER_PORT_WMI_STD_SERIAL         1
#define POINTER_PORT_WMI_STD_USB            2

#define POINTER_PORT_WMI_STD_MOUSE          0
#define POINTER_PORT_WMI_STD_POINTER        1
#define POINTER_PORT_WMI_ABSOLUTE_POINTER   2
#define POINTER_PORT_WMI_TABLET             3
#define POINTER_PORT_WMI_TOUCH_SCRENE       4   /* sic */
#define POINTER_PORT_WMI_PEN                5
#define POINTER_PORT_WMI_TRACK_BALL         6
#define POINTER_PORT_WMI_OTHER              0x100

/* ---- x64 layouts (the simulated class drivers read CONNECT_DATA with this layout) ------------- */

_Static_assert(sizeof(CONNECT_DATA) == 16 && FIELD_OFFSET(CONNECT_DATA, ClassService) == 8, "CONNECT_DATA");
_Static_assert(sizeof(KEYBOARD_PORT_WMI_STD_DATA) == 20 && sizeof(POINTER_PORT_WMI_STD_DATA) == 20,
               "KEYBOARD/POINTER_PORT_WMI_STD_DATA");

#endif /* _KBDMOU_ */
