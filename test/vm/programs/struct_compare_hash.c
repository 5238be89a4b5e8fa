/* Comparing structs member by member (never with memcmp over padding) and hashing them. */
#include <stdio.h>

typedef struct {
    char kind;
    int value;
    short extra;
} REC;

static int rec_equal(const REC *a, const REC *b) { return a->kind == b->kind && a->value == b->value && a->extra == b->extra; }
static unsigned rec_hash(const REC *r) { return ((unsigned)(unsigned char)r->kind * 31u + (unsigned)r->value) * 31u + (unsigned)(unsigned short)r->extra; }

int main(void)
{
    REC recs[6] = { { 'a', 1, 2 }, { 'b', 1, 2 }, { 'a', 1, 2 }, { 'a', -1, 2 }, { 'a', 1, -2 }, { 'b', 1, 2 } };
    int i, j, pairs = 0;
    for (i = 0; i < 6; i++) {
        printf("rec %d hash %08x\n", i, rec_hash(&recs[i]));
        for (j = i + 1; j < 6; j++)
            if (rec_equal(&recs[i], &recs[j])) {
                printf("  equal to %d\n", j);
                pairs++;
            }
    }
    printf("pairs=%d\n", pairs);
    return pairs;
}
