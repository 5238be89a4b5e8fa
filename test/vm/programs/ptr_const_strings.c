/* const-qualified pointers, pointers to string literals, tables of string pointers. */
#include <stdio.h>

static const char *const COLORS[] = { "red", "green", "blue", "cyan", "magenta" };
static const char *state_name(int s)
{
    static const char *const names[] = { "Stopped", "Starting", "Running", "Stopping" };
    return (s >= 0 && s < 4) ? names[s] : "Unknown";
}

static int count_char(const char *s, char c)
{
    int n = 0;
    while (*s) n += *s++ == c;
    return n;
}

int main(void)
{
    const char *p = "hello world";
    char buf[] = "mutable";
    char *const fixed = buf;
    const int limits[3] = { 10, 20, 30 };
    const int *lp = limits;
    int i, total = 0;

    for (i = 0; i < 5; i++) printf("%s(%d) ", COLORS[i], count_char(COLORS[i], 'e'));
    printf("\n");
    for (i = -1; i < 5; i++) printf("%s ", state_name(i));
    printf("\n");
    p += 6;
    printf("p=%s p[-1]='%c' len-ish=%d\n", p, p[-1], count_char(p, 'o'));
    fixed[0] = 'M';
    printf("buf=%s\n", buf);
    for (i = 0; i < 3; i++) total += lp[i];
    printf("total=%d \"literal\"[3]=%c sizeof(\"abc\")=%u\n", total, "literal"[3], (unsigned)sizeof("abc"));
    {
        const char *a = "shared";
        const char *b = a;
        printf("same pointer %d, first char via b %c\n", a == b, *b);
    }
    return total;
}
