/* sprintf into buffers: return values, chained writes with offsets, building tables. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char buf[256];
    int n, off = 0, i;
    n = sprintf(buf, "%d-%u-%x-%s-%c", -42, 42u, 255u, "str", 'Z');
    printf("%s (n=%d)\n", buf, n);
    for (i = 0; i < 5; i++) off += sprintf(buf + off, "[%02d:%3s]", i * 7, i % 2 ? "odd" : "ev");
    printf("%s (off=%d strlen=%u)\n", buf, off, (unsigned)strlen(buf));
    n = sprintf(buf, "%s", "");
    printf("empty n=%d buf[0]=%d\n", n, buf[0]);
    n = sprintf(buf, "%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o", 42, 42, 42, 42, 42, 3054u, 3054u, 3054u, 8u, 8u);
    printf("%s (n=%d)\n", buf, n);
    n = sprintf(buf, "%.3s|%10.2s|%-6.4s|", "abcdef", "xyz", "kdsimulator");
    printf("%s (n=%d)\n", buf, n);
    n = sprintf(buf, "%%|%c%c%c|%5c|%-3c|", 'a', 'b', 'c', 'R', 'L');
    printf("%s (n=%d)\n", buf, n);
    n = sprintf(buf, "%d %d %d", -2147483647 - 1, 2147483647, 0);
    printf("%s (n=%d)\n", buf, n);
    n = sprintf(buf, "%u %x %o", 4294967295u, 4294967295u, 4294967295u);
    printf("%s (n=%d)\n", buf, n);
    n = sprintf(buf, "%hd %hu %hhd %hhu", (short)-1, (unsigned short)65535, (signed char)-1, (unsigned char)255);
    printf("%s (n=%d)\n", buf, n);
    return n;
}
