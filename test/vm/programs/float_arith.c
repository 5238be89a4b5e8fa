/* Basic double arithmetic: exact cases, rounding errors, associativity, negative zero. */
#include <stdio.h>

int main(void)
{
    double a = 1.0 / 3.0, b = 2.0 / 3.0;
    double x = 0.1, y = 0.2, z = 0.3;
    double big = 1e16, small = 1.0;
    double nz = -0.0;
    int i;
    printf("1/3=%.17g 2/3=%.17g sum=%.17g\n", a, b, a + b);
    printf("0.1+0.2=%.17g ==0.3: %d\n", x + y, x + y == z);
    printf("(x+y)+z=%.17g x+(y+z)=%.17g\n", (x + y) + z, x + (y + z));
    printf("1e16+1-1e16=%.1f (1e16-1e16)+1=%.1f\n", big + small - big, (big - big) + small);
    printf("-0.0=%f 0.0*-1=%f -0.0==0.0: %d\n", nz, 0.0 * -1, nz == 0.0);
    printf("1/(-0.0) < 0: %d\n", 1.0 / nz < 0);
    printf("7.5*4=%.1f 7.5/4=%.4f -7.5/2=%.2f\n", 7.5 * 4, 7.5 / 4, -7.5 / 2);
    printf("1e308*10 > 1e308: %d  1e-308/1e10=%g\n", 1e308 * 10 > 1e308, 1e-308 / 1e10);
    {
        double acc = 1.0;
        for (i = 0; i < 30; i++) acc = acc * 1.5 - 0.25;
        printf("acc=%.6f\n", acc);
        double h = 0;
        for (i = 1; i <= 1000; i++) h += 1.0 / ((double)i * i);
        printf("sum 1/n^2 (1000 terms)=%.15f\n", h);
    }
    {
        double m = 12345.6789;
        double frac = m - (double)(long long)m;
        printf("int part=%lld frac=%.4f\n", (long long)m, frac);
    }
    return (int)(a * 100);
}
