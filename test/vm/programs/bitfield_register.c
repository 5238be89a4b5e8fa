/* Hardware register layout: bit-field view over a ULONG (all fields ULONG, LSB first). */
#include <stdio.h>

typedef unsigned int ULONG;

typedef union _INT_STATUS {
    struct {
        ULONG RxDone : 1;
        ULONG TxDone : 1;
        ULONG Overrun : 1;
        ULONG Reserved1 : 5;
        ULONG Channel : 4;
        ULONG Count : 12;
        ULONG Vector : 8;
    } Bits;
    ULONG AsUlong;
} INT_STATUS;

int main(void)
{
    INT_STATUS s;
    ULONG raws[] = { 0x00000001u, 0x00000102u, 0xAB123F05u, 0xFFFFFFFFu, 0x80000000u };
    int i;
    unsigned total = 0;
    for (i = 0; i < 5; i++) {
        s.AsUlong = raws[i];
        printf("%08x: rx=%u tx=%u ovr=%u ch=%u count=%u vec=%02x\n", raws[i], (unsigned)s.Bits.RxDone, (unsigned)s.Bits.TxDone,
               (unsigned)s.Bits.Overrun, (unsigned)s.Bits.Channel, (unsigned)s.Bits.Count, (unsigned)s.Bits.Vector);
        total += (unsigned)s.Bits.Count;
    }
    s.AsUlong = 0;
    s.Bits.Vector = 0x5A;
    s.Bits.Count = 4095;
    s.Bits.Channel = 9;
    s.Bits.TxDone = 1;
    printf("composed=%08x\n", s.AsUlong);
    s.Bits.Count += 2;
    printf("count wrapped: %u raw=%08x\n", (unsigned)s.Bits.Count, s.AsUlong);
    s.AsUlong &= ~0x00000F00u;
    printf("channel cleared via mask: %u\n", (unsigned)s.Bits.Channel);
    printf("sizeof=%u total=%u\n", (unsigned)sizeof(INT_STATUS), total);
    return (int)(total % 100);
}
