/* Overflow-safe arithmetic: detect overflow before it happens, saturate to the limits. */
#include <stdio.h>
#include <limits.h>

static int sat_add(int a, int b)
{
    if (b > 0 && a > INT_MAX - b) return INT_MAX;
    if (b < 0 && a < INT_MIN - b) return INT_MIN;
    return a + b;
}

static int sat_sub(int a, int b)
{
    if (b < 0 && a > INT_MAX + b) return INT_MAX;
    if (b > 0 && a < INT_MIN + b) return INT_MIN;
    return a - b;
}

static int sat_mul(int a, int b)
{
    long long p = (long long)a * b;
    if (p > INT_MAX) return INT_MAX;
    if (p < INT_MIN) return INT_MIN;
    return (int)p;
}

static unsigned usat_add(unsigned a, unsigned b)
{
    unsigned s = a + b;
    return s < a ? UINT_MAX : s;
}

static unsigned char sat_u8(int v) { return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v); }

int main(void)
{
    int vals[] = { 0, 1, -1, 1000, -1000, INT_MAX, INT_MIN, INT_MAX / 2, INT_MIN / 2 + 1 };
    int i, j, n = (int)(sizeof vals / sizeof vals[0]), saturated = 0;
    for (i = 0; i < n; i++) {
        for (j = 0; j < n; j++) {
            int a = sat_add(vals[i], vals[j]);
            int s = sat_sub(vals[i], vals[j]);
            int m = sat_mul(vals[i], vals[j]);
            if (a == INT_MAX || a == INT_MIN) saturated++;
            if (s == INT_MAX || s == INT_MIN) saturated++;
            if (m == INT_MAX || m == INT_MIN) saturated++;
            if (j == i || j == n - 1 - i) printf("%d,%d: add=%d sub=%d mul=%d\n", vals[i], vals[j], a, s, m);
        }
    }
    printf("usat: %u %u %u\n", usat_add(1u, 2u), usat_add(UINT_MAX, 1u), usat_add(0x80000000u, 0x80000000u));
    printf("u8: %u %u %u %u\n", (unsigned)sat_u8(-5), (unsigned)sat_u8(17), (unsigned)sat_u8(255), (unsigned)sat_u8(256));
    printf("saturated=%d\n", saturated);
    return saturated;
}
