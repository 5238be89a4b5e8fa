/* Compound assignment and increments on bit-fields, and bit-fields in arrays of structs. */
#include <stdio.h>

typedef struct {
    unsigned int hue : 9;   /* 0..511 */
    unsigned int sat : 7;   /* 0..127 */
    unsigned int val : 7;
    unsigned int alpha : 9;
} COLOR;

int main(void)
{
    COLOR c[6];
    int i, j;
    unsigned h, s, v, a, acc = 0;
    for (i = 0; i < 6; i++) {
        c[i].hue = (unsigned)(i * 97);
        c[i].sat = (unsigned)(i * 30);
        c[i].val = 127;
        c[i].alpha = 256;
    }
    for (j = 0; j < 10; j++)
        for (i = 0; i < 6; i++) {
            c[i].hue += 61;
            c[i].sat *= 3;
            c[i].val >>= 1;
            c[i].val |= 0x40;
            c[i].alpha ^= (unsigned)(j * 37);
            c[i].alpha--;
        }
    for (i = 0; i < 6; i++) {
        h = c[i].hue;
        s = c[i].sat;
        v = c[i].val;
        a = c[i].alpha;
        printf("c[%d] h=%3u s=%3u v=%3u a=%3u\n", i, h, s, v, a);
        acc += h * 3 + s * 5 + v * 7 + a;
    }
    printf("acc=%u\n", acc);
    return (int)(acc % 100);
}
