/*
 * assert.h - assert(expr) for hosted programs. On failure `kdsim exec` prints
 * "Assertion failed: expr, file F, line N" and aborts (MSVC's message shape).
 *
 * Deliberately without an include guard around assert itself: the C standard has assert
 * follow the NDEBUG in force at each inclusion. Only the declaration is guarded.
 */
#ifndef _KDSIM_ASSERT_H_
#define _KDSIM_ASSERT_H_
void _assert(const char *message, const char *file, unsigned line);
#endif

#undef assert
#ifdef NDEBUG
#define assert(expression) ((void)0)
#else
#define assert(expression) \
    ((void)((!!(expression)) || (_assert(#expression, __FILE__, (unsigned)(__LINE__)), 0)))
#endif

#ifndef __cplusplus
#undef static_assert
#define static_assert _Static_assert
#endif
