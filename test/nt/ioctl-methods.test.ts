// Scenario IOCTLs reach the driver the way the I/O manager lays out each transfer type
// (CTL_CODE's Method): METHOD_BUFFERED in SystemBuffer, IN/OUT_DIRECT with the output behind an
// MDL, METHOD_NEITHER in Type3InputBuffer / UserBuffer; what the driver writes comes back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { config, runDriver } from './harness';

/** Reverses the input into the output, finding both where each method puts them. */
const DRIVER = `
#include <ntddk.h>
#define IOCTL_REV(m) CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, m, FILE_ANY_ACCESS)

DRIVER_DISPATCH Ioctl;
NTSTATUS Ioctl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(Irp);
    ULONG code = sl->Parameters.DeviceIoControl.IoControlCode;
    ULONG inLen = sl->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLen = sl->Parameters.DeviceIoControl.OutputBufferLength;
    PUCHAR in = NULL, out = NULL;
    ULONG i, n;
    UNREFERENCED_PARAMETER(DeviceObject);
    switch (METHOD_FROM_CTL_CODE(code)) {
    case METHOD_BUFFERED:
        in = out = (PUCHAR)Irp->AssociatedIrp.SystemBuffer;
        break;
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        in = (PUCHAR)Irp->AssociatedIrp.SystemBuffer;
        out = Irp->MdlAddress ? (PUCHAR)MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority) : NULL;
        break;
    default:
        in = (PUCHAR)sl->Parameters.DeviceIoControl.Type3InputBuffer;
        out = (PUCHAR)Irp->UserBuffer;
        break;
    }
    n = inLen < outLen ? inLen : outLen;
    if (in == NULL || out == NULL) {
        Irp->IoStatus.Status = STATUS_INVALID_PARAMETER;
        Irp->IoStatus.Information = 0;
    } else {
        UCHAR tmp[16];
        for (i = 0; i < n && i < 16; i++) tmp[i] = in[n - 1 - i];
        for (i = 0; i < n && i < 16; i++) out[i] = tmp[i];
        /* Too small an output buffer: a warning, and the part that fits still returns. */
        Irp->IoStatus.Status = n < inLen ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
        /* An input starting 0xFF fails after writing: an error returns no data. */
        if (n > 0 && n <= 16 && tmp[n - 1] == 0xFF) Irp->IoStatus.Status = STATUS_UNSUCCESSFUL;
        Irp->IoStatus.Information = n;
    }
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

DRIVER_DISPATCH Pass;
NTSTATUS Pass(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

DRIVER_ADD_DEVICE AddDevice;
NTSTATUS AddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT Pdo)
{
    PDEVICE_OBJECT fdo;
    NTSTATUS s = IoCreateDevice(DriverObject, sizeof(PVOID), NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &fdo);
    if (!NT_SUCCESS(s)) return s;
    *(PDEVICE_OBJECT *)fdo->DeviceExtension = IoAttachDeviceToDeviceStack(fdo, Pdo);
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

DRIVER_DISPATCH Pnp;
NTSTATUS Pnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    if (IoGetCurrentIrpStackLocation(Irp)->MinorFunction == IRP_MN_REMOVE_DEVICE) {
        IoDetachDevice(*(PDEVICE_OBJECT *)DeviceObject->DeviceExtension);
        IoDeleteDevice(DeviceObject);
    }
    return Pass(DeviceObject, Irp);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = Ioctl;
    DriverObject->MajorFunction[IRP_MJ_PNP] = Pnp;
    DriverObject->DriverExtension->AddDevice = AddDevice;
    return STATUS_SUCCESS;
}
`;

test('each IOCTL transfer method gets its buffers where the I/O manager puts them', () => {
  const code = (method: number): number => (0x22 << 16) | (0x800 << 2) | method;
  const requests = [0, 1, 2, 3].map((method, i) => ({ major: 'ioctl' as const, atNs: 1_000_000 + i * 100_000, ioctl: code(method), data: [1, 2, 3, 4], length: 4 }));
  const r = runDriver({ '/drv/d.c': DRIVER }, config({ scenario: { requests } }));
  assert.equal(r.bugCheck, undefined, r.analyze);
  assert.deepEqual(
    r.requests.map((q) => [q.status, q.information, q.data]),
    [0, 1, 2, 3].map(() => [0, 4, [4, 3, 2, 1]]),
  );
  assert.deepEqual(r.leaks, []);
});

test('data comes back with a warning status (STATUS_BUFFER_OVERFLOW) but not with an error', () => {
  const buffered = (0x22 << 16) | (0x800 << 2);
  const requests = [
    { major: 'ioctl' as const, atNs: 1_000_000, ioctl: buffered, data: [1, 2, 3, 4], length: 2 },
    { major: 'ioctl' as const, atNs: 1_100_000, ioctl: buffered, data: [0xff, 2], length: 2 },
  ];
  const r = runDriver({ '/drv/d.c': DRIVER }, config({ scenario: { requests } }));
  assert.equal(r.bugCheck, undefined, r.analyze);
  assert.deepEqual(
    r.requests.map((q) => [q.status, q.information, q.data]),
    [
      [0x80000005, 2, [2, 1]],
      [0xc0000001, 2, undefined],
    ],
  );
});
