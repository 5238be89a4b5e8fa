/* Table-driven CRC-32 (reflected, poly 0xEDB88320) and Adler-32. */
#include <stdio.h>
#include <string.h>

static unsigned table[256];

static void make_table(void)
{
    unsigned i;
    for (i = 0; i < 256; i++) {
        unsigned c = i;
        int k;
        for (k = 0; k < 8; k++) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static unsigned crc32(const unsigned char *p, unsigned n)
{
    unsigned c = 0xFFFFFFFFu;
    while (n--) c = table[(c ^ *p++) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static unsigned adler32(const unsigned char *p, unsigned n)
{
    unsigned a = 1, b = 0;
    while (n--) {
        a = (a + *p++) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

int main(void)
{
    const char *msg = "123456789";
    unsigned char buf[300];
    unsigned i;

    make_table();
    printf("table[1]=%08x table[255]=%08x\n", table[1], table[255]);
    printf("crc32(\"%s\")=%08x\n", msg, crc32((const unsigned char *)msg, (unsigned)strlen(msg)));
    printf("adler32(\"%s\")=%08x\n", msg, adler32((const unsigned char *)msg, (unsigned)strlen(msg)));
    for (i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 7 + 3);
    printf("crc32(buf)=%08x adler32(buf)=%08x\n", crc32(buf, sizeof buf), adler32(buf, sizeof buf));
    printf("crc32(empty)=%08x\n", crc32(buf, 0));
    return (int)(crc32(buf, 16) & 0x3F);
}
