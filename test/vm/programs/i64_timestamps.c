/* 100-ns system time arithmetic: relative/absolute due times, days/hours/minutes split. */
#include <stdio.h>

typedef long long LONGLONG;

#define TICKS_PER_MS 10000LL
#define TICKS_PER_SEC (1000 * TICKS_PER_MS)
#define TICKS_PER_DAY (86400LL * TICKS_PER_SEC)

static void split(LONGLONG t)
{
    LONGLONG days = t / TICKS_PER_DAY;
    LONGLONG rem = t % TICKS_PER_DAY;
    int h = (int)(rem / (3600 * TICKS_PER_SEC));
    int m = (int)(rem / (60 * TICKS_PER_SEC) % 60);
    int s = (int)(rem / TICKS_PER_SEC % 60);
    int ms = (int)(rem / TICKS_PER_MS % 1000);
    int ticks = (int)(rem % TICKS_PER_MS);
    printf("%lld days %02d:%02d:%02d.%03d +%d\n", days, h, m, s, ms, ticks);
}

int main(void)
{
    LONGLONG now = 133500000000000000LL; /* some day in 2024 in FILETIME units */
    LONGLONG due = -5 * TICKS_PER_SEC;   /* relative: negative */
    LONGLONG interrupt_time = 0;
    int i, fired = 0;

    split(now);
    split(now + 123456789LL);
    printf("relative due=%lld absolute=%lld\n", due, now - due);
    for (i = 0; i < 1000; i++) {
        interrupt_time += 156250; /* 15.625 ms clock tick */
        if (interrupt_time >= -due && !fired) {
            fired = i + 1;
            printf("timer fired at tick %d time=%lld\n", fired, interrupt_time);
        }
    }
    split(interrupt_time);
    printf("max days representable: %lld\n", 9223372036854775807LL / TICKS_PER_DAY);
    return fired % 100;
}
