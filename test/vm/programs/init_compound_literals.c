/* Compound literals: as arguments, as modifiable arrays, at file scope, and struct assignment from one. */
#include <stdio.h>

typedef struct { int x, y; } PT;

static int *g_list = (int[]){ 3, 1, 4, 1, 5 };
static PT *g_origin = &(PT){ 0, 0 };

static int dot(PT a, PT b) { return a.x * b.x + a.y * b.y; }
static int sum(const int *v, int n)
{
    int s = 0;
    while (n--) s += *v++;
    return s;
}

int main(void)
{
    PT p;
    int *arr, i, total = 0;
    total += dot((PT){ 3, 4 }, (PT){ 5, -6 });
    printf("dot=%d\n", total);
    p = (PT){ .y = 9 };
    printf("p=(%d,%d)\n", p.x, p.y);
    arr = (int[8]){ [3] = 7, [7] = 1 };
    arr[0] = 2;
    printf("sum of literal array=%d\n", sum(arr, 8));
    printf("g_list sum=%d origin=(%d,%d)\n", sum(g_list, 5), g_origin->x, g_origin->y);
    g_origin->x = 42;
    printf("origin.x=%d\n", g_origin->x);
    for (i = 0; i < 3; i++) {
        PT *q = &(PT){ i, i * i }; /* a fresh object each iteration */
        total += q->x + q->y;
    }
    printf("string literal via compound: %s\n", (char[]){ "mutable" });
    printf("total=%d\n", total);
    return total < 0 ? -total : total;
}
