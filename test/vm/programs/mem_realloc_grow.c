/* A growable array with realloc doubling capacity; contents survive every move. */
#include <stdio.h>
#include <stdlib.h>

typedef struct { int *data; unsigned len, cap; unsigned reallocs; } VEC;

static void push(VEC *v, int x)
{
    if (v->len == v->cap) {
        unsigned ncap = v->cap ? v->cap * 2 : 4;
        int *nd = (int *)realloc(v->data, ncap * sizeof(int));
        if (!nd) exit(3);
        v->data = nd;
        v->cap = ncap;
        v->reallocs++;
    }
    v->data[v->len++] = x;
}

int main(void)
{
    VEC v = { NULL, 0, 0, 0 };
    unsigned i;
    long long sum = 0;
    int ok = 1;
    for (i = 0; i < 1000; i++) push(&v, (int)(i * i % 1009));
    for (i = 0; i < v.len; i++) {
        sum += v.data[i];
        if (v.data[i] != (int)(i * i % 1009)) ok = 0;
    }
    printf("len=%u cap=%u reallocs=%u sum=%lld ok=%d\n", v.len, v.cap, v.reallocs, sum, ok);
    v.data = (int *)realloc(v.data, 10 * sizeof(int));
    v.cap = v.len = 10;
    for (i = 0; i < 10; i++) printf("%d ", v.data[i]);
    printf("\n");
    free(v.data);
    return (int)v.reallocs;
}
