// Judging a run outcome against expectations, including the implied "no bug check".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allHeld, describeExpectation, evaluateExpectations, withImpliedExpectations, type RunOutcome } from '../../kernel-sim/scenario/expect';
import type { Expectation } from '../../kernel-sim/scenario/project-types';

function outcome(extra: Partial<RunOutcome> = {}): RunOutcome {
  return {
    endNs: 5_000_000,
    dbgPrint: ['Sampler: started\n', 'sample 1\n', 'sample 2\n', 'sample 3\n'],
    requests: [
      { index: 0, completed: true, status: 0, information: 4, issuedAtNs: 1_000_000, completedAtNs: 1_400_000 },
      { index: 1, completed: false, issuedAtNs: 2_000_000 },
      { index: 2, completed: true, status: -1073741536 /* STATUS_CANCELLED, as C sees it */, information: 0, issuedAtNs: 0, completedAtNs: 10 },
    ],
    isrRuns: new Map([['SmpIsr', 3]]),
    dpcRuns: new Map([['SmpDpc', 2]]),
    maxDurationNs: new Map([
      ['SmpIsr', 12_000],
      ['SmpDpc', 40_000],
    ]),
    maxIsrToDpcLatencyNs: 3_000,
    leaks: [],
    ...extra,
  };
}

const bugCheck: RunOutcome['bugCheck'] = { code: 0xd1, args: [0x10n, 2n, 0n, 0xfffff80000001234n] };

function one(e: Expectation, o: RunOutcome = outcome()): { ok: boolean; detail: string; expectation: string } {
  const r = evaluateExpectations([{ kind: 'no-bugcheck' }, e], o);
  return r[1];
}

test('no bug check is implied when no expectation mentions bug checks', () => {
  const ok = evaluateExpectations([], outcome());
  assert.deepEqual(ok, [{ expectation: 'no bug check (implied)', ok: true, detail: 'the run ended without a bug check' }]);
  const bad = evaluateExpectations([{ kind: 'dpc-runs', routine: 'SmpDpc', min: 1 }], outcome({ bugCheck }));
  assert.equal(bad.length, 2);
  assert.equal(bad[0].ok, false);
  assert.match(bad[0].detail, /0xD1 \(DRIVER_IRQL_NOT_LESS_OR_EQUAL\) \(0x10, 0x2, 0x0, 0xFFFFF80000001234\)/);
  assert.equal(allHeld(bad), false);
  // An explicit bug check expectation replaces the implied one.
  assert.deepEqual(
    withImpliedExpectations([{ kind: 'bugcheck', code: 0xd1 }]).map((x) => x.implied),
    [false],
  );
  assert.deepEqual(
    withImpliedExpectations([{ kind: 'no-leaks' }]).map((x) => x.e.kind),
    ['no-bugcheck', 'no-leaks'],
  );
});

test('an expected bug check passes only with the right code and parameter', () => {
  const e = (x: Partial<Extract<Expectation, { kind: 'bugcheck' }>> = {}): Expectation[] => [{ kind: 'bugcheck', code: 0xd1, ...x }];
  assert.deepEqual(
    evaluateExpectations(e(), outcome({ bugCheck })).map((r) => r.ok),
    [true],
  );
  assert.equal(evaluateExpectations(e({ p1: 0x10n }), outcome({ bugCheck }))[0].ok, true);
  assert.equal(evaluateExpectations(e({ p1: 0x11n }), outcome({ bugCheck }))[0].ok, false);
  assert.equal(evaluateExpectations(e({ code: 0x133 }), outcome({ bugCheck }))[0].ok, false);
  const none = evaluateExpectations(e(), outcome())[0];
  assert.deepEqual([none.ok, none.detail], [false, 'no bug check occurred']);
  assert.equal(evaluateExpectations(e(), outcome())[0].expectation, 'bug check 0xD1 (DRIVER_IRQL_NOT_LESS_OR_EQUAL)');
});

test('DbgPrint: exact count, bounds, at least one by default', () => {
  assert.equal(one({ kind: 'dbgprint', match: 'sample \\d', count: 3 }).ok, true);
  assert.equal(one({ kind: 'dbgprint', match: 'sample \\d', count: 2 }).ok, false);
  assert.equal(one({ kind: 'dbgprint', match: 'sample', min: 2, max: 3 }).ok, true);
  assert.equal(one({ kind: 'dbgprint', match: 'sample', max: 2 }).ok, false);
  assert.equal(one({ kind: 'dbgprint', match: 'started' }).ok, true);
  assert.equal(one({ kind: 'dbgprint', match: 'stopped' }).ok, false);
  assert.equal(one({ kind: 'dbgprint', match: 'nothing', count: 0 }).ok, true);
  const r = one({ kind: 'dbgprint', match: 'sample \\d', count: 3 });
  assert.equal(r.expectation, 'DbgPrint matching /sample \\d/ exactly 3 times');
  assert.equal(r.detail, '3 matching messages; first: "sample 1"');
  assert.equal(one({ kind: 'dbgprint', match: '(' }).ok, false);
});

test('IRP completion: status (signed or not), information, time limit, pending, never issued', () => {
  const irp = (x: Partial<Extract<Expectation, { kind: 'irp-complete' }>>): Expectation => ({ kind: 'irp-complete', request: 0, ...x });
  const good = one(irp({ status: 0, information: 4, withinNs: 1_000_000 }));
  assert.equal(good.ok, true, good.detail);
  assert.equal(good.expectation, 'request 0 completes with STATUS_SUCCESS (0x00000000) and Information 4 within 1ms');
  assert.equal(good.detail, 'completed with STATUS_SUCCESS (0x00000000) after 400us');
  assert.equal(one(irp({ withinNs: 100_000 })).ok, false);
  assert.match(one(irp({ withinNs: 100_000 })).detail, /limit 100us/);
  assert.equal(one(irp({ information: 5 })).ok, false);
  assert.equal(one(irp({ status: 0xc0000001 })).ok, false);
  assert.equal(one(irp({ request: 2, status: 0xc0000120 })).ok, true, 'signed and unsigned NTSTATUS compare equal');
  const pending = one(irp({ request: 1 }));
  assert.deepEqual([pending.ok, pending.detail], [false, 'request 1 (issued at 2ms) was still pending at the end of the run']);
  const never = one(irp({ request: 7 }));
  assert.deepEqual([never.ok, never.detail], [false, 'request 7 was never issued']);
});

test('ISR and DPC run counts', () => {
  assert.equal(one({ kind: 'dpc-runs', routine: 'SmpDpc', min: 1 }).ok, true);
  assert.equal(one({ kind: 'dpc-runs', routine: 'SmpDpc', min: 3 }).ok, false);
  assert.equal(one({ kind: 'isr-runs', routine: 'SmpIsr', min: 3, max: 3 }).ok, true);
  assert.equal(one({ kind: 'isr-runs', routine: 'SmpIsr', max: 2 }).ok, false);
  assert.equal(one({ kind: 'isr-runs', routine: 'Other', max: 0 }).ok, true, 'never running satisfies max 0');
  const missing = one({ kind: 'dpc-runs', routine: 'Typo' });
  assert.deepEqual([missing.ok, missing.detail], [false, 'Typo never ran']);
  assert.equal(one({ kind: 'isr-runs', routine: 'SmpIsr', min: 3, max: 3 }).expectation, 'ISR SmpIsr runs exactly 3 times');
  assert.equal(one({ kind: 'dpc-runs', routine: 'SmpDpc', min: 1 }).expectation, 'DPC SmpDpc runs at least once');
});

test('durations and latency', () => {
  assert.equal(one({ kind: 'max-duration', routine: 'SmpIsr', ns: 25_000 }).ok, true);
  const slow = one({ kind: 'max-duration', routine: 'SmpDpc', ns: 25_000 });
  assert.deepEqual([slow.ok, slow.detail], [false, 'longest run 40us']);
  assert.equal(one({ kind: 'max-duration', routine: 'Nope', ns: 1 }).ok, false, 'a routine that never ran is reported');
  assert.equal(one({ kind: 'max-isr-to-dpc-latency', ns: 5_000 }).ok, true);
  assert.equal(one({ kind: 'max-isr-to-dpc-latency', ns: 1_000 }).ok, false);
  assert.equal(one({ kind: 'max-isr-to-dpc-latency', ns: 1_000 }, outcome({ maxIsrToDpcLatencyNs: undefined })).ok, false);
});

test('leaks', () => {
  assert.equal(one({ kind: 'no-leaks' }).ok, true);
  const leaks = Array.from({ length: 7 }, (_, i) => ({ tag: 'Smp ', size: 64 + i, address: `0xFFFF8000000${i}0000` }));
  const r = one({ kind: 'no-leaks' }, outcome({ leaks }));
  assert.equal(r.ok, false);
  assert.match(r.detail, /^7 allocations not freed: 64 bytes tag 'Smp ' at 0xFFFF800000000000, .*, and 2 more$/);
});

test('every expectation kind has a readable description', () => {
  const all: Expectation[] = [
    { kind: 'no-bugcheck' },
    { kind: 'bugcheck', code: 0x133, p1: 1n },
    { kind: 'dbgprint', match: 'x' },
    { kind: 'irp-complete', request: 0 },
    { kind: 'dpc-runs', routine: 'D', min: 1, max: 4 },
    { kind: 'isr-runs', routine: 'I', max: 1 },
    { kind: 'max-duration', routine: 'I', ns: 1500 },
    { kind: 'max-isr-to-dpc-latency', ns: 2e6 },
    { kind: 'no-leaks' },
  ];
  assert.deepEqual(all.map(describeExpectation), [
    'no bug check',
    'bug check 0x133 (DPC_WATCHDOG_VIOLATION) with parameter 1 = 0x1',
    'DbgPrint matching /x/ at least once',
    'request 0 completes',
    'DPC D runs 1 to 4 times',
    'ISR I runs at most once',
    'I never runs longer than 1.5us',
    'ISR-to-DPC latency at most 2ms',
    'no pool leaks',
  ]);
});
