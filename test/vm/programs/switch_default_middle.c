/* default placed first or in the middle still only runs when nothing matches; fall-through past it. */
#include <stdio.h>

static int classify(int x)
{
    int r = 0;
    switch (x) {
    case 1:
        r += 1;
        break;
    default:
        r += 100;
        /* fall through */
    case 2:
        r += 2;
        break;
    case 3:
        r += 3;
    }
    return r;
}

static int first_default(int x)
{
    switch (x) {
    default:
        return -1;
    case 10:
        return 10;
    case 20:
        return 20;
    }
}

static int no_default(int x)
{
    int r = 7;
    switch (x) {
    case 1:
        r = 1;
    }
    return r;
}

int main(void)
{
    int i, sum = 0;
    for (i = 0; i <= 4; i++) {
        printf("classify(%d)=%d\n", i, classify(i));
        sum += classify(i);
    }
    printf("first_default: %d %d %d %d\n", first_default(10), first_default(20), first_default(15), first_default(-10));
    printf("no_default: %d %d\n", no_default(1), no_default(2));
    {
        int x = 5;
        switch (x) {
            /* statements before the first label are never executed */
            x = 100;
        case 5:
            printf("x=%d\n", x);
        }
    }
    switch (3) { }
    return sum % 100;
}
