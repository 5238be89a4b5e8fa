/* exit() from deep inside nested calls ends the program with that status; output so far is flushed. */
#include <stdio.h>
#include <stdlib.h>

static int depth;

static void descend(int n)
{
    depth++;
    printf("descend %d\n", n);
    if (n == 0) {
        printf("exiting at depth %d\n", depth);
        exit(42);
    }
    descend(n - 1);
    printf("never printed\n");
}

int main(void)
{
    printf("start\n");
    descend(5);
    printf("not reached\n");
    return 0;
}
