// The kernel as a whole: simulated time (KeQueryPerformanceCounter, KeQueryInterruptTime,
// KeQueryTickCount, KERNEL_MODEL §6), the pool leak report at unload, determinism of a run
// (the scheduler's promise, machine.ts), and time ordering across processors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, device, events, irq, out, run, values, type DriverParts, type RunOptions } from './drivers';

const TICK_NS = 15_625_000;

test('KeQueryPerformanceCounter, KeQueryInterruptTime and KeQueryTickCount advance with simulated time', () => {
  const r = run({
    globals: `
KSTART_ROUTINE TstThread;
VOID TstThread(PVOID StartContext)
{
    LARGE_INTEGER freq, c0, c1, c2, interval, k0, k1;
    ULONGLONG i0, i1, i2;
    UNREFERENCED_PARAMETER(StartContext);
    c0 = KeQueryPerformanceCounter(&freq);
    i0 = KeQueryInterruptTime();
    KeQueryTickCount(&k0);
    interval.QuadPart = -400000; /* 40 ms */
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
    c1 = KeQueryPerformanceCounter(NULL);
    i1 = KeQueryInterruptTime();
    KeQueryTickCount(&k1);
    KeStallExecutionProcessor(100);
    c2 = KeQueryPerformanceCounter(NULL);
    i2 = KeQueryInterruptTime();
    T("freq=%lld increment=%u\\n", freq.QuadPart, KeQueryTimeIncrement());
    T("delay qpc=%lld it=%llu ticks=%lld\\n", c1.QuadPart - c0.QuadPart, i1 - i0, k1.QuadPart - k0.QuadPart);
    T("stall qpc=%lld it=%llu\\n", c2.QuadPart - c1.QuadPart, i2 - i1);
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
    start: `
    HANDLE h;
    if (NT_SUCCESS(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, TstThread, NULL))) {
        ZwClose(h);
    }`,
  }, { scenario: { untilNs: 100_000_000 } });
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r);
  const field = (prefix: string, key: string): number => {
    const line = lines.find((l) => l.startsWith(prefix)) ?? '';
    const m = new RegExp(`\\b${key}=(-?\\d+)`).exec(line);
    assert.ok(m, `${prefix} ${key} in ${lines.join(' | ')}`);
    return Number(m[1]);
  };
  const freq = field('freq', 'freq');
  assert.ok(freq > 0);
  assert.equal(field('freq', 'increment'), 156250, 'KeQueryTimeIncrement: 15.625 ms in 100 ns units');
  const delayQpcNs = (field('delay', 'qpc') / freq) * 1e9;
  assert.ok(delayQpcNs >= 40e6 && delayQpcNs < 40e6 + TICK_NS, `QPC advanced ${delayQpcNs} ns over a 40 ms delay`);
  const delayIt = field('delay', 'it');
  assert.ok(delayIt >= 400_000 && delayIt < 400_000 + TICK_NS / 100, `interrupt time advanced ${delayIt} over a 40 ms delay`);
  const ticks = field('delay', 'ticks');
  assert.ok(ticks >= 2 && ticks <= 3, `${ticks} clock ticks in 40 ms`);
  const stallQpcNs = (field('stall', 'qpc') / freq) * 1e9;
  assert.ok(stallQpcNs >= 100e3 && stallQpcNs < 200e3, `QPC advanced ${stallQpcNs} ns over a 100 µs stall`);
  assert.ok(field('stall', 'it') >= 1000, 'interrupt time advanced over a 100 µs stall');
});

test('KeQueryInterruptTime in the ISR and the DPC is not before the interrupt', () => {
  const r = run(
    {
      isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    T("isr_t=%llu\\n", KeQueryInterruptTime());
    IoRequestDpc(fdo, NULL, NULL);
    return TRUE;`,
      dpc: 'T("dpc_t=%llu\\n", KeQueryInterruptTime());',
    },
    { scenario: { stimuli: [irq(3_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const v = values(r);
  const isr = Number(v.get('isr_t')) * 100;
  const dpc = Number(v.get('dpc_t')) * 100;
  assert.ok(isr >= 3_000_000 && isr < 3_100_000, `ISR at ${isr} ns`);
  assert.ok(dpc >= isr && dpc < 3_100_000, `DPC at ${dpc} ns`);
});

test('pool still allocated at unload is reported as a leak (tag, size); freed pool is not', () => {
  const r = run({
    globals: 'PVOID g_Leak;',
    start: `
    PVOID freed = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, 'dooG');
    g_Leak = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, 'kaeL');
    T("leak=%p\\n", g_Leak);
    ExFreePoolWithTag(freed, 'dooG');`,
    unload: 'T("unload\\n");',
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.ok(out(r).includes('unload'), 'DriverUnload ran');
  assert.equal(r.leaks.length, 1, JSON.stringify(r.leaks));
  assert.equal(r.leaks[0].tag, 'Leak');
  assert.equal(r.leaks[0].size, 48);
  assert.equal(BigInt(r.leaks[0].address), BigInt(`0x${values(r).get('leak') ?? ''}`));
  assert.ok(
    r.log.some((l) => /pool leak at unload: 48 bytes tagged 'Leak'/.test(l)),
    describe(r),
  );
});

// ---- determinism --------------------------------------------------------------------------------

const BUSY_DRIVER: DriverParts = {
  globals: `
KTIMER g_Timer;
KDPC g_TimerDpc;
KSPIN_LOCK g_Lock;
LONG g_Count;
KDEFERRED_ROUTINE TstTimerDpc;
VOID TstTimerDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(DeferredContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeAcquireSpinLockAtDpcLevel(&g_Lock);
    g_Count++;
    KeReleaseSpinLockFromDpcLevel(&g_Lock);
}`,
  driverEntry: `
    KeInitializeSpinLock(&g_Lock);
    KeInitializeTimer(&g_Timer);
    KeInitializeDpc(&g_TimerDpc, TstTimerDpc, NULL);`,
  start: `
    LARGE_INTEGER due;
    due.QuadPart = -10000;
    KeSetTimerEx(&g_Timer, due, 5, &g_TimerDpc);`,
  remove: 'KeCancelTimer(&g_Timer);',
  isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    KeStallExecutionProcessor(5);
    IoRequestDpc(fdo, NULL, (PVOID)(ULONG_PTR)RdReg(ext, REG_DATA));
    return TRUE;`,
  dpc: `
    KIRQL old;
    KeAcquireSpinLock(&g_Lock, &old);
    g_Count++;
    KeReleaseSpinLock(&g_Lock, old);
    T("dpc%u cpu=%u ctx=%p count=%d\\n", ext->Index, KeGetCurrentProcessorNumber(), Context, g_Count);`,
  read: `
    KeStallExecutionProcessor(30);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`,
};

const BUSY_RUN: RunOptions = {
  cpus: 2,
  devices: [device(0, { vector: 0x91 }), device(1, { vector: 0x81 })],
  scenario: {
    untilNs: 50_000_000,
    stimuli: [
      { kind: 'burst', device: 'dev0', atNs: 1_000_000, count: 20, spacingNs: 7_000 },
      { kind: 'random', device: 'dev1', startNs: 500_000, endNs: 40_000_000, count: 30 },
      { kind: 'periodic', device: 'dev0', startNs: 5_000_000, periodNs: 1_000_000, count: 30 },
    ],
    requests: [
      { major: 'read', atNs: 2_000_000, length: 4 },
      { major: 'read', atNs: 2_000_500, length: 4 },
      { major: 'read', atNs: 20_000_000, length: 4 },
    ],
  },
};

test('determinism: the same driver and configuration run twice give identical traces, logs and results', () => {
  const a = run(BUSY_DRIVER, BUSY_RUN);
  const b = run(BUSY_DRIVER, BUSY_RUN);
  assert.equal(a.bugCheck, undefined, describe(a));
  assert.ok(events(a, 'isr-enter').length >= 50, 'the run exercises interrupts');
  assert.ok(events(a, 'dpc-run').length >= 10, 'and DPCs');
  assert.ok(new Set(events(a, 'dpc-run').map((e) => e.cpu)).size === 2, 'on both processors');
  assert.deepStrictEqual(b.machine.trace.events, a.machine.trace.events);
  assert.deepStrictEqual(b.log, a.log);
  assert.deepStrictEqual(b.requests, a.requests);
  assert.equal(b.endNs, a.endNs);
});

// ---- time across processors ----------------------------------------------------------------------

test('time order on 2 CPUs: no thread runs before it is created, no ISR before its interrupt, no DPC before it is queued', () => {
  const r = run(
    {
      globals: `
KSTART_ROUTINE TstBusy;
VOID TstBusy(PVOID StartContext)
{
    ULONG i;
    UNREFERENCED_PARAMETER(StartContext);
    for (i = 0; i < 100; i++) {
        KeStallExecutionProcessor(100);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: `
    HANDLE h;
    if (ext->Index == 0 && NT_SUCCESS(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, TstBusy, NULL))) {
        ZwClose(h);
    }`,
      isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    IoRequestDpc(fdo, NULL, NULL);
    return TRUE;`,
    },
    {
      cpus: 2,
      // One device per processor: whichever CPU the busy thread does not occupy, one of the
      // interrupts goes to it while it is idle.
      devices: [device(0, { vector: 0x91, affinity: 1 }), device(1, { vector: 0x92, affinity: 2 })],
      scenario: { untilNs: 20_000_000, stimuli: [irq(5_000_000, 'dev0'), irq(5_000_000, 'dev1')] },
    },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const created = new Map<number, number>();
  for (const e of events(r, 'thread')) {
    if (e.what === 'create') created.set(e.thread, e.t);
    if (e.what === 'run') assert.ok(e.t >= (created.get(e.thread) ?? 0), `thread ${e.thread} (${e.name}) runs on CPU ${e.cpu} at ${e.t} ns, created at ${created.get(e.thread)} ns`);
  }
  const enters = events(r, 'isr-enter');
  assert.equal(enters.length, 2);
  for (const e of enters) assert.ok(e.t >= 5_000_000, `ISR on CPU ${e.cpu} entered at ${e.t} ns; the interrupt came at 5 ms`);
  for (const e of events(r, 'dpc-run')) assert.ok(e.t >= e.queuedAt, `DPC on CPU ${e.cpu} ran at ${e.t} ns, queued at ${e.queuedAt} ns`);
});

test('KeSetSystemAffinityThreadEx at PASSIVE_LEVEL: on return the thread runs on a processor of the new affinity', () => {
  const r = run(
    {
      globals: `
KSTART_ROUTINE TstThread;
VOID TstThread(PVOID StartContext)
{
    ULONG before = KeGetCurrentProcessorNumber();
    ULONG want = 1 - before;
    KAFFINITY old = KeSetSystemAffinityThreadEx((KAFFINITY)1 << want);
    T("before=%u want=%u after=%u\\n", before, want, KeGetCurrentProcessorNumber());
    KeRevertToUserAffinityThreadEx(old);
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: `
    HANDLE h;
    if (NT_SUCCESS(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, TstThread, NULL))) {
        ZwClose(h);
    }`,
    },
    { cpus: 2 },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const v = values(r);
  assert.ok(v.has('after'), describe(r));
  assert.equal(v.get('after'), v.get('want'));
});
