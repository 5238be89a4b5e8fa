/* Integer matrix power by squaring (Fibonacci mod p), matrix transpose/multiply identities. */
#include <stdio.h>

typedef unsigned long long U64;
typedef struct { U64 m[2][2]; } M2;

static M2 mul(M2 a, M2 b, U64 mod)
{
    M2 r;
    int i, j;
    for (i = 0; i < 2; i++)
        for (j = 0; j < 2; j++) r.m[i][j] = (a.m[i][0] * b.m[0][j] + a.m[i][1] * b.m[1][j]) % mod;
    return r;
}

static U64 fib_mod(U64 n, U64 mod)
{
    M2 r = { { { 1, 0 }, { 0, 1 } } }, b = { { { 1, 1 }, { 1, 0 } } };
    while (n) {
        if (n & 1) r = mul(r, b, mod);
        b = mul(b, b, mod);
        n >>= 1;
    }
    return r.m[0][1];
}

int main(void)
{
    int a[3][3] = { { 2, -1, 0 }, { 1, 3, 4 }, { -2, 5, 1 } }, b[3][3], c[3][3];
    int i, j, k, trace = 0;
    printf("fib(10)=%llu fib(90) mod 1e9+7=%llu fib(10^18) mod 1e9+7=%llu\n", fib_mod(10, 1000000007ULL), fib_mod(90, 1000000007ULL),
           fib_mod(1000000000000000000ULL, 1000000007ULL));
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) b[i][j] = a[j][i];
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            c[i][j] = 0;
            for (k = 0; k < 3; k++) c[i][j] += a[i][k] * b[k][j];
        }
    for (i = 0; i < 3; i++) {
        printf("%4d %4d %4d\n", c[i][0], c[i][1], c[i][2]);
        trace += c[i][i];
    }
    printf("A*A^T symmetric: %d trace=%d\n", c[0][1] == c[1][0] && c[0][2] == c[2][0] && c[1][2] == c[2][1], trace);
    return trace;
}
