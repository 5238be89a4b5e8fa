/* A dispatch table of function pointers indexed by an opcode (like MajorFunction[]). */
#include <stdio.h>

typedef int (*OP)(int, int);

static int op_add(int a, int b) { return a + b; }
static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }
static int op_div(int a, int b) { return b ? a / b : 0; }
static int op_mod(int a, int b) { return b ? a % b : 0; }
static int op_max(int a, int b) { return a > b ? a : b; }
static int op_invalid(int a, int b) { (void)a; (void)b; return -1; }

#define OP_COUNT 8
static OP table[OP_COUNT] = { op_add, op_sub, op_mul, op_div, op_mod, op_max };
static const char *const names[OP_COUNT] = { "add", "sub", "mul", "div", "mod", "max", "n/a", "n/a" };

int main(void)
{
    int i, acc = 7;
    for (i = 0; i < OP_COUNT; i++)
        if (table[i] == NULL) table[i] = op_invalid;
    for (i = 0; i < OP_COUNT; i++) printf("%s(17, 5) = %d\n", names[i], table[i](17, 5));
    for (i = 0; i < 40; i++) {
        OP f = table[(i * 7) % 6];
        acc = f(acc, (i % 9) + 1);
        if (acc > 100000 || acc < -100000) acc %= 1000;
    }
    printf("acc=%d\n", acc);
    printf("(*table[2])(6,7)=%d table[0]==op_add %d\n", (*table[2])(6, 7), table[0] == op_add);
    return (acc < 0 ? -acc : acc) % 100;
}
