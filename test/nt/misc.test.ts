// Executive and kernel services beyond DPCs and interrupts (KERNEL_MODEL §5, §6): work items
// and 0xE1, fast mutexes and 0xC4/0x33–0x34, KeWaitForMultipleObjects and 0xC, semaphores,
// KeFlushQueuedDpcs across processors, pool (Verifier special pool: 0xD1 / 0xD5 / 0xD6, and
// 0xC2), DbgPrint's Unicode formats, the cumulative DPC watchdog (0x133 / 1), and pageable
// (PAGE) code with PAGED_CODE().

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { big, describe, driverSource, type DriverParts, events, irq, lineOf, num, out, run, type RunOptions, values, expectBugCheck } from './drivers';
import type { Run } from './harness';

const TICK_NS = 15_625_000;
const STATUS_TIMEOUT = 0x102;


const hexArgs = (args: readonly bigint[]): string[] => args.map((a) => `0x${a.toString(16)}`);
const ONE_INTERRUPT: RunOptions = { scenario: { stimuli: [irq(1_000_000)] } };
/** Interrupt time (100 ns units) printed as key=... → ns. */
const ns = (r: Run, key: string): number => Number(values(r).get(key)) * 100;

/** A system thread started from IRP_MN_START_DEVICE running `TstThread`. */
const THREAD = `
KSTART_ROUTINE TstThread;
static VOID StartThread(PVOID context)
{
    HANDLE h;
    if (NT_SUCCESS(PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, TstThread, context))) {
        ZwClose(h);
    }
}`;

// ---- work items (§6: IoAllocateWorkItem / IoQueueWorkItem / IoFreeWorkItem, §5.1 0xE1) ----------

const WORK_GLOBALS = `
PIO_WORKITEM g_Work;
PKTHREAD g_DpcThread;
IO_WORKITEM_ROUTINE TstWork;`;

test('IoQueueWorkItem from a DPC: the routine runs at PASSIVE_LEVEL in a system thread (not the DPC\'s) with (DeviceObject, Context)', () => {
  const r = run(
    {
      globals: `${WORK_GLOBALS}
VOID TstWork(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    T("work irql=%u device=%p context=%p thread=%p dpcthread=%p indpc=%u process=%u t=%llu\\n", KeGetCurrentIrql(), DeviceObject, Context,
      KeGetCurrentThread(), g_DpcThread, KeIsExecutingDpc(), (ULONG)(ULONG_PTR)PsGetCurrentProcessId(), KeQueryInterruptTime());
}`,
      addDevice: 'g_Work = IoAllocateWorkItem(fdo);',
      start: 'T("fdo=%p allocated=%u\\n", fdo, g_Work != NULL);',
      dpc: `
    g_DpcThread = KeGetCurrentThread();
    T("dpc queues t=%llu\\n", KeQueryInterruptTime());
    IoQueueWorkItem(g_Work, TstWork, DelayedWorkQueue, (PVOID)0x1234);`,
      remove: 'IoFreeWorkItem(g_Work);',
    },
    ONE_INTERRUPT,
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(num(r, 'allocated'), 1);
  assert.equal(num(r, 'irql'), 0, 'PASSIVE_LEVEL');
  assert.equal(big(r, 'device'), big(r, 'fdo'), 'DeviceObject is the one given to IoAllocateWorkItem');
  assert.equal(big(r, 'context'), 0x1234n);
  assert.notEqual(big(r, 'thread'), big(r, 'dpcthread'), 'a different thread than the one the DPC ran in');
  assert.equal(num(r, 'indpc'), 0);
  assert.equal(num(r, 'process'), 4, 'the System process');
  const run_ = events(r, 'thread').find((e) => e.what === 'run' && /worker/i.test(e.name));
  assert.ok(run_, 'the system worker thread ran');
  assert.ok(ns(r, 't') >= 1_000_000);
  assert.deepEqual(r.leaks, [], 'the freed work item is no leak');
});

test('a work item routine returning at DISPATCH_LEVEL (KeRaiseIrql without KeLowerIrql) → 0xE1 (routine, IRQL 2, context, work item)', () => {
  const r = expectBugCheck(
    {
      globals: `${WORK_GLOBALS}
VOID TstWork(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    KIRQL old;
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Context);
    KeRaiseIrql(DISPATCH_LEVEL, &old);
}`,
      addDevice: 'g_Work = IoAllocateWorkItem(fdo);',
      start: 'T("routine=%p item=%p\\n", TstWork, g_Work);',
      dpc: 'IoQueueWorkItem(g_Work, TstWork, DelayedWorkQueue, (PVOID)0x5678);',
    },
    ONE_INTERRUPT,
    0xe1,
  );
  assert.deepEqual(hexArgs(r.bugCheck.args), hexArgs([big(r, 'routine'), 2n, 0x5678n, big(r, 'item')]));
  assert.match(r.analyze ?? '', /WORKER_THREAD_RETURNED_AT_BAD_IRQL/);
});

test('a work item never freed with IoFreeWorkItem is reported as a leak at unload', () => {
  const r = run(
    {
      globals: `${WORK_GLOBALS}
VOID TstWork(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Context);
    T("work ran\\n");
}`,
      addDevice: 'g_Work = IoAllocateWorkItem(fdo);',
      start: 'T("item=%p\\n", g_Work);',
      dpc: 'IoQueueWorkItem(g_Work, TstWork, DelayedWorkQueue, NULL);',
    },
    ONE_INTERRUPT,
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.ok(out(r).includes('work ran'));
  const item = `0x${big(r, 'item').toString(16)}`;
  assert.equal(r.leaks.filter((l) => l.address === item).length, 1, `leaks: ${JSON.stringify(r.leaks)}`);
  assert.ok(r.log.some((l) => l.includes('pool leak at unload') && l.includes(item)), r.log.join(''));
});

// ---- fast mutexes (§6, §5.2 0x33 / 0x34) -----------------------------------------------------------

test('ExAcquireFastMutex raises to APC_LEVEL; a second thread blocks until ExReleaseFastMutex, which restores PASSIVE_LEVEL', () => {
  const r = run(
    {
      globals: `FAST_MUTEX g_Mutex;
${THREAD}
VOID TstThread(PVOID StartContext)
{
    LARGE_INTEGER d;
    UNREFERENCED_PARAMETER(StartContext);
    d.QuadPart = -10000; /* 1 ms */
    KeDelayExecutionThread(KernelMode, FALSE, &d);
    T("B trying\\n");
    ExAcquireFastMutex(&g_Mutex);
    T("B acquired irql=%u b_t=%llu\\n", KeGetCurrentIrql(), KeQueryInterruptTime());
    ExReleaseFastMutex(&g_Mutex);
    T("B released irql=%u\\n", KeGetCurrentIrql());
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: `
    LARGE_INTEGER d;
    ExInitializeFastMutex(&g_Mutex);
    StartThread(NULL); /* PsCreateSystemThread is PASSIVE_LEVEL only: before acquiring */
    ExAcquireFastMutex(&g_Mutex);
    T("A acquired irql=%u owner=%u\\n", KeGetCurrentIrql(), g_Mutex.Owner == KeGetCurrentThread());
    d.QuadPart = -30000; /* 3 ms, holding the mutex (waiting is allowed at APC_LEVEL) */
    KeDelayExecutionThread(KernelMode, FALSE, &d);
    T("A releasing contention=%u\\n", g_Mutex.Contention);
    ExReleaseFastMutex(&g_Mutex);
    T("A released irql=%u a_t=%llu\\n", KeGetCurrentIrql(), KeQueryInterruptTime());`,
    },
    { scenario: { untilNs: 20_000_000 } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(
    out(r).map((l) => l.replace(/ [ab]_t=\d+/, '')),
    ['A acquired irql=1 owner=1', 'B trying', 'A releasing contention=1', 'A released irql=0', 'B acquired irql=1', 'B released irql=0'],
  );
  assert.ok(ns(r, 'b_t') >= ns(r, 'a_t'), 'B got the mutex only after A released it');
});

test('ExAcquireFastMutex at DISPATCH_LEVEL → 0xC4 / 0x33 (P2 = IRQL 2, P3 = the fast mutex)', () => {
  const r = expectBugCheck(
    {
      globals: 'FAST_MUTEX g_Mutex;',
      driverEntry: 'ExInitializeFastMutex(&g_Mutex);',
      start: 'T("mutex=%p\\n", &g_Mutex);',
      dpc: 'ExAcquireFastMutex(&g_Mutex); /* AT-DISPATCH */',
    },
    ONE_INTERRUPT,
    0xc4,
    'AT-DISPATCH',
  );
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 3)), hexArgs([0x33n, 2n, big(r, 'mutex')]));
});

test('ExReleaseFastMutex at PASSIVE_LEVEL (not acquired) → 0xC4 / 0x34 (P2 = IRQL 0, P3 = the fast mutex)', () => {
  const r = expectBugCheck(
    {
      globals: 'FAST_MUTEX g_Mutex;',
      start: `
    ExInitializeFastMutex(&g_Mutex);
    T("mutex=%p\\n", &g_Mutex);
    ExReleaseFastMutex(&g_Mutex); /* NOT-HELD */`,
    },
    {},
    0xc4,
    'NOT-HELD',
  );
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 3)), hexArgs([0x34n, 0n, big(r, 'mutex')]));
});

// ---- KeWaitForMultipleObjects, semaphores (§6) ------------------------------------------------------

const EVENTS = `
KEVENT g_Ev[4];
PVOID g_Objs[4];
KWAIT_BLOCK g_WaitBlocks[4];
volatile LONG g_Dpcs;
${THREAD}`;

const INIT_EVENTS = `
    ULONG i;
    for (i = 0; i < 4; i++) {
        KeInitializeEvent(&g_Ev[i], SynchronizationEvent, FALSE);
        g_Objs[i] = &g_Ev[i];
    }`;

test('KeWaitForMultipleObjects WaitAny returns STATUS_WAIT_0 + the index of the signaled object (and consumes only that one)', () => {
  const r = run(
    {
      globals: `${EVENTS}
VOID TstThread(PVOID StartContext)
{
    NTSTATUS s;
    UNREFERENCED_PARAMETER(StartContext);
    s = KeWaitForMultipleObjects(3, g_Objs, WaitAny, Executive, KernelMode, FALSE, NULL, NULL);
    T("waitany status=%u state=%d%d%d\\n", s, KeReadStateEvent(&g_Ev[0]), KeReadStateEvent(&g_Ev[1]), KeReadStateEvent(&g_Ev[2]));
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: `${INIT_EVENTS}
    StartThread(NULL);`,
      dpc: 'KeSetEvent(&g_Ev[2], IO_NO_INCREMENT, FALSE);',
    },
    { scenario: { stimuli: [irq(2_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['waitany status=2 state=000']);
});

test('KeWaitForMultipleObjects WaitAll returns STATUS_WAIT_0 only once every object is signaled', () => {
  const r = run(
    {
      globals: `${EVENTS}
VOID TstThread(PVOID StartContext)
{
    NTSTATUS s;
    UNREFERENCED_PARAMETER(StartContext);
    s = KeWaitForMultipleObjects(2, g_Objs, WaitAll, Executive, KernelMode, FALSE, NULL, NULL);
    T("waitall status=%u woke_t=%llu\\n", s, KeQueryInterruptTime());
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: `${INIT_EVENTS}
    StartThread(NULL);`,
      dpc: `
    LONG n = InterlockedIncrement(&g_Dpcs);
    T("dpc sets %d\\n", n - 1);
    KeSetEvent(&g_Ev[n - 1], IO_NO_INCREMENT, FALSE);`,
    },
    { scenario: { stimuli: [irq(2_000_000), irq(4_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(
    out(r).map((l) => l.replace(/ woke_t=\d+/, '')),
    ['dpc sets 0', 'dpc sets 1', 'waitall status=0'],
  );
  assert.ok(ns(r, 'woke_t') >= 4_000_000);
});

test('KeWaitForMultipleObjects with a timeout and nothing signaled → STATUS_TIMEOUT after the interval', () => {
  const r = run(
    {
      globals: `${EVENTS}
VOID TstThread(PVOID StartContext)
{
    LARGE_INTEGER timeout;
    ULONGLONG t0;
    NTSTATUS s;
    UNREFERENCED_PARAMETER(StartContext);
    timeout.QuadPart = -20000; /* 2 ms */
    t0 = KeQueryInterruptTime();
    s = KeWaitForMultipleObjects(2, g_Objs, WaitAny, Executive, KernelMode, FALSE, &timeout, NULL);
    T("status=0x%X waited_100ns=%llu\\n", s, KeQueryInterruptTime() - t0);
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: `${INIT_EVENTS}
    StartThread(NULL);`,
    },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(num(r, 'status'), STATUS_TIMEOUT);
  const waited = num(r, 'waited_100ns');
  assert.ok(waited >= 20_000 && waited < 20_000 + TICK_NS / 100, `waited ${waited} × 100 ns`);
});

test('KeWaitForMultipleObjects on 4 objects with a KWAIT_BLOCK array is fine', () => {
  const r = run(
    {
      globals: `${EVENTS}
VOID TstThread(PVOID StartContext)
{
    NTSTATUS s;
    UNREFERENCED_PARAMETER(StartContext);
    s = KeWaitForMultipleObjects(4, g_Objs, WaitAny, Executive, KernelMode, FALSE, NULL, g_WaitBlocks);
    T("status=%u\\n", s);
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: `${INIT_EVENTS}
    StartThread(NULL);`,
      dpc: 'KeSetEvent(&g_Ev[3], IO_NO_INCREMENT, FALSE);',
    },
    ONE_INTERRUPT,
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['status=3']);
});

test('KeWaitForMultipleObjects on more than THREAD_WAIT_OBJECTS (3) objects without a wait block array → 0xC MAXIMUM_WAIT_OBJECTS_EXCEEDED', () => {
  expectBugCheck(
    {
      globals: `${EVENTS}
VOID TstThread(PVOID StartContext)
{
    UNREFERENCED_PARAMETER(StartContext);
    KeWaitForMultipleObjects(4, g_Objs, WaitAny, Executive, KernelMode, FALSE, NULL, NULL); /* FOUR */
}`,
      start: `${INIT_EVENTS}
    StartThread(NULL);`,
    },
    {},
    0x0c,
    'FOUR',
  );
});

test('KeReleaseSemaphore from a DPC wakes a thread waiting on the semaphore; it returns the previous count', () => {
  const r = run(
    {
      globals: `KSEMAPHORE g_Sem;
${THREAD}
VOID TstThread(PVOID StartContext)
{
    NTSTATUS s;
    UNREFERENCED_PARAMETER(StartContext);
    T("waiting count=%d\\n", KeReadStateSemaphore(&g_Sem));
    s = KeWaitForSingleObject(&g_Sem, Executive, KernelMode, FALSE, NULL);
    T("woke status=%u count=%d woke_t=%llu\\n", s, KeReadStateSemaphore(&g_Sem), KeQueryInterruptTime());
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: `
    KeInitializeSemaphore(&g_Sem, 0, 2);
    StartThread(NULL);`,
      dpc: `
    LONG previous = KeReleaseSemaphore(&g_Sem, IO_NO_INCREMENT, 1, FALSE);
    T("released previous=%d\\n", previous);`,
    },
    { scenario: { stimuli: [irq(2_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(
    out(r).map((l) => l.replace(/ woke_t=\d+/, '')),
    ['waiting count=0', 'released previous=0', 'woke status=0 count=0'],
  );
  assert.ok(ns(r, 'woke_t') >= 2_000_000);
});

test('a semaphore\'s count: each satisfied wait takes one, a zero-timeout wait on count 0 times out, KeReleaseSemaphore adds Adjustment up to the Limit', () => {
  const r = run({
    globals: 'KSEMAPHORE g_Sem;',
    start: `
    LARGE_INTEGER zero;
    NTSTATUS a, b, c;
    LONG previous;
    zero.QuadPart = 0;
    KeInitializeSemaphore(&g_Sem, 2, 2);
    a = KeWaitForSingleObject(&g_Sem, Executive, KernelMode, FALSE, &zero);
    b = KeWaitForSingleObject(&g_Sem, Executive, KernelMode, FALSE, &zero);
    c = KeWaitForSingleObject(&g_Sem, Executive, KernelMode, FALSE, &zero);
    T("waits=%X,%X,%X count=%d\\n", a, b, c, KeReadStateSemaphore(&g_Sem));
    previous = KeReleaseSemaphore(&g_Sem, IO_NO_INCREMENT, 2, FALSE);
    T("previous=%d count=%d\\n", previous, KeReadStateSemaphore(&g_Sem));`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['waits=0,0,102 count=0', 'previous=0 count=2']);
});

test('KeReleaseSemaphore beyond the Limit raises STATUS_SEMAPHORE_LIMIT_EXCEEDED: unhandled in a DPC → 0x1E with P1 = 0xC0000047', () => {
  const r = expectBugCheck(
    {
      globals: 'KSEMAPHORE g_Sem;',
      driverEntry: 'KeInitializeSemaphore(&g_Sem, 1, 1);',
      dpc: 'KeReleaseSemaphore(&g_Sem, IO_NO_INCREMENT, 1, FALSE); /* OVER */',
    },
    ONE_INTERRUPT,
    0x1e,
    'OVER',
  );
  assert.equal(r.bugCheck.args[0], 0xc0000047n);
});

// ---- KeFlushQueuedDpcs (§2.3) -------------------------------------------------------------------------

test('KeFlushQueuedDpcs returns only after a DPC queued on another processor has finished', () => {
  const r = run(
    {
      globals: `
KDPC g_RemoteDpc;
volatile LONG g_RemoteDone;
KDEFERRED_ROUTINE TstRemoteDpc;
VOID TstRemoteDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    ULONG i;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(DeferredContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    T("remote start cpu=%u\\n", KeGetCurrentProcessorNumber());
    for (i = 0; i < 3; i++) {
        KeStallExecutionProcessor(100);
    }
    g_RemoteDone = 1;
    T("remote end end_t=%llu\\n", KeQueryInterruptTime());
}`,
      start: `
    KAFFINITY old = KeSetSystemAffinityThreadEx(1);
    KeInitializeDpc(&g_RemoteDpc, TstRemoteDpc, NULL);
    KeSetTargetProcessorDpc(&g_RemoteDpc, 1);
    KeSetImportanceDpc(&g_RemoteDpc, HighImportance);
    KeInsertQueueDpc(&g_RemoteDpc, NULL, NULL);
    T("queued cpu=%u\\n", KeGetCurrentProcessorNumber());
    KeFlushQueuedDpcs();
    T("flushed done=%d flushed_t=%llu\\n", g_RemoteDone, KeQueryInterruptTime());
    KeRevertToUserAffinityThreadEx(old);`,
    },
    { cpus: 2 },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r).map((l) => l.replace(/ \w+_t=\d+/, ''));
  assert.deepEqual(lines.filter((l) => !l.startsWith('remote start')), ['queued cpu=0', 'remote end', 'flushed done=1']);
  assert.ok(lines.includes('remote start cpu=1'), lines.join('\n'));
  assert.ok(ns(r, 'flushed_t') >= ns(r, 'end_t'), 'KeFlushQueuedDpcs returned after the remote DPC ended');
});

// ---- pool (§6, Driver Verifier special pool, 0xC2) -----------------------------------------------

test('ExAllocatePoolWithTag memory is not zeroed; ExAllocatePool2 memory is', () => {
  const r = run({
    start: `
    PUCHAR a = (PUCHAR)ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'lPsT');
    PUCHAR b = (PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, 'lPsT');
    ULONG i, nonzeroA = 0, nonzeroB = 0;
    for (i = 0; i < 64; i++) {
        nonzeroA += a[i] != 0;
        nonzeroB += b[i] != 0;
    }
    T("withtag first=%u nonzero=%u\\n", a[0] != 0, nonzeroA);
    T("pool2 nonzero=%u\\n", nonzeroB);
    ExFreePoolWithTag(a, 'lPsT');
    ExFreePoolWithTag(b, 'lPsT');`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  const [withTag, pool2] = out(r);
  assert.match(withTag, /^withtag first=1 nonzero=\d+$/, 'the first byte of an ExAllocatePoolWithTag block is not 0');
  assert.ok(Number(/nonzero=(\d+)/.exec(withTag)?.[1]) > 0);
  assert.equal(pool2, 'pool2 nonzero=0', 'ExAllocatePool2 zero-fills (no POOL_FLAG_UNINITIALIZED)');
  assert.deepEqual(r.leaks, []);
});

/** A 32-byte block (a multiple of the 16-byte pool alignment, so it ends exactly at its page's end). */
const OVERRUN_GLOBALS = 'PUCHAR g_Block;';
const OVERRUN_ALLOC = `
    g_Block = (PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, 'rvOT');
    g_Block[31] = 1;
    T("end=%p\\n", &g_Block[32]);`;

/**
 * Above APC_LEVEL Windows does not resolve the fault: MmAccessFault fails it, the trap handler
 * raises IRQL_NOT_LESS_OR_EQUAL and KeBugCheck2 names the driver (0xD1). Only a
 * PAGE_FAULT_IN_NONPAGED_AREA (≤ APC_LEVEL) on special pool becomes 0xD5 / 0xD6 (ReactOS
 * ntoskrnl/ke/bug.c KeBugCheckWithTf shows the same two cases).
 */

test(
  'writing one byte past a pool block at DISPATCH_LEVEL (in a DPC) faults at once → 0xD1 (address, IRQL 2, write), blamed on the write',
  () => {
    const r = expectBugCheck(
      { globals: OVERRUN_GLOBALS, start: OVERRUN_ALLOC, dpc: 'g_Block[32] = 1; /* OVERRUN */' },
      ONE_INTERRUPT,
      0xd1,
      'OVERRUN',
    );
    assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 3)), hexArgs([big(r, 'end'), 2n, 1n]));
    assert.equal(r.bugCheck.routine, 'TstDpcForIsr');
  },
);

test('writing one byte past a pool block in a DPC faults at once, on the write', () => {
  const parts: DriverParts = { globals: OVERRUN_GLOBALS, start: OVERRUN_ALLOC, dpc: 'g_Block[32] = 1; /* OVERRUN */' };
  const r = run(parts, ONE_INTERRUPT);
  const bc = r.bugCheck;
  assert.ok(bc, describe(r));
  assert.ok([0xd1, 0xd6].includes(bc.code), `0xD1 (or special pool's 0xD6), got 0x${bc.code.toString(16)}`);
  assert.equal(bc.args[0], big(r, 'end'));
  assert.equal(bc.source?.line, lineOf(driverSource(parts), 'OVERRUN'));
  assert.equal(bc.routine, 'TstDpcForIsr');
});

test('writing one byte past a pool block at PASSIVE_LEVEL faults at once: Verifier special pool → 0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION (address, 1 = write)', () => {
  const r = expectBugCheck({ globals: OVERRUN_GLOBALS, start: `${OVERRUN_ALLOC}\n    g_Block[32] = 1; /* OVERRUN */` }, {}, 0xd6, 'OVERRUN');
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 2)), hexArgs([big(r, 'end'), 1n]));
});

const FREED = `
    PULONG p = (PULONG)ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 'eerF');
    p[0] = 7;
    T("p=%p\\n", p);
    ExFreePoolWithTag(p, 'eerF');`;

test('use after free in a DPC → 0xD1 (the freed address, IRQL 2, read)', () => {
  const r = expectBugCheck(
    { globals: 'PULONG g_Freed;', start: `${FREED}\n    g_Freed = p;`, dpc: 'T("value=%u\\n", g_Freed[0]); /* UAF */' },
    ONE_INTERRUPT,
    0xd1,
    'UAF',
  );
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 3)), hexArgs([big(r, 'p'), 2n, 0n]));
});

test('use after free at PASSIVE_LEVEL: Verifier special pool → 0xD5 DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL (address, 0 = read)', () => {
  const r = expectBugCheck({ start: `${FREED}\n    T("value=%u\\n", p[0]); /* UAF */` }, {}, 0xd5, 'UAF');
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 2)), hexArgs([big(r, 'p'), 0n]));
});

test('ExFreePoolWithTag with a tag other than the allocation\'s → 0xC2 BAD_POOL_CALLER / 0x0A (the block, the allocator\'s tag, the tag used in the free)', () => {
  const r = expectBugCheck(
    {
      start: `
    PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 24, 'gaTA');
    T("p=%p\\n", p);
    ExFreePoolWithTag(p, 'gaTB'); /* WRONG-TAG */`,
    },
    {},
    0xc2,
    'WRONG-TAG',
  );
  // The multi-character constants 'gaTA' and 'gaTB' are 0x67615441 and 0x67615442.
  assert.deepEqual(hexArgs(r.bugCheck.args), hexArgs([0x0an, big(r, 'p'), 0x67615441n, 0x67615442n]));
});

test('ExAllocatePool2 with a zero tag → 0xC2 / 0x9B with P3 = the number of bytes requested (bug-check-0xc2 page)', () => {
  const r = expectBugCheck({ start: 'ExAllocatePool2(POOL_FLAG_NON_PAGED, 24, 0); /* ZERO-TAG */' }, {}, 0xc2, 'ZERO-TAG');
  assert.equal(r.bugCheck.args[0], 0x9bn);
  assert.equal(r.bugCheck.args[2], 24n);
});

// ---- DbgPrint's Unicode formats (§6, DDI dbgprint) -------------------------------------------------

test('DbgPrint %wZ prints a UNICODE_STRING (DriverEntry\'s RegistryPath) and %ws a NUL-terminated wide string', () => {
  const r = run({
    driverEntry: `
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"TstDevice");
    T("path=%wZ\\n", RegistryPath);
    T("name=%wZ len=%u\\n", &name, name.Length);
    T("wide=%ws\\n", L"kdsim wide");`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['path=\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\testdrv', 'name=TstDevice len=18', 'wide=kdsim wide']);
});

test('DbgPrint with %ws at DISPATCH_LEVEL still prints, with a verifier warning (Unicode formats are PASSIVE_LEVEL only)', () => {
  const r = run({ dpc: 'T("dpc=%ws\\n", L"wide");' }, ONE_INTERRUPT);
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['dpc=wide']);
  assert.ok(r.log.some((l) => /verifier warning: DbgPrint used the Unicode format %ws at IRQL 2/.test(l)), r.log.join(''));
});

// ---- the cumulative DPC watchdog (§5.1 0x133 / P1 = 1) ----------------------------------------------

const WATCHDOG_32: RunOptions['watchdog'] = { dpcWatchdogPeriodTicks: 32 };

test('a work item that raises to DISPATCH_LEVEL and loops with KeStallExecutionProcessor → 0x133 / 1 (period 32 ticks) about 32 ticks after the raise', () => {
  const r = expectBugCheck(
    {
      globals: `
PIO_WORKITEM g_Work;
IO_WORKITEM_ROUTINE TstWork;
VOID TstWork(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    KIRQL old;
    LARGE_INTEGER d;
    UNREFERENCED_PARAMETER(DeviceObject);
    UNREFERENCED_PARAMETER(Context);
    d.QuadPart = -1000000; /* 100 ms at PASSIVE first: not counted */
    KeDelayExecutionThread(KernelMode, FALSE, &d);
    T("raise_t=%llu\\n", KeQueryInterruptTime());
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    for (;;) {
        KeStallExecutionProcessor(100); /* SPIN */
    }
}`,
      addDevice: 'g_Work = IoAllocateWorkItem(fdo);',
      start: 'IoQueueWorkItem(g_Work, TstWork, DelayedWorkQueue, NULL);',
    },
    { watchdog: WATCHDOG_32, scenario: { untilNs: 3_000_000_000 } },
    0x133,
    'SPIN',
  );
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 2)), hexArgs([1n, 32n]));
  const at = r.bugCheck.timeNs - ns(r, 'raise_t');
  assert.ok(at >= 32 * TICK_NS && at < 33 * TICK_NS, `bug check ${at} ns after the raise, expected 32 ticks (${32 * TICK_NS} ns)`);
  assert.equal(r.bugCheck.routine, 'TstWork');
});

test('time at DISPATCH_LEVEL is not cumulative across drops below it: 100 ms raised, lowered, ten times (period 32 ticks = 500 ms) → no 0x133', () => {
  const r = run(
    {
      globals: `${THREAD}
VOID TstThread(PVOID StartContext)
{
    KIRQL old;
    ULONG round, i;
    UNREFERENCED_PARAMETER(StartContext);
    for (round = 0; round < 10; round++) {
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        for (i = 0; i < 1000; i++) {
            KeStallExecutionProcessor(100);
        }
        KeLowerIrql(old);
    }
    T("done rounds=%u t=%llu\\n", round, KeQueryInterruptTime());
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: 'StartThread(NULL);',
    },
    { watchdog: WATCHDOG_32, scenario: { untilNs: 2_000_000_000 } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(num(r, 'rounds'), 10);
  assert.ok(ns(r, 't') >= 1e9, 'one second spent, 100 ms at a time, at DISPATCH_LEVEL');
});

// ---- pageable code: #pragma alloc_text(PAGE, ...) and PAGED_CODE() (§1.2, §5.1 0xD1) -----------------

const PAGED_GLOBALS = `
VOID TstPaged(PCSTR who);
#ifdef ALLOC_PRAGMA
#pragma alloc_text(PAGE, TstPaged)
#endif
VOID TstPaged(PCSTR who)
{
    PAGED_CODE();
    T("paged %s irql=%u\\n", who, KeGetCurrentIrql());
}`;

test('a PAGE-section routine called at PASSIVE_LEVEL runs normally', () => {
  const r = run({ globals: PAGED_GLOBALS, start: 'TstPaged("start");' });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['paged start irql=0']);
});

test('a PAGE-section routine called from a DPC → 0xD1 (Arg1 = the routine, IRQL 2, Arg3 = 8 execute, Arg4 = the routine)', () => {
  const r = expectBugCheck(
    { globals: PAGED_GLOBALS, start: 'T("routine=%p\\n", TstPaged);', dpc: 'TstPaged("dpc");' },
    ONE_INTERRUPT,
    0xd1,
  );
  const routine = big(r, 'routine');
  assert.deepEqual(hexArgs(r.bugCheck.args), hexArgs([routine, 2n, 8n, routine]));
  assert.equal(r.bugCheck.irql, 2);
  assert.ok(!out(r).some((l) => l.startsWith('paged')), 'the routine did not run');
});

const PAGED_RAISES = `
VOID TstPagedLock(VOID);
#ifdef ALLOC_PRAGMA
#pragma alloc_text(PAGE, TstPagedLock)
#endif
static KSPIN_LOCK TstLock;
VOID TstPagedLock(VOID)
{
    KIRQL old;
    PAGED_CODE();
    KeInitializeSpinLock(&TstLock);
    KeAcquireSpinLock(&TstLock, &old); /* RAISED */
    T("paged under lock irql=%u\\n", KeGetCurrentIrql());
    KeReleaseSpinLock(&TstLock, old);
}`;

test('a PAGE-section routine that raises to DISPATCH_LEVEL itself (a spin lock) → 0xD1 at the acquire, as its next instruction is paged out', () => {
  const r = expectBugCheck({ globals: PAGED_RAISES, start: 'T("routine=%p\\n", TstPagedLock); TstPagedLock();' }, ONE_INTERRUPT, 0xd1, 'RAISED');
  const routine = big(r, 'routine');
  assert.deepEqual(hexArgs(r.bugCheck.args), hexArgs([routine, 2n, 8n, routine]));
  assert.ok(!out(r).some((l) => l.startsWith('paged under lock')), 'nothing after the acquire ran');
});

/** PAGED_CODE() in a routine that is *not* placed in a pageable section, called from a DPC. */
const PAGED_CODE_ONLY = `
VOID TstNotPaged(VOID);
VOID TstNotPaged(VOID)
{
    PAGED_CODE(); /* PAGED-CODE */
    T("not paged irql=%u\\n", KeGetCurrentIrql());
}`;

test('PAGED_CODE() at DISPATCH_LEVEL (DBG build): "EX: Pageable code called at IRQL 2" and the assertion breakpoint, unhandled without a debugger → 0x1E', () => {
  const r = expectBugCheck({ globals: PAGED_CODE_ONLY, dpc: 'TstNotPaged();' }, ONE_INTERRUPT, 0x1e, 'PAGED-CODE');
  assert.ok(r.log.some((l) => l.includes('EX: Pageable code called at IRQL 2')), r.log.join(''));
  assert.equal(r.bugCheck.args[0], 0x80000003n);
});

test('PAGED_CODE() at DISPATCH_LEVEL without Verifier: the checked-build assertion ("EX: Pageable code called at IRQL 2") → 0x1E (breakpoint 0x80000003)', () => {
  const r = expectBugCheck({ globals: PAGED_CODE_ONLY, dpc: 'TstNotPaged();' }, { ...ONE_INTERRUPT, verifier: false }, 0x1e, 'PAGED-CODE');
  assert.ok(r.log.some((l) => l.includes('EX: Pageable code called at IRQL 2')), r.log.join(''));
  assert.equal(r.bugCheck.args[0], 0x80000003n);
  assert.ok(!out(r).some((l) => l.startsWith('not paged')));
});

test('without Verifier\'s Force IRQL checking a PAGE-section routine in a DPC happens to be resident (no 0xD1), and its PAGED_CODE() assertion catches it', () => {
  const r = expectBugCheck({ globals: PAGED_GLOBALS, dpc: 'TstPaged("dpc");' }, { ...ONE_INTERRUPT, verifier: false }, 0x1e);
  assert.ok(r.log.some((l) => l.includes('EX: Pageable code called at IRQL 2')), r.log.join(''));
});
