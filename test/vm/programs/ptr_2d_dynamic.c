/* A dynamically allocated 2-D array via row pointers, and one contiguous block with index math. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int rows = 6, cols = 7, i, j;
    int **m = (int **)malloc((unsigned)rows * sizeof(int *));
    int *block = (int *)malloc((unsigned)(rows * cols) * sizeof(int));
    long long sum = 0;
    for (i = 0; i < rows; i++) {
        m[i] = (int *)malloc((unsigned)cols * sizeof(int));
        for (j = 0; j < cols; j++) {
            m[i][j] = (i + 1) * (j + 2) - 3 * i;
            block[i * cols + j] = m[i][j] * 2;
        }
    }
    for (i = 0; i < rows; i++) {
        for (j = 0; j < cols; j++) printf("%4d", m[i][j]);
        printf("\n");
    }
    {
        int *tmp = m[0];
        m[0] = m[rows - 1];
        m[rows - 1] = tmp;
    }
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) sum += (long long)m[i][j] * (i + 1) - block[i * cols + j];
    printf("sum=%lld\n", sum);
    for (i = 0; i < rows; i++) free(m[i]);
    free(m);
    free(block);
    return (int)(sum % 100 + 100) % 100;
}
