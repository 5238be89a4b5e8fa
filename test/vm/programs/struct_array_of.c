/* Arrays of structs: search, sort by key (insertion sort), aggregate. */
#include <stdio.h>
#include <string.h>

typedef struct {
    char name[16];
    int age;
    unsigned score;
} PERSON;

int main(void)
{
    PERSON people[8] = {
        { "Ada", 36, 910 }, { "Linus", 28, 870 }, { "Grace", 45, 990 }, { "Dennis", 30, 880 },
        { "Ken", 33, 860 }, { "Barbara", 41, 930 }, { "Edsger", 39, 950 }, { "Niklaus", 50, 900 },
    };
    int n = 8, i, j;
    unsigned total = 0;
    int oldest = 0;

    for (i = 1; i < n; i++) {
        PERSON key = people[i];
        j = i - 1;
        while (j >= 0 && people[j].score < key.score) {
            people[j + 1] = people[j];
            j--;
        }
        people[j + 1] = key;
    }
    for (i = 0; i < n; i++) {
        printf("%d. %-8s age %2d score %u\n", i + 1, people[i].name, people[i].age, people[i].score);
        total += people[i].score;
        if (people[i].age > people[oldest].age) oldest = i;
    }
    printf("total=%u avg=%u oldest=%s\n", total, total / (unsigned)n, people[oldest].name);
    for (i = 0; i < n; i++)
        if (strcmp(people[i].name, "Ken") == 0) printf("Ken is at rank %d\n", i + 1);
    printf("sizeof(people)/sizeof(people[0])=%u\n", (unsigned)(sizeof people / sizeof people[0]));
    return people[0].age;
}
