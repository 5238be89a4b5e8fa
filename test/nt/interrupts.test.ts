// Interrupts against KERNEL_MODEL §3: the ISR contract (§3.4), dispatch and nesting by IRQL
// (§3.5, vector >> 4), shared level-triggered vectors, and synchronizing with the ISR through
// KeSynchronizeExecution / KeAcquireInterruptSpinLock (§3.6).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toUnsigned } from '../../kernel-sim/vm/memory';
import { big, describe, device, events, irq, num, out, run } from './drivers';

/** The ISR body every test here starts from: not ours → FALSE; else acknowledge. */
const CLAIM = `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);`;

test('the ISR gets (the KINTERRUPT IoConnectInterrupt returned, ServiceContext) at DIRQL = vector >> 4', () => {
  for (const vector of [0x91, 0x51]) {
    const r = run(
      {
        isr: `${CLAIM}
    T("isr irql=%u interrupt=%p connected=%p context=%p fdo=%p\\n", KeGetCurrentIrql(), Interrupt, ext->Interrupt, ServiceContext, fdo);
    return TRUE;`,
      },
      { devices: [device(0, { vector })], scenario: { stimuli: [irq(1_000_000)] } },
    );
    assert.equal(r.bugCheck, undefined, describe(r));
    assert.equal(num(r, 'irql'), vector >> 4);
    assert.equal(big(r, 'interrupt'), big(r, 'connected'));
    assert.equal(big(r, 'context'), big(r, 'fdo'));
    const [enter] = events(r, 'isr-enter');
    assert.equal(enter.vector, vector);
    assert.equal(enter.irql, vector >> 4);
    assert.equal(toUnsigned(enter.interrupt), big(r, 'interrupt'));
    const [exit] = events(r, 'isr-exit');
    assert.equal(exit.claimed, true);
  }
});

test('nesting: an ISR at DIRQL 5 (0x51) is preempted by a device at DIRQL 9 (0x91) but not by another at 5 (0x52)', () => {
  const r = run(
    {
      isr: `${CLAIM}
    T("enter %X irql=%u\\n", ext->Vector, KeGetCurrentIrql());
    if (ext->Vector == 0x51) {
        KeStallExecutionProcessor(100);
    }
    T("exit %X\\n", ext->Vector);
    return TRUE;`,
    },
    {
      devices: [device(0, { vector: 0x51 }), device(1, { vector: 0x91 }), device(2, { vector: 0x52 })],
      // dev1 and dev2 interrupt while dev0's ISR stalls (1.0004 ms .. ~1.1 ms).
      scenario: { stimuli: [irq(1_000_000, 'dev0'), irq(1_030_000, 'dev1'), irq(1_040_000, 'dev2')] },
    },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const seq = events(r, 'isr-enter', 'isr-exit').map((e) => `${e.kind === 'isr-enter' ? 'enter' : 'exit'} ${e.vector.toString(16)}`);
  assert.deepEqual(seq, ['enter 51', 'enter 91', 'exit 91', 'exit 51', 'enter 52', 'exit 52']);
  assert.deepEqual(out(r), ['enter 51 irql=5', 'enter 91 irql=9', 'exit 91', 'exit 51', 'enter 52 irql=5', 'exit 52']);
  const enters = events(r, 'isr-enter');
  const exits = events(r, 'isr-exit');
  assert.ok(enters[1].t >= 1_030_000 && enters[1].t < exits[1].t, 'the 0x91 ISR runs when its device interrupts, inside the 0x51 ISR');
  assert.ok(enters[2].t >= exits[1].t, 'the 0x52 ISR waits until the 0x51 ISR has returned');
  assert.deepEqual(
    enters.map((e) => e.irql),
    [5, 9, 5],
  );
});

for (const level of [2, 9]) {
  test(`an interrupt is taken only above the current IRQL: code raised to ${level} ${level < 9 ? 'is interrupted' : 'defers the DIRQL-9 ISR until KeLowerIrql'}`, () => {
    const r = run(
      {
        isr: `${CLAIM}
    T("isr\\n");
    IoRequestDpc(fdo, NULL, NULL);
    return TRUE;`,
        dpc: 'T("dpc\\n");',
        read: `
    KIRQL old;
    ULONG i;
    KeRaiseIrql(${level}, &old);
    T("raised\\n");
    for (i = 0; i < 5; i++) {
        KeStallExecutionProcessor(100);
    }
    T("lowering\\n");
    KeLowerIrql(old);
    T("lowered\\n");
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`,
      },
      { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 4 }], stimuli: [irq(1_200_000)] } },
    );
    assert.equal(r.bugCheck, undefined, describe(r));
    assert.deepEqual(out(r), level < 9 ? ['raised', 'isr', 'lowering', 'dpc', 'lowered'] : ['raised', 'lowering', 'isr', 'dpc', 'lowered']);
  });
}

test('a shared level-triggered vector: ISRs are called in connection order until one returns TRUE', () => {
  const r = run(
    {
      isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        T("dev%u not mine\\n", ext->Index);
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    T("dev%u mine\\n", ext->Index);
    return TRUE;`,
    },
    {
      devices: [device(0, { vector: 0x91 }), device(1, { vector: 0x91 })],
      scenario: { stimuli: [irq(1_000_000, 'dev1'), irq(2_000_000, 'dev0')] },
    },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['dev0 not mine', 'dev1 mine', 'dev0 mine']);
  assert.deepEqual(
    events(r, 'isr-exit').map((e) => e.claimed),
    [false, true, true],
  );
});

const SYNC_GLOBALS = `
KSPIN_LOCK g_IntLock;
KSYNCHRONIZE_ROUTINE TstSync;
BOOLEAN TstSync(PVOID SynchronizeContext)
{
    T("sync irql=%u locked=%u\\n", KeGetCurrentIrql(), g_IntLock != 0);
    return (BOOLEAN)(SynchronizeContext != NULL);
}`;

test('KeSynchronizeExecution raises to the SynchronizeIrql, holds the interrupt spin lock, returns the routine\'s value and restores the IRQL', () => {
  const r = run(
    {
      globals: SYNC_GLOBALS,
      driverEntry: 'KeInitializeSpinLock(&g_IntLock);',
      interruptSpinLock: '&g_IntLock',
      start: `
    BOOLEAN ret = KeSynchronizeExecution(ext->Interrupt, TstSync, ext);
    T("passive ret=%u irql=%u locked=%u lock=%p\\n", ret, KeGetCurrentIrql(), g_IntLock != 0, &g_IntLock);
    ret = KeSynchronizeExecution(ext->Interrupt, TstSync, NULL);
    T("passive ret=%u\\n", ret);`,
      isr: `${CLAIM}
    T("isr irql=%u locked=%u\\n", KeGetCurrentIrql(), g_IntLock != 0);
    IoRequestDpc(fdo, NULL, NULL);
    return TRUE;`,
      dpc: `
    BOOLEAN ret = KeSynchronizeExecution(ext->Interrupt, TstSync, ext);
    T("dpc ret=%u irql=%u locked=%u\\n", ret, KeGetCurrentIrql(), g_IntLock != 0);`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lock = big(r, 'lock');
  assert.deepEqual(out(r), [
    'sync irql=9 locked=1',
    `passive ret=1 irql=0 locked=0 lock=${lock.toString(16).toUpperCase().padStart(16, '0')}`,
    'sync irql=9 locked=1',
    'passive ret=0',
    'isr irql=9 locked=1',
    'sync irql=9 locked=1',
    'dpc ret=1 irql=2 locked=0',
  ]);
  const onLock = events(r, 'lock-acquire', 'lock-release').filter((e) => toUnsigned(e.lock) === lock);
  assert.ok(onLock.length >= 8 && onLock.every((e) => e.how === 'interrupt'), 'every use of the interrupt lock is traced as such');
});

test('KeSynchronizeExecution excludes the ISR on the other CPU: an interrupt arriving meanwhile is serviced after the routine releases the lock', () => {
  const r = run(
    {
      globals: `
KSYNCHRONIZE_ROUTINE TstSyncStall;
BOOLEAN TstSyncStall(PVOID SynchronizeContext)
{
    ULONG i;
    UNREFERENCED_PARAMETER(SynchronizeContext);
    T("sync start cpu=%u\\n", KeGetCurrentProcessorNumber());
    for (i = 0; i < 5; i++) {
        KeStallExecutionProcessor(100);
    }
    T("sync end\\n");
    return TRUE;
}`,
      read: `
    KeSynchronizeExecution(ext->Interrupt, TstSyncStall, ext);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`,
      isr: `${CLAIM}
    T("isr cpu=%u\\n", KeGetCurrentProcessorNumber());
    return TRUE;`,
    },
    { cpus: 2, scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 4 }], stimuli: [irq(1_200_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r);
  const syncCpu = Number(lines.find((l) => l.startsWith('sync start'))?.slice(-1));
  const isrLine = lines.find((l) => l.startsWith('isr'));
  assert.ok(isrLine, describe(r));
  assert.equal(isrLine, `isr cpu=${1 - syncCpu}`, 'the interrupt went to the CPU that was not in KeSynchronizeExecution');
  const syncEnd = events(r, 'dbgprint').find((e) => e.text === 'T sync end\n');
  const [enter] = events(r, 'isr-enter');
  assert.ok(syncEnd && enter, describe(r));
  assert.ok(enter.t >= 1_200_000, `the ISR entered at ${enter.t} ns, before the device interrupted at 1.2 ms`);
  assert.ok(enter.t >= syncEnd.t, `the ISR entered at ${enter.t} ns while KeSynchronizeExecution held the lock until ${syncEnd.t} ns`);
});

test('SynchronizeIrql above the DIRQL: the ISR and KeSynchronizeExecution run at the SynchronizeIrql', () => {
  const r = run(
    {
      globals: SYNC_GLOBALS,
      driverEntry: 'KeInitializeSpinLock(&g_IntLock);',
      interruptSpinLock: '&g_IntLock',
      syncIrql: '10',
      start: 'KeSynchronizeExecution(ext->Interrupt, TstSync, ext);',
      isr: `${CLAIM}
    T("isr irql=%u\\n", KeGetCurrentIrql());
    return TRUE;`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['sync irql=10 locked=1', 'isr irql=10']);
  assert.equal(events(r, 'isr-enter')[0].irql, 10);
});

test('KeAcquireInterruptSpinLock raises to the SynchronizeIrql and returns the old IRQL; KeReleaseInterruptSpinLock restores it', () => {
  const r = run(
    {
      globals: 'KSPIN_LOCK g_IntLock;',
      driverEntry: 'KeInitializeSpinLock(&g_IntLock);',
      interruptSpinLock: '&g_IntLock',
      dpc: `
    KIRQL old = KeAcquireInterruptSpinLock(ext->Interrupt);
    T("held irql=%u old=%u locked=%u\\n", KeGetCurrentIrql(), old, g_IntLock != 0);
    KeReleaseInterruptSpinLock(ext->Interrupt, old);
    T("released irql=%u locked=%u\\n", KeGetCurrentIrql(), g_IntLock != 0);`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['held irql=9 old=2 locked=1', 'released irql=2 locked=0']);
});

test('a processor spinning on the interrupt lock acquires it promptly once released (within 10 µs)', () => {
  const r = run(
    {
      globals: `
KSYNCHRONIZE_ROUTINE TstSyncStall;
BOOLEAN TstSyncStall(PVOID SynchronizeContext)
{
    ULONG i;
    UNREFERENCED_PARAMETER(SynchronizeContext);
    for (i = 0; i < 5; i++) {
        KeStallExecutionProcessor(100);
    }
    return TRUE;
}`,
      read: `
    KeSynchronizeExecution(ext->Interrupt, TstSyncStall, ext);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`,
      isr: `${CLAIM}
    return TRUE;`,
    },
    { cpus: 2, scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 4 }], stimuli: [irq(1_200_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const [enter] = events(r, 'isr-enter');
  const release = events(r, 'lock-release').find((e) => e.how === 'interrupt' && e.cpu !== enter.cpu && e.t >= 1_200_000);
  assert.ok(enter && release, describe(r));
  assert.ok(enter.t >= release.t && enter.t - release.t <= 10_000, `lock released at ${release.t} ns, the spinning CPU entered the ISR at ${enter.t} ns`);
});
