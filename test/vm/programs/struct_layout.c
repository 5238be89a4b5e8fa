/* sizeof/offsetof of naturally aligned structs (the same on MSVC x64 and SysV x64). */
#include <stdio.h>
#include <stddef.h>

typedef struct { char c; int i; char d; double x; } MIXED;
typedef struct { char a, b, c; } THREE;
typedef struct { short s; char c; } SC;
typedef struct { long long q; char c; } QC;
typedef struct { char c; void *p; short s; } CPS;
typedef struct { THREE t; SC sc; int i; } NEST;
typedef struct { int a[3]; char tail; } ARRS;
typedef union { char c[5]; int i; } UCI;

#define SHOW(T) printf("%-6s size=%2u align=%u\n", #T, (unsigned)sizeof(T), (unsigned)_Alignof(T))

int main(void)
{
    SHOW(MIXED);
    SHOW(THREE);
    SHOW(SC);
    SHOW(QC);
    SHOW(CPS);
    SHOW(NEST);
    SHOW(ARRS);
    SHOW(UCI);
    printf("MIXED: c@%u i@%u d@%u x@%u\n", (unsigned)offsetof(MIXED, c), (unsigned)offsetof(MIXED, i), (unsigned)offsetof(MIXED, d),
           (unsigned)offsetof(MIXED, x));
    printf("CPS: c@%u p@%u s@%u\n", (unsigned)offsetof(CPS, c), (unsigned)offsetof(CPS, p), (unsigned)offsetof(CPS, s));
    printf("NEST: t@%u sc@%u sc.c@%u i@%u\n", (unsigned)offsetof(NEST, t), (unsigned)offsetof(NEST, sc), (unsigned)offsetof(NEST, sc.c),
           (unsigned)offsetof(NEST, i));
    printf("ARRS: a[2]@%u tail@%u\n", (unsigned)offsetof(ARRS, a[2]), (unsigned)offsetof(ARRS, tail));
    {
        MIXED arr[4];
        printf("array of 4 MIXED=%u bytes; &arr[3]-&arr[0]=%d\n", (unsigned)sizeof arr, (int)(&arr[3] - &arr[0]));
        printf("byte distance=%d\n", (int)((char *)&arr[3] - (char *)&arr[0]));
    }
    return (int)sizeof(MIXED);
}
