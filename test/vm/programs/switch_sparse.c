/* A sparse switch with large, negative and unsigned-looking case values (NTSTATUS codes). */
#include <stdio.h>

typedef int NTSTATUS;
#define STATUS_SUCCESS ((NTSTATUS)0x00000000)
#define STATUS_PENDING ((NTSTATUS)0x00000103)
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009A)
#define STATUS_CANCELLED ((NTSTATUS)0xC0000120)

static const char *status_name(NTSTATUS s)
{
    switch (s) {
    case STATUS_SUCCESS: return "SUCCESS";
    case STATUS_PENDING: return "PENDING";
    case STATUS_BUFFER_OVERFLOW: return "BUFFER_OVERFLOW";
    case STATUS_UNSUCCESSFUL: return "UNSUCCESSFUL";
    case STATUS_INVALID_PARAMETER: return "INVALID_PARAMETER";
    case STATUS_INSUFFICIENT_RESOURCES: return "INSUFFICIENT_RESOURCES";
    case STATUS_CANCELLED: return "CANCELLED";
    case -1: return "minus one";
    case 1000000: return "a million";
    default: return "unknown";
    }
}

int main(void)
{
    NTSTATUS codes[] = { 0, 0x103, (NTSTATUS)0x80000005, (NTSTATUS)0xC0000001, (NTSTATUS)0xC000000D, (NTSTATUS)0xC000009A,
                         (NTSTATUS)0xC0000120, -1, 1000000, 42, (NTSTATUS)0xC0000002 };
    int i, known = 0;
    for (i = 0; i < 11; i++) {
        const char *n = status_name(codes[i]);
        printf("%08x (%d) %s\n", (unsigned)codes[i], codes[i], n);
        if (n[0] != 'u') known++;
    }
    {
        unsigned long long big = 0x100000000ULL;
        switch (big) {
        case 0: printf("zero\n"); break;
        case 0x100000000ULL: printf("2^32 matched as 64-bit\n"); break;
        default: printf("default\n");
        }
    }
    return known;
}
