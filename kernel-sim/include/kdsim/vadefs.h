/*
 * kdsim/vadefs.h - va_list, shared by <stdarg.h>, <stdio.h> and DbgPrint's vDbgPrintEx
 * (MSVC keeps it in vadefs.h for the same reason).
 *
 * On x64 Windows va_list is `char *`. The va_* macros in <stdarg.h> expand to builtins the
 * kdsim front end provides. gcc/clang (header syntax check only; kdsim never defines
 * __GNUC__) need their own builtin va_list type for those builtins to type-check.
 */
#pragma once
#ifndef _KDSIM_VADEFS_H_
#define _KDSIM_VADEFS_H_

#ifndef _VA_LIST_DEFINED
#define _VA_LIST_DEFINED
#if defined(__GNUC__)
typedef __builtin_va_list va_list;
#else
typedef char *va_list;
#endif
#endif

#endif /* _KDSIM_VADEFS_H_ */
