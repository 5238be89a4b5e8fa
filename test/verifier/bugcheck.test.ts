// Bug check catalogue, per-case argument texts and the WinDbg-style reports (KERNEL_MODEL §5, §7).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BUG_CHECKS,
  bugCheckName,
  explainArgs,
  formatAnalyze,
  formatBugCheckLine,
  hex64,
  hex64Tick,
  type BugCheckReport,
} from '../../kernel-sim/verifier/bugcheck';
import { c4SubCode } from '../../kernel-sim/verifier/subcodes';
import { checkIrql } from '../../kernel-sim/verifier/irql-rules';

/** §5.1 core table plus the pool and Verifier codes the simulator raises. */
const REQUIRED: Record<number, string> = {
  0x0a: 'IRQL_NOT_LESS_OR_EQUAL',
  0xd1: 'DRIVER_IRQL_NOT_LESS_OR_EQUAL',
  0x133: 'DPC_WATCHDOG_VIOLATION',
  0x102: 'DPC_WATCHDOG_TIMEOUT',
  0x101: 'CLOCK_WATCHDOG_TIMEOUT',
  0xb8: 'ATTEMPTED_SWITCH_FROM_DPC',
  0xc8: 'IRQL_UNEXPECTED_VALUE',
  0xc7: 'TIMER_OR_DPC_INVALID',
  0x0f: 'SPIN_LOCK_ALREADY_OWNED',
  0x10: 'SPIN_LOCK_NOT_OWNED',
  0x50: 'PAGE_FAULT_IN_NONPAGED_AREA',
  0x1e: 'KMODE_EXCEPTION_NOT_HANDLED',
  0x7e: 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED',
  0x8e: 'KERNEL_MODE_EXCEPTION_NOT_HANDLED',
  0x3d: 'INTERRUPT_EXCEPTION_NOT_HANDLED',
  0x7f: 'UNEXPECTED_KERNEL_MODE_TRAP',
  0xf2: 'HARDWARE_INTERRUPT_STORM',
  0x13b: 'PASSIVE_INTERRUPT_ERROR',
  0x11b: 'DRIVER_RETURNED_HOLDING_CANCEL_LOCK',
  0x44: 'MULTIPLE_IRP_COMPLETE_REQUESTS',
  0x48: 'CANCEL_STATE_IN_COMPLETED_IRP',
  0xe1: 'WORKER_THREAD_RETURNED_AT_BAD_IRQL',
  0x4a: 'IRQL_GT_ZERO_AT_SYSTEM_SERVICE',
  0xd3: 'DRIVER_PORTION_MUST_BE_NONPAGED',
  0x08: 'IRQL_NOT_DISPATCH_LEVEL',
  0x09: 'IRQL_NOT_GREATER_OR_EQUAL',
  0xc4: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
  0xe2: 'MANUALLY_INITIATED_CRASH',
  0xc2: 'BAD_POOL_CALLER',
  0xc1: 'SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION',
  0xce: 'DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS',
  0xc9: 'DRIVER_VERIFIER_IOMANAGER_VIOLATION',
  0x19: 'BAD_POOL_HEADER',
};

/** Every P1 row of the §5.2 0xC4 table. */
const C4_ROWS = [
  0x00, 0x01, 0x02, 0x11, 0x12, 0x15, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x3b, 0x40, 0x41, 0x42,
  0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7e, 0x80, 0xc0, 0xc1, 0xe5,
  0xfa, 0x10b, 0x110, 0x111, 0x11a, 0x11b, 0x120, 0x121, 0x122,
  ...Array.from({ length: 12 }, (_, i) => 0x1000 + i),
  ...Array.from({ length: 0x24 }, (_, i) => 0x20002 + i),
  0x40006, 0x40007, 0x40009, 0x4000a,
];

const D1: BugCheckReport = {
  code: 0xd1,
  args: [0xfffff808add27150n, 2n, 1n, 0xfffff8035f5ac290n],
  cpu: 1,
  irql: 2,
  timeNs: 1_234_567,
  routine: 'DpcForIsr+0x1a',
  driver: 'mydrv.sys',
  source: { path: 'c:/src/mydrv/dpc.c', line: 42, column: 5, text: '    ext->PagedBuffer[0] = 1;' },
  stack: ['nt!KeBugCheckEx', 'nt!KiPageFault', 'mydrv!DpcForIsr+0x1a', 'nt!KiRetireDpcList'],
  reason: 'DpcForIsr wrote paged pool at DISPATCH_LEVEL',
};

describe('bug check table', () => {
  test('covers every code of §5.1 and the pool/Verifier extras, under its documented name', () => {
    for (const [code, name] of Object.entries(REQUIRED)) {
      const info = BUG_CHECKS[Number(code)];
      assert.ok(info, `missing 0x${Number(code).toString(16)}`);
      assert.equal(info.name, name);
      assert.equal(info.code, Number(code));
      assert.equal(bugCheckName(Number(code)), name);
    }
  });

  test('each entry has a short description and four argument texts', () => {
    for (const info of Object.values(BUG_CHECKS)) {
      assert.ok(info.description.length > 20, info.name);
      assert.ok(info.description.split(/\.\s/).length <= 3, `${info.name}: one or two sentences`);
      assert.equal(info.args.length, 4);
    }
  });

  test('unknown codes get a placeholder name', () => {
    assert.equal(bugCheckName(0x1234), 'UNKNOWN_BUGCHECK_CODE');
    assert.deepEqual(explainArgs(0x1234, [1n, 2n, 3n, 4n]), ['', '', '', '']);
  });
});

describe('explainArgs', () => {
  test('0xD1 decodes the access bit field and the IRQL', () => {
    const t = explainArgs(0xd1, D1.args);
    assert.equal(t[0], 'memory referenced');
    assert.equal(t[1], 'IRQL (DISPATCH_LEVEL)');
    assert.equal(t[2], 'bitfield: bit 0 0=read 1=write, bit 3 execute (1 = write)');
    assert.equal(t[3], 'address which referenced memory');
    assert.match(explainArgs(0xd1, [0n, 2n, 0n, 0n])[2], /\(0 = read\)/);
    assert.match(explainArgs(0xd1, [0x10n, 2n, 8n, 0n])[0], /NULL pointer/);
    assert.match(explainArgs(0x0a, [0n, 2n, 8n, 0n])[2], /8 = execute/);
  });

  test('0x133 texts depend on P1 (single DPC/ISR vs cumulative)', () => {
    const single = explainArgs(0x133, [0n, 0x501n, 0x500n, 0n]);
    assert.match(single[0], /single DPC or ISR/);
    assert.equal(single[1], 'DPC time count (in ticks)');
    assert.equal(single[2], 'DPC time allotment (in ticks)');
    const cumulative = explainArgs(0x133, [1n, 0x1e00n, 0n, 0n]);
    assert.match(cumulative[0], /in total/);
    assert.equal(cumulative[1], 'watchdog period (in ticks)');
  });

  test('0xC4 has a sub-code entry for every §5.2 row', () => {
    for (const p1 of C4_ROWS) {
      const s = c4SubCode(p1);
      assert.ok(s, `0xC4 sub-code 0x${p1.toString(16)}`);
      assert.ok(s.what.length > 0 && s.args.every((a) => a.length > 0), `0x${p1.toString(16)}`);
    }
  });

  test('0xC4 sub-codes give per-argument texts', () => {
    assert.deepEqual(explainArgs(0xc4, [0x32n, 1n, 0xfffff000n, 0n]), [
      'KeReleaseSpinLock was called at an IRQL other than DISPATCH_LEVEL (a double release?).',
      'current IRQL',
      'address of the spin lock',
      '0',
    ]);
    assert.match(explainArgs(0xc4, [0x31n, 2n, 0n, 1n])[3], /inside a DPC/);
    assert.deepEqual(explainArgs(0xc4, [0x111n, 0n, 9n, 2n]).slice(1), ['address of the ISR', 'IRQL before the ISR', 'IRQL after the ISR']);
    assert.match(explainArgs(0xc4, [0x121n, 2n, 0n, 0n])[0], /NULL/);
    assert.match(explainArgs(0xc4, [0xe5n, 2n, 0n, 0n])[0], /wrong IRQL/);
    assert.match(explainArgs(0xc4, [0x1001n, 0n, 0n, 0n])[0], /hierarchy/);
  });

  test('0xC4 DDI compliance rules name the rule; unnamed rule IDs stay generic', () => {
    const rule = explainArgs(0xc4, [0x20016n, 0n, 0n, 0n]);
    assert.match(rule[0], /^ID of the 'IrqlKeSetEvent' rule that was violated/);
    assert.equal(rule[1], 'pointer to the string describing the violated rule condition');
    assert.match(explainArgs(0xc4, [0x40009n, 0n, 0n, 0n])[0], /'SpinLock'/);
    assert.match(explainArgs(0xc4, [0x40009n, 0n, 0n, 0n])[2], /!ruleinfo/);
    assert.match(explainArgs(0xc4, [0x20013n, 0n, 0n, 0n])[0], /DDI compliance rule/);
    assert.match(explainArgs(0xc4, [0x9999n, 0n, 0n, 0n])[0], /unlisted/);
  });

  test('0xC8 decodes current/expected IRQL and the UniqueValue', () => {
    const t = explainArgs(0xc8, [(2n << 16n) | (9n << 8n) | 3n, 0n, 0n, 0n]);
    assert.match(t[0], /current 2 \(DISPATCH_LEVEL\), expected 9 \(DIRQL\), UniqueValue 0x3 \(interrupt ServiceRoutine\)/);
    assert.equal(t[1], 'address of the ISR');
    assert.equal(t[2], 'address of the KINTERRUPT');
  });

  test('other per-case texts: 0x50 fault type, 0xF2 chaining, 0x1E exception, 0xC7 type, 0x7F trap', () => {
    assert.match(explainArgs(0x50, [0n, 2n, 0n, 4n])[1], /\(write\)/);
    assert.match(explainArgs(0x50, [0n, 0n, 0n, 4n])[3], /non-canonical/);
    assert.match(explainArgs(0xf2, [0n, 0n, 0n, 2n])[3], /\(chained\)/);
    const av = explainArgs(0x1e, [0xc0000005n, 0n, 1n, 0x10n]);
    assert.match(av[0], /STATUS_ACCESS_VIOLATION/);
    assert.match(av[2], /\(write\)/);
    assert.match(explainArgs(0x1e, [0x80000003n, 0n, 0n, 0n])[0], /STATUS_BREAKPOINT/);
    assert.match(explainArgs(0xc7, [1n, 0n, 0n, 0n])[0], /DPC object/);
    assert.match(explainArgs(0x7f, [8n, 0n, 0n, 0n])[0], /double fault/);
    assert.match(explainArgs(0xc2, [0x07n, 0n, 0n, 0n])[0], /already freed/);
  });
});

describe('formatAnalyze', () => {
  const text = formatAnalyze(D1);
  const lines = text.split('\n');

  test('banner, NAME (code), description and Arg lines with 16 hex digits', () => {
    assert.ok(lines.some((l) => /^\*\s+Bugcheck Analysis\s+\*$/.test(l)));
    assert.ok(lines.includes('DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)'));
    assert.ok(lines.includes('Arguments:'));
    assert.ok(lines.includes('Arg1: fffff808add27150, memory referenced'));
    assert.ok(lines.includes('Arg2: 0000000000000002, IRQL (DISPATCH_LEVEL)'));
    assert.ok(lines.includes('Arg3: 0000000000000001, bitfield: bit 0 0=read 1=write, bit 3 execute (1 = write)'));
    assert.match(text, /^Arg4: [0-9a-f]{16}, address which referenced memory$/m);
    for (const l of lines) assert.ok(l.length <= 120, l);
    const desc = lines.slice(lines.indexOf('DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)') + 1, lines.indexOf('Arguments:'));
    assert.ok(desc.length >= 1 && desc.every((l) => l.length <= 79));
  });

  test('debugging details: source, IRQL, processor, stack, image and bucket', () => {
    assert.ok(lines.includes('BUGCHECK_CODE:  d1'));
    assert.ok(lines.includes('BUGCHECK_P1: fffff808add27150'));
    assert.ok(lines.includes('WRITE_ADDRESS:  fffff808add27150'));
    assert.ok(lines.includes('FAULTING_SOURCE_LINE:  c:/src/mydrv/dpc.c'));
    assert.ok(lines.includes('FAULTING_SOURCE_LINE_NUMBER:  42'));
    assert.ok(lines.includes('FAULTING_SOURCE_CODE:  '));
    assert.ok(lines.includes('>   42:     ext->PagedBuffer[0] = 1;'));
    assert.ok(lines.includes('PROCESS_NAME:  System'));
    assert.ok(lines.includes('CURRENT_IRQL:  2'));
    assert.ok(lines.includes('PROCESSOR:  1'));
    const stack = lines.indexOf('STACK_TEXT:  ');
    assert.deepEqual(lines.slice(stack + 1, stack + 5), [
      '00 nt!KeBugCheckEx', '01 nt!KiPageFault', '02 mydrv!DpcForIsr+0x1a', '03 nt!KiRetireDpcList',
    ]);
    assert.ok(lines.includes('SYMBOL_NAME:  mydrv!DpcForIsr+0x1a'));
    assert.ok(lines.includes('IMAGE_NAME:  mydrv.sys'));
    assert.ok(lines.includes('FAILURE_BUCKET_ID:  0xD1_mydrv!DpcForIsr'));
    assert.ok(lines.includes('SIMULATION_NOTE:  DpcForIsr wrote paged pool at DISPATCH_LEVEL'));
  });

  test('optional parts are left out when not given; blame falls back to the first driver frame', () => {
    const t = formatAnalyze({ code: 0x133, args: [0n, 0x501n, 0x500n, 0n], cpu: 0, irql: 2, timeNs: 0,
      stack: ['nt!KeBugCheckEx', 'nt!KeAccumulateTicks+0x1c', 'spin!SpinDpc+0x40'] });
    assert.doesNotMatch(t, /FAULTING_SOURCE/);
    assert.doesNotMatch(t, /SIMULATION_NOTE/);
    assert.match(t, /^DPC_WATCHDOG_VIOLATION \(133\)$/m);
    assert.match(t, /^SYMBOL_NAME: {2}spin!SpinDpc\+0x40$/m);
    assert.match(t, /^IMAGE_NAME: {2}spin\.sys$/m);
    assert.match(t, /^FAILURE_BUCKET_ID: {2}0x133_0_spin!SpinDpc$/m);
  });

  test('a checkIrql violation reads like Verifier output, bucketed by sub-code or rule', () => {
    const v = checkIrql('IoCreateDevice', 2);
    assert.ok(v);
    const t = formatAnalyze({ code: v.code, args: v.args, cpu: 0, irql: 2, timeNs: 0, routine: 'StartIo', driver: 'mydrv',
      stack: ['nt!KeBugCheckEx', 'mydrv!StartIo+0x12'], reason: v.message });
    assert.match(t, /^DRIVER_VERIFIER_DETECTED_VIOLATION \(c4\)$/m);
    assert.match(t, /^Arg1: 00000000000000e5, A kernel API was called at the wrong IRQL\.$/m);
    assert.match(t, /^Arg2: 0000000000000002, current IRQL$/m);
    assert.match(t, /^FAILURE_BUCKET_ID: {2}0xC4_E5_mydrv!StartIo$/m);
    assert.match(t, /^SIMULATION_NOTE: {2}IoCreateDevice called at IRQL 2/m);
    const rule = formatAnalyze({ code: 0xc4, args: [0x20016n, 0n, 0n, 0n], cpu: 0, irql: 2, timeNs: 0, routine: 'Isr', driver: 'd', stack: [] });
    assert.match(rule, /^FAILURE_BUCKET_ID: {2}0xC4_IrqlKeSetEvent_d!Isr$/m);
  });

  test('an unknown code still prints its arguments', () => {
    const t = formatAnalyze({ code: 0x1234, args: [1n, 2n, 3n, 4n], cpu: 0, irql: 0, timeNs: 0, stack: [] });
    assert.match(t, /^Unknown bugcheck code \(1234\)$/m);
    assert.match(t, /^Arg1: 0000000000000001$/m);
  });
});

describe('.bugcheck and hex helpers', () => {
  test('code as 8 hex digits, arguments as backtick-split 64-bit values', () => {
    assert.equal(
      formatBugCheckLine(0xd1, D1.args),
      'Bugcheck code 000000D1\nArguments fffff808`add27150 00000000`00000002 00000000`00000001 fffff803`5f5ac290',
    );
  });

  test('negative values print as their 64-bit two\'s complement', () => {
    assert.equal(hex64(-1n), 'ffffffffffffffff');
    assert.equal(hex64Tick(0x123n), '00000000`00000123');
  });
});
