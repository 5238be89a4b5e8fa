/* A mini formatter: a type string selects va_arg(int / long long / double / char* / unsigned). */
#include <stdio.h>
#include <stdarg.h>

static double describe(const char *types, ...)
{
    va_list ap;
    double total = 0;
    va_start(ap, types);
    for (; *types; types++) {
        switch (*types) {
        case 'i': {
            int v = va_arg(ap, int);
            printf("int:%d ", v);
            total += v;
            break;
        }
        case 'u': {
            unsigned v = va_arg(ap, unsigned);
            printf("uint:%u ", v);
            total += v;
            break;
        }
        case 'L': {
            long long v = va_arg(ap, long long);
            printf("i64:%lld ", v);
            total += (double)v;
            break;
        }
        case 'd': {
            double v = va_arg(ap, double);
            printf("dbl:%.3f ", v);
            total += v;
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            printf("str:%s ", s);
            while (*s++) total += 1;
            break;
        }
        case 'p': {
            int *p = va_arg(ap, int *);
            printf("ptr->%d ", *p);
            total += *p;
            break;
        }
        }
    }
    va_end(ap);
    printf("| total=%.3f\n", total);
    return total;
}

int main(void)
{
    int x = 17;
    double t = 0;
    t += describe("i", -5);
    t += describe("dLi", 2.5, 9000000000LL, 3);
    t += describe("sdsu", "abc", -0.125, "hello", 4000000000u);
    t += describe("LLLL", 1LL, -2LL, 4294967296LL, -9223372036854775807LL);
    t += describe("pidsp", &x, 1, 0.5, "q", &x);
    t += describe("");
    printf("grand=%.3f\n", t);
    return x;
}
