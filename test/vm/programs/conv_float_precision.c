/* float variables round to single precision at every store and operation. */
#include <stdio.h>

int main(void)
{
    float f = 0.1f;
    double d = 0.1;
    float acc = 0.0f;
    double dacc = 0.0;
    int i;

    printf("0.1f=%.20f\n0.1 =%.20f\n", (double)f, d);
    printf("(double)0.1f == 0.1: %d\n", (double)f == d);
    for (i = 0; i < 1000; i++) {
        acc += 0.1f;
        dacc += 0.1;
    }
    printf("float sum=%.10f double sum=%.10f\n", (double)acc, dacc);
    {
        float big = 16777216.0f; /* 2^24 */
        float next = big + 1.0f;
        printf("2^24+1 in float=%.1f (== 2^24: %d)\n", (double)next, next == big);
        float third = 1.0f / 3.0f;
        double dthird = 1.0 / 3.0;
        printf("1/3 float=%.12f double=%.12f\n", (double)third, dthird);
        float prod = third * 3.0f;
        printf("third*3=%.12f\n", (double)prod);
        float x = 1.0f;
        int steps = 0;
        while (x + 1.0f != 1.0f || steps == 0) { /* halve until 1+x rounds to 1 */
            x = x / 2.0f;
            steps++;
            if (x + 1.0f == 1.0f) break;
        }
        printf("float epsilon steps=%d x=%.10e\n", steps, (double)x);
        double dx = 1.0;
        int dsteps = 0;
        while (1.0 + dx != 1.0) {
            dx /= 2.0;
            dsteps++;
        }
        printf("double epsilon steps=%d dx=%.10e\n", dsteps, dx);
        float conv = (float)123456789;
        printf("(float)123456789=%.1f as int %d\n", (double)conv, (int)conv);
        float mixed = 0.1f + (float)0.2;
        double dmixed = 0.1 + 0.2;
        printf("0.1f+0.2f=%.17g 0.1+0.2=%.17g\n", (double)mixed, dmixed);
        return steps;
    }
}
