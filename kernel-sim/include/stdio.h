/*
 * stdio.h - the part of the C library `kdsim exec` provides to hosted programs.
 * FILE is opaque; stdin/stdout/stderr are MSVC-style macros over __acrt_iob_func(0/1/2).
 */
#pragma once
#ifndef _KDSIM_STDIO_H_
#define _KDSIM_STDIO_H_

#include <stddef.h>
#include <kdsim/vadefs.h>

typedef struct _iobuf FILE;
typedef long long fpos_t;

#define EOF          (-1)
#define BUFSIZ       512
#define FILENAME_MAX 260
#define SEEK_SET     0
#define SEEK_CUR     1
#define SEEK_END     2

FILE *__acrt_iob_func(unsigned int index);
#define stdin  (__acrt_iob_func(0))
#define stdout (__acrt_iob_func(1))
#define stderr (__acrt_iob_func(2))

int printf(const char *format, ...);
int fprintf(FILE *stream, const char *format, ...);
int sprintf(char *buffer, const char *format, ...);
int snprintf(char *buffer, size_t count, const char *format, ...);
int vprintf(const char *format, va_list args);
int vfprintf(FILE *stream, const char *format, va_list args);
int vsprintf(char *buffer, const char *format, va_list args);
int vsnprintf(char *buffer, size_t count, const char *format, va_list args);
int scanf(const char *format, ...);
int sscanf(const char *buffer, const char *format, ...);

int puts(const char *str);
int fputs(const char *str, FILE *stream);
int putchar(int ch);
int fputc(int ch, FILE *stream);
int putc(int ch, FILE *stream);
int getchar(void);
int fgetc(FILE *stream);
int getc(FILE *stream);
char *fgets(char *str, int count, FILE *stream);
int ungetc(int ch, FILE *stream);

FILE *fopen(const char *filename, const char *mode);
int fclose(FILE *stream);
int fflush(FILE *stream);
size_t fread(void *buffer, size_t size, size_t count, FILE *stream);
size_t fwrite(const void *buffer, size_t size, size_t count, FILE *stream);
int fseek(FILE *stream, long offset, int origin);
long ftell(FILE *stream);
int feof(FILE *stream);
int ferror(FILE *stream);
void perror(const char *message);

#endif /* _KDSIM_STDIO_H_ */
