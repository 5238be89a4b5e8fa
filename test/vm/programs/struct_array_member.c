/* Arrays inside structs are copied by struct assignment and by value passing (unlike bare arrays). */
#include <stdio.h>

typedef struct { int v[8]; } VEC8;
typedef struct { char s[16]; } NAME;

static VEC8 reversed(VEC8 in)
{
    VEC8 out;
    int i;
    for (i = 0; i < 8; i++) out.v[i] = in.v[7 - i];
    return out;
}

static void clobber(VEC8 v)
{
    int i;
    for (i = 0; i < 8; i++) v.v[i] = -1;
}

static void clobber_array(int v[8])
{
    v[0] = -1;
}

int main(void)
{
    VEC8 a = { { 1, 2, 3, 4, 5, 6, 7, 8 } }, b;
    NAME n1 = { "first" }, n2;
    int i, dot = 0;
    b = reversed(a);
    clobber(a);
    for (i = 0; i < 8; i++) {
        printf("%d/%d ", a.v[i], b.v[i]);
        dot += a.v[i] * b.v[i];
    }
    printf("\ndot=%d\n", dot);
    clobber_array(a.v);
    printf("after clobber_array a.v[0]=%d\n", a.v[0]);
    n2 = n1;
    n2.s[0] = 'F';
    printf("%s %s\n", n1.s, n2.s);
    {
        VEC8 grid[3];
        int r;
        for (r = 0; r < 3; r++) grid[r] = b;
        grid[1].v[4] = 99;
        grid[2] = grid[1];
        printf("grid: %d %d %d\n", grid[0].v[4], grid[1].v[4], grid[2].v[4]);
    }
    return dot % 100;
}
