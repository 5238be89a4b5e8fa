/*
 * ntdef.h - basic NT types, calling-convention/declspec macros and utility macros.
 *
 * Data model: x64 LLP64 (ARCHITECTURE.md decision 2). LONG/ULONG are `long`, 32 bits, as
 * in the WDK. kdsim's front end implements LLP64 itself and never defines __LP64__. An
 * LP64 host compiler (gcc/clang on Linux) has a 64-bit long; it only ever reads these
 * headers for the syntax/layout check (test/c/headers-gcc.test.ts), and there the same
 * typedefs are spelled with `int` so that every layout assertion below still describes
 * x64 Windows. That substitution is the only host-dependent line in the kernel headers.
 */
#pragma once
#ifndef _KDSIM_NTDEF_H_
#define _KDSIM_NTDEF_H_

#include <stddef.h>
#include <sal.h>
#include <basetsd.h>

#if defined(__LP64__) || defined(_LP64)
#define __KDSIM_LONG int      /* LP64 host compiler (header check only): keep LONG 32-bit */
#else
#define __KDSIM_LONG long     /* kdsim / MSVC / MinGW: LLP64, long is 32-bit */
#endif

/* ---- Compiler and linkage macros (all expand to MSVC keywords) -------------------- */

#define NTAPI               __stdcall
#define NTAPI_INLINE        NTAPI
#define FASTCALL            __fastcall
#define CDECL               __cdecl
#define DECLSPEC_IMPORT     __declspec(dllimport)
#define DECLSPEC_EXPORT     __declspec(dllexport)
#define DECLSPEC_NORETURN   __declspec(noreturn)
#define DECLSPEC_NOINLINE   __declspec(noinline)
#define DECLSPEC_NOTHROW    __declspec(nothrow)
#define DECLSPEC_RESTRICT   __declspec(restrict)
#define DECLSPEC_SELECTANY  __declspec(selectany)
#define DECLSPEC_ALIGN(x)   __declspec(align(x))
#define DECLSPEC_DEPRECATED_DDK
#define DECLSPEC_DEPRECATED_DDK_WIN10
#define DECLSPEC_GUARDNOCF
#define DECLSPEC_NOINITALL
#define FORCEINLINE         __forceinline
#define NTSYSAPI            DECLSPEC_IMPORT
#define NTSYSCALLAPI        DECLSPEC_IMPORT
#define RESTRICTED_POINTER  __restrict
#define UNALIGNED           __unaligned

/* x64: fields marked POINTER_ALIGNMENT start on an 8-byte boundary (IO_STACK_LOCATION). */
#define POINTER_ALIGNMENT   DECLSPEC_ALIGN(8)
#define MEMORY_ALLOCATION_ALIGNMENT 16

/* Anonymous member names: this header always uses the unnamed (C11 anonymous) form. */
#define DUMMYUNIONNAME
#define DUMMYUNIONNAME2
#define DUMMYUNIONNAME3
#define DUMMYUNIONNAME4
#define DUMMYUNIONNAME5
#define DUMMYSTRUCTNAME
#define DUMMYSTRUCTNAME2
#define DUMMYSTRUCTNAME3
#define DUMMYSTRUCTNAME4
#define DUMMYSTRUCTNAME5
#define _ANONYMOUS_UNION
#define _ANONYMOUS_STRUCT

/* Old parameter decorations. */
#define IN
#define OUT
#define OPTIONAL
#define CONST const
#define VOID void
#define ANYSIZE_ARRAY 1

/* ---- Basic types ------------------------------------------------------------------- */

typedef char                CHAR, *PCHAR, *PCH, *LPCH;
typedef unsigned char       UCHAR, *PUCHAR;
typedef short               SHORT, *PSHORT;
typedef unsigned short      USHORT, *PUSHORT;
typedef int                 INT, *PINT;
typedef unsigned int        UINT, *PUINT;
typedef __KDSIM_LONG        LONG, *PLONG;
typedef unsigned __KDSIM_LONG ULONG, *PULONG;
typedef __int64             LONGLONG, *PLONGLONG;
typedef unsigned __int64    ULONGLONG, *PULONGLONG;
typedef signed char         SCHAR, *PSCHAR;
typedef float               FLOAT;
typedef double              DOUBLE;
typedef void               *PVOID;
typedef void               *PVOID64;     /* x64: same as PVOID */
typedef const void         *PCVOID;

typedef char                CCHAR, *PCCHAR;      /* "counted" char: small signed counts */
typedef short               CSHORT, *PCSHORT;
typedef ULONG               CLONG, *PCLONG;
typedef ULONG               LOGICAL, *PLOGICAL;

typedef UCHAR               BOOLEAN, *PBOOLEAN;
#define TRUE  1
#define FALSE 0

typedef wchar_t             WCHAR, *PWCHAR, *PWCH, *LPWCH, *PWSTR, *LPWSTR, *NWPSTR;
typedef const WCHAR        *PCWCH, *LPCWCH, *PCWSTR, *LPCWSTR;
typedef CHAR               *PSTR, *LPSTR, *NPSTR, *PSZ;
typedef const CHAR         *PCSTR, *LPCSTR, *PCSZ, *PCCH, *LPCCH;

typedef PVOID               HANDLE, *PHANDLE;
typedef LONG                NTSTATUS, *PNTSTATUS;
typedef ULONG               ACCESS_MASK, *PACCESS_MASK;
typedef ULONG               LCID, *PLCID;
typedef ULONG               SECURITY_INFORMATION, *PSECURITY_INFORMATION;
typedef PVOID               PSECURITY_DESCRIPTOR;
typedef UCHAR               KIRQL, *PKIRQL;
typedef CCHAR               KPROCESSOR_MODE;
typedef LONG                KPRIORITY;
typedef ULONGLONG           REGHANDLE, *PREGHANDLE;

#define MINCHAR     0x80
#define MAXCHAR     0x7f
#define MINSHORT    0x8000
#define MAXSHORT    0x7fff
#define MINLONG     0x80000000
#define MAXLONG     0x7fffffff
#define MAXUCHAR    0xff
#define MAXUSHORT   0xffff
#define MAXULONG    0xffffffff
#define MAXLONGLONG (0x7fffffffffffffffLL)

/* ---- NTSTATUS helpers (values in ntstatus.h) ---------------------------------------- */

#define NT_SUCCESS(Status)      (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status)  ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status)      ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status)        ((((ULONG)(Status)) >> 30) == 3)

/* ---- 64-bit integers as unions (anonymous struct form of the WDK) ------------------- */

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    struct {
        ULONG LowPart;
        ULONG HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

/* ---- Lists --------------------------------------------------------------------------- */

/* Doubly linked, circular, with a head that is itself an entry (KERNEL_MODEL section 6). */
typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY, *PRLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

typedef struct LIST_ENTRY32 {
    ULONG Flink;
    ULONG Blink;
} LIST_ENTRY32, *PLIST_ENTRY32;

typedef struct LIST_ENTRY64 {
    ULONGLONG Flink;
    ULONGLONG Blink;
} LIST_ENTRY64, *PLIST_ENTRY64;

/* ---- Strings --------------------------------------------------------------------------- */

/* Counted strings: Length/MaximumLength are in BYTES and exclude any terminator. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;
#define UNICODE_NULL ((WCHAR)0)
#define UNICODE_STRING_MAX_BYTES ((USHORT)65534)

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING *PCSTRING, *PCANSI_STRING, *PCOEM_STRING;
#define ANSI_NULL ((CHAR)0)

/* ---- GUID ---------------------------------------------------------------------------- */

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID;
#endif
typedef GUID *LPGUID, *PGUID;
typedef const GUID *LPCGUID, *PCGUID, *REFGUID;

/* ---- Processor groups ----------------------------------------------------------------- */

typedef struct _PROCESSOR_NUMBER {
    USHORT Group;
    UCHAR Number;
    UCHAR Reserved;
} PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;

typedef struct _GROUP_AFFINITY {
    KAFFINITY Mask;
    USHORT Group;
    USHORT Reserved[3];
} GROUP_AFFINITY, *PGROUP_AFFINITY;

/* ---- Object attributes ------------------------------------------------------------------ */

typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
typedef const OBJECT_ATTRIBUTES *PCOBJECT_ATTRIBUTES;

#define OBJ_INHERIT                         0x00000002L
#define OBJ_PERMANENT                       0x00000010L
#define OBJ_EXCLUSIVE                       0x00000020L
#define OBJ_CASE_INSENSITIVE                0x00000040L
#define OBJ_OPENIF                          0x00000080L
#define OBJ_OPENLINK                        0x00000100L
#define OBJ_KERNEL_HANDLE                   0x00000200L
#define OBJ_FORCE_ACCESS_CHECK              0x00000400L
#define OBJ_VALID_ATTRIBUTES                0x000007F2L

#define InitializeObjectAttributes(p, n, a, r, s) { \
    (p)->Length = sizeof(OBJECT_ATTRIBUTES);          \
    (p)->RootDirectory = (r);                         \
    (p)->Attributes = (a);                            \
    (p)->ObjectName = (n);                            \
    (p)->SecurityDescriptor = (s);                    \
    (p)->SecurityQualityOfService = NULL;             \
    }

/* ---- Dispatcher object kinds (used by KeInitializeEvent / KeInitializeTimerEx) -------- */

typedef enum _EVENT_TYPE {
    NotificationEvent,
    SynchronizationEvent
} EVENT_TYPE;

typedef enum _TIMER_TYPE {
    NotificationTimer,
    SynchronizationTimer
} TIMER_TYPE;

typedef enum _WAIT_TYPE {
    WaitAll,
    WaitAny,
    WaitNotification,
    WaitDequeue,
    WaitDpc
} WAIT_TYPE;

/* ---- Utility macros ---------------------------------------------------------------------- */

/* Byte offset of a field; must stay pointer arithmetic on a null pointer (see the brief in
   kernel-sim/include/README.md): the front end folds it to an integer constant. */
#define FIELD_OFFSET(type, field)     ((LONG)(LONG_PTR)&(((type *)0)->field))
#define UFIELD_OFFSET(type, field)    ((ULONG)(LONG_PTR)&(((type *)0)->field))
#define RTL_FIELD_SIZE(type, field)   (sizeof(((type *)0)->field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field) \
    (FIELD_OFFSET(type, field) + RTL_FIELD_SIZE(type, field))
#define RTL_CONTAINS_FIELD(Struct, Size, Field) \
    ((((PCHAR)(&(Struct)->Field)) + sizeof((Struct)->Field)) <= (((PCHAR)(Struct)) + (Size)))

/* Address of the structure that contains `field` at `address` (KERNEL_MODEL section 6). */
#define CONTAINING_RECORD(address, type, field) \
    ((type *)((PCHAR)(address) - (ULONG_PTR)(&((type *)0)->field)))

#define RTL_NUMBER_OF(A)  (sizeof(A) / sizeof((A)[0]))
#define ARRAYSIZE(A)      RTL_NUMBER_OF(A)
#define RTL_BITS_OF(type) (sizeof(type) * 8)

#define ALIGN_DOWN_BY(length, alignment) \
    ((ULONG_PTR)(length) & ~((ULONG_PTR)(alignment) - 1))
#define ALIGN_UP_BY(length, alignment) \
    (ALIGN_DOWN_BY(((ULONG_PTR)(length) + (alignment) - 1), alignment))
#define ALIGN_DOWN_POINTER_BY(address, alignment) \
    ((PVOID)((ULONG_PTR)(address) & ~((ULONG_PTR)(alignment) - 1)))
#define ALIGN_UP_POINTER_BY(address, alignment) \
    (ALIGN_DOWN_POINTER_BY(((ULONG_PTR)(address) + (alignment) - 1), alignment))

/* Compile-time assertion, exactly the WDK's form (a negative array size is an error). */
#define C_ASSERT(e) typedef char __C_ASSERT__[(e) ? 1 : -1]

/* The WDK writes (P); the cast to void is equivalent and silences "statement has no effect". */
#define UNREFERENCED_PARAMETER(P)          ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P)      ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define UNREFERENCED_LOCAL_VARIABLE(V)     ((void)(V))

#define ARGUMENT_PRESENT(ArgumentPointer) ((CHAR *)((ULONG_PTR)(ArgumentPointer)) != (CHAR *)NULL)

#ifndef NOMINMAX
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif

#define Int32x32To64(a, b)   (((__int64)((long)(a))) * ((__int64)((long)(b))))
#define UInt32x32To64(a, b)  (((unsigned __int64)((unsigned int)(a))) * ((unsigned __int64)((unsigned int)(b))))

/* ---- Layout checks (x64) -------------------------------------------------------------------- */

_Static_assert(sizeof(CHAR) == 1 && sizeof(SHORT) == 2 && sizeof(LONG) == 4 && sizeof(ULONG) == 4,
               "LLP64: LONG/ULONG are 32-bit");
_Static_assert(sizeof(LONGLONG) == 8 && sizeof(PVOID) == 8 && sizeof(WCHAR) == 2,
               "x64: LONGLONG 8, pointers 8, WCHAR 2");
_Static_assert(sizeof(LARGE_INTEGER) == 8 && FIELD_OFFSET(LARGE_INTEGER, HighPart) == 4,
               "LARGE_INTEGER");
_Static_assert(sizeof(ULARGE_INTEGER) == 8, "ULARGE_INTEGER");
_Static_assert(sizeof(LIST_ENTRY) == 16 && FIELD_OFFSET(LIST_ENTRY, Blink) == 8, "LIST_ENTRY");
_Static_assert(sizeof(SINGLE_LIST_ENTRY) == 8, "SINGLE_LIST_ENTRY");
_Static_assert(sizeof(UNICODE_STRING) == 16 && FIELD_OFFSET(UNICODE_STRING, Buffer) == 8,
               "UNICODE_STRING");
_Static_assert(sizeof(GUID) == 16, "GUID");
_Static_assert(sizeof(PROCESSOR_NUMBER) == 4, "PROCESSOR_NUMBER");
_Static_assert(sizeof(GROUP_AFFINITY) == 16, "GROUP_AFFINITY");
_Static_assert(sizeof(OBJECT_ATTRIBUTES) == 0x30, "OBJECT_ATTRIBUTES");

#endif /* _KDSIM_NTDEF_H_ */
