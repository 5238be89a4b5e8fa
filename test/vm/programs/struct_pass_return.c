/* Structs passed and returned by value: small (4/8 bytes), medium (12/16) and large. */
#include <stdio.h>

typedef struct { short x, y; } P16;
typedef struct { int x, y; } P32;
typedef struct { int a, b, c; } T12;
typedef struct { long long lo, hi; } U128;
typedef struct { int v[10]; char tag; } BIG;

static P16 p16_add(P16 a, P16 b) { P16 r; r.x = (short)(a.x + b.x); r.y = (short)(a.y + b.y); return r; }
static P32 p32_scale(P32 p, int k) { p.x *= k; p.y *= k; return p; }
static T12 t12_rot(T12 t) { T12 r = { t.b, t.c, t.a }; return r; }
static U128 u128_add(U128 a, U128 b)
{
    U128 r;
    unsigned long long lo = (unsigned long long)a.lo + (unsigned long long)b.lo;
    r.lo = (long long)lo;
    r.hi = a.hi + b.hi + (lo < (unsigned long long)a.lo ? 1 : 0);
    return r;
}
static BIG big_fill(int start, char tag)
{
    BIG b;
    int i;
    for (i = 0; i < 10; i++) b.v[i] = start + i * i;
    b.tag = tag;
    return b;
}
static int big_sum(BIG b)
{
    int i, s = 0;
    b.v[0] = 1000; /* modifies the callee's copy only */
    for (i = 0; i < 10; i++) s += b.v[i];
    return s;
}

int main(void)
{
    P16 a = { 3, -4 }, b = { 100, 200 };
    P16 c = p16_add(a, b);
    P32 d = p32_scale((P32){ 7, -8 }, 3);
    T12 t = { 1, 2, 3 };
    U128 x = { -1, 5 }, y = { 1, 6 };
    U128 z = u128_add(x, y);
    BIG big = big_fill(5, 'Q');
    int s1, i;

    printf("c=(%d,%d) d=(%d,%d)\n", c.x, c.y, d.x, d.y);
    for (i = 0; i < 4; i++) {
        t = t12_rot(t);
        printf("t=(%d,%d,%d)\n", t.a, t.b, t.c);
    }
    printf("z.lo=%lld z.hi=%lld\n", z.lo, z.hi);
    s1 = big_sum(big);
    printf("big_sum=%d v0 still %d tag %c\n", s1, big.v[0], big.tag);
    printf("chain=%d\n", p32_scale(p32_scale(d, 2), -1).y);
    return s1 % 100;
}
