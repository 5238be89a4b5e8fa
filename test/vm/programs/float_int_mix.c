/* Mixed int/double expressions: where the conversion happens changes the answer. */
#include <stdio.h>

int main(void)
{
    int a = 7, b = 2;
    unsigned u = 3000000000u;
    long long ll = -9000000000LL;
    double d;
    printf("a/b=%d a/(double)b=%.2f (double)(a/b)=%.2f a/b*1.0=%.2f 1.0*a/b=%.2f\n", a / b, a / (double)b, (double)(a / b), a / b * 1.0, 1.0 * a / b);
    d = u;
    printf("u as double=%.1f u*2.0=%.1f\n", d, u * 2.0);
    d = ll;
    printf("ll as double=%.1f ll/1e9=%.3f\n", d, ll / 1e9);
    printf("(int)(0.1*3*10)=%d (int)(0.3*10)=%d\n", (int)(0.1 * 3 * 10), (int)(0.3 * 10));
    {
        int percent = 37, total = 1200;
        int share1 = percent * total / 100;
        int share2 = (int)(percent / 100.0 * total);
        int share3 = (int)(percent / 100 * total);
        printf("shares %d %d %d\n", share1, share2, share3);
    }
    {
        int i;
        double avg = 0;
        int data[7] = { 3, -1, 4, 1, -5, 9, 2 };
        for (i = 0; i < 7; i++) avg += data[i];
        avg /= 7;
        printf("avg=%.6f rounded=%d\n", avg, (int)(avg + (avg < 0 ? -0.5 : 0.5)));
    }
    {
        unsigned char c = 200;
        short s = -300;
        float f = c + s + 0.5f;
        printf("c+s+0.5f=%.2f\n", (double)f);
        char ch = (char)(65.9);
        printf("(char)65.9=%c\n", ch);
    }
    return a * b;
}
