// The I/O manager against KERNEL_MODEL §3.1–3.2 (IoConnectInterrupt / IoConnectInterruptEx and
// their failures) and §6 (IoStartPacket / StartIo / IoStartNextPacket, IoCompleteRequest with
// completion routines, STATUS_PENDING, cancellation, buffered and direct I/O, device
// properties, symbolic links, remove locks), with the scenario's requests as the application.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceConfig } from '../../kernel-sim/scenario/project-types';
import { big, describe, device, type DriverParts, events, irq, num, out, run, type RunOptions, values, expectBugCheck } from './drivers';
import type { Run } from './harness';

const STATUS_SUCCESS = 0;
const STATUS_PENDING = 0x103;
const STATUS_INVALID_PARAMETER = 0xc000000d;
const STATUS_INVALID_PARAMETER_1 = 0xc00000ef;
const STATUS_INVALID_PARAMETER_10 = 0xc00000f9;
const STATUS_INVALID_DEVICE_REQUEST = 0xc0000010;
const STATUS_CANCELLED = 0xc0000120;
const STATUS_BUFFER_TOO_SMALL = 0xc0000023;
const STATUS_OBJECT_NAME_COLLISION = 0xc0000035;
const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;
const STATUS_DELETE_PENDING = 0xc0000056;

/** The ISR body that claims and acknowledges a DATA_READY interrupt of the generic device. */
const CLAIM = `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);`;

/** `hex` as the driver prints it with 0x%08X. */
const h8 = (v: number): string => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;


const hexArgs = (args: readonly bigint[]): string[] => args.map((a) => `0x${a.toString(16)}`);

// ---- IoConnectInterruptEx (§3.2) ---------------------------------------------------------------

/**
 * ISRs for the Ex connections (ServiceContext = the device extension), and a helper that drops
 * the skeleton's IoConnectInterrupt connection so the Ex one is the only ISR on the vector.
 */
const EX_GLOBALS = `
KSERVICE_ROUTINE TstIsrEx;
KSERVICE_ROUTINE TstIsrFallBack;
KMESSAGE_SERVICE_ROUTINE TstIsrMessage;
PKINTERRUPT g_IntEx;
PIO_INTERRUPT_MESSAGE_INFO g_MsgTable;
ULONG g_Version;

BOOLEAN TstIsrEx(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)ServiceContext;
    ${CLAIM}
    T("isrex irql=%u interrupt=%p context=%p\\n", KeGetCurrentIrql(), Interrupt, ServiceContext);
    return TRUE;
}

BOOLEAN TstIsrFallBack(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)ServiceContext;
    ${CLAIM}
    T("fallback irql=%u interrupt=%p\\n", KeGetCurrentIrql(), Interrupt);
    return TRUE;
}

BOOLEAN TstIsrMessage(PKINTERRUPT Interrupt, PVOID ServiceContext, ULONG MessageID)
{
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)ServiceContext;
    ${CLAIM}
    T("message irql=%u id=%u interrupt=%p\\n", KeGetCurrentIrql(), MessageID, Interrupt);
    return TRUE;
}

static VOID DropSkeletonInterrupt(PDEVICE_EXTENSION ext)
{
    IoDisconnectInterrupt(ext->Interrupt);
    ext->Interrupt = NULL;
}

static VOID DisconnectEx(ULONG version, PVOID context)
{
    IO_DISCONNECT_INTERRUPT_PARAMETERS d;
    RtlZeroMemory(&d, sizeof(d));
    d.Version = version;
    d.ConnectionContext.Generic = context;
    IoDisconnectInterruptEx(&d);
}`;

/** A read that disconnects the Ex interrupt (IoDisconnectInterruptEx is PASSIVE_LEVEL only). */
const READ_DISCONNECTS = `
    DisconnectEx(g_Version, g_Version == CONNECT_MESSAGE_BASED ? (PVOID)g_MsgTable : (PVOID)g_IntEx);
    T("disconnected\\n");
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`;

test('IoConnectInterruptEx CONNECT_FULLY_SPECIFIED connects like IoConnectInterrupt: the ISR gets the returned KINTERRUPT and its context at the Irql', () => {
  const r = run(
    {
      globals: EX_GLOBALS,
      start: `
    IO_CONNECT_INTERRUPT_PARAMETERS p;
    NTSTATUS s;
    DropSkeletonInterrupt(ext);
    RtlZeroMemory(&p, sizeof(p));
    p.Version = CONNECT_FULLY_SPECIFIED;
    p.FullySpecified.PhysicalDeviceObject = ext->Lower;
    p.FullySpecified.InterruptObject = &g_IntEx;
    p.FullySpecified.ServiceRoutine = TstIsrEx;
    p.FullySpecified.ServiceContext = ext;
    p.FullySpecified.SynchronizeIrql = ext->Irql;
    p.FullySpecified.ShareVector = ext->Share;
    p.FullySpecified.Vector = ext->Vector;
    p.FullySpecified.Irql = ext->Irql;
    p.FullySpecified.InterruptMode = ext->Mode;
    p.FullySpecified.ProcessorEnableMask = ext->Affinity;
    s = IoConnectInterruptEx(&p);
    T("connect status=%08X version=%u object=%p ext=%p\\n", s, p.Version, g_IntEx, ext);
    ext->Interrupt = g_IntEx; /* the skeleton disconnects it with IoDisconnectInterrupt at removal */`,
    },
    { devices: [device(0, { vector: 0xa1 })], scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(values(r).get('status'), '00000000');
  assert.equal(num(r, 'version'), 1, 'Version stays CONNECT_FULLY_SPECIFIED');
  assert.notEqual(big(r, 'object'), 0n);
  assert.equal(num(r, 'irql'), 10, 'the ISR runs at Irql = 0xA1 >> 4');
  assert.equal(big(r, 'interrupt'), big(r, 'object'), 'the ISR gets the object written to *InterruptObject');
  assert.equal(big(r, 'context'), big(r, 'ext'));
  assert.equal(events(r, 'isr-enter').length, 1);
});

test('IoConnectInterruptEx errors: empty ProcessorEnableMask → STATUS_INVALID_PARAMETER_10, unknown Version → STATUS_INVALID_PARAMETER_1, LINE_BASED without a PDO → STATUS_INVALID_PARAMETER', () => {
  const r = run({
    globals: EX_GLOBALS,
    start: `
    IO_CONNECT_INTERRUPT_PARAMETERS p;
    NTSTATUS s;
    RtlZeroMemory(&p, sizeof(p));
    p.Version = CONNECT_FULLY_SPECIFIED;
    p.FullySpecified.PhysicalDeviceObject = ext->Lower;
    p.FullySpecified.InterruptObject = &g_IntEx;
    p.FullySpecified.ServiceRoutine = TstIsrEx;
    p.FullySpecified.ServiceContext = ext;
    p.FullySpecified.SynchronizeIrql = ext->Irql;
    p.FullySpecified.ShareVector = TRUE;
    p.FullySpecified.Vector = ext->Vector;
    p.FullySpecified.Irql = ext->Irql;
    p.FullySpecified.InterruptMode = ext->Mode;
    p.FullySpecified.ProcessorEnableMask = 0;
    s = IoConnectInterruptEx(&p);
    T("mask status=0x%08X object=%p\\n", s, g_IntEx);
    p.Version = 0x77;
    s = IoConnectInterruptEx(&p);
    T("version status=0x%08X\\n", s);
    RtlZeroMemory(&p, sizeof(p));
    p.Version = CONNECT_LINE_BASED;
    p.LineBased.PhysicalDeviceObject = NULL;
    p.LineBased.InterruptObject = &g_IntEx;
    p.LineBased.ServiceRoutine = TstIsrEx;
    p.LineBased.ServiceContext = ext;
    s = IoConnectInterruptEx(&p);
    T("nopdo status=0x%08X object=%p\\n", s, g_IntEx);`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), [
    `mask status=${h8(STATUS_INVALID_PARAMETER_10)} object=0000000000000000`,
    `version status=${h8(STATUS_INVALID_PARAMETER_1)}`,
    `nopdo status=${h8(STATUS_INVALID_PARAMETER)} object=0000000000000000`,
  ]);
});

const LINE_BASED_START = `
    IO_CONNECT_INTERRUPT_PARAMETERS p;
    NTSTATUS s;
    DropSkeletonInterrupt(ext);
    RtlZeroMemory(&p, sizeof(p));
    p.Version = CONNECT_LINE_BASED;
    p.LineBased.PhysicalDeviceObject = ext->Lower;
    p.LineBased.InterruptObject = &g_IntEx;
    p.LineBased.ServiceRoutine = TstIsrEx;
    p.LineBased.ServiceContext = ext;
    p.LineBased.SynchronizeIrql = PASSIVE_LEVEL;
    s = IoConnectInterruptEx(&p);
    g_Version = p.Version;
    T("connect status=%08X version=%u object=%p\\n", s, p.Version, g_IntEx);`;

test('IoConnectInterruptEx CONNECT_LINE_BASED with the PDO: the system finds the line, the ISR runs at the resource\'s DIRQL (SynchronizeIrql PASSIVE is only a minimum)', () => {
  const r = run(
    { globals: EX_GLOBALS, start: `${LINE_BASED_START}\n    ext->Interrupt = g_IntEx;` },
    { devices: [device(0, { vector: 0xa1 })], scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(values(r).get('status'), '00000000');
  assert.equal(num(r, 'version'), 2);
  assert.equal(num(r, 'irql'), 10, 'DIRQL of the vector 0xA1 resource');
  assert.equal(big(r, 'interrupt'), big(r, 'object'));
  const [enter] = events(r, 'isr-enter');
  assert.equal(enter.vector, 0xa1);
  assert.equal(enter.irql, 10);
});

test('IoConnectInterruptEx CONNECT_MESSAGE_BASED on a device without message interrupts falls back to the line: Version becomes CONNECT_LINE_BASED and FallBackServiceRoutine runs', () => {
  const r = run(
    {
      globals: EX_GLOBALS,
      start: `
    IO_CONNECT_INTERRUPT_PARAMETERS p;
    NTSTATUS s;
    DropSkeletonInterrupt(ext);
    RtlZeroMemory(&p, sizeof(p));
    p.Version = CONNECT_MESSAGE_BASED;
    p.MessageBased.PhysicalDeviceObject = ext->Lower;
    p.MessageBased.ConnectionContext.InterruptObject = &g_IntEx;
    p.MessageBased.MessageServiceRoutine = TstIsrMessage;
    p.MessageBased.ServiceContext = ext;
    p.MessageBased.SynchronizeIrql = PASSIVE_LEVEL;
    p.MessageBased.FallBackServiceRoutine = TstIsrFallBack;
    s = IoConnectInterruptEx(&p);
    T("connect status=%08X version=%u object=%p\\n", s, p.Version, g_IntEx);
    ext->Interrupt = g_IntEx;`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r);
  assert.equal(values(r).get('status'), '00000000');
  assert.equal(num(r, 'version'), 2, 'Version says CONNECT_LINE_BASED after the fallback');
  assert.equal(lines.filter((l) => l.startsWith('fallback')).length, 1, lines.join('\n'));
  assert.equal(lines.filter((l) => l.startsWith('message')).length, 0, 'no MessageServiceRoutine call');
  assert.equal(num(r, 'irql'), 9);
  assert.equal(big(r, 'interrupt'), big(r, 'object'), 'ConnectionContext.InterruptObject receives the KINTERRUPT');
});

test('IoDisconnectInterruptEx (CONNECT_LINE_BASED): after it the ISR is no longer called', () => {
  const r = run(
    { globals: EX_GLOBALS, start: LINE_BASED_START, read: READ_DISCONNECTS },
    { scenario: { stimuli: [irq(1_000_000), irq(3_000_000)], requests: [{ major: 'read', atNs: 2_000_000, length: 4 }] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(
    out(r).map((l) => l.split(' ')[0]),
    ['connect', 'isrex', 'disconnected'],
  );
  assert.equal(events(r, 'isr-enter').length, 1);
});

/** A device whose interrupt is message-signalled (MSI): edge-triggered, one message. */
function msiDevice(n: number, vector = 0xb1): DeviceConfig {
  const d = device(n);
  return {
    ...d,
    resources: [
      { type: 'memory', start: 0xfebf0000 + n * 0x1000, length: 16 },
      { type: 'interrupt', vector, level: vector >> 4, affinity: 1, mode: 'latched', shared: false, message: true },
    ],
  };
}

const MESSAGE_BASED_START = `
    IO_CONNECT_INTERRUPT_PARAMETERS p;
    NTSTATUS s;
    DropSkeletonInterrupt(ext);
    RtlZeroMemory(&p, sizeof(p));
    p.Version = CONNECT_MESSAGE_BASED;
    p.MessageBased.PhysicalDeviceObject = ext->Lower;
    p.MessageBased.ConnectionContext.InterruptMessageTable = &g_MsgTable;
    p.MessageBased.MessageServiceRoutine = TstIsrMessage;
    p.MessageBased.ServiceContext = ext;
    p.MessageBased.SynchronizeIrql = PASSIVE_LEVEL;
    p.MessageBased.FallBackServiceRoutine = TstIsrFallBack;
    s = IoConnectInterruptEx(&p);
    g_Version = p.Version;
    T("connect status=%08X version=%u count=%u unified=%u object=%p\\n", s, p.Version,
      g_MsgTable->MessageCount, g_MsgTable->UnifiedIrql, g_MsgTable->MessageInfo[0].InterruptObject);`;

test('IoConnectInterruptEx CONNECT_MESSAGE_BASED on an MSI device: the MessageServiceRoutine runs with MessageID 0 at the message\'s DIRQL', () => {
  const r = run(
    { globals: EX_GLOBALS, start: MESSAGE_BASED_START },
    { devices: [msiDevice(0)], scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r);
  assert.equal(values(r).get('status'), '00000000');
  assert.equal(num(r, 'version'), 3, 'Version stays CONNECT_MESSAGE_BASED');
  assert.equal(num(r, 'count'), 1);
  assert.equal(num(r, 'unified'), 11);
  assert.equal(lines.filter((l) => l.startsWith('message')).length, 1, lines.join('\n'));
  assert.equal(lines.filter((l) => l.startsWith('fallback')).length, 0);
  assert.equal(num(r, 'id'), 0);
  assert.equal(num(r, 'irql'), 11);
  assert.equal(big(r, 'interrupt'), big(r, 'object'), 'the routine gets MessageInfo[0].InterruptObject');
});

test('IoDisconnectInterruptEx (CONNECT_MESSAGE_BASED, the message table): after it the MessageServiceRoutine is no longer called', () => {
  const r = run(
    { globals: EX_GLOBALS, start: MESSAGE_BASED_START, read: READ_DISCONNECTS },
    { devices: [msiDevice(0)], scenario: { stimuli: [irq(1_000_000), irq(3_000_000)], requests: [{ major: 'read', atNs: 2_000_000, length: 4 }] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(
    out(r).map((l) => l.split(' ')[0]),
    ['connect', 'message', 'disconnected'],
  );
});

// ---- IoConnectInterrupt failures (§3.1) --------------------------------------------------------

test('IoConnectInterrupt with SynchronizeIrql below Irql → STATUS_INVALID_PARAMETER (and IRP_MN_START_DEVICE fails)', () => {
  const r = run({ syncIrql: '5' }, { scenario: { stimuli: [irq(1_000_000)] } });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), [`IoConnectInterrupt failed ${h8(STATUS_INVALID_PARAMETER)}`]);
  assert.ok(r.log.some((l) => l.includes(`IRP_MN_START_DEVICE for dev0 completed with ${h8(STATUS_INVALID_PARAMETER)}`)), r.log.join(''));
  assert.equal(events(r, 'isr-enter').length, 0);
});

test('IoConnectInterrupt with a ProcessorEnableMask outside the active processors → STATUS_INVALID_PARAMETER', () => {
  const r = run({}, { cpus: 2, devices: [device(0, { affinity: 0xc })] });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), [`IoConnectInterrupt failed ${h8(STATUS_INVALID_PARAMETER)}`]);
});

/** Device n on vector 0x91 with its own sharing and mode. */
function onVector91(n: number, shared: boolean, mode: 'levelSensitive' | 'latched' = 'levelSensitive'): DeviceConfig {
  const d = device(n, { mode });
  return { ...d, resources: [d.resources[0], { type: 'interrupt', vector: 0x91, level: 9, affinity: 3, mode, shared }] };
}

for (const [name, first, second] of [
  ['the connected object is not shareable', onVector91(0, false), onVector91(1, true)],
  ['the new object is not shareable', onVector91(0, true), onVector91(1, false)],
  ['the interrupt modes differ', onVector91(0, true), onVector91(1, true, 'latched')],
] as const) {
  test(`IoConnectInterrupt refuses to share a vector when ${name} → STATUS_INVALID_PARAMETER for the second device`, () => {
    const r = run({}, { devices: [first, second] });
    assert.equal(r.bugCheck, undefined, describe(r));
    assert.deepEqual(out(r), [`IoConnectInterrupt failed ${h8(STATUS_INVALID_PARAMETER)}`]);
    assert.ok(r.log.some((l) => l.includes('IRP_MN_START_DEVICE for dev0 completed with 0x00000000')), r.log.join(''));
    assert.ok(r.log.some((l) => l.includes(`IRP_MN_START_DEVICE for dev1 completed with ${h8(STATUS_INVALID_PARAMETER)}`)), r.log.join(''));
  });
}

// ---- the device queue: IoStartPacket / StartIo / IoStartNextPacket (§6) ------------------------

/**
 * A StartIo driver: the read dispatch pends the IRP and hands it to IoStartPacket (by key when
 * `byKey`); StartIo starts a conversion on the device; the conversion's interrupt queues the
 * DpcForIsr with CurrentIrp, which starts the next packet and completes the IRP with the
 * sample in the buffer. The stack location's Read.Length identifies each request.
 */
function startIoDriver(o: { byKey?: boolean; next?: string } = {}): DriverParts {
  return {
    globals: `
DRIVER_STARTIO TstStartIo;
volatile LONG g_InStartIo;
VOID TstStartIo(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(Irp);
    if (InterlockedIncrement(&g_InStartIo) != 1) {
        T("overlap\\n");
    }
    T("startio len=%u irql=%u current=%u\\n", sl->Parameters.Read.Length, KeGetCurrentIrql(), DeviceObject->CurrentIrp == Irp);
    WrReg(ext, REG_CONTROL, 1);
    InterlockedDecrement(&g_InStartIo);
}`,
    driverEntry: 'DriverObject->DriverStartIo = TstStartIo;',
    read: `
    ULONG key = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    IoMarkIrpPending(Irp);
    IoStartPacket(DeviceObject, Irp, ${o.byKey ? '&key' : 'NULL'}, NULL);
    UNREFERENCED_PARAMETER(key);
    return STATUS_PENDING;`,
    dpc: `
    PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(Irp);
    ULONG len = sl->Parameters.Read.Length;
    ULONG sample = RdReg(ext, REG_DATA);
    T("dpc len=%u irql=%u\\n", len, KeGetCurrentIrql());
    RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, &sample, len < sizeof(sample) ? len : sizeof(sample));
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = len < sizeof(sample) ? len : sizeof(sample);
    ${o.next ?? 'IoStartNextPacket(DeviceObject, FALSE);'}
    IoCompleteRequest(Irp, IO_NO_INCREMENT);`,
  };
}

/** The generic device with a slow conversion, so every request is queued before the first completes. */
const SLOW: DeviceConfig = { ...device(0), params: { conversionTimeUs: 500 } };

/** Reads of these lengths, issued 1 µs apart from 1 ms. */
const reads = (...lengths: number[]): RunOptions['scenario'] => ({
  requests: lengths.map((length, i) => ({ major: 'read' as const, atNs: 1_000_000 + i * 1000, length })),
});

test('IoStartPacket: reads issued together are queued and StartIo gets them one at a time, in FIFO order, at DISPATCH_LEVEL with CurrentIrp set', () => {
  const r = run(startIoDriver(), { devices: [SLOW], scenario: reads(1, 2, 3) });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), [
    'startio len=1 irql=2 current=1',
    'dpc len=1 irql=2',
    'startio len=2 irql=2 current=1',
    'dpc len=2 irql=2',
    'startio len=3 irql=2 current=1',
    'dpc len=3 irql=2',
  ]);
  assert.deepEqual(
    r.requests.map((q) => [q.status, q.information, q.returned]),
    [
      [STATUS_SUCCESS, 1, STATUS_PENDING],
      [STATUS_SUCCESS, 2, STATUS_PENDING],
      [STATUS_SUCCESS, 3, STATUS_PENDING],
    ],
  );
  const done = r.requests.map((q) => q.completedAtNs ?? 0);
  assert.ok(done[0] >= 1_500_000 && done[1] >= done[0] + 500_000 && done[2] >= done[1] + 500_000, `completions at ${done.join(', ')} ns: one 500 µs conversion after the other`);
  assert.deepEqual(
    r.requests.map((q) => q.data),
    [[1], [2, 0], [3, 0, 0]],
    'each read returns the sample of its own conversion (1, 2, 3)',
  );
});

test('IoStartPacket with a Key: the queued IRPs reach StartIo in ascending key order (the first one starts at once)', () => {
  const r = run(startIoDriver({ byKey: true }), { devices: [SLOW], scenario: reads(10, 7, 3, 5, 1) });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(
    out(r).filter((l) => l.startsWith('startio')).map((l) => Number(/len=(\d+)/.exec(l)?.[1])),
    [10, 1, 3, 5, 7],
  );
  assert.ok(r.requests.every((q) => q.status === STATUS_SUCCESS));
});

test('IoStartNextPacketByKey: the next IRP is the first with SortKey >= Key, else the first in the queue', () => {
  const r = run(startIoDriver({ byKey: true, next: 'IoStartNextPacketByKey(DeviceObject, FALSE, 4);' }), { devices: [SLOW], scenario: reads(10, 5, 1, 7, 3) });
  assert.equal(r.bugCheck, undefined, describe(r));
  // Queue after the first: 1, 3, 5, 7. Key 4 picks 5, then 7; then none is >= 4: 1, then 3.
  assert.deepEqual(
    out(r).filter((l) => l.startsWith('startio')).map((l) => Number(/len=(\d+)/.exec(l)?.[1])),
    [10, 5, 7, 1, 3],
  );
  assert.ok(r.requests.every((q) => q.status === STATUS_SUCCESS));
});

test('IoStartNextPacket with an empty queue makes the device idle: the next IoStartPacket calls StartIo at once', () => {
  const r = run(startIoDriver(), {
    devices: [SLOW],
    scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 1 }, { major: 'read', atNs: 3_000_000, length: 2 }] },
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['startio len=1 irql=2 current=1', 'dpc len=1 irql=2', 'startio len=2 irql=2 current=1', 'dpc len=2 irql=2']);
  const starts = events(r, 'dbgprint').filter((e) => e.text.startsWith('T startio'));
  assert.ok(starts[1].t >= 3_000_000 && starts[1].t < 3_100_000, `the second StartIo ran at ${starts[1].t} ns, right when its read arrived`);
});

// ---- completion (§6 IoCompleteRequest, IoSetCompletionRoutine, IoMarkIrpPending) ----------------

/**
 * A driver that sends itself an IRP it allocates (there is no other driver to filter): the
 * internal-device-control dispatch at level n forwards the IRP to itself as level n + 1 until
 * g_Depth, setting the completion routine described by g_Ctx[n]; the bottom completes it (or
 * pends it for the DpcForIsr when g_PendBottom). g_Ctx[0] is the originator's routine.
 */
const SELF_IRP_GLOBALS = `
typedef struct _COMPLETION_CTX {
    PCSTR Name;
    NTSTATUS Return;
    BOOLEAN Propagate;  /* if (Irp->PendingReturned) IoMarkIrpPending(Irp) */
    BOOLEAN Originator; /* signal g_Done and free the IRP */
    BOOLEAN Catch;      /* the dispatch routine that set it completes the IRP again */
} COMPLETION_CTX;

IO_COMPLETION_ROUTINE TstCompletion;
DRIVER_DISPATCH TstInternal;
COMPLETION_CTX g_Ctx[4];
ULONG g_Depth = 3;
BOOLEAN g_PendBottom;
PIRP g_Pended;
KEVENT g_Done;
KEVENT g_Caught;

NTSTATUS TstCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    COMPLETION_CTX *c = (COMPLETION_CTX *)Context;
    T("completion %s device=%p pending=%u irql=%u status=%08X info=%u location=%d\\n", c->Name, DeviceObject,
      Irp->PendingReturned, KeGetCurrentIrql(), Irp->IoStatus.Status, (ULONG)Irp->IoStatus.Information, Irp->CurrentLocation);
    if (c->Propagate && Irp->PendingReturned) {
        IoMarkIrpPending(Irp);
    }
    if (c->Catch) {
        KeSetEvent(&g_Caught, IO_NO_INCREMENT, FALSE);
    }
    if (c->Originator) {
        KeSetEvent(&g_Done, IO_NO_INCREMENT, FALSE);
        IoFreeIrp(Irp);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }
    return c->Return;
}

NTSTATUS TstInternal(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(Irp);
    ULONG level = (ULONG)(ULONG_PTR)sl->Parameters.Others.Argument1;
    NTSTATUS s;
    T("dispatch level=%u location=%d\\n", level, Irp->CurrentLocation);
    if (level < g_Depth) {
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoGetNextIrpStackLocation(Irp)->Parameters.Others.Argument1 = (PVOID)(ULONG_PTR)(level + 1);
        if (g_Ctx[level].Name != NULL) {
            IoSetCompletionRoutine(Irp, TstCompletion, &g_Ctx[level], TRUE, TRUE, TRUE);
        }
        s = IoCallDriver(DeviceObject, Irp);
        if (g_Ctx[level].Catch) {
            KeWaitForSingleObject(&g_Caught, Executive, KernelMode, FALSE, NULL);
            T("level %u caught the IRP, completes it again\\n", level);
            s = Irp->IoStatus.Status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
        }
        return s;
    }
    if (g_PendBottom) {
        IoMarkIrpPending(Irp);
        g_Pended = Irp;
        return STATUS_PENDING;
    }
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 42;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static VOID SendSelfIrp(PDEVICE_OBJECT fdo)
{
    PIRP irp = IoAllocateIrp((CCHAR)g_Depth, FALSE);
    PIO_STACK_LOCATION sl = IoGetNextIrpStackLocation(irp);
    NTSTATUS s;
    sl->MajorFunction = IRP_MJ_INTERNAL_DEVICE_CONTROL;
    sl->Parameters.Others.Argument1 = (PVOID)1;
    irp->IoStatus.Status = STATUS_NOT_SUPPORTED;
    KeInitializeEvent(&g_Done, NotificationEvent, FALSE);
    KeInitializeEvent(&g_Caught, NotificationEvent, FALSE);
    IoSetCompletionRoutine(irp, TstCompletion, &g_Ctx[0], TRUE, TRUE, TRUE);
    s = IoCallDriver(fdo, irp);
    T("calldriver returned=%08X\\n", s);
    KeWaitForSingleObject(&g_Done, Executive, KernelMode, FALSE, NULL);
    T("originator done\\n");
}`;

const CTX = (i: number, name: string, fields = ''): string => `g_Ctx[${i}].Name = "${name}";${fields ? ` ${fields}` : ''}`;

function selfIrpDriver(setup: string, extra: DriverParts = {}): DriverParts {
  return {
    globals: SELF_IRP_GLOBALS,
    driverEntry: 'DriverObject->MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = TstInternal;',
    start: `
    T("fdo=%p\\n", fdo);
    g_Ctx[0].Originator = TRUE;
    ${setup}
    SendSelfIrp(fdo);`,
    ...extra,
  };
}

/** The driver's lines with the fdo's address replaced by "FDO" and the NULL pointer by "NULL". */
function lines(r: Run): string[] {
  const fdo = values(r).get('fdo') ?? '?';
  return out(r)
    .filter((l) => !l.startsWith('fdo='))
    .map((l) => l.replaceAll(fdo, 'FDO').replaceAll('0000000000000000', 'NULL'));
}

test('completion routines run in the reverse order of IoSetCompletionRoutine, each with the device of the location above it (NULL for the originator\'s)', () => {
  const r = run(selfIrpDriver(`${CTX(0, 'A')} ${CTX(1, 'B')} ${CTX(2, 'C')}`));
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(lines(r), [
    'dispatch level=1 location=3',
    'dispatch level=2 location=2',
    'dispatch level=3 location=1',
    'completion C device=FDO pending=0 irql=0 status=00000000 info=42 location=2',
    'completion B device=FDO pending=0 irql=0 status=00000000 info=42 location=3',
    'completion A device=NULL pending=0 irql=0 status=00000000 info=42 location=4',
    'calldriver returned=00000000',
    'originator done',
  ]);
});

test('a completion routine returning STATUS_MORE_PROCESSING_REQUIRED stops completion; IoCompleteRequest again resumes it above that location', () => {
  const r = run(selfIrpDriver(`${CTX(0, 'A')} ${CTX(1, 'B', 'g_Ctx[1].Return = STATUS_MORE_PROCESSING_REQUIRED; g_Ctx[1].Catch = TRUE;')} ${CTX(2, 'C')}`));
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(lines(r), [
    'dispatch level=1 location=3',
    'dispatch level=2 location=2',
    'dispatch level=3 location=1',
    'completion C device=FDO pending=0 irql=0 status=00000000 info=42 location=2',
    'completion B device=FDO pending=0 irql=0 status=00000000 info=42 location=3',
    'level 1 caught the IRP, completes it again',
    'completion A device=NULL pending=0 irql=0 status=00000000 info=42 location=4',
    'calldriver returned=00000000',
    'originator done',
  ]);
});

for (const propagate of [true, false]) {
  test(`PendingReturned: a pended IRP completed from the DpcForIsr propagates through a location without a routine; the originator sees it only if the routine above ${propagate ? 'calls' : 'does not call'} IoMarkIrpPending`, () => {
    const r = run(
      selfIrpDriver(`${CTX(0, 'A')} ${CTX(1, 'B', propagate ? 'g_Ctx[1].Propagate = TRUE;' : '')} g_PendBottom = TRUE;`, {
        dpc: `
    if (g_Pended != NULL) {
        PIRP irp = g_Pended;
        g_Pended = NULL;
        irp->IoStatus.Status = STATUS_SUCCESS;
        irp->IoStatus.Information = 7;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }`,
      }),
      { scenario: { stimuli: [irq(2_000_000)] } },
    );
    assert.equal(r.bugCheck, undefined, describe(r));
    assert.deepEqual(lines(r), [
      'dispatch level=1 location=3',
      'dispatch level=2 location=2',
      'dispatch level=3 location=1',
      'calldriver returned=00000103',
      'completion B device=FDO pending=1 irql=2 status=00000000 info=7 location=3',
      `completion A device=NULL pending=${propagate ? 1 : 0} irql=2 status=00000000 info=7 location=4`,
      'originator done',
    ]);
  });
}

test('IoCallDriver to the PDO: the bus driver fails a read with STATUS_INVALID_DEVICE_REQUEST; a routine with InvokeOnError sees it, one with InvokeOnSuccess only does not', () => {
  const r = run({
    globals: `
IO_COMPLETION_ROUTINE TstPdoCompletion;
IO_COMPLETION_ROUTINE TstPdoFree;
NTSTATUS TstPdoCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    T("completion %s status=%08X device=%p\\n", (PCSTR)Context, Irp->IoStatus.Status, DeviceObject);
    return STATUS_CONTINUE_COMPLETION;
}

NTSTATUS TstPdoFree(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Context);
    T("originator status=%08X\\n", Irp->IoStatus.Status);
    IoFreeIrp(Irp);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* IoAllocateIrp's documented pattern: one extra location for the originator, so that the
   routine set for the PDO's location receives the originator's DeviceObject. */
static NTSTATUS ReadFromPdo(PDEVICE_OBJECT fdo, PDEVICE_OBJECT pdo, PCSTR name, BOOLEAN onSuccess, BOOLEAN onError)
{
    PIRP irp = IoAllocateIrp(pdo->StackSize + 1, FALSE);
    IoSetCompletionRoutine(irp, TstPdoFree, NULL, TRUE, TRUE, TRUE);
    IoSetNextIrpStackLocation(irp);
    IoGetCurrentIrpStackLocation(irp)->DeviceObject = fdo;
    IoGetNextIrpStackLocation(irp)->MajorFunction = IRP_MJ_READ;
    IoSetCompletionRoutine(irp, TstPdoCompletion, (PVOID)name, onSuccess, onError, FALSE);
    return IoCallDriver(pdo, irp);
}`,
    start: `
    NTSTATUS s;
    T("fdo=%p\\n", fdo);
    s = ReadFromPdo(fdo, ext->Lower, "error", FALSE, TRUE);
    T("returned=%08X\\n", s);
    s = ReadFromPdo(fdo, ext->Lower, "success-only", TRUE, FALSE);
    T("returned=%08X\\n", s);`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  const e = h8(STATUS_INVALID_DEVICE_REQUEST).slice(2);
  assert.deepEqual(lines(r), [`completion error status=${e} device=FDO`, `originator status=${e}`, `returned=${e}`, `originator status=${e}`, `returned=${e}`]);
});

test('a read pended with IoMarkIrpPending + STATUS_PENDING and completed later by the DpcForIsr: the requester gets the status, Information and the bytes', () => {
  const r = run(
    {
      globals: 'PIRP g_Read;',
      read: `
    IoMarkIrpPending(Irp);
    g_Read = Irp;
    return STATUS_PENDING;`,
      isr: `${CLAIM}
    IoRequestDpc(fdo, g_Read, NULL);
    return TRUE;`,
      dpc: `
    if (Irp != NULL) {
        PUCHAR b = (PUCHAR)Irp->AssociatedIrp.SystemBuffer;
        ULONG i, len = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
        g_Read = NULL;
        for (i = 0; i < len; i++) {
            b[i] = (UCHAR)(0xA0 + i);
        }
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Irp->IoStatus.Information = len - 1;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }`,
    },
    { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 5 }], stimuli: [irq(3_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const [q] = r.requests;
  assert.equal(q.completed, true);
  assert.equal(q.returned, STATUS_PENDING, 'the dispatch routine returned STATUS_PENDING');
  assert.equal(q.status, STATUS_SUCCESS);
  assert.equal(q.information, 4);
  assert.deepEqual(q.data, [0xa0, 0xa1, 0xa2, 0xa3], 'Information bytes of the buffer come back');
  assert.ok((q.completedAtNs ?? 0) >= 3_000_000, `completed at ${q.completedAtNs} ns, after the interrupt at 3 ms`);
});

test('IoCompleteRequest of an IRP already completed (a stale pointer used by the DpcForIsr) → 0x44 with P1 = the IRP, blamed on the second call', () => {
  const parts: DriverParts = {
    globals: 'PIRP g_Stale;',
    read: `
    g_Stale = Irp;
    T("irp=%p\\n", Irp);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`,
    dpc: `
    IoCompleteRequest(g_Stale, IO_NO_INCREMENT); /* SECOND */`,
  };
  const r = expectBugCheck(parts, { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 4 }], stimuli: [irq(2_000_000)] } }, 0x44, 'SECOND');
  assert.equal(r.bugCheck.args[0], big(r, 'irp'));
  assert.equal(r.bugCheck.routine, 'TstDpcForIsr');
});

// ---- cancellation (§4 cancel spin lock, §5.1 0x11B) --------------------------------------------

/** A read left pending with a cancel routine set: only IoCancelIrp (the requester's timeout) ends it. */
const PARKED_READ = `
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, TstCancel);
    T("parked irp=%p\\n", Irp);
    return STATUS_PENDING;`;

function cancelDriver(body: string): DriverParts {
  return {
    globals: `
DRIVER_CANCEL TstCancel;
VOID TstCancel(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    T("cancel irql=%u cancelirql=%u cancel=%u routine=%p\\n", KeGetCurrentIrql(), Irp->CancelIrql, Irp->Cancel, Irp->CancelRoutine);
${body}
}`,
    read: PARKED_READ,
  };
}

test('cancelling a parked read: the cancel routine runs at DISPATCH holding the cancel spin lock (CancelIrql = PASSIVE), releases it and completes with STATUS_CANCELLED', () => {
  const r = run(
    cancelDriver(`
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    T("released irql=%u\\n", KeGetCurrentIrql());
    Irp->IoStatus.Status = STATUS_CANCELLED;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);`),
    { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 4, cancelAfterNs: 2_000_000 }] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(
    out(r).filter((l) => !l.startsWith('parked')),
    ['cancel irql=2 cancelirql=0 cancel=1 routine=0000000000000000', 'released irql=0'],
  );
  const [q] = r.requests;
  assert.equal(q.completed, true);
  assert.equal(q.status, STATUS_CANCELLED);
  assert.equal(q.information, 0);
  assert.equal(q.returned, STATUS_PENDING);
  assert.ok((q.completedAtNs ?? 0) >= 3_000_000 && (q.completedAtNs ?? 0) < 3_100_000, `cancelled at ${q.completedAtNs} ns, 2 ms after the request`);
  // The routine was entered holding the cancel lock, and released it itself.
  const cancelLine = events(r, 'dbgprint').find((e) => e.text.startsWith('T cancel'));
  const released = events(r, 'dbgprint').find((e) => e.text.startsWith('T released'));
  assert.ok(cancelLine && released);
  const lock = events(r, 'lock-acquire', 'lock-release').filter((e) => e.how === 'cancel');
  assert.deepEqual(
    lock.map((e) => e.kind),
    ['lock-acquire', 'lock-release'],
  );
  assert.ok(lock[0].t <= cancelLine.t && lock[1].t >= cancelLine.t && lock[1].t <= released.t, 'held while the routine printed, released by it');
});

test('a cancel routine that returns without IoReleaseCancelSpinLock → 0x11B (P1 = the IRP, P2 = the cancel routine)', () => {
  const r = expectBugCheck(
    cancelDriver(`
    T("cancelroutine=%p\\n", TstCancel);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);`),
    { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 4, cancelAfterNs: 2_000_000 }] } },
    0x11b,
  );
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 2)), hexArgs([big(r, 'irp'), big(r, 'cancelroutine')]));
});

test('a read completed before the cancel timeout is not cancelled (the driver clears its cancel routine first)', () => {
  const r = run(
    {
      ...cancelDriver(`
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    Irp->IoStatus.Status = STATUS_CANCELLED;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);`),
      read: `
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, TstCancel);
    ext->Self->CurrentIrp = Irp;
    return STATUS_PENDING;`,
      isr: `${CLAIM}
    IoRequestDpc(fdo, fdo->CurrentIrp, NULL);
    return TRUE;`,
      dpc: `
    if (Irp != NULL && IoSetCancelRoutine(Irp, NULL) != NULL) {
        DeviceObject->CurrentIrp = NULL;
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }`,
    },
    { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 4, cancelAfterNs: 5_000_000 }], stimuli: [irq(2_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(r.requests[0].status, STATUS_SUCCESS);
  assert.equal(out(r).filter((l) => l.startsWith('cancel')).length, 0, 'the cancel routine never ran');
});

// ---- buffered and direct I/O, IOCTLs (§6) ------------------------------------------------------

test('DO_BUFFERED_IO read: AssociatedIrp.SystemBuffer of Parameters.Read.Length bytes, no MDL; what the driver writes comes back', () => {
  const r = run(
    {
      read: `
    PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(Irp);
    PUCHAR b = (PUCHAR)Irp->AssociatedIrp.SystemBuffer;
    ULONG i;
    T("buffered=%u length=%u system=%u mdl=%p\\n", (DeviceObject->Flags & DO_BUFFERED_IO) != 0, sl->Parameters.Read.Length, b != NULL, Irp->MdlAddress);
    for (i = 0; i < sl->Parameters.Read.Length; i++) {
        b[i] = (UCHAR)(i * 3);
    }
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = sl->Parameters.Read.Length;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`,
    },
    { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 6 }] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['buffered=1 length=6 system=1 mdl=0000000000000000']);
  assert.deepEqual(r.requests[0].data, [0, 3, 6, 9, 12, 15]);
  assert.equal(r.requests[0].returned, STATUS_SUCCESS);
});

test('DO_BUFFERED_IO write: the SystemBuffer holds the caller\'s bytes', () => {
  const r = run(
    {
      globals: 'DRIVER_DISPATCH TstWrite;\nNTSTATUS TstWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)\n{\n    PUCHAR b = (PUCHAR)Irp->AssociatedIrp.SystemBuffer;\n    ULONG len = IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length;\n    UNREFERENCED_PARAMETER(DeviceObject);\n    T("write len=%u bytes=%02X %02X %02X\\n", len, b[0], b[1], b[2]);\n    Irp->IoStatus.Status = STATUS_SUCCESS;\n    Irp->IoStatus.Information = len;\n    IoCompleteRequest(Irp, IO_NO_INCREMENT);\n    return STATUS_SUCCESS;\n}',
      driverEntry: 'DriverObject->MajorFunction[IRP_MJ_WRITE] = TstWrite;',
    },
    { scenario: { requests: [{ major: 'write', atNs: 1_000_000, length: 3, data: [0xde, 0xad, 0x42] }] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['write len=3 bytes=DE AD 42']);
  assert.equal(r.requests[0].status, STATUS_SUCCESS);
  assert.equal(r.requests[0].information, 3);
});

test('DO_DIRECT_IO read: the IRP has an MdlAddress of the read length; MmGetSystemAddressForMdlSafe maps it and what the driver writes comes back', () => {
  const r = run(
    {
      start: 'fdo->Flags = (fdo->Flags & ~DO_BUFFERED_IO) | DO_DIRECT_IO;',
      read: `
    PMDL mdl = Irp->MdlAddress;
    PUCHAR b = mdl != NULL ? (PUCHAR)MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute) : NULL;
    ULONG i, len = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;
    T("mdl=%u bytecount=%u mapped=%u system=%p\\n", mdl != NULL, mdl != NULL ? MmGetMdlByteCount(mdl) : 0, b != NULL, Irp->AssociatedIrp.SystemBuffer);
    if (b == NULL) {
        Irp->IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (i = 0; i < len; i++) {
        b[i] = (UCHAR)(0x10 + i);
    }
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = len;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`,
    },
    { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 5 }] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['mdl=1 bytecount=5 mapped=1 system=0000000000000000']);
  assert.deepEqual(r.requests[0].data, [0x10, 0x11, 0x12, 0x13, 0x14]);
});

test('IOCTL METHOD_BUFFERED: the input bytes arrive in the SystemBuffer with the lengths and the code; the output bytes and Information come back', () => {
  const IOCTL_TST_XOR = 0x222000 | (0x801 << 2); // CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
  const r = run(
    {
      globals: `
#define IOCTL_TST_XOR CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
DRIVER_DISPATCH TstIoctl;
NTSTATUS TstIoctl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sl = IoGetCurrentIrpStackLocation(Irp);
    PUCHAR b = (PUCHAR)Irp->AssociatedIrp.SystemBuffer;
    ULONG in = sl->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLen = sl->Parameters.DeviceIoControl.OutputBufferLength;
    ULONG i;
    UNREFERENCED_PARAMETER(DeviceObject);
    T("ioctl code=0x%X match=%u method=%u in=%u out=%u first=%02X\\n", sl->Parameters.DeviceIoControl.IoControlCode,
      sl->Parameters.DeviceIoControl.IoControlCode == IOCTL_TST_XOR, METHOD_FROM_CTL_CODE(sl->Parameters.DeviceIoControl.IoControlCode), in, outLen, b[0]);
    for (i = 0; i < outLen && i < in; i++) {
        b[i] ^= 0xFF;
    }
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = i;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}`,
      driverEntry: 'DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = TstIoctl;',
    },
    { scenario: { requests: [{ major: 'ioctl', atNs: 1_000_000, ioctl: IOCTL_TST_XOR, length: 3, data: [0x01, 0x02, 0x03, 0x04] }] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), [`ioctl code=0x${IOCTL_TST_XOR.toString(16).toUpperCase()} match=1 method=0 in=4 out=3 first=01`]);
  const [q] = r.requests;
  assert.equal(q.status, STATUS_SUCCESS);
  assert.equal(q.information, 3);
  assert.deepEqual(q.data, [0xfe, 0xfd, 0xfc]);
});

test('a request for a major function the driver does not handle is failed by the I/O manager with STATUS_INVALID_DEVICE_REQUEST', () => {
  const r = run({}, { scenario: { requests: [{ major: 'ioctl', atNs: 1_000_000, ioctl: 0x222004, length: 4 }] } });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(r.requests[0].status, STATUS_INVALID_DEVICE_REQUEST);
  assert.equal(r.requests[0].data, undefined, 'no bytes come back from a failed request');
});

// ---- device properties, names, symbolic links (§6) ---------------------------------------------

test('IoGetDeviceProperty(DevicePropertyHardwareID) returns the device\'s hardware ID as a REG_MULTI_SZ and its byte count; a too-small buffer gets STATUS_BUFFER_TOO_SMALL and the needed length', () => {
  const r = run({
    start: `
    WCHAR buf[64];
    ULONG len = 0;
    NTSTATUS s;
    RtlFillMemory(buf, sizeof(buf), 0xCC);
    s = IoGetDeviceProperty(ext->Lower, DevicePropertyHardwareID, sizeof(buf), buf, &len);
    T("status=0x%08X len=%u id=%ws terminators=%u%u\\n", s, len, buf, buf[len / 2 - 2] == 0, buf[len / 2 - 1] == 0);
    len = 0;
    s = IoGetDeviceProperty(ext->Lower, DevicePropertyHardwareID, 8, buf, &len);
    T("small=0x%08X needed=%u\\n", s, len);`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  const id = 'PCI\\VEN_1234&DEV_8A51';
  const bytes = (id.length + 2) * 2;
  assert.deepEqual(out(r), [`status=0x00000000 len=${bytes} id=${id} terminators=11`, `small=${h8(STATUS_BUFFER_TOO_SMALL)} needed=${bytes}`]);
});

test('IoCreateSymbolicLink / IoDeleteSymbolicLink: a second link of the same name → STATUS_OBJECT_NAME_COLLISION; deleting a missing link → STATUS_OBJECT_NAME_NOT_FOUND; the name is free again after deletion', () => {
  const r = run({
    globals: 'PDEVICE_OBJECT g_Control;',
    driverEntry: `
    UNICODE_STRING dev = RTL_CONSTANT_STRING(L"\\\\Device\\\\TstControl");
    UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\\\DosDevices\\\\TstLink");
    NTSTATUS s = IoCreateDevice(DriverObject, 0, &dev, FILE_DEVICE_UNKNOWN, 0, FALSE, &g_Control);
    T("device=0x%08X\\n", s);
    s = IoCreateSymbolicLink(&link, &dev);
    T("link=0x%08X\\n", s);
    s = IoCreateSymbolicLink(&link, &dev);
    T("again=0x%08X\\n", s);
    s = IoDeleteSymbolicLink(&link);
    T("delete=0x%08X\\n", s);
    s = IoDeleteSymbolicLink(&link);
    T("deleteagain=0x%08X\\n", s);
    s = IoCreateSymbolicLink(&link, &dev);
    T("relink=0x%08X\\n", s);
    IoDeleteSymbolicLink(&link);`,
    unload: 'IoDeleteDevice(g_Control);',
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), [
    'device=0x00000000',
    'link=0x00000000',
    `again=${h8(STATUS_OBJECT_NAME_COLLISION)}`,
    'delete=0x00000000',
    `deleteagain=${h8(STATUS_OBJECT_NAME_NOT_FOUND)}`,
    'relink=0x00000000',
  ]);
});

test('IoCreateDevice with the name of an existing device → STATUS_OBJECT_NAME_COLLISION, and *DeviceObject = NULL (_Outptr_result_nullonfailure_)', () => {
  const r = run({
    globals: 'PDEVICE_OBJECT g_Control;',
    driverEntry: `
    UNICODE_STRING dev = RTL_CONSTANT_STRING(L"\\\\Device\\\\TstControl");
    PDEVICE_OBJECT second = (PDEVICE_OBJECT)(ULONG_PTR)1;
    NTSTATUS s = IoCreateDevice(DriverObject, 0, &dev, FILE_DEVICE_UNKNOWN, 0, FALSE, &g_Control);
    T("first=0x%08X\\n", s);
    s = IoCreateDevice(DriverObject, 0, &dev, FILE_DEVICE_UNKNOWN, 0, FALSE, &second);
    T("second=0x%08X object=%p\\n", s, second);`,
    unload: 'IoDeleteDevice(g_Control);',
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['first=0x00000000', `second=${h8(STATUS_OBJECT_NAME_COLLISION)} object=0000000000000000`]);
});

// ---- remove locks ------------------------------------------------------------------------------

const REMOVE_LOCK_GLOBALS = `
IO_REMOVE_LOCK g_RemoveLock;
KTIMER g_RlTimer;
KDPC g_RlDpc;
KDEFERRED_ROUTINE TstReleaseDpc;
VOID TstReleaseDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(DeferredContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    T("dpc releases t=%llu\\n", KeQueryInterruptTime());
    IoReleaseRemoveLock(&g_RemoveLock, (PVOID)1);
}`;

test('remove lock: IoAcquireRemoveLock succeeds; IoReleaseRemoveLockAndWait waits for an outstanding reference released by a DPC; afterwards IoAcquireRemoveLock → STATUS_DELETE_PENDING', () => {
  const r = run(
    {
      globals: REMOVE_LOCK_GLOBALS,
      driverEntry: `
    IoInitializeRemoveLock(&g_RemoveLock, 'kcLR', 0, 0);
    KeInitializeTimer(&g_RlTimer);
    KeInitializeDpc(&g_RlDpc, TstReleaseDpc, NULL);`,
      start: `
    NTSTATUS s = IoAcquireRemoveLock(&g_RemoveLock, (PVOID)1); /* an outstanding I/O */
    T("acquire=0x%08X\\n", s);`,
      remove: `
    LARGE_INTEGER due;
    NTSTATUS s = IoAcquireRemoveLock(&g_RemoveLock, (PVOID)2);
    T("remove acquire=0x%08X\\n", s);
    due.QuadPart = -20000; /* 2 ms: the outstanding I/O finishes in a DPC */
    KeSetTimer(&g_RlTimer, due, &g_RlDpc);
    T("waiting t=%llu\\n", KeQueryInterruptTime());
    IoReleaseRemoveLockAndWait(&g_RemoveLock, (PVOID)2);
    T("waited t=%llu\\n", KeQueryInterruptTime());
    s = IoAcquireRemoveLock(&g_RemoveLock, (PVOID)3);
    T("after=0x%08X\\n", s);`,
    },
    { scenario: { untilNs: 5_000_000 } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(
    out(r).map((l) => l.replace(/ t=\d+/, '')),
    ['acquire=0x00000000', 'remove acquire=0x00000000', 'waiting', 'dpc releases', 'waited', `after=${h8(STATUS_DELETE_PENDING)}`],
  );
  const t = (prefix: string): number => Number(/t=(\d+)/.exec(out(r).find((l) => l.startsWith(prefix)) ?? '')?.[1]) * 100;
  assert.ok(t('waited') >= t('dpc releases') && t('dpc releases') >= t('waiting') + 2_000_000, 'the wait ended only after the DPC released the last reference');
});

test('remove lock: with no outstanding reference IoReleaseRemoveLockAndWait returns at once', () => {
  const r = run({
    globals: 'IO_REMOVE_LOCK g_RemoveLock;',
    driverEntry: "IoInitializeRemoveLock(&g_RemoveLock, 'kcLR', 0, 0);",
    start: `
    NTSTATUS s = IoAcquireRemoveLock(&g_RemoveLock, NULL);
    IoReleaseRemoveLock(&g_RemoveLock, NULL);
    T("acquire=0x%08X\\n", s);`,
    remove: `
    ULONGLONG t0;
    NTSTATUS s = IoAcquireRemoveLock(&g_RemoveLock, NULL);
    t0 = KeQueryInterruptTime();
    IoReleaseRemoveLockAndWait(&g_RemoveLock, NULL);
    T("remove acquire=0x%08X waited_100ns=%llu\\n", s, KeQueryInterruptTime() - t0);`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(out(r)[0], 'acquire=0x00000000');
  assert.equal(values(r).get('acquire'), '0x00000000');
  assert.ok(num(r, 'waited_100ns') < 1000, `waited ${num(r, 'waited_100ns')} × 100 ns`);
});
