// `kdsim run` end to end through the built CLI bundle: every example prints its documented
// outcome (the buggy ones their bug check with the right parameters and source line), and
// the options (--json, --trace, --junit, --until, --seed) do what they say.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function kdsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kdsim run on the examples', () => {
  test('dpcforisr: reads and IOCTLs complete through ISR -> DpcForIsr -> IoCompleteRequest', () => {
    const r = kdsim('run', 'examples/dpcforisr');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /IRP_MN_START_DEVICE for sampler0 completed with 0x00000000/);
    assert.match(r.stdout, /ISR\s+SmpInterruptService \(vector 0x91\)\s+18\b/);
    assert.match(r.stdout, /9 passed, 0 failed/);
  });

  test('customdpc-timer: CustomDpc coalescing and a periodic timer DPC', () => {
    const r = kdsim('run', 'examples/customdpc-timer');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Ticker: final: .*: consistent/);
  });

  test('isr-dpc-race: ISR and DpcForIsr overlap on two CPUs and stay consistent', () => {
    const r = kdsim('run', 'examples/isr-dpc-race');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /ISR while DPC active [1-9]/);
  });

  const buggy: [string, RegExp, RegExp][] = [
    ['wait-in-dpc', /ATTEMPTED_SWITCH_FROM_DPC \(b8\)/, /FAULTING_SOURCE_LINE_NUMBER:\s+\d+/],
    ['paged-pool-at-dispatch', /DRIVER_IRQL_NOT_LESS_OR_EQUAL \(d1\)/, /Arg2: 0000000000000002.*\n.*Arg3: 0000000000000001/],
    ['spinlock-double-release', /DRIVER_VERIFIER_DETECTED_VIOLATION \(c4\)/, /Arg1: 0000000000000032/],
    ['isr-returns-lock-held', /DRIVER_VERIFIER_DETECTED_VIOLATION \(c4\)/, /Arg1: 0000000000000111/],
    ['dpc-too-long', /DPC_WATCHDOG_VIOLATION \(133\)/, /Arg1: 0000000000000000/],
  ];
  for (const [name, title, arg] of buggy) {
    test(`buggy/${name}: the documented bug check`, () => {
      const r = kdsim('run', `examples/buggy/${name}`);
      assert.equal(r.code, 0, `the expected bug check makes the run pass:\n${r.stdout}${r.stderr}`);
      assert.match(r.stdout, title);
      assert.match(r.stdout, arg);
      assert.match(r.stdout, /FAULTING_SOURCE_FILE:.*driver\.c|FAULTING_SOURCE_LINE:.*driver\.c/);
    });
  }
});

describe('kdsim run options', () => {
  test('--json prints a machine-readable summary', () => {
    const r = kdsim('run', 'examples/buggy/paged-pool-at-dispatch', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { bugCheck: { code: number; args: string[]; source: { line: number } }; expectations: { ok: boolean }[] };
    assert.equal(j.bugCheck.code, 0xd1);
    assert.equal(j.bugCheck.args[1], '0x2');
    assert.ok(j.bugCheck.source.line > 0);
    assert.ok(j.expectations.every((e) => e.ok));
  });

  test('--trace writes the event trace as JSON; --junit writes JUnit XML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdsim-run-'));
    const trace = join(dir, 't.json');
    const junit = join(dir, 'j.xml');
    const r = kdsim('run', 'examples/dpcforisr', '--trace', trace, '--junit', junit);
    assert.equal(r.code, 0, r.stderr);
    const t = JSON.parse(readFileSync(trace, 'utf8')) as { format: string; events: { kind: string }[] };
    assert.equal(t.format, 'kdsim-trace');
    for (const kind of ['isr-enter', 'isr-exit', 'dpc-queue', 'dpc-run', 'dpc-finish', 'irql', 'irp-complete', 'dbgprint']) {
      assert.ok(t.events.some((e) => e.kind === kind), `trace has ${kind} events`);
    }
    const run = t.events.find((e) => e.kind === 'dpc-run') as { dpc?: unknown } | undefined;
    assert.match(String(run?.dpc), /^0xfffff8[0-9a-f]{10}$/, 'addresses are the real 64-bit values in hex');
    assert.match(readFileSync(junit, 'utf8'), /<testsuite[^>]*tests="9"[^>]*failures="0"/);
  });

  test('a failed expectation exits 1; same seed, same run', () => {
    const a = kdsim('run', 'examples/dpcforisr', '--until', '1500us', '--json');
    assert.equal(a.code, 1, 'requests cut short by --until fail their expectations');
    const b = kdsim('run', 'examples/dpcforisr', '--until', '1500us', '--json');
    assert.equal(a.stdout, b.stdout);
  });

  test('usage errors exit 2', () => {
    assert.equal(kdsim('run').code, 2);
    assert.equal(kdsim('run', 'examples/dpcforisr', '--until', 'soon').code, 2);
    assert.equal(kdsim('run', 'no/such/dir').code, 2);
  });
});

describe('kdsim run on a driver that never finishes', () => {
  test('a DriverEntry that never returns is reported and the run exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kdsim-run-spin-'));
    writeFileSync(join(dir, 'd.c'), '#include <ntddk.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R)\n{\n    volatile LONG x = 0;\n    UNREFERENCED_PARAMETER(D);\n    UNREFERENCED_PARAMETER(R);\n    for (;;) { x++; }\n}\n');
    writeFileSync(join(dir, 'kdsim.json'), JSON.stringify({ name: 'spin', sources: ['d.c'], machine: { cpus: 1 }, scenario: { until: '20ms' } }));
    const r = kdsim('run', dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /DriverEntry had not returned when the scenario ended at 20\.000 ms/);
    assert.match(r.stdout, /the run did not complete/);
  });
});
