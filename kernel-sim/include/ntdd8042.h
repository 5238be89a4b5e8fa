/*
 * ntdd8042.h - i8042prt's filter-hook interface: the internal IOCTLs an upper filter of the
 * i8042 keyboard or mouse port (Kbfiltr, Moufiltr) receives or sends to hook the port's ISR
 * and initialization and to write to the device or controller, the records they carry, the
 * port's ISR state enums, and the callback types. Values and layouts as in the WDK's
 * ntdd8042.h (x64). Include after <wdm.h> or <ntddk.h>.
 *
 * The WDK also has an enum I8042_PORT_TYPE here, but inside `#if 0`: it is not declared (and
 * i8042prt's own configuration header uses the name as a macro), so neither is it here.
 */
#pragma once
#ifndef _NTDD8042_
#define _NTDD8042_

#include <ntddkbd.h>
#include <ntddmou.h>

/* ---- IRP_MJ_INTERNAL_DEVICE_CONTROL codes ----------------------------------------------------
 * i8042prt sends HOOK_* (while it handles the class driver's CONNECT) and *_START_INFORMATION
 * (once its interrupt is connected) to the top of its own device stack, so every upper filter
 * sees them on the way down: a filter fills in its hooks, or keeps the interrupt object for
 * KeSynchronizeExecution, and passes the request on. A filter sends the WRITE_BUFFER codes down
 * to write bytes to the device (keyboard/mouse) or to the controller's command port. */
#define IOCTL_INTERNAL_I8042_HOOK_KEYBOARD              CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0FF0, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_I8042_KEYBOARD_WRITE_BUFFER      CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0FF1, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_I8042_CONTROLLER_WRITE_BUFFER    CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0FF2, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_I8042_KEYBOARD_START_INFORMATION CTL_CODE(FILE_DEVICE_KEYBOARD, 0x0FF3, METHOD_NEITHER, FILE_ANY_ACCESS)

#define IOCTL_INTERNAL_I8042_HOOK_MOUSE                 CTL_CODE(FILE_DEVICE_MOUSE, 0x0FF0, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_I8042_MOUSE_WRITE_BUFFER         CTL_CODE(FILE_DEVICE_MOUSE, 0x0FF1, METHOD_NEITHER, FILE_ANY_ACCESS)
#define IOCTL_INTERNAL_I8042_MOUSE_START_INFORMATION    CTL_CODE(FILE_DEVICE_MOUSE, 0x0FF3, METHOD_NEITHER, FILE_ANY_ACCESS)

/* Bits of the devnode's PowerCapabilities REG_DWORD: which power keys the keyboard has. */
#define I8042_POWER_SYS_BUTTON  0x0001
#define I8042_SLEEP_SYS_BUTTON  0x0002
#define I8042_WAKE_SYS_BUTTON   0x0004
#define I8042_SYS_BUTTONS       (I8042_POWER_SYS_BUTTON | I8042_SLEEP_SYS_BUTTON | I8042_WAKE_SYS_BUTTON)

/* ---- Port callbacks a hook may use ------------------------------------------------------------ */

/* Polled (synchronous) reads and writes of the data port, offered to the keyboard
   initialization hook; WaitForACK makes the write wait for (and retry until) the device's ACK.
   STATUS_IO_TIMEOUT if the hardware did not answer. */
_IRQL_requires_same_
_Must_inspect_result_
typedef NTSTATUS (*PI8042_SYNCH_READ_PORT)(
    _In_ PVOID Context,
    _Out_ PUCHAR Value,
    _In_ BOOLEAN WaitForACK);

_IRQL_requires_same_
_Must_inspect_result_
typedef NTSTATUS (*PI8042_SYNCH_WRITE_PORT)(
    _In_ PVOID Context,
    _In_ UCHAR Value,
    _In_ BOOLEAN WaitForACK);

/* From inside an ISR hook (at the port's DIRQL): write a byte to the device... */
typedef VOID (*PI8042_ISR_WRITE_PORT)(
    _In_ PVOID Context,
    _In_ UCHAR Value);

/* ...and queue the current input packet for the port's ISR DPC (which calls the class service). */
typedef VOID (*PI8042_QUEUE_PACKET)(
    _In_ PVOID Context);

/* ---- Port ISR state ------------------------------------------------------------------------ */

typedef enum _TRANSMIT_STATE {
    Idle = 0,
    SendingBytes
} TRANSMIT_STATE;

/* The bytes the port is currently sending to the device. */
typedef struct _OUTPUT_PACKET {
    PUCHAR Bytes;
    ULONG CurrentByte;
    ULONG ByteCount;
    TRANSMIT_STATE State;
} OUTPUT_PACKET, *POUTPUT_PACKET;

typedef enum _KEYBOARD_SCAN_STATE {
    Normal,
    GotE0,
    GotE1
} KEYBOARD_SCAN_STATE, *PKEYBOARD_SCAN_STATE;

/* Which byte of a mouse packet the ISR expects next. */
typedef enum _MOUSE_STATE {
    MouseIdle,
    XMovement,
    YMovement,
    ZMovement,
    MouseExpectingACK,
    MouseResetting
} MOUSE_STATE, *PMOUSE_STATE;

/* Steps of the mouse reset/identification sequence (MouseState == MouseResetting). A hook may
   run its own steps numbered CustomHookStateMinimum..CustomHookStateMaximum. */
typedef enum _MOUSE_RESET_SUBSTATE {
    ExpectingReset = 0,
    ExpectingResetId,
    ExpectingGetDeviceIdACK,
    ExpectingGetDeviceIdValue,
    ExpectingSetResolutionDefaultACK,
    ExpectingSetResolutionDefaultValueACK,
    ExpectingSetResolutionACK,
    ExpectingSetResolutionValueACK,
    ExpectingSetScaling1to1ACK,
    ExpectingSetScaling1to1ACK2,
    ExpectingSetScaling1to1ACK3,
    ExpectingReadMouseStatusACK,
    ExpectingReadMouseStatusByte1,
    ExpectingReadMouseStatusByte2,
    ExpectingReadMouseStatusByte3,
    StartPnPIdDetection,
    ExpectingLoopSetSamplingRateACK,
    ExpectingLoopSetSamplingRateValueACK,
    ExpectingPnpIdByte1,
    ExpectingPnpIdByte2,
    ExpectingPnpIdByte3,
    ExpectingPnpIdByte4,
    ExpectingPnpIdByte5,
    ExpectingPnpIdByte6,
    ExpectingPnpIdByte7,
    EnableWheel,
    Enable5Buttons,
    ExpectingGetDeviceId2ACK,
    ExpectingGetDeviceId2Value,
    ExpectingSetSamplingRateACK,
    ExpectingSetSamplingRateValueACK,
    ExpectingEnableACK,
    ExpectingFinalResolutionACK,
    ExpectingFinalResolutionValueACK,
    ExpectingGetDeviceIdDetectACK,
    ExpectingGetDeviceIdDetectValue,
    CustomHookStateMinimum = 100,
    CustomHookStateMaximum = 999,
    I8042ReservedMinimum = 1000
} MOUSE_RESET_SUBSTATE, *PMOUSE_RESET_SUBSTATE;

/* ---- Hooks a filter installs ------------------------------------------------------------------- */

/* Called by i8042prt while it initializes the keyboard; it may talk to the keyboard through
   ReadPort/WritePort (polled, with SynchFuncContext). */
typedef NTSTATUS (*PI8042_KEYBOARD_INITIALIZATION_ROUTINE)(
    _In_ PVOID InitializationContext,
    _In_ PVOID SynchFuncContext,
    _In_ PI8042_SYNCH_READ_PORT ReadPort,
    _In_ PI8042_SYNCH_WRITE_PORT WritePort,
    _Out_ PBOOLEAN TurnTranslationOn);

/* Called from i8042prt's keyboard ISR (DIRQL) for each byte read, before the port processes it.
   *ContinueProcessing = FALSE stops the port's own processing; the ISR then returns this
   routine's result. */
_IRQL_requires_same_
_Must_inspect_result_
typedef BOOLEAN (*PI8042_KEYBOARD_ISR)(
    _In_ PVOID IsrContext,
    _In_ PKEYBOARD_INPUT_DATA CurrentInput,
    _In_ POUTPUT_PACKET CurrentOutput,
    _In_ UCHAR StatusByte,
    _In_ PUCHAR Byte,
    _Out_ PBOOLEAN ContinueProcessing,
    _In_ PKEYBOARD_SCAN_STATE ScanState);

/* Called from i8042prt's mouse ISR (DIRQL) for each byte read. */
_IRQL_requires_same_
_Must_inspect_result_
typedef BOOLEAN (*PI8042_MOUSE_ISR)(
    _In_ PVOID IsrContext,
    _In_ PMOUSE_INPUT_DATA CurrentInput,
    _In_ POUTPUT_PACKET CurrentOutput,
    _In_ UCHAR StatusByte,
    _In_ PUCHAR Byte,
    _Inout_ PBOOLEAN ContinueProcessing,
    _In_ PMOUSE_STATE MouseState,
    _In_ PMOUSE_RESET_SUBSTATE ResetSubState);

/* Type3InputBuffer of IOCTL_INTERNAL_I8042_HOOK_KEYBOARD. OUT: set by the filter (NULL = no
   hook); IN: supplied by i8042prt for the hooks to call with CallContext. */
typedef struct _INTERNAL_I8042_HOOK_KEYBOARD {
    OUT PVOID Context;
    OUT PI8042_KEYBOARD_INITIALIZATION_ROUTINE InitializationRoutine;
    OUT PI8042_KEYBOARD_ISR IsrRoutine;
    IN PI8042_ISR_WRITE_PORT IsrWritePort;
    IN PI8042_QUEUE_PACKET QueueKeyboardPacket;
    IN PVOID CallContext;
} INTERNAL_I8042_HOOK_KEYBOARD, *PINTERNAL_I8042_HOOK_KEYBOARD;

/* Type3InputBuffer of IOCTL_INTERNAL_I8042_HOOK_MOUSE. */
typedef struct _INTERNAL_I8042_HOOK_MOUSE {
    OUT PVOID Context;
    OUT PI8042_MOUSE_ISR IsrRoutine;
    IN PI8042_ISR_WRITE_PORT IsrWritePort;
    IN PI8042_QUEUE_PACKET QueueMousePacket;
    IN PVOID CallContext;
} INTERNAL_I8042_HOOK_MOUSE, *PINTERNAL_I8042_HOOK_MOUSE;

/* Type3InputBuffer of the *_START_INFORMATION requests. */
typedef struct _INTERNAL_I8042_START_INFORMATION {
    ULONG Size;                         /* sizeof(INTERNAL_I8042_START_INFORMATION) */
    PKINTERRUPT InterruptObject;
    ULONG Reserved[8];
} INTERNAL_I8042_START_INFORMATION, *PINTERNAL_I8042_START_INFORMATION;

/* ---- x64 layouts ------------------------------------------------------------------------------ */

_Static_assert(sizeof(OUTPUT_PACKET) == 24 && FIELD_OFFSET(OUTPUT_PACKET, State) == 16, "OUTPUT_PACKET");
_Static_assert(sizeof(INTERNAL_I8042_HOOK_KEYBOARD) == 48 &&
               FIELD_OFFSET(INTERNAL_I8042_HOOK_KEYBOARD, IsrWritePort) == 24, "INTERNAL_I8042_HOOK_KEYBOARD");
_Static_assert(sizeof(INTERNAL_I8042_HOOK_MOUSE) == 40 &&
               FIELD_OFFSET(INTERNAL_I8042_HOOK_MOUSE, IsrWritePort) == 16, "INTERNAL_I8042_HOOK_MOUSE");
_Static_assert(sizeof(INTERNAL_I8042_START_INFORMATION) == 48 &&
               FIELD_OFFSET(INTERNAL_I8042_START_INFORMATION, InterruptObject) == 8, "INTERNAL_I8042_START_INFORMATION");

#endif /* _NTDD8042_ */
