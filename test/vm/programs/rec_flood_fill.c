/* Recursive flood fill on a small grid: counting connected regions and their sizes. */
#include <stdio.h>

#define W 16
#define H 8

static char grid[H][W + 1] = {
    "..##....#####...",
    ".###...##...#...",
    "..#....#..#.#..#",
    "........###.#.##",
    "##............#.",
    "#..###..##......",
    "...#.#..##...###",
    "...###.......#.#",
};

static int fill(int r, int c, char mark)
{
    if (r < 0 || r >= H || c < 0 || c >= W || grid[r][c] != '#') return 0;
    grid[r][c] = mark;
    return 1 + fill(r + 1, c, mark) + fill(r - 1, c, mark) + fill(r, c + 1, mark) + fill(r, c - 1, mark);
}

int main(void)
{
    int r, c, regions = 0, largest = 0;
    for (r = 0; r < H; r++)
        for (c = 0; c < W; c++)
            if (grid[r][c] == '#') {
                char mark = (char)('a' + regions);
                int size = fill(r, c, mark);
                printf("region %c at (%d,%d) size %d\n", mark, r, c, size);
                if (size > largest) largest = size;
                regions++;
            }
    for (r = 0; r < H; r++) printf("%s\n", grid[r]);
    printf("regions=%d largest=%d\n", regions, largest);
    return regions * 10 + largest % 10;
}
