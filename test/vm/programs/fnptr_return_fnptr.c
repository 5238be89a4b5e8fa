/* Functions returning function pointers, with and without typedefs; pointer to pointer to function. */
#include <stdio.h>

typedef int (*TRANSFORM)(int);

static int inc(int x) { return x + 1; }
static int dbl(int x) { return x * 2; }
static int sq(int x) { return x * x; }
static int neg(int x) { return -x; }

static TRANSFORM pick(char c)
{
    switch (c) {
    case '+': return inc;
    case '*': return dbl;
    case '^': return sq;
    case '-': return neg;
    default: return NULL;
    }
}

/* the same without a typedef: a function taking char returning pointer to function (int) -> int */
static int (*pick_raw(char c))(int) { return pick(c); }

static int apply_all(const char *prog, int x)
{
    for (; *prog; prog++) {
        TRANSFORM t = pick(*prog);
        if (t) x = t(x);
    }
    return x;
}

int main(void)
{
    const char *progs[] = { "+", "**", "+^", "^-+", "+*^-", "x?+" };
    int i;
    TRANSFORM fns[3] = { inc, dbl, sq };
    TRANSFORM *pf = fns;
    TRANSFORM **ppf = &pf;
    for (i = 0; i < 6; i++) printf("%-5s on 3 -> %d\n", progs[i], apply_all(progs[i], 3));
    printf("pick_raw('^')(9)=%d\n", pick_raw('^')(9));
    printf("(**ppf)(10)=%d (*ppf)[2](10)=%d\n", (**ppf)(10), (*ppf)[2](10));
    printf("pick('?')==NULL: %d\n", pick('?') == NULL);
    return apply_all("+*^", 2);
}
