/* memcpy of whole structs and arrays of structs, memset to zero-initialize, memcmp on packed data. */
#include <stdio.h>
#include <string.h>

typedef struct { int id; unsigned flags; long long stamp; double score; } REC; /* no padding: 4+4+8+8 */

int main(void)
{
    REC a[4], b[4], z;
    int i;
    for (i = 0; i < 4; i++) {
        a[i].id = i + 1;
        a[i].flags = 0x10u << i;
        a[i].stamp = 1000000000000LL * (i + 1);
        a[i].score = 0.5 * i;
    }
    memcpy(b, a, sizeof a);
    printf("copies equal: %d\n", memcmp(a, b, sizeof a) == 0);
    b[2].score += 1;
    printf("after change equal: %d, first differing record: ", memcmp(a, b, sizeof a) == 0);
    for (i = 0; i < 4; i++)
        if (memcmp(&a[i], &b[i], sizeof(REC)) != 0) {
            printf("%d\n", i);
            break;
        }
    memset(&z, 0, sizeof z);
    printf("zero rec: id=%d flags=%u stamp=%lld score=%.1f\n", z.id, z.flags, z.stamp, z.score);
    memcpy(&a[0], &a[3], sizeof(REC));
    memcpy(&a[3], &z, sizeof(REC));
    for (i = 0; i < 4; i++) printf("a[%d]: %d %x %lld %.1f\n", i, a[i].id, a[i].flags, a[i].stamp, a[i].score);
    printf("sizeof(REC)=%u\n", (unsigned)sizeof(REC));
    return a[0].id * 10 + (int)sizeof(REC);
}
