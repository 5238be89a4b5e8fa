/* Callbacks with a context pointer: an enumerator calls back for each element. */
#include <stdio.h>

typedef int (*VISIT)(int index, int value, void *context);

static int enumerate(const int *values, int count, VISIT visit, void *context)
{
    int i;
    for (i = 0; i < count; i++)
        if (!visit(i, values[i], context)) return i; /* callback asked to stop */
    return count;
}

typedef struct { int sum, count; } STATS;
static int accumulate(int index, int value, void *ctx)
{
    STATS *s = (STATS *)ctx;
    (void)index;
    s->sum += value;
    s->count++;
    return 1;
}

static int stop_at_negative(int index, int value, void *ctx)
{
    (void)ctx;
    printf("  visit %d: %d\n", index, value);
    return value >= 0;
}

typedef struct { int threshold; int hits[16]; int nhits; } FILTER;
static int collect_above(int index, int value, void *ctx)
{
    FILTER *f = (FILTER *)ctx;
    if (value > f->threshold) f->hits[f->nhits++] = index;
    return 1;
}

int main(void)
{
    int data[10] = { 3, 8, 1, 9, 4, -2, 7, 7, 0, 5 };
    STATS st = { 0, 0 };
    FILTER f;
    int stopped, i;
    enumerate(data, 10, accumulate, &st);
    printf("sum=%d count=%d\n", st.sum, st.count);
    stopped = enumerate(data, 10, stop_at_negative, NULL);
    printf("stopped at %d\n", stopped);
    f.threshold = 4;
    f.nhits = 0;
    enumerate(data, 10, collect_above, &f);
    printf("above %d:", f.threshold);
    for (i = 0; i < f.nhits; i++) printf(" [%d]", f.hits[i]);
    printf("\n");
    return st.sum + stopped;
}
