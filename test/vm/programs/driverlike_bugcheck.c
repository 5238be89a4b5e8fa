/* A verifier-style check that "bug checks" (prints the stop code and exits with a status) on a double free. */
#include <stdio.h>
#include <stdlib.h>

typedef unsigned int ULONG;
typedef unsigned long long ULONG_PTR;
#define DRIVER_VERIFIER_DETECTED_VIOLATION 0xC4u
#define BAD_POOL_CALLER 0xC2u

static void KeBugCheckEx(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4)
{
    printf("*** STOP: 0x%08X (0x%016llX,0x%016llX,0x%016llX,0x%016llX)\n", code, p1, p2, p3, p4);
    exit((int)(code & 0x7F));
}

typedef struct { ULONG Tag; int Freed; } BLOCK;

static void free_block(BLOCK *b, int index)
{
    if (b->Freed) KeBugCheckEx(BAD_POOL_CALLER, 7, (ULONG_PTR)index, b->Tag, 0);
    b->Freed = 1;
    printf("freed block %d\n", index);
}

int main(void)
{
    BLOCK blocks[4] = { { 0x41414141u, 0 }, { 0x42424242u, 0 }, { 0x43434343u, 0 }, { 0x44444444u, 0 } };
    int order[] = { 0, 2, 3, 1, 2, 0 };
    int i;
    for (i = 0; i < 6; i++) free_block(&blocks[order[i]], order[i]);
    printf("not reached\n");
    return 0;
}
