/* strcmp / strncmp / memcmp: only the sign of the result is portable, so print the sign. */
#include <stdio.h>
#include <string.h>

static int sgn(int v) { return (v > 0) - (v < 0); }

int main(void)
{
    const char *pairs[][2] = { { "abc", "abc" }, { "abc", "abd" }, { "abd", "abc" }, { "ab", "abc" }, { "abc", "ab" }, { "", "" },
                               { "", "a" }, { "A", "a" }, { "\x80", "\x7f" }, { "zeta", "alpha" }, { "same-prefix-1", "same-prefix-2" } };
    int i, score = 0;
    for (i = 0; i < 11; i++) {
        int c = sgn(strcmp(pairs[i][0], pairs[i][1]));
        int n3 = sgn(strncmp(pairs[i][0], pairs[i][1], 3));
        int n0 = sgn(strncmp(pairs[i][0], pairs[i][1], 0));
        printf("\"%s\" vs \"%s\": strcmp %2d strncmp3 %2d strncmp0 %d\n", i == 8 ? "<80>" : pairs[i][0], i == 8 ? "<7f>" : pairs[i][1], c, n3, n0);
        score += c * (i + 1) + n3;
    }
    {
        unsigned char a[4] = { 1, 2, 0, 4 }, b[4] = { 1, 2, 0, 5 }, c[4] = { 1, 2, 0, 4 };
        unsigned char hi[1] = { 0xFF }, lo[1] = { 0x01 };
        printf("memcmp a,b,4=%d a,b,3=%d a,c,4=%d hi,lo=%d (unsigned bytes)\n", sgn(memcmp(a, b, 4)), sgn(memcmp(a, b, 3)), sgn(memcmp(a, c, 4)),
               sgn(memcmp(hi, lo, 1)));
        printf("strcmp stops at NUL: %d\n", sgn(strcmp((const char *)a, (const char *)b)));
    }
    printf("score=%d\n", score);
    return score < 0 ? -score : score;
}
