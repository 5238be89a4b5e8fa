/* Recursive-descent evaluation of integer expressions with precedence, unary minus, parens. */
#include <stdio.h>

static const char *src;
static int error;

static void skip(void) { while (*src == ' ') src++; }
static int expr(void);

static int primary(void)
{
    int v = 0;
    skip();
    if (*src == '(') {
        src++;
        v = expr();
        skip();
        if (*src == ')') src++;
        else error = 1;
        return v;
    }
    if (*src == '-') {
        src++;
        return -primary();
    }
    if (*src < '0' || *src > '9') {
        error = 1;
        return 0;
    }
    while (*src >= '0' && *src <= '9') v = v * 10 + (*src++ - '0');
    return v;
}

static int term(void)
{
    int v = primary();
    for (;;) {
        skip();
        if (*src == '*') { src++; v *= primary(); }
        else if (*src == '/') {
            int d;
            src++;
            d = primary();
            if (d == 0) { error = 2; return 0; }
            v /= d;
        } else if (*src == '%') {
            int d;
            src++;
            d = primary();
            if (d == 0) { error = 2; return 0; }
            v %= d;
        } else return v;
    }
}

static int expr(void)
{
    int v = term();
    for (;;) {
        skip();
        if (*src == '+') { src++; v += term(); }
        else if (*src == '-') { src++; v -= term(); }
        else return v;
    }
}

static int eval(const char *s, int *err)
{
    int v;
    src = s;
    error = 0;
    v = expr();
    skip();
    if (*src != '\0' && !error) error = 3;
    *err = error;
    return v;
}

int main(void)
{
    const char *cases[] = { "1 + 2 * 3", "(1 + 2) * 3", "-(4 - 10) * -2", "100 / 7 % 4", "2 * (3 + (4 - 1) * 5) - 7", "-7 / 2", "-7 % 3",
                            "8 / (4 - 4)", "3 + ", "((2))*((3))", "1 2", "10 - 2 - 3 - 4" };
    int i, err, sum = 0;
    for (i = 0; i < 12; i++) {
        int v = eval(cases[i], &err);
        if (err) printf("%-28s => error %d\n", cases[i], err);
        else {
            printf("%-28s => %d\n", cases[i], v);
            sum += v;
        }
    }
    printf("sum=%d\n", sum);
    return sum < 0 ? -sum : sum;
}
