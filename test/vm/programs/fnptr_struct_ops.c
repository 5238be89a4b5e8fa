/* A struct of function pointers as an interface (driver dispatch / vtable style). */
#include <stdio.h>

typedef struct DEVICE DEVICE;
typedef struct {
    const char *Name;
    int (*Open)(DEVICE *);
    int (*Read)(DEVICE *, char *, int);
    int (*Write)(DEVICE *, const char *, int);
    void (*Close)(DEVICE *);
} DEVICE_OPS;

struct DEVICE {
    const DEVICE_OPS *Ops;
    int OpenCount;
    char Buffer[32];
    int Length;
};

static int null_open(DEVICE *d) { d->OpenCount++; return 0; }
static int null_read(DEVICE *d, char *b, int n) { (void)d; (void)b; (void)n; return 0; }
static int null_write(DEVICE *d, const char *b, int n) { (void)d; (void)b; return n; }
static void null_close(DEVICE *d) { d->OpenCount--; }

static int echo_open(DEVICE *d) { d->OpenCount++; d->Length = 0; return 0; }
static int echo_write(DEVICE *d, const char *b, int n)
{
    int i;
    for (i = 0; i < n && d->Length < (int)sizeof d->Buffer; i++) d->Buffer[d->Length++] = b[i];
    return i;
}
static int echo_read(DEVICE *d, char *b, int n)
{
    int i, k = n < d->Length ? n : d->Length;
    for (i = 0; i < k; i++) b[i] = d->Buffer[i];
    for (i = k; i < d->Length; i++) d->Buffer[i - k] = d->Buffer[i];
    d->Length -= k;
    return k;
}

static const DEVICE_OPS NullOps = { "null", null_open, null_read, null_write, null_close };
static const DEVICE_OPS EchoOps = { "echo", echo_open, echo_read, echo_write, null_close };

static int exercise(DEVICE *d)
{
    char buf[16];
    int w, r, total = 0;
    d->Ops->Open(d);
    w = d->Ops->Write(d, "hello, device", 13);
    r = d->Ops->Read(d, buf, 5);
    buf[r] = '\0';
    printf("%s: wrote %d read %d '%s'", d->Ops->Name, w, r, buf);
    total += w + r;
    r = d->Ops->Read(d, buf, 15);
    buf[r] = '\0';
    printf(" then %d '%s' open=%d\n", r, buf, d->OpenCount);
    d->Ops->Close(d);
    return total + r;
}

int main(void)
{
    DEVICE devs[2] = { { &NullOps, 0, { 0 }, 0 }, { &EchoOps, 0, { 0 }, 0 } };
    int i, t = 0;
    for (i = 0; i < 2; i++) t += exercise(&devs[i]);
    printf("open counts %d %d total %d\n", devs[0].OpenCount, devs[1].OpenCount, t);
    return t;
}
