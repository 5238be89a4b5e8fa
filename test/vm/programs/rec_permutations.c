/* Recursive generation of permutations (swap method) and combinations, with counts. */
#include <stdio.h>

static int perm_count, comb_count;
static char shown[64];

static void permute(char *s, int k, int n)
{
    int i;
    if (k == n) {
        perm_count++;
        if (perm_count <= 8 || perm_count == 24) printf("perm %2d: %s\n", perm_count, s);
        return;
    }
    for (i = k; i < n; i++) {
        char t = s[k]; s[k] = s[i]; s[i] = t;
        permute(s, k + 1, n);
        t = s[k]; s[k] = s[i]; s[i] = t;
    }
}

static void combine(int start, int n, int k, int *chosen, int depth)
{
    int i;
    if (depth == k) {
        comb_count++;
        if (comb_count <= 5) {
            for (i = 0; i < k; i++) printf("%d", chosen[i]);
            printf(" ");
        }
        return;
    }
    for (i = start; i <= n - (k - depth); i++) {
        chosen[depth] = i;
        combine(i + 1, n, k, chosen, depth + 1);
    }
}

int main(void)
{
    char s[] = "abcd";
    int chosen[8];
    permute(s, 0, 4);
    printf("perms=%d s=%s\n", perm_count, s);
    combine(0, 8, 3, chosen, 0);
    printf("\nC(8,3)=%d\n", comb_count);
    comb_count = 0;
    combine(0, 10, 5, chosen, 0);
    printf("\nC(10,5)=%d\n", comb_count);
    (void)shown;
    return perm_count + comb_count % 50;
}
