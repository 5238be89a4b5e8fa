/* Pointers to arrays and 2-D arrays: int (*p)[N], row/column walks, passing matrices. */
#include <stdio.h>

#define R 4
#define C 5

static int trace_like(int (*m)[C], int rows)
{
    int i, s = 0;
    for (i = 0; i < rows && i < C; i++) s += m[i][i];
    return s;
}

static void transpose_into(int dst[C][R], int src[R][C])
{
    int i, j;
    for (i = 0; i < R; i++)
        for (j = 0; j < C; j++) dst[j][i] = src[i][j];
}

int main(void)
{
    int m[R][C], t[C][R];
    int (*row)[C];
    int *flat;
    int i, j;
    for (i = 0; i < R; i++)
        for (j = 0; j < C; j++) m[i][j] = i * 10 + j;
    row = m + 2;
    printf("(*row)[3]=%d row[1][4]=%d\n", (*row)[3], row[1][4]);
    printf("sizeof *row=%u sizeof m=%u sizeof m[0][0]=%u\n", (unsigned)sizeof *row, (unsigned)sizeof m, (unsigned)sizeof m[0][0]);
    flat = &m[0][0];
    printf("flat[7]=%d flat[19]=%d\n", flat[7], flat[R * C - 1]);
    printf("trace=%d\n", trace_like(m, R));
    transpose_into(t, m);
    for (i = 0; i < C; i++) {
        for (j = 0; j < R; j++) printf("%3d", t[i][j]);
        printf("\n");
    }
    {
        int arr[6] = { 1, 2, 3, 4, 5, 6 };
        int (*pa)[6] = &arr;
        int (*pairs)[2] = (int (*)[2])arr;
        printf("(*pa)[5]=%d pairs[2][1]=%d pairs+1 - pairs=%d\n", (*pa)[5], pairs[2][1], (int)((pairs + 1) - pairs));
        printf("bytes per pairs step=%d\n", (int)((char *)(pairs + 1) - (char *)pairs));
    }
    return trace_like(m, R) % 100;
}
