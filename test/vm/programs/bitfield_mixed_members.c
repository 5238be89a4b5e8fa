/* Bit-fields next to ordinary members; each run of bit-fields uses one declared type. */
#include <stdio.h>

typedef struct {
    int id;
    unsigned int kind : 4;
    unsigned int level : 4;
    unsigned int length : 24;
    char name[8];
    unsigned short s1 : 5;
    unsigned short s2 : 11;
    double weight;
} REC;

int main(void)
{
    REC r[3] = {
        { 1, 3, 9, 1000000, "one", 17, 2000, 1.5 },
        { 2, 15, 0, 16777215, "two", 31, 2047, -0.25 },
        { 3, 0, 15, 0, "three", 0, 0, 100.0 },
    };
    int i;
    unsigned sum = 0;
    for (i = 0; i < 3; i++) {
        unsigned kind = r[i].kind, level = r[i].level, length = r[i].length, s1 = r[i].s1, s2 = r[i].s2;
        printf("%d %-5s kind=%u level=%u length=%u s1=%u s2=%u w=%.2f\n", r[i].id, r[i].name, kind, level, length, s1, s2, r[i].weight);
        sum += kind + level + length % 1000 + s1 + s2;
    }
    r[2] = r[0];
    r[2].length += 1;
    r[2].s2 = r[1].s2;
    printf("copy: length=%u s2=%u name=%s\n", (unsigned)r[2].length, (unsigned)r[2].s2, r[2].name);
    printf("sum=%u\n", sum);
    return (int)(sum % 100);
}
