/* Interrupt moderation: events accumulate, the ISR fires when a count or time threshold is reached. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef long long LONGLONG;

typedef struct {
    ULONG PendingEvents;
    LONGLONG FirstEventTime;
    ULONG CountThreshold;
    LONGLONG TimeThreshold;
    ULONG Interrupts;
    ULONG EventsDelivered;
    ULONG MaxBatch;
} MODERATION;

static void deliver(MODERATION *m, LONGLONG now, const char *why)
{
    if (m->PendingEvents > m->MaxBatch) m->MaxBatch = m->PendingEvents;
    m->Interrupts++;
    m->EventsDelivered += m->PendingEvents;
    if (m->Interrupts <= 6) printf("t=%lld interrupt #%u (%s) batch=%u\n", now, m->Interrupts, why, m->PendingEvents);
    m->PendingEvents = 0;
}

static void on_event(MODERATION *m, LONGLONG now)
{
    if (m->PendingEvents == 0) m->FirstEventTime = now;
    m->PendingEvents++;
    if (m->PendingEvents >= m->CountThreshold) deliver(m, now, "count");
}

static void on_timer(MODERATION *m, LONGLONG now)
{
    if (m->PendingEvents && now - m->FirstEventTime >= m->TimeThreshold) deliver(m, now, "timeout");
}

int main(void)
{
    MODERATION m = { 0, 0, 8, 50, 0, 0, 0 };
    LONGLONG t;
    unsigned rng = 77;
    ULONG generated = 0;
    for (t = 0; t < 5000; t += 5) {
        rng = rng * 1103515245u + 12345u;
        if (((rng >> 16) & 15u) < (t < 2500 ? 12u : 1u)) { /* busy first half, quiet second half */
            on_event(&m, t);
            generated++;
        }
        if (t % 10 == 0) on_timer(&m, t);
    }
    if (m.PendingEvents) deliver(&m, t, "flush");
    printf("generated=%u delivered=%u interrupts=%u max batch=%u ratio=%.2f\n", generated, m.EventsDelivered, m.Interrupts, m.MaxBatch,
           (double)m.EventsDelivered / m.Interrupts);
    return (int)(m.Interrupts % 100);
}
