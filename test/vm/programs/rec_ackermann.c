/* Ackermann's function for small arguments (deep, non-primitive recursion). */
#include <stdio.h>

static int depth, max_depth;
static long long calls;

static int ack(int m, int n)
{
    int r;
    calls++;
    if (++depth > max_depth) max_depth = depth;
    if (m == 0) r = n + 1;
    else if (n == 0) r = ack(m - 1, 1);
    else r = ack(m - 1, ack(m, n - 1));
    depth--;
    return r;
}

int main(void)
{
    int m, n, last = 0;
    for (m = 0; m <= 3; m++)
        for (n = 0; n <= 4; n++) {
            if (m == 3 && n > 3) break;
            calls = 0;
            max_depth = 0;
            last = ack(m, n);
            printf("A(%d,%d)=%d calls=%lld depth=%d\n", m, n, last, calls, max_depth);
        }
    return last;
}
