/* double -> float rounding (to nearest even), float -> double exactness, float arithmetic. */
#include <stdio.h>

int main(void)
{
    double ds[] = { 1.0, 0.1, 1.0000000596046448, 1.00000005960464477539, 16777217.0, 16777219.0, 3.4028234663852886e38, 1e-40, -2.5e-8, 123456.7890123 };
    int i;
    for (i = 0; i < 10; i++) {
        float f = (float)ds[i];
        double back = f;
        printf("%.17g -> %.9g diff %.3e\n", ds[i], back, ds[i] - back);
    }
    {
        float a = 1.1f, b = 2.2f;
        float c = a * b;
        double dc = (double)a * (double)b;
        printf("float mul=%.9g double mul of floats=%.17g\n", (double)c, dc);
        float s = 0;
        for (i = 1; i <= 100; i++) s += 1.0f / (float)i;
        printf("harmonic(100) float=%.9g\n", (double)s);
        double ds2 = 0;
        for (i = 1; i <= 100; i++) ds2 += 1.0 / i;
        printf("harmonic(100) double=%.17g\n", ds2);
    }
    return 10;
}
