/* 64-bit signed and unsigned division/remainder across sign combinations and magnitudes. */
#include <stdio.h>

typedef long long LONG64;
typedef unsigned long long ULONG64;

int main(void)
{
    LONG64 nums[] = { 9223372036854775807LL, -9223372036854775807LL - 1, 1000000000000LL, -999999999999LL, 7, -7, 0 };
    LONG64 dens[] = { 1, -1, 2, -3, 1000000007LL, -4294967296LL, 9223372036854775807LL };
    ULONG64 unums[] = { 18446744073709551615ULL, 9223372036854775808ULL, 12345678901234567890ULL, 4294967296ULL, 3 };
    ULONG64 udens[] = { 1, 2, 10, 4294967295ULL, 4294967296ULL, 18446744073709551615ULL };
    int i, j;
    LONG64 check = 0;

    for (i = 0; i < 7; i++) {
        for (j = 0; j < 7; j++) {
            LONG64 q, r;
            if (nums[i] == -9223372036854775807LL - 1 && dens[j] == -1) continue; /* would overflow */
            q = nums[i] / dens[j];
            r = nums[i] % dens[j];
            if (q * dens[j] + r != nums[i]) {
                printf("identity broken\n");
                return 99;
            }
            check ^= q + r * 3;
            printf("%lld / %lld = %lld r %lld\n", nums[i], dens[j], q, r);
        }
    }
    for (i = 0; i < 5; i++)
        for (j = 0; j < 6; j++)
            printf("%llu / %llu = %llu r %llu\n", unums[i], udens[j], unums[i] / udens[j], unums[i] % udens[j]);
    printf("check=%lld\n", check);
    return (int)((ULONG64)check % 100);
}
