/* Duff's device: an unrolled copy loop interleaved with a switch. */
#include <stdio.h>

static void duff_copy(short *to, const short *from, int count)
{
    int n;
    if (count <= 0) return;
    n = (count + 7) / 8;
    switch (count % 8) {
    case 0: do { *to++ = *from++;
    case 7:      *to++ = *from++;
    case 6:      *to++ = *from++;
    case 5:      *to++ = *from++;
    case 4:      *to++ = *from++;
    case 3:      *to++ = *from++;
    case 2:      *to++ = *from++;
    case 1:      *to++ = *from++;
            } while (--n > 0);
    }
}

int main(void)
{
    short src[40], dst[40];
    int count, i, errors = 0;
    for (i = 0; i < 40; i++) src[i] = (short)(i * 37 - 500);
    for (count = 0; count <= 20; count++) {
        for (i = 0; i < 40; i++) dst[i] = -1;
        duff_copy(dst, src, count);
        for (i = 0; i < 40; i++) {
            short want = i < count ? src[i] : (short)-1;
            if (dst[i] != want) errors++;
        }
        if (count % 5 == 0) printf("count=%d dst[count-1]=%d dst[count]=%d\n", count, count ? dst[count - 1] : 0, dst[count]);
    }
    printf("errors=%d\n", errors);
    return errors == 0 ? 0 : 1;
}
