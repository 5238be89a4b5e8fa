/* switch on char values: a tokenizer / escape decoder. */
#include <stdio.h>

static int decode_escapes(const char *in, char *out)
{
    int n = 0;
    while (*in) {
        char c = *in++;
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        switch (*in++) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case '\\': out[n++] = '\\'; break;
        case '0': out[n++] = '#'; break;
        case 'x': {
            int v = 0, k;
            for (k = 0; k < 2; k++) {
                char h = *in++;
                switch (h) {
                case '0': case '1': case '2': case '3': case '4':
                case '5': case '6': case '7': case '8': case '9': v = v * 16 + (h - '0'); break;
                case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': v = v * 16 + (h - 'a' + 10); break;
                case 'A': case 'B': case 'C': case 'D': case 'E': case 'F': v = v * 16 + (h - 'A' + 10); break;
                default: v = '?'; k = 2; break;
                }
            }
            out[n++] = (char)v;
            break;
        }
        case '\0': in--; out[n++] = '\\'; break;
        default: out[n++] = '?';
        }
    }
    out[n] = '\0';
    return n;
}

int main(void)
{
    const char *inputs[] = { "plain", "tab\\there", "line\\nbreak", "hex\\x41\\x62\\x7A!", "bad\\q", "slash\\\\", "trail\\", "\\0zero" };
    char out[64];
    int i, total = 0;
    for (i = 0; i < 8; i++) {
        int n = decode_escapes(inputs[i], out);
        int k;
        printf("%-18s -> %2d:", inputs[i], n);
        for (k = 0; k < n; k++) printf(" %02x", (unsigned)(unsigned char)out[k]);
        printf("\n");
        total += n;
    }
    {
        char c = (char)0xE9;
        switch (c) {
        case (char)0xE9: printf("negative char case matched (%d)\n", c); break;
        default: printf("no match\n");
        }
    }
    return total;
}
