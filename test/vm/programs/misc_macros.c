/* Preprocessor: stringizing, token pasting, variadic macros, do/while(0), conditional compilation. */
#include <stdio.h>

#define STR(x) #x
#define XSTR(x) STR(x)
#define CAT(a, b) a##b
#define VERSION_MAJOR 3
#define VERSION_MINOR 14
#define VERSION XSTR(VERSION_MAJOR) "." XSTR(VERSION_MINOR)
#define SQUARE(x) ((x) * (x))
#define BAD_SQUARE(x) x * x
#define SWAP(T, a, b) do { T tmp_ = (a); (a) = (b); (b) = tmp_; } while (0)
#define LOG(fmt, ...) printf("[log] " fmt "\n", __VA_ARGS__)
#define COUNT_ARGS(...) COUNT_IMPL(__VA_ARGS__, 5, 4, 3, 2, 1)
#define COUNT_IMPL(a, b, c, d, e, N, ...) N
#define FIELD(n) int CAT(field_, n);
#define IS_ENABLED(x) ((x) + 0)

struct S { FIELD(1) FIELD(2) FIELD(3) };

#if defined(VERSION_MAJOR) && VERSION_MAJOR >= 3
#define FEATURE "new"
#else
#define FEATURE "old"
#endif

#ifdef NOT_DEFINED_ANYWHERE
#error "must not happen"
#endif

int main(void)
{
    int a = 3, b = 7, CAT(var, 42) = 99;
    struct S s = { 1, 2, 3 };
    printf("version=%s feature=%s\n", VERSION, FEATURE);
    printf("STR(a + b)=%s XSTR(VERSION_MINOR)=%s\n", STR(a + b), XSTR(VERSION_MINOR));
    printf("SQUARE(a+1)=%d BAD_SQUARE(a+1)=%d\n", SQUARE(a + 1), BAD_SQUARE(a + 1));
    SWAP(int, a, b);
    printf("after SWAP a=%d b=%d var42=%d\n", a, b, var42);
    LOG("%d + %d = %d", a, b, a + b);
    LOG("%s", "single");
    printf("COUNT_ARGS: %d %d %d\n", COUNT_ARGS(x), COUNT_ARGS(x, y, z), COUNT_ARGS(1, 2, 3, 4, 5));
    printf("fields %d %d %d\n", s.field_1, s.field_2, s.field_3);
    printf("__LINE__=%d IS_ENABLED(1)=%d\n", __LINE__, IS_ENABLED(1));
    if (a > b) SWAP(int, a, b);
    else printf("no swap needed\n");
    return SQUARE(b) - a;
}
