/* Collatz sequences: longest chain below a bound, loop-heavy integer code. */
#include <stdio.h>

static int steps(unsigned n)
{
    int s = 0;
    while (n != 1) {
        n = (n & 1u) ? 3u * n + 1u : n >> 1;
        s++;
    }
    return s;
}

int main(void)
{
    unsigned best = 1, i;
    int best_steps = 0, total = 0;
    for (i = 1; i < 300; i++) {
        int s = steps(i);
        total += s;
        if (s > best_steps) {
            best_steps = s;
            best = i;
            printf("new best %u: %d steps\n", i, s);
        }
    }
    printf("best=%u steps=%d total=%d\n", best, best_steps, total);
    printf("steps(27)=%d steps(97)=%d\n", steps(27), steps(97));
    return best_steps % 100;
}
