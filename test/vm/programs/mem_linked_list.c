/* A malloc'ed singly linked list: insert sorted, delete, reverse, free everything. */
#include <stdio.h>
#include <stdlib.h>

typedef struct NODE { int key; struct NODE *next; } NODE;

static int live;

static NODE *insert_sorted(NODE *head, int key)
{
    NODE *n = (NODE *)malloc(sizeof *n), **pp = &head;
    live++;
    n->key = key;
    while (*pp && (*pp)->key < key) pp = &(*pp)->next;
    n->next = *pp;
    *pp = n;
    return head;
}

static NODE *delete_key(NODE *head, int key, int *deleted)
{
    NODE **pp = &head;
    while (*pp) {
        if ((*pp)->key == key) {
            NODE *dead = *pp;
            *pp = dead->next;
            free(dead);
            live--;
            (*deleted)++;
        } else {
            pp = &(*pp)->next;
        }
    }
    return head;
}

static NODE *reverse(NODE *h)
{
    NODE *prev = NULL;
    while (h) {
        NODE *n = h->next;
        h->next = prev;
        prev = h;
        h = n;
    }
    return prev;
}

static void print(const NODE *h)
{
    int n = 0;
    for (; h; h = h->next, n++) printf("%d ", h->key);
    printf("(%d)\n", n);
}

int main(void)
{
    NODE *head = NULL;
    int i, deleted = 0;
    unsigned x = 2024;
    for (i = 0; i < 25; i++) {
        x = x * 69069u + 1u;
        head = insert_sorted(head, (int)(x >> 24) % 40);
    }
    print(head);
    for (i = 0; i < 40; i += 3) head = delete_key(head, i, &deleted);
    print(head);
    head = reverse(head);
    print(head);
    while (head) {
        NODE *n = head->next;
        free(head);
        live--;
        head = n;
    }
    printf("deleted=%d live=%d\n", deleted, live);
    return deleted;
}
