/* A fixed-size block pool over a static arena with a free list (a lookaside list in miniature). */
#include <stdio.h>

#define BLOCK_SIZE 32
#define BLOCK_COUNT 16

typedef union BLOCK { union BLOCK *next; unsigned char bytes[BLOCK_SIZE]; } BLOCK;

static BLOCK arena[BLOCK_COUNT];
static BLOCK *free_list;
static int in_use, peak, failures;

static void pool_init(void)
{
    int i;
    free_list = NULL;
    for (i = BLOCK_COUNT - 1; i >= 0; i--) {
        arena[i].next = free_list;
        free_list = &arena[i];
    }
}

static void *pool_alloc(void)
{
    BLOCK *b = free_list;
    if (!b) {
        failures++;
        return NULL;
    }
    free_list = b->next;
    if (++in_use > peak) peak = in_use;
    return b;
}

static void pool_free(void *p)
{
    BLOCK *b = (BLOCK *)p;
    b->next = free_list;
    free_list = b;
    in_use--;
}

int main(void)
{
    void *held[40];
    int nheld = 0, step;
    unsigned rng = 99;
    pool_init();
    for (step = 0; step < 300; step++) {
        rng = rng * 1664525u + 1013904223u;
        if ((rng >> 28) < 9 || nheld == 0) {
            void *p = pool_alloc();
            if (p && nheld < 40) {
                ((unsigned char *)p)[BLOCK_SIZE - 1] = (unsigned char)step;
                held[nheld++] = p;
            }
        } else {
            int victim = (int)((rng >> 8) % (unsigned)nheld);
            pool_free(held[victim]);
            held[victim] = held[--nheld];
        }
    }
    printf("in_use=%d peak=%d failures=%d held=%d\n", in_use, peak, failures, nheld);
    {
        int i, idx_sum = 0;
        for (i = 0; i < nheld; i++) idx_sum += (int)((BLOCK *)held[i] - arena);
        printf("index sum of held blocks=%d\n", idx_sum);
    }
    while (nheld) pool_free(held[--nheld]);
    printf("after release in_use=%d\n", in_use);
    return peak + failures % 50;
}
