/* Global initializers that take addresses: pointers to globals, array elements, members, functions. */
#include <stdio.h>

typedef struct NODE { int value; struct NODE *next; } NODE;

static int counter = 5;
static int table[6] = { 10, 20, 30, 40, 50, 60 };
static int *p_counter = &counter;
static int *p_mid = &table[3];
static int *p_end = table + 6;
static NODE n3 = { 3, NULL };
static NODE n2 = { 2, &n3 };
static NODE n1 = { 1, &n2 };
static NODE *head = &n1;
static int twice(int x) { return 2 * x; }
static int (*fn)(int) = twice;
static struct { const char *name; int *target; int (*op)(int); } binding = { "bind", &table[1], twice };
static const char *const msgs[] = { "alpha", "beta" };
static const char *const *p_msgs = &msgs[1];
static char text[] = "abcdef";
static char *p_text = text + 2;

int main(void)
{
    NODE *n;
    int sum = 0;
    *p_counter += 1;
    printf("counter=%d *p_mid=%d p_end-p_mid=%d p_mid[-1]=%d\n", counter, *p_mid, (int)(p_end - p_mid), p_mid[-1]);
    for (n = head; n; n = n->next) sum += n->value;
    printf("list sum=%d\n", sum);
    printf("fn(21)=%d binding: %s %d %d\n", fn(21), binding.name, *binding.target, binding.op(*binding.target));
    printf("*p_msgs=%s p_text=%s\n", *p_msgs, p_text);
    *p_text = 'C';
    printf("text=%s\n", text);
    return counter + sum;
}
