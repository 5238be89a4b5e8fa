/* sizeof on types, objects, arrays, expressions (not evaluated), and strings. */
#include <stdio.h>

typedef struct { char c; int i; } CI;

int main(void)
{
    int arr[17];
    double darr[3][5];
    char str[] = "twelve chars";
    const char *ptr = str;
    int x = 5;
    unsigned n;
    printf("char=%u short=%u int=%u long long=%u float=%u double=%u\n", (unsigned)sizeof(char), (unsigned)sizeof(short), (unsigned)sizeof(int),
           (unsigned)sizeof(long long), (unsigned)sizeof(float), (unsigned)sizeof(double));
    printf("void*=%u int*=%u fnptr=%u\n", (unsigned)sizeof(void *), (unsigned)sizeof(int *), (unsigned)sizeof(int (*)(void)));
    printf("arr=%u elems=%u darr=%u darr[0]=%u\n", (unsigned)sizeof arr, (unsigned)(sizeof arr / sizeof arr[0]), (unsigned)sizeof darr, (unsigned)sizeof darr[0]);
    printf("str=%u ptr=%u literal=%u\n", (unsigned)sizeof str, (unsigned)sizeof ptr, (unsigned)sizeof "abc");
    n = (unsigned)sizeof(x++); /* not evaluated */
    printf("sizeof(x++)=%u x still %d\n", n, x);
    printf("CI=%u CI[4]=%u\n", (unsigned)sizeof(CI), (unsigned)sizeof(CI[4]));
    printf("sizeof(1+1.0)=%u sizeof(x<1)=%u sizeof((char)x)=%u\n", (unsigned)sizeof(1 + 1.0), (unsigned)sizeof(x < 1), (unsigned)sizeof((char)x));
    printf("sizeof(unsigned char)*CHAR_BIT-ish=%u\n", (unsigned)sizeof(unsigned char) * 8u);
    return (int)(sizeof arr / sizeof arr[0]) + x;
}
