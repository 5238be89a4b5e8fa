/* Arrays of unions and unions of arrays: a message buffer reinterpreted at several widths. */
#include <stdio.h>

typedef union {
    unsigned char bytes[16];
    unsigned short halves[8];
    unsigned int words[4];
    unsigned long long quads[2];
} BLOCK;

int main(void)
{
    BLOCK blocks[3];
    int i, j;
    unsigned long long total = 0;
    for (i = 0; i < 3; i++)
        for (j = 0; j < 16; j++) blocks[i].bytes[j] = (unsigned char)(i * 16 + j);
    for (i = 0; i < 3; i++) {
        printf("block %d words: %08x %08x %08x %08x\n", i, blocks[i].words[0], blocks[i].words[1], blocks[i].words[2], blocks[i].words[3]);
        printf("         halves[7]=%04x quads[1]=%016llx\n", (unsigned)blocks[i].halves[7], blocks[i].quads[1]);
        total += blocks[i].quads[0] ^ blocks[i].quads[1];
    }
    blocks[1].words[2] = 0;
    blocks[2] = blocks[1];
    printf("copied block bytes 8..11: %u %u %u %u, byte 12=%u\n", (unsigned)blocks[2].bytes[8], (unsigned)blocks[2].bytes[9],
           (unsigned)blocks[2].bytes[10], (unsigned)blocks[2].bytes[11], (unsigned)blocks[2].bytes[12]);
    printf("total=%016llx sizeof=%u\n", total, (unsigned)sizeof(BLOCK));
    return (int)(total % 77);
}
