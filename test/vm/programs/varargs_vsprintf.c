/* vsprintf into a caller buffer, building a string in pieces through a va_list wrapper. */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

typedef struct { char text[256]; int len; } BUILDER;

static void append(BUILDER *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    b->len += vsprintf(b->text + b->len, fmt, ap);
    va_end(ap);
}

int main(void)
{
    BUILDER b;
    int i;
    b.len = 0;
    b.text[0] = '\0';
    append(&b, "values:");
    for (i = 0; i < 6; i++) append(&b, " %d", i * i - 3);
    append(&b, "; hex %x/%X; chars %c%c; str '%5s' '%-5s'", 48879u, 48879u, 'o', 'k', "ab", "cd");
    append(&b, "; %.2f%%", 99.5);
    printf("%s\n", b.text);
    printf("len=%d strlen=%u\n", b.len, (unsigned)strlen(b.text));
    return b.len % 100;
}
