/* Designated initializers for structs and arrays, in any order, with implicit zeroing. */
#include <stdio.h>

typedef struct { int x, y, z; const char *label; double w; } VEC;

static VEC g_vec = { .z = 3, .label = "global", .x = 1 };
static int g_arr[10] = { [9] = 9, [2] = 2, [5] = 5, 6, 7 };
static const char *g_names[] = { [3] = "three", [0] = "zero", [1] = "one" };

int main(void)
{
    VEC local = { .w = 2.5, .y = -4 };
    int arr[8] = { 1, 2, [6] = 60, 70 };
    int i, sum = 0;
    printf("g_vec: %d %d %d %s %.1f\n", g_vec.x, g_vec.y, g_vec.z, g_vec.label, g_vec.w);
    printf("local: %d %d %d %s %.1f\n", local.x, local.y, local.z, local.label ? local.label : "(null)", local.w);
    for (i = 0; i < 10; i++) {
        printf("%d ", g_arr[i]);
        sum += g_arr[i];
    }
    printf("\n");
    for (i = 0; i < 8; i++) {
        printf("%d ", arr[i]);
        sum += arr[i];
    }
    printf("\ncount(g_names)=%u:", (unsigned)(sizeof g_names / sizeof g_names[0]));
    for (i = 0; i < (int)(sizeof g_names / sizeof g_names[0]); i++) printf(" %s", g_names[i] ? g_names[i] : "-");
    printf("\nsum=%d\n", sum);
    return sum % 100;
}
