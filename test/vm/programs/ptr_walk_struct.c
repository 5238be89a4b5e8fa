/* Walking arrays of structs with begin/end pointers and pointer-to-member-field arithmetic. */
#include <stdio.h>

typedef struct {
    unsigned short Vendor;
    unsigned short Device;
    unsigned char Class;
    unsigned char Irq;
    const char *Name;
} PCI_DEV;

static const PCI_DEV devices[] = {
    { 0x8086, 0x100E, 0x02, 11, "e1000" },
    { 0x1AF4, 0x1000, 0x02, 10, "virtio-net" },
    { 0x8086, 0x2922, 0x01, 9, "ahci" },
    { 0x1234, 0x1111, 0x03, 0, "vga" },
    { 0x1AF4, 0x1001, 0x01, 10, "virtio-blk" },
};

int main(void)
{
    const PCI_DEV *p, *end = devices + sizeof devices / sizeof devices[0];
    int per_irq[16] = { 0 };
    int i, net = 0;
    for (p = devices; p < end; ++p) {
        printf("%04x:%04x class %02x irq %2u %s\n", (unsigned)p->Vendor, (unsigned)p->Device, (unsigned)p->Class, (unsigned)p->Irq, p->Name);
        per_irq[p->Irq]++;
        if (p->Class == 0x02) net++;
    }
    for (i = 0; i < 16; i++)
        if (per_irq[i] > 1) printf("irq %d shared by %d devices\n", i, per_irq[i]);
    for (p = end - 1; p >= devices; --p) {
        if (p->Vendor == 0x1AF4) {
            printf("last virtio: %s at index %d\n", p->Name, (int)(p - devices));
            break;
        }
    }
    {
        const unsigned short *vendor_field = &devices[2].Vendor;
        const PCI_DEV *owner = (const PCI_DEV *)vendor_field;
        printf("owner of field: %s\n", owner->Name);
    }
    return net * 10 + (int)(end - devices);
}
