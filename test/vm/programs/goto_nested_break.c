/* goto to leave nested loops, and to retry an outer iteration. */
#include <stdio.h>

int main(void)
{
    int grid[6][6], r, c, target = 27, fr = -1, fc = -1, retries = 0, round;
    for (r = 0; r < 6; r++)
        for (c = 0; c < 6; c++) grid[r][c] = (r * 7 + c * 5) % 31;
    for (r = 0; r < 6; r++)
        for (c = 0; c < 6; c++)
            if (grid[r][c] == target) {
                fr = r;
                fc = c;
                goto done;
            }
done:
    printf("found %d at (%d,%d)\n", target, fr, fc);

    for (round = 0; round < 4; round++) {
        int attempts = 0;
    again:
        attempts++;
        if ((round * 3 + attempts) % 4 != 0) {
            retries++;
            goto again;
        }
        printf("round %d needed %d attempts\n", round, attempts);
    }
    printf("retries=%d\n", retries);
    return fr * 10 + fc + retries;
}
