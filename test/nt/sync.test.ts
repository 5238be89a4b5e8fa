// Spin locks (KERNEL_MODEL §4), dispatcher waits and system threads (§1.2, §6), and KTIMERs
// with their DPCs (§2.7): the non-fatal behaviour. The misuse bug checks are in
// bugchecks.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, irq, num, out, run, values } from './drivers';

const TICK_NS = 15_625_000;
/** Interrupt time (100 ns units) printed as t=... → ns. */
const ns = (v: string | undefined): number => Number(v) * 100;

// ---- spin locks ----------------------------------------------------------------------------------

test('KeAcquireSpinLock raises to DISPATCH_LEVEL and KeReleaseSpinLock restores the old IRQL (from PASSIVE and from DISPATCH)', () => {
  const r = run(
    {
      globals: 'KSPIN_LOCK g_Lock;',
      driverEntry: 'KeInitializeSpinLock(&g_Lock);',
      start: `
    KIRQL old;
    KeAcquireSpinLock(&g_Lock, &old);
    T("passive held irql=%u old=%u locked=%u\\n", KeGetCurrentIrql(), old, g_Lock != 0);
    KeReleaseSpinLock(&g_Lock, old);
    T("passive released irql=%u locked=%u\\n", KeGetCurrentIrql(), g_Lock != 0);`,
      dpc: `
    KIRQL old;
    KeAcquireSpinLock(&g_Lock, &old);
    T("dpc held irql=%u old=%u\\n", KeGetCurrentIrql(), old);
    KeReleaseSpinLock(&g_Lock, old);
    T("dpc released irql=%u\\n", KeGetCurrentIrql());
    KeAcquireSpinLockAtDpcLevel(&g_Lock);
    T("dpc atdpc irql=%u locked=%u\\n", KeGetCurrentIrql(), g_Lock != 0);
    KeReleaseSpinLockFromDpcLevel(&g_Lock);
    T("dpc fromdpc irql=%u locked=%u\\n", KeGetCurrentIrql(), g_Lock != 0);`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), [
    'passive held irql=2 old=0 locked=1',
    'passive released irql=0 locked=0',
    'dpc held irql=2 old=2',
    'dpc released irql=2',
    'dpc atdpc irql=2 locked=1',
    'dpc fromdpc irql=2 locked=0',
  ]);
});

test('KeAcquireInStackQueuedSpinLock raises to DISPATCH_LEVEL; KeReleaseInStackQueuedSpinLock restores the IRQL from the handle', () => {
  const r = run({
    globals: 'KSPIN_LOCK g_Lock;',
    driverEntry: 'KeInitializeSpinLock(&g_Lock);',
    start: `
    KLOCK_QUEUE_HANDLE h;
    KeAcquireInStackQueuedSpinLock(&g_Lock, &h);
    T("held irql=%u old=%u\\n", KeGetCurrentIrql(), h.OldIrql);
    KeReleaseInStackQueuedSpinLock(&h);
    T("released irql=%u\\n", KeGetCurrentIrql());`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['held irql=2 old=0', 'released irql=0']);
});

// ---- waits and system threads --------------------------------------------------------------------

const THREAD_DECLS = `
KEVENT g_Event;
KSTART_ROUTINE TstThread;
static VOID StartThread(VOID)
{
    HANDLE h;
    NTSTATUS s = PsCreateSystemThread(&h, THREAD_ALL_ACCESS, NULL, NULL, NULL, TstThread, NULL);
    if (NT_SUCCESS(s)) {
        ZwClose(h);
    } else {
        T("PsCreateSystemThread failed 0x%08X\\n", s);
    }
}`;

test('a system thread waiting on a KEVENT wakes up when a DPC sets it', () => {
  const r = run(
    {
      globals: `${THREAD_DECLS}
VOID TstThread(PVOID StartContext)
{
    NTSTATUS s;
    UNREFERENCED_PARAMETER(StartContext);
    T("waiting irql=%u\\n", KeGetCurrentIrql());
    s = KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, NULL);
    T("woke status=%X irql=%u woke_t=%llu\\n", s, KeGetCurrentIrql(), KeQueryInterruptTime());
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      driverEntry: 'KeInitializeEvent(&g_Event, SynchronizationEvent, FALSE);',
      start: 'StartThread();',
      dpc: `
    T("dpc set_t=%llu\\n", KeQueryInterruptTime());
    KeSetEvent(&g_Event, IO_NO_INCREMENT, FALSE);`,
    },
    { scenario: { stimuli: [irq(2_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r).map((l) => l.replace(/ \w+_t=\d+/, ''));
  assert.deepEqual(lines, ['waiting irql=0', 'dpc', 'woke status=0 irql=0']);
  const v = values(r);
  assert.ok(ns(v.get('set_t')) >= 2_000_000, 'the DPC ran after the interrupt');
  assert.ok(ns(v.get('woke_t')) >= ns(v.get('set_t')), 'the thread woke after the event was set');
});

test('KeDelayExecutionThread advances simulated time; KeWaitForSingleObject with a timeout returns STATUS_TIMEOUT after it', () => {
  const r = run(
    {
      globals: `${THREAD_DECLS}
VOID TstThread(PVOID StartContext)
{
    LARGE_INTEGER interval;
    ULONGLONG t0, t1, t2;
    NTSTATUS s;
    UNREFERENCED_PARAMETER(StartContext);
    t0 = KeQueryInterruptTime();
    interval.QuadPart = -50000; /* 5 ms, relative */
    s = KeDelayExecutionThread(KernelMode, FALSE, &interval);
    t1 = KeQueryInterruptTime();
    T("delay status=%X delay_100ns=%llu\\n", s, t1 - t0);
    interval.QuadPart = -30000; /* 3 ms */
    s = KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, &interval);
    t2 = KeQueryInterruptTime();
    T("wait status=%X wait_100ns=%llu\\n", s, t2 - t1);
    interval.QuadPart = 0;
    s = KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, &interval);
    T("poll status=%X\\n", s);
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      driverEntry: 'KeInitializeEvent(&g_Event, NotificationEvent, FALSE);',
      start: 'StartThread();',
    },
    { scenario: { untilNs: 20_000_000 } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const v = values(r);
  assert.deepEqual(
    out(r).map((l) => l.replace(/ \w+_100ns=\d+/, '')),
    ['delay status=0', 'wait status=102', 'poll status=102'],
  );
  const delay = Number(v.get('delay_100ns'));
  const wait = Number(v.get('wait_100ns'));
  assert.ok(delay >= 50_000 && delay < 50_000 + TICK_NS / 100, `KeDelayExecutionThread(5 ms) took ${delay} × 100 ns`);
  assert.ok(wait >= 30_000 && wait < 30_000 + TICK_NS / 100, `the 3 ms wait took ${wait} × 100 ns`);
});

test('KeWaitForSingleObject with a zero timeout is allowed in a DPC (STATUS_TIMEOUT, or success when signaled)', () => {
  const r = run(
    {
      globals: 'KEVENT g_Event;',
      driverEntry: 'KeInitializeEvent(&g_Event, NotificationEvent, FALSE);',
      dpc: `
    LARGE_INTEGER zero;
    NTSTATUS a, b;
    zero.QuadPart = 0;
    a = KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, &zero);
    KeSetEvent(&g_Event, IO_NO_INCREMENT, FALSE);
    b = KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, &zero);
    T("unsignaled=%X signaled=%X\\n", a, b);`,
    },
    { scenario: { stimuli: [irq(1_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['unsignaled=102 signaled=0']);
});

// ---- timers --------------------------------------------------------------------------------------

const TIMER_DECLS = `
KTIMER g_Timer;
KDPC g_TimerDpc;
volatile LONG g_Fires;
KDEFERRED_ROUTINE TstTimerDpc;
VOID TstTimerDpc(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(DeferredContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    g_Fires++;
    T("fire n=%d irql=%u t=%llu\\n", g_Fires, KeGetCurrentIrql(), KeQueryInterruptTime());
}`;

test('KeSetTimerEx periodic: the DPC fires about every period, at clock ticks (15.625 ms); KeCancelTimer stops it', () => {
  const r = run(
    {
      globals: `${TIMER_DECLS}
${THREAD_DECLS.replace('KEVENT g_Event;', '')}
VOID TstThread(PVOID StartContext)
{
    LARGE_INTEGER due, interval;
    BOOLEAN wasSet, cancelled, again;
    UNREFERENCED_PARAMETER(StartContext);
    KeInitializeTimerEx(&g_Timer, NotificationTimer);
    KeInitializeDpc(&g_TimerDpc, TstTimerDpc, NULL);
    due.QuadPart = -100000; /* 10 ms */
    T("set_t=%llu\\n", KeQueryInterruptTime());
    wasSet = KeSetTimerEx(&g_Timer, due, 20, &g_TimerDpc);
    interval.QuadPart = -1000000; /* 100 ms */
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
    cancelled = KeCancelTimer(&g_Timer);
    again = KeCancelTimer(&g_Timer);
    T("cancel was=%u cancelled=%u again=%u fires=%d\\n", wasSet, cancelled, again, g_Fires);
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: 'StartThread();',
    },
    { scenario: { untilNs: 300_000_000 } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r);
  const setT = ns(values(r).get('set_t'));
  const fires = lines.filter((l) => l.startsWith('fire')).map((l) => ns(/t=(\d+)/.exec(l)?.[1]));
  assert.equal(fires.length, 5, `fires by 100 ms, none after KeCancelTimer:\n${lines.join('\n')}`);
  assert.ok(lines.includes('cancel was=0 cancelled=1 again=0 fires=5'), lines.join('\n'));
  assert.ok(lines.filter((l) => l.startsWith('fire')).every((l) => / irql=2 /.test(l)));
  fires.forEach((t, i) => {
    const due = setT + 10e6 + i * 20e6;
    assert.ok(t >= due && t < due + TICK_NS + 1e6, `fire ${i + 1} at ${t} ns, due ${due} ns (tick-granular)`);
    assert.ok(t % TICK_NS < 1e6, `fire ${i + 1} at ${t} ns is not just after a clock tick`);
  });
  const avg = (fires[4] - fires[0]) / 4;
  assert.ok(Math.abs(avg - 20e6) <= TICK_NS / 4, `average period ${avg} ns`);
});

test('KeSetTimer one-shot: the DPC fires once, the timer is signaled and a thread waiting on it wakes', () => {
  const r = run(
    {
      globals: `${TIMER_DECLS}
${THREAD_DECLS.replace('KEVENT g_Event;', '')}
VOID TstThread(PVOID StartContext)
{
    LARGE_INTEGER due;
    NTSTATUS s;
    UNREFERENCED_PARAMETER(StartContext);
    KeInitializeTimer(&g_Timer);
    KeInitializeDpc(&g_TimerDpc, TstTimerDpc, NULL);
    due.QuadPart = -200000; /* 20 ms */
    KeSetTimer(&g_Timer, due, &g_TimerDpc);
    T("state=%u\\n", KeReadStateTimer(&g_Timer));
    s = KeWaitForSingleObject(&g_Timer, Executive, KernelMode, FALSE, NULL);
    T("woke status=%X state=%u fires=%d woke_t=%llu\\n", s, KeReadStateTimer(&g_Timer), g_Fires, KeQueryInterruptTime());
    PsTerminateSystemThread(STATUS_SUCCESS);
}`,
      start: 'StartThread();',
    },
    { scenario: { untilNs: 100_000_000 } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  const lines = out(r).map((l) => l.replace(/ (woke_)?t=\d+/, ''));
  assert.deepEqual(lines, ['state=0', 'fire n=1 irql=2', 'woke status=0 state=1 fires=1']);
  const woke = ns(values(r).get('woke_t'));
  assert.ok(woke >= 20e6 && woke < 20e6 + TICK_NS + 1e6, `woke at ${woke} ns`);
});

test('KeSetTimer with an absolute due time (system time, 100 ns since 1601) fires at that time', () => {
  const r = run(
    {
      globals: TIMER_DECLS,
      start: `
    LARGE_INTEGER now, due;
    KeInitializeTimer(&g_Timer);
    KeInitializeDpc(&g_TimerDpc, TstTimerDpc, NULL);
    KeQuerySystemTime(&now);
    due.QuadPart = now.QuadPart + 200000; /* 20 ms from now */
    T("set_t=%llu\\n", KeQueryInterruptTime());
    KeSetTimer(&g_Timer, due, &g_TimerDpc);`,
    },
    { scenario: { untilNs: 100_000_000 } },
  );
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.equal(num(r, 'n'), 1, out(r).join('\n'));
  const setT = ns(values(r).get('set_t'));
  const fired = ns(/t=(\d+)/.exec(out(r).find((l) => l.startsWith('fire')) ?? '')?.[1]);
  assert.ok(fired >= setT + 20e6 && fired < setT + 20e6 + TICK_NS + 1e6, `fired at ${fired} ns`);
});
