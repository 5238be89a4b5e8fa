/* Retry loops with backward goto around a simulated flaky operation; gotos into blocks are avoided. */
#include <stdio.h>

static unsigned seed = 7;
static int flaky(void)
{
    seed = seed * 1103515245u + 12345u;
    return ((seed >> 16) & 7u) < 3u; /* succeeds about 3/8 of the time */
}

int main(void)
{
    int op, total_tries = 0, gave_up = 0;
    for (op = 0; op < 12; op++) {
        int tries = 0;
    retry:
        tries++;
        if (!flaky()) {
            if (tries < 5) goto retry;
            gave_up++;
            printf("op %2d gave up after %d tries\n", op, tries);
            goto next;
        }
        printf("op %2d ok after %d tries\n", op, tries);
    next:
        total_tries += tries;
    }
    printf("total tries=%d gave up=%d\n", total_tries, gave_up);
    return total_tries;
}
