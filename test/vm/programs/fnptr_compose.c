/* Higher-order helpers over function pointers: map, fold, iterate-until, arrays of pipelines. */
#include <stdio.h>

typedef int (*MAPFN)(int);
typedef int (*FOLDFN)(int, int);

static void map(int *v, int n, MAPFN f)
{
    int i;
    for (i = 0; i < n; i++) v[i] = f(v[i]);
}
static int fold(const int *v, int n, int init, FOLDFN f)
{
    int i;
    for (i = 0; i < n; i++) init = f(init, v[i]);
    return init;
}
static int iterate_until(int x, MAPFN f, int (*done)(int), int limit)
{
    int steps = 0;
    while (!done(x) && steps < limit) {
        x = f(x);
        steps++;
    }
    return steps;
}

static int sq(int x) { return x * x; }
static int half(int x) { return x / 2; }
static int dec3(int x) { return x - 3; }
static int add(int a, int b) { return a + b; }
static int mx(int a, int b) { return a > b ? a : b; }
static int xr(int a, int b) { return a ^ b; }
static int is_small(int x) { return x < 10; }
static int collatz(int x) { return x % 2 ? 3 * x + 1 : x / 2; }
static int is_one(int x) { return x == 1; }

int main(void)
{
    int v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    MAPFN pipeline[] = { sq, dec3, half, sq };
    FOLDFN folds[] = { add, mx, xr };
    const char *fold_names[] = { "sum", "max", "xor" };
    int i;
    for (i = 0; i < 4; i++) {
        map(v, 8, pipeline[i]);
        printf("stage %d: %d %d %d %d %d %d %d %d\n", i, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }
    for (i = 0; i < 3; i++) printf("%s=%d\n", fold_names[i], fold(v, 8, 0, folds[i]));
    printf("halvings of 1000 until small: %d\n", iterate_until(1000, half, is_small, 100));
    printf("collatz steps of 27: %d\n", iterate_until(27, collatz, is_one, 1000));
    return iterate_until(97, collatz, is_one, 1000) % 100;
}
