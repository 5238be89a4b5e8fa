/* IEEE-754 bit patterns of float and double read through unions. */
#include <stdio.h>

typedef union { float f; unsigned int u; } FBITS;
typedef union { double d; unsigned long long u; } DBITS;

static void show_float(float f)
{
    FBITS b;
    b.f = f;
    printf("%-14.6g bits=%08x sign=%u exp=%3u mant=%06x\n", (double)f, b.u, b.u >> 31, (b.u >> 23) & 0xFFu, b.u & 0x7FFFFFu);
}

static void show_double(double d)
{
    DBITS b;
    b.d = d;
    printf("%-14.6g bits=%016llx exp=%4llu\n", d, b.u, (b.u >> 52) & 0x7FFULL);
}

int main(void)
{
    FBITS fb;
    DBITS db;
    show_float(1.0f);
    show_float(-2.0f);
    show_float(0.1f);
    show_float(0.0f);
    show_float(-0.0f);
    show_float(3.4028235e38f);
    show_float(1.17549435e-38f);
    show_float(1e-45f);
    show_double(1.0);
    show_double(0.1);
    show_double(-1e300);
    show_double(4.9e-324);
    fb.u = 0x40490FDBu;
    printf("0x40490FDB as float=%.7f\n", (double)fb.f);
    db.u = 0x3FF8000000000000ULL;
    printf("0x3FF8... as double=%f\n", db.d);
    fb.u = 0x7F800000u;
    printf("inf > 1e38: %d, inf == inf: %d\n", fb.f > 1e38f, fb.f == fb.f);
    fb.u = 0x7FC00000u;
    printf("nan == nan: %d, nan != nan: %d\n", fb.f == fb.f, fb.f != fb.f);
    db.d = 1.0;
    db.u += 1;
    printf("next after 1.0: %.17g\n", db.d);
    return 31;
}
