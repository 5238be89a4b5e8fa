/*
 * kdsim/ex.h - executive (Ex) support: pool allocation, fast mutexes, interlocked
 * operations and interlocked lists, work-queue types. Part of wdm.h.
 */
#pragma once
#ifndef _KDSIM_EX_H_
#define _KDSIM_EX_H_

/* ---- Pool (KERNEL_MODEL section 6) ---------------------------------------------------- */

/* At DISPATCH_LEVEL only the NonPaged types are legal (Verifier 0xC4/0x01, 0x02). */
typedef enum _POOL_TYPE {
    NonPagedPool,
    NonPagedPoolExecute = NonPagedPool,
    PagedPool,
    NonPagedPoolMustSucceed = NonPagedPool + 2,
    DontUseThisType,
    NonPagedPoolCacheAligned = NonPagedPool + 4,
    PagedPoolCacheAligned,
    NonPagedPoolCacheAlignedMustS = NonPagedPool + 6,
    MaxPoolType,
    NonPagedPoolBase = 0,
    NonPagedPoolBaseMustSucceed = NonPagedPoolBase + 2,
    NonPagedPoolBaseCacheAligned = NonPagedPoolBase + 4,
    NonPagedPoolBaseCacheAlignedMustS = NonPagedPoolBase + 6,
    NonPagedPoolSession = 32,
    PagedPoolSession = NonPagedPoolSession + 1,
    NonPagedPoolMustSucceedSession = PagedPoolSession + 1,
    DontUseThisTypeSession = NonPagedPoolMustSucceedSession + 1,
    NonPagedPoolCacheAlignedSession = DontUseThisTypeSession + 1,
    PagedPoolCacheAlignedSession = NonPagedPoolCacheAlignedSession + 1,
    NonPagedPoolCacheAlignedMustSSession = PagedPoolCacheAlignedSession + 1,
    NonPagedPoolNx = 512,
    NonPagedPoolNxCacheAligned = NonPagedPoolNx + 4,
    NonPagedPoolSessionNx = NonPagedPoolNx + 32
} POOL_TYPE;

/* ExAllocatePool2 flags (64-bit). Exactly one of NON_PAGED / NON_PAGED_EXECUTE / PAGED. */
typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_REQUIRED_START          0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA               0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED           0x0000000000000002ULL  /* else zero-filled */
#define POOL_FLAG_SESSION                 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED           0x0000000000000008ULL
#define POOL_FLAG_RESERVED1               0x0000000000000010ULL
#define POOL_FLAG_RAISE_ON_FAILURE        0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED               0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE       0x0000000000000080ULL
#define POOL_FLAG_PAGED                   0x0000000000000100ULL
#define POOL_FLAG_RESERVED2               0x0000000000000200ULL
#define POOL_FLAG_RESERVED3               0x0000000000000400ULL
#define POOL_FLAG_REQUIRED_END            0x0000000080000000ULL
#define POOL_FLAG_OPTIONAL_START          0x0000000100000000ULL
#define POOL_FLAG_SPECIAL_POOL            0x0000000100000000ULL
#define POOL_FLAG_OPTIONAL_END            0x8000000000000000ULL

#define POOL_COLD_ALLOCATION               256
#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE   8
#define POOL_RAISE_IF_ALLOCATION_FAILURE   16

/* Zero-filled unless POOL_FLAG_UNINITIALIZED; NULL on failure unless RAISE_ON_FAILURE.
   At DISPATCH_LEVEL the flags must say NON_PAGED (or NON_PAGED_EXECUTE). */
__drv_allocatesMem(Mem)
_Must_inspect_result_
_Ret_maybenull_
_IRQL_requires_max_(DISPATCH_LEVEL)
DECLSPEC_RESTRICT
NTKERNELAPI PVOID NTAPI ExAllocatePool2(
    _In_ POOL_FLAGS Flags,
    _In_ SIZE_T NumberOfBytes,
    _In_ ULONG Tag);

/* Not zero-filled. PagedPool types only at <= APC_LEVEL. */
__drv_allocatesMem(Mem)
_When_((PoolType & PagedPool) != 0, _IRQL_requires_max_(APC_LEVEL))
_When_((PoolType & PagedPool) == 0, _IRQL_requires_max_(DISPATCH_LEVEL))
_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
_Ret_maybenull_
DECLSPEC_RESTRICT
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithTag(
    _In_ __drv_strictTypeMatch(__drv_typeExpr) POOL_TYPE PoolType,
    _In_ SIZE_T NumberOfBytes,
    _In_ ULONG Tag);

/* Deprecated untagged form: tag ' mdW', as the WDK's macro. */
#define ExAllocatePool(type, size) ExAllocatePoolWithTag((type), (size), ' mdW')

/* Paged memory only at <= APC_LEVEL (Verifier 0xC4/0x11, 0x12). */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI ExFreePoolWithTag(
    _Pre_notnull_ __drv_freesMem(Mem) PVOID P,
    _In_ ULONG Tag);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID NTAPI ExFreePool(_Pre_notnull_ __drv_freesMem(Mem) PVOID P);

/* ---- Fast mutex (raises to APC_LEVEL while held) ---------------------------------------- */

#define FM_LOCK_BIT     0x1
#define FM_LOCK_BIT_V   0x0

typedef struct _FAST_MUTEX {
    volatile LONG Count;            /* FM_LOCK_BIT set = free */
    PKTHREAD Owner;
    ULONG Contention;
    KEVENT Event;
    ULONG OldIrql;
} FAST_MUTEX, *PFAST_MUTEX, KGUARDED_MUTEX, *PKGUARDED_MUTEX;

_Static_assert(sizeof(FAST_MUTEX) == 0x38 && FIELD_OFFSET(FAST_MUTEX, Event) == 0x18,
               "FAST_MUTEX");

/* The WDK's inline initializer: free, no owner, synchronization event not signaled. */
_IRQL_requires_max_(DISPATCH_LEVEL)
FORCEINLINE VOID ExInitializeFastMutex(_Out_ PFAST_MUTEX FastMutex)
{
    FastMutex->Count = FM_LOCK_BIT;
    FastMutex->Owner = NULL;
    FastMutex->Contention = 0;
    KeInitializeEvent(&FastMutex->Event, SynchronizationEvent, FALSE);
}

_IRQL_requires_max_(APC_LEVEL)
_IRQL_raises_(APC_LEVEL)
_IRQL_saves_global_(OldIrql, FastMutex)
NTKERNELAPI VOID FASTCALL ExAcquireFastMutex(
    _Inout_ _Requires_lock_not_held_(*_Curr_) _Acquires_lock_(*_Curr_) PFAST_MUTEX FastMutex);

_IRQL_requires_(APC_LEVEL)
_IRQL_restores_global_(OldIrql, FastMutex)
NTKERNELAPI VOID FASTCALL ExReleaseFastMutex(
    _Inout_ _Requires_lock_held_(*_Curr_) _Releases_lock_(*_Curr_) PFAST_MUTEX FastMutex);

_Must_inspect_result_
_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI BOOLEAN FASTCALL ExTryToAcquireFastMutex(_Inout_ PFAST_MUTEX FastMutex);

/* ---- Interlocked operations ------------------------------------------------------------------
 * In the WDK these are compiler intrinsics (_InterlockedIncrement, ...); here they are
 * routines of the simulator with the same names and full-barrier semantics. Any IRQL. */

LONG InterlockedIncrement(_Inout_ _Interlocked_operand_ LONG volatile *Addend);
LONG InterlockedDecrement(_Inout_ _Interlocked_operand_ LONG volatile *Addend);
LONG InterlockedExchange(_Inout_ _Interlocked_operand_ LONG volatile *Target, _In_ LONG Value);
LONG InterlockedExchangeAdd(_Inout_ _Interlocked_operand_ LONG volatile *Addend, _In_ LONG Value);
LONG InterlockedCompareExchange(
    _Inout_ _Interlocked_operand_ LONG volatile *Destination,
    _In_ LONG ExChange,
    _In_ LONG Comperand);
LONG InterlockedOr(_Inout_ _Interlocked_operand_ LONG volatile *Destination, _In_ LONG Value);
LONG InterlockedAnd(_Inout_ _Interlocked_operand_ LONG volatile *Destination, _In_ LONG Value);
LONG InterlockedXor(_Inout_ _Interlocked_operand_ LONG volatile *Destination, _In_ LONG Value);

LONG64 InterlockedIncrement64(_Inout_ _Interlocked_operand_ LONG64 volatile *Addend);
LONG64 InterlockedDecrement64(_Inout_ _Interlocked_operand_ LONG64 volatile *Addend);
LONG64 InterlockedExchange64(_Inout_ _Interlocked_operand_ LONG64 volatile *Target, _In_ LONG64 Value);
LONG64 InterlockedExchangeAdd64(_Inout_ _Interlocked_operand_ LONG64 volatile *Addend, _In_ LONG64 Value);
LONG64 InterlockedCompareExchange64(
    _Inout_ _Interlocked_operand_ LONG64 volatile *Destination,
    _In_ LONG64 ExChange,
    _In_ LONG64 Comperand);
LONG64 InterlockedOr64(_Inout_ _Interlocked_operand_ LONG64 volatile *Destination, _In_ LONG64 Value);
LONG64 InterlockedAnd64(_Inout_ _Interlocked_operand_ LONG64 volatile *Destination, _In_ LONG64 Value);
LONG64 InterlockedXor64(_Inout_ _Interlocked_operand_ LONG64 volatile *Destination, _In_ LONG64 Value);

PVOID InterlockedExchangePointer(
    _Inout_ _Interlocked_operand_ PVOID volatile *Target,
    _In_opt_ PVOID Value);
PVOID InterlockedCompareExchangePointer(
    _Inout_ _Interlocked_operand_ PVOID volatile *Destination,
    _In_opt_ PVOID ExChange,
    _In_opt_ PVOID Comperand);

#define InterlockedAdd(Addend, Value)     (InterlockedExchangeAdd((Addend), (Value)) + (Value))
#define InterlockedAdd64(Addend, Value)   (InterlockedExchangeAdd64((Addend), (Value)) + (Value))
#define InterlockedIncrementAcquire       InterlockedIncrement
#define InterlockedIncrementRelease       InterlockedIncrement
#define InterlockedDecrementAcquire       InterlockedDecrement
#define InterlockedDecrementRelease       InterlockedDecrement
#define InterlockedCompareExchangeAcquire InterlockedCompareExchange
#define InterlockedCompareExchangeRelease InterlockedCompareExchange
#define InterlockedIncrementSizeT(a)      ((SIZE_T)InterlockedIncrement64((LONG64 volatile *)(a)))
#define InterlockedDecrementSizeT(a)      ((SIZE_T)InterlockedDecrement64((LONG64 volatile *)(a)))
#define InterlockedExchangeAddSizeT(a, b) ((SIZE_T)InterlockedExchangeAdd64((LONG64 volatile *)(a), (LONG64)(b)))

/* Full memory barrier. */
VOID KeMemoryBarrier(VOID);
#define MemoryBarrier KeMemoryBarrier
#define KeMemoryBarrierWithoutFence() ((void)0)

/* ---- Interlocked lists: take the supplied spin lock internally (KERNEL_MODEL section 4) ---- */

NTKERNELAPI PLIST_ENTRY FASTCALL ExInterlockedInsertHeadList(
    _Inout_ PLIST_ENTRY ListHead,
    _Inout_ __drv_aliasesMem PLIST_ENTRY ListEntry,
    _Inout_ _Requires_lock_not_held_(*_Curr_) PKSPIN_LOCK Lock);

NTKERNELAPI PLIST_ENTRY FASTCALL ExInterlockedInsertTailList(
    _Inout_ PLIST_ENTRY ListHead,
    _Inout_ __drv_aliasesMem PLIST_ENTRY ListEntry,
    _Inout_ _Requires_lock_not_held_(*_Curr_) PKSPIN_LOCK Lock);

/* NULL (not the head) when the list is empty. */
NTKERNELAPI PLIST_ENTRY FASTCALL ExInterlockedRemoveHeadList(
    _Inout_ PLIST_ENTRY ListHead,
    _Inout_ _Requires_lock_not_held_(*_Curr_) PKSPIN_LOCK Lock);

NTKERNELAPI PSINGLE_LIST_ENTRY FASTCALL ExInterlockedPushEntryList(
    _Inout_ PSINGLE_LIST_ENTRY ListHead,
    _Inout_ __drv_aliasesMem PSINGLE_LIST_ENTRY ListEntry,
    _Inout_ _Requires_lock_not_held_(*_Curr_) PKSPIN_LOCK Lock);

NTKERNELAPI PSINGLE_LIST_ENTRY FASTCALL ExInterlockedPopEntryList(
    _Inout_ PSINGLE_LIST_ENTRY ListHead,
    _Inout_ _Requires_lock_not_held_(*_Curr_) PKSPIN_LOCK Lock);

/* ---- Work queues ---------------------------------------------------------------------------- */

/* Drivers must use DelayedWorkQueue with IoQueueWorkItem (KERNEL_MODEL section 6). */
typedef enum _WORK_QUEUE_TYPE {
    CriticalWorkQueue,
    DelayedWorkQueue,
    HyperCriticalWorkQueue,
    NormalWorkQueue,
    BackgroundWorkQueue,
    RealTimeWorkQueue,
    SuperCriticalWorkQueue,
    MaximumWorkQueue,
    CustomPriorityWorkQueue = 32
} WORK_QUEUE_TYPE;

/* The previous processor mode of the current thread (KernelMode for system threads). */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI KPROCESSOR_MODE NTAPI ExGetPreviousMode(VOID);

#endif /* _KDSIM_EX_H_ */
