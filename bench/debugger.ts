// Debugger latency on examples/dpcforisr (host milliseconds; a debugger has no native
// counterpart, so these are absolute numbers, with the plain run's cost per interrupt beside
// them for scale):
//   - step: one "step over" in the ISR, from request to stop;
//   - breakpoint under an interrupt storm: a breakpoint in the IOCTL path hit after a storm of
//     N sample interrupts, against the same run without a debugger;
//   - step back as a function of history length: by deterministic re-execution from boot, and
//     from the checkpoints the adapter prepares in idle time while stopped.
//
//   npm run bench:debugger     (node --import tsx bench/debugger.ts [--runs N])

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MachineDebugger } from '../kernel-sim/debug/debugger';
import { loadProject } from '../debug-adapter/load';

const root = join(__dirname, '..');
const EXAMPLE = join(root, 'examples', 'dpcforisr');
const SOURCE = join(EXAMPLE, 'driver.c');
const TEXT = readFileSync(SOURCE, 'utf8').split('\n');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 3) : 3;

function lineOf(marker: string, after: string): number {
  const from = TEXT.findIndex((l) => l.includes(after));
  return TEXT.findIndex((l, k) => k > from && l.includes(marker)) + 1;
}

/** A copy of the example's project with a read of `samples` ULONG samples (one interrupt each), then an IOCTL. */
function project(dir: string, samples: number): string {
  const cfg = JSON.parse(readFileSync(join(EXAMPLE, 'kdsim.json'), 'utf8')) as { sources: string[]; includePaths?: string[]; devices: Array<{ params: Record<string, unknown> }>; scenario: { until: string; requests: Array<Record<string, unknown>>; expect: unknown[] } };
  cfg.sources = cfg.sources.map((s) => join(EXAMPLE, s));
  cfg.includePaths = (cfg.includePaths ?? ['.']).map((p) => join(EXAMPLE, p));
  cfg.devices[0].params.conversionTimeUs = 5;
  cfg.scenario.requests = [
    { major: 'read', at: '1ms', length: samples * 4 },
    { major: 'ioctl', at: `${2 + (samples * 8) / 1000}ms`, ioctl: '0x8A516004', length: 4 },
  ];
  cfg.scenario.until = `${4 + (samples * 8) / 1000}ms`;
  cfg.scenario.expect = [];
  const file = join(dir, `storm-${samples}.json`);
  writeFileSync(file, JSON.stringify(cfg));
  return file;
}

function debuggerFor(file: string): MachineDebugger {
  const r = loadProject(file);
  if (!r.ok) throw new Error(r.message);
  return new MachineDebugger(r.machine, { module: r.config.name, recreate: r.recreate });
}

function untilStop(dbg: MachineDebugger): { cpu: number } {
  for (;;) {
    const o = dbg.advance(() => false);
    if (o.kind === 'stopped') return o.stop;
    if (o.kind === 'ended') throw new Error('ended before stopping');
  }
}

function best(f: () => number): number {
  let b = Infinity;
  for (let i = 0; i < RUNS; i++) b = Math.min(b, f());
  return b;
}

const dir = mkdtempSync(join(tmpdir(), 'kdsim-bench-dbg-'));
try {
  const isrLine = lineOf('if ((status & SMP_STATUS_CAUSES) == 0) {', 'BOOLEAN SmpInterruptService(');
  const ioctlLine = lineOf('PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;', 'NTSTATUS SmpDispatchDeviceControl(');

  // Step over in the ISR: median of 20 steps.
  const stepMs = best(() => {
    const dbg = debuggerFor(project(dir, 50));
    dbg.breakpoints.setForFile(SOURCE, [{ line: isrLine }]);
    dbg.start(false);
    let s = untilStop(dbg);
    dbg.breakpoints.setForFile(SOURCE, []);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      dbg.step(s.cpu, 'over');
      s = untilStop(dbg);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  });
  console.log(`kdsim debugger benchmark: examples/dpcforisr, best of ${RUNS}; node ${process.version}`);
  console.log(`  step over (ISR line)                              ${stepMs.toFixed(3)} ms`);

  // Breakpoint after a storm of N interrupts vs the plain run to the same point.
  for (const n of [1000, 4000]) {
    const file = project(dir, n);
    const plainMs = best(() => {
      const r = loadProject(file);
      if (!r.ok) throw new Error(r.message);
      const t = performance.now();
      r.machine.run();
      return performance.now() - t;
    });
    const hitMs = best(() => {
      const dbg = debuggerFor(file);
      dbg.breakpoints.setForFile(SOURCE, [{ line: ioctlLine }]);
      dbg.start(false);
      const t = performance.now();
      untilStop(dbg);
      return performance.now() - t;
    });
    console.log(`  breakpoint after ${String(n).padStart(5)} interrupts               ${hitMs.toFixed(1)} ms (plain run to the end: ${plainMs.toFixed(1)} ms)`);
  }

  // Step back with K interrupts of history.
  for (const k of [1, 10, 100, 1000]) {
    const file = project(dir, k + 2);
    const ms = best(() => {
      const dbg = debuggerFor(file);
      dbg.breakpoints.setForFile(SOURCE, [{ line: isrLine, hitCondition: String(k) }]);
      dbg.start(false);
      const s = untilStop(dbg);
      dbg.step(s.cpu, 'over');
      const s2 = untilStop(dbg);
      const t = performance.now();
      const r = dbg.stepBack(s2.cpu);
      if (r.kind !== 'stopped') throw new Error(`step back: ${r.kind === 'error' ? r.message : r.kind}`);
      return performance.now() - t;
    });
    // The same with the idle-time preparation done (as the adapter does while stopped):
    // checkpoints at the stop and where a step back lands; the time that took is idle time.
    let idleMs = 0;
    const prepared = (dbg: MachineDebugger): void => {
      const t = performance.now();
      while (dbg.prepare(() => false));
      idleMs = Math.max(idleMs, performance.now() - t);
    };
    const fastMs = best(() => {
      const dbg = debuggerFor(file);
      dbg.breakpoints.setForFile(SOURCE, [{ line: isrLine, hitCondition: String(k) }]);
      dbg.start(false);
      const s = untilStop(dbg);
      prepared(dbg);
      dbg.step(s.cpu, 'over');
      const s2 = untilStop(dbg);
      prepared(dbg);
      const t = performance.now();
      const r = dbg.stepBack(s2.cpu);
      if (r.kind !== 'stopped' || dbg.lastTravel !== 'checkpoint') throw new Error(`step back: ${r.kind === 'error' ? r.message : `${r.kind} via ${dbg.lastTravel ?? '?'}`}`);
      return performance.now() - t;
    });
    // Step back right after a breakpoint hit (no step before it): lands just before the breakpoint.
    const afterHitMs = best(() => {
      const dbg = debuggerFor(file);
      dbg.breakpoints.setForFile(SOURCE, [{ line: isrLine, hitCondition: String(k) }]);
      dbg.start(false);
      const s = untilStop(dbg);
      prepared(dbg);
      const t = performance.now();
      const r = dbg.stepBack(s.cpu);
      if (r.kind !== 'stopped' || dbg.lastTravel !== 'checkpoint') throw new Error(`step back after a hit: ${r.kind === 'error' ? r.message : `${r.kind} via ${dbg.lastTravel ?? '?'}`}`);
      return performance.now() - t;
    });
    console.log(`  step back after ${String(k).padStart(5)} interrupts of history     ${ms.toFixed(1)} ms from boot; ${fastMs.toFixed(1)} ms from checkpoints (${afterHitMs.toFixed(1)} ms right after the hit; idle preparation up to ${idleMs.toFixed(0)} ms)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
