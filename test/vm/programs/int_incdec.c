/* Pre/post increment and decrement on every integer width and through pointers. */
#include <stdio.h>

int main(void)
{
    int i = 5, j;
    unsigned char uc = 254;
    signed char sc = 126;
    short sh = -32767;
    unsigned long long ull = 0;
    int arr[5] = { 10, 20, 30, 40, 50 };
    int *p = arr;
    int k, sum = 0;

    j = i++;
    printf("j=%d i=%d\n", j, i);
    j = ++i;
    printf("j=%d i=%d\n", j, i);
    j = i--;
    printf("j=%d i=%d\n", j, i);
    j = --i;
    printf("j=%d i=%d\n", j, i);
    uc++;
    printf("uc=%u\n", (unsigned)uc);
    uc++;
    printf("uc=%u\n", (unsigned)uc);
    uc--;
    printf("uc=%u\n", (unsigned)uc);
    sc++;
    printf("sc=%d\n", sc);
    sh--;
    printf("sh=%d\n", sh);
    ull--;
    printf("ull=%llu\n", ull);
    ull++;
    printf("ull=%llu\n", ull);
    printf("*p++=%d\n", *p++);
    printf("*p=%d\n", *p);
    printf("(*p)++=%d\n", (*p)++);
    printf("*p=%d\n", *p);
    printf("*++p=%d\n", *++p);
    printf("++*p=%d\n", ++*p);
    for (k = 0; k < 5; k++) sum += arr[k];
    printf("sum=%d\n", sum);
    {
        int n = 0, count = 0;
        while (n++ < 10) count += n;
        printf("count=%d n=%d\n", count, n);
        n = 10;
        count = 0;
        while (--n) count += n;
        printf("count=%d n=%d\n", count, n);
    }
    return sum % 100;
}
