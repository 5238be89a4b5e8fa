/* Towers of Hanoi with explicit peg stacks, verifying every move is legal. */
#include <stdio.h>

static int pegs[3][16];
static int height[3];
static int moves, illegal;

static void move_disk(int from, int to)
{
    int disk = pegs[from][--height[from]];
    if (height[to] > 0 && pegs[to][height[to] - 1] < disk) illegal++;
    pegs[to][height[to]++] = disk;
    moves++;
    if (moves <= 7) printf("move %d: disk %d %c -> %c\n", moves, disk, 'A' + from, 'A' + to);
}

static void hanoi(int n, int from, int to, int via)
{
    if (n == 0) return;
    hanoi(n - 1, from, via, to);
    move_disk(from, to);
    hanoi(n - 1, via, to, from);
}

int main(void)
{
    int n, i;
    for (n = 1; n <= 10; n += 3) {
        height[0] = height[1] = height[2] = 0;
        for (i = n; i >= 1; i--) pegs[0][height[0]++] = i;
        moves = illegal = 0;
        hanoi(n, 0, 2, 1);
        printf("n=%d moves=%d illegal=%d top of C=%d height C=%d\n", n, moves, illegal, pegs[2][height[2] - 1], height[2]);
    }
    return moves % 100;
}
