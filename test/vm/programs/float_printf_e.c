/* printf %e / %E: mantissa rounding, exponent widths (2 and 3 digits), zero and negatives. */
#include <stdio.h>

int main(void)
{
    double v[] = { 0.0, 1.0, -1.0, 123.456, 0.000123456, 1e10, 1e100, 1e-100, 1.5e300, 4.9e-324, 9.9999e9, 9.99999999e-5, -6.02214076e23, 2.5, 0.5 };
    int i;
    for (i = 0; i < 15; i++) printf("[%e] [%.0e] [%.2e] [%.10E] [%12.3e] [%-12.1e]\n", v[i], v[i], v[i], v[i], v[i], v[i]);
    printf("[%+e] [% e] [%#.0e] [%015.4e]\n", 1.5, 1.5, 3.0, -12345.678);
    return 15;
}
