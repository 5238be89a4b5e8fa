/*
 * inttypes.h - printf/scanf format macros for <stdint.h> types on x64 Windows: 64-bit
 * integers are long long ("ll"), so PRId64 is "lld", and pointers print with "ll" too.
 */
#pragma once
#ifndef _KDSIM_INTTYPES_H_
#define _KDSIM_INTTYPES_H_

#include <stdint.h>

#define PRId8    "d"
#define PRId16   "d"
#define PRId32   "d"
#define PRId64   "lld"
#define PRIi8    "i"
#define PRIi16   "i"
#define PRIi32   "i"
#define PRIi64   "lli"
#define PRIu8    "u"
#define PRIu16   "u"
#define PRIu32   "u"
#define PRIu64   "llu"
#define PRIo32   "o"
#define PRIo64   "llo"
#define PRIx8    "x"
#define PRIx16   "x"
#define PRIx32   "x"
#define PRIx64   "llx"
#define PRIX8    "X"
#define PRIX16   "X"
#define PRIX32   "X"
#define PRIX64   "llX"
#define PRIdPTR  "lld"
#define PRIiPTR  "lli"
#define PRIuPTR  "llu"
#define PRIxPTR  "llx"
#define PRIXPTR  "llX"
#define PRIdMAX  "lld"
#define PRIuMAX  "llu"
#define PRIxMAX  "llx"

#define SCNd32   "d"
#define SCNd64   "lld"
#define SCNu32   "u"
#define SCNu64   "llu"
#define SCNx32   "x"
#define SCNx64   "llx"

#endif /* _KDSIM_INTTYPES_H_ */
