/* void* generic code: byte-wise swap, generic reverse, generic max with a size parameter. */
#include <stdio.h>
#include <string.h>

static void swap_bytes(void *a, void *b, unsigned size)
{
    unsigned char *x = (unsigned char *)a, *y = (unsigned char *)b;
    while (size--) {
        unsigned char t = *x;
        *x++ = *y;
        *y++ = t;
    }
}

static void reverse(void *base, unsigned count, unsigned size)
{
    char *lo = (char *)base, *hi = (char *)base + (count - 1) * size;
    while (lo < hi) {
        swap_bytes(lo, hi, size);
        lo += size;
        hi -= size;
    }
}

static const void *max_elem(const void *base, unsigned count, unsigned size, int (*less)(const void *, const void *))
{
    const char *best = (const char *)base;
    unsigned i;
    for (i = 1; i < count; i++) {
        const char *cur = (const char *)base + i * size;
        if (less(best, cur)) best = cur;
    }
    return best;
}

static int int_less(const void *a, const void *b) { return *(const int *)a < *(const int *)b; }
static int dbl_less(const void *a, const void *b) { return *(const double *)a < *(const double *)b; }
typedef struct { char name[8]; short rank; } REC;
static int rec_less(const void *a, const void *b) { return ((const REC *)a)->rank < ((const REC *)b)->rank; }

int main(void)
{
    int ints[7] = { 4, -2, 19, 7, 19, 0, 3 };
    double dbls[5] = { 1.5, -8.25, 3.75, 3.5, 0.0 };
    REC recs[4] = { { "w", 3 }, { "x", 9 }, { "y", -1 }, { "z", 8 } };
    void *vp;
    int i;
    reverse(ints, 7, sizeof(int));
    reverse(dbls, 5, sizeof(double));
    reverse(recs, 4, sizeof(REC));
    for (i = 0; i < 7; i++) printf("%d ", ints[i]);
    printf("\n");
    for (i = 0; i < 5; i++) printf("%.2f ", dbls[i]);
    printf("\n");
    for (i = 0; i < 4; i++) printf("%s:%d ", recs[i].name, recs[i].rank);
    printf("\n");
    printf("max int index=%d\n", (int)((const int *)max_elem(ints, 7, sizeof(int), int_less) - ints));
    printf("max dbl=%.2f\n", *(const double *)max_elem(dbls, 5, sizeof(double), dbl_less));
    printf("max rec=%s\n", ((const REC *)max_elem(recs, 4, sizeof(REC), rec_less))->name);
    vp = &dbls[2];
    printf("via void*: %.2f, next %.2f\n", *(double *)vp, ((double *)vp)[1]);
    {
        unsigned int u = 0x04030201u;
        unsigned char bytes[4];
        memcpy(bytes, &u, 4);
        printf("bytes %u %u %u %u\n", (unsigned)bytes[0], (unsigned)bytes[1], (unsigned)bytes[2], (unsigned)bytes[3]);
    }
    return ints[0];
}
