/* Timers in a due-time ordered list (absolute 100-ns times); periodic timers re-insert themselves. */
#include <stdio.h>

typedef long long LONGLONG;
typedef struct _LIST_ENTRY { struct _LIST_ENTRY *Flink, *Blink; } LIST_ENTRY;
typedef unsigned long long ULONG_PTR;
#define CONTAINING_RECORD(a, t, f) ((t *)((char *)(a) - (ULONG_PTR)(&((t *)0)->f)))

typedef struct _KTIMER {
    LONGLONG DueTime;
    int Period; /* ms, 0 = one-shot */
    const char *Name;
    int Fired;
    LIST_ENTRY Entry;
    int Inserted;
} KTIMER;

static LIST_ENTRY g_Timers;
static LONGLONG g_Now;

static void insert_sorted(KTIMER *t)
{
    LIST_ENTRY *e = g_Timers.Flink;
    while (e != &g_Timers && CONTAINING_RECORD(e, KTIMER, Entry)->DueTime <= t->DueTime) e = e->Flink;
    t->Entry.Flink = e;
    t->Entry.Blink = e->Blink;
    e->Blink->Flink = &t->Entry;
    e->Blink = &t->Entry;
    t->Inserted = 1;
}

static void KeSetTimerEx(KTIMER *t, LONGLONG due, int period)
{
    if (t->Inserted) {
        t->Entry.Blink->Flink = t->Entry.Flink;
        t->Entry.Flink->Blink = t->Entry.Blink;
    }
    t->DueTime = due < 0 ? g_Now - due : due; /* negative = relative */
    t->Period = period;
    insert_sorted(t);
}

static int expire(void)
{
    int n = 0;
    while (g_Timers.Flink != &g_Timers) {
        KTIMER *t = CONTAINING_RECORD(g_Timers.Flink, KTIMER, Entry);
        if (t->DueTime > g_Now) break;
        g_Timers.Flink = t->Entry.Flink;
        t->Entry.Flink->Blink = &g_Timers;
        t->Inserted = 0;
        t->Fired++;
        n++;
        printf("t=%lldms %s fired (#%d)\n", g_Now / 10000, t->Name, t->Fired);
        if (t->Period) {
            t->DueTime += (LONGLONG)t->Period * 10000;
            insert_sorted(t);
        }
    }
    return n;
}

int main(void)
{
    KTIMER timers[4] = { { 0, 0, "watchdog", 0, { 0, 0 }, 0 }, { 0, 0, "poll", 0, { 0, 0 }, 0 }, { 0, 0, "oneshot", 0, { 0, 0 }, 0 },
                         { 0, 0, "late", 0, { 0, 0 }, 0 } };
    int tick, fired = 0;
    g_Timers.Flink = g_Timers.Blink = &g_Timers;
    KeSetTimerEx(&timers[0], -1000LL * 10000, 0);
    KeSetTimerEx(&timers[1], -50LL * 10000, 120);
    KeSetTimerEx(&timers[2], 300LL * 10000, 0);
    KeSetTimerEx(&timers[3], -10000LL * 10000, 0);
    for (tick = 0; tick < 64; tick++) {
        g_Now += 156250; /* 15.625 ms */
        fired += expire();
        if (tick == 30) KeSetTimerEx(&timers[0], -1000LL * 10000, 0); /* pet the watchdog */
    }
    printf("fired=%d poll=%d watchdog=%d late inserted=%d now=%lld\n", fired, timers[1].Fired, timers[0].Fired, timers[3].Inserted, g_Now);
    return fired;
}
