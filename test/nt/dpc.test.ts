// DPCs against KERNEL_MODEL §2: the IoInitializeDpcRequest / IoRequestDpc / DpcForIsr flow
// (§2.3), coalescing of inserts, importance and target processor (§2.4), and the drain when
// the IRQL drops below DISPATCH_LEVEL (§1.2, §2.5).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toUnsigned } from '../../kernel-sim/vm/memory';
import { big, describe, device, events, irq, num, out, run } from './drivers';

/** A custom DPC routine printing its context string, and DPC objects A..D. */
const CUSTOM_DPCS = `
KDPC g_DpcA, g_DpcB, g_DpcC, g_DpcD;
KDEFERRED_ROUTINE TstCustomDpc;
VOID TstCustomDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    T("custom %s cpu=%u irql=%u\\n", (PCSTR)DeferredContext, KeGetCurrentProcessorNumber(), KeGetCurrentIrql());
}`;

test('IoRequestDpc: DpcForIsr gets (&DeviceObject->Dpc, DeviceObject, Irp, Context) at DISPATCH_LEVEL after the ISR returns', () => {
  const r = run(
    {
      globals: 'volatile LONG g_InIsr;',
      isr: `
    g_InIsr = 1;
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        g_InIsr = 0;
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    T("isr irql=%u\\n", KeGetCurrentIrql());
    IoRequestDpc(fdo, (PIRP)0x1111, (PVOID)0x2222);
    g_InIsr = 0;
    return TRUE;`,
      dpc: `
    T("dpc irql=%u dpc=%p devdpc=%p dev=%p fdo=%p irp=%p ctx=%p inisr=%d executing=%u\\n",
      KeGetCurrentIrql(), Dpc, &DeviceObject->Dpc, DeviceObject, g_Fdo, Irp, Context, g_InIsr, KeIsExecutingDpc());`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(out(r).filter((l) => l.startsWith('dpc')).length, 1, describe(r));
  assert.equal(num(r, 'irql'), 2, 'DpcForIsr runs at DISPATCH_LEVEL');
  assert.equal(big(r, 'dpc'), big(r, 'devdpc'), 'Dpc is &DeviceObject->Dpc');
  assert.equal(big(r, 'dev'), big(r, 'fdo'), 'DeviceObject is the DEVICE_OBJECT given to IoInitializeDpcRequest');
  assert.equal(big(r, 'irp'), 0x1111n, 'Irp is IoRequestDpc\'s Irp');
  assert.equal(big(r, 'ctx'), 0x2222n, 'Context is IoRequestDpc\'s Context');
  assert.equal(num(r, 'inisr'), 0, 'the DPC runs after the ISR returned');
  assert.equal(num(r, 'executing'), 1, 'KeIsExecutingDpc inside a DPC');
  assert.deepEqual(out(r)[0], 'isr irql=9');
  const ev = events(r, 'isr-exit', 'dpc-queue', 'dpc-run');
  assert.deepEqual(
    ev.map((e) => e.kind),
    ['dpc-queue', 'isr-exit', 'dpc-run'],
  );
  const [queued, exit, ran] = ev;
  assert.ok(queued.kind === 'dpc-queue' && queued.inserted && queued.target === 0);
  assert.ok(exit.kind === 'isr-exit' && ran.kind === 'dpc-run');
  assert.ok(ran.t >= exit.t, 'dpc-run is not before isr-exit');
  assert.equal(ran.routine, 'TstDpcForIsr');
  assert.equal(toUnsigned(ran.dpc), big(r, 'dpc'), 'the trace names the device object\'s KDPC');
});

test('three IoRequestDpc calls in one ISR: one DpcForIsr with the first call\'s arguments; KeInsertQueueDpc returns FALSE while queued', () => {
  const r = run(
    {
      isr: `
    BOOLEAN first, third;
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    first = KeInsertQueueDpc(&fdo->Dpc, (PVOID)1, (PVOID)10);
    IoRequestDpc(fdo, (PIRP)2, (PVOID)20);
    third = KeInsertQueueDpc(&fdo->Dpc, (PVOID)3, (PVOID)30);
    T("isr first=%u third=%u\\n", first, third);
    return TRUE;`,
      dpc: `T("dpc irp=%p ctx=%p\\n", Irp, Context);`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['isr first=1 third=0', 'dpc irp=0000000000000001 ctx=000000000000000A']);
  assert.deepEqual(
    events(r, 'dpc-queue').map((e) => e.inserted),
    [true, false, false],
  );
  assert.equal(events(r, 'dpc-run').length, 1);
});

test('three interrupts while the DPC cannot run (the CPU is at DISPATCH_LEVEL): one DpcForIsr with the first interrupt\'s arguments, inside KeLowerIrql', () => {
  const r = run(
    {
      globals: 'LONG g_Dpcs;',
      isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    IoRequestDpc(fdo, (PIRP)(ULONG_PTR)(0x100 + ext->IsrCount), (PVOID)(ULONG_PTR)ext->IsrCount);
    return TRUE;`,
      dpc: `
    g_Dpcs++;
    T("dpc irp=%p ctx=%p isrs=%d\\n", Irp, Context, ext->IsrCount);`,
      read: `
    KIRQL old;
    ULONG i;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    T("raised\\n");
    for (i = 0; i < 30; i++) {
        KeStallExecutionProcessor(100);
    }
    T("lowering isrs=%d dpcs=%d\\n", ext->IsrCount, g_Dpcs);
    KeLowerIrql(old);
    T("lowered dpcs=%d\\n", g_Dpcs);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`,
    },
    { scenario: { untilNs: 10_000_000, requests: [{ major: 'read', atNs: 1_000_000, length: 4 }], stimuli: [irq(1_500_000), irq(2_000_000), irq(2_500_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['raised', 'lowering isrs=3 dpcs=0', 'dpc irp=0000000000000101 ctx=0000000000000001 isrs=3', 'lowered dpcs=1']);
  assert.deepEqual(
    events(r, 'dpc-queue').map((e) => e.inserted),
    [true, false, false],
  );
  assert.equal(r.requests[0]?.status, 0);
});

test('HighImportance goes to the head of the queue; Medium and MediumHigh to the tail', () => {
  const r = run(
    {
      globals: CUSTOM_DPCS,
      addDevice: `
    KeInitializeDpc(&g_DpcA, TstCustomDpc, "A-medium");
    KeInitializeDpc(&g_DpcB, TstCustomDpc, "B-high");
    KeInitializeDpc(&g_DpcC, TstCustomDpc, "C-mediumhigh");
    KeSetImportanceDpc(&g_DpcB, HighImportance);
    KeSetImportanceDpc(&g_DpcC, MediumHighImportance);`,
      isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    KeInsertQueueDpc(&g_DpcA, NULL, NULL);
    KeInsertQueueDpc(&g_DpcC, NULL, NULL);
    KeInsertQueueDpc(&g_DpcB, NULL, NULL);
    return TRUE;`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['custom B-high cpu=0 irql=2', 'custom A-medium cpu=0 irql=2', 'custom C-mediumhigh cpu=0 irql=2']);
  assert.deepEqual(
    events(r, 'dpc-queue').map((e) => e.importance),
    [1, 3, 2],
  );
});

test('KeSetTargetProcessorDpc(1): the DPC runs on CPU 1 of a 2-CPU machine (the ISR runs on CPU 0)', () => {
  const r = run(
    {
      globals: CUSTOM_DPCS,
      addDevice: `
    KeInitializeDpc(&g_DpcA, TstCustomDpc, "A-medium-cpu1");
    KeInitializeDpc(&g_DpcB, TstCustomDpc, "B-high-cpu1");
    KeSetTargetProcessorDpc(&g_DpcA, 1);
    KeSetTargetProcessorDpc(&g_DpcB, 1);
    KeSetImportanceDpc(&g_DpcB, HighImportance);`,
      isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    T("isr cpu=%u\\n", KeGetCurrentProcessorNumber());
    KeInsertQueueDpc(&g_DpcA, NULL, NULL);
    KeInsertQueueDpc(&g_DpcB, NULL, NULL);
    IoRequestDpc(fdo, NULL, NULL);
    return TRUE;`,
      dpc: `T("dpcforisr cpu=%u\\n", KeGetCurrentProcessorNumber());`,
    },
    // Affinity 1: the interrupt can only be taken by CPU 0.
    { cpus: 2, devices: [device(0, { affinity: 1 })], scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r);
  assert.ok(lines.includes('isr cpu=0'), describe(r));
  assert.ok(lines.includes('custom A-medium-cpu1 cpu=1 irql=2'), describe(r));
  assert.ok(lines.includes('custom B-high-cpu1 cpu=1 irql=2'), describe(r));
  assert.ok(lines.includes('dpcforisr cpu=0'), 'an untargeted DPC runs on the CPU that queued it');
  assert.deepEqual(
    events(r, 'dpc-queue').map((e) => [e.cpu, e.target]),
    [
      [0, 1],
      [0, 1],
      [0, 0],
    ],
  );
  for (const e of events(r, 'dpc-run')) assert.equal(e.cpu, e.routine === 'TstDpcForIsr' ? 0 : 1, `${e.routine} ran on CPU ${e.cpu}`);
});

test('a DPC queued at DISPATCH_LEVEL runs inside KeLowerIrql / KeReleaseSpinLock, not before; queued at PASSIVE it runs inside KeInsertQueueDpc', () => {
  const r = run({
    globals: `
KDPC g_Dpc;
KSPIN_LOCK g_Lock;
volatile LONG g_Flag;
KDEFERRED_ROUTINE TstFlagDpc;
VOID TstFlagDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(DeferredContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    g_Flag++;
    T("dpc irql=%u\\n", KeGetCurrentIrql());
}`,
    driverEntry: `
    KeInitializeDpc(&g_Dpc, TstFlagDpc, NULL);
    KeInitializeSpinLock(&g_Lock);`,
    start: `
    KIRQL old;
    BOOLEAN inserted;
    T("start irql=%u\\n", KeGetCurrentIrql());
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    inserted = KeInsertQueueDpc(&g_Dpc, NULL, NULL);
    T("raised inserted=%u flag=%d\\n", inserted, g_Flag);
    KeLowerIrql(old);
    T("lowered flag=%d irql=%u\\n", g_Flag, KeGetCurrentIrql());
    KeAcquireSpinLock(&g_Lock, &old);
    KeInsertQueueDpc(&g_Dpc, NULL, NULL);
    T("locked flag=%d\\n", g_Flag);
    KeReleaseSpinLock(&g_Lock, old);
    T("released flag=%d\\n", g_Flag);
    KeInsertQueueDpc(&g_Dpc, NULL, NULL);
    T("passive flag=%d\\n", g_Flag);`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), [
    'start irql=0',
    'raised inserted=1 flag=0',
    'dpc irql=2',
    'lowered flag=1 irql=0',
    'locked flag=1',
    'dpc irql=2',
    'released flag=2',
    'dpc irql=2',
    'passive flag=3',
  ]);
});

test('a running DPC is no longer queued: it can queue itself again (KeRemoveQueueDpc FALSE, KeInsertQueueDpc TRUE) and runs again with the new arguments', () => {
  const r = run({
    globals: `
KDPC g_Dpc;
LONG g_Runs;
KDEFERRED_ROUTINE TstSelfDpc;
VOID TstSelfDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(DeferredContext);
    g_Runs++;
    T("run n=%d a1=%p a2=%p\\n", g_Runs, SystemArgument1, SystemArgument2);
    if (g_Runs == 1) {
        BOOLEAN removed = KeRemoveQueueDpc(Dpc);
        BOOLEAN inserted = KeInsertQueueDpc(Dpc, (PVOID)2, (PVOID)3);
        T("removed=%u inserted=%u\\n", removed, inserted);
    }
}`,
    driverEntry: 'KeInitializeDpc(&g_Dpc, TstSelfDpc, NULL);',
    start: `
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    KeInsertQueueDpc(&g_Dpc, (PVOID)1, (PVOID)1);
    KeLowerIrql(old);
    T("after runs=%d\\n", g_Runs);`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['run n=1 a1=0000000000000001 a2=0000000000000001', 'removed=0 inserted=1', 'run n=2 a1=0000000000000002 a2=0000000000000003', 'after runs=2']);
});

test('KeRemoveQueueDpc unlinks a queued DPC (TRUE, then FALSE) and it never runs', () => {
  const r = run({
    globals: `
KDPC g_Dpc;
LONG g_Runs;
KDEFERRED_ROUTINE TstCountDpc;
VOID TstCountDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(DeferredContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    g_Runs++;
}`,
    driverEntry: 'KeInitializeDpc(&g_Dpc, TstCountDpc, NULL);',
    start: `
    KIRQL old;
    BOOLEAN first, second, inserted;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    inserted = KeInsertQueueDpc(&g_Dpc, NULL, NULL);
    first = KeRemoveQueueDpc(&g_Dpc);
    second = KeRemoveQueueDpc(&g_Dpc);
    KeLowerIrql(old);
    T("inserted=%u first=%u second=%u runs=%d\\n", inserted, first, second, g_Runs);`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['inserted=1 first=1 second=0 runs=0']);
  assert.equal(events(r, 'dpc-run').length, 0);
});

test('a DPC targeted at a busy processor: MediumImportance waits for its clock tick, HighImportance interrupts it at once (§2.4)', () => {
  const r = run(
    {
      globals: `
volatile LONG g_BusyCpu = -1;
LONG g_Queued;
KDPC g_DpcM, g_DpcH;
KDEFERRED_ROUTINE TstTimedDpc;
VOID TstTimedDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    T("%s cpu=%u t=%llu\\n", (PCSTR)DeferredContext, KeGetCurrentProcessorNumber(), KeQueryInterruptTime());
}
KSTART_ROUTINE TstBusy;
VOID TstBusy(PVOID StartContext)
{
    ULONG i;
    UNREFERENCED_PARAMETER(StartContext);
    g_BusyCpu = (LONG)KeGetCurrentProcessorNumber();
    T("busy cpu=%d\\n", g_BusyCpu);
    for (i = 0; i < 300; i++) {
        KeStallExecutionProcessor(100);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      driverEntry: `
    KeInitializeDpc(&g_DpcM, TstTimedDpc, "medium");
    KeInitializeDpc(&g_DpcH, TstTimedDpc, "high");
    KeSetImportanceDpc(&g_DpcH, HighImportance);`,
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
    if (g_BusyCpu >= 0 && (LONG)KeGetCurrentProcessorNumber() != g_BusyCpu) {
        PKDPC dpc = g_Queued++ == 0 ? &g_DpcM : &g_DpcH;
        KeSetTargetProcessorDpc(dpc, (CCHAR)g_BusyCpu);
        KeInsertQueueDpc(dpc, NULL, NULL);
    }
    return TRUE;`,
    },
    {
      cpus: 2,
      devices: [device(0, { vector: 0x91, affinity: 1 }), device(1, { vector: 0x92, affinity: 2 })],
      scenario: { untilNs: 40_000_000, stimuli: [irq(5_000_000, 'dev0'), irq(5_000_000, 'dev1'), irq(20_000_000, 'dev0'), irq(20_000_000, 'dev1')] },
    },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r);
  const busy = lines.find((l) => l.startsWith('busy'))?.slice(-1);
  const at = (name: string): number => {
    const l = lines.find((x) => x.startsWith(`${name} `));
    assert.ok(l, lines.join('\n'));
    assert.ok(l.includes(` cpu=${busy} `), `${name} DPC runs on the busy CPU ${busy}: ${l}`);
    return Number(/t=(\d+)/.exec(l)?.[1]) * 100;
  };
  const medium = at('medium');
  const high = at('high');
  assert.ok(medium >= 15_625_000 && medium < 16_625_000, `the MediumImportance DPC queued at 5 ms ran at ${medium} ns (expected the next clock tick, 15.625 ms)`);
  assert.ok(high >= 20_000_000 && high < 20_100_000, `the HighImportance DPC queued at 20 ms ran at ${high} ns (expected at once)`);
});

test('a threaded DPC runs at PASSIVE_LEVEL in a thread, after the ordinary DPCs queued with it', () => {
  const r = run(
    {
      globals: `
KDPC g_Threaded, g_Ordinary;
KDEFERRED_ROUTINE TstNamedDpc;
VOID TstNamedDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    T("%s irql=%u\\n", (PCSTR)DeferredContext, KeGetCurrentIrql());
}`,
      driverEntry: `
    KeInitializeThreadedDpc(&g_Threaded, TstNamedDpc, "threaded");
    KeInitializeDpc(&g_Ordinary, TstNamedDpc, "ordinary");`,
      isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    KeInsertQueueDpc(&g_Threaded, NULL, NULL);
    KeInsertQueueDpc(&g_Ordinary, NULL, NULL);
    return TRUE;`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['ordinary irql=2', 'threaded irql=0']);
  const runs = events(r, 'dpc-run');
  assert.deepEqual(
    runs.map((e) => e.threaded),
    [false, true],
  );
});
