/* qsort with comparators: ints ascending/descending, strings, structs by two keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int_asc(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int_asc(b, a); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

typedef struct { char name[10]; int dept; int salary; } EMP;
static int cmp_emp(const void *a, const void *b)
{
    const EMP *x = (const EMP *)a, *y = (const EMP *)b;
    if (x->dept != y->dept) return x->dept - y->dept;
    if (x->salary != y->salary) return y->salary - x->salary;
    return strcmp(x->name, y->name);
}
static int cmp_ull(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

int main(void)
{
    int v[16] = { 42, -7, 19, 0, 2147483647, -2147483647 - 1, 19, 5, 88, -1, 3, 3, 1000, -500, 77, 6 };
    const char *words[] = { "kernel", "driver", "irql", "dpc", "isr", "apc", "mdl", "irp" };
    EMP emps[6] = { { "zed", 2, 50 }, { "amy", 1, 70 }, { "bob", 2, 70 }, { "cat", 1, 70 }, { "dan", 3, 10 }, { "eve", 2, 50 } };
    unsigned long long big[5] = { 18446744073709551615ULL, 0, 9223372036854775808ULL, 1, 9223372036854775807ULL };
    int i;
    qsort(v, 16, sizeof v[0], cmp_int_asc);
    for (i = 0; i < 16; i++) printf("%d ", v[i]);
    printf("\n");
    qsort(v, 16, sizeof v[0], cmp_int_desc);
    for (i = 0; i < 16; i++) printf("%d ", v[i]);
    printf("\n");
    qsort(words, 8, sizeof words[0], cmp_str);
    for (i = 0; i < 8; i++) printf("%s ", words[i]);
    printf("\n");
    qsort(emps, 6, sizeof emps[0], cmp_emp);
    for (i = 0; i < 6; i++) printf("%s/%d/%d ", emps[i].name, emps[i].dept, emps[i].salary);
    printf("\n");
    qsort(big, 5, sizeof big[0], cmp_ull);
    for (i = 0; i < 5; i++) printf("%llu ", big[i]);
    printf("\n");
    qsort(v, 1, sizeof v[0], cmp_int_asc);
    qsort(v, 0, sizeof v[0], cmp_int_asc);
    return (int)strlen(words[0]) + emps[0].salary;
}
