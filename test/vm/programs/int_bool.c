/* _Bool: conversion of any nonzero value to 1, arithmetic on bools, bool arrays. */
#include <stdio.h>
#include <stdbool.h>

static bool is_pow2(unsigned x) { return x && !(x & (x - 1)); }

int main(void)
{
    _Bool b;
    bool flags[40];
    int i, count = 0;

    b = 5;
    printf("b=5 -> %d\n", b);
    b = 0x100;
    printf("b=0x100 -> %d\n", b);
    b = 0.25;
    printf("b=0.25 -> %d\n", b);
    b = -1;
    printf("b=-1 -> %d\n", b);
    b = 0;
    b++;
    printf("b++ -> %d\n", b);
    b++;
    printf("b++ again -> %d\n", b);
    b = 1;
    b += 1;
    printf("b+=1 -> %d\n", b);
    printf("true+true=%d sizeof(bool)=%u\n", true + true, (unsigned)sizeof(bool));
    {
        long long big = 0x100000000LL;
        bool nb = big;
        int truncated = (int)(unsigned)big;
        printf("bool of 2^32 = %d; (int)(unsigned) = %d\n", nb, truncated);
        void *p = &big;
        bool pb = p;
        printf("bool of pointer = %d\n", pb);
    }
    for (i = 0; i < 40; i++) flags[i] = is_pow2((unsigned)i);
    for (i = 0; i < 40; i++)
        if (flags[i]) {
            printf("%d ", i);
            count++;
        }
    printf("\ncount=%d\n", count);
    return count;
}
