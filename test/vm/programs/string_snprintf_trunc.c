/* snprintf truncation: always NUL-terminated, returns the length it would have written. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char buf[16];
    unsigned sizes[] = { 16, 10, 5, 2, 1 };
    int i, total = 0;
    for (i = 0; i < 5; i++) {
        int n;
        memset(buf, '@', sizeof buf);
        n = snprintf(buf, sizes[i], "value=%d/%s", 123456, "tail");
        printf("size %2u: n=%d buf=\"%s\" strlen=%u after=%c\n", sizes[i], n, buf, (unsigned)strlen(buf), sizes[i] < 16 ? buf[sizes[i]] : '-');
        total += n;
    }
    memset(buf, '@', sizeof buf);
    i = snprintf(buf, 0, "%s", "nothing written");
    printf("size 0: n=%d buf[0]=%c\n", i, buf[0]);
    i = snprintf(buf, sizeof buf, "%lld", -9223372036854775807LL - 1);
    printf("int64 min into 16: n=%d \"%s\"\n", i, buf);
    i = snprintf(buf, sizeof buf, "%.3f", 2.0 / 3.0);
    printf("double: n=%d \"%s\"\n", i, buf);
    return total % 100;
}
