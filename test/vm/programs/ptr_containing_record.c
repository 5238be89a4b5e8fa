/* CONTAINING_RECORD / FIELD_OFFSET: from a member pointer back to the enclosing structure. */
#include <stdio.h>
#include <stddef.h>

typedef unsigned long long ULONG_PTR;
#define FIELD_OFFSET(type, field) ((int)(ULONG_PTR) & (((type *)0)->field))
#define CONTAINING_RECORD(address, type, field) ((type *)((char *)(address) - (ULONG_PTR)(&((type *)0)->field)))

typedef struct _LIST_ENTRY { struct _LIST_ENTRY *Flink, *Blink; } LIST_ENTRY;

typedef struct _REQUEST {
    int Id;
    char Tag[6];
    double Priority;
    LIST_ENTRY Link;
    struct { int Major, Minor; } Code;
} REQUEST;

int main(void)
{
    REQUEST reqs[3] = { { 1, "r1", 0.5, { 0, 0 }, { 3, 1 } }, { 2, "r2", 1.5, { 0, 0 }, { 14, 0 } }, { 3, "r3", 2.5, { 0, 0 }, { 27, 9 } } };
    int i, sum = 0;
    printf("FIELD_OFFSET Id=%d Tag=%d Priority=%d Link=%d Code.Minor=%d\n", FIELD_OFFSET(REQUEST, Id), FIELD_OFFSET(REQUEST, Tag),
           FIELD_OFFSET(REQUEST, Priority), FIELD_OFFSET(REQUEST, Link), FIELD_OFFSET(REQUEST, Code.Minor));
    printf("offsetof agrees: %d\n", (int)offsetof(REQUEST, Link) == FIELD_OFFSET(REQUEST, Link));
    for (i = 0; i < 3; i++) {
        LIST_ENTRY *le = &reqs[i].Link;
        REQUEST *r = CONTAINING_RECORD(le, REQUEST, Link);
        int *minor = &reqs[i].Code.Minor;
        REQUEST *r2 = CONTAINING_RECORD(minor, REQUEST, Code.Minor);
        double *prio = &reqs[i].Priority;
        REQUEST *r3 = CONTAINING_RECORD(prio, REQUEST, Priority);
        printf("req %d: same=%d %d %d tag=%s major=%d\n", r->Id, r == &reqs[i], r2 == &reqs[i], r3 == &reqs[i], r->Tag, r2->Code.Major);
        sum += r->Id * r2->Code.Major;
    }
    return sum % 100;
}
