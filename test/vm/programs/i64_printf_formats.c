/* printf of long long values: %lld %llu %llx %llX %llo with widths, precision and flags. */
#include <stdio.h>

int main(void)
{
    long long v[] = { 0, 1, -1, 1234567890123LL, -1234567890123LL, 9223372036854775807LL, -9223372036854775807LL - 1 };
    unsigned long long u[] = { 0, 255, 0xFFFFFFFFULL, 0x100000000ULL, 0xFFFFFFFFFFFFFFFFULL };
    int i;
    for (i = 0; i < 7; i++) printf("[%lld] [%25lld] [%-22lld] [%+lld] [% lld] [%022lld] [%.15lld]\n", v[i], v[i], v[i], v[i], v[i], v[i], v[i]);
    for (i = 0; i < 5; i++) printf("[%llu] [%llx] [%llX] [%#llx] [%llo] [%#llo] [%20llu] [%-18llx|] [%016llx]\n", u[i], u[i], u[i], u[i], u[i], u[i], u[i], u[i], u[i]);
    printf("[%*lld] [%-*lld] [%.*lld]\n", 8, 42LL, 8, -42LL, 5, 7LL);
    printf("[%.0lld] [%.0llu]\n", 0LL, 0ULL);
    return i * 2;
}
