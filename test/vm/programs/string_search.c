/* strchr, strrchr, strstr: positions via pointer differences, NULL results, searching for '\0'. */
#include <stdio.h>
#include <string.h>

static int pos(const char *base, const char *p) { return p ? (int)(p - base) : -1; }

int main(void)
{
    const char *s = "\\Device\\Harddisk0\\Partition1";
    const char *hay = "the cat sat on the mat with the hat";
    const char *needles[] = { "the", "at", "hat", "mat with", "dog", "", "t" };
    const char *p;
    int i, count = 0;
    printf("strchr '\\\\'=%d strrchr '\\\\'=%d strchr 'z'=%d strchr NUL=%d\n", pos(s, strchr(s, '\\')), pos(s, strrchr(s, '\\')), pos(s, strchr(s, 'z')),
           pos(s, strchr(s, '\0')));
    printf("last component: %s\n", strrchr(s, '\\') + 1);
    for (i = 0; i < 7; i++) printf("strstr(\"%s\")=%d\n", needles[i], pos(hay, strstr(hay, needles[i])));
    for (p = strstr(hay, "at"); p; p = strstr(p + 1, "at")) count++;
    printf("occurrences of \"at\": %d\n", count);
    {
        char path[64];
        char *dot, *slash;
        strcpy(path, "C:\\drivers\\kdsim.sys.bak");
        dot = strrchr(path, '.');
        slash = strrchr(path, '\\');
        if (dot) *dot = '\0';
        printf("stem=%s file=%s\n", path, slash + 1);
        printf("first 'a' at %d, last 'a' at %d\n", pos(hay, strchr(hay, 'a')), pos(hay, strrchr(hay, 'a')));
    }
    return count;
}
