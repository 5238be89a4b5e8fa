/* A tiny Brainfuck interpreter running a program that prints a greeting and computes squares. */
#include <stdio.h>
#include <string.h>

static unsigned char tape[300];
static char out[256];

static int run(const char *prog, int *steps)
{
    int pc = 0, dp = 0, n = 0, len = (int)strlen(prog);
    *steps = 0;
    memset(tape, 0, sizeof tape);
    while (pc < len) {
        (*steps)++;
        switch (prog[pc]) {
        case '>': dp++; break;
        case '<': dp--; break;
        case '+': tape[dp]++; break;
        case '-': tape[dp]--; break;
        case '.': out[n++] = (char)tape[dp]; break;
        case '[':
            if (!tape[dp]) {
                int depth = 1;
                while (depth) {
                    pc++;
                    if (prog[pc] == '[') depth++;
                    else if (prog[pc] == ']') depth--;
                }
            }
            break;
        case ']':
            if (tape[dp]) {
                int depth = 1;
                while (depth) {
                    pc--;
                    if (prog[pc] == ']') depth++;
                    else if (prog[pc] == '[') depth--;
                }
            }
            break;
        }
        pc++;
    }
    out[n] = '\0';
    return n;
}

int main(void)
{
    const char *hello = "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.";
    const char *count = "++++++++[>++++++<-]>+.+.+.+.+.+.+.+.+.";
    int steps, n, total = 0;
    n = run(hello, &steps);
    printf("hello: \"%.*s\" (%d chars, %d steps)\n", n - 1, out, n, steps);
    total += steps;
    n = run(count, &steps);
    printf("count: \"%s\" (%d chars, %d steps)\n", out, n, steps);
    total += steps;
    return total % 100;
}
