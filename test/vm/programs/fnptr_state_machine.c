/* A state machine where each state is a function returning the next state function. */
#include <stdio.h>

struct STATE;
typedef struct STATE (*STATE_FN)(char c, int *count);
typedef struct STATE { STATE_FN fn; const char *name; } STATE;

static STATE s_start(char c, int *count);
static STATE s_ident(char c, int *count);
static STATE s_number(char c, int *count);
static STATE s_error(char c, int *count);

static STATE mk(STATE_FN fn, const char *name) { STATE s; s.fn = fn; s.name = name; return s; }

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static STATE s_start(char c, int *count)
{
    if (is_alpha(c)) { count[0]++; return mk(s_ident, "ident"); }
    if (is_digit(c)) { count[1]++; return mk(s_number, "number"); }
    if (c == ' ') return mk(s_start, "start");
    count[2]++;
    return mk(s_error, "error");
}
static STATE s_ident(char c, int *count)
{
    if (is_alpha(c) || is_digit(c)) return mk(s_ident, "ident");
    return s_start(c, count);
}
static STATE s_number(char c, int *count)
{
    if (is_digit(c)) return mk(s_number, "number");
    if (is_alpha(c)) { count[2]++; return mk(s_error, "error"); }
    return s_start(c, count);
}
static STATE s_error(char c, int *count)
{
    if (c == ' ') return mk(s_start, "start");
    (void)count;
    return mk(s_error, "error");
}

int main(void)
{
    const char *input = "int x1 = 42 + y_2 * 7abc - (z) 99 ";
    int count[3] = { 0, 0, 0 };
    STATE s = mk(s_start, "start");
    const char *p;
    for (p = input; *p; p++) {
        STATE next = s.fn(*p, count);
        if (next.fn != s.fn) printf("'%c': %s -> %s\n", *p, s.name, next.name);
        s = next;
    }
    printf("idents=%d numbers=%d errors=%d\n", count[0], count[1], count[2]);
    return count[0] * 10 + count[1];
}
