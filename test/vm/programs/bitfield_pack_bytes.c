/* Where bit-fields land inside the storage unit: set one field, look at the bytes. */
#include <stdio.h>
#include <string.h>

typedef struct {
    unsigned int f1 : 1;
    unsigned int f3 : 3;
    unsigned int f4 : 4;
    unsigned int f8 : 8;
    unsigned int f12 : 12;
    unsigned int f4b : 4;
} LAYOUT;

static void dump(const char *name, const LAYOUT *l)
{
    unsigned char b[sizeof(LAYOUT)];
    unsigned i;
    memcpy(b, l, sizeof b);
    printf("%-4s:", name);
    for (i = 0; i < sizeof b; i++) printf(" %02x", (unsigned)b[i]);
    printf("\n");
}

int main(void)
{
    LAYOUT l;
    memset(&l, 0, sizeof l);
    l.f1 = 1;
    dump("f1", &l);
    memset(&l, 0, sizeof l);
    l.f3 = 7;
    dump("f3", &l);
    memset(&l, 0, sizeof l);
    l.f4 = 15;
    dump("f4", &l);
    memset(&l, 0, sizeof l);
    l.f8 = 0xA5;
    dump("f8", &l);
    memset(&l, 0, sizeof l);
    l.f12 = 0xFFF;
    dump("f12", &l);
    memset(&l, 0, sizeof l);
    l.f4b = 0x9;
    dump("f4b", &l);
    memset(&l, 0xFF, sizeof l);
    l.f8 = 0;
    dump("~f8", &l);
    printf("read back: f1=%u f12=%x\n", (unsigned)l.f1, (unsigned)l.f12);
    return (int)sizeof(LAYOUT);
}
