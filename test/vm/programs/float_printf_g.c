/* printf %g / %G: the switch between fixed and exponent forms, trailing zero removal, '#'. */
#include <stdio.h>

int main(void)
{
    double v[] = { 0.0, 1.0, 100000.0, 1000000.0, 1234567.0, 0.0001, 0.00001, 0.000123456, 123.456, 1e-10, 1e15, 1e16, 3.0 / 7.0, -2.5,
                   999999.5, 9.9999995, 0.1, 1e300 };
    int i;
    for (i = 0; i < 18; i++) printf("[%g] [%.0g] [%.1g] [%.3g] [%.10g] [%.17g] [%G]\n", v[i], v[i], v[i], v[i], v[i], v[i], v[i]);
    printf("[%#g] [%#.3g] [%10g] [%-10g|] [%+g] [%010g]\n", 1.0, 2.0, 3.5, 3.5, 4.25, -5.5);
    return 18;
}
