/* 64-bit signed/unsigned add, sub, mul at the extremes (no signed overflow). */
#include <stdio.h>
#include <limits.h>

typedef long long LONG64;
typedef unsigned long long ULONG64;

int main(void)
{
    LONG64 max = LLONG_MAX, min = LLONG_MIN;
    ULONG64 umax = ULLONG_MAX;
    LONG64 a = 3037000499LL; /* floor(sqrt(2^63-1)) */
    ULONG64 b = 4294967295ULL;
    int i;
    ULONG64 h = 1469598103934665603ULL;

    printf("max=%lld min=%lld umax=%llu\n", max, min, umax);
    printf("max hex=%llx min hex=%llx\n", (ULONG64)max, (ULONG64)min);
    printf("max-1=%lld min+1=%lld max+min=%lld\n", max - 1, min + 1, max + min);
    printf("a*a=%lld\n", a * a);
    printf("b*b=%llu b*b+2*b=%llu\n", b * b, b * b + 2 * b);
    printf("umax*umax=%llu umax+umax=%llu\n", umax * umax, umax + umax);
    printf("-max=%lld min/2=%lld min%%10=%lld\n", -max, min / 2, min % 10);
    printf("(ULONG64)min=%llu (ULONG64)-1=%llu\n", (ULONG64)min, (ULONG64)-1LL);
    printf("~0ULL=%llx -(ULONG64)5=%llu\n", ~0ULL, -(ULONG64)5);
    for (i = 0; i < 64; i++) {
        h ^= (ULONG64)i;
        h *= 1099511628211ULL;
    }
    printf("fnv64=%016llx\n", h);
    {
        LONG64 x = 1;
        for (i = 0; i < 62; i++) x *= 2;
        printf("2^62=%lld 2^62-1+2^62=%lld\n", x, (x - 1) + x);
        printf("umax/3=%llu umax%%1000=%llu\n", umax / 3, umax % 1000);
        printf("1e18*9=%lld\n", 1000000000000000000LL * 9);
    }
    return (int)(h % 91);
}
