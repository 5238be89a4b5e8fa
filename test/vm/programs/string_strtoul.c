/* strtoul within 32-bit range, parsing lists of numbers with end pointers, hex dumps back. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const char *list = "10 0x20 030 4294967295 0xFFFFFFFF 7 0xdeadBEEF 1234567890";
    const char *p = list;
    char *end;
    unsigned vals[16];
    int n = 0, i;
    unsigned sum = 0;
    for (;;) {
        unsigned v = (unsigned)strtoul(p, &end, 0);
        if (end == p) break;
        vals[n++] = v;
        p = end;
    }
    for (i = 0; i < n; i++) {
        printf("vals[%d]=%u (%08x)\n", i, vals[i], vals[i]);
        sum += vals[i];
    }
    printf("n=%d sum=%u rest=\"%s\"\n", n, sum, p);
    {
        const char *neg = "  -1";
        unsigned v = (unsigned)strtoul(neg, &end, 10);
        printf("strtoul(\"-1\")=%u consumed=%d\n", v, (int)(end - neg));
        v = (unsigned)strtoul("777", NULL, 8);
        printf("777 octal=%u\n", v);
        v = (unsigned)strtoul("0x", &end, 16);
        printf("\"0x\" base16=%u rest=\"%s\"\n", v, end);
        v = (unsigned)strtoul("Z", &end, 36);
        printf("Z base36=%u\n", v);
    }
    return n * 10;
}
