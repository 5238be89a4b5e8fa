/* Hand-written string routines: reverse in place, palindrome check, trim, to-upper, word count. */
#include <stdio.h>
#include <string.h>

static void reverse(char *s)
{
    char *e = s + strlen(s);
    while (s < e && s < --e) {
        char t = *s;
        *s++ = *e;
        *e = t;
    }
}

static int is_palindrome(const char *s)
{
    const char *e = s + strlen(s) - 1;
    while (s < e) {
        while (s < e && (*s == ' ' || *s == ',')) s++;
        while (s < e && (*e == ' ' || *e == ',')) e--;
        if ((*s | 0x20) != (*e | 0x20)) return 0;
        s++;
        e--;
    }
    return 1;
}

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t') s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n')) *--e = '\0';
    return s;
}

static int words(const char *s)
{
    int n = 0, in = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t') in = 0;
        else if (!in) {
            in = 1;
            n++;
        }
    }
    return n;
}

int main(void)
{
    char a[] = "kernel", b[] = "", c[] = "x", d[] = "ab";
    char t[] = "  \t padded text \t\n";
    const char *pals[] = { "racecar", "A man, a plan, a canal, Panama", "kdsim", "Never odd or even", "" };
    int i, n = 0;
    reverse(a);
    reverse(b);
    reverse(c);
    reverse(d);
    printf("%s|%s|%s|%s\n", a, b, c, d);
    for (i = 0; i < 5; i++) {
        int p = is_palindrome(pals[i]);
        n += p;
        printf("\"%s\": %s\n", pals[i], p ? "palindrome" : "no");
    }
    printf("[%s]\n", trim(t));
    printf("words=%d %d %d\n", words("one two  three"), words("   "), words("a\tb c"));
    return n * 10 + words("the quick brown fox");
}
