/* 32-bit string hashes: FNV-1a, djb2, sdbm, Jenkins one-at-a-time (all unsigned wraparound). */
#include <stdio.h>

typedef unsigned int UINT32;

static UINT32 fnv1a(const char *s)
{
    UINT32 h = 2166136261u;
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 16777619u;
    }
    return h;
}

static UINT32 djb2(const char *s)
{
    UINT32 h = 5381;
    int c;
    while ((c = (unsigned char)*s++) != 0) h = ((h << 5) + h) + (UINT32)c;
    return h;
}

static UINT32 sdbm(const char *s)
{
    UINT32 h = 0;
    int c;
    while ((c = (unsigned char)*s++) != 0) h = (UINT32)c + (h << 6) + (h << 16) - h;
    return h;
}

static UINT32 oaat(const char *s)
{
    UINT32 h = 0;
    while (*s) {
        h += (unsigned char)*s++;
        h += h << 10;
        h ^= h >> 6;
    }
    h += h << 3;
    h ^= h >> 11;
    h += h << 15;
    return h;
}

int main(void)
{
    const char *words[] = { "", "a", "foobar", "IRP_MJ_DEVICE_CONTROL", "KeInsertQueueDpc", "\xff\xfe\x80", "The quick brown fox" };
    int i;
    UINT32 mix = 0;
    for (i = 0; i < 7; i++) {
        UINT32 a = fnv1a(words[i]), b = djb2(words[i]), c = sdbm(words[i]), d = oaat(words[i]);
        printf("%-24s %08x %08x %08x %08x\n", i == 5 ? "<high bytes>" : words[i], a, b, c, d);
        mix ^= a + b + c + d;
    }
    printf("mix=%u\n", mix);
    return (int)(mix % 101);
}
