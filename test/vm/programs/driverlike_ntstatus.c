/* NTSTATUS decoding: severity, customer bit, facility, code; NT_SUCCESS/NT_ERROR macros; HRESULT_FROM_NT. */
#include <stdio.h>

typedef int NTSTATUS;
typedef unsigned int ULONG;
#define NT_SUCCESS(s) (((NTSTATUS)(s)) >= 0)
#define NT_INFORMATION(s) ((((ULONG)(s)) >> 30) == 1)
#define NT_WARNING(s) ((((ULONG)(s)) >> 30) == 2)
#define NT_ERROR(s) ((((ULONG)(s)) >> 30) == 3)
#define FACILITY_NT_BIT 0x10000000
#define HRESULT_FROM_NT(x) ((int)((x) | FACILITY_NT_BIT))

int main(void)
{
    static const struct { NTSTATUS code; const char *name; } table[] = {
        { (NTSTATUS)0x00000000, "STATUS_SUCCESS" },
        { (NTSTATUS)0x00000103, "STATUS_PENDING" },
        { (NTSTATUS)0x40000000, "STATUS_OBJECT_NAME_EXISTS" },
        { (NTSTATUS)0x80000005, "STATUS_BUFFER_OVERFLOW" },
        { (NTSTATUS)0x8000001A, "STATUS_NO_MORE_ENTRIES" },
        { (NTSTATUS)0xC0000005, "STATUS_ACCESS_VIOLATION" },
        { (NTSTATUS)0xC000009A, "STATUS_INSUFFICIENT_RESOURCES" },
        { (NTSTATUS)0xC0000120, "STATUS_CANCELLED" },
        { (NTSTATUS)0xE0000001, "customer error" },
    };
    int i, ok = 0, errors = 0;
    for (i = 0; i < 9; i++) {
        NTSTATUS s = table[i].code;
        ULONG u = (ULONG)s;
        printf("%-30s %08x sev=%u cust=%u fac=%03x code=%04x success=%d info=%d warn=%d err=%d hr=%08x signed=%d\n", table[i].name, u, u >> 30,
               (u >> 29) & 1u, (u >> 16) & 0xFFFu, u & 0xFFFFu, NT_SUCCESS(s), NT_INFORMATION(s), NT_WARNING(s), NT_ERROR(s),
               (ULONG)HRESULT_FROM_NT(u), s);
        ok += NT_SUCCESS(s);
        errors += NT_ERROR(s);
    }
    return ok * 10 + errors;
}
