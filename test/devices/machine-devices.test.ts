// Device models driven by real driver C on the simulated kernel: port I/O reaches the model,
// its interrupt lines reach the driver's ISR, and scenario actions reach the model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceConfig } from '../../kernel-sim/scenario/project-types';
import { config, runDriver } from '../nt/harness';

/** A legacy-style keyboard port driver: connects IRQ 1's vector in DriverEntry, ISR reads port 0x60. */
const KBD_DRIVER = `
#include <ntddk.h>
static PKINTERRUPT g_Int;
static KDPC g_Dpc;
static volatile UCHAR g_Bytes[64];
static volatile LONG g_Count;
static LONG g_Printed;

KSERVICE_ROUTINE KbdIsr;
BOOLEAN KbdIsr(PKINTERRUPT Interrupt, PVOID Context)
{
    UNREFERENCED_PARAMETER(Interrupt);
    UNREFERENCED_PARAMETER(Context);
    if ((READ_PORT_UCHAR((PUCHAR)0x64) & 0x01) == 0) {
        return FALSE;                       /* output buffer empty: not ours */
    }
    g_Bytes[g_Count++ & 63] = READ_PORT_UCHAR((PUCHAR)0x60);
    KeInsertQueueDpc(&g_Dpc, NULL, NULL);
    return TRUE;
}

KDEFERRED_ROUTINE KbdDpc;
VOID KbdDpc(PKDPC Dpc, PVOID Ctx, PVOID A1, PVOID A2)
{
    UNREFERENCED_PARAMETER(Dpc); UNREFERENCED_PARAMETER(Ctx); UNREFERENCED_PARAMETER(A1); UNREFERENCED_PARAMETER(A2);
    while (g_Printed < g_Count) {
        DbgPrint("scan %02X\\n", g_Bytes[g_Printed++ & 63]);
    }
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeDpc(&g_Dpc, KbdDpc, NULL);
    status = IoConnectInterrupt(&g_Int, KbdIsr, NULL, NULL, 0x81, 8, 8, Latched, FALSE, 1, FALSE);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    WRITE_PORT_UCHAR((PUCHAR)0x64, 0xAA);   /* controller self-test: 0x55 arrives with IRQ 1 */
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
    { type: 'interrupt', vector: 0x8c, level: 8, affinity: 1, mode: 'latched', shared: false },
  ],
  registers: {},
  params: { byteTimeUs: 100 },
};

test('8042: the self-test reply and typed keys reach the ISR through IRQ 1 as set-1 scan codes', () => {
  const r = runDriver(
    { '/drv/kbd.c': KBD_DRIVER },
    config({ cpus: 1, devices: [I8042], scenario: { untilNs: 5_000_000, stimuli: [{ kind: 'action', device: 'kbd', atNs: 1_000_000, action: 'type', args: { keys: 'a' } }] } }),
  );
  assert.equal(r.bugCheck, undefined, r.analyze);
  const scans = r.log.filter((l) => l.startsWith('scan ')).map((l) => l.trim().slice(5));
  // 0x55 from the controller self-test, then 'a' pressed (1E) and released (9E) with translation on.
  assert.deepEqual(scans, ['55', '1E', '9E']);
});

test('an unknown scenario action ends the run with the actions the model accepts', () => {
  const r = runDriver(
    { '/drv/kbd.c': KBD_DRIVER },
    config({ cpus: 1, devices: [I8042], scenario: { untilNs: 5_000_000, stimuli: [{ kind: 'action', device: 'kbd', atNs: 1_000_000, action: 'dance', args: {} }] } }),
  );
  assert.match(r.error ?? '', /scenario: device 'kbd': action 'dance':/);
});

test('register accesses are in the trace with the register names the model gives', () => {
  const r = runDriver(
    { '/drv/kbd.c': KBD_DRIVER },
    config({ cpus: 1, devices: [I8042], scenario: { untilNs: 5_000_000, stimuli: [{ kind: 'action', device: 'kbd', atNs: 1_000_000, action: 'type', args: { keys: 'a' } }] } }),
  );
  const regs = r.machine.trace.events.flatMap((e) => (e.kind === 'register' ? [e] : []));
  // DriverEntry's self-test command, then per interrupt a status read and a data read.
  assert.deepEqual(
    regs.slice(0, 3).map((e) => [e.device, e.name, e.resource, e.offset, e.write, e.value]),
    [
      // Port 0x64 is the command register when written, the status register when read.
      ['kbd', 'COMMAND', 1, 0, true, 0xaa],
      ['kbd', 'STATUS', 1, 0, false, regs[1].value],
      ['kbd', 'DATA', 0, 0, false, 0x55],
    ],
  );
  assert.ok(regs[1].value & 0x01, 'output buffer full when the ISR looks');
  const dataReads = regs.filter((e) => e.name === 'DATA' && !e.write).map((e) => e.value);
  assert.deepEqual(dataReads, [0x55, 0x1e, 0x9e]);
  assert.ok(regs.every((e, i) => i === 0 || e.t >= regs[i - 1].t));
});
