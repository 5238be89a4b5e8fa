/* Arbitrary-precision decimal arithmetic in base 10000: factorials and powers of two. */
#include <stdio.h>

#define LIMBS 64
typedef struct { int n; unsigned d[LIMBS]; } BIG; /* little-endian limbs, base 10000 */

static void set_small(BIG *b, unsigned v)
{
    b->n = 0;
    do {
        b->d[b->n++] = v % 10000u;
        v /= 10000u;
    } while (v);
}

static void mul_small(BIG *b, unsigned m)
{
    unsigned carry = 0;
    int i;
    for (i = 0; i < b->n; i++) {
        unsigned t = b->d[i] * m + carry;
        b->d[i] = t % 10000u;
        carry = t / 10000u;
    }
    while (carry) {
        b->d[b->n++] = carry % 10000u;
        carry /= 10000u;
    }
}

static void add(BIG *r, const BIG *a, const BIG *b)
{
    unsigned carry = 0;
    int i, n = a->n > b->n ? a->n : b->n;
    for (i = 0; i < n; i++) {
        unsigned t = (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
        r->d[i] = t % 10000u;
        carry = t / 10000u;
    }
    r->n = n;
    if (carry) r->d[r->n++] = carry;
}

static void print(const char *label, const BIG *b)
{
    int i;
    printf("%s=%u", label, b->d[b->n - 1]);
    for (i = b->n - 2; i >= 0; i--) printf("%04u", b->d[i]);
    printf("\n");
}

static int digit_sum(const BIG *b)
{
    int i, s = 0;
    for (i = 0; i < b->n; i++) {
        unsigned v = b->d[i];
        while (v) {
            s += (int)(v % 10);
            v /= 10;
        }
    }
    return s;
}

int main(void)
{
    BIG f, p, a, b, t;
    unsigned i;
    set_small(&f, 1);
    for (i = 2; i <= 50; i++) mul_small(&f, i);
    print("50!", &f);
    set_small(&p, 1);
    for (i = 0; i < 200; i++) mul_small(&p, 2);
    print("2^200", &p);
    set_small(&a, 0);
    set_small(&b, 1);
    for (i = 0; i < 300; i++) {
        add(&t, &a, &b);
        a = b;
        b = t;
    }
    print("fib(300)", &a);
    printf("digit sums: %d %d %d\n", digit_sum(&f), digit_sum(&p), digit_sum(&a));
    return digit_sum(&f) % 100;
}
