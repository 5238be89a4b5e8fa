/* Doubly linked LIST_ENTRY lists with the NT helper semantics, written out in C. */
#include <stdio.h>

typedef struct _LIST_ENTRY { struct _LIST_ENTRY *Flink, *Blink; } LIST_ENTRY, *PLIST_ENTRY;
typedef unsigned long long ULONG_PTR;
#define CONTAINING_RECORD(a, t, f) ((t *)((char *)(a) - (ULONG_PTR)(&((t *)0)->f)))

static void InitializeListHead(PLIST_ENTRY h) { h->Flink = h->Blink = h; }
static int IsListEmpty(const LIST_ENTRY *h) { return h->Flink == h; }
static void InsertTailList(PLIST_ENTRY h, PLIST_ENTRY e)
{
    PLIST_ENTRY b = h->Blink;
    e->Flink = h;
    e->Blink = b;
    b->Flink = e;
    h->Blink = e;
}
static void InsertHeadList(PLIST_ENTRY h, PLIST_ENTRY e)
{
    PLIST_ENTRY f = h->Flink;
    e->Flink = f;
    e->Blink = h;
    f->Blink = e;
    h->Flink = e;
}
static int RemoveEntryList(PLIST_ENTRY e)
{
    PLIST_ENTRY f = e->Flink, b = e->Blink;
    b->Flink = f;
    f->Blink = b;
    return f == b;
}
static PLIST_ENTRY RemoveHeadList(PLIST_ENTRY h)
{
    PLIST_ENTRY e = h->Flink;
    RemoveEntryList(e);
    return e;
}
static PLIST_ENTRY RemoveTailList(PLIST_ENTRY h)
{
    PLIST_ENTRY e = h->Blink;
    RemoveEntryList(e);
    return e;
}

typedef struct { int Value; LIST_ENTRY Entry; } ITEM;

static void dump(const char *tag, PLIST_ENTRY h)
{
    PLIST_ENTRY e;
    int fwd = 0, back = 0;
    printf("%s:", tag);
    for (e = h->Flink; e != h; e = e->Flink) {
        printf(" %d", CONTAINING_RECORD(e, ITEM, Entry)->Value);
        fwd++;
    }
    for (e = h->Blink; e != h; e = e->Blink) back++;
    printf(" (fwd %d back %d)\n", fwd, back);
}

int main(void)
{
    LIST_ENTRY head;
    ITEM items[8];
    int i, last = 0;
    InitializeListHead(&head);
    printf("empty=%d\n", IsListEmpty(&head));
    for (i = 0; i < 8; i++) {
        items[i].Value = i * 11;
        if (i % 2) InsertTailList(&head, &items[i].Entry);
        else InsertHeadList(&head, &items[i].Entry);
    }
    dump("built", &head);
    RemoveEntryList(&items[3].Entry);
    RemoveEntryList(&items[4].Entry);
    dump("removed 33,44", &head);
    printf("head removed=%d\n", CONTAINING_RECORD(RemoveHeadList(&head), ITEM, Entry)->Value);
    printf("tail removed=%d\n", CONTAINING_RECORD(RemoveTailList(&head), ITEM, Entry)->Value);
    dump("now", &head);
    while (!IsListEmpty(&head)) last = CONTAINING_RECORD(RemoveHeadList(&head), ITEM, Entry)->Value;
    printf("drained, last=%d empty=%d\n", last, IsListEmpty(&head));
    {
        LIST_ENTRY h2;
        InitializeListHead(&h2);
        InsertTailList(&h2, &items[0].Entry);
        printf("single remove returns empty=%d\n", RemoveEntryList(&items[0].Entry));
    }
    return last;
}
