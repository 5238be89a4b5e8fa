// The protocol-neutral debugger over a Machine: breakpoints resolve to executable lines and
// stop the right processor; stopping and resuming (even at every statement) leaves the run
// exactly as it is without a debugger; stepping over a line is not diverted by interrupts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MachineDebugger } from '../../kernel-sim/debug/debugger';
import { loadProject } from '../../debug-adapter/load';

const root = resolve(__dirname, '..', '..');
const EXAMPLE = join(root, 'examples', 'dpcforisr');
const SOURCE = join(EXAMPLE, 'driver.c');
const TEXT = readFileSync(SOURCE, 'utf8').split('\n');

function lineOf(marker: string, afterMarker?: string): number {
  const from = afterMarker ? TEXT.findIndex((l) => l.includes(afterMarker)) : 0;
  const i = TEXT.findIndex((l, k) => k >= from && l.includes(marker));
  assert.ok(i >= 0, marker);
  return i + 1;
}

function load(): MachineDebugger {
  const r = loadProject(EXAMPLE);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return new MachineDebugger(r.machine, { module: r.config.name });
}

/** Runs to the end, counting stops; `onStop` may step or continue (default: continue). */
function runToEnd(dbg: MachineDebugger, onStop: (cpu: number) => 'continue' | 'in' | 'over' = () => 'continue'): number {
  let stops = 0;
  for (;;) {
    const o = dbg.advance(() => false);
    if (o.kind === 'ended') return stops;
    if (o.kind === 'running') continue;
    stops++;
    if (o.stop.reason === 'exception') continue;
    const what = onStop(o.stop.cpu);
    if (what === 'continue') dbg.continue();
    else dbg.step(o.stop.cpu, what);
  }
}

test('a line breakpoint moves to the next executable line; one on a line past the function is unverified or moves on', () => {
  const dbg = load();
  const comment = lineOf('/* 1. Is it ours?', 'BOOLEAN SmpInterruptService(');
  const [bp] = dbg.breakpoints.setForFile(SOURCE, [{ line: comment }]);
  assert.equal(bp.verified, true);
  assert.equal(bp.line, lineOf('status = SmpReadRegister(ext, &ext->Registers->Status);', 'BOOLEAN SmpInterruptService('));
  const [none] = dbg.breakpoints.setForFile(SOURCE, [{ line: TEXT.length + 10 }]);
  assert.equal(none.verified, false);
  assert.match(none.message ?? '', /no executable code/);
});

test('stopping at every ISR statement and resuming leaves the run identical to a run without the debugger', () => {
  const plain = loadProject(EXAMPLE);
  assert.ok(plain.ok);
  const expected = plain.machine.run();

  const dbg = load();
  const isrFirst = lineOf('PDEVICE_OBJECT fdo = (PDEVICE_OBJECT)ServiceContext;', 'BOOLEAN SmpInterruptService(');
  dbg.breakpoints.setForFile(SOURCE, [{ line: isrFirst }]);
  dbg.start(false);
  // At each ISR entry, step over its statements one by one, then continue.
  let steps = 0;
  const stops = runToEnd(dbg, () => (steps++ % 6 === 5 ? 'continue' : 'over'));
  assert.ok(stops > 18, `stopped ${stops} times`);
  const got = dbg.machine.finish();
  assert.deepEqual(got.log, expected.log);
  assert.deepEqual(got.logAtNs, expected.logAtNs);
  assert.equal(got.endNs, expected.endNs);
  assert.deepEqual(dbg.machine.trace.events, plain.machine.trace.events);
});

test('a conditional breakpoint stops only when its C condition holds; hit counts and logpoints', () => {
  const dbg = load();
  const line = lineOf('IoRequestDpc(fdo, fdo->CurrentIrp, NULL);', 'BOOLEAN SmpInterruptService(');
  const [bp] = dbg.breakpoints.setForFile(SOURCE, [{ line, condition: 'ext->Stats.Interrupts == 3' }]);
  dbg.start(false);
  const o = dbg.advance(() => false);
  assert.equal(o.kind, 'stopped');
  assert.deepEqual(o.kind === 'stopped' ? o.stop.hitBreakpointIds : [], [bp.id]);
  const fr = dbg.stack(o.kind === 'stopped' ? o.stop.cpu : 0)[0].frame;
  const r = dbg.evaluate('ext->Stats.Interrupts', fr);
  assert.ok(r.ok);
  assert.equal(dbg.reader.format(r.value), '3');

  const log = load();
  log.breakpoints.setForFile(SOURCE, [{ line, logMessage: 'interrupt {ext->Stats.Interrupts} status {status}', hitCondition: '% 5' }]);
  log.start(false);
  assert.equal(runToEnd(log), 0, 'logpoints do not stop');
  const out = log.takeOutput();
  assert.ok(out.length >= 3, out.join(''));
  assert.match(out[0], /^interrupt 5 status \d+\n$/);
});
