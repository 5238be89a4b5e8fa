/* Small recursive helpers: fast power, gcd, binary search, sum of digits, palindromes, binomials. */
#include <stdio.h>

static long long power(long long b, int e)
{
    long long h;
    if (e == 0) return 1;
    h = power(b, e / 2);
    return (e % 2) ? h * h * b : h * h;
}
static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
static int bsearch_rec(const int *a, int lo, int hi, int key)
{
    int mid;
    if (lo > hi) return -1;
    mid = lo + (hi - lo) / 2;
    if (a[mid] == key) return mid;
    return a[mid] < key ? bsearch_rec(a, mid + 1, hi, key) : bsearch_rec(a, lo, mid - 1, key);
}
static int digit_sum(unsigned n) { return n < 10 ? (int)n : (int)(n % 10) + digit_sum(n / 10); }
static int is_pal(const char *s, int i, int j) { return i >= j ? 1 : (s[i] == s[j] && is_pal(s, i + 1, j - 1)); }
static int binom(int n, int k) { return (k == 0 || k == n) ? 1 : binom(n - 1, k - 1) + binom(n - 1, k); }

int main(void)
{
    int sorted[12] = { -9, -4, 0, 3, 8, 15, 16, 23, 42, 57, 81, 99 };
    int i, found = 0;
    printf("3^20=%lld 2^62=%lld (-3)^15=%lld 7^0=%lld\n", power(3, 20), power(2, 62), power(-3, 15), power(7, 0));
    printf("gcd(462,1071)=%d gcd(17,0)=%d\n", gcd(462, 1071), gcd(17, 0));
    for (i = -10; i <= 100; i += 11) {
        int idx = bsearch_rec(sorted, 0, 11, i);
        if (idx >= 0) found++;
        printf("%d->%d ", i, idx);
    }
    printf("\ndigit_sum(4294967295)=%d\n", digit_sum(4294967295u));
    printf("racecar=%d abca=%d a=%d abba=%d\n", is_pal("racecar", 0, 6), is_pal("abca", 0, 3), is_pal("a", 0, 0), is_pal("abba", 0, 3));
    for (i = 0; i <= 10; i++) printf("%d ", binom(10, i));
    printf("\n");
    return binom(10, 3) % 100 + found;
}
