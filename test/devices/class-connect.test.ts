// The simulated keyboard class driver above a port driver's stack: the connect request after
// IRP_MN_START_DEVICE, the class service callback recording packets at DISPATCH_LEVEL, and the
// bug checks Verifier raises when a port driver calls it at the wrong IRQL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceConfig } from '../../kernel-sim/scenario/project-types';
import { config, runDriver } from '../nt/harness';

/** A PnP keyboard port driver for the 8042; CALL_FROM defines where it calls the class service. */
const PORT_DRIVER = `
#include <ntddk.h>
#include <kbdmou.h>
#include <ntddkbd.h>

typedef struct _PORT_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT Lower;
    PKINTERRUPT Interrupt;
    KDPC Dpc;
    CONNECT_DATA Connect;
    BOOLEAN Connected;
    UCHAR Ring[32];
    LONG Head, Tail;
} PORT_EXTENSION, *PPORT_EXTENSION;

static VOID CallClass(PPORT_EXTENSION x, UCHAR scan)
{
    KEYBOARD_INPUT_DATA data;
    ULONG consumed = 0;
    RtlZeroMemory(&data, sizeof data);
    data.MakeCode = scan & 0x7F;
    data.Flags = (scan & 0x80) ? KEY_BREAK : KEY_MAKE;
    (*(PSERVICE_CALLBACK_ROUTINE)(ULONG_PTR)x->Connect.ClassService)(x->Connect.ClassDeviceObject, &data, &data + 1, &consumed);
    DbgPrint("consumed %lu\\n", consumed);
}

KSERVICE_ROUTINE PortIsr;
BOOLEAN PortIsr(PKINTERRUPT Interrupt, PVOID Context)
{
    PPORT_EXTENSION x = (PPORT_EXTENSION)Context;
    UCHAR b;
    UNREFERENCED_PARAMETER(Interrupt);
    if ((READ_PORT_UCHAR((PUCHAR)0x64) & 0x01) == 0) return FALSE;
    b = READ_PORT_UCHAR((PUCHAR)0x60);
    if (b == 0x55 || b == 0xFA) return TRUE;      /* controller replies, not keys */
#if CALL_FROM == 1
    CallClass(x, b);                              /* wrong: the class service at DIRQL */
#else
    x->Ring[x->Head++ & 31] = b;
    KeInsertQueueDpc(&x->Dpc, NULL, NULL);
#endif
    return TRUE;
}

static BOOLEAN TakeByte(PVOID Context)
{
    PPORT_EXTENSION x = (PPORT_EXTENSION)Context;
    return x->Tail != x->Head;
}

KDEFERRED_ROUTINE PortDpc;
VOID PortDpc(PKDPC Dpc, PVOID Context, PVOID A1, PVOID A2)
{
    PPORT_EXTENSION x = (PPORT_EXTENSION)Context;
    UNREFERENCED_PARAMETER(Dpc); UNREFERENCED_PARAMETER(A1); UNREFERENCED_PARAMETER(A2);
    while (KeSynchronizeExecution(x->Interrupt, TakeByte, x)) {
        CallClass(x, x->Ring[x->Tail++ & 31]);
    }
}

static NTSTATUS Complete(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

DRIVER_DISPATCH PortInternalIoctl;
NTSTATUS PortInternalIoctl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PPORT_EXTENSION x = (PPORT_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(Irp);
    if (sl->Parameters.DeviceIoControl.IoControlCode != IOCTL_INTERNAL_KEYBOARD_CONNECT) return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST);
    if (x->Connected) return Complete(Irp, STATUS_SHARING_VIOLATION);
    if (sl->Parameters.DeviceIoControl.InputBufferLength < sizeof(CONNECT_DATA)) return Complete(Irp, STATUS_INVALID_PARAMETER);
    x->Connect = *(PCONNECT_DATA)sl->Parameters.DeviceIoControl.Type3InputBuffer;
    x->Connected = TRUE;
#if CALL_FROM == 2
    CallClass(x, 0x1E);                           /* wrong: the class service at PASSIVE_LEVEL */
#endif
    return Complete(Irp, STATUS_SUCCESS);
}

DRIVER_DISPATCH PortPnp;
NTSTATUS PortPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PPORT_EXTENSION x = (PPORT_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status;
    switch (sl->MinorFunction) {
    case IRP_MN_START_DEVICE:
        status = IoConnectInterrupt(&x->Interrupt, PortIsr, x, NULL, 0x81, 8, 8, Latched, FALSE, 1, FALSE);
        if (NT_SUCCESS(status)) WRITE_PORT_UCHAR((PUCHAR)0x64, 0xAA);
        return Complete(Irp, status);
    case IRP_MN_REMOVE_DEVICE:
        if (x->Interrupt) IoDisconnectInterrupt(x->Interrupt);
        KeFlushQueuedDpcs();
        IoDetachDevice(x->Lower);
        IoDeleteDevice(DeviceObject);
        return Complete(Irp, STATUS_SUCCESS);
    default:
        return Complete(Irp, STATUS_SUCCESS);
    }
}

DRIVER_ADD_DEVICE PortAddDevice;
NTSTATUS PortAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT Pdo)
{
    PDEVICE_OBJECT fdo;
    PPORT_EXTENSION x;
    NTSTATUS status = IoCreateDevice(DriverObject, sizeof(PORT_EXTENSION), NULL, FILE_DEVICE_8042_PORT, 0, FALSE, &fdo);
    if (!NT_SUCCESS(status)) return status;
    x = (PPORT_EXTENSION)fdo->DeviceExtension;
    x->Self = fdo;
    x->Lower = IoAttachDeviceToDeviceStack(fdo, Pdo);
    KeInitializeDpc(&x->Dpc, PortDpc, x);
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_PNP] = PortPnp;
    DriverObject->MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = PortInternalIoctl;
    DriverObject->DriverExtension->AddDevice = PortAddDevice;
    return STATUS_SUCCESS;
}
`;

const I8042: DeviceConfig = {
  id: 'kbd',
  model: 'i8042',
  bus: 'isa',
  hardwareId: '*PNP0303',
  resources: [
    { type: 'port', start: 0x60, length: 1 },
    { type: 'port', start: 0x64, length: 1 },
    { type: 'interrupt', vector: 0x81, level: 8, affinity: 1, mode: 'latched', shared: false },
  ],
  registers: {},
  params: { byteTimeUs: 100 },
  classDriver: ['keyboard'],
};

function run(callFrom: 0 | 1 | 2, verifier = true): ReturnType<typeof runDriver> {
  const driver = `#define CALL_FROM ${callFrom}\n${PORT_DRIVER}`;
  return runDriver(
    { '/drv/port.c': driver },
    config({ cpus: 1, verifier, devices: [I8042], scenario: { untilNs: 5_000_000, stimuli: [{ kind: 'action', device: 'kbd', atNs: 1_000_000, action: 'type', args: { keys: 'ab' } }] } }),
  );
}

test('class connect: the port driver gets IOCTL_INTERNAL_KEYBOARD_CONNECT and the class callback records make/break packets', () => {
  const r = run(0);
  assert.equal(r.bugCheck, undefined, r.analyze);
  assert.ok(r.log.some((l) => /IOCTL_INTERNAL_KEYBOARD_CONNECT for kbd completed with 0x00000000/.test(l)), r.log.join(''));
  assert.deepEqual(
    r.classInput.map((p) => [p.inputClass, p.device, p.fields.MakeCode, p.fields.Flags]),
    [
      ['keyboard', 'kbd', 0x1e, 0],
      ['keyboard', 'kbd', 0x1e, 1],
      ['keyboard', 'kbd', 0x30, 0],
      ['keyboard', 'kbd', 0x30, 1],
    ],
  );
  assert.ok(r.classInput.every((p) => p.atNs >= 1_000_000));
  assert.equal(r.log.filter((l) => l === 'consumed 1\n').length, 4);
});

test('class service called from the ISR: Verifier catches it (IoCompleteRequest above DISPATCH_LEVEL)', () => {
  const r = run(1);
  assert.equal(r.bugCheck?.code, 0xc4, r.analyze);
  assert.equal(r.bugCheck?.args[1], 8n, 'P2 is the IRQL (DIRQL 8)');
  assert.match(r.analyze ?? '', /class service callback/);
  assert.match(r.analyze ?? '', /PortIsr|CallClass/);
});

test('class service called at PASSIVE_LEVEL: 0xC4/0x40 (its KeAcquireSpinLockAtDpcLevel below DISPATCH_LEVEL)', () => {
  const r = run(2);
  assert.equal(r.bugCheck?.code, 0xc4, r.analyze);
  assert.equal(r.bugCheck?.args[0], 0x40n);
  assert.equal(r.bugCheck?.args[1], 0n);
});

test('without Verifier a wrong-IRQL class call is a warning, and the packets still arrive', () => {
  const r = run(1, false);
  assert.equal(r.bugCheck, undefined, r.analyze);
  assert.equal(r.classInput.length, 4);
  assert.ok(r.warnings.some((w) => /KeyboardClassServiceCallback called at IRQL 8/.test(w.text)));
});

test('the deepest DPC queue is measured', () => {
  const r = run(0);
  assert.ok(r.maxDpcQueueDepth.depth >= 1);
  assert.equal(r.maxDpcQueueDepth.cpu, 0);
});
