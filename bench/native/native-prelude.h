/*
 * native-prelude.h - force-included after test/c/fixtures/headers/gcc-prelude.h when
 * bench/kernel.mjs links examples/dpcforisr natively.
 *
 * The gcc prelude maps __forceinline to __inline__, which in C99/gnu11 is an inline
 * definition without an external one: any FORCEINLINE helper gcc chooses not to inline
 * (IoGetNextIrpStackLocation in cold code, say) is then an undefined symbol at link time.
 * MSVC's __forceinline always inlines; static + always_inline is the gcc equivalent.
 */
#undef __forceinline
#define __forceinline static __inline__ __attribute__((__always_inline__))
