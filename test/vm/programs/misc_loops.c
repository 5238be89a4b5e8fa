/* Loop forms: for with multiple variables, do/while running once, nested break/continue, infinite loop exit. */
#include <stdio.h>

int main(void)
{
    int i, j, count = 0, n;
    for (i = 0, j = 10; i < j; i++, j--) count += j - i;
    printf("converging: count=%d i=%d j=%d\n", count, i, j);
    n = 0;
    do {
        n++;
    } while (0);
    printf("do-while ran %d time\n", n);
    for (i = 0; i < 5; i++) {
        for (j = 0; j < 5; j++) {
            if (j == i) continue;
            if (j > 3) break;
            count++;
        }
        if (i == 3) continue;
        count += 100;
    }
    printf("nested count=%d\n", count);
    i = 0;
    for (;;) {
        if (++i >= 17) break;
    }
    n = 0;
    while (1) {
        n += 3;
        if (n % 5 == 0 && n % 7 == 0) break;
    }
    printf("for(;;) i=%d while(1) n=%d\n", i, n);
    for (i = 10; i-- > 0;) count -= i;
    printf("countdown count=%d i=%d\n", count, i);
    {
        unsigned u;
        int iters = 0;
        for (u = 5; u < 10; u--) iters++; /* stops when u wraps to UINT_MAX */
        printf("unsigned countdown iters=%d u=%u\n", iters, u);
    }
    return count % 100;
}
