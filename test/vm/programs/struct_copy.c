/* Struct assignment copies every member; copies are independent of the original. */
#include <stdio.h>

typedef struct {
    int id;
    char name[12];
    double weight;
    unsigned short flags;
    long long big;
} ITEM;

static void show(const char *tag, const ITEM *it)
{
    printf("%s: id=%d name=%s weight=%.2f flags=%04x big=%lld\n", tag, it->id, it->name, it->weight, (unsigned)it->flags, it->big);
}

int main(void)
{
    ITEM a = { 1, "alpha", 1.5, 0x00F0, -1234567890123LL };
    ITEM b, c;
    ITEM arr[3];
    int i;

    b = a;
    c = b;
    b.id = 2;
    b.name[0] = 'A';
    b.weight *= 2;
    c.flags |= 0x0F00;
    show("a", &a);
    show("b", &b);
    show("c", &c);
    for (i = 0; i < 3; i++) {
        arr[i] = a;
        arr[i].id = 10 + i;
        arr[i].big += i;
    }
    arr[1] = arr[2];
    for (i = 0; i < 3; i++) show("arr", &arr[i]);
    {
        ITEM *p = &arr[0], *q = &arr[2];
        *p = *q;
        p->name[1] = 'L';
        show("p", p);
        show("q", q);
    }
    return arr[0].id + b.id;
}
