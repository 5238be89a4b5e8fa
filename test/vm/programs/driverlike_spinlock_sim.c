/* Simulated interlocked operations and a ticket spin lock, with an interleaving driven by a script. */
#include <stdio.h>

typedef int LONG;
typedef long long LONG64;

static LONG InterlockedIncrement(volatile LONG *p) { return ++*p; }
static LONG InterlockedDecrement(volatile LONG *p) { return --*p; }
static LONG InterlockedExchange(volatile LONG *p, LONG v) { LONG old = *p; *p = v; return old; }
static LONG InterlockedCompareExchange(volatile LONG *p, LONG exch, LONG cmp)
{
    LONG old = *p;
    if (old == cmp) *p = exch;
    return old;
}
static LONG64 InterlockedExchangeAdd64(volatile LONG64 *p, LONG64 v) { LONG64 old = *p; *p = old + v; return old; }

typedef struct { volatile LONG NextTicket; volatile LONG NowServing; } TICKET_LOCK;

typedef struct { int id; LONG ticket; int state; int acquisitions; int spins; } CPU;

int main(void)
{
    TICKET_LOCK lock = { 0, 0 };
    CPU cpus[3] = { { 0, 0, 0, 0, 0 }, { 1, 0, 0, 0, 0 }, { 2, 0, 0, 0, 0 } };
    volatile LONG refcount = 1, flag = 0;
    volatile LONG64 bytes = 0;
    LONG old;
    int step, inside = 0, max_inside = 0;
    unsigned sched = 0x1234u;
    for (step = 0; step < 300; step++) {
        CPU *c;
        sched = sched * 1103515245u + 12345u;
        c = &cpus[(sched >> 16) % 3];
        switch (c->state) {
        case 0: /* take a ticket */
            c->ticket = InterlockedIncrement(&lock.NextTicket) - 1;
            c->state = 1;
            break;
        case 1: /* spin until served */
            if (lock.NowServing == c->ticket) {
                c->state = 2;
                inside++;
                if (inside > max_inside) max_inside = inside;
                c->acquisitions++;
                InterlockedExchangeAdd64(&bytes, 4096LL * (c->id + 1));
            } else {
                c->spins++;
            }
            break;
        case 2: /* release */
            inside--;
            InterlockedIncrement(&lock.NowServing);
            c->state = 0;
            break;
        }
    }
    for (step = 0; step < 5; step++) InterlockedIncrement(&refcount);
    while (InterlockedDecrement(&refcount) > 0) {
    }
    old = InterlockedCompareExchange(&flag, 7, 0);
    printf("cas1 old=%d flag=%d\n", old, flag);
    old = InterlockedCompareExchange(&flag, 9, 0);
    printf("cas2 old=%d flag=%d\n", old, flag);
    old = InterlockedExchange(&flag, -1);
    printf("xchg old=%d flag=%d refcount=%d\n", old, flag, refcount);
    for (step = 0; step < 3; step++) printf("cpu%d acquisitions=%d spins=%d\n", step, cpus[step].acquisitions, cpus[step].spins);
    printf("tickets=%d serving=%d max_inside=%d bytes=%lld\n", lock.NextTicket, lock.NowServing, max_inside, bytes);
    return max_inside * 10 + lock.NowServing % 10;
}
