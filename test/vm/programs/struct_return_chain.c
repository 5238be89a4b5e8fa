/* Member access on function results, nested calls returning structs, conditional struct values. */
#include <stdio.h>

typedef struct { int num, den; } FRAC;

static int gcd(int a, int b) { return b ? gcd(b, a % b) : (a < 0 ? -a : a); }
static FRAC mk(int n, int d)
{
    FRAC f;
    int g = gcd(n, d);
    if (d < 0) {
        n = -n;
        d = -d;
        g = gcd(n, d);
    }
    f.num = n / g;
    f.den = d / g;
    return f;
}
static FRAC add(FRAC a, FRAC b) { return mk(a.num * b.den + b.num * a.den, a.den * b.den); }
static FRAC mul(FRAC a, FRAC b) { return mk(a.num * b.num, a.den * b.den); }

int main(void)
{
    FRAC h = mk(0, 1);
    int i;
    for (i = 1; i <= 10; i++) h = add(h, mk(1, i));
    printf("H(10)=%d/%d\n", h.num, h.den);
    printf("(1/2+1/3)*(6/5) num=%d den=%d\n", mul(add(mk(1, 2), mk(1, 3)), mk(6, 5)).num, mul(add(mk(1, 2), mk(1, 3)), mk(6, 5)).den);
    printf("mk(6,-4)=%d/%d\n", mk(6, -4).num, mk(6, -4).den);
    {
        FRAC a = mk(3, 4), b = mk(5, 6);
        FRAC big = (a.num * b.den > b.num * a.den) ? a : b;
        printf("bigger=%d/%d\n", big.num, big.den);
    }
    return h.den % 100;
}
