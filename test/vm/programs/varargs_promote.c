/* Default argument promotions: char/short arrive as int, float arrives as double. */
#include <stdio.h>
#include <stdarg.h>

static void show(const char *what, int n, ...)
{
    va_list ap;
    int i;
    va_start(ap, n);
    printf("%s:", what);
    for (i = 0; i < n; i++) {
        if (what[0] == 'f') printf(" %.6f", va_arg(ap, double));
        else printf(" %d", va_arg(ap, int));
    }
    va_end(ap);
    printf("\n");
}

int main(void)
{
    char c = -5;
    signed char sc = -128;
    unsigned char uc = 250;
    short s = -30000;
    unsigned short us = 65000;
    _Bool b = 1;
    float f = 0.1f, g = -2.5f;
    show("ints", 7, c, sc, uc, s, us, b, 'A');
    show("floats", 3, f, g, (float)1e10);
    printf("printf promotes too: %d %d %u %.3f %c\n", uc, s, (unsigned)us, f, c + 70);
    return (int)uc % 100;
}
