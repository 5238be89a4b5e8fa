// Records the Kernel View's fixture states from real runs of the examples: the debugger
// stops at interesting moments (a breakpoint in the ISR just after it queued its DPC, then in
// the DpcForIsr) and the state the adapter would send is saved as JSON. Re-run after a change
// to the state's shape:  node --import tsx test/webview/record-states.ts
// Paths in the states are made relative to the repository so the fixtures do not depend on
// where it is checked out.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { MachineDebugger } from '../../kernel-sim/debug/debugger';
import { buildState } from '../../kernel-sim/debug/state';
import type { KdsimState } from '../../kernel-sim/debug/state-types';
import { loadProject } from '../../debug-adapter/load';
import type { SessionStatus } from '../../webview/protocol';

const root = resolve(__dirname, '..', '..');
const out = join(__dirname, 'fixtures');

export interface Fixture {
  description: string;
  session: SessionStatus;
  focusCpu?: number;
  state: KdsimState;
}

interface Stop {
  /** Saved as fixtures/<name>.json. */
  name: string;
  description: string;
  /** A line of the example's driver.c: the first line containing `marker` after `inFunction`. */
  inFunction: string;
  marker: string;
  /** Stop at this hit of the breakpoint (1-based). */
  hit: number;
}

let version = 0;

function relativize(s: KdsimState): KdsimState {
  const routines = Object.fromEntries(Object.entries(s.routines ?? {}).map(([name, p]) => [name, { ...p, file: relative(root, p.file).split('\\').join('/') }]));
  return { ...s, routines };
}

function lineOf(text: string[], inFunction: string, marker: string): number {
  const from = text.findIndex((l) => l.includes(inFunction));
  const i = text.findIndex((l, k) => k > from && l.includes(marker));
  if (from < 0 || i < 0) throw new Error(`no "${marker}" after "${inFunction}"`);
  return i + 1;
}

/** Runs `example`, stopping at each stop in turn, and saves the states (and the final one). */
function record(example: string, stops: Stop[], end: { name: string; description: string } | undefined): void {
  const dir = join(root, 'examples', example);
  const source = join(dir, 'driver.c');
  const text = stops.length > 0 ? readFileSync(source, 'utf8').split('\n') : [];
  const r = loadProject(dir);
  if (!r.ok) throw new Error(r.message);
  const dbg = new MachineDebugger(r.machine, { module: r.config.name });
  dbg.start(false);
  for (const stop of stops) {
    const line = lineOf(text, stop.inFunction, stop.marker);
    dbg.breakpoints.setForFile(source, [{ line }]);
    let hits = 0;
    for (;;) {
      const o = dbg.advance(() => false);
      if (o.kind === 'ended') throw new Error(`${example} ended before ${stop.name}`);
      if (o.kind === 'running') continue;
      if (o.stop.reason === 'breakpoint' && ++hits === stop.hit) {
        save(stop.name, { description: stop.description, session: 'stopped', focusCpu: o.stop.cpu, state: relativize(buildState(dbg.machine, ++version, true)) });
        break;
      }
      dbg.continue();
    }
    dbg.breakpoints.setForFile(source, []);
    dbg.continue();
  }
  if (!end) return;
  for (;;) {
    const o = dbg.advance(() => false);
    if (o.kind === 'ended') break;
    if (o.kind === 'stopped') dbg.continue();
  }
  save(end.name, { description: end.description, session: 'ended', state: relativize(buildState(dbg.machine, ++version, true)) });
}

function save(name: string, f: Fixture): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${name}.json`), `${JSON.stringify(f)}\n`);
  console.log(`fixtures/${name}.json: ${f.description} (CPU ${f.focusCpu ?? '-'}, ${f.state.timeline?.segments.length ?? 0} segments)`);
}

record(
  'dpcforisr',
  [
    { name: 'dpcforisr-isr', description: 'dpcforisr stopped in SmpInterruptService just after IoRequestDpc (5th interrupt)', inFunction: 'BOOLEAN SmpInterruptService(', marker: 'return TRUE;', hit: 5 },
    { name: 'dpcforisr-dpc', description: 'dpcforisr stopped in the SmpDpcForIsr that interrupt queued', inFunction: 'VOID SmpDpcForIsr(', marker: 'PSMP_EXTENSION ext', hit: 1 },
  ],
  { name: 'dpcforisr-end', description: 'dpcforisr run to its end (10 ms)' },
);
record('customdpc-timer', [], { name: 'customdpc-timer-end', description: 'customdpc-timer run to its end: timer DPCs and a CustomDpc' });
record('buggy/paged-pool-at-dispatch', [], { name: 'bugcheck-end', description: 'buggy/paged-pool-at-dispatch: bug check 0xD1 in the DpcForIsr' });
