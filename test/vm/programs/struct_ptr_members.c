/* Structs holding pointers: to strings, to other structs, to their own arrays. */
#include <stdio.h>

typedef struct DEPT DEPT;
typedef struct {
    const char *name;
    DEPT *dept;
    int *salary;
} EMP;
struct DEPT {
    const char *title;
    EMP *head;
    int budget;
};

int main(void)
{
    int salaries[4] = { 100, 200, 150, 175 };
    DEPT eng = { "Engineering", NULL, 1000 }, ops = { "Operations", NULL, 500 };
    EMP staff[4] = {
        { "ann", &eng, &salaries[0] },
        { "bob", &eng, &salaries[1] },
        { "cid", &ops, &salaries[2] },
        { "dee", &ops, &salaries[3] },
    };
    int i;
    eng.head = &staff[1];
    ops.head = &staff[3];
    for (i = 0; i < 4; i++) {
        *staff[i].salary += 10 * i;
        staff[i].dept->budget -= *staff[i].salary;
    }
    for (i = 0; i < 4; i++)
        printf("%s in %s earns %d (head %s)\n", staff[i].name, staff[i].dept->title, *staff[i].salary, staff[i].dept->head->name);
    printf("budgets: %s=%d %s=%d\n", eng.title, eng.budget, ops.title, ops.budget);
    printf("head of eng's dept budget via chain: %d\n", eng.head->dept->head->dept->budget);
    printf("salaries: %d %d %d %d\n", salaries[0], salaries[1], salaries[2], salaries[3]);
    return ops.budget < 0 ? -ops.budget % 100 : ops.budget % 100;
}
