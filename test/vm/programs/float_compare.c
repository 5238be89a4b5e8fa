/* Floating comparisons: ordering, epsilon tests, NaN never compares equal (printed as flags only). */
#include <stdio.h>

static int approx(double a, double b, double eps)
{
    double d = a - b;
    if (d < 0) d = -d;
    return d <= eps;
}

int main(void)
{
    double vals[] = { -1.5, -0.0, 0.0, 1e-300, 0.1, 1.0, 1.0000000000000002, 1e300 };
    double zero = 0.0;
    double nan = zero / zero, inf = 1.0 / zero;
    int i, j, lt = 0, eq = 0;
    for (i = 0; i < 8; i++)
        for (j = 0; j < 8; j++) {
            lt += vals[i] < vals[j];
            eq += vals[i] == vals[j];
        }
    printf("lt=%d eq=%d\n", lt, eq);
    printf("nan==nan %d nan!=nan %d nan<1 %d nan>1 %d !(nan>=1) %d\n", nan == nan, nan != nan, nan < 1, nan > 1, !(nan >= 1));
    printf("inf>1e308 %d -inf<-1e308 %d inf==inf %d inf-inf is nan %d\n", inf > 1e308, -inf < -1e308, inf == inf, (inf - inf) != (inf - inf));
    printf("approx(0.1+0.2,0.3,1e-15)=%d approx(1,1.001,1e-4)=%d\n", approx(0.1 + 0.2, 0.3, 1e-15), approx(1, 1.001, 1e-4));
    {
        float f = 0.1f;
        double d = 0.1;
        printf("f==d %d (float)d==f %d f<d %d\n", f == d, (float)d == f, f < d);
        int n = 0;
        double t;
        for (t = 0.0; t < 1.0; t += 0.1) n++;
        printf("loop 0..1 step 0.1 runs %d times\n", n);
        return n;
    }
}
