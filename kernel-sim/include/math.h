/*
 * math.h - a few common math functions for hosted programs (double and float forms).
 * INFINITY / HUGE_VAL / NAN use MSVC's constant-expression spellings (no builtins needed).
 */
#pragma once
#ifndef _KDSIM_MATH_H_
#define _KDSIM_MATH_H_

#define INFINITY ((float)(1e+300 * 1e+300))
#define HUGE_VAL ((double)INFINITY)
#define HUGE_VALF ((float)INFINITY)
#define NAN      ((float)(INFINITY * 0.0F))

#if defined(_USE_MATH_DEFINES)
#define M_E      2.71828182845904523536
#define M_PI     3.14159265358979323846
#define M_PI_2   1.57079632679489661923
#define M_SQRT2  1.41421356237309504880
#define M_LN2    0.693147180559945309417
#endif

double fabs(double x);
double sqrt(double x);
double pow(double x, double y);
double exp(double x);
double log(double x);
double log10(double x);
double floor(double x);
double ceil(double x);
double round(double x);
double trunc(double x);
double fmod(double x, double y);
double sin(double x);
double cos(double x);
double tan(double x);
double asin(double x);
double acos(double x);
double atan(double x);
double atan2(double y, double x);
double hypot(double x, double y);

float fabsf(float x);
float sqrtf(float x);
float powf(float x, float y);
float floorf(float x);
float ceilf(float x);
float fmodf(float x, float y);
float sinf(float x);
float cosf(float x);

#endif /* _KDSIM_MATH_H_ */
