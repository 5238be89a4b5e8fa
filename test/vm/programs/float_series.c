/* Series without libm: pi (Leibniz, Nilakantha), e, ln 2, exp/sin/cos by Taylor series. */
#include <stdio.h>

static double my_exp(double x)
{
    double term = 1.0, sum = 1.0;
    int n;
    for (n = 1; n < 40; n++) {
        term *= x / n;
        sum += term;
    }
    return sum;
}

static double my_sin(double x)
{
    double term = x, sum = x;
    int n;
    for (n = 1; n < 20; n++) {
        term *= -x * x / ((2 * n) * (2 * n + 1));
        sum += term;
    }
    return sum;
}

static double my_cos(double x)
{
    double term = 1.0, sum = 1.0;
    int n;
    for (n = 1; n < 20; n++) {
        term *= -x * x / ((2 * n - 1) * (2 * n));
        sum += term;
    }
    return sum;
}

int main(void)
{
    double pi_l = 0, pi_n = 3, e = 0, fact = 1, ln2 = 0;
    int k;
    for (k = 0; k < 2000; k++) pi_l += (k % 2 ? -4.0 : 4.0) / (2 * k + 1);
    for (k = 1; k < 200; k++) pi_n += (k % 2 ? 4.0 : -4.0) / ((2.0 * k) * (2 * k + 1) * (2 * k + 2));
    for (k = 0; k < 20; k++) {
        if (k > 0) fact *= k;
        e += 1.0 / fact;
    }
    for (k = 1; k <= 1000; k++) ln2 += (k % 2 ? 1.0 : -1.0) / k;
    printf("pi leibniz=%.10f nilakantha=%.12f\n", pi_l, pi_n);
    printf("e=%.15f exp(1)=%.15f exp(-2)=%.12e\n", e, my_exp(1.0), my_exp(-2.0));
    printf("ln2~%.8f\n", ln2);
    for (k = 0; k <= 6; k++) {
        double x = k * 0.5;
        printf("x=%.1f sin=%.12f cos=%.12f s^2+c^2=%.15f\n", x, my_sin(x), my_cos(x), my_sin(x) * my_sin(x) + my_cos(x) * my_cos(x));
    }
    return (int)(pi_n * 10);
}
