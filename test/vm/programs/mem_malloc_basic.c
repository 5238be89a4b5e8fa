/* malloc/free of many sizes; writes fill every byte; blocks are distinct and suitably aligned. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long ULONG_PTR;

int main(void)
{
    unsigned sizes[] = { 1, 2, 3, 8, 15, 16, 17, 100, 255, 4096, 10000, 65536 };
    unsigned char *blocks[12];
    int i, j, aligned = 0, overlaps = 0;
    unsigned long long sum = 0;
    for (i = 0; i < 12; i++) {
        blocks[i] = (unsigned char *)malloc(sizes[i]);
        if (!blocks[i]) {
            printf("malloc(%u) failed\n", sizes[i]);
            return 1;
        }
        memset(blocks[i], i + 1, sizes[i]);
        if ((ULONG_PTR)blocks[i] % 8 == 0) aligned++;
    }
    for (i = 0; i < 12; i++)
        for (j = 0; j < 12; j++)
            if (i != j && blocks[i] < blocks[j] + sizes[j] && blocks[j] < blocks[i] + sizes[i]) overlaps++;
    for (i = 0; i < 12; i++) {
        unsigned k;
        for (k = 0; k < sizes[i]; k++) sum += blocks[i][k];
        printf("block %2d size %5u first %u last %u\n", i, sizes[i], (unsigned)blocks[i][0], (unsigned)blocks[i][sizes[i] - 1]);
    }
    for (i = 11; i >= 0; i -= 2) free(blocks[i]);
    for (i = 0; i < 12; i += 2) free(blocks[i]);
    printf("aligned=%d overlaps=%d sum=%llu\n", aligned, overlaps, sum);
    free(NULL);
    return aligned + overlaps;
}
