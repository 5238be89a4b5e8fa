/* main(argc, argv): run without arguments, argc is 1 and argv[argc] is NULL (argv[0] is not printed). */
#include <stdio.h>

int main(int argc, char **argv)
{
    int i, nonnull = 0;
    printf("argc=%d\n", argc);
    printf("argv[argc]==NULL: %d\n", argv[argc] == NULL);
    for (i = 0; i < argc; i++) nonnull += argv[i] != NULL;
    printf("non-null entries=%d\n", nonnull);
    printf("argv[0] non-empty: %d\n", argc > 0 && argv[0][0] != '\0');
    return argc + nonnull;
}
