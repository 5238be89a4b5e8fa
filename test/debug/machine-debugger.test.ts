// The protocol-neutral debugger over a Machine: breakpoints resolve to executable lines and
// stop the right processor; stopping and resuming (even at every statement) leaves the run
// exactly as it is without a debugger; stepping over a line is not diverted by interrupts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MachineDebugger, type Travel } from '../../kernel-sim/debug/debugger';
import type { Frame } from '../../kernel-sim/vm/runtime';
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

function loadWithReplay(): MachineDebugger {
  const r = loadProject(EXAMPLE);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return new MachineDebugger(r.machine, {
    module: r.config.name,
    recreate: () => {
      const again = loadProject(EXAMPLE);
      assert.ok(again.ok);
      return again.machine;
    },
  });
}

/** Name → formatted value of the top C frame's parameters and locals on `cpu`. */
function topLocals(dbg: MachineDebugger, cpu: number): Record<string, string> {
  const fr = dbg.stack(cpu)[0].frame;
  assert.ok(fr);
  const { params, locals } = dbg.variablesOf(fr);
  return Object.fromEntries([...params, ...locals].map(({ v, tv }) => [v.name, dbg.reader.format(tv)]));
}

function stopped(o: ReturnType<MachineDebugger['advance']> | ReturnType<MachineDebugger['stepBack']>): { cpu: number; reason: string } {
  assert.equal(o.kind, 'stopped', JSON.stringify(o));
  return o.kind === 'stopped' ? o.stop : { cpu: -1, reason: '' };
}

test('step back returns to the ISR line with identical variables; reverse continue goes to the previous breakpoint hit', () => {
  const dbg = loadWithReplay();
  const line = lineOf('if ((status & SMP_STATUS_CAUSES) == 0) {', 'BOOLEAN SmpInterruptService(');
  dbg.breakpoints.setForFile(SOURCE, [{ line }]);
  dbg.start(false);
  // The second interrupt: reverse continue has a previous hit to go back to.
  let s = stopped(dbg.advance(() => false));
  dbg.continue();
  s = stopped(dbg.advance(() => false));
  const frame0 = dbg.stack(s.cpu)[0];
  const before = topLocals(dbg, s.cpu);
  const log = dbg.machine.k.log.length;
  dbg.step(s.cpu, 'over');
  s = stopped(dbg.advance(() => false));
  dbg.step(s.cpu, 'over');
  s = stopped(dbg.advance(() => false));
  assert.notEqual(dbg.stack(s.cpu)[0].pos?.line, line);
  // Back twice: the same line, the same values.
  stopped(dbg.stepBack(s.cpu));
  const back = stopped(dbg.stepBack(s.cpu));
  assert.equal(back.reason, 'step');
  const top = dbg.stack(back.cpu)[0];
  assert.equal(top.pos?.line, line);
  assert.equal(top.name, frame0.name);
  assert.deepEqual(topLocals(dbg, back.cpu), before);
  assert.equal(dbg.machine.k.log.length, log, 'the machine is back in time (its log too)');
  // Reverse continue: the first hit.
  const rc = dbg.reverseContinue();
  const first = stopped(rc);
  assert.equal(first.reason, 'breakpoint');
  assert.equal(dbg.stack(first.cpu)[0].pos?.line, line);
  assert.ok(dbg.machine.k.log.length <= log);
  // And forward again to the end, as if nothing happened.
  dbg.continue();
  let n = 0;
  for (let o = dbg.advance(() => false); o.kind !== 'ended'; o = dbg.advance(() => false)) {
    if (o.kind === 'stopped') {
      n++;
      dbg.continue();
    }
  }
  assert.ok(n >= 17, `${n} more hits`);
});

test('a variable changed while stopped is changed again when history replays', () => {
  const dbg = loadWithReplay();
  const line = lineOf('IoRequestDpc(fdo, fdo->CurrentIrp, NULL);', 'BOOLEAN SmpInterruptService(');
  dbg.breakpoints.setForFile(SOURCE, [{ line }]);
  dbg.start(false);
  const s = stopped(dbg.advance(() => false));
  const fr = dbg.stack(s.cpu)[0].frame;
  const r = dbg.evaluate('ext->IsrSample', fr);
  assert.ok(r.ok);
  assert.ok(dbg.store(r.value, 4242));
  dbg.step(s.cpu, 'over');
  const s2 = stopped(dbg.advance(() => false));
  stopped(dbg.stepBack(s2.cpu));
  const again = dbg.evaluate('ext->IsrSample', dbg.stack(s.cpu)[0].frame);
  assert.ok(again.ok);
  assert.equal(dbg.reader.format(again.value), '4242');
});

test('with the other processors frozen a step runs only the stepped one; time travel replays the freeze', () => {
  const line = lineOf('status = SmpReadRegister(ext, &ext->Registers->Status);', 'BOOLEAN SmpInterruptService(');
  /** Steps over `steps` lines from the first ISR stop; returns the clocks and trace events of the other processors. */
  const stepFrom = (dbg: MachineDebugger, freeze: boolean, steps: number): { otherEvents: number; cpu: number } => {
    dbg.breakpoints.setForFile(SOURCE, [{ line }]);
    dbg.start(false);
    let s = stopped(dbg.advance(() => false));
    const cpu = s.cpu;
    dbg.breakpoints.setForFile(SOURCE, []);
    // Interrupts go round the processors: two of them give the other processor work too.
    dbg.fireInterrupt(0);
    dbg.fireInterrupt(0);
    const traced = dbg.machine.trace.events.length;
    for (let i = 0; i < steps; i++) {
      dbg.step(s.cpu, 'over', freeze);
      s = stopped(dbg.advance(() => false));
      assert.equal(s.cpu, cpu);
      assert.equal(dbg.machine.frozen, undefined, 'a stop thaws the processors');
    }
    const otherEvents = dbg.machine.trace.events.slice(traced).filter((e) => 'cpu' in e && e.cpu !== cpu).length;
    return { otherEvents, cpu };
  };
  const frozen = loadWithReplay();
  const f = stepFrom(frozen, true, 30);
  const running = stepFrom(loadWithReplay(), false, 30);
  assert.equal(f.otherEvents, 0, 'the frozen processor ran nothing (its interrupt waits)');
  assert.ok(running.otherEvents > 0, 'without freezing, the other processor takes its interrupt meanwhile');

  // Back one step and forward again: the frozen history is replayed exactly.
  const before = topLocals(frozen, f.cpu);
  const clock = frozen.machine.k.prcbs[f.cpu].clock;
  frozen.step(f.cpu, 'over', true);
  stopped(frozen.advance(() => false));
  const back = stopped(frozen.stepBack(f.cpu));
  assert.equal(back.cpu, f.cpu);
  assert.deepEqual(topLocals(frozen, f.cpu), before);
  assert.equal(frozen.machine.k.prcbs[f.cpu].clock, clock);
  assert.equal(frozen.machine.frozen, undefined);
  frozen.continue();
  let o = frozen.advance(() => false);
  while (o.kind === 'stopped') {
    frozen.continue();
    o = frozen.advance(() => false);
  }
  assert.equal(o.kind, 'ended');
  assert.equal(o.kind === 'ended' ? o.result.bugCheck : 'x', undefined);
});

test('a frozen step that needs a lock a frozen processor holds stops and says why', () => {
  const dbg = loadWithReplay();
  const sync = lineOf('KeSynchronizeExecution(ext->Interrupt, SmpSnapshotIsrState, &snapshot);', 'VOID SmpDpcForIsr(');
  dbg.breakpoints.setForFile(SOURCE, [{ line: sync }]);
  dbg.start(false);
  const inDpc = stopped(dbg.advance(() => false));
  // The other processor takes an interrupt and stops in its ISR, holding the interrupt's spin lock.
  const isrFirst = lineOf('status = SmpReadRegister(ext, &ext->Registers->Status);', 'BOOLEAN SmpInterruptService(');
  dbg.breakpoints.setForFile(SOURCE, [{ line: isrFirst }]);
  dbg.fireInterrupt(0);
  dbg.fireInterrupt(0);
  dbg.continue(1 - inDpc.cpu);
  const inIsr = stopped(dbg.advance(() => false));
  assert.equal(inIsr.cpu, 1 - inDpc.cpu);
  assert.equal(dbg.stack(inDpc.cpu)[0].pos?.line, sync, 'the DPC did not move (its processor was frozen)');
  dbg.breakpoints.setForFile(SOURCE, []);
  dbg.step(inDpc.cpu, 'over', true);
  const o = dbg.advance(() => false);
  assert.equal(o.kind, 'stopped');
  if (o.kind !== 'stopped') return;
  assert.equal(o.stop.reason, 'pause');
  assert.match(o.stop.description, new RegExp(`frozen.*CPU ${inDpc.cpu} spins on a lock that frozen CPU ${inIsr.cpu} holds`));
  // Stepping again with everything running completes the line.
  dbg.step(inDpc.cpu, 'over');
  const done = stopped(dbg.advance(() => false));
  assert.equal(done.cpu, inDpc.cpu);
  assert.notEqual(dbg.stack(done.cpu)[0].pos?.line, sync);
});

function drain(t: Travel): ReturnType<MachineDebugger['stepBack']> {
  for (;;) {
    const r = t.next(() => false);
    if (r.done) return r.value;
  }
}

test('time travel from checkpoints lands exactly where re-executing from boot does', () => {
  const isr = lineOf('if ((status & SMP_STATUS_CAUSES) == 0) {', 'BOOLEAN SmpInterruptService(');
  const dpc = lineOf('KeSynchronizeExecution(ext->Interrupt, SmpSnapshotIsrState, &snapshot);', 'VOID SmpDpcForIsr(');
  type Op = (dbg: MachineDebugger, cpu: number) => ReturnType<MachineDebugger['advance']> | ReturnType<MachineDebugger['stepBack']>;
  const go = (f: (dbg: MachineDebugger, cpu: number) => void): Op => (dbg, cpu) => (f(dbg, cpu), dbg.advance(() => false));
  const ops: Array<[string, Op]> = [
    ['over', go((d, c) => d.step(c, 'over'))],
    ['over', go((d, c) => d.step(c, 'over'))],
    ['back', (d, c) => d.stepBack(c)],
    ['store', go((d, c) => {
      const r = d.evaluate('ext->IsrSample', d.stack(c)[0].frame);
      assert.ok(r.ok && d.store(r.value, 777));
      d.step(c, 'over');
    })],
    ['back', (d, c) => d.stepBack(c)],
    ['continue', go((d) => d.continue())],
    ['continue', go((d) => d.continue())],
    ['reverse', (d) => d.reverseContinue()],
    ['in', go((d, c) => d.step(c, 'in'))],
    ['restart', (d, c) => d.restartFrame(c, d.stack(c)[0].frame as Frame)],
    ['back', (d, c) => d.stepBack(c)],
    ['toTime', (d) => drain(d.travel({ kind: 'toTime', timeNs: Math.floor(d.machine.k.prcbs[0].clock / 2) }))],
  ];
  const run = (prepare: boolean): { trail: string[]; travels: string[] } => {
    const dbg = loadWithReplay();
    dbg.breakpoints.setForFile(SOURCE, [{ line: isr }, { line: dpc }]);
    dbg.start(false);
    let s = stopped(dbg.advance(() => false));
    const trail: string[] = [];
    const travels: string[] = [];
    for (const [name, op] of ops) {
      if (prepare) while (dbg.prepare(() => false));
      s = stopped(op(dbg, s.cpu));
      if (['back', 'reverse', 'restart', 'toTime'].includes(name)) travels.push(dbg.lastTravel ?? '?');
      const top = dbg.stack(s.cpu)[0];
      trail.push(`${name}: cpu ${s.cpu} ${s.reason} ${top.name}:${top.pos?.line} log ${dbg.machine.k.log.length} clock ${dbg.machine.k.prcbs.map((p) => p.clock).join('/')} locals ${JSON.stringify(topLocals(dbg, s.cpu))}`);
    }
    return { trail, travels };
  };
  const boot = run(false);
  const fast = run(true);
  assert.deepEqual(fast.trail, boot.trail);
  assert.ok(boot.travels.every((t) => t === 'boot'));
  assert.ok(fast.travels.filter((t) => t === 'checkpoint').length >= 3, fast.travels.join(' '));
});

test('a request reaches the driver through nt!IofCallDriver from the I/O manager code that sends it', () => {
  const names = (fn: string): string[] => {
    const dbg = load();
    dbg.breakpoints.setFunctions([{ name: fn }]);
    dbg.start(false);
    const s = stopped(dbg.advance(() => false));
    return dbg.stack(s.cpu).map((f) => f.name);
  };
  assert.deepEqual(names('SmpDispatchRead'), ['dpcforisr!SmpDispatchRead', 'nt!IofCallDriver', 'nt!IopSynchronousServiceTail', 'nt!PspSystemThreadStartup']);
  assert.deepEqual(names('SmpDispatchPnp').slice(1), ['nt!IofCallDriver', 'nt!IopSynchronousCall', 'nt!PspSystemThreadStartup']);
});
