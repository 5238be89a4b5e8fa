/* ISR/DPC ring buffer: the ISR pushes status words, the DPC drains them; overflow counting. */
#include <stdio.h>

typedef unsigned int ULONG;
typedef unsigned char BOOLEAN;
#define TRUE 1
#define FALSE 0
#define RING_SIZE 32
#define RING_MASK (RING_SIZE - 1)

typedef struct _DEVICE_EXTENSION {
    ULONG Ring[RING_SIZE];
    ULONG Head, Tail;
    ULONG Dropped, Processed, Interrupts, Spurious;
    ULONG Checksum;
} DEVICE_EXTENSION, *PDEVICE_EXTENSION;

static volatile ULONG g_InterruptStatus;

static BOOLEAN Isr(PDEVICE_EXTENSION Ext)
{
    ULONG status = g_InterruptStatus, next;
    if ((status & 0x1u) == 0) {
        Ext->Spurious++;
        return FALSE;
    }
    g_InterruptStatus = 0; /* acknowledge */
    Ext->Interrupts++;
    next = (Ext->Head + 1) & RING_MASK;
    if (next == Ext->Tail) {
        Ext->Dropped++;
        return TRUE;
    }
    Ext->Ring[Ext->Head] = status;
    Ext->Head = next;
    return TRUE;
}

static void Dpc(PDEVICE_EXTENSION Ext, ULONG budget)
{
    while (Ext->Tail != Ext->Head && budget--) {
        ULONG v = Ext->Ring[Ext->Tail];
        Ext->Tail = (Ext->Tail + 1) & RING_MASK;
        Ext->Checksum = (Ext->Checksum ^ (v >> 3)) + ((v << 5) | (v & 0xFFu));
        Ext->Processed++;
    }
}

int main(void)
{
    DEVICE_EXTENSION ext = { { 0 }, 0, 0, 0, 0, 0, 0, 0 };
    ULONG seed = 0xC0FFEEu, tick;
    int queued = 0;
    for (tick = 0; tick < 2000; tick++) {
        seed = seed * 1664525u + 1013904223u;
        g_InterruptStatus = (seed >> 8) | ((seed >> 31) ? 1u : 0u);
        if (Isr(&ext)) queued = 1;
        if (queued && (tick % 50 == 49)) { /* the DPC runs late and with a budget */
            Dpc(&ext, 24);
            queued = ext.Head != ext.Tail;
        }
    }
    Dpc(&ext, 1000);
    printf("interrupts=%u spurious=%u processed=%u dropped=%u checksum=%08x\n", ext.Interrupts, ext.Spurious, ext.Processed, ext.Dropped, ext.Checksum);
    printf("balanced: %d\n", ext.Interrupts == ext.Processed + ext.Dropped);
    return (int)(ext.Dropped % 100);
}
