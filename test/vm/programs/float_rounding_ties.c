/* printf rounds exactly representable ties to even (glibc); exact binary values decide the rest. */
#include <stdio.h>

int main(void)
{
    double ties[] = { 0.5, 1.5, 2.5, 3.5, -0.5, -2.5, 0.25, 0.75, 0.125, 0.375, 2.0625, 1e15 + 0.5 };
    double near[] = { 0.15, 0.25, 0.35, 0.45, 1.45, 2.675, 1.115, 8.345 };
    int i;
    for (i = 0; i < 12; i++) printf("%.4f -> [%.0f] [%.1f] [%.2f] [%.3f]\n", ties[i], ties[i], ties[i], ties[i], ties[i]);
    for (i = 0; i < 8; i++) printf("%.20f -> [%.1f] [%.2f]\n", near[i], near[i], near[i]);
    printf("[%.0e] [%.0e] [%.1e] [%.0g] [%.0g]\n", 2.5, 3.5, 1.25, 0.5, 1.5);
    return 12;
}
