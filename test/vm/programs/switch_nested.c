/* Nested switches, switch inside loops with break/continue semantics. */
#include <stdio.h>

enum { CMD_MOVE, CMD_TURN, CMD_STOP, CMD_NOP };
enum { DIR_N, DIR_E, DIR_S, DIR_W };

int main(void)
{
    int program[][2] = { { CMD_MOVE, 3 }, { CMD_TURN, 1 }, { CMD_MOVE, 2 }, { CMD_NOP, 0 }, { CMD_TURN, -1 }, { CMD_MOVE, 5 },
                         { CMD_TURN, 2 }, { CMD_MOVE, 1 }, { CMD_STOP, 0 }, { CMD_MOVE, 100 } };
    int x = 0, y = 0, dir = DIR_N, pc, executed = 0, running = 1;
    for (pc = 0; pc < 10 && running; pc++) {
        switch (program[pc][0]) {
        case CMD_MOVE:
            switch (dir) {
            case DIR_N: y += program[pc][1]; break;
            case DIR_E: x += program[pc][1]; break;
            case DIR_S: y -= program[pc][1]; break;
            case DIR_W: x -= program[pc][1]; break;
            }
            break;
        case CMD_TURN:
            dir = ((dir + program[pc][1]) % 4 + 4) % 4;
            break;
        case CMD_NOP:
            continue; /* skips the executed++ below */
        case CMD_STOP:
            running = 0;
            break;
        }
        executed++;
        printf("pc=%d pos=(%d,%d) dir=%d\n", pc, x, y, dir);
    }
    printf("final (%d,%d) executed=%d pc=%d\n", x, y, executed, pc);
    return executed * 10 + (x < 0 ? -x : x);
}
