/* Pointer arithmetic scales by the pointee size; differences count elements. */
#include <stdio.h>

typedef struct { int a; double b; } PAIR;

int main(void)
{
    int ia[10];
    short sa[10];
    double da[10];
    PAIR pa[10];
    char *cbase;
    int i, sum = 0;
    for (i = 0; i < 10; i++) {
        ia[i] = i * 10;
        sa[i] = (short)(i - 5);
        da[i] = i * 0.5;
        pa[i].a = i;
        pa[i].b = -i;
    }
    {
        int *p = ia + 3, *q = &ia[9];
        printf("*p=%d q-p=%d p[2]=%d *(q-1)=%d 2[p]=%d\n", *p, (int)(q - p), p[2], *(q - 1), 2 [p]);
        p += 4;
        printf("after += 4: *p=%d, p-ia=%d\n", *p, (int)(p - ia));
        p--;
        printf("after --: *p=%d\n", *p);
    }
    {
        short *s = sa + 9;
        while (s >= sa + 1) sum += *s--;
        printf("short sum=%d\n", sum);
    }
    {
        double *d = da;
        double *end = da + 10;
        double t = 0;
        for (; d < end; d += 3) t += *d;
        printf("double stride sum=%.1f\n", t);
    }
    {
        PAIR *p = pa + 2;
        cbase = (char *)pa;
        printf("pair idx=%d bytes=%d sizeof=%u p[3].a=%d (p+3)->b=%.0f\n", (int)(p - pa), (int)((char *)p - cbase), (unsigned)sizeof(PAIR), p[3].a,
               (p + 3)->b);
    }
    {
        char buf[16] = "abcdefghijklmno";
        char *c = buf;
        int *ip = (int *)(buf + 4);
        printf("c[5]=%c *(c+6)=%c ip->bytes=%08x\n", c[5], *(c + 6), *ip);
    }
    return (int)(&ia[7] - &ia[2]) + sum;
}
