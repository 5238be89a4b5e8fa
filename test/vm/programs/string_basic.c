/* strlen, strcpy, strcat, and the return values (dest pointers) of the copying functions. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char buf[64];
    char *r;
    const char *parts[] = { "Ke", "Insert", "Queue", "Dpc" };
    int i;
    unsigned total = 0;
    printf("strlen(\"\")=%u strlen(\"abc\")=%u strlen(\"a\\0b\")=%u\n", (unsigned)strlen(""), (unsigned)strlen("abc"), (unsigned)strlen("a\0b"));
    r = strcpy(buf, "start");
    printf("strcpy returned dest: %d buf=%s\n", r == buf, buf);
    buf[0] = '\0';
    for (i = 0; i < 4; i++) {
        r = strcat(buf, parts[i]);
        printf("after %d: %s (%u) ret==buf %d\n", i, buf, (unsigned)strlen(buf), r == buf);
        total += (unsigned)strlen(buf);
    }
    strcpy(buf + 2, "Remove");
    printf("overwrite tail: %s\n", buf);
    memmove(buf, buf + 2, strlen(buf + 2) + 1); /* overlapping: memmove, never strcpy */
    printf("shift left: %s\n", buf);
    {
        char a[8] = "abc", b[8];
        strcpy(b, a);
        b[1] = 'X';
        printf("a=%s b=%s sizeof a=%u strlen a=%u\n", a, b, (unsigned)sizeof a, (unsigned)strlen(a));
    }
    return (int)total;
}
