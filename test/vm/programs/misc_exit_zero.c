/* exit(EXIT_SUCCESS) in the middle of a loop; the rest of main does not run. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int i, sum = 0;
    for (i = 0; i < 100; i++) {
        sum += i;
        if (sum > 300) {
            printf("sum=%d at i=%d, exiting\n", sum, i);
            exit(EXIT_SUCCESS);
        }
    }
    printf("unreachable\n");
    return 7;
}
