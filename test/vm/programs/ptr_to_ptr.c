/* Pointers to pointers: out-parameters, unlinking from a singly linked list, argv-like arrays. */
#include <stdio.h>

typedef struct NODE { int v; struct NODE *next; } NODE;

static void set_ptr(int **out, int *target) { *out = target; }

static void remove_if(NODE **head, int (*pred)(int))
{
    NODE **pp = head;
    while (*pp) {
        if (pred((*pp)->v)) *pp = (*pp)->next;
        else pp = &(*pp)->next;
    }
}

static int is_odd(int v) { return v & 1; }
static int is_big(int v) { return v > 6; }

static void print(const NODE *n)
{
    for (; n; n = n->next) printf("%d ", n->v);
    printf("\n");
}

int main(void)
{
    int x = 1, y = 2, *p = &x, **pp = &p, ***ppp = &pp;
    NODE nodes[10], *head = NULL;
    int i;
    const char *words[] = { "alpha", "beta", "gamma", NULL };
    const char **w;

    ***ppp = 10;
    printf("x=%d\n", x);
    set_ptr(&p, &y);
    **pp = 20;
    printf("x=%d y=%d *p=%d\n", x, y, *p);
    for (i = 9; i >= 0; i--) {
        nodes[i].v = i;
        nodes[i].next = head;
        head = &nodes[i];
    }
    print(head);
    remove_if(&head, is_odd);
    print(head);
    remove_if(&head, is_big);
    print(head);
    for (w = words; *w; w++) printf("%s has %c at [1]\n", *w, (*w)[1]);
    {
        char a[] = "one", b[] = "two";
        char *arr[2] = { a, b };
        char **q = arr;
        q[1][0] = 'T';
        (*q)[2] = 'E';
        printf("%s %s\n", a, b);
    }
    return y + head->next->v;
}
