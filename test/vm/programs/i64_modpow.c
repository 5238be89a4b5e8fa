/* Modular exponentiation and Miller-Rabin primality with 64-bit intermediates (32-bit moduli). */
#include <stdio.h>

typedef unsigned long long U64;

static U64 powmod(U64 b, U64 e, U64 m)
{
    U64 r = 1 % m;
    b %= m;
    while (e) {
        if (e & 1) r = r * b % m;
        b = b * b % m;
        e >>= 1;
    }
    return r;
}

static int is_prime(unsigned n)
{
    static const unsigned bases[] = { 2, 3, 5, 7 };
    unsigned d = n - 1;
    int s = 0, i;
    if (n < 2) return 0;
    if (n < 4) return 1;
    if (n % 2 == 0) return 0;
    while ((d & 1) == 0) {
        d >>= 1;
        s++;
    }
    for (i = 0; i < 4; i++) {
        U64 x;
        int r;
        if (bases[i] % n == 0) continue;
        x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1) continue;
        for (r = 1; r < s; r++) {
            x = x * x % n;
            if (x == n - 1) break;
        }
        if (r == s) return 0;
    }
    return 1;
}

int main(void)
{
    unsigned cands[] = { 1, 2, 97, 561, 7919, 65537, 2147483647u, 4294967291u, 4294967295u, 3215031751u };
    int i, primes = 0;
    printf("2^64 mod 1e9+7 = %llu\n", (powmod(2, 32, 1000000007ULL) * powmod(2, 32, 1000000007ULL)) % 1000000007ULL);
    printf("3^200 mod 4294967291 = %llu\n", powmod(3, 200, 4294967291ULL));
    printf("fermat 7^(p-1) mod p = %llu\n", powmod(7, 4294967290ULL, 4294967291ULL));
    for (i = 0; i < 10; i++) {
        int p = is_prime(cands[i]);
        primes += p;
        printf("%u %s\n", cands[i], p ? "prime" : "composite");
    }
    for (i = 0; i < 500; i++) primes += is_prime(1000000u + (unsigned)i);
    printf("primes=%d\n", primes);
    return primes;
}
