/* Naive doubly recursive Fibonacci, memoized Fibonacci, and a call counter. */
#include <stdio.h>

static int calls;
static int fib(int n)
{
    calls++;
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static long long memo[91];
static long long fib_memo(int n)
{
    if (n < 2) return n;
    if (memo[n]) return memo[n];
    return memo[n] = fib_memo(n - 1) + fib_memo(n - 2);
}

int main(void)
{
    int n;
    for (n = 0; n <= 18; n += 3) {
        calls = 0;
        printf("fib(%d)=%d calls=%d\n", n, fib(n), calls);
    }
    printf("fib_memo(90)=%lld\n", fib_memo(90));
    calls = 0;
    return fib(10) % 100;
}
