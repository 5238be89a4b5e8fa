/* IRP dispatch: a MajorFunction table, IO_STACK_LOCATION parameters, completion with status/information. */
#include <stdio.h>
#include <string.h>

typedef int NTSTATUS;
typedef unsigned int ULONG;
typedef unsigned char UCHAR;
typedef unsigned long long ULONG_PTR;
#define STATUS_SUCCESS ((NTSTATUS)0x00000000)
#define STATUS_INVALID_DEVICE_REQUEST ((NTSTATUS)0xC0000010)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)
#define STATUS_END_OF_FILE ((NTSTATUS)0xC0000011)
#define NT_SUCCESS(s) (((NTSTATUS)(s)) >= 0)
#define IRP_MJ_CREATE 0x00
#define IRP_MJ_CLOSE 0x02
#define IRP_MJ_READ 0x03
#define IRP_MJ_WRITE 0x04
#define IRP_MJ_DEVICE_CONTROL 0x0e
#define IRP_MJ_MAXIMUM_FUNCTION 0x1b
#define IOCTL_GET_COUNT 0x222004u
#define IOCTL_RESET 0x222008u

typedef struct _IO_STATUS_BLOCK { NTSTATUS Status; ULONG_PTR Information; } IO_STATUS_BLOCK;
typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;
    union {
        struct { ULONG Length; long long ByteOffset; } Read;
        struct { ULONG Length; long long ByteOffset; } Write;
        struct { ULONG OutputBufferLength; ULONG InputBufferLength; ULONG IoControlCode; } DeviceIoControl;
    } Parameters;
} IO_STACK_LOCATION;
typedef struct _IRP { IO_STATUS_BLOCK IoStatus; void *SystemBuffer; IO_STACK_LOCATION Stack; } IRP;
typedef struct _DEVICE { char Data[64]; ULONG Size; ULONG OpenCount; ULONG Requests; } DEVICE;
typedef NTSTATUS (*PDRIVER_DISPATCH)(DEVICE *, IRP *);

static NTSTATUS Complete(IRP *Irp, NTSTATUS s, ULONG_PTR info)
{
    Irp->IoStatus.Status = s;
    Irp->IoStatus.Information = info;
    return s;
}
static NTSTATUS DispatchCreateClose(DEVICE *d, IRP *Irp)
{
    if (Irp->Stack.MajorFunction == IRP_MJ_CREATE) d->OpenCount++;
    else d->OpenCount--;
    return Complete(Irp, STATUS_SUCCESS, 0);
}
static NTSTATUS DispatchRead(DEVICE *d, IRP *Irp)
{
    long long off = Irp->Stack.Parameters.Read.ByteOffset;
    ULONG len = Irp->Stack.Parameters.Read.Length, avail;
    if (off >= d->Size) return Complete(Irp, STATUS_END_OF_FILE, 0);
    avail = d->Size - (ULONG)off;
    if (len > avail) len = avail;
    memcpy(Irp->SystemBuffer, d->Data + off, len);
    return Complete(Irp, STATUS_SUCCESS, len);
}
static NTSTATUS DispatchWrite(DEVICE *d, IRP *Irp)
{
    ULONG len = Irp->Stack.Parameters.Write.Length;
    long long off = Irp->Stack.Parameters.Write.ByteOffset;
    if (off + len > sizeof d->Data) return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    memcpy(d->Data + off, Irp->SystemBuffer, len);
    if (off + len > d->Size) d->Size = (ULONG)(off + len);
    return Complete(Irp, STATUS_SUCCESS, len);
}
static NTSTATUS DispatchIoctl(DEVICE *d, IRP *Irp)
{
    switch (Irp->Stack.Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_GET_COUNT:
        if (Irp->Stack.Parameters.DeviceIoControl.OutputBufferLength < sizeof(ULONG)) return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        *(ULONG *)Irp->SystemBuffer = d->Requests;
        return Complete(Irp, STATUS_SUCCESS, sizeof(ULONG));
    case IOCTL_RESET:
        d->Size = 0;
        return Complete(Irp, STATUS_SUCCESS, 0);
    }
    return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}
static NTSTATUS DispatchUnsupported(DEVICE *d, IRP *Irp)
{
    (void)d;
    return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

static PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];

static NTSTATUS IoCallDriver(DEVICE *d, IRP *Irp)
{
    d->Requests++;
    return MajorFunction[Irp->Stack.MajorFunction](d, Irp);
}

int main(void)
{
    DEVICE dev;
    IRP irp;
    char buf[64];
    ULONG count = 0;
    int i, failures = 0;
    NTSTATUS s;
    memset(&dev, 0, sizeof dev);
    for (i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) MajorFunction[i] = DispatchUnsupported;
    MajorFunction[IRP_MJ_CREATE] = MajorFunction[IRP_MJ_CLOSE] = DispatchCreateClose;
    MajorFunction[IRP_MJ_READ] = DispatchRead;
    MajorFunction[IRP_MJ_WRITE] = DispatchWrite;
    MajorFunction[IRP_MJ_DEVICE_CONTROL] = DispatchIoctl;
#define SEND(mj, setup) do { memset(&irp, 0, sizeof irp); irp.Stack.MajorFunction = (mj); irp.SystemBuffer = buf; setup; s = IoCallDriver(&dev, &irp); \
        printf("mj=%02x status=%08x info=%llu\n", (unsigned)(mj), (unsigned)s, irp.IoStatus.Information); if (!NT_SUCCESS(s)) failures++; } while (0)
    SEND(IRP_MJ_CREATE, (void)0);
    strcpy(buf, "hello kernel");
    SEND(IRP_MJ_WRITE, (irp.Stack.Parameters.Write.Length = 12, irp.Stack.Parameters.Write.ByteOffset = 0));
    strcpy(buf, ", world");
    SEND(IRP_MJ_WRITE, (irp.Stack.Parameters.Write.Length = 7, irp.Stack.Parameters.Write.ByteOffset = 12));
    SEND(IRP_MJ_WRITE, (irp.Stack.Parameters.Write.Length = 10, irp.Stack.Parameters.Write.ByteOffset = 60));
    memset(buf, 0, sizeof buf);
    SEND(IRP_MJ_READ, (irp.Stack.Parameters.Read.Length = 40, irp.Stack.Parameters.Read.ByteOffset = 6));
    printf("read back: \"%s\"\n", buf);
    SEND(IRP_MJ_READ, (irp.Stack.Parameters.Read.Length = 4, irp.Stack.Parameters.Read.ByteOffset = 100));
    SEND(IRP_MJ_DEVICE_CONTROL, (irp.Stack.Parameters.DeviceIoControl.IoControlCode = IOCTL_GET_COUNT, irp.Stack.Parameters.DeviceIoControl.OutputBufferLength = 4));
    memcpy(&count, buf, sizeof count);
    printf("request count reported=%u\n", count);
    SEND(IRP_MJ_DEVICE_CONTROL, (irp.Stack.Parameters.DeviceIoControl.IoControlCode = IOCTL_GET_COUNT, irp.Stack.Parameters.DeviceIoControl.OutputBufferLength = 2));
    SEND(IRP_MJ_DEVICE_CONTROL, (irp.Stack.Parameters.DeviceIoControl.IoControlCode = 0x999u));
    SEND(0x09, (void)0);
    SEND(IRP_MJ_CLOSE, (void)0);
    printf("failures=%d opens=%u size=%u requests=%u\n", failures, dev.OpenCount, dev.Size, dev.Requests);
    return failures * 10 + (int)dev.OpenCount;
}
