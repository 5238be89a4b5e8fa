/* atoi and strtol: leading space, signs, bases 0/2/8/10/16/36, end pointers, partial parses. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const char *inputs[] = { "42", "   -17xyz", "+8", "0x1F", "0X1f", "017", "0", "", "abc", "2147483647", "-2147483648", "  +  5", "1e5", "-0x10" };
    int bases[] = { 0, 10, 16, 8, 2, 36 };
    int i, j;
    long long check = 0;
    for (i = 0; i < 14; i++) printf("atoi(\"%s\")=%d\n", inputs[i], atoi(inputs[i]));
    for (i = 0; i < 14; i++) {
        if (i == 9 || i == 10) continue; /* 10-digit values overflow 32 bits in other bases: LONG_MAX differs (LLP64) */
        printf("%-14s", inputs[i]);
        for (j = 0; j < 6; j++) {
            char *end;
            int v = (int)strtol(inputs[i], &end, bases[j]);
            printf(" b%d=%d/%d", bases[j], v, (int)(end - inputs[i]));
            check += v;
        }
        printf("\n");
    }
    {
        char *end;
        int v = (int)strtol("zz", &end, 36);
        printf("zz base36=%d\n", v);
        v = (int)strtol("-ff", &end, 16);
        printf("-ff base16=%d rest=\"%s\"\n", v, end);
        v = (int)strtol("  1010 1111", &end, 2);
        printf("binary=%d rest=\"%s\"\n", v, end);
        v = (int)strtol(end, &end, 2);
        printf("binary again=%d rest=\"%s\"\n", v, end);
        v = (int)strtol("2147483647", &end, 10);
        printf("INT_MAX parsed=%d\n", v);
        v = (int)strtol("-2147483648", &end, 0);
        printf("INT_MIN parsed=%d\n", v);
    }
    printf("check=%lld\n", check);
    return (int)(check % 100 + 100) % 100;
}
