// Bug checks against KERNEL_MODEL §5 (and the spin-lock misuse table of §4): code, the four
// parameters, and the driver source line the report blames.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { big, describe, type DriverParts, irq, out, run, type RunOptions, expectBugCheck } from './drivers';


const CLAIM = `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);`;

const ONE_INTERRUPT: RunOptions = { scenario: { stimuli: [irq(1_000_000)] } };


const hexArgs = (args: readonly bigint[]): string[] => args.map((a) => `0x${a.toString(16)}`);

// ---- memory ----------------------------------------------------------------------------------

test('paged pool written in a DPC → 0xD1 (address, IRQL 2, 1 = write), blamed on the faulting statement', () => {
  const parts: DriverParts = {
    globals: 'PULONG g_Paged;',
    start: `
    g_Paged = (PULONG)ExAllocatePool2(POOL_FLAG_PAGED, 64, 'gaPT');
    T("addr=%p\\n", &g_Paged[3]);`,
    dpc: `
    T("dpc\\n");
    g_Paged[3] = 5; /* FAULT-WRITE */`,
  };
  const r = expectBugCheck(parts, ONE_INTERRUPT, 0xd1, 'FAULT-WRITE');
  const [a1, a2, a3, a4] = r.bugCheck.args;
  assert.equal(a1, big(r, 'addr'), 'Arg1: memory referenced');
  assert.equal(a2, 2n, 'Arg2: IRQL');
  assert.equal(a3, 1n, 'Arg3: 1 = write');
  assert.notEqual(a4, 0n, 'Arg4: address which referenced memory');
  assert.equal(r.bugCheck.routine, 'TstDpcForIsr');
  assert.equal(r.bugCheck.irql, 2);
  assert.match(r.analyze ?? '', /DRIVER_IRQL_NOT_LESS_OR_EQUAL \(d1\)/);
});

test('paged pool read in a DPC → 0xD1 with Arg3 = 0 (read)', () => {
  const parts: DriverParts = {
    globals: 'PULONG g_Paged;',
    start: `
    g_Paged = (PULONG)ExAllocatePool2(POOL_FLAG_PAGED, 64, 'gaPT');
    T("addr=%p\\n", &g_Paged[2]);`,
    dpc: `
    T("value=%u\\n", g_Paged[2]); /* FAULT-READ */`,
  };
  const r = expectBugCheck(parts, ONE_INTERRUPT, 0xd1, 'FAULT-READ');
  assert.deepEqual(r.bugCheck.args.slice(0, 3), [big(r, 'addr'), 2n, 0n]);
});

test('paged pool touched at PASSIVE_LEVEL is fine', () => {
  const r = run({
    start: `
    PULONG p = (PULONG)ExAllocatePool2(POOL_FLAG_PAGED, 64, 'gaPT');
    p[3] = 5;
    T("value=%u\\n", p[3]);
    ExFreePoolWithTag(p, 'gaPT');`,
  });
  assert.equal(r.bugCheck, undefined, describe(r));
  assert.deepEqual(out(r), ['value=5']);
});

test('ExFreePool twice → 0xC2 BAD_POOL_CALLER with P1 = 7', () => {
  const parts: DriverParts = {
    start: `
    PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, 'eerF');
    T("p=%p\\n", p);
    ExFreePool(p);
    ExFreePool(p); /* DOUBLE-FREE */`,
  };
  const r = expectBugCheck(parts, {}, 0xc2, 'DOUBLE-FREE');
  assert.equal(r.bugCheck.args[0], 7n);
});

test('ExFreePool twice → 0xC2 / 7: P4 is the address of the block being freed (bug-check-0xc2 page)', () => {
  const parts: DriverParts = {
    start: `
    PVOID p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, 'eerF');
    T("p=%p\\n", p);
    ExFreePool(p);
    ExFreePool(p);`,
  };
  const r = expectBugCheck(parts, {}, 0xc2);
  assert.equal(r.bugCheck.args[3], big(r, 'p'));
});

// ---- ISR -------------------------------------------------------------------------------------

test('an ISR returning at a raised IRQL → 0xC4 / 0x111 (ISR, IRQL before, IRQL after)', () => {
  const r = expectBugCheck(
    {
      start: 'T("isr=%p\\n", TstIsr);',
      isr: `${CLAIM}
    {
        KIRQL old;
        KeRaiseIrql(HIGH_LEVEL, &old);
    }
    return TRUE;`,
    },
    ONE_INTERRUPT,
    0xc4,
  );
  assert.deepEqual(hexArgs(r.bugCheck.args), hexArgs([0x111n, big(r, 'isr'), 9n, 15n]));
});

test('interrupt storm: a level-triggered ISR returning FALSE for its own pending device → 0xF2 (ISR, context, KINTERRUPT, 1)', () => {
  const r = expectBugCheck(
    {
      start: 'T("isr=%p fdo=%p interrupt=%p\\n", TstIsr, fdo, ext->Interrupt);',
      isr: 'return FALSE;',
    },
    ONE_INTERRUPT,
    0xf2,
  );
  assert.deepEqual(hexArgs(r.bugCheck.args), hexArgs([big(r, 'isr'), big(r, 'fdo'), big(r, 'interrupt'), 1n]));
});

test('interrupt storm: a level-triggered ISR claiming the interrupt without quieting the device → 0xF2', () => {
  const r = expectBugCheck({ isr: 'return TRUE;' }, ONE_INTERRUPT, 0xf2);
  assert.equal(r.bugCheck.args[3], 1n);
});

// ---- IRPs ------------------------------------------------------------------------------------

test('IoCompleteRequest twice → 0x44 MULTIPLE_IRP_COMPLETE_REQUESTS (P1 = IRP), blamed on the second call', () => {
  const parts: DriverParts = {
    read: `
    T("irp=%p\\n", Irp);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    IoCompleteRequest(Irp, IO_NO_INCREMENT); /* SECOND-COMPLETE */
    return STATUS_SUCCESS;`,
  };
  const r = expectBugCheck(parts, { scenario: { requests: [{ major: 'read', atNs: 1_000_000, length: 4 }] } }, 0x44, 'SECOND-COMPLETE');
  assert.equal(r.bugCheck.args[0], big(r, 'irp'));
});

// ---- time --------------------------------------------------------------------------------------

const ENDLESS_DPC: DriverParts = {
  dpc: `
    T("dpc\\n");
    for (;;) {
        KeStallExecutionProcessor(50); /* ENDLESS */
    }`,
};

test('a DPC that never returns → 0x133 DPC_WATCHDOG_VIOLATION, P1 = 0, after the default 1280-tick (20 s) allotment', () => {
  const r = expectBugCheck(ENDLESS_DPC, { scenario: { untilNs: 60_000_000_000, stimuli: [irq(1_000_000)] } }, 0x133, 'ENDLESS');
  const [p1, p2, p3] = r.bugCheck.args;
  assert.equal(p1, 0n, 'P1 = 0: a single DPC or ISR exceeded its allotment');
  assert.equal(p3, 1280n, 'P3: the allotment in ticks');
  assert.ok(p2 >= 1280n && p2 <= 1282n, `P2: the DPC time count in ticks, got ${p2}`);
  const ran = r.bugCheck.timeNs - 1_000_000;
  assert.ok(ran >= 20e9 && ran < 20.1e9, `bug check ${ran} ns after the interrupt, expected 20 s (1280 × 15.625 ms)`);
  assert.equal(r.bugCheck.routine, 'TstDpcForIsr');
});

test('a DPC that never returns → 0x133 / 0 after a configured 64-tick allotment (1 s)', () => {
  const r = expectBugCheck(ENDLESS_DPC, { watchdog: { dpcTimeLimitTicks: 64 }, scenario: { untilNs: 5_000_000_000, stimuli: [irq(1_000_000)] } }, 0x133);
  assert.deepEqual(r.bugCheck.args.slice(0, 1), [0n]);
  assert.equal(r.bugCheck.args[2], 64n);
  const ran = r.bugCheck.timeNs - 1_000_000;
  assert.ok(ran >= 1e9 && ran < 1.05e9, `bug check ${ran} ns after the interrupt`);
});

test('an ISR that never returns → 0x133 / 0 as well ("single DPC or ISR"), configured 64 ticks', () => {
  const r = expectBugCheck(
    {
      isr: `${CLAIM}
    for (;;) {
        KeStallExecutionProcessor(50); /* ENDLESS-ISR */
    }`,
    },
    { watchdog: { dpcTimeLimitTicks: 64 }, scenario: { untilNs: 5_000_000_000, stimuli: [irq(1_000_000)] } },
    0x133,
    'ENDLESS-ISR',
  );
  assert.equal(r.bugCheck.args[0], 0n);
  assert.equal(r.bugCheck.routine, 'TstIsr');
  assert.equal(r.bugCheck.irql, 9);
});

test('a thread spinning at DISPATCH_LEVEL (no DPC) → 0x133 P1 = 1 after the cumulative watchdog period (configured 64 ticks)', () => {
  const r = expectBugCheck(
    {
      start: `
    KIRQL old;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    for (;;) {
        KeStallExecutionProcessor(50);
    }`,
    },
    { watchdog: { dpcWatchdogPeriodTicks: 64 }, scenario: { untilNs: 5_000_000_000 } },
    0x133,
  );
  assert.equal(r.bugCheck.args[0], 1n, 'P1 = 1: cumulative time at >= DISPATCH_LEVEL');
  assert.equal(r.bugCheck.args[1], 64n, 'P2: the watchdog period in ticks');
  assert.ok(r.bugCheck.timeNs >= 1e9 && r.bugCheck.timeNs < 1.05e9, `at ${r.bugCheck.timeNs} ns`);
});

// ---- waits ---------------------------------------------------------------------------------------

test('KeWaitForSingleObject with a NULL timeout in a DPC → 0xB8 ATTEMPTED_SWITCH_FROM_DPC (P1 = the current thread)', () => {
  const parts: DriverParts = {
    globals: 'KEVENT g_Event;',
    driverEntry: 'KeInitializeEvent(&g_Event, NotificationEvent, FALSE);',
    dpc: `
    T("thread=%p\\n", KeGetCurrentThread());
    KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, NULL); /* WAIT */`,
  };
  const r = expectBugCheck(parts, ONE_INTERRUPT, 0xb8, 'WAIT');
  assert.equal(r.bugCheck.args[0], big(r, 'thread'));
});

// ---- IRQL and spin locks (§1.2, §4, §5.2) --------------------------------------------------------

test('KeReleaseSpinLock twice → 0xC4 / 0x32 (current IRQL 0, the lock)', () => {
  const parts: DriverParts = {
    globals: 'KSPIN_LOCK g_Lock;',
    start: `
    KIRQL old;
    KeInitializeSpinLock(&g_Lock);
    KeAcquireSpinLock(&g_Lock, &old);
    KeReleaseSpinLock(&g_Lock, old);
    T("lock=%p\\n", &g_Lock);
    KeReleaseSpinLock(&g_Lock, old); /* SECOND-RELEASE */`,
  };
  const r = expectBugCheck(parts, {}, 0xc4, 'SECOND-RELEASE');
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 3)), hexArgs([0x32n, 0n, big(r, 'lock')]));
});

test('KeAcquireSpinLock of a lock this CPU holds → 0xF SPIN_LOCK_ALREADY_OWNED', () => {
  const parts: DriverParts = {
    globals: 'KSPIN_LOCK g_Lock;',
    start: `
    KIRQL old, old2;
    KeInitializeSpinLock(&g_Lock);
    KeAcquireSpinLock(&g_Lock, &old);
    KeAcquireSpinLock(&g_Lock, &old2); /* RECURSIVE */`,
  };
  expectBugCheck(parts, {}, 0x0f, 'RECURSIVE');
});

test('KeAcquireSpinLockAtDpcLevel at PASSIVE_LEVEL → 0xC4 / 0x40 (current IRQL 0, the lock)', () => {
  const parts: DriverParts = {
    globals: 'KSPIN_LOCK g_Lock;',
    start: `
    KeInitializeSpinLock(&g_Lock);
    T("lock=%p\\n", &g_Lock);
    KeAcquireSpinLockAtDpcLevel(&g_Lock); /* AT-PASSIVE */`,
  };
  const r = expectBugCheck(parts, {}, 0xc4, 'AT-PASSIVE');
  assert.deepEqual(hexArgs(r.bugCheck.args.slice(0, 3)), hexArgs([0x40n, 0n, big(r, 'lock')]));
});

test('KeLowerIrql below DISPATCH_LEVEL inside a DPC → 0xC4 / 0x31 with P4 = 1', () => {
  const r = expectBugCheck({ dpc: 'KeLowerIrql(PASSIVE_LEVEL); /* LOWER */' }, ONE_INTERRUPT, 0xc4, 'LOWER');
  assert.deepEqual(hexArgs(r.bugCheck.args), hexArgs([0x31n, 2n, 0n, 1n]));
});

test('KeRaiseIrql to a lower IRQL → 0xC4 / 0x30 (current, requested)', () => {
  const r = expectBugCheck(
    {
      dpc: `
    KIRQL old;
    KeRaiseIrql(PASSIVE_LEVEL, &old); /* RAISE-DOWN */`,
    },
    ONE_INTERRUPT,
    0xc4,
    'RAISE-DOWN',
  );
  assert.deepEqual(hexArgs(r.bugCheck.args), hexArgs([0x30n, 2n, 0n, 0n]));
});
