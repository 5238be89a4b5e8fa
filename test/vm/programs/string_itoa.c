/* Hand-written integer-to-string in bases 2..36, with sign, compared against sprintf output. */
#include <stdio.h>
#include <string.h>

static char *utoa_base(unsigned long long v, char *buf, int base)
{
    char tmp[70];
    int n = 0, i;
    do {
        int d = (int)(v % (unsigned)base);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= (unsigned)base;
    } while (v);
    for (i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

static char *itoa_base(long long v, char *buf, int base)
{
    if (v < 0) {
        buf[0] = '-';
        utoa_base(0ULL - (unsigned long long)v, buf + 1, base);
        return buf;
    }
    return utoa_base((unsigned long long)v, buf, base);
}

int main(void)
{
    long long vals[] = { 0, 7, -7, 255, 1000000, -2147483647LL - 1, 9223372036854775807LL, -9223372036854775807LL - 1 };
    int bases[] = { 2, 8, 10, 16, 36 };
    char mine[80], ref[80];
    int i, j, mismatches = 0;
    for (i = 0; i < 8; i++) {
        for (j = 0; j < 5; j++) printf("%s ", itoa_base(vals[i], mine, bases[j]));
        printf("\n");
        itoa_base(vals[i], mine, 10);
        sprintf(ref, "%lld", vals[i]);
        if (strcmp(mine, ref) != 0) mismatches++;
        if (vals[i] >= 0) {
            utoa_base((unsigned long long)vals[i], mine, 16);
            sprintf(ref, "%llx", (unsigned long long)vals[i]);
            if (strcmp(mine, ref) != 0) mismatches++;
        }
    }
    printf("max u64 base 2: %s\n", utoa_base(18446744073709551615ULL, mine, 2));
    printf("mismatches=%d\n", mismatches);
    return mismatches == 0 ? 36 : 1;
}
