/* Conway's game of life on a small torus: a glider and a blinker for a few generations. */
#include <stdio.h>
#include <string.h>

#define W 12
#define H 10

static unsigned char grid[H][W], next[H][W];

static int neighbours(int r, int c)
{
    int dr, dc, n = 0;
    for (dr = -1; dr <= 1; dr++)
        for (dc = -1; dc <= 1; dc++)
            if (dr || dc) n += grid[(r + dr + H) % H][(c + dc + W) % W];
    return n;
}

static int step(void)
{
    int r, c, alive = 0;
    for (r = 0; r < H; r++)
        for (c = 0; c < W; c++) {
            int n = neighbours(r, c);
            next[r][c] = (unsigned char)(n == 3 || (n == 2 && grid[r][c]));
            alive += next[r][c];
        }
    memcpy(grid, next, sizeof grid);
    return alive;
}

static void show(void)
{
    int r, c;
    for (r = 0; r < H; r++) {
        for (c = 0; c < W; c++) putchar(grid[r][c] ? '#' : '.');
        putchar('\n');
    }
}

int main(void)
{
    int gen, alive = 0;
    grid[0][1] = grid[1][2] = grid[2][0] = grid[2][1] = grid[2][2] = 1; /* glider */
    grid[6][8] = grid[6][9] = grid[6][10] = 1;                            /* blinker */
    for (gen = 1; gen <= 24; gen++) {
        alive = step();
        if (gen % 8 == 0) {
            printf("generation %d alive=%d\n", gen, alive);
            show();
        }
    }
    return alive;
}
