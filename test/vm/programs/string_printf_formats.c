/* printf integer/char/string conversions with every flag combination used in drivers' logs. */
#include <stdio.h>

int main(void)
{
    int vals[] = { 0, 1, -1, 255, -255, 65536, 2147483647, -2147483647 - 1 };
    int i, n = 0;
    for (i = 0; i < 8; i++) {
        int v = vals[i];
        n += printf("[%d][%5d][%-5d][%05d][%+d][% d][%.3d][%8.3d][%-+6d]\n", v, v, v, v, v, v, v, v, v);
        n += printf("  [%u][%x][%X][%#x][%#X][%o][%#o][%08x][%#010x][%.6x]\n", (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v,
                    (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v);
    }
    n += printf("[%s][%10s][%-10s][%.2s][%10.3s][%-10.1s]\n", "kdsim", "kdsim", "kdsim", "kdsim", "kdsim", "kdsim");
    n += printf("[%c][%3c][%-3c][%%]\n", 'k', 'd', 's');
    n += printf("[%*d][%-*d][%.*d][%*.*d]\n", 6, 42, 6, 42, 4, 42, 7, 3, -5);
    n += printf("[%.0d][%.0x][%#.0o][%#x][%#o]\n", 0, 0u, 0u, 0u, 0u);
    n += printf("[%hd][%hu][%hx][%hhd][%hhx]\n", (short)-2, (unsigned short)40000, (unsigned short)0xBEEF, (signed char)-3, (unsigned char)0xAB);
    printf("printed %d chars\n", n);
    return n % 100;
}
