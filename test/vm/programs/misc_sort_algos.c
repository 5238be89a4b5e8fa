/* Hand-written sorts (insertion, merge, heap, quick) on the same pseudo-random data; all must agree. */
#include <stdio.h>
#include <string.h>

#define N 200

static void insertion(int *a, int n)
{
    int i, j;
    for (i = 1; i < n; i++) {
        int k = a[i];
        for (j = i - 1; j >= 0 && a[j] > k; j--) a[j + 1] = a[j];
        a[j + 1] = k;
    }
}

static int tmp[N];
static void merge_sort(int *a, int lo, int hi)
{
    int mid, i, j, k;
    if (hi - lo < 2) return;
    mid = (lo + hi) / 2;
    merge_sort(a, lo, mid);
    merge_sort(a, mid, hi);
    for (i = lo, j = mid, k = lo; k < hi; k++) tmp[k] = (j >= hi || (i < mid && a[i] <= a[j])) ? a[i++] : a[j++];
    memcpy(a + lo, tmp + lo, (unsigned)(hi - lo) * sizeof(int));
}

static void sift(int *a, int i, int n)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i, t;
        if (l < n && a[l] > a[m]) m = l;
        if (r < n && a[r] > a[m]) m = r;
        if (m == i) return;
        t = a[i]; a[i] = a[m]; a[m] = t;
        i = m;
    }
}
static void heap_sort(int *a, int n)
{
    int i, t;
    for (i = n / 2 - 1; i >= 0; i--) sift(a, i, n);
    for (i = n - 1; i > 0; i--) {
        t = a[0]; a[0] = a[i]; a[i] = t;
        sift(a, 0, i);
    }
}

static void quick(int *a, int lo, int hi)
{
    int i = lo, j = hi, pivot = a[lo + (hi - lo) / 2];
    while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) {
            int t = a[i]; a[i] = a[j]; a[j] = t;
            i++;
            j--;
        }
    }
    if (lo < j) quick(a, lo, j);
    if (i < hi) quick(a, i, hi);
}

int main(void)
{
    int src[N], a[N], b[N], c[N], d[N], i, agree = 1;
    unsigned x = 12345;
    long long checksum = 0;
    for (i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        src[i] = (int)(x % 2001u) - 1000;
    }
    memcpy(a, src, sizeof src);
    memcpy(b, src, sizeof src);
    memcpy(c, src, sizeof src);
    memcpy(d, src, sizeof src);
    insertion(a, N);
    merge_sort(b, 0, N);
    heap_sort(c, N);
    quick(d, 0, N - 1);
    for (i = 0; i < N; i++) {
        if (a[i] != b[i] || b[i] != c[i] || c[i] != d[i]) agree = 0;
        checksum = checksum * 31 + a[i];
        checksum %= 1000000007LL;
    }
    printf("min=%d max=%d median=%d agree=%d checksum=%lld\n", a[0], a[N - 1], a[N / 2], agree, checksum);
    for (i = 0; i < N; i += 25) printf("%d ", a[i]);
    printf("\n");
    return agree ? (int)((checksum % 100 + 100) % 100) : 1;
}
