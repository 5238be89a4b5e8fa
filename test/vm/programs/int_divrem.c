/* Division truncates toward zero; the remainder takes the sign of the dividend. */
#include <stdio.h>

int main(void)
{
    int nums[] = { 7, -7, 13, -13, 100, -100, 1, -1, 0 };
    int dens[] = { 2, -2, 3, -3, 7, -7 };
    int i, j, check = 0;

    for (i = 0; i < 9; i++) {
        for (j = 0; j < 6; j++) {
            int q = nums[i] / dens[j];
            int r = nums[i] % dens[j];
            if (q * dens[j] + r != nums[i]) {
                printf("identity broken\n");
                return 99;
            }
            check += q * 3 + r;
            if (j % 2 == 0) printf("%4d / %2d = %3d  %4d %% %2d = %2d\n", nums[i], dens[j], q, nums[i], dens[j], r);
        }
    }
    printf("check=%d\n", check);
    {
        unsigned a = 4000000000u, b = 7u;
        printf("u: %u / %u = %u rem %u\n", a, b, a / b, a % b);
        printf("u: (unsigned)-7 / 2 = %u\n", (unsigned)-7 / 2u);
        printf("mixed: -7 / 2u = %u\n", -7 / 2u);
    }
    {
        int m = -2147483647 - 1;
        printf("INT_MIN/1=%d INT_MIN%%-1... skip; INT_MIN/2=%d INT_MIN%%3=%d\n", m / 1, m / 2, m % 3);
    }
    return check < 0 ? -check % 100 : check % 100;
}
