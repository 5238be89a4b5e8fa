/* Pointer <-> integer (ULONG_PTR) round trips, alignment math, relative offsets. */
#include <stdio.h>

typedef unsigned long long ULONG_PTR;
typedef long long LONG_PTR;

#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((ULONG_PTR)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((ULONG_PTR)(a) - 1))

static double storage[64];

int main(void)
{
    char *base = (char *)ALIGN_UP((ULONG_PTR)storage, 16);
    ULONG_PTR b = (ULONG_PTR)base;
    int i;
    printf("storage 8-aligned: %d base 16-aligned: %d\n", (int)((ULONG_PTR)storage % 8 == 0), (int)(b % 16 == 0));
    for (i = 0; i < 10; i++) {
        char *p = base + i * 5;
        ULONG_PTR v = (ULONG_PTR)p;
        ULONG_PTR up = ALIGN_UP(v, 16), down = ALIGN_DOWN(v, 16);
        char *back = (char *)v;
        printf("off %2d: back ok %d  up-base %llu  down-base %llu  up-down %llu\n", i * 5, back == p, up - b, down - b, up - down);
    }
    {
        int arr[10];
        int *p0 = &arr[0], *p7 = &arr[7];
        LONG_PTR bytes = (LONG_PTR)((ULONG_PTR)p7 - (ULONG_PTR)p0);
        printf("byte distance=%lld elements=%lld\n", bytes, (long long)(p7 - p0));
        void *vp = p7;
        int *ip = (int *)(ULONG_PTR)vp;
        printf("round trip via integer ok: %d\n", ip == p7);
        printf("sizeof(void*)=%u sizeof(ULONG_PTR)=%u\n", (unsigned)sizeof(void *), (unsigned)sizeof(ULONG_PTR));
        printf("null as integer=%llu\n", (ULONG_PTR)(void *)0);
        return (int)bytes;
    }
}
