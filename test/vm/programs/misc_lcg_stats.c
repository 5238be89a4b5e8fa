/* The program's own PRNG (never rand(): glibc and MSVC differ): histogram, mean, run lengths. */
#include <stdio.h>

static unsigned state = 1;
static unsigned next_rand(void) /* the classic ANSI C example generator, values 0..32767 */
{
    state = state * 1103515245u + 12345u;
    return (state / 65536u) % 32768u;
}

int main(void)
{
    int hist[10] = { 0 };
    int i, longest_run = 0, run = 0, prev_bucket = -1;
    long long sum = 0;
    for (i = 0; i < 2000; i++) {
        unsigned r = next_rand();
        int bucket = (int)(r * 10u / 32768u);
        hist[bucket]++;
        sum += r;
        run = bucket == prev_bucket ? run + 1 : 1;
        if (run > longest_run) longest_run = run;
        prev_bucket = bucket;
    }
    for (i = 0; i < 10; i++) printf("bucket %d: %d\n", i, hist[i]);
    printf("mean=%.3f longest run=%d first after 2000=%u\n", (double)sum / 2000, longest_run, next_rand());
    return longest_run;
}
