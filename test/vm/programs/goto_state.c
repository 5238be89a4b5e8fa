/* A parser state machine built from labels and gotos (number/word/space classifier). */
#include <stdio.h>

int main(void)
{
    const char *text = "  12 apples and 7 pears, 300 plums!  x9 42";
    const char *p = text;
    int words = 0, numbers = 0, sum = 0, cur = 0;

space:
    if (*p == '\0') goto end;
    if (*p >= '0' && *p <= '9') {
        cur = 0;
        goto number;
    }
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) goto word;
    p++;
    goto space;

number:
    if (*p >= '0' && *p <= '9') {
        cur = cur * 10 + (*p - '0');
        p++;
        goto number;
    }
    numbers++;
    sum += cur;
    printf("number %d\n", cur);
    goto space;

word:
    words++;
    printf("word starting '%c'\n", *p);
word_rest:
    p++;
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) goto word_rest;
    goto space;

end:
    printf("words=%d numbers=%d sum=%d\n", words, numbers, sum);
    return words * 10 + numbers;
}
