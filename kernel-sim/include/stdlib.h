/*
 * stdlib.h - the part of the C library `kdsim exec` provides to hosted programs.
 * RAND_MAX is MSVC's 0x7fff; long is 32-bit (LLP64).
 */
#pragma once
#ifndef _KDSIM_STDLIB_H_
#define _KDSIM_STDLIB_H_

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX     0x7fff

typedef struct { int quot; int rem; } div_t;
typedef struct { long quot; long rem; } ldiv_t;
typedef struct { long long quot; long long rem; } lldiv_t;

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *block, size_t size);
void free(void *block);

__declspec(noreturn) void exit(int status);
__declspec(noreturn) void _Exit(int status);
__declspec(noreturn) void abort(void);
int atexit(void (*func)(void));

int atoi(const char *str);
long atol(const char *str);
long long atoll(const char *str);
double atof(const char *str);
long strtol(const char *str, char **end, int base);
unsigned long strtoul(const char *str, char **end, int base);
long long strtoll(const char *str, char **end, int base);
unsigned long long strtoull(const char *str, char **end, int base);
double strtod(const char *str, char **end);

int abs(int n);
long labs(long n);
long long llabs(long long n);
div_t div(int numer, int denom);
ldiv_t ldiv(long numer, long denom);
lldiv_t lldiv(long long numer, long long denom);

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *));

int rand(void);
void srand(unsigned int seed);
char *getenv(const char *name);

#define _countof(array) (sizeof(array) / sizeof((array)[0]))

#endif /* _KDSIM_STDLIB_H_ */
