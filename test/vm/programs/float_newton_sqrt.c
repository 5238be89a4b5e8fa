/* Newton's method: square roots, cube roots and reciprocal without libm; convergence counts. */
#include <stdio.h>

static int iterations;

static double my_sqrt(double a)
{
    double x = a > 1 ? a : 1.0, prev;
    iterations = 0;
    if (a == 0) return 0;
    do {
        prev = x;
        x = 0.5 * (x + a / x);
        iterations++;
    } while (x < prev);
    return prev;
}

static double my_cbrt(double a)
{
    double x = a > 1 ? a / 3 : 1.0;
    int i;
    for (i = 0; i < 100; i++) x = (2 * x + a / (x * x)) / 3;
    return x;
}

static double recip(double d)
{
    double x = 0.1;
    int i;
    for (i = 0; i < 60; i++) x = x * (2 - d * x);
    return x;
}

int main(void)
{
    double vals[] = { 0, 1, 2, 4, 10, 0.25, 1e-6, 12345.678, 1e20 };
    int i, total_iter = 0;
    for (i = 0; i < 9; i++) {
        double r = my_sqrt(vals[i]);
        total_iter += iterations;
        printf("sqrt(%g)=%.15g iters=%d r*r=%.15g\n", vals[i], r, iterations, r * r);
    }
    printf("cbrt(27)=%.15g cbrt(2)=%.15g\n", my_cbrt(27), my_cbrt(2));
    printf("1/7=%.17g recip(7)=%.17g\n", 1.0 / 7, recip(7));
    printf("total iterations=%d\n", total_iter);
    return total_iter % 100;
}
