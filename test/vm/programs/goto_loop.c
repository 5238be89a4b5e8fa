/* Loops written with goto: counting, searching, and a bubble sort with backward jumps. */
#include <stdio.h>

int main(void)
{
    int i = 0, sum = 0;
    int a[10] = { 9, 4, 7, 1, 8, 2, 6, 3, 5, 0 };
    int swapped, j;

top:
    sum += i * i;
    i++;
    if (i < 20) goto top;
    printf("sum of squares 0..19 = %d\n", sum);

    i = 0;
search:
    if (i >= 10) goto not_found;
    if (a[i] == 8) goto found;
    i++;
    goto search;
found:
    printf("found 8 at %d\n", i);
    goto sort;
not_found:
    printf("not found\n");

sort:
    swapped = 0;
    j = 0;
inner:
    if (j >= 9) goto inner_done;
    if (a[j] > a[j + 1]) {
        int t = a[j];
        a[j] = a[j + 1];
        a[j + 1] = t;
        swapped = 1;
    }
    j++;
    goto inner;
inner_done:
    if (swapped) goto sort;
    for (j = 0; j < 10; j++) printf("%d ", a[j]);
    printf("\n");
    return sum % 100;
}
