/* Static locals keep their values across calls; initialized once; each function has its own. */
#include <stdio.h>

static int next_id(void)
{
    static int id = 100;
    return id++;
}

static int fib_step(void)
{
    static int a = 0, b = 1;
    int r = a;
    int t = a + b;
    a = b;
    b = t;
    return r;
}

static const char *rotating_name(void)
{
    static const char *const names[] = { "cpu0", "cpu1", "cpu2" };
    static unsigned i;
    return names[i++ % 3];
}

static int *counter_ptr(void)
{
    static int count;
    return &count;
}

int main(void)
{
    int i, last = 0;
    for (i = 0; i < 5; i++) printf("id=%d ", next_id());
    printf("\n");
    for (i = 0; i < 12; i++) last = fib_step();
    printf("12th fib_step=%d\n", last);
    for (i = 0; i < 7; i++) printf("%s ", rotating_name());
    printf("\n");
    for (i = 0; i < 10; i++) (*counter_ptr())++;
    *counter_ptr() *= 3;
    printf("counter=%d\n", *counter_ptr());
    {
        int j, total = 0;
        for (j = 0; j < 3; j++) {
            static int block_static = 1;
            int automatic = 1;
            block_static *= 2;
            automatic *= 2;
            total += block_static + automatic;
        }
        printf("total=%d\n", total);
    }
    return next_id() - 100 + last;
}
