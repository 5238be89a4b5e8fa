/* calloc zero-fills; reuse after free gets zeroed memory again from calloc. */
#include <stdio.h>
#include <stdlib.h>

typedef struct { int a; double b; char c[5]; void *p; } REC;

int main(void)
{
    int i, round, nonzero = 0;
    for (round = 0; round < 4; round++) {
        unsigned n = 50u + (unsigned)round * 30u;
        int *v = (int *)calloc(n, sizeof(int));
        REC *r = (REC *)calloc(7, sizeof(REC));
        unsigned char *raw = (unsigned char *)r;
        unsigned k;
        for (k = 0; k < n; k++) nonzero += v[k] != 0;
        for (k = 0; k < 7 * sizeof(REC); k++) nonzero += raw[k] != 0;
        for (i = 0; i < 7; i++) nonzero += r[i].p != NULL || r[i].b != 0.0;
        for (k = 0; k < n; k++) v[k] = (int)k * 3 + round; /* dirty it before freeing */
        for (i = 0; i < 7; i++) {
            r[i].a = -1;
            r[i].p = &r[i];
        }
        printf("round %d: n=%u v[n-1]=%d r[6].a=%d\n", round, n, v[n - 1], r[6].a);
        free(v);
        free(r);
    }
    printf("nonzero=%d\n", nonzero);
    {
        char *s = (char *)calloc(1, 1);
        printf("calloc(1,1) string is empty: %d\n", s[0] == '\0');
        free(s);
    }
    return nonzero == 0 ? 0 : 99;
}
