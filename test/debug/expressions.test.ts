// C expressions in the debugger (kernel-sim/debug/evaluate.ts), at a stop in the example's ISR:
// C's conversions on x64 LLP64, pointers and members through WDK types, casts to typedefs,
// sizeof, short-circuit evaluation, side effects only when allowed, and errors as messages.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MachineDebugger } from '../../kernel-sim/debug/debugger';
import type { Frame } from '../../kernel-sim/vm/runtime';
import { loadProject } from '../../debug-adapter/load';

const root = resolve(__dirname, '..', '..');
const EXAMPLE = join(root, 'examples', 'dpcforisr');
const SOURCE = join(EXAMPLE, 'driver.c');
const TEXT = readFileSync(SOURCE, 'utf8').split('\n');

let dbg: MachineDebugger;
let frame: Frame;

before(() => {
  const r = loadProject(EXAMPLE);
  assert.ok(r.ok);
  dbg = new MachineDebugger(r.machine, { module: r.config.name });
  const from = TEXT.findIndex((l) => l.includes('BOOLEAN SmpInterruptService('));
  const line = TEXT.findIndex((l, k) => k > from && l.includes('IoRequestDpc(fdo, fdo->CurrentIrp, NULL);')) + 1;
  dbg.breakpoints.setForFile(SOURCE, [{ line }]);
  dbg.start(false);
  const o = dbg.advance(() => false);
  assert.equal(o.kind, 'stopped');
  const f = dbg.stack(o.kind === 'stopped' ? o.stop.cpu : 0)[0].frame;
  assert.ok(f);
  frame = f;
});

function value(text: string, sideEffects = false): string {
  const r = dbg.evaluate(text, frame, sideEffects);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.message}`);
  return dbg.reader.format(r.value);
}

function error(text: string, sideEffects = false): string {
  const r = dbg.evaluate(text, frame, sideEffects);
  assert.ok(!r.ok, `${text} should fail`);
  return r.ok ? '' : r.message;
}

test('integer constants, promotions and the usual arithmetic conversions (LLP64)', () => {
  assert.equal(value('7 / 2'), '3');
  assert.equal(value('-7 % 3'), '-1');
  assert.equal(value('(unsigned char)300'), "44 ','");
  assert.equal(value('-1 < 1u'), '0', 'int converts to unsigned int');
  assert.equal(value('-1 < 1LL'), '1');
  assert.equal(value('1ULL << 40'), '1099511627776');
  assert.equal(value('0xFFFFFFFF + 1'), '0', 'unsigned int wraps');
  assert.equal(value('0xFFFFFFFFLL + 1'), '4294967296');
  assert.equal(value('(long)0x80000000'), '-2147483648', 'long is 32-bit');
  assert.equal(value("'A' + 1"), '66');
  assert.equal(value('1 ? 2 : 3'), '2');
  assert.equal(value('2.5 * 2'), '5');
});

test('members, pointers and casts through WDK and driver types', () => {
  assert.equal(value('sizeof(KDPC)'), '64');
  assert.equal(value('sizeof(LIST_ENTRY)'), '16');
  assert.equal(value('fdo == (PDEVICE_OBJECT)ServiceContext'), '1');
  assert.equal(value('ext == (PSMP_EXTENSION)fdo->DeviceExtension'), '1');
  assert.equal(value('fdo->DeviceObjectExtension != NULL'), '1');
  assert.match(value('fdo->DriverObject->MajorFunction[3]'), /SmpDispatchRead/, 'IRP_MJ_READ');
  assert.equal(value('&fdo->DeviceExtension == (PVOID *)((PUCHAR)fdo + 0x40)'), '1', 'DeviceExtension at offset 0x40 on x64');
  assert.equal(value('ext->Stats.Interrupts'), '1');
  assert.equal(value('&ext->Stats == &(*ext).Stats'), '1');
  assert.equal(value('sizeof ext->Stats.Interrupts'), '4');
});

test('short-circuit evaluation reads only the side taken; errors are messages, not throws', () => {
  assert.equal(value('0 && *(PULONG)0'), '0');
  assert.equal(value('1 || *(PULONG)0'), '1');
  assert.match(error('*(PULONG)0'), /cannot read memory at 0x0000000000000000/);
  assert.match(error('no_such_name + 1'), /'no_such_name' is not a variable/);
  assert.match(error('SmpReadRegister(ext, 0)'), /function calls are not evaluated/);
  assert.match(error('1 +'), /expected an expression/);
  assert.match(error('ext->NoSuchField'), /has no member 'NoSuchField'/);
  assert.match(error('1 / 0'), /division by zero/);
});

test('assignments only with side effects allowed, and then they stick', () => {
  assert.match(error('ext->IsrSample = 7'), /side effects/);
  assert.equal(value('ext->IsrSample = 7', true), '7');
  assert.equal(value('ext->IsrSample'), '7');
  assert.equal(value('ext->IsrSample += 5', true), '12');
});

test("the driver's macros expand as in the source: constants, macros of macros, CONTAINING_RECORD, FIELD_OFFSET", () => {
  assert.equal(value('SMP_STATUS_CAUSES'), '3');
  assert.equal(value('SMP_INT_ALL'), '3', 'a macro of macros');
  assert.equal(value('SMP_STATUS_BUSY'), '2147483648');
  assert.equal(value('(status & SMP_STATUS_CAUSES) != 0'), value('(status & 3) != 0'));
  assert.equal(value('SMP_POOL_TAG'), value("'lpmS'"));
  // WDK function-like macros: the same object back through CONTAINING_RECORD, and offsets.
  assert.equal(value('CONTAINING_RECORD(&ext->WaitQueue, SMP_EXTENSION, WaitQueue) == ext'), '1');
  assert.equal(value('FIELD_OFFSET(SMP_EXTENSION, WaitQueue)'), value('(ULONG)((char *)&ext->WaitQueue - (char *)ext)'));
  assert.equal(value('STATUS_SUCCESS'), '0');
  // A function-like macro named without arguments is not a value.
  assert.match(error('CONTAINING_RECORD'), /not a variable/);
});
