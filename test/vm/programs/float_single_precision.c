/* float (binary32) arithmetic: every operation rounds to single precision. */
#include <stdio.h>

int main(void)
{
    float a = 16777216.0f, b = 1.0f, c;
    float sum = 0.0f, comp = 0.0f;
    float x = 0.0f;
    int i;
    c = a + b;
    printf("2^24+1=%.1f\n", (double)c);
    c = (a + b) + b;
    printf("(2^24+1)+1=%.1f\n", (double)c);
    c = a + (b + b);
    printf("2^24+(1+1)=%.1f\n", (double)c);
    for (i = 0; i < 10000; i++) {
        float y = 0.001f - comp; /* Kahan summation in float */
        float t = sum + y;
        comp = (t - sum) - y;
        sum = t;
        x += 0.001f;
    }
    printf("naive=%.7f kahan=%.7f\n", (double)x, (double)sum);
    {
        float f1 = 1.1f, f2 = 3.3f;
        float p = f1 * f2, q = f2 / f1, r = f2 - f1 - f1 - f1;
        printf("p=%.9g q=%.9g r=%.9g\n", (double)p, (double)q, (double)r);
        float big = 3.0e38f;
        float dbl = big * 0.5f * 2.0f;
        printf("big roundtrip=%.9g\n", (double)dbl);
        float tiny = 1.0e-38f;
        float sub = tiny / 1000.0f;
        printf("subnormal=%.9g\n", (double)sub);
        float third = 1.0f / 3.0f;
        double promoted = third;
        printf("third=%.20f\n", promoted);
        float ff = (float)0.7;
        printf("0.7f*10=%.9g (float)(0.7*10)=%.9g\n", (double)(ff * 10.0f), (double)(float)(0.7 * 10));
    }
    return (int)(sum * 10.0f);
}
