/* Fibonacci numbers up to F(93) in unsigned 64-bit, and Lucas numbers in signed 64-bit. */
#include <stdio.h>

int main(void)
{
    unsigned long long a = 0, b = 1;
    long long la = 2, lb = 1;
    int i;
    for (i = 0; i <= 93; i++) {
        if (i % 6 == 0 || i > 88) printf("F(%d)=%llu\n", i, a);
        {
            unsigned long long t = a + b;
            a = b;
            b = t;
        }
    }
    for (i = 0; i < 85; i++) {
        long long t = la + lb;
        la = lb;
        lb = t;
    }
    printf("L(85)=%lld\n", la);
    printf("F(94) mod 2^64 mod 97 = %llu\n", a % 97);
    return (int)(la % 100);
}
