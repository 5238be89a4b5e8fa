/* Characters as small integers: case mapping, digit values, caesar cipher, counting. */
#include <stdio.h>

static char upper(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c; }
static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int main(void)
{
    const char *text = "Hello, Kernel World! 0x1F";
    char out[64];
    int counts[26] = { 0 };
    int i, n = 0, vowels = 0;

    for (i = 0; text[i]; i++) {
        char c = text[i];
        out[i] = upper(c);
        if (c >= 'a' && c <= 'z') counts[c - 'a']++;
        if (c >= 'A' && c <= 'Z') counts[c - 'A']++;
    }
    out[i] = '\0';
    printf("%s\n", out);
    for (i = 0; i < 26; i++) {
        if (counts[i]) printf("%c%d ", 'a' + i, counts[i]);
        if (i == 0 || i == 4 || i == 8 || i == 14 || i == 20) vowels += counts[i];
    }
    printf("\nvowels=%d\n", vowels);
    for (i = 0; text[i]; i++) {
        char c = text[i];
        if (c >= 'a' && c <= 'z') c = (char)('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z') c = (char)('A' + (c - 'A' + 13) % 26);
        out[i] = c;
    }
    printf("rot13: %s\n", out);
    {
        const char *hex = "7fFa0G";
        for (i = 0; hex[i]; i++) printf("%c=%d ", hex[i], digit_value(hex[i]));
        printf("\n");
    }
    {
        char c = 127;
        c = (char)(c + 1);
        printf("127+1 as char=%d\n", c);
        c = 'z';
        printf("'z'-'a'=%d '9'-'0'=%d '\\n'=%d '\\0'=%d '\\x41'=%c '\\101'=%c\n", c - 'a', '9' - '0', '\n', '\0', '\x41', '\101');
        n = 'A' * 2 + 'b';
    }
    printf("n=%d sizeof('a')=%u\n", n, (unsigned)sizeof('a'));
    return vowels;
}
