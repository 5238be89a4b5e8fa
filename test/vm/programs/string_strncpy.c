/* strncpy pads with NULs and does not terminate when the source is too long; strncat always terminates. */
#include <stdio.h>
#include <string.h>

static void dump(const char *tag, const char *b, int n)
{
    int i;
    printf("%-10s:", tag);
    for (i = 0; i < n; i++) {
        if (b[i] == '\0') printf(" \\0");
        else printf(" %c", b[i]);
    }
    printf("\n");
}

int main(void)
{
    char buf[10];
    char *r;
    memset(buf, '#', sizeof buf);
    r = strncpy(buf, "abc", 6);
    dump("pad", buf, 10);
    printf("ret==buf %d\n", r == buf);
    memset(buf, '#', sizeof buf);
    strncpy(buf, "abcdefgh", 5);
    dump("truncate", buf, 10);
    memset(buf, '#', sizeof buf);
    strncpy(buf, "", 4);
    dump("empty", buf, 10);
    memset(buf, '#', sizeof buf);
    strncpy(buf, "xyz", 0);
    dump("zero", buf, 10);
    strcpy(buf, "ab");
    strncat(buf, "cdefghijk", 4);
    dump("strncat", buf, 10);
    strncat(buf, "ZZ", 10);
    dump("strncat2", buf, 10);
    {
        char name[8];
        strncpy(name, "KdsimDriver", sizeof name - 1);
        name[sizeof name - 1] = '\0';
        printf("safe copy: %s (%u)\n", name, (unsigned)strlen(name));
        return (int)strlen(buf);
    }
}
