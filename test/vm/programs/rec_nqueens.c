/* N-queens by backtracking for N = 4..8, printing the first solution for 6. */
#include <stdio.h>

static int cols[12];
static int solutions;
static int printed;

static int safe(int row, int col)
{
    int r;
    for (r = 0; r < row; r++) {
        int c = cols[r];
        if (c == col || c - col == r - row || c - col == row - r) return 0;
    }
    return 1;
}

static void solve(int row, int n)
{
    int c;
    if (row == n) {
        solutions++;
        if (n == 6 && !printed) {
            int r, k;
            printed = 1;
            for (r = 0; r < n; r++) {
                for (k = 0; k < n; k++) putchar(cols[r] == k ? 'Q' : '.');
                putchar('\n');
            }
        }
        return;
    }
    for (c = 0; c < n; c++)
        if (safe(row, c)) {
            cols[row] = c;
            solve(row + 1, n);
        }
}

int main(void)
{
    int n;
    for (n = 4; n <= 8; n++) {
        solutions = 0;
        solve(0, n);
        printf("N=%d solutions=%d\n", n, solutions);
    }
    return solutions;
}
