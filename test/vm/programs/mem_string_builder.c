/* A growable string buffer: append formatted pieces with snprintf, growing on demand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *buf; unsigned len, cap, grows; } SB;

static void sb_reserve(SB *s, unsigned extra)
{
    if (s->len + extra + 1 > s->cap) {
        unsigned ncap = s->cap ? s->cap : 16;
        while (s->len + extra + 1 > ncap) ncap *= 2;
        s->buf = (char *)realloc(s->buf, ncap);
        s->cap = ncap;
        s->grows++;
    }
}

static void sb_append(SB *s, const char *text)
{
    unsigned n = (unsigned)strlen(text);
    sb_reserve(s, n);
    memcpy(s->buf + s->len, text, n + 1);
    s->len += n;
}

static void sb_int(SB *s, int v)
{
    char tmp[16];
    snprintf(tmp, sizeof tmp, "%d", v);
    sb_append(s, tmp);
}

int main(void)
{
    SB s = { NULL, 0, 0, 0 };
    int i;
    sb_append(&s, "{");
    for (i = 0; i < 40; i++) {
        if (i) sb_append(&s, ",");
        sb_append(&s, "\"k");
        sb_int(&s, i);
        sb_append(&s, "\":");
        sb_int(&s, i * i * (i % 2 ? -1 : 1));
    }
    sb_append(&s, "}");
    printf("len=%u cap=%u grows=%u\n", s.len, s.cap, s.grows);
    printf("%.60s...%s\n", s.buf, s.buf + s.len - 20);
    printf("strlen agrees: %d\n", strlen(s.buf) == s.len);
    free(s.buf);
    return (int)s.grows;
}
