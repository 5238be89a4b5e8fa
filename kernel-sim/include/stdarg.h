/*
 * stdarg.h - variable arguments. va_list is `char *` on x64 Windows (kdsim/vadefs.h);
 * the macros expand to builtins the kdsim front end provides:
 *   __builtin_va_start(ap, last)  __builtin_va_arg(ap, type)
 *   __builtin_va_end(ap)          __builtin_va_copy(dest, src)
 */
#pragma once
#ifndef _KDSIM_STDARG_H_
#define _KDSIM_STDARG_H_

#include <kdsim/vadefs.h>

#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type)   __builtin_va_arg(ap, type)
#define va_end(ap)         __builtin_va_end(ap)
#define va_copy(dest, src) __builtin_va_copy(dest, src)

#endif /* _KDSIM_STDARG_H_ */
