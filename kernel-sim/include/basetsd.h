/*
 * basetsd.h - fixed-size and pointer-size integer types of the x64 (LLP64) Windows ABI.
 *
 * ARCHITECTURE.md decision 2: char 1, short 2, int 4, long 4, long long 8, pointers 8.
 * Everything here is spelled with int / __int64 (never `long`), so it is correct both for
 * kdsim (LLP64) and for an LP64 host compiler running the header syntax check.
 */
#pragma once
#ifndef _KDSIM_BASETSD_H_
#define _KDSIM_BASETSD_H_

typedef signed char         INT8, *PINT8;
typedef signed short        INT16, *PINT16;
typedef signed int          INT32, *PINT32;
typedef signed __int64      INT64, *PINT64;
typedef unsigned char       UINT8, *PUINT8;
typedef unsigned short      UINT16, *PUINT16;
typedef unsigned int        UINT32, *PUINT32;
typedef unsigned __int64    UINT64, *PUINT64;

typedef signed int          LONG32, *PLONG32;
typedef unsigned int        ULONG32, *PULONG32;
typedef unsigned int        DWORD32, *PDWORD32;
typedef __int64             LONG64, *PLONG64;
typedef unsigned __int64    ULONG64, *PULONG64;
typedef unsigned __int64    DWORD64, *PDWORD64;

/* Pointer-sized integers (_WIN64). */
typedef __int64             INT_PTR, *PINT_PTR;
typedef unsigned __int64    UINT_PTR, *PUINT_PTR;
typedef __int64             LONG_PTR, *PLONG_PTR;
typedef unsigned __int64    ULONG_PTR, *PULONG_PTR;
typedef int                 HALF_PTR, *PHALF_PTR;
typedef unsigned int        UHALF_PTR, *PUHALF_PTR;
typedef ULONG_PTR           DWORD_PTR, *PDWORD_PTR;
typedef ULONG_PTR           SIZE_T, *PSIZE_T;
typedef LONG_PTR            SSIZE_T, *PSSIZE_T;

/* Processor affinity mask: one bit per processor of a group (64 on x64). */
typedef ULONG_PTR           KAFFINITY, *PKAFFINITY;

#define MAXUINT_PTR   (~((UINT_PTR)0))
#define MAXINT_PTR    ((INT_PTR)(MAXUINT_PTR >> 1))
#define MININT_PTR    (~MAXINT_PTR)
#define MAXULONG_PTR  (~((ULONG_PTR)0))
#define MAXLONG_PTR   ((LONG_PTR)(MAXULONG_PTR >> 1))
#define MINLONG_PTR   (~MAXLONG_PTR)
#define MAXUHALF_PTR  ((UHALF_PTR)~0)
#define MAXHALF_PTR   ((HALF_PTR)(MAXUHALF_PTR >> 1))
#define MINHALF_PTR   (~MAXHALF_PTR)
#define MAXSIZE_T     ((SIZE_T)~((SIZE_T)0))
#define MAXSSIZE_T    ((SSIZE_T)(MAXSIZE_T >> 1))
#define MINSSIZE_T    ((SSIZE_T)~MAXSSIZE_T)
#define MAXUINT8      ((UINT8)~((UINT8)0))
#define MAXINT8       ((INT8)(MAXUINT8 >> 1))
#define MININT8       ((INT8)~MAXINT8)
#define MAXUINT16     ((UINT16)~((UINT16)0))
#define MAXINT16      ((INT16)(MAXUINT16 >> 1))
#define MININT16      ((INT16)~MAXINT16)
#define MAXUINT32     ((UINT32)~((UINT32)0))
#define MAXINT32      ((INT32)(MAXUINT32 >> 1))
#define MININT32      ((INT32)~MAXINT32)
#define MAXUINT64     ((UINT64)~((UINT64)0))
#define MAXINT64      ((INT64)(MAXUINT64 >> 1))
#define MININT64      ((INT64)~MAXINT64)
#define MAXULONG32    ((ULONG32)~((ULONG32)0))
#define MAXLONG32     ((LONG32)(MAXULONG32 >> 1))
#define MINLONG32     ((LONG32)~MAXLONG32)
#define MAXULONG64    ((ULONG64)~((ULONG64)0))
#define MAXLONG64     ((LONG64)(MAXULONG64 >> 1))
#define MINLONG64     ((LONG64)~MAXLONG64)
#define MAXDWORD32    ((DWORD32)~((DWORD32)0))
#define MAXDWORD64    ((DWORD64)~((DWORD64)0))

_Static_assert(sizeof(INT8) == 1 && sizeof(INT16) == 2 && sizeof(INT32) == 4 && sizeof(INT64) == 8,
               "fixed-size integers");
_Static_assert(sizeof(ULONG_PTR) == 8 && sizeof(SIZE_T) == 8 && sizeof(KAFFINITY) == 8,
               "x64: pointer-sized integers are 8 bytes");

#endif /* _KDSIM_BASETSD_H_ */
