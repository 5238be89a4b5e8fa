/*
 * string.h - C string and memory functions (hosted programs, and kernel code: the kernel
 * exports these, and RtlCopyMemory & co. are macros over them). Also the wide-character
 * functions MSVC's string.h declares, with wchar_t 16-bit.
 */
#pragma once
#ifndef _KDSIM_STRING_H_
#define _KDSIM_STRING_H_

#include <stddef.h>

void *memcpy(void *dest, const void *src, size_t count);
void *memmove(void *dest, const void *src, size_t count);
void *memset(void *dest, int ch, size_t count);
int memcmp(const void *lhs, const void *rhs, size_t count);
void *memchr(const void *ptr, int ch, size_t count);

size_t strlen(const char *str);
size_t strnlen(const char *str, size_t max);
char *strcpy(char *dest, const char *src);
char *strncpy(char *dest, const char *src, size_t count);
char *strcat(char *dest, const char *src);
char *strncat(char *dest, const char *src, size_t count);
int strcmp(const char *lhs, const char *rhs);
int strncmp(const char *lhs, const char *rhs, size_t count);
char *strchr(const char *str, int ch);
char *strrchr(const char *str, int ch);
char *strstr(const char *str, const char *substr);
size_t strspn(const char *dest, const char *src);
size_t strcspn(const char *dest, const char *src);
char *strpbrk(const char *dest, const char *breakset);
char *strtok(char *str, const char *delim);
char *strerror(int errnum);
char *_strdup(const char *str);
int _stricmp(const char *lhs, const char *rhs);
int _strnicmp(const char *lhs, const char *rhs, size_t count);

size_t wcslen(const wchar_t *str);
size_t wcsnlen(const wchar_t *str, size_t max);
wchar_t *wcscpy(wchar_t *dest, const wchar_t *src);
wchar_t *wcsncpy(wchar_t *dest, const wchar_t *src, size_t count);
wchar_t *wcscat(wchar_t *dest, const wchar_t *src);
int wcscmp(const wchar_t *lhs, const wchar_t *rhs);
int wcsncmp(const wchar_t *lhs, const wchar_t *rhs, size_t count);
wchar_t *wcschr(const wchar_t *str, wchar_t ch);
wchar_t *wcsrchr(const wchar_t *str, wchar_t ch);
wchar_t *wcsstr(const wchar_t *str, const wchar_t *substr);
int _wcsicmp(const wchar_t *lhs, const wchar_t *rhs);

#endif /* _KDSIM_STRING_H_ */
