/* Tables of doubles with aligned widths; %f of float arguments (promoted); mixed with ints. */
#include <stdio.h>

int main(void)
{
    float temps[6] = { -12.5f, 0.0f, 3.25f, 21.75f, 37.0f, 100.125f };
    int i;
    printf("%-8s|%10s|%10s|%8s\n", "celsius", "fahrenheit", "kelvin", "ratio");
    for (i = 0; i < 6; i++) {
        double c = temps[i];
        printf("%-8.2f|%10.3f|%10.2f|%8.4f\n", c, c * 9 / 5 + 32, c + 273.15, (c + 273.15) / 273.15);
    }
    printf("[%5.1f%%] [%-7.3f] [%07.2f] [%+.1f] [%.0f%%]\n", 45.67, 1.0f / 3.0f, -2.5, 0.05, 99.5);
    printf("[%6.2f][%6.2f][%6.2f]\n", 1e-3, 123456.789, -0.004);
    return 6;
}
