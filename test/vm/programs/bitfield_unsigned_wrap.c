/* Unsigned bit-fields store values modulo 2^width; increments wrap. */
#include <stdio.h>

typedef struct {
    unsigned int a : 3;
    unsigned int b : 5;
    unsigned int c : 8;
    unsigned int d : 16;
} PACKED3;

int main(void)
{
    PACKED3 p = { 0, 0, 0, 0 };
    int i;
    unsigned va, vb, vc, vd, sum = 0;
    for (i = 0; i < 20; i++) {
        p.a++;
        p.b += 3;
        p.c = p.c + 50;
        p.d -= 1000;
        va = p.a;
        vb = p.b;
        vc = p.c;
        vd = p.d;
        sum += va + vb + vc + vd;
        if (i % 4 == 3) printf("i=%2d a=%u b=%2u c=%3u d=%5u\n", i, va, vb, vc, vd);
    }
    p.a = 9;
    p.b = 100;
    p.c = 0x1FF;
    p.d = 70000;
    va = p.a;
    vb = p.b;
    vc = p.c;
    vd = p.d;
    printf("stored 9,100,0x1FF,70000 -> %u %u %u %u\n", va, vb, vc, vd);
    p.c = 255;
    p.c++;
    vc = p.c;
    printf("255+1 in 8 bits -> %u\n", vc);
    p.a = 0;
    p.a--;
    va = p.a;
    printf("0-1 in 3 bits -> %u\n", va);
    printf("sum=%u\n", sum);
    return (int)(sum % 100);
}
