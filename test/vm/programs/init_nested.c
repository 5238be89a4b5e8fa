/* Nested aggregate initializers: full braces, brace elision, partial rows, nested designators. */
#include <stdio.h>

typedef struct { int a[3]; struct { char c; short s; } inner; } OUTER;

static OUTER g1 = { { 1, 2, 3 }, { 'x', 300 } };
static OUTER g2 = { 4, 5, 6, 'y', 400 };          /* brace elision */
static OUTER g3 = { .inner.s = 7, .a[1] = 8 };
static int grid[3][4] = { { 1 }, { 2, 3 }, { 4, 5, 6, 7 } };
static int flat[2][3] = { 1, 2, 3, 4 };            /* fills row by row */
static OUTER many[3] = { [2].inner.c = 'z', [0] = { { 9 } } };

static void show(const char *n, const OUTER *o)
{
    printf("%s: a={%d,%d,%d} c=%d s=%d\n", n, o->a[0], o->a[1], o->a[2], o->inner.c, o->inner.s);
}

int main(void)
{
    int r, c, sum = 0;
    OUTER l = { { [2] = -1 }, .inner = { .s = -2 } };
    show("g1", &g1);
    show("g2", &g2);
    show("g3", &g3);
    show("l", &l);
    for (r = 0; r < 3; r++) show("many", &many[r]);
    for (r = 0; r < 3; r++) {
        for (c = 0; c < 4; c++) {
            printf("%d ", grid[r][c]);
            sum += grid[r][c];
        }
        printf("\n");
    }
    for (r = 0; r < 2; r++)
        for (c = 0; c < 3; c++) sum += flat[r][c] * (r + 1);
    printf("flat: %d %d %d / %d %d %d\n", flat[0][0], flat[0][1], flat[0][2], flat[1][0], flat[1][1], flat[1][2]);
    printf("sum=%d\n", sum);
    return sum;
}
