/* Union initialization: first member by default, designated member, in arrays and structs. */
#include <stdio.h>

typedef union {
    unsigned int u;
    unsigned char b[4];
    float f;
} U;

typedef struct {
    const char *name;
    U val;
} ENTRY;

static U g1 = { 0x01020304u };
static U g2 = { .b = { 1, 2, 3, 4 } };
static U g3 = { .f = 1.0f };
static ENTRY table[] = {
    { "first", { 7 } },
    { "bytes", { .b = { 0xFF } } },
    { "float", { .f = -2.0f } },
    { .name = "late", .val.u = 0xCAFEu },
};

int main(void)
{
    int i;
    printf("g1=%08x g2=%08x g3=%08x\n", g1.u, g2.u, g3.u);
    for (i = 0; i < 4; i++) printf("%s: %08x\n", table[i].name, table[i].val.u);
    {
        U local = { .b = { [2] = 0x7F } };
        U zero = { 0 };
        printf("local=%08x zero=%08x\n", local.u, zero.u);
    }
    return (int)(sizeof table / sizeof table[0]) * 10;
}
