/*
 * kdsim/ke.h - kernel (Ke) DDIs: IRQL, spin locks, DPCs, interrupt synchronization,
 * events, waits, timers, device queues, processors, time. Part of wdm.h.
 *
 * Every routine here is implemented by the simulator and bound by name (ARCHITECTURE.md
 * decision 5). The IRQL annotation on each is the requirement the verifier enforces
 * (KERNEL_MODEL.md section 6); a routine without one may be called at any IRQL.
 * Where the WDK implements an x64 routine as an intrinsic-based inline (KeGetCurrentIrql,
 * KeLowerIrql, KeInitializeSpinLock, ...) it is a plain declaration here: the simulator
 * must observe the call.
 */
#pragma once
#ifndef _KDSIM_KE_H_
#define _KDSIM_KE_H_

/* ---- IRQL (KERNEL_MODEL section 1) -------------------------------------------------- */

/* Reads CR8 on x64. */
_IRQL_requires_max_(HIGH_LEVEL)
_IRQL_saves_
NTHALAPI KIRQL NTAPI KeGetCurrentIrql(VOID);

/* NewIrql must be >= the current IRQL (else 0xC4/0x30 under Verifier). The WDK also
   writes _IRQL_raises_(NewIrql) here; a parameter name as attribute argument is left out
   of kdsim's own headers because gcc (the header check) resolves it as an expression. */
_IRQL_requires_max_(HIGH_LEVEL)
_IRQL_saves_
NTHALAPI KIRQL FASTCALL KfRaiseIrql(_In_ KIRQL NewIrql);

/* KeRaiseIrql(NewIrql, &OldIrql): the x64 WDK's macro over KfRaiseIrql. */
#define KeRaiseIrql(a, b) *(b) = KfRaiseIrql(a)

/* NewIrql must be <= current and be the value saved by the matching raise (0xC4/0x31).
   Lowering below DISPATCH_LEVEL runs pending DPCs inside this call. */
_IRQL_requires_max_(HIGH_LEVEL)
NTHALAPI VOID NTAPI KeLowerIrql(_In_ _Notliteral_ _IRQL_restores_ KIRQL NewIrql);

_IRQL_requires_max_(DISPATCH_LEVEL)
_IRQL_raises_(DISPATCH_LEVEL)
_IRQL_saves_
NTKERNELAPI KIRQL NTAPI KeRaiseIrqlToDpcLevel(VOID);

_IRQL_requires_max_(SYNCH_LEVEL)
_IRQL_raises_(SYNCH_LEVEL)
_IRQL_saves_
NTKERNELAPI KIRQL NTAPI KeRaiseIrqlToSynchLevel(VOID);

/* ---- Executive spin locks (KERNEL_MODEL section 4) ------------------------------------ */

NTKERNELAPI VOID NTAPI KeInitializeSpinLock(_Out_ PKSPIN_LOCK SpinLock);

/* Raises to DISPATCH_LEVEL, acquires, returns the previous IRQL. */
_Requires_lock_not_held_(*SpinLock)
_Acquires_lock_(*SpinLock)
_IRQL_requires_max_(DISPATCH_LEVEL)
_IRQL_saves_
_IRQL_raises_(DISPATCH_LEVEL)
NTKERNELAPI KIRQL NTAPI KeAcquireSpinLockRaiseToDpc(_Inout_ PKSPIN_LOCK SpinLock);

/* KeAcquireSpinLock(&Lock, &OldIrql): the x64 WDK's macro; OldIrql is written after the
   lock is acquired. */
#define KeAcquireSpinLock(SpinLock, OldIrql) *(OldIrql) = KeAcquireSpinLockRaiseToDpc(SpinLock)

_Requires_lock_held_(*SpinLock)
_Releases_lock_(*SpinLock)
_IRQL_requires_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI KeReleaseSpinLock(
    _Inout_ PKSPIN_LOCK SpinLock,
    _In_ _IRQL_restores_ KIRQL NewIrql);

_Requires_lock_not_held_(*SpinLock)
_Acquires_lock_(*SpinLock)
_IRQL_requires_min_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI KeAcquireSpinLockAtDpcLevel(_Inout_ PKSPIN_LOCK SpinLock);

_Requires_lock_held_(*SpinLock)
_Releases_lock_(*SpinLock)
_IRQL_requires_min_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI KeReleaseSpinLockFromDpcLevel(_Inout_ PKSPIN_LOCK SpinLock);

_Must_inspect_result_
_IRQL_requires_min_(DISPATCH_LEVEL)
_Post_satisfies_(return == 1 || return == 0)
NTKERNELAPI BOOLEAN FASTCALL KeTryToAcquireSpinLockAtDpcLevel(_Inout_ PKSPIN_LOCK SpinLock);

/* In-stack queued spin locks: FIFO; never mix with the ordinary calls on one lock. */
_Requires_lock_not_held_(*LockHandle)
_Acquires_lock_(*LockHandle)
_IRQL_requires_max_(DISPATCH_LEVEL)
_IRQL_raises_(DISPATCH_LEVEL)
NTKERNELAPI VOID FASTCALL KeAcquireInStackQueuedSpinLock(
    _Inout_ PKSPIN_LOCK SpinLock,
    _Out_ PKLOCK_QUEUE_HANDLE LockHandle);

_Requires_lock_held_(*LockHandle)
_Releases_lock_(*LockHandle)
_IRQL_requires_(DISPATCH_LEVEL)
NTKERNELAPI VOID FASTCALL KeReleaseInStackQueuedSpinLock(
    _In_ PKLOCK_QUEUE_HANDLE LockHandle);

_Requires_lock_not_held_(*LockHandle)
_Acquires_lock_(*LockHandle)
_IRQL_requires_min_(DISPATCH_LEVEL)
NTKERNELAPI VOID FASTCALL KeAcquireInStackQueuedSpinLockAtDpcLevel(
    _Inout_ PKSPIN_LOCK SpinLock,
    _Out_ PKLOCK_QUEUE_HANDLE LockHandle);

_Requires_lock_held_(*LockHandle)
_Releases_lock_(*LockHandle)
_IRQL_requires_min_(DISPATCH_LEVEL)
NTKERNELAPI VOID FASTCALL KeReleaseInStackQueuedSpinLockFromDpcLevel(
    _In_ PKLOCK_QUEUE_HANDLE LockHandle);

/* ---- DPCs (KERNEL_MODEL sections 2.3-2.7) --------------------------------------------- */

/* Type=DpcObject, Importance=Medium, Number=0, DpcData=NULL; the object must be resident. */
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI VOID NTAPI KeInitializeDpc(
    _Out_ __drv_aliasesMem PRKDPC Dpc,
    _In_ PKDEFERRED_ROUTINE DeferredRoutine,
    _In_opt_ __drv_aliasesMem PVOID DeferredContext);

_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI VOID NTAPI KeInitializeThreadedDpc(
    _Out_ PRKDPC Dpc,
    _In_ PKDEFERRED_ROUTINE DeferredRoutine,
    _In_opt_ PVOID DeferredContext);

/* FALSE (and the new arguments are discarded) if the DPC is already queued. */
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeInsertQueueDpc(
    _Inout_ PRKDPC Dpc,
    _In_opt_ PVOID SystemArgument1,
    _In_opt_ __drv_aliasesMem PVOID SystemArgument2);

/* FALSE if it was not queued; does not wait for a running instance. */
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeRemoveQueueDpc(_Inout_ PRKDPC Dpc);

/* Returns once every DPC queued before the call (on every CPU) has run. */
_IRQL_requires_max_(PASSIVE_LEVEL)
NTKERNELAPI VOID NTAPI KeFlushQueuedDpcs(VOID);

/* Group-aware target; STATUS_INVALID_PARAMETER for a bad processor. */
_Must_inspect_result_
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI NTSTATUS NTAPI KeSetTargetProcessorDpcEx(
    _Inout_ PKDPC Dpc,
    _In_ PPROCESSOR_NUMBER ProcNumber);

/* TRUE while the calling CPU is draining its DPC queue (Prcb->DpcRoutineActive). */
NTKERNELAPI BOOLEAN NTAPI KeIsExecutingDpc(VOID);

/* STATUS_SUCCESS only while a DPC is running, else STATUS_UNSUCCESSFUL. */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI NTSTATUS NTAPI KeQueryDpcWatchdogInformation(
    _Out_ PKDPC_WATCHDOG_INFORMATION WatchdogInformation);

/* ---- Synchronizing with an ISR (KERNEL_MODEL section 3.6) ------------------------------ */

/* Raises to Interrupt->SynchronizeIrql, takes its ActualLock, calls the routine, releases,
   lowers; returns the routine's result. The real bound is "<= the interrupt's
   SynchronizeIrql", which the simulator checks against the object. */
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeSynchronizeExecution(
    _Inout_ PKINTERRUPT Interrupt,
    _In_ PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
    _In_opt_ __drv_aliasesMem PVOID SynchronizeContext);

/* Returns the previous IRQL; 0x13B on a passive-level interrupt object. */
_IRQL_requires_max_(HIGH_LEVEL)
_IRQL_saves_
NTKERNELAPI KIRQL NTAPI KeAcquireInterruptSpinLock(_Inout_ PKINTERRUPT Interrupt);

/* Called at the interrupt's SynchronizeIrql (the WDK annotates HIGH_LEVEL). */
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI VOID NTAPI KeReleaseInterruptSpinLock(
    _Inout_ PKINTERRUPT Interrupt,
    _In_ _IRQL_restores_ KIRQL OldIrql);

/* ---- Events ------------------------------------------------------------------------------ */

_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI VOID NTAPI KeInitializeEvent(
    _Out_ PRKEVENT Event,
    _In_ EVENT_TYPE Type,
    _In_ BOOLEAN State);

/* Wait == FALSE: <= DISPATCH_LEVEL. Wait == TRUE: <= APC_LEVEL, returns at DISPATCH_LEVEL
   and must be followed at once by a KeWaitXxx call (the simulator applies the
   conditional rule; the unconditional bound is the looser one). */
_When_(Wait == 0, _IRQL_requires_max_(DISPATCH_LEVEL))
_When_(Wait == 1, _IRQL_requires_max_(APC_LEVEL))
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI LONG NTAPI KeSetEvent(
    _Inout_ PRKEVENT Event,
    _In_ KPRIORITY Increment,
    _In_ _Literal_ BOOLEAN Wait);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI KeClearEvent(_Inout_ PRKEVENT Event);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI LONG NTAPI KeResetEvent(_Inout_ PRKEVENT Event);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI LONG NTAPI KeReadStateEvent(_In_ PRKEVENT Event);

_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI VOID NTAPI KeInitializeSemaphore(
    _Out_ PRKSEMAPHORE Semaphore,
    _In_ LONG Count,
    _In_ LONG Limit);

_When_(Wait == 0, _IRQL_requires_max_(DISPATCH_LEVEL))
_When_(Wait == 1, _IRQL_requires_max_(APC_LEVEL))
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI LONG NTAPI KeReleaseSemaphore(
    _Inout_ PRKSEMAPHORE Semaphore,
    _In_ KPRIORITY Increment,
    _In_ LONG Adjustment,
    _In_ _Literal_ BOOLEAN Wait);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI LONG NTAPI KeReadStateSemaphore(_In_ PRKSEMAPHORE Semaphore);

/* ---- Waits ---------------------------------------------------------------------------------- */

/* <= DISPATCH_LEVEL only with a zero timeout (Timeout != NULL && *Timeout == 0); otherwise
   <= APC_LEVEL in a non-arbitrary thread. From a DPC: 0xB8 (KERNEL_MODEL section 5). */
_When_((Timeout == NULL || Timeout->QuadPart != 0), _IRQL_requires_max_(APC_LEVEL))
_When_((Timeout != NULL && Timeout->QuadPart == 0), _IRQL_requires_max_(DISPATCH_LEVEL))
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI NTSTATUS NTAPI KeWaitForSingleObject(
    _In_ _Points_to_data_ PVOID Object,
    _In_ _Strict_type_match_ KWAIT_REASON WaitReason,
    _In_ KPROCESSOR_MODE WaitMode,
    _In_ BOOLEAN Alertable,
    _In_opt_ PLARGE_INTEGER Timeout);

_When_((Timeout == NULL || Timeout->QuadPart != 0), _IRQL_requires_max_(APC_LEVEL))
_When_((Timeout != NULL && Timeout->QuadPart == 0), _IRQL_requires_max_(DISPATCH_LEVEL))
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI NTSTATUS NTAPI KeWaitForMultipleObjects(
    _In_ ULONG Count,
    _In_reads_(Count) PVOID Object[],
    _In_ _Strict_type_match_ WAIT_TYPE WaitType,
    _In_ _Strict_type_match_ KWAIT_REASON WaitReason,
    _In_ KPROCESSOR_MODE WaitMode,
    _In_ BOOLEAN Alertable,
    _In_opt_ PLARGE_INTEGER Timeout,
    _Out_opt_ PKWAIT_BLOCK WaitBlockArray);

/* Interval in 100 ns units; negative = relative. */
_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI NTSTATUS NTAPI KeDelayExecutionThread(
    _In_ KPROCESSOR_MODE WaitMode,
    _In_ BOOLEAN Alertable,
    _In_ PLARGE_INTEGER Interval);

/* ---- Timers (KERNEL_MODEL section 2.7) -------------------------------------------------- */

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI KeInitializeTimer(_Out_ PKTIMER Timer);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI KeInitializeTimerEx(
    _Out_ PKTIMER Timer,
    _In_ TIMER_TYPE Type);

/* DueTime in 100 ns units (negative = relative); TRUE if the timer was already set. */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeSetTimer(
    _Inout_ PKTIMER Timer,
    _In_ LARGE_INTEGER DueTime,
    _In_opt_ PKDPC Dpc);

/* Period in milliseconds; 0 = one-shot. */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeSetTimerEx(
    _Inout_ PKTIMER Timer,
    _In_ LARGE_INTEGER DueTime,
    _In_ LONG Period,
    _In_opt_ PKDPC Dpc);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeCancelTimer(_Inout_ PKTIMER Timer);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeReadStateTimer(_In_ PKTIMER Timer);

/* ---- Device queues (used by IoStartPacket / IoStartNextPacket) ---------------------------- */

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI KeInitializeDeviceQueue(_Out_ PKDEVICE_QUEUE DeviceQueue);

_IRQL_requires_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeInsertDeviceQueue(
    _Inout_ PKDEVICE_QUEUE DeviceQueue,
    _Inout_ PKDEVICE_QUEUE_ENTRY DeviceQueueEntry);

_IRQL_requires_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeInsertByKeyDeviceQueue(
    _Inout_ PKDEVICE_QUEUE DeviceQueue,
    _Inout_ PKDEVICE_QUEUE_ENTRY DeviceQueueEntry,
    _In_ ULONG SortKey);

_IRQL_requires_(DISPATCH_LEVEL)
NTKERNELAPI PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveDeviceQueue(_Inout_ PKDEVICE_QUEUE DeviceQueue);

_IRQL_requires_(DISPATCH_LEVEL)
NTKERNELAPI PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveByKeyDeviceQueue(
    _Inout_ PKDEVICE_QUEUE DeviceQueue,
    _In_ ULONG SortKey);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN NTAPI KeRemoveEntryDeviceQueue(
    _Inout_ PKDEVICE_QUEUE DeviceQueue,
    _Inout_ PKDEVICE_QUEUE_ENTRY DeviceQueueEntry);

/* ---- Processors ---------------------------------------------------------------------------- */

NTKERNELAPI ULONG NTAPI KeGetCurrentProcessorNumberEx(_Out_opt_ PPROCESSOR_NUMBER ProcNumber);
NTKERNELAPI ULONG NTAPI KeGetCurrentProcessorNumber(VOID);
NTKERNELAPI ULONG NTAPI KeQueryActiveProcessorCount(_Out_opt_ PKAFFINITY ActiveProcessors);
NTKERNELAPI ULONG NTAPI KeQueryActiveProcessorCountEx(_In_ USHORT GroupNumber);
NTKERNELAPI KAFFINITY NTAPI KeQueryActiveProcessors(VOID);
NTKERNELAPI PKTHREAD NTAPI KeGetCurrentThread(VOID);

_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI VOID NTAPI KeEnterCriticalRegion(VOID);

_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI VOID NTAPI KeLeaveCriticalRegion(VOID);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI KPRIORITY NTAPI KeSetPriorityThread(
    _Inout_ PKTHREAD Thread,
    _In_ KPRIORITY Priority);

/* ---- Time ---------------------------------------------------------------------------------- */

/* Interrupt time: 100 ns units since boot, excluding nothing (monotonic). */
NTKERNELAPI ULONGLONG NTAPI KeQueryInterruptTime(VOID);
/* Clock ticks since boot. (x64 WDK: a macro reading shared user data.) */
NTKERNELAPI VOID NTAPI KeQueryTickCount(_Out_ PLARGE_INTEGER CurrentCount);
/* Length of a clock tick in 100 ns units (156250 = 15.625 ms by default). */
NTKERNELAPI ULONG NTAPI KeQueryTimeIncrement(VOID);
/* System time: 100 ns units since 1601-01-01 UTC. */
NTKERNELAPI VOID NTAPI KeQuerySystemTime(_Out_ PLARGE_INTEGER CurrentTime);
NTKERNELAPI VOID NTAPI KeQuerySystemTimePrecise(_Out_ PLARGE_INTEGER CurrentTime);

/* Monotonic counter; *PerformanceFrequency (optional) receives counts per second. */
_IRQL_requires_max_(HIGH_LEVEL)
NTKERNELAPI LARGE_INTEGER NTAPI KeQueryPerformanceCounter(
    _Out_opt_ PLARGE_INTEGER PerformanceFrequency);

/* ---- Bug checks ------------------------------------------------------------------------------ */

_Analysis_noreturn_
DECLSPEC_NORETURN
NTKERNELAPI VOID NTAPI KeBugCheckEx(
    _In_ ULONG BugCheckCode,
    _In_ ULONG_PTR BugCheckParameter1,
    _In_ ULONG_PTR BugCheckParameter2,
    _In_ ULONG_PTR BugCheckParameter3,
    _In_ ULONG_PTR BugCheckParameter4);

_Analysis_noreturn_
DECLSPEC_NORETURN
NTKERNELAPI VOID NTAPI KeBugCheck(_In_ ULONG BugCheckCode);

#endif /* _KDSIM_KE_H_ */
