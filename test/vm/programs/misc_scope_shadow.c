/* Block scope and shadowing: inner declarations hide outer ones; globals reached through functions. */
#include <stdio.h>

static int value = 1;
static int read_global(void) { return value; }

int main(void)
{
    int value = 10;
    int total = value;
    {
        int value = 100;
        total += value;
        {
            int value = 1000;
            total += value + read_global();
        }
        total += value;
    }
    for (int value = 0; value < 3; value++) total += value;
    {
        typedef int value_t;
        value_t v = 5;
        total += v;
    }
    {
        extern int helper_counter;
        helper_counter += 2;
        total += helper_counter;
    }
    printf("value=%d total=%d global=%d\n", value, total, read_global());
    return total % 100;
}

int helper_counter = 40;
