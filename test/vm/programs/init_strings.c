/* Character arrays initialized from string literals: sizes, exact fit without NUL, padding with zeros. */
#include <stdio.h>
#include <string.h>

static char g_msg[] = "global message";
static char g_padded[12] = "pad";
static const char *g_ptr = "pointer to literal";
static char g_exact[4] = "abcd"; /* no room for the NUL: legal in C */

int main(void)
{
    char local[] = { 'h', 'i', '\0' };
    char braced[] = { "braced" };
    char two_d[3][6] = { "one", "two", "three" };
    const char *concat = "con" "cat" "enated";
    int i, zeros = 0;
    printf("%s (%u) / %s (%u)\n", g_msg, (unsigned)sizeof g_msg, g_padded, (unsigned)sizeof g_padded);
    for (i = 0; i < 12; i++) zeros += g_padded[i] == 0;
    printf("zeros in g_padded=%d\n", zeros);
    printf("%s %s %s\n", g_ptr, local, braced);
    printf("g_exact: %c%c%c%c sizeof=%u\n", g_exact[0], g_exact[1], g_exact[2], g_exact[3], (unsigned)sizeof g_exact);
    for (i = 0; i < 3; i++) printf("two_d[%d]=%s (%u)\n", i, two_d[i], (unsigned)strlen(two_d[i]));
    printf("%s sizeof(\"con\" \"cat\")=%u\n", concat, (unsigned)sizeof("con" "cat"));
    printf("escapes: [%s] sizeof=%u\n", "a\tb\\c\"d\x41\101", (unsigned)sizeof("a\tb\\c\"d\x41\101"));
    g_msg[0] = 'G';
    printf("%s\n", g_msg);
    return zeros + (int)sizeof braced;
}
