/* C11 anonymous structs and unions inside structs (as WDK headers use heavily). */
#include <stdio.h>

typedef struct {
    int kind;
    union {
        struct { int x, y; };
        struct { unsigned lo, hi; };
        double real;
    };
    struct {
        unsigned char a, b;
    };
} VALUE;

int main(void)
{
    VALUE v;
    v.kind = 1;
    v.x = 10;
    v.y = -20;
    v.a = 7;
    v.b = 9;
    printf("kind=%d x=%d y=%d lo=%u hi=%08x a=%u b=%u\n", v.kind, v.x, v.y, v.lo, v.hi, (unsigned)v.a, (unsigned)v.b);
    v.lo = 0xFFFFFFFFu;
    printf("x after lo=all ones: %d\n", v.x);
    v.real = 1.0;
    printf("double 1.0 bits: hi=%08x lo=%08x\n", v.hi, v.lo);
    {
        VALUE w = { 2, { { 3, 4 } }, { 5, 6 } };
        printf("w: kind=%d x=%d y=%d a=%u b=%u\n", w.kind, w.x, w.y, (unsigned)w.a, (unsigned)w.b);
        VALUE copy = w;
        copy.y = 40;
        printf("copy.y=%d w.y=%d\n", copy.y, w.y);
        return copy.y + w.a;
    }
}
