/* Mixed signed/unsigned comparisons follow the usual arithmetic conversions. */
#include <stdio.h>

static int show(const char *what, int v)
{
    printf("%-28s %d\n", what, v);
    return v;
}

int main(void)
{
    int neg = -1;
    unsigned one = 1u;
    short sneg = -1;
    unsigned short us = 65535;
    unsigned char uc = 255;
    signed char sc = -1;
    long long ll = -1;
    unsigned long long ull = 1;
    int total = 0;

    total += show("-1 < 1u", neg < one);
    total += show("-1 > 1u", neg > one);
    total += show("(int)-1 < (int)1u", neg < (int)one);
    total += show("sneg < us (both to int)", sneg < us);
    total += show("sc == uc", sc == uc);
    total += show("(unsigned char)sc == uc", (unsigned char)sc == uc);
    total += show("ll < 1u (1u to ll)", ll < one);
    total += show("ll < ull (ll to ull)", ll < ull);
    total += show("neg == 0xFFFFFFFF", neg == 0xFFFFFFFF);
    total += show("-1 == 0xFFFFFFFFLL", neg == 0xFFFFFFFFLL);
    total += show("us == -1", us == -1);
    total += show("(short)us == -1", (short)us == -1);
    total += show("uc + 1 > 255", uc + 1 > 255);
    total += show("0u - 1 > 0", 0u - 1 > 0);
    total += show("-1 < sizeof(int)", neg < (long long)sizeof(int));
    total += show("2147483648u > 2147483647", 2147483648u > 2147483647);
    total += show("-2147483647-1 < 0u", (-2147483647 - 1) < 0u);
    printf("total=%d\n", total);
    return total;
}
