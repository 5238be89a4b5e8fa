/* SINGLE_LIST_ENTRY push/pop (a LIFO, as lookaside lists use) and list reversal. */
#include <stdio.h>

typedef struct _SINGLE_LIST_ENTRY { struct _SINGLE_LIST_ENTRY *Next; } SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;
typedef unsigned long long ULONG_PTR;
#define CONTAINING_RECORD(a, t, f) ((t *)((char *)(a) - (ULONG_PTR)(&((t *)0)->f)))

static void PushEntryList(PSINGLE_LIST_ENTRY h, PSINGLE_LIST_ENTRY e)
{
    e->Next = h->Next;
    h->Next = e;
}
static PSINGLE_LIST_ENTRY PopEntryList(PSINGLE_LIST_ENTRY h)
{
    PSINGLE_LIST_ENTRY e = h->Next;
    if (e) h->Next = e->Next;
    return e;
}

typedef struct { char Name[4]; int Size; SINGLE_LIST_ENTRY Link; } BLOCK;

static void reverse(PSINGLE_LIST_ENTRY h)
{
    PSINGLE_LIST_ENTRY prev = NULL, cur = h->Next;
    while (cur) {
        PSINGLE_LIST_ENTRY next = cur->Next;
        cur->Next = prev;
        prev = cur;
        cur = next;
    }
    h->Next = prev;
}

static void show(PSINGLE_LIST_ENTRY h)
{
    PSINGLE_LIST_ENTRY e;
    for (e = h->Next; e; e = e->Next) printf("%s/%d ", CONTAINING_RECORD(e, BLOCK, Link)->Name, CONTAINING_RECORD(e, BLOCK, Link)->Size);
    printf("\n");
}

int main(void)
{
    SINGLE_LIST_ENTRY head = { NULL };
    BLOCK blocks[6];
    PSINGLE_LIST_ENTRY e;
    int i, popped = 0;
    for (i = 0; i < 6; i++) {
        blocks[i].Name[0] = (char)('A' + i);
        blocks[i].Name[1] = (char)('a' + i);
        blocks[i].Name[2] = '\0';
        blocks[i].Size = 16 << i;
        PushEntryList(&head, &blocks[i].Link);
    }
    show(&head);
    reverse(&head);
    show(&head);
    e = PopEntryList(&head);
    printf("popped %s\n", CONTAINING_RECORD(e, BLOCK, Link)->Name);
    PushEntryList(&head, e);
    PushEntryList(&head, PopEntryList(&head));
    show(&head);
    while ((e = PopEntryList(&head)) != NULL) popped += CONTAINING_RECORD(e, BLOCK, Link)->Size;
    printf("popped total=%d empty pop=%d\n", popped, PopEntryList(&head) == NULL);
    return popped % 100;
}
