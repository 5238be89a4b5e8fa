/* A reverse-Polish calculator over long long with an explicit stack and error reporting. */
#include <stdio.h>
#include <string.h>

static long long stack[32];
static int sp;

static int push(long long v)
{
    if (sp >= 32) return 0;
    stack[sp++] = v;
    return 1;
}

static int eval(const char *expr, long long *result)
{
    const char *p = expr;
    sp = 0;
    while (*p) {
        if (*p == ' ') {
            p++;
            continue;
        }
        if (*p >= '0' && *p <= '9') {
            long long v = 0;
            while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
            if (!push(v)) return -1;
            continue;
        }
        if (strchr("+-*/%^", *p)) {
            long long b, a;
            if (sp < 2) return -2;
            b = stack[--sp];
            a = stack[--sp];
            switch (*p) {
            case '+': a += b; break;
            case '-': a -= b; break;
            case '*': a *= b; break;
            case '/': if (b == 0) return -3; a /= b; break;
            case '%': if (b == 0) return -3; a %= b; break;
            case '^': {
                long long r = 1;
                while (b-- > 0) r *= a;
                a = r;
                break;
            }
            }
            push(a);
            p++;
            continue;
        }
        if (*p == 'd') { /* dup */
            if (sp < 1) return -2;
            push(stack[sp - 1]);
            p++;
            continue;
        }
        return -4;
    }
    if (sp != 1) return -5;
    *result = stack[0];
    return 0;
}

int main(void)
{
    const char *exprs[] = { "3 4 +", "5 1 2 + 4 * + 3 -", "2 10 ^", "7 d * d *", "100 7 %", "1 0 /", "+", "1 2", "2 62 ^ 1 - 2 * 1 +", "9 x" };
    int i, ok = 0;
    for (i = 0; i < 10; i++) {
        long long r = 0;
        int status = eval(exprs[i], &r);
        if (status == 0) {
            ok++;
            printf("%-22s = %lld\n", exprs[i], r);
        } else {
            printf("%-22s : error %d\n", exprs[i], status);
        }
    }
    return ok;
}
