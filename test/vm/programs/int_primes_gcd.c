/* Sieve of Eratosthenes, gcd/lcm, modular inverse with extended Euclid. */
#include <stdio.h>

#define LIMIT 2000

static unsigned char composite[LIMIT + 1];

static int gcd(int a, int b)
{
    while (b != 0) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

static int modinv(int a, int m)
{
    int old_r = a, r = m, old_s = 1, s = 0;
    while (r != 0) {
        int q = old_r / r, tmp;
        tmp = old_r - q * r; old_r = r; r = tmp;
        tmp = old_s - q * s; old_s = s; s = tmp;
    }
    if (old_r != 1) return -1;
    return ((old_s % m) + m) % m;
}

int main(void)
{
    int i, j, count = 0, last = 0;
    unsigned sum = 0;

    for (i = 2; i * i <= LIMIT; i++)
        if (!composite[i])
            for (j = i * i; j <= LIMIT; j += i) composite[j] = 1;
    for (i = 2; i <= LIMIT; i++) {
        if (!composite[i]) {
            count++;
            sum += (unsigned)i;
            last = i;
        }
    }
    printf("primes<=%d: %d sum=%u last=%d\n", LIMIT, count, sum, last);
    printf("gcd(1071,462)=%d gcd(-48,18)=%d gcd(17,5)=%d gcd(0,9)=%d\n", gcd(1071, 462), gcd(-48, 18), gcd(17, 5), gcd(0, 9));
    printf("lcm(21,6)=%d\n", 21 / gcd(21, 6) * 6);
    for (i = 1; i < 12; i++) printf("inv(%d mod 13)=%d ", i, modinv(i, 13));
    printf("\ninv(4 mod 8)=%d\n", modinv(4, 8));
    return count % 100;
}
