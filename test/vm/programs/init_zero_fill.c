/* Static storage is zero-initialized; partial initializers zero the rest, including nested parts. */
#include <stdio.h>

typedef struct { int a; double d; char s[4]; int *p; struct { short x; unsigned char y[3]; } n; } MIXED;

static int g_int;
static double g_dbl;
static int *g_ptr;
static MIXED g_mixed;
static int g_arr[100];
static char g_buf[50];

int main(void)
{
    MIXED local = { 1 };
    int arr[20] = { 5 };
    char buf[10] = "";
    static MIXED s_local;
    int i, nonzero = 0;
    nonzero += g_int != 0;
    nonzero += g_dbl != 0.0;
    nonzero += g_ptr != NULL;
    nonzero += g_mixed.a != 0 || g_mixed.d != 0.0 || g_mixed.s[3] != 0 || g_mixed.p != NULL || g_mixed.n.x != 0 || g_mixed.n.y[2] != 0;
    for (i = 0; i < 100; i++) nonzero += g_arr[i] != 0;
    for (i = 0; i < 50; i++) nonzero += g_buf[i] != 0;
    printf("globals nonzero=%d\n", nonzero);
    printf("local: a=%d d=%.1f s=[%s] p=%s n.x=%d y2=%d\n", local.a, local.d, local.s, local.p ? "set" : "null", local.n.x, local.n.y[2]);
    for (i = 1; i < 20; i++) nonzero += arr[i] != 0;
    for (i = 0; i < 10; i++) nonzero += buf[i] != 0;
    nonzero += s_local.a != 0 || s_local.p != NULL;
    printf("arr[0]=%d total nonzero=%d\n", arr[0], nonzero);
    return nonzero;
}
