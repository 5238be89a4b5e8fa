/* Flexible array members allocated with malloc (the variable-size buffer idiom). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned length;
    unsigned checksum;
    unsigned char data[];
} PACKET;

static PACKET *make_packet(const char *text)
{
    unsigned n = (unsigned)strlen(text), i;
    PACKET *p = (PACKET *)malloc(sizeof(PACKET) + n);
    if (!p) return NULL;
    p->length = n;
    p->checksum = 0;
    memcpy(p->data, text, n);
    for (i = 0; i < n; i++) p->checksum = p->checksum * 33u + p->data[i];
    return p;
}

typedef struct {
    int count;
    int values[];
} INTLIST;

int main(void)
{
    const char *msgs[] = { "hello", "", "flexible array member", "x" };
    int i;
    INTLIST *l;
    for (i = 0; i < 4; i++) {
        PACKET *p = make_packet(msgs[i]);
        printf("len=%u sum=%08x first=%c\n", p->length, p->checksum, p->length ? p->data[0] : '-');
        free(p);
    }
    printf("sizeof(PACKET)=%u\n", (unsigned)sizeof(PACKET));
    l = (INTLIST *)malloc(sizeof(INTLIST) + 20 * sizeof(int));
    l->count = 20;
    for (i = 0; i < l->count; i++) l->values[i] = i * i - 10 * i;
    {
        int s = 0;
        for (i = 0; i < l->count; i++) s += l->values[i];
        printf("sum=%d\n", s);
        free(l);
        return s % 100;
    }
}
