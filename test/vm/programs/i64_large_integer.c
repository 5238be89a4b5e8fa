/* LARGE_INTEGER / ULARGE_INTEGER: LowPart/HighPart over QuadPart (little-endian). */
#include <stdio.h>

typedef unsigned int ULONG;
typedef int LONG;
typedef long long LONGLONG;
typedef unsigned long long ULONGLONG;

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER;

static LARGE_INTEGER add_li(LARGE_INTEGER a, LARGE_INTEGER b)
{
    LARGE_INTEGER r;
    r.QuadPart = a.QuadPart + b.QuadPart;
    return r;
}

int main(void)
{
    LARGE_INTEGER li, t;
    ULARGE_INTEGER ul;
    int i;

    li.QuadPart = -1;
    printf("-1: Low=%08x High=%d\n", li.LowPart, li.HighPart);
    li.QuadPart = 0x123456789ABCDEF0LL;
    printf("Low=%08x High=%08x u.Low=%08x\n", li.LowPart, (ULONG)li.HighPart, li.u.LowPart);
    li.LowPart = 0xFFFFFFFFu;
    li.HighPart = -2;
    printf("Quad=%lld hex=%llx\n", li.QuadPart, (ULONGLONG)li.QuadPart);
    li.u.HighPart = 0x7FFFFFFF;
    printf("Quad=%lld\n", li.QuadPart);
    ul.QuadPart = 0;
    for (i = 0; i < 5; i++) {
        ul.u.LowPart += 0xC0000000u;
        if (ul.u.LowPart < 0xC0000000u) ul.u.HighPart++;
        printf("step %d: Quad=%llu High=%u Low=%08x\n", i, ul.QuadPart, ul.u.HighPart, ul.u.LowPart);
    }
    t.QuadPart = -10000000LL * 5; /* relative 5 s, as KeSetTimer takes */
    printf("due=%lld Low=%08x High=%d\n", t.QuadPart, t.LowPart, t.HighPart);
    t = add_li(t, li);
    printf("sum=%lld\n", t.QuadPart);
    printf("sizeof=%u\n", (unsigned)sizeof(LARGE_INTEGER));
    return (int)(ul.u.HighPart);
}
