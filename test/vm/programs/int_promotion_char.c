/* Integer promotions of char, signed char and unsigned char. */
#include <stdio.h>

int main(void)
{
    char c = 'A';
    signed char sc = -100;
    unsigned char uc = 200;
    char hi = (char)0xF0;
    unsigned char sum8;
    int r = 0;

    printf("c+1=%d c*2=%d\n", c + 1, c * 2);
    printf("sc=%d uc=%d sc+uc=%d sc*uc=%d\n", sc, uc, sc + uc, sc * uc);
    printf("uc+uc=%d (8-bit store)=%d\n", uc + uc, (unsigned char)(uc + uc));
    printf("hi=%d hi>>2=%d (unsigned char)hi>>2=%d\n", hi, hi >> 2, (unsigned char)hi >> 2);
    printf("~uc=%d ~sc=%d -uc=%d\n", ~uc, ~sc, -uc);
    printf("uc<<4=%d sc<<0=%d\n", uc << 4, sc);
    printf("sizeof(c+c)=%u sizeof(c)=%u sizeof(+uc)=%u\n", (unsigned)sizeof(c + c), (unsigned)sizeof(c), (unsigned)sizeof(+uc));
    sum8 = 0;
    for (r = 0; r < 300; r++) {
        sum8 = (unsigned char)(sum8 + 7);
    }
    printf("sum8=%u\n", (unsigned)sum8);
    {
        char buf[6] = { 'a', (char)0x80, (char)0xFF, 0x7F, '0', 0 };
        int i, acc = 0;
        for (i = 0; i < 5; i++) {
            acc = acc * 3 + buf[i];
            printf("buf[%d]=%d as uchar=%u\n", i, buf[i], (unsigned)(unsigned char)buf[i]);
        }
        printf("acc=%d\n", acc);
    }
    {
        unsigned char a = 0x80, b = 0x80;
        int same = (a + b) == 256;
        unsigned char c8 = (unsigned char)(a + b);
        printf("a+b==256 %d c8=%u\n", same, (unsigned)c8);
    }
    return (uc - sc) % 50;
}
