/* Variadic string concatenation with a NULL sentinel into a malloc'ed buffer. */
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *concat(const char *first, ...)
{
    va_list ap;
    unsigned total = 0;
    const char *s;
    char *out, *p;
    va_start(ap, first);
    for (s = first; s; s = va_arg(ap, const char *)) total += (unsigned)strlen(s);
    va_end(ap);
    out = (char *)malloc(total + 1);
    p = out;
    va_start(ap, first);
    for (s = first; s; s = va_arg(ap, const char *)) {
        unsigned n = (unsigned)strlen(s);
        memcpy(p, s, n);
        p += n;
    }
    va_end(ap);
    *p = '\0';
    return out;
}

int main(void)
{
    char *a = concat("\\Device", "\\", "Kdsim", "Dev", "0", (char *)NULL);
    char *b = concat("", (char *)NULL);
    char *c = concat("x", "", "y", "", "", "z", (char *)NULL);
    int n;
    printf("a=%s (%u)\nb=[%s]\nc=%s\n", a, (unsigned)strlen(a), b, c);
    n = (int)(strlen(a) + strlen(b) + strlen(c));
    free(a);
    free(b);
    free(c);
    return n;
}
