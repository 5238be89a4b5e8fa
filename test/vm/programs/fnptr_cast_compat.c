/* Calling through function pointer casts: store as a generic type, cast back to the real type. */
#include <stdio.h>

typedef void (*GENERIC_FN)(void);
typedef int (*UNARY)(int);
typedef int (*BINARY)(int, int);
typedef double (*DUNARY)(double);

static int twice(int x) { return 2 * x; }
static int plus(int a, int b) { return a + b; }
static double halve(double d) { return d / 2; }
static int counter;
static void bump(void) { counter++; }

typedef struct { const char *name; int kind; GENERIC_FN fn; } ENTRY;

int main(void)
{
    ENTRY entries[] = {
        { "twice", 1, (GENERIC_FN)twice },
        { "plus", 2, (GENERIC_FN)plus },
        { "halve", 3, (GENERIC_FN)halve },
        { "bump", 0, bump },
    };
    int i, total = 0;
    for (i = 0; i < 4; i++) {
        switch (entries[i].kind) {
        case 0: entries[i].fn(); entries[i].fn(); printf("%s -> counter=%d\n", entries[i].name, counter); break;
        case 1: total += ((UNARY)entries[i].fn)(21); printf("%s(21)=%d\n", entries[i].name, ((UNARY)entries[i].fn)(21)); break;
        case 2: total += ((BINARY)entries[i].fn)(30, 12); printf("%s(30,12)=%d\n", entries[i].name, ((BINARY)entries[i].fn)(30, 12)); break;
        case 3: printf("%s(5)=%.2f\n", entries[i].name, ((DUNARY)entries[i].fn)(5.0)); break;
        }
    }
    {
        void *vp = (void *)twice;           /* common extension: function pointer in a void* */
        UNARY back = (UNARY)vp;
        printf("round trip via void*: %d\n", back(50));
        int (*same)(int) = twice;
        printf("compare equal: %d\n", (UNARY)(GENERIC_FN)same == twice);
    }
    return total + counter;
}
