/* volatile objects: every access happens; polling loops over a simulated status register. */
#include <stdio.h>

typedef unsigned int ULONG;

static volatile ULONG g_status;
static volatile int g_ticks;

static void simulate_hardware(int step)
{
    g_ticks++;
    if (step % 7 == 6) g_status |= 0x1u;   /* data ready */
    if (step % 11 == 10) g_status |= 0x80u; /* error */
}

int main(void)
{
    int step = 0, ready = 0, errors = 0, spins = 0;
    volatile int local_flag = 0;
    volatile ULONG *reg = &g_status;
    while (step < 100) {
        simulate_hardware(step++);
        spins++;
        if (*reg & 0x1u) {
            ready++;
            *reg &= ~0x1u;          /* acknowledge */
        }
        if (*reg & 0x80u) {
            errors++;
            *reg = *reg & ~0x80u;
        }
    }
    for (local_flag = 0; local_flag < 5; local_flag++) g_ticks += local_flag;
    printf("ready=%d errors=%d spins=%d ticks=%d status=%08x\n", ready, errors, spins, g_ticks, g_status);
    return ready + errors;
}
