/* A device register overlay: union of the raw 32-bit value and named byte/halfword views. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef unsigned short USHORT;
typedef unsigned char UCHAR;

typedef union _CONTROL_REG {
    ULONG AsUlong;
    struct {
        UCHAR Command;
        UCHAR Status;
        USHORT Count;
    } Fields;
    UCHAR Bytes[4];
} CONTROL_REG;

static volatile ULONG g_hw_register;

static void hw_write(CONTROL_REG r) { g_hw_register = r.AsUlong; }
static CONTROL_REG hw_read(void)
{
    CONTROL_REG r;
    r.AsUlong = g_hw_register;
    return r;
}

int main(void)
{
    CONTROL_REG r;
    int i;
    r.AsUlong = 0;
    r.Fields.Command = 0x5A;
    r.Fields.Status = 0x01;
    r.Fields.Count = 1000;
    hw_write(r);
    printf("register=%08x\n", g_hw_register);
    for (i = 0; i < 5; i++) {
        CONTROL_REG cur = hw_read();
        cur.Fields.Count = (USHORT)(cur.Fields.Count - 250);
        cur.Fields.Status = (UCHAR)(cur.Fields.Status << 1);
        cur.Bytes[0] ^= 0xFF;
        hw_write(cur);
        printf("step %d: %08x cmd=%02x status=%02x count=%u\n", i, g_hw_register, (unsigned)cur.Fields.Command,
               (unsigned)cur.Fields.Status, (unsigned)cur.Fields.Count);
    }
    printf("sizeof=%u\n", (unsigned)sizeof(CONTROL_REG));
    return (int)(hw_read().Bytes[0] & 0x3F);
}
