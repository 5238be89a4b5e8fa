/* Short-circuit evaluation, ternary chains, comma operator. */
#include <stdio.h>

static int calls;

static int t(int v)
{
    calls++;
    printf("t(%d) ", v);
    return v;
}

int main(void)
{
    int r, a = 3, b = 0;

    r = t(0) && t(1);
    printf("-> %d calls=%d\n", r, calls);
    r = t(1) && t(2);
    printf("-> %d calls=%d\n", r, calls);
    r = t(1) || t(0);
    printf("-> %d calls=%d\n", r, calls);
    r = t(0) || t(0) || t(5);
    printf("-> %d calls=%d\n", r, calls);
    r = (t(0) && t(1)) || (t(1) && t(0)) || t(7);
    printf("-> %d calls=%d\n", r, calls);
    r = t(1) ? t(10) : t(20);
    printf("-> %d calls=%d\n", r, calls);
    r = t(0) ? t(10) : t(20);
    printf("-> %d calls=%d\n", r, calls);
    r = (a++, b++, a + b);
    printf("comma r=%d a=%d b=%d\n", r, a, b);
    {
        int i;
        for (i = -2; i <= 2; i++) {
            const char *s = i < 0 ? "neg" : i == 0 ? "zero" : i == 1 ? "one" : "many";
            printf("%d:%s ", i, s);
        }
        printf("\n");
    }
    {
        int x = 5, y = 0;
        int safe = y != 0 && x / y > 1;
        printf("safe=%d\n", safe);
        unsigned m = (x > 3) ? 0xFFFFFFFFu : 0;
        printf("m=%u\n", m);
        long long w = x > 3 ? -1 : 1u;
        printf("w=%lld\n", w);
    }
    return calls;
}
