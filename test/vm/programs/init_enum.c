/* Enumerations: implicit numbering, explicit values, duplicates, negative values, use as array size. */
#include <stdio.h>

enum COLOR { RED, GREEN, BLUE, COLOR_COUNT };
enum FLAGS { F_NONE = 0, F_READ = 1, F_WRITE = 2, F_EXEC = 4, F_ALL = F_READ | F_WRITE | F_EXEC };
enum MIXED { M_A = 10, M_B, M_C = 5, M_D, M_E = M_B + M_D, M_NEG = -3, M_AFTER_NEG };
typedef enum _POWER_STATE { PowerDeviceUnspecified = 0, PowerDeviceD0, PowerDeviceD1, PowerDeviceD2, PowerDeviceD3, PowerDeviceMaximum } DEVICE_POWER_STATE;

static const char *const color_names[COLOR_COUNT] = { "red", "green", "blue" };

int main(void)
{
    enum COLOR c;
    enum FLAGS f = F_READ | F_EXEC;
    DEVICE_POWER_STATE ps;
    int sum = 0;
    for (c = RED; c < COLOR_COUNT; c++) printf("%d=%s ", (int)c, color_names[c]);
    printf("\n");
    printf("F_ALL=%d f=%d has write=%d has exec=%d\n", F_ALL, (int)f, (f & F_WRITE) != 0, (f & F_EXEC) != 0);
    printf("M: %d %d %d %d %d %d %d\n", M_A, M_B, M_C, M_D, M_E, M_NEG, M_AFTER_NEG);
    for (ps = PowerDeviceD0; ps < PowerDeviceMaximum; ps++) sum += (int)ps;
    printf("power sum=%d sizeof(enum)=%u\n", sum, (unsigned)sizeof(enum COLOR));
    {
        int arr[COLOR_COUNT * 2];
        printf("array of %u\n", (unsigned)(sizeof arr / sizeof arr[0]));
        int v = M_NEG;
        printf("M_NEG < 0: %d\n", v < 0);
    }
    return sum + M_E;
}
