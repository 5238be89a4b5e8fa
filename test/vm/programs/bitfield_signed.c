/* Signed int bit-fields: values sign-extend from the top bit of the field. */
#include <stdio.h>

typedef struct {
    int small : 4;   /* -8..7 */
    int mid : 7;     /* -64..63 */
    int big : 21;
} SFIELDS;

int main(void)
{
    SFIELDS s;
    int i, v, total = 0;
    s.small = 0;
    s.mid = 0;
    s.big = 0;
    for (i = -10; i <= 10; i += 3) {
        s.small = i;
        v = s.small;
        printf("store %3d in 4 bits -> %d\n", i, v);
        total += v;
    }
    s.mid = -64;
    v = s.mid;
    printf("mid=-64 -> %d\n", v);
    s.mid = 63;
    v = s.mid;
    printf("mid=63 -> %d\n", v);
    s.big = -1000000;
    v = s.big;
    printf("big=-1000000 -> %d\n", v);
    s.big = 1048575;
    v = s.big;
    printf("big=max -> %d\n", v);
    s.small = 7;
    v = s.small + 1; /* arithmetic happens in int: 8 */
    printf("small+1 (int arithmetic) = %d\n", v);
    s.small = -8;
    v = s.small >> 1;
    printf("-8 >> 1 = %d\n", v);
    v = s.small * s.mid;
    printf("small*mid=%d\n", v);
    total += v;
    printf("total=%d\n", total);
    return total < 0 ? -total % 100 : total % 100;
}
