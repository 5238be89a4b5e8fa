/* A tagged union evaluating a tiny typed expression list. */
#include <stdio.h>

typedef enum { T_INT, T_DBL, T_STR, T_PAIR } TAG;

typedef struct VAL {
    TAG tag;
    union {
        long long i;
        double d;
        const char *s;
        struct { int a, b; } pair;
    } as;
} VAL;

static VAL vint(long long i) { VAL v; v.tag = T_INT; v.as.i = i; return v; }
static VAL vdbl(double d) { VAL v; v.tag = T_DBL; v.as.d = d; return v; }
static VAL vstr(const char *s) { VAL v; v.tag = T_STR; v.as.s = s; return v; }
static VAL vpair(int a, int b) { VAL v; v.tag = T_PAIR; v.as.pair.a = a; v.as.pair.b = b; return v; }

static void print(VAL v)
{
    switch (v.tag) {
    case T_INT: printf("int %lld\n", v.as.i); break;
    case T_DBL: printf("dbl %.3f\n", v.as.d); break;
    case T_STR: printf("str \"%s\"\n", v.as.s); break;
    case T_PAIR: printf("pair (%d, %d)\n", v.as.pair.a, v.as.pair.b); break;
    }
}

static VAL add(VAL x, VAL y)
{
    if (x.tag == T_INT && y.tag == T_INT) return vint(x.as.i + y.as.i);
    if (x.tag == T_PAIR && y.tag == T_PAIR) return vpair(x.as.pair.a + y.as.pair.a, x.as.pair.b + y.as.pair.b);
    if ((x.tag == T_INT || x.tag == T_DBL) && (y.tag == T_INT || y.tag == T_DBL)) {
        double a = x.tag == T_INT ? (double)x.as.i : x.as.d;
        double b = y.tag == T_INT ? (double)y.as.i : y.as.d;
        return vdbl(a + b);
    }
    return vstr("type error");
}

int main(void)
{
    VAL vals[] = { vint(40), vint(2), vdbl(0.5), vstr("hi"), vpair(1, 2), vpair(10, 20) };
    int i, j, errors = 0;
    for (i = 0; i < 6; i++) print(vals[i]);
    for (i = 0; i < 6; i++)
        for (j = i; j < 6; j++) {
            VAL r = add(vals[i], vals[j]);
            printf("%d+%d: ", i, j);
            print(r);
            if (r.tag == T_STR) errors++;
        }
    printf("errors=%d sizeof(VAL)=%u\n", errors, (unsigned)sizeof(VAL));
    return errors;
}
