/* Work items in three priority queues (critical, delayed, hyper-critical) drained by a worker loop. */
#include <stdio.h>
#include <stdlib.h>

typedef enum { CriticalWorkQueue, DelayedWorkQueue, HyperCriticalWorkQueue, MaximumWorkQueue } WORK_QUEUE_TYPE;
typedef struct WORK_ITEM {
    struct WORK_ITEM *Next;
    void (*Routine)(void *Parameter);
    void *Parameter;
    int Sequence;
} WORK_ITEM;
typedef struct { WORK_ITEM *Head, *Tail; int Count; } QUEUE;

static QUEUE g_Queues[MaximumWorkQueue];
static int g_Sequence, g_Executed;
static char g_Log[128];
static int g_LogLen;

static void ExQueueWorkItem(WORK_ITEM *w, WORK_QUEUE_TYPE type)
{
    QUEUE *q = &g_Queues[type];
    w->Next = NULL;
    w->Sequence = g_Sequence++;
    if (q->Tail) q->Tail->Next = w;
    else q->Head = w;
    q->Tail = w;
    q->Count++;
}

static WORK_ITEM *dequeue(void)
{
    static const WORK_QUEUE_TYPE order[3] = { HyperCriticalWorkQueue, CriticalWorkQueue, DelayedWorkQueue };
    int i;
    for (i = 0; i < 3; i++) {
        QUEUE *q = &g_Queues[order[i]];
        if (q->Head) {
            WORK_ITEM *w = q->Head;
            q->Head = w->Next;
            if (!q->Head) q->Tail = NULL;
            q->Count--;
            return w;
        }
    }
    return NULL;
}

static void log_char(void *p)
{
    char c = *(char *)p;
    if (g_LogLen < 127) g_Log[g_LogLen++] = c;
}

int main(void)
{
    static char letters[] = "abcdefghijklmnopqrstuvwxyz";
    WORK_ITEM *items = (WORK_ITEM *)calloc(26, sizeof(WORK_ITEM));
    WORK_ITEM *w;
    int i;
    for (i = 0; i < 26; i++) {
        items[i].Routine = log_char;
        items[i].Parameter = &letters[i];
        ExQueueWorkItem(&items[i], (WORK_QUEUE_TYPE)(i % 5 == 0 ? HyperCriticalWorkQueue : i % 2 ? DelayedWorkQueue : CriticalWorkQueue));
        if (i % 7 == 6) { /* the worker gets some time now and then */
            int budget = 3;
            while (budget-- && (w = dequeue()) != NULL) {
                w->Routine(w->Parameter);
                g_Executed++;
            }
        }
    }
    printf("pending: hyper=%d critical=%d delayed=%d\n", g_Queues[HyperCriticalWorkQueue].Count, g_Queues[CriticalWorkQueue].Count, g_Queues[DelayedWorkQueue].Count);
    while ((w = dequeue()) != NULL) {
        w->Routine(w->Parameter);
        g_Executed++;
    }
    g_Log[g_LogLen] = '\0';
    printf("execution order: %s\nexecuted=%d\n", g_Log, g_Executed);
    free(items);
    return g_Executed;
}
