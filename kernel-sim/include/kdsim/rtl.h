/*
 * kdsim/rtl.h - run-time library: doubly/singly linked list helpers, memory and string
 * routines, debug output and assertions. Part of wdm.h.
 *
 * The list helpers are real inline C here, as in the WDK (FORCEINLINE bodies), so the
 * driver's own code manipulates LIST_ENTRY memory and a debugger can step through them.
 * Like the WDK (unless NO_KERNEL_LIST_ENTRY_CHECKS is defined) they check the neighbours'
 * back links and fail fast on corruption: __fastfail(FAST_FAIL_CORRUPT_LIST_ENTRY), which
 * the simulator turns into bug check 0x139 KERNEL_SECURITY_CHECK_FAILURE with P1 = 3.
 */
#pragma once
#ifndef _KDSIM_RTL_H_
#define _KDSIM_RTL_H_

#include <string.h>
#include <kdsim/vadefs.h>

/* ---- Fail fast ------------------------------------------------------------------------ */

#define FAST_FAIL_LEGACY_GS_VIOLATION       0
#define FAST_FAIL_VTGUARD_CHECK_FAILURE     1
#define FAST_FAIL_STACK_COOKIE_CHECK_FAILURE 2
#define FAST_FAIL_CORRUPT_LIST_ENTRY        3
#define FAST_FAIL_INCORRECT_STACK           4
#define FAST_FAIL_INVALID_ARG               5
#define FAST_FAIL_INVALID_FAST_FAIL_CODE    37

/* An MSVC intrinsic; here a routine the simulator implements (bug check 0x139, P1 = Code). */
DECLSPEC_NORETURN VOID __fastfail(_In_ unsigned int Code);

/* ---- Doubly linked lists (KERNEL_MODEL section 6: any IRQL, no locking) ------------------- */

#if !defined(NO_KERNEL_LIST_ENTRY_CHECKS)
FORCEINLINE VOID FatalListEntryError(_In_ PVOID P1, _In_ PVOID P2, _In_ PVOID P3)
{
    UNREFERENCED_PARAMETER(P1);
    UNREFERENCED_PARAMETER(P2);
    UNREFERENCED_PARAMETER(P3);
    __fastfail(FAST_FAIL_CORRUPT_LIST_ENTRY);
}

FORCEINLINE VOID RtlpCheckListEntry(_In_ PLIST_ENTRY Entry)
{
    if (Entry->Flink->Blink != Entry || Entry->Blink->Flink != Entry) {
        FatalListEntryError((PVOID)Entry, (PVOID)Entry->Flink, (PVOID)Entry->Blink);
    }
}
#endif

FORCEINLINE VOID InitializeListHead(_Out_ PLIST_ENTRY ListHead)
{
    ListHead->Flink = ListHead->Blink = ListHead;
}

_Must_inspect_result_
FORCEINLINE BOOLEAN IsListEmpty(_In_ const LIST_ENTRY *ListHead)
{
    return (BOOLEAN)(ListHead->Flink == ListHead);
}

/* Unlinks Entry; TRUE if the list is now empty. */
FORCEINLINE BOOLEAN RemoveEntryList(_In_ PLIST_ENTRY Entry)
{
    PLIST_ENTRY Next = Entry->Flink;
    PLIST_ENTRY Prev = Entry->Blink;
#if !defined(NO_KERNEL_LIST_ENTRY_CHECKS)
    if (Next->Blink != Entry || Prev->Flink != Entry) {
        FatalListEntryError((PVOID)Prev, (PVOID)Entry, (PVOID)Next);
    }
#endif
    Prev->Flink = Next;
    Next->Blink = Prev;
    return (BOOLEAN)(Prev == Next);
}

/* On an empty list returns ListHead itself (and leaves the list as it was). */
FORCEINLINE PLIST_ENTRY RemoveHeadList(_Inout_ PLIST_ENTRY ListHead)
{
    PLIST_ENTRY Entry = ListHead->Flink;
    PLIST_ENTRY Next = Entry->Flink;
#if !defined(NO_KERNEL_LIST_ENTRY_CHECKS)
    if (Entry->Blink != ListHead || Next->Blink != Entry) {
        FatalListEntryError((PVOID)ListHead, (PVOID)Entry, (PVOID)Next);
    }
#endif
    ListHead->Flink = Next;
    Next->Blink = ListHead;
    return Entry;
}

FORCEINLINE PLIST_ENTRY RemoveTailList(_Inout_ PLIST_ENTRY ListHead)
{
    PLIST_ENTRY Entry = ListHead->Blink;
    PLIST_ENTRY Prev = Entry->Blink;
#if !defined(NO_KERNEL_LIST_ENTRY_CHECKS)
    if (Entry->Flink != ListHead || Prev->Flink != Entry) {
        FatalListEntryError((PVOID)Prev, (PVOID)Entry, (PVOID)ListHead);
    }
#endif
    ListHead->Blink = Prev;
    Prev->Flink = ListHead;
    return Entry;
}

FORCEINLINE VOID InsertTailList(_Inout_ PLIST_ENTRY ListHead, _Out_ __drv_aliasesMem PLIST_ENTRY Entry)
{
    PLIST_ENTRY Prev = ListHead->Blink;
#if !defined(NO_KERNEL_LIST_ENTRY_CHECKS)
    if (Prev->Flink != ListHead) {
        FatalListEntryError((PVOID)Prev, (PVOID)ListHead, (PVOID)Prev->Flink);
    }
#endif
    Entry->Flink = ListHead;
    Entry->Blink = Prev;
    Prev->Flink = Entry;
    ListHead->Blink = Entry;
}

FORCEINLINE VOID InsertHeadList(_Inout_ PLIST_ENTRY ListHead, _Out_ __drv_aliasesMem PLIST_ENTRY Entry)
{
    PLIST_ENTRY Next = ListHead->Flink;
#if !defined(NO_KERNEL_LIST_ENTRY_CHECKS)
    if (Next->Blink != ListHead) {
        FatalListEntryError((PVOID)ListHead, (PVOID)Next, (PVOID)Next->Blink);
    }
#endif
    Entry->Flink = Next;
    Entry->Blink = ListHead;
    Next->Blink = Entry;
    ListHead->Flink = Entry;
}

/* Splices the entries of the list that ListToAppend heads (or is a member of) at the tail. */
FORCEINLINE VOID AppendTailList(_Inout_ PLIST_ENTRY ListHead, _Inout_ PLIST_ENTRY ListToAppend)
{
    PLIST_ENTRY ListEnd = ListHead->Blink;
    ListHead->Blink->Flink = ListToAppend;
    ListHead->Blink = ListToAppend->Blink;
    ListToAppend->Blink->Flink = ListHead;
    ListToAppend->Blink = ListEnd;
}

/* ---- Singly linked lists (a stack) --------------------------------------------------------- */

FORCEINLINE PSINGLE_LIST_ENTRY PopEntryList(_Inout_ PSINGLE_LIST_ENTRY ListHead)
{
    PSINGLE_LIST_ENTRY FirstEntry = ListHead->Next;
    if (FirstEntry != NULL) {
        ListHead->Next = FirstEntry->Next;
    }
    return FirstEntry;
}

FORCEINLINE VOID PushEntryList(_Inout_ PSINGLE_LIST_ENTRY ListHead, _Inout_ __drv_aliasesMem PSINGLE_LIST_ENTRY Entry)
{
    Entry->Next = ListHead->Next;
    ListHead->Next = Entry;
}

/* ---- Memory (macros over the C library, which the kernel exports) ------------------------- */

#define RtlEqualMemory(Destination, Source, Length) (!memcmp((Destination), (Source), (Length)))
#define RtlMoveMemory(Destination, Source, Length)  memmove((Destination), (Source), (Length))
#define RtlCopyMemory(Destination, Source, Length)  memcpy((Destination), (Source), (Length))
#define RtlFillMemory(Destination, Length, Fill)    memset((Destination), (Fill), (Length))
#define RtlZeroMemory(Destination, Length)          memset((Destination), 0, (Length))
#define RtlCopyBytes   RtlCopyMemory
#define RtlZeroBytes   RtlZeroMemory
#define RtlFillBytes   RtlFillMemory

/* Not optimised away: writes through a volatile pointer. */
FORCEINLINE PVOID RtlSecureZeroMemory(_Out_writes_bytes_all_(Length) PVOID Pointer, _In_ SIZE_T Length)
{
    volatile char *p = (volatile char *)Pointer;
    while (Length != 0) {
        *p++ = 0;
        Length--;
    }
    return Pointer;
}

/* Number of leading bytes that are equal. */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSYSAPI SIZE_T NTAPI RtlCompareMemory(
    _In_ const VOID *Source1,
    _In_ const VOID *Source2,
    _In_ SIZE_T Length);

/* ---- Counted strings ---------------------------------------------------------------------- */

/* UNICODE_STRING initializer for a string literal: RTL_CONSTANT_STRING(L"\\Device\\X"). */
#define RTL_CONSTANT_STRING(s) { sizeof(s) - sizeof((s)[0]), sizeof(s), (s) }
#define DECLARE_CONST_UNICODE_STRING(_var, _string) \
    const WCHAR _var##_buffer[] = _string;          \
    const UNICODE_STRING _var = { sizeof(_string) - sizeof(WCHAR), sizeof(_string), (PWCH)_var##_buffer }
#define DECLARE_GLOBAL_CONST_UNICODE_STRING(_var, _str) \
    extern const UNICODE_STRING _var;                  \
    const UNICODE_STRING _var = RTL_CONSTANT_STRING(_str)

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSYSAPI VOID NTAPI RtlInitUnicodeString(
    _Out_ PUNICODE_STRING DestinationString,
    _In_opt_z_ __drv_aliasesMem PCWSTR SourceString);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSYSAPI VOID NTAPI RtlInitAnsiString(
    _Out_ PANSI_STRING DestinationString,
    _In_opt_z_ __drv_aliasesMem PCSTR SourceString);

#define RtlInitString RtlInitAnsiString

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSYSAPI VOID NTAPI RtlCopyUnicodeString(
    _Inout_ PUNICODE_STRING DestinationString,
    _In_opt_ PCUNICODE_STRING SourceString);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeStringToString(
    _Inout_ PUNICODE_STRING Destination,
    _In_ PCUNICODE_STRING Source);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSYSAPI NTSTATUS NTAPI RtlAppendUnicodeToString(
    _Inout_ PUNICODE_STRING Destination,
    _In_opt_z_ PCWSTR Source);

_IRQL_requires_max_(PASSIVE_LEVEL)
_Must_inspect_result_
NTSYSAPI BOOLEAN NTAPI RtlEqualUnicodeString(
    _In_ PCUNICODE_STRING String1,
    _In_ PCUNICODE_STRING String2,
    _In_ BOOLEAN CaseInSensitive);

_IRQL_requires_max_(PASSIVE_LEVEL)
_Must_inspect_result_
NTSYSAPI LONG NTAPI RtlCompareUnicodeString(
    _In_ PCUNICODE_STRING String1,
    _In_ PCUNICODE_STRING String2,
    _In_ BOOLEAN CaseInSensitive);

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToAnsiString(
    _Inout_ PANSI_STRING DestinationString,
    _In_ PCUNICODE_STRING SourceString,
    _In_ BOOLEAN AllocateDestinationString);

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSYSAPI NTSTATUS NTAPI RtlAnsiStringToUnicodeString(
    _Inout_ PUNICODE_STRING DestinationString,
    _In_ PCANSI_STRING SourceString,
    _In_ BOOLEAN AllocateDestinationString);

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSYSAPI VOID NTAPI RtlFreeUnicodeString(_Inout_ PUNICODE_STRING UnicodeString);

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSYSAPI VOID NTAPI RtlFreeAnsiString(_Inout_ PANSI_STRING AnsiString);

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSYSAPI NTSTATUS NTAPI RtlIntegerToUnicodeString(
    _In_ ULONG Value,
    _In_opt_ ULONG Base,
    _Inout_ PUNICODE_STRING String);

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSYSAPI NTSTATUS NTAPI RtlUnicodeStringToInteger(
    _In_ PCUNICODE_STRING String,
    _In_opt_ ULONG Base,
    _Out_ PULONG Value);

/* ---- Debug output (KERNEL_MODEL section 6: DbgPrint(Ex) at <= DIRQL; Unicode formats
        %wZ %ws %S only at PASSIVE_LEVEL; at most 512 bytes per call) --------------------- */

/* Component ids for DbgPrintEx (dpfilter.h values). Drivers should use the IHV ones. */
typedef enum _DPFLTR_TYPE {
    DPFLTR_SYSTEM_ID = 0,
    DPFLTR_IHVDRIVER_ID = 77,
    DPFLTR_IHVVIDEO_ID = 78,
    DPFLTR_IHVAUDIO_ID = 79,
    DPFLTR_IHVNETWORK_ID = 80,
    DPFLTR_IHVSTREAMING_ID = 81,
    DPFLTR_IHVBUS_ID = 82,
    DPFLTR_DEFAULT_ID = 101
} DPFLTR_TYPE;

#define DPFLTR_ERROR_LEVEL   0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL   2
#define DPFLTR_INFO_LEVEL    3
#define DPFLTR_MASK          0x80000000

/* DbgPrint(...) == DbgPrintEx(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, ...). */
NTSYSAPI ULONG __cdecl DbgPrint(_In_z_ _Printf_format_string_ PCSTR Format, ...);

NTSYSAPI ULONG __cdecl DbgPrintEx(
    _In_ ULONG ComponentId,
    _In_ ULONG Level,
    _In_z_ _Printf_format_string_ PCSTR Format,
    ...);

NTSYSAPI ULONG NTAPI vDbgPrintEx(
    _In_ ULONG ComponentId,
    _In_ ULONG Level,
    _In_z_ PCCH Format,
    _In_ va_list arglist);

NTSYSAPI VOID NTAPI DbgBreakPoint(VOID);
NTSYSAPI VOID NTAPI DbgBreakPointWithStatus(_In_ ULONG Status);

/* What ASSERT calls on failure: the simulator reports "Assertion failure" with the text,
   file and line, and breaks into the debugger (or bug checks if none is attached). */
NTSYSAPI VOID NTAPI RtlAssert(
    _In_ PVOID VoidFailedAssertion,
    _In_ PVOID VoidFileName,
    _In_ ULONG LineNumber,
    _In_opt_ PSTR MutableMessage);

/*
 * DBG selects the checked (debug) behaviour of the macros below. kdsim is a debugger, so
 * wdm.h defaults DBG to 1; a project sets "defines": {"DBG": "0"} for free-build behaviour.
 */
#if DBG
#define ASSERT(exp) \
    ((!(exp)) ? (RtlAssert((PVOID)#exp, (PVOID)__FILE__, __LINE__, NULL), FALSE) : TRUE)
#define ASSERTMSG(msg, exp) \
    ((!(exp)) ? (RtlAssert((PVOID)#exp, (PVOID)__FILE__, __LINE__, (PSTR)(msg)), FALSE) : TRUE)
/* The WDK's NT_ASSERT raises STATUS_ASSERTION_FAILURE (int 2c); kdsim reports it through
   RtlAssert as well, so both assertion styles stop in the debugger with their text. */
#define NT_ASSERT(exp)            ASSERT(exp)
#define NT_ASSERTMSG(msg, exp)    ASSERTMSG(msg, exp)
#define NT_ASSERTMSGW(msg, exp)   ASSERT(exp)
#define NT_VERIFY(exp)            ASSERT(exp)
#define NT_VERIFYMSG(msg, exp)    ASSERTMSG(msg, exp)
#define KdPrint(_x_)              DbgPrint _x_
#define KdPrintEx(_x_)            DbgPrintEx _x_
#define KdBreakPoint()            DbgBreakPoint()
#define KdBreakPointWithStatus(s) DbgBreakPointWithStatus(s)
#else
#define ASSERT(exp)               ((void)0)
#define ASSERTMSG(msg, exp)       ((void)0)
#define NT_ASSERT(exp)            ((void)0)
#define NT_ASSERTMSG(msg, exp)    ((void)0)
#define NT_ASSERTMSGW(msg, exp)   ((void)0)
#define NT_VERIFY(exp)            ((exp) ? TRUE : FALSE)
#define NT_VERIFYMSG(msg, exp)    ((exp) ? TRUE : FALSE)
#define KdPrint(_x_)
#define KdPrintEx(_x_)
#define KdBreakPoint()
#define KdBreakPointWithStatus(s)
#endif
#define RTL_SOFT_ASSERT(exp)      ((void)0)

/*
 * PAGED_CODE(): first statement of a routine placed in a pageable section with
 * `#pragma alloc_text(PAGE, Routine)`. With DBG it calls KdsimPagedCode(), a kdsim hook
 * that reports a checked build's assertion ("EX: Pageable code called at IRQL n") when the
 * current IRQL is above APC_LEVEL; it carries no IRQL annotation on purpose (the report is
 * an assertion, not a Verifier bug check). Without DBG it expands to nothing, as in the WDK;
 * the simulator still treats the routine as pageable because of the pragma.
 */
NTSYSAPI VOID NTAPI KdsimPagedCode(VOID);
#if DBG
#define PAGED_CODE()        KdsimPagedCode()
#else
#define PAGED_CODE()        ((void)0)
#endif
#define PAGED_CODE_LOCKED() ((void)0)

#endif /* _KDSIM_RTL_H_ */
