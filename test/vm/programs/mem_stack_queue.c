/* A malloc-backed stack and a circular queue that grows; used for a BFS over a small graph. */
#include <stdio.h>
#include <stdlib.h>

typedef struct { int *items; int head, tail, count, cap; } QUEUE;

static void q_init(QUEUE *q) { q->cap = 2; q->items = (int *)malloc(2 * sizeof(int)); q->head = q->tail = q->count = 0; }
static void q_push(QUEUE *q, int v)
{
    if (q->count == q->cap) {
        int *n = (int *)malloc((unsigned)q->cap * 2 * sizeof(int)), i;
        for (i = 0; i < q->count; i++) n[i] = q->items[(q->head + i) % q->cap];
        free(q->items);
        q->items = n;
        q->head = 0;
        q->tail = q->count;
        q->cap *= 2;
    }
    q->items[q->tail] = v;
    q->tail = (q->tail + 1) % q->cap;
    q->count++;
}
static int q_pop(QUEUE *q)
{
    int v = q->items[q->head];
    q->head = (q->head + 1) % q->cap;
    q->count--;
    return v;
}

#define NV 12
static const int edges[][2] = { { 0, 1 }, { 0, 2 }, { 1, 3 }, { 2, 3 }, { 3, 4 }, { 4, 5 }, { 5, 6 }, { 2, 7 }, { 7, 8 }, { 8, 6 }, { 9, 10 }, { 6, 11 } };

int main(void)
{
    QUEUE q;
    int dist[NV], stack_cap = 4, sp = 0, i, e, visited = 0;
    int *stack = (int *)malloc((unsigned)stack_cap * sizeof(int));
    for (i = 0; i < NV; i++) dist[i] = -1;
    q_init(&q);
    dist[0] = 0;
    q_push(&q, 0);
    while (q.count) {
        int u = q_pop(&q);
        visited++;
        for (e = 0; e < (int)(sizeof edges / sizeof edges[0]); e++) {
            int a = edges[e][0], b = edges[e][1], v = -1;
            if (a == u) v = b;
            else if (b == u) v = a;
            if (v >= 0 && dist[v] < 0) {
                dist[v] = dist[u] + 1;
                q_push(&q, v);
            }
        }
    }
    for (i = 0; i < NV; i++) printf("dist[%d]=%d\n", i, dist[i]);
    for (i = 0; i < 50; i++) {
        if (sp == stack_cap) {
            stack_cap *= 2;
            stack = (int *)realloc(stack, (unsigned)stack_cap * sizeof(int));
        }
        stack[sp++] = i * i;
    }
    {
        int popped = 0;
        while (sp > 45) popped += stack[--sp];
        printf("visited=%d queue cap=%d stack cap=%d popped=%d\n", visited, q.cap, stack_cap, popped);
    }
    free(stack);
    free(q.items);
    return visited + dist[11];
}
