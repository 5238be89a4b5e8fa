/* Arrays of pointers: a jagged table, sorting by swapping pointers, pointers to rows. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    static int r0[] = { 1 }, r1[] = { 2, 3 }, r2[] = { 4, 5, 6 }, r3[] = { 7, 8, 9, 10 };
    int *rows[4] = { r0, r1, r2, r3 };
    int lens[4] = { 1, 2, 3, 4 };
    const char *names[] = { "pear", "apple", "fig", "banana", "cherry", "date" };
    int n = 6, i, j, total = 0;

    for (i = 0; i < 4; i++) {
        for (j = 0; j < lens[i]; j++) {
            printf("%d ", rows[i][j]);
            total += rows[i][j] * (i + 1);
        }
        printf("\n");
    }
    {
        int *tmp = rows[0];
        rows[0] = rows[3];
        rows[3] = tmp;
        printf("swapped rows: rows[0][3]=%d rows[3][0]=%d\n", rows[0][3], rows[3][0]);
    }
    for (i = 0; i < n - 1; i++)
        for (j = 0; j < n - 1 - i; j++)
            if (strcmp(names[j], names[j + 1]) > 0) {
                const char *t = names[j];
                names[j] = names[j + 1];
                names[j + 1] = t;
            }
    for (i = 0; i < n; i++) printf("%s%s", names[i], i + 1 < n ? "," : "\n");
    printf("total=%d\n", total);
    return total % 100;
}
