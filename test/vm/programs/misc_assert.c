/* assert() with conditions that hold (side-effect free); NDEBUG is not defined. */
#include <stdio.h>
#include <assert.h>
#include <string.h>

static int checked_div(int a, int b)
{
    assert(b != 0);
    return a / b;
}

typedef struct { int len; char data[8]; } SMALLSTR;

static void set(SMALLSTR *s, const char *text)
{
    assert(s != NULL);
    assert(strlen(text) < sizeof s->data);
    strcpy(s->data, text);
    s->len = (int)strlen(text);
    assert(s->data[s->len] == '\0');
}

int main(void)
{
    SMALLSTR s;
    int i, total = 0;
    for (i = 1; i <= 10; i++) {
        total += checked_div(1000, i);
        assert(total > 0);
    }
    set(&s, "kdsim");
    assert(s.len == 5 && s.data[0] == 'k');
    assert(sizeof(int) == 4);
    assert(sizeof(void *) == 8);
    assert(1);
    printf("total=%d s=%s len=%d\n", total, s.data, s.len);
    return total % 100;
}
