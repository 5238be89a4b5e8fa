/* const lookup tables: a CRC-8 table built at compile time by hand, a keyword table, a 2-D transition table. */
#include <stdio.h>
#include <string.h>

static const unsigned char bitrev4[16] = { 0x0, 0x8, 0x4, 0xC, 0x2, 0xA, 0x6, 0xE, 0x1, 0x9, 0x5, 0xD, 0x3, 0xB, 0x7, 0xF };
static const struct { const char *word; int token; } keywords[] = {
    { "if", 1 }, { "else", 2 }, { "while", 3 }, { "for", 4 }, { "return", 5 }, { "switch", 6 }, { "case", 7 }, { NULL, 0 },
};
/* states: 0 idle, 1 running, 2 paused, 3 done; events: 0 start, 1 pause, 2 resume, 3 stop */
static const signed char transition[4][4] = {
    { 1, -1, -1, 3 },
    { -1, 2, -1, 3 },
    { -1, -1, 1, 3 },
    { -1, -1, -1, -1 },
};

static unsigned char rev8(unsigned char b) { return (unsigned char)((bitrev4[b & 15] << 4) | bitrev4[b >> 4]); }

static int lookup(const char *w)
{
    int i;
    for (i = 0; keywords[i].word; i++)
        if (strcmp(keywords[i].word, w) == 0) return keywords[i].token;
    return 0;
}

int main(void)
{
    const char *words[] = { "while", "foo", "return", "case", "iff", "else" };
    int events[] = { 0, 1, 1, 2, 0, 3, 2 };
    int i, state = 0, sum = 0, rejected = 0;
    printf("rev8: %02x %02x %02x %02x\n", (unsigned)rev8(0x01), (unsigned)rev8(0x80), (unsigned)rev8(0xF0), (unsigned)rev8(0x5A));
    for (i = 0; i < 6; i++) {
        printf("%s=%d ", words[i], lookup(words[i]));
        sum += lookup(words[i]);
    }
    printf("\n");
    for (i = 0; i < 7; i++) {
        int next = transition[state][events[i]];
        if (next < 0) {
            rejected++;
            printf("event %d rejected in state %d\n", events[i], state);
        } else {
            printf("event %d: %d -> %d\n", events[i], state, next);
            state = next;
        }
    }
    printf("sum=%d state=%d rejected=%d\n", sum, state, rejected);
    return sum * 2 + rejected;
}
