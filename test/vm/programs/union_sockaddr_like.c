/* A union of differently shaped headers sharing a common initial sequence (family field). */
#include <stdio.h>
#include <string.h>

typedef struct { unsigned short family; unsigned short port; unsigned char addr[4]; } V4;
typedef struct { unsigned short family; unsigned short port; unsigned char addr[16]; } V6;
typedef struct { unsigned short family; char path[20]; } LOCAL;

typedef union {
    unsigned short family;
    V4 v4;
    V6 v6;
    LOCAL local;
} ADDR;

static void describe(const ADDR *a)
{
    int i;
    switch (a->family) {
    case 4:
        printf("v4 %u.%u.%u.%u:%u\n", (unsigned)a->v4.addr[0], (unsigned)a->v4.addr[1], (unsigned)a->v4.addr[2], (unsigned)a->v4.addr[3],
               (unsigned)a->v4.port);
        break;
    case 6:
        printf("v6 ");
        for (i = 0; i < 16; i += 2) printf("%x%s", (unsigned)((a->v6.addr[i] << 8) | a->v6.addr[i + 1]), i < 14 ? ":" : "");
        printf(" port %u\n", (unsigned)a->v6.port);
        break;
    case 1:
        printf("local %s\n", a->local.path);
        break;
    default:
        printf("unknown family %u\n", (unsigned)a->family);
    }
}

int main(void)
{
    ADDR addrs[4];
    int i;
    memset(addrs, 0, sizeof addrs);
    addrs[0].v4.family = 4;
    addrs[0].v4.port = 8080;
    addrs[0].v4.addr[0] = 192;
    addrs[0].v4.addr[1] = 168;
    addrs[0].v4.addr[3] = 7;
    addrs[1].v6.family = 6;
    addrs[1].v6.port = 443;
    addrs[1].v6.addr[0] = 0xfe;
    addrs[1].v6.addr[1] = 0x80;
    addrs[1].v6.addr[15] = 1;
    addrs[2].local.family = 1;
    strcpy(addrs[2].local.path, "/tmp/kdsim.sock");
    addrs[3].family = 99;
    for (i = 0; i < 4; i++) describe(&addrs[i]);
    printf("sizeof(ADDR)=%u\n", (unsigned)sizeof(ADDR));
    return (int)sizeof(ADDR);
}
