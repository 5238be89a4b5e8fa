/* realloc edge cases: realloc(NULL, n) acts as malloc, shrinking keeps the prefix, strings that grow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *s = (char *)realloc(NULL, 8);
    int i;
    unsigned len;
    strcpy(s, "seed");
    for (i = 0; i < 6; i++) {
        len = (unsigned)strlen(s);
        s = (char *)realloc(s, len * 2 + 1);
        memcpy(s + len, s, len);
        s[len * 2] = '\0';
        s[len] = (char)('A' + i);
    }
    len = (unsigned)strlen(s);
    printf("len=%u head=%.20s tail=%s\n", len, s, s + len - 10);
    s = (char *)realloc(s, 11);
    s[10] = '\0';
    printf("shrunk=%s\n", s);
    free(s);
    {
        double *d = (double *)malloc(3 * sizeof(double));
        d[0] = 1.5;
        d[1] = -2.25;
        d[2] = 1e100;
        d = (double *)realloc(d, 1000 * sizeof(double));
        printf("after grow: %.2f %.2f %g\n", d[0], d[1], d[2]);
        d = (double *)realloc(d, sizeof(double));
        printf("after shrink: %.2f\n", d[0]);
        free(d);
    }
    return (int)(len % 100);
}
