/* INT_MIN / INT_MAX and friends: arithmetic that stays in range. */
#include <stdio.h>
#include <limits.h>

static int half(int x) { return x / 2; }

int main(void)
{
    int max = INT_MAX, min = INT_MIN;
    unsigned umax = UINT_MAX;
    short smin = SHRT_MIN, smax = SHRT_MAX;
    signed char cmin = SCHAR_MIN, cmax = SCHAR_MAX;
    int score = 0;

    printf("INT_MAX=%d INT_MIN=%d\n", max, min);
    printf("UINT_MAX=%u hex=%x\n", umax, umax);
    printf("SHRT=%d..%d SCHAR=%d..%d UCHAR_MAX=%d USHRT_MAX=%d\n", smin, smax, cmin, cmax, UCHAR_MAX, USHRT_MAX);
    printf("max-1=%d min+1=%d\n", max - 1, min + 1);
    printf("max+min=%d\n", max + min);
    printf("-max=%d min/2=%d max/2=%d\n", -max, half(min), half(max));
    printf("min%%7=%d max%%7=%d\n", min % 7, max % 7);
    printf("min/-2=%d\n", min / -2);
    printf("(unsigned)min=%u (unsigned)-1=%u\n", (unsigned)min, (unsigned)-1);
    printf("min as hex=%x max as hex=%X\n", (unsigned)min, (unsigned)max);
    printf("max>min=%d min<0=%d -(min+1)=%d\n", max > min, min < 0, -(min + 1));
    printf("(long long)max+1=%lld (long long)min-1=%lld\n", (long long)max + 1, (long long)min - 1);
    printf("(long long)max*max=%lld\n", (long long)max * max);
    printf("(long long)min*min=%lld\n", (long long)min * min);
    printf("umax+1=%u umax*umax=%u\n", umax + 1u, umax * umax);
    if (max - 1 < max) score++;
    if (min + 1 > min) score++;
    if ((unsigned)max + 1u == (unsigned)min) score++;
    if (~max == min) score++;
    if (~0 == -1) score++;
    printf("score=%d\n", score);
    return score;
}
