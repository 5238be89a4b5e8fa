/*
 * stddef.h - hosted and kernel C: x64 Windows (LLP64) definitions.
 * size_t/ptrdiff_t are 64-bit (long long, since long is 32-bit); wchar_t is 16-bit.
 * offsetof is written over pointer arithmetic on a null pointer, as MSVC does; the kdsim
 * front end folds `&((T *)0)->m` to an integer constant (so it works in _Static_assert).
 */
#pragma once
#ifndef _KDSIM_STDDEF_H_
#define _KDSIM_STDDEF_H_

#ifndef _SIZE_T_DEFINED
#define _SIZE_T_DEFINED
typedef unsigned long long size_t;
#endif

#ifndef _PTRDIFF_T_DEFINED
#define _PTRDIFF_T_DEFINED
typedef long long ptrdiff_t;
#endif

#ifndef _WCHAR_T_DEFINED
#define _WCHAR_T_DEFINED
typedef unsigned short wchar_t;
#endif

#ifndef _MAX_ALIGN_T_DEFINED
#define _MAX_ALIGN_T_DEFINED
typedef double max_align_t;
#endif

#ifndef NULL
#define NULL ((void *)0)
#endif

#define offsetof(type, member) ((size_t)&(((type *)0)->member))

#endif /* _KDSIM_STDDEF_H_ */
