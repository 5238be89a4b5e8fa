/*
 * kdsim/hal.h - hardware access: memory-mapped registers, I/O ports, busy waits.
 * Part of wdm.h.
 *
 * In the x64 WDK the register routines are inline functions over volatile accesses with
 * barriers; here every one is a routine of the simulator (bound by name), so each access
 * reaches the device model, costs simulated time and shows in the trace. All are callable
 * at any IRQL (KERNEL_MODEL section 6); each is a full memory barrier. A register address
 * must lie in a range mapped with MmMapIoSpace; a port in a CmResourceTypePort range.
 */
#pragma once
#ifndef _KDSIM_HAL_H_
#define _KDSIM_HAL_H_

/* ---- Memory-mapped registers --------------------------------------------------------------- */

NTKERNELAPI UCHAR NTAPI READ_REGISTER_UCHAR(_In_ _Notliteral_ volatile UCHAR *Register);
NTKERNELAPI USHORT NTAPI READ_REGISTER_USHORT(_In_ _Notliteral_ volatile USHORT *Register);
NTKERNELAPI ULONG NTAPI READ_REGISTER_ULONG(_In_ _Notliteral_ volatile ULONG *Register);
NTKERNELAPI ULONG64 NTAPI READ_REGISTER_ULONG64(_In_ _Notliteral_ volatile ULONG64 *Register);

NTKERNELAPI VOID NTAPI READ_REGISTER_BUFFER_UCHAR(
    _In_ _Notliteral_ volatile UCHAR *Register,
    _Out_writes_all_(Count) PUCHAR Buffer,
    _In_ ULONG Count);
NTKERNELAPI VOID NTAPI READ_REGISTER_BUFFER_USHORT(
    _In_ _Notliteral_ volatile USHORT *Register,
    _Out_writes_all_(Count) PUSHORT Buffer,
    _In_ ULONG Count);
NTKERNELAPI VOID NTAPI READ_REGISTER_BUFFER_ULONG(
    _In_ _Notliteral_ volatile ULONG *Register,
    _Out_writes_all_(Count) PULONG Buffer,
    _In_ ULONG Count);
NTKERNELAPI VOID NTAPI READ_REGISTER_BUFFER_ULONG64(
    _In_ _Notliteral_ volatile ULONG64 *Register,
    _Out_writes_all_(Count) PULONG64 Buffer,
    _In_ ULONG Count);

NTKERNELAPI VOID NTAPI WRITE_REGISTER_UCHAR(_In_ _Notliteral_ volatile UCHAR *Register, _In_ UCHAR Value);
NTKERNELAPI VOID NTAPI WRITE_REGISTER_USHORT(_In_ _Notliteral_ volatile USHORT *Register, _In_ USHORT Value);
NTKERNELAPI VOID NTAPI WRITE_REGISTER_ULONG(_In_ _Notliteral_ volatile ULONG *Register, _In_ ULONG Value);
NTKERNELAPI VOID NTAPI WRITE_REGISTER_ULONG64(_In_ _Notliteral_ volatile ULONG64 *Register, _In_ ULONG64 Value);

NTKERNELAPI VOID NTAPI WRITE_REGISTER_BUFFER_UCHAR(
    _In_ _Notliteral_ volatile UCHAR *Register,
    _In_reads_(Count) PUCHAR Buffer,
    _In_ ULONG Count);
NTKERNELAPI VOID NTAPI WRITE_REGISTER_BUFFER_USHORT(
    _In_ _Notliteral_ volatile USHORT *Register,
    _In_reads_(Count) PUSHORT Buffer,
    _In_ ULONG Count);
NTKERNELAPI VOID NTAPI WRITE_REGISTER_BUFFER_ULONG(
    _In_ _Notliteral_ volatile ULONG *Register,
    _In_reads_(Count) PULONG Buffer,
    _In_ ULONG Count);
NTKERNELAPI VOID NTAPI WRITE_REGISTER_BUFFER_ULONG64(
    _In_ _Notliteral_ volatile ULONG64 *Register,
    _In_reads_(Count) PULONG64 Buffer,
    _In_ ULONG Count);

/* ---- I/O ports -------------------------------------------------------------------------------- */

NTHALAPI UCHAR NTAPI READ_PORT_UCHAR(_In_ _Notliteral_ PUCHAR Port);
NTHALAPI USHORT NTAPI READ_PORT_USHORT(_In_ _Notliteral_ PUSHORT Port);
NTHALAPI ULONG NTAPI READ_PORT_ULONG(_In_ _Notliteral_ PULONG Port);

NTHALAPI VOID NTAPI READ_PORT_BUFFER_UCHAR(
    _In_ _Notliteral_ PUCHAR Port,
    _Out_writes_all_(Count) PUCHAR Buffer,
    _In_ ULONG Count);
NTHALAPI VOID NTAPI READ_PORT_BUFFER_USHORT(
    _In_ _Notliteral_ PUSHORT Port,
    _Out_writes_all_(Count) PUSHORT Buffer,
    _In_ ULONG Count);
NTHALAPI VOID NTAPI READ_PORT_BUFFER_ULONG(
    _In_ _Notliteral_ PULONG Port,
    _Out_writes_all_(Count) PULONG Buffer,
    _In_ ULONG Count);

NTHALAPI VOID NTAPI WRITE_PORT_UCHAR(_In_ _Notliteral_ PUCHAR Port, _In_ UCHAR Value);
NTHALAPI VOID NTAPI WRITE_PORT_USHORT(_In_ _Notliteral_ PUSHORT Port, _In_ USHORT Value);
NTHALAPI VOID NTAPI WRITE_PORT_ULONG(_In_ _Notliteral_ PULONG Port, _In_ ULONG Value);

NTHALAPI VOID NTAPI WRITE_PORT_BUFFER_UCHAR(
    _In_ _Notliteral_ PUCHAR Port,
    _In_reads_(Count) PUCHAR Buffer,
    _In_ ULONG Count);
NTHALAPI VOID NTAPI WRITE_PORT_BUFFER_USHORT(
    _In_ _Notliteral_ PUSHORT Port,
    _In_reads_(Count) PUSHORT Buffer,
    _In_ ULONG Count);
NTHALAPI VOID NTAPI WRITE_PORT_BUFFER_ULONG(
    _In_ _Notliteral_ PULONG Port,
    _In_reads_(Count) PULONG Buffer,
    _In_ ULONG Count);

/* ---- Busy wait ------------------------------------------------------------------------------- */

/* Spins at least MicroSeconds of simulated time; keep it < 50 us (<= 100 us in a DPC). */
_IRQL_requires_max_(HIGH_LEVEL)
NTHALAPI VOID NTAPI KeStallExecutionProcessor(_In_ ULONG MicroSeconds);

#endif /* _KDSIM_HAL_H_ */
