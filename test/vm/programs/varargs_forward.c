/* Forwarding a va_list through several layers down to vprintf / vsnprintf. */
#include <stdio.h>
#include <stdarg.h>

static int depth_total;

static int level3(const char *fmt, va_list ap)
{
    char buf[128];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    printf("L3[%s]\n", buf);
    return n;
}

static int level2(int depth, const char *fmt, va_list ap)
{
    depth_total += depth;
    return level3(fmt, ap);
}

static int level1(const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = level2(2, fmt, ap);
    va_end(ap);
    return n;
}

static int direct(const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int main(void)
{
    int total = 0;
    total += level1("%s=%d", "answer", 42);
    total += level1("%lld|%llu|%llx", -1LL, 18446744073709551615ULL, 0xABCULL);
    total += level1("%5.1f|%-6s|%c", 3.14159, "ok", '!');
    total += direct("direct %d %s\n", 7, "eight");
    total += direct("no args\n");
    printf("total=%d depth=%d\n", total, depth_total);
    return total % 100;
}
