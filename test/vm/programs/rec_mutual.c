/* Mutual recursion: even/odd, Hofstadter female/male sequences, a recursive-descent grammar check. */
#include <stdio.h>

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static int M(int n);
static int F(int n) { return n == 0 ? 1 : n - M(F(n - 1)); }
static int M(int n) { return n == 0 ? 0 : n - F(M(n - 1)); }

/* balanced: S -> '(' S ')' S | '[' S ']' S | empty */
static const char *parse_S(const char *p);
static const char *parse_group(const char *p, char open, char close)
{
    if (*p != open) return NULL;
    p = parse_S(p + 1);
    if (!p || *p != close) return NULL;
    return parse_S(p + 1);
}
static const char *parse_S(const char *p)
{
    if (*p == '(') return parse_group(p, '(', ')');
    if (*p == '[') return parse_group(p, '[', ']');
    return p;
}
static int balanced(const char *s)
{
    const char *end = parse_S(s);
    return end && *end == '\0';
}

int main(void)
{
    const char *tests[] = { "", "()", "([])", "([)]", "(()[()])[]", "((", "])", "[[[[]]]]()" };
    int i, ok = 0;
    printf("even(100)=%d odd(77)=%d even(7)=%d\n", is_even(100), is_odd(77), is_even(7));
    printf("F:");
    for (i = 0; i < 15; i++) printf(" %d", F(i));
    printf("\nM:");
    for (i = 0; i < 15; i++) printf(" %d", M(i));
    printf("\n");
    for (i = 0; i < 8; i++) {
        int b = balanced(tests[i]);
        ok += b;
        printf("\"%s\" %s\n", tests[i], b ? "balanced" : "unbalanced");
    }
    return ok * 10 + F(10);
}
