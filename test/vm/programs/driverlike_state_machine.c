/* A PnP/power state machine driven by an event script; illegal transitions are rejected. */
#include <stdio.h>

typedef enum { NotStarted, Started, StopPending, Stopped, RemovePending, SurpriseRemoved, Deleted, STATE_COUNT } DEVICE_PNP_STATE;
typedef enum { IRP_START, IRP_QUERY_STOP, IRP_CANCEL_STOP, IRP_STOP, IRP_QUERY_REMOVE, IRP_CANCEL_REMOVE, IRP_REMOVE, IRP_SURPRISE, EVENT_COUNT } PNP_EVENT;

static const char *const StateNames[STATE_COUNT] = { "NotStarted", "Started", "StopPending", "Stopped", "RemovePending", "SurpriseRemoved", "Deleted" };
static const char *const EventNames[EVENT_COUNT] = { "START", "QUERY_STOP", "CANCEL_STOP", "STOP", "QUERY_REMOVE", "CANCEL_REMOVE", "REMOVE", "SURPRISE" };

typedef struct { DEVICE_PNP_STATE State, PreviousState; int Transitions, Rejected; } DEVICE_EXTENSION;

static int transition(DEVICE_EXTENSION *d, PNP_EVENT e)
{
    DEVICE_PNP_STATE s = d->State, n = s;
    switch (e) {
    case IRP_START: if (s == NotStarted || s == Stopped) n = Started; break;
    case IRP_QUERY_STOP: if (s == Started) n = StopPending; break;
    case IRP_CANCEL_STOP: if (s == StopPending) n = d->PreviousState; break;
    case IRP_STOP: if (s == StopPending) n = Stopped; break;
    case IRP_QUERY_REMOVE: if (s == Started || s == Stopped) n = RemovePending; break;
    case IRP_CANCEL_REMOVE: if (s == RemovePending) n = d->PreviousState; break;
    case IRP_REMOVE: if (s != Deleted) n = Deleted; break;
    case IRP_SURPRISE: if (s != Deleted && s != NotStarted) n = SurpriseRemoved; break;
    default: break;
    }
    if (n == s && !(e == IRP_CANCEL_STOP && s == StopPending)) {
        d->Rejected++;
        printf("  %-13s in %-15s rejected\n", EventNames[e], StateNames[s]);
        return 0;
    }
    d->PreviousState = s;
    d->State = n;
    d->Transitions++;
    printf("  %-13s %s -> %s\n", EventNames[e], StateNames[s], StateNames[n]);
    return 1;
}

int main(void)
{
    PNP_EVENT script[] = { IRP_STOP, IRP_START, IRP_QUERY_STOP, IRP_CANCEL_STOP, IRP_QUERY_STOP, IRP_STOP, IRP_START, IRP_QUERY_REMOVE,
                           IRP_CANCEL_REMOVE, IRP_START, IRP_SURPRISE, IRP_START, IRP_REMOVE, IRP_REMOVE };
    DEVICE_EXTENSION d = { NotStarted, NotStarted, 0, 0 };
    unsigned i;
    for (i = 0; i < sizeof script / sizeof script[0]; i++) transition(&d, script[i]);
    printf("final=%s transitions=%d rejected=%d\n", StateNames[d.State], d.Transitions, d.Rejected);
    return (d.Transitions * 10 + d.Rejected) % 100;
}
