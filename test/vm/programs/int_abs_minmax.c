/* abs(), min/max macros and functions, clamping, sign function. */
#include <stdio.h>
#include <stdlib.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static int sign(int x) { return (x > 0) - (x < 0); }
static int clamp(int x, int lo, int hi) { return MIN(MAX(x, lo), hi); }
static long long llabs_own(long long x) { return x < 0 ? -x : x; }

int main(void)
{
    int v[] = { -7, 0, 12, -2147483647, 2147483647, -1, 100 };
    int i, sum = 0, mn = v[0], mx = v[0];
    for (i = 0; i < 7; i++) {
        printf("v=%d abs=%d sign=%d clamp=%d\n", v[i], abs(v[i]), sign(v[i]), clamp(v[i], -10, 50));
        sum += clamp(v[i], -10, 50);
        mn = MIN(mn, v[i]);
        mx = MAX(mx, v[i]);
    }
    printf("min=%d max=%d sum=%d\n", mn, mx, sum);
    printf("llabs_own=%lld %lld\n", llabs_own(-9000000000LL), llabs_own(123));
    printf("MIN(-1,1u) picks %u\n", MIN(-1, 1u));
    return sum;
}
