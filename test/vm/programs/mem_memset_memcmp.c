/* memset with byte values (only the low byte of the int counts) and memcmp-based checks. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    unsigned char a[64], b[64];
    unsigned int words[4];
    int i, diffs = 0;
    memset(a, 0xAB, sizeof a);
    memset(b, 0x1AB, sizeof b); /* converted to unsigned char: 0xAB */
    printf("memcmp equal: %d\n", memcmp(a, b, sizeof a) == 0);
    memset(a + 10, 0, 5);
    for (i = 0; i < 64; i++) diffs += a[i] != b[i];
    printf("diffs=%d a[9]=%02x a[10]=%02x a[14]=%02x a[15]=%02x\n", diffs, (unsigned)a[9], (unsigned)a[10], (unsigned)a[14], (unsigned)a[15]);
    memset(words, 0xFF, sizeof words);
    printf("words[0]=%08x\n", words[0]);
    memset(words, 0x01, sizeof words);
    printf("words[3]=%08x\n", words[3]);
    memset(words, -1, 2);
    printf("words[0]=%08x\n", words[0]);
    {
        unsigned char x[5] = { 1, 2, 3, 4, 5 }, y[5] = { 1, 2, 3, 4, 6 };
        int r = memcmp(x, y, 5);
        int r4 = memcmp(x, y, 4);
        printf("memcmp5 %s memcmp4 %s\n", r < 0 ? "<" : r > 0 ? ">" : "=", r4 < 0 ? "<" : r4 > 0 ? ">" : "=");
        void *ret = memset(x, 'z', 5);
        printf("memset returns dest: %d x[4]=%c\n", ret == (void *)x, x[4]);
    }
    return diffs;
}
