/* memmove handles overlap in both directions; memcpy on disjoint buffers; memchr. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char buf[32];
    int i, shifts = 0;
    strcpy(buf, "0123456789abcdef");
    memmove(buf + 4, buf, 10);
    buf[16] = '\0';
    printf("right overlap: %s\n", buf);
    strcpy(buf, "0123456789abcdef");
    memmove(buf, buf + 4, 10);
    printf("left overlap:  %s\n", buf);
    strcpy(buf, "0123456789abcdef");
    memmove(buf + 3, buf + 3, 5);
    printf("self move:     %s\n", buf);
    memmove(buf, buf + 1, 0);
    {
        int arr[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        for (i = 0; i < 3; i++) {
            memmove(arr + 1, arr, 9 * sizeof(int)); /* rotate right by one */
            arr[0] = -i;
            shifts++;
        }
        for (i = 0; i < 10; i++) printf("%d ", arr[i]);
        printf("\n");
    }
    {
        char src[8] = "abcdefg", dst[8];
        void *r = memcpy(dst, src, 8);
        printf("memcpy: %s ret==dst %d\n", dst, r == dst);
        const char *hay = "find the x in here";
        const char *hit = (const char *)memchr(hay, 'x', strlen(hay));
        printf("memchr x at %d, memchr z %s\n", (int)(hit - hay), memchr(hay, 'z', strlen(hay)) ? "found" : "null");
    }
    return shifts;
}
