// A scenario request's result is recorded when the IRP completes, not when the waiting
// "application" thread next runs: a read the driver completes while the device is being
// removed (after the scenario's end) is reported completed, with its status.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { config, runDriver } from './harness';

/** Pends every read; completes the pending one with STATUS_DELETE_PENDING on removal. */
const DRIVER = `
#include <ntddk.h>

static PIRP PendingRead;

DRIVER_DISPATCH Read;
NTSTATUS Read(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    IoMarkIrpPending(Irp);
    PendingRead = Irp;
    return STATUS_PENDING;
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
    fdo->Flags |= DO_BUFFERED_IO;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

DRIVER_DISPATCH Pnp;
NTSTATUS Pnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    if (IoGetCurrentIrpStackLocation(Irp)->MinorFunction == IRP_MN_REMOVE_DEVICE) {
        if (PendingRead != NULL) {
            PIRP read = PendingRead;
            PendingRead = NULL;
            read->IoStatus.Status = STATUS_DELETE_PENDING;
            read->IoStatus.Information = 0;
            IoCompleteRequest(read, IO_NO_INCREMENT);
        }
        IoDetachDevice(*(PDEVICE_OBJECT *)DeviceObject->DeviceExtension);
        IoDeleteDevice(DeviceObject);
    }
    return Pass(DeviceObject, Irp);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_READ] = Read;
    DriverObject->MajorFunction[IRP_MJ_PNP] = Pnp;
    DriverObject->DriverExtension->AddDevice = AddDevice;
    return STATUS_SUCCESS;
}
`;

test('a read completed during device removal is recorded as completed, with its status and time', () => {
  const r = runDriver({ '/drv/d.c': DRIVER }, config({ scenario: { untilNs: 3_000_000, requests: [{ major: 'read', atNs: 1_000_000, length: 4 }] } }));
  assert.equal(r.bugCheck, undefined, r.analyze);
  const [q] = r.requests;
  assert.equal(q.completed, true, 'completed');
  assert.equal(q.status, 0xc0000056); // STATUS_DELETE_PENDING
  assert.ok(q.completedAtNs !== undefined && q.completedAtNs >= 3_000_000, `completed at ${q.completedAtNs} ns, during removal after the scenario's end`);
  assert.equal(q.data, undefined, 'an error status returns no data');
});
