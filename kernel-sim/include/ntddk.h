/*
 * ntddk.h - wdm.h plus the routines the WDK documents under ntddk.h (kernel-mode drivers
 * that are not pure WDM). The DPC tuning routines below are documented there
 * (KERNEL_MODEL section 2.3); KeSetTargetProcessorDpcEx is in wdm.h.
 */
#pragma once
#ifndef _NTDDK_
#define _NTDDK_

#include <wdm.h>

/* Effect only on later inserts: Low/Medium/MediumHigh at the tail, High at the head
   (KERNEL_MODEL section 2.4). */
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI VOID NTAPI KeSetImportanceDpc(
    _Inout_ PRKDPC Dpc,
    _In_ KDPC_IMPORTANCE Importance);

/* Target processor Number in group 0; ignored if Number >= active processors. */
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI VOID NTAPI KeSetTargetProcessorDpc(
    _Inout_ PRKDPC Dpc,
    _In_ CCHAR Number);

NTKERNELAPI PETHREAD NTAPI PsGetCurrentThread(VOID);

_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI NTSTATUS NTAPI PsGetVersion(
    _Out_opt_ PULONG MajorVersion,
    _Out_opt_ PULONG MinorVersion,
    _Out_opt_ PULONG BuildNumber,
    _Out_opt_ PUNICODE_STRING CSDVersion);

/* Raises the current thread's affinity to run only on the given processors. */
_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI KAFFINITY NTAPI KeSetSystemAffinityThreadEx(_In_ KAFFINITY Affinity);

_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI VOID NTAPI KeRevertToUserAffinityThreadEx(_In_ KAFFINITY Affinity);

#endif /* _NTDDK_ */
