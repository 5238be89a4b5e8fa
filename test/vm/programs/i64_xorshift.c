/* 64-bit PRNGs: xorshift64*, splitmix64 and a 64-bit LCG; histogram of low bits. */
#include <stdio.h>

typedef unsigned long long U64;

static U64 xs_state = 88172645463325252ULL;
static U64 xorshift64star(void)
{
    xs_state ^= xs_state >> 12;
    xs_state ^= xs_state << 25;
    xs_state ^= xs_state >> 27;
    return xs_state * 0x2545F4914F6CDD1DULL;
}

static U64 sm_state = 0;
static U64 splitmix64(void)
{
    U64 z = (sm_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int main(void)
{
    int hist[8] = { 0 };
    U64 lcg = 1, last = 0;
    int i;
    for (i = 0; i < 5; i++) printf("xs[%d]=%016llx sm[%d]=%016llx\n", i, xorshift64star(), i, splitmix64());
    for (i = 0; i < 800; i++) {
        last = xorshift64star();
        hist[last >> 61]++;
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    }
    for (i = 0; i < 8; i++) printf("hist[%d]=%d\n", i, hist[i]);
    printf("last=%llu lcg=%llu\n", last, lcg);
    return hist[3] % 100;
}
