/* Register programming with volatile MMIO-style accesses: masks, shifts, read-modify-write, W1C bits. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef unsigned short USHORT;
typedef unsigned char UCHAR;

/* a fake BAR: 16 registers */
static volatile ULONG g_Bar[16];

#define REG_CTRL 0
#define REG_STATUS 1
#define REG_INT_MASK 2
#define REG_DMA_LO 3
#define REG_DMA_HI 4
#define REG_CONFIG 5

#define CTRL_ENABLE (1u << 0)
#define CTRL_RESET (1u << 1)
#define CTRL_IRQ_EN (1u << 4)
#define CTRL_MODE_SHIFT 8
#define CTRL_MODE_MASK (0x7u << CTRL_MODE_SHIFT)
#define STATUS_RX (1u << 0)
#define STATUS_TX (1u << 1)
#define STATUS_ERR (1u << 7)
#define CONFIG_FIELD(v, shift, width) (((v) >> (shift)) & ((1u << (width)) - 1u))

static ULONG READ_REGISTER_ULONG(volatile ULONG *r) { return *r; }
static void WRITE_REGISTER_ULONG(volatile ULONG *r, ULONG v) { *r = v; }
static void write_status_w1c(ULONG bits) { g_Bar[REG_STATUS] &= ~bits; } /* write-1-to-clear emulation */

static void set_mode(ULONG mode)
{
    ULONG ctrl = READ_REGISTER_ULONG(&g_Bar[REG_CTRL]);
    ctrl = (ctrl & ~CTRL_MODE_MASK) | ((mode << CTRL_MODE_SHIFT) & CTRL_MODE_MASK);
    WRITE_REGISTER_ULONG(&g_Bar[REG_CTRL], ctrl);
}

int main(void)
{
    unsigned long long dma = 0x00000001FFFF1000ULL, back;
    ULONG cfg, i, handled = 0;
    WRITE_REGISTER_ULONG(&g_Bar[REG_CTRL], CTRL_RESET);
    WRITE_REGISTER_ULONG(&g_Bar[REG_CTRL], READ_REGISTER_ULONG(&g_Bar[REG_CTRL]) & ~CTRL_RESET);
    WRITE_REGISTER_ULONG(&g_Bar[REG_CTRL], READ_REGISTER_ULONG(&g_Bar[REG_CTRL]) | CTRL_ENABLE | CTRL_IRQ_EN);
    set_mode(5);
    printf("ctrl=%08x mode=%u\n", g_Bar[REG_CTRL], (g_Bar[REG_CTRL] & CTRL_MODE_MASK) >> CTRL_MODE_SHIFT);
    set_mode(9); /* truncated by the mask */
    printf("ctrl=%08x mode=%u\n", g_Bar[REG_CTRL], (g_Bar[REG_CTRL] & CTRL_MODE_MASK) >> CTRL_MODE_SHIFT);
    WRITE_REGISTER_ULONG(&g_Bar[REG_DMA_LO], (ULONG)dma);
    WRITE_REGISTER_ULONG(&g_Bar[REG_DMA_HI], (ULONG)(dma >> 32));
    back = ((unsigned long long)g_Bar[REG_DMA_HI] << 32) | g_Bar[REG_DMA_LO];
    printf("dma=%llx back=%llx equal=%d\n", dma, back, dma == back);
    g_Bar[REG_CONFIG] = 0xA5C3F00Du;
    cfg = READ_REGISTER_ULONG(&g_Bar[REG_CONFIG]);
    printf("config fields: rev=%u vendor=%x lanes=%u speed=%u\n", CONFIG_FIELD(cfg, 0, 8), CONFIG_FIELD(cfg, 8, 12), CONFIG_FIELD(cfg, 20, 4),
           CONFIG_FIELD(cfg, 24, 8));
    for (i = 0; i < 20; i++) {
        ULONG st;
        g_Bar[REG_STATUS] |= (i % 3 == 0 ? STATUS_RX : 0) | (i % 4 == 0 ? STATUS_TX : 0) | (i % 9 == 8 ? STATUS_ERR : 0);
        st = READ_REGISTER_ULONG(&g_Bar[REG_STATUS]);
        if (st & (STATUS_RX | STATUS_TX | STATUS_ERR)) {
            if (st & STATUS_ERR) printf("error at %u (status %02x)\n", i, st);
            handled += (st & STATUS_RX ? 1 : 0) + (st & STATUS_TX ? 1 : 0);
            write_status_w1c(st);
        }
    }
    {
        USHORT hw = (USHORT)(g_Bar[REG_CTRL] >> 4);
        UCHAR lo = (UCHAR)g_Bar[REG_CTRL];
        printf("handled=%u status=%08x hw=%04x lo=%02x\n", handled, g_Bar[REG_STATUS], (unsigned)hw, (unsigned)lo);
    }
    return (int)handled;
}
