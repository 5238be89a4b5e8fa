/* One-bit flags in a bit-field struct: set, clear, toggle, count. */
#include <stdio.h>

typedef struct {
    unsigned int Busy : 1;
    unsigned int Error : 1;
    unsigned int Ready : 1;
    unsigned int Pending : 1;
    unsigned int Removed : 1;
    unsigned int Reserved : 27;
} DEVICE_FLAGS;

static int count_flags(const DEVICE_FLAGS *f) { return (int)(f->Busy + f->Error + f->Ready + f->Pending + f->Removed); }

static void show(int step, const DEVICE_FLAGS *f)
{
    printf("%2d: B%u E%u R%u P%u X%u count=%d\n", step, (unsigned)f->Busy, (unsigned)f->Error, (unsigned)f->Ready, (unsigned)f->Pending,
           (unsigned)f->Removed, count_flags(f));
}

int main(void)
{
    DEVICE_FLAGS f = { 0 };
    int step, sum = 0;
    for (step = 0; step < 12; step++) {
        switch (step % 4) {
        case 0: f.Busy = !f.Busy; break;
        case 1: f.Ready = 1; f.Pending ^= 1; break;
        case 2: f.Error = (step & 2) ? 1 : 0; break;
        case 3: f.Removed = f.Busy & f.Ready; f.Error = 0; break;
        }
        show(step, &f);
        sum += count_flags(&f);
    }
    f.Reserved = 0x7FFFFFF;
    printf("reserved=%x busy still %u\n", (unsigned)f.Reserved, (unsigned)f.Busy);
    if (f.Ready && !f.Error) printf("ready and no error\n");
    return sum;
}
