/* switch fall-through: cumulative cases, shared bodies, break in the middle. */
#include <stdio.h>

static int bonus(int level)
{
    int b = 0;
    switch (level) {
    case 5: b += 50; /* fall through */
    case 4: b += 40; /* fall through */
    case 3: b += 30;
        break;
    case 2:
    case 1: b += 10; /* fall through */
    case 0: b += 1;
        break;
    default: b = -1;
    }
    return b;
}

static const char *days_kind(int d)
{
    switch (d) {
    case 0:
    case 6:
        return "weekend";
    case 1: case 2: case 3: case 4: case 5:
        return "weekday";
    }
    return "invalid";
}

int main(void)
{
    int i, total = 0;
    for (i = -1; i <= 6; i++) {
        printf("bonus(%d)=%d\n", i, bonus(i));
        total += bonus(i);
    }
    for (i = 0; i < 8; i++) printf("%d:%s ", i, days_kind(i));
    printf("\n");
    {
        int count = 0, n = 13;
        switch (n % 4) {
        case 0: do { count++;
        case 3: count++;
        case 2: count++;
        case 1: count++;
                } while ((n -= 4) > 0);
        }
        printf("duff-style count=%d\n", count);
        total += count;
    }
    printf("total=%d\n", total);
    return total % 100;
}
