/* A logging helper over vsnprintf: prefixing, truncation, and return value (would-be length). */
#include <stdio.h>
#include <stdarg.h>

static char log_buffer[40];
static int log_line(int level, const char *fmt, ...)
{
    static const char *const levels[] = { "ERR", "WRN", "INF" };
    va_list ap;
    int prefix, n;
    prefix = snprintf(log_buffer, sizeof log_buffer, "[%s] ", levels[level]);
    va_start(ap, fmt);
    n = vsnprintf(log_buffer + prefix, sizeof log_buffer - (unsigned)prefix, fmt, ap);
    va_end(ap);
    printf("%-40s| want=%d len=%d\n", log_buffer, prefix + n, prefix + (n < (int)sizeof log_buffer - prefix ? n : (int)sizeof log_buffer - prefix - 1));
    return n;
}

int main(void)
{
    int total = 0;
    total += log_line(2, "started %d devices", 3);
    total += log_line(1, "irql %u too high for %s", 2u, "KeWaitForSingleObject");
    total += log_line(0, "status %08x at %lld", 0xC0000005u, 123456789012LL);
    total += log_line(2, "%s", "");
    total += log_line(2, "pi~%.4f e~%g", 3.14159265, 2.718281828);
    {
        char small[5];
        int n = snprintf(small, sizeof small, "%d", 1234567);
        printf("small=%s n=%d\n", small, n);
        n = snprintf(NULL, 0, "%s-%d", "count", 42);
        printf("measure only: %d\n", n);
    }
    return total % 100;
}
