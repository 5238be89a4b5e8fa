/* puts adds a newline; putchar writes one byte and returns it; mixing with printf keeps order. */
#include <stdio.h>

int main(void)
{
    int i, r, sum = 0;
    r = puts("puts line 1");
    printf("puts returned non-negative: %d\n", r >= 0);
    puts("");
    for (i = 0; i < 26; i++) sum += putchar('a' + i);
    putchar('\n');
    for (i = 0; i < 5; i++) {
        printf("%d", i);
        putchar(i % 2 ? '-' : '+');
    }
    putchar('\n');
    r = putchar(0x141); /* converted to unsigned char: 'A' */
    putchar('\n');
    printf("putchar(0x141) returned %d\n", r);
    puts("tab\tand \"quotes\" and \\backslash");
    {
        const char *lines[] = { "first", "second", "third" };
        for (i = 0; i < 3; i++) puts(lines[i]);
    }
    printf("sum=%d\n", sum);
    return sum % 100;
}
