/* Splitting a command line into tokens by hand (quotes, escapes) and parsing key=value pairs. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int tokenize(char *line, char **argv, int max)
{
    int argc = 0;
    char *out;
    while (*line && argc < max) {
        while (*line == ' ') line++;
        if (!*line) break;
        argv[argc++] = out = line;
        if (*line == '"') {
            line++;
            while (*line && *line != '"') {
                if (*line == '\\' && line[1]) line++;
                *out++ = *line++;
            }
            if (*line == '"') line++;
        } else {
            while (*line && *line != ' ') *out++ = *line++;
        }
        if (*line) line++;
        *out = '\0';
    }
    return argc;
}

int main(void)
{
    char line[] = "load \"driver=kd sim.sys\" irql=2 cpus=4 \"quoted \\\"word\\\"\" flag debug=0x10";
    char *argv[16];
    int argc = tokenize(line, argv, 16), i, sum = 0;
    for (i = 0; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        printf("argv[%d]=<%s>", i, argv[i]);
        if (eq) {
            *eq = '\0';
            printf(" key=%s value=%s num=%d", argv[i], eq + 1, (int)strtol(eq + 1, NULL, 0));
            sum += (int)strtol(eq + 1, NULL, 0);
        }
        printf("\n");
    }
    printf("argc=%d sum=%d\n", argc, sum);
    return argc * 10 + sum % 10;
}
