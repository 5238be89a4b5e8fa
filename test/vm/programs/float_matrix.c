/* Dense double matrices: multiply, Gaussian elimination solve, determinant. */
#include <stdio.h>

#define N 4

static void matmul(double c[N][N], double a[N][N], double b[N][N])
{
    int i, j, k;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++) {
            double s = 0;
            for (k = 0; k < N; k++) s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
}

static double solve(double a[N][N], double b[N], double x[N])
{
    double m[N][N + 1], det = 1;
    int i, j, k;
    for (i = 0; i < N; i++) {
        for (j = 0; j < N; j++) m[i][j] = a[i][j];
        m[i][N] = b[i];
    }
    for (k = 0; k < N; k++) {
        int piv = k;
        for (i = k + 1; i < N; i++) {
            double p = m[i][k] < 0 ? -m[i][k] : m[i][k], q = m[piv][k] < 0 ? -m[piv][k] : m[piv][k];
            if (p > q) piv = i;
        }
        if (piv != k) {
            for (j = 0; j <= N; j++) {
                double t = m[k][j];
                m[k][j] = m[piv][j];
                m[piv][j] = t;
            }
            det = -det;
        }
        det *= m[k][k];
        for (i = k + 1; i < N; i++) {
            double f = m[i][k] / m[k][k];
            for (j = k; j <= N; j++) m[i][j] -= f * m[k][j];
        }
    }
    for (i = N - 1; i >= 0; i--) {
        double s = m[i][N];
        for (j = i + 1; j < N; j++) s -= m[i][j] * x[j];
        x[i] = s / m[i][i];
    }
    return det;
}

int main(void)
{
    double a[N][N] = { { 4, -2, 1, 3 }, { 3, 6, -4, 2 }, { 2, 1, 8, -5 }, { 1, -3, 2, 7 } };
    double b[N] = { 20, 9, -3, 16 }, x[N], c[N][N];
    int i, j;
    double det = solve(a, b, x);
    printf("det=%.6f\n", det);
    for (i = 0; i < N; i++) printf("x[%d]=%.10f\n", i, x[i]);
    for (i = 0; i < N; i++) {
        double r = -b[i];
        for (j = 0; j < N; j++) r += a[i][j] * x[j];
        printf("residual[%d]=%.3e\n", i, r);
    }
    matmul(c, a, a);
    for (i = 0; i < N; i++) printf("%8.1f %8.1f %8.1f %8.1f\n", c[i][0], c[i][1], c[i][2], c[i][3]);
    return (int)det % 100;
}
