/* Integer square roots (bitwise and Newton), integer cube root, perfect squares. */
#include <stdio.h>

static unsigned isqrt_bits(unsigned n)
{
    unsigned res = 0, bit = 1u << 30;
    while (bit > n) bit >>= 2;
    while (bit != 0) {
        if (n >= res + bit) {
            n -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    return res;
}

static unsigned isqrt_newton(unsigned n)
{
    unsigned long long x, y;
    if (n < 2) return n;
    x = n;
    y = (x + n / x) / 2;
    while (y < x) {
        x = y;
        y = (x + n / x) / 2;
    }
    return (unsigned)x;
}

static unsigned icbrt(unsigned n)
{
    unsigned r = 0;
    while ((unsigned long long)(r + 1) * (r + 1) * (r + 1) <= n) r++;
    return r;
}

int main(void)
{
    unsigned tests[] = { 0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 65535, 65536, 1000000, 2147483647u, 4294967295u };
    unsigned i, squares = 0;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        unsigned a = isqrt_bits(tests[i]), b = isqrt_newton(tests[i]);
        printf("isqrt(%u)=%u newton=%u %s\n", tests[i], a, b, a == b ? "ok" : "MISMATCH");
    }
    for (i = 1; i <= 1000; i++) {
        unsigned r = isqrt_bits(i);
        if (r * r == i) squares++;
    }
    printf("squares<=1000: %u\n", squares);
    printf("cbrt(27)=%u cbrt(1000)=%u cbrt(999)=%u cbrt(3000)=%u\n", icbrt(27), icbrt(1000), icbrt(999), icbrt(3000));
    return (int)squares;
}
