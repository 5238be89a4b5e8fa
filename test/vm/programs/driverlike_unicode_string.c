/* UNICODE_STRING handling with a 16-bit WCHAR typedef: init, append, compare case-insensitively, prefix test. */
#include <stdio.h>

typedef unsigned short WCHAR;
typedef unsigned short USHORT;
typedef int NTSTATUS;
#define STATUS_SUCCESS 0
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)

typedef struct _UNICODE_STRING { USHORT Length; USHORT MaximumLength; WCHAR *Buffer; } UNICODE_STRING; /* lengths in bytes */

static void init_from_ascii(UNICODE_STRING *u, WCHAR *storage, USHORT max_chars, const char *s)
{
    USHORT n = 0;
    while (s[n] && n < max_chars) {
        storage[n] = (WCHAR)(unsigned char)s[n];
        n++;
    }
    u->Buffer = storage;
    u->Length = (USHORT)(n * sizeof(WCHAR));
    u->MaximumLength = (USHORT)(max_chars * sizeof(WCHAR));
}

static NTSTATUS append(UNICODE_STRING *dst, const UNICODE_STRING *src)
{
    USHORT i;
    if (dst->Length + src->Length > dst->MaximumLength) return STATUS_BUFFER_TOO_SMALL;
    for (i = 0; i < src->Length / sizeof(WCHAR); i++) dst->Buffer[dst->Length / sizeof(WCHAR) + i] = src->Buffer[i];
    dst->Length = (USHORT)(dst->Length + src->Length);
    return STATUS_SUCCESS;
}

static WCHAR upcase(WCHAR c) { return (c >= 'a' && c <= 'z') ? (WCHAR)(c - 32) : c; }

static int compare(const UNICODE_STRING *a, const UNICODE_STRING *b, int ignore_case)
{
    USHORT na = (USHORT)(a->Length / 2), nb = (USHORT)(b->Length / 2), i;
    for (i = 0; i < na && i < nb; i++) {
        WCHAR x = ignore_case ? upcase(a->Buffer[i]) : a->Buffer[i];
        WCHAR y = ignore_case ? upcase(b->Buffer[i]) : b->Buffer[i];
        if (x != y) return x < y ? -1 : 1;
    }
    return na == nb ? 0 : (na < nb ? -1 : 1);
}

static int prefix(const UNICODE_STRING *p, const UNICODE_STRING *s)
{
    UNICODE_STRING head = *s;
    if (p->Length > s->Length) return 0;
    head.Length = p->Length;
    return compare(p, &head, 1) == 0;
}

static void print(const char *label, const UNICODE_STRING *u)
{
    USHORT i;
    printf("%s: len=%u max=%u \"", label, (unsigned)u->Length, (unsigned)u->MaximumLength);
    for (i = 0; i < u->Length / 2; i++) putchar((char)u->Buffer[i]);
    printf("\"\n");
}

int main(void)
{
    WCHAR b1[64], b2[16], b3[16], b4[8];
    UNICODE_STRING path, name, other, tiny;
    NTSTATUS s;
    init_from_ascii(&path, b1, 64, "\\Device\\");
    init_from_ascii(&name, b2, 16, "KdsimPort0");
    init_from_ascii(&other, b3, 16, "\\DEVICE\\kdsimport0");
    init_from_ascii(&tiny, b4, 4, "abcdefgh");
    print("path", &path);
    print("tiny", &tiny);
    s = append(&path, &name);
    printf("append status=%08x\n", (unsigned)s);
    print("path", &path);
    s = append(&tiny, &name);
    printf("append to tiny status=%08x\n", (unsigned)s);
    printf("compare exact=%d ignore-case=%d\n", compare(&path, &other, 0), compare(&path, &other, 1));
    init_from_ascii(&other, b3, 16, "\\device");
    printf("prefix=%d reverse prefix=%d\n", prefix(&other, &path), prefix(&path, &other));
    printf("sizeof(UNICODE_STRING)=%u\n", (unsigned)sizeof(UNICODE_STRING));
    return path.Length;
}
