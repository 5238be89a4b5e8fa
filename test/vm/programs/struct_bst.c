/* Self-referential structs: a binary search tree over a static node pool. */
#include <stdio.h>

typedef struct NODE {
    int key;
    int count;
    struct NODE *left, *right;
} NODE;

static NODE pool[128];
static int used;

static NODE *insert(NODE *root, int key)
{
    NODE **link = &root;
    while (*link) {
        if (key == (*link)->key) {
            (*link)->count++;
            return root;
        }
        link = key < (*link)->key ? &(*link)->left : &(*link)->right;
    }
    *link = &pool[used++];
    (*link)->key = key;
    (*link)->count = 1;
    (*link)->left = (*link)->right = NULL;
    return root;
}

static int height(const NODE *n)
{
    int l, r;
    if (!n) return 0;
    l = height(n->left);
    r = height(n->right);
    return 1 + (l > r ? l : r);
}

static void inorder(const NODE *n, int *printed)
{
    if (!n) return;
    inorder(n->left, printed);
    if (*printed < 30) printf("%d%s ", n->key, n->count > 1 ? "*" : "");
    (*printed)++;
    inorder(n->right, printed);
}

static const NODE *find(const NODE *n, int key)
{
    while (n && n->key != key) n = key < n->key ? n->left : n->right;
    return n;
}

int main(void)
{
    NODE *root = NULL;
    unsigned seed = 12345;
    int i, printed = 0;
    for (i = 0; i < 100; i++) {
        seed = seed * 1103515245u + 12345u;
        root = insert(root, (int)((seed >> 16) % 200));
    }
    inorder(root, &printed);
    printf("\nnodes=%d printed=%d height=%d root=%d\n", used, printed, height(root), root->key);
    printf("find 57: %s, find 58: %s\n", find(root, 57) ? "yes" : "no", find(root, 58) ? "yes" : "no");
    return height(root);
}
