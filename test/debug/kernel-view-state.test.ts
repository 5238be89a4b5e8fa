// The Kernel View's extras in the kdsim/state payload: the timeline's activations and IRQL
// steps, the duration statistics, the DbgPrint window and the routines' definitions. They are
// accumulated incrementally, so the tests also check that building the state at every stop
// gives what one build at the end gives, and that a rewound trace is read again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MachineDebugger } from '../../kernel-sim/debug/debugger';
import { buildState } from '../../kernel-sim/debug/state';
import type { KdsimState } from '../../kernel-sim/debug/state-types';
import { loadProject } from '../../debug-adapter/load';

const root = resolve(__dirname, '..', '..');
const EXAMPLE = join(root, 'examples', 'dpcforisr');
const SOURCE = join(EXAMPLE, 'driver.c');
const TEXT = readFileSync(SOURCE, 'utf8').split('\n');

function finished(): ReturnType<typeof loadProject> & { ok: true } {
  const r = loadProject(EXAMPLE);
  assert.ok(r.ok, r.ok ? '' : r.message);
  r.machine.run();
  return r;
}

/** The parts built from the trace (the rest reads the machine's present state). */
const extras = (s: KdsimState): unknown => ({ timeline: { ...s.timeline, toNs: 0 }, latency: s.latency, log: s.log, stats: s.stats });

test('the timeline pairs every ISR and DPC activation with its end, on its processor, in start order', () => {
  const { machine } = finished();
  const s = buildState(machine, 1, true);
  const tl = s.timeline;
  assert.ok(tl);
  const isrs = tl.segments.filter((x) => x.kind === 'isr');
  const dpcs = tl.segments.filter((x) => x.kind === 'dpc');
  assert.equal(isrs.length, 18);
  assert.equal(dpcs.length, 18);
  for (const x of isrs) {
    assert.equal(x.name, 'SmpInterruptService');
    assert.equal(x.vector, 0x91);
    assert.equal(x.claimed, true);
    assert.ok(x.endNs !== undefined && x.endNs > x.startNs);
  }
  for (const x of dpcs) {
    assert.equal(x.name, 'SmpDpcForIsr');
    assert.ok(x.queuedAtNs !== undefined && x.queuedAtNs <= x.startNs);
    // The DpcForIsr runs on the processor whose ISR queued it, after that ISR.
    assert.ok(isrs.some((i) => i.cpu === x.cpu && (i.endNs ?? 0) <= x.startNs && i.startNs <= (x.queuedAtNs ?? 0)));
  }
  for (let i = 1; i < tl.segments.length; i++) assert.ok(tl.segments[i - 1].startNs <= tl.segments[i].startNs || tl.segments[i - 1].cpu !== tl.segments[i].cpu);
  assert.ok(tl.segments.some((x) => x.kind === 'thread' && x.name.includes('request')));
  assert.equal(tl.irql.length, 2);
  // Each ISR raised its processor to the device IRQL (9) while it ran.
  for (const x of isrs) assert.ok(tl.irql[x.cpu].some(([t, irql]) => irql === 9 && t <= x.startNs + 1000 && t >= x.startNs - 1000), `IRQL 9 near ${x.startNs}`);
});

test('duration statistics: per routine histograms, ISR-to-DPC latency per pair, highest with when', () => {
  const { machine } = finished();
  const lat = buildState(machine, 1, true).latency;
  assert.ok(lat);
  assert.equal(lat.isr.count, 18);
  assert.equal(lat.dpc.count, 18);
  assert.equal(lat.isrToDpc.count, 18);
  assert.ok(lat.isrToDpc.maxNs <= 50_000, 'the example expects at most 50 µs');
  const isr = lat.routines.find((r) => r.kind === 'isr');
  assert.ok(isr);
  assert.equal(isr.routine, 'SmpInterruptService');
  assert.equal(isr.vector, 0x91);
  assert.equal(isr.histogram.reduce((a, b) => a + b, 0), 18);
  assert.equal(isr.histogram.length, lat.bucketsUs.length);
  const seg = buildState(machine, 2, true).timeline?.segments.find((x) => x.kind === 'isr' && x.startNs === isr.maxAtNs);
  assert.ok(seg, 'the highest ISR is the one that started at maxAtNs');
  assert.equal((seg.endNs ?? 0) - seg.startNs, isr.maxNs);
  assert.deepEqual(lat.pairs.map((p) => [p.isr, p.dpc, p.count]), [['SmpInterruptService', 'SmpDpcForIsr', 18]]);
});

test('the DbgPrint window and the routines defined in the driver', () => {
  const { machine } = finished();
  const s = buildState(machine, 1, true);
  assert.deepEqual(s.log?.lines.map((l) => l.text), machine.k.log);
  assert.equal(s.log?.total, machine.k.log.length);
  const isr = s.routines?.SmpInterruptService;
  assert.ok(isr);
  assert.equal(isr.file, SOURCE);
  assert.match(TEXT[isr.line - 1], /SmpInterruptService\s*\(/);
  assert.ok(Object.values(s.routines ?? {}).every((p) => !p.file.startsWith('<')), 'no simulated-header helpers');
  // The Sampler has one interrupt line: the panel and the Fire Interrupt command offer it.
  assert.deepEqual(s.devices.map((d) => [d.id, d.interrupts]), [['sampler0', 1]]);
});

test('building the state at every stop gives the same extras as one build at the end', () => {
  const expected = extras(buildState(finished().machine, 1, true));
  const r = loadProject(EXAMPLE);
  assert.ok(r.ok);
  const dbg = new MachineDebugger(r.machine, { module: r.config.name });
  const line = TEXT.findIndex((l, i) => i > TEXT.findIndex((x) => x.includes('VOID SmpDpcForIsr(')) && l.includes('{')) + 2;
  dbg.breakpoints.setForFile(SOURCE, [{ line }]);
  dbg.start(false);
  let stops = 0;
  for (;;) {
    const o = dbg.advance(() => false);
    if (o.kind === 'ended') break;
    if (o.kind === 'running') continue;
    stops++;
    const s = buildState(dbg.machine, stops, true);
    assert.ok(s.cpus[o.stop.cpu].kind === 'dpc' || o.stop.reason === 'exception');
    // While the DPC runs, its segment is open.
    assert.ok(s.timeline?.segments.some((x) => x.kind === 'dpc' && x.cpu === o.stop.cpu && x.endNs === undefined));
    dbg.continue();
  }
  assert.ok(stops >= 18, `stopped ${stops} times`);
  dbg.machine.finish();
  assert.deepEqual(extras(buildState(dbg.machine, 99, true)), expected);
});

test('a trace rewound (time travel) is read again from the start', () => {
  const r = loadProject(EXAMPLE);
  assert.ok(r.ok);
  const m = r.machine;
  m.run();
  const all = m.trace.events.length;
  const full = extras(buildState(m, 1, true));
  const snap = m.trace.snapshot();
  // Rewind to the middle: restore a snapshot taken when half the events were recorded.
  const half = { epoch: snap.epoch, recorded: Math.floor(all / 2) };
  m.trace.restore(half);
  const s = buildState(m, 2, true);
  assert.ok((s.timeline?.segments.length ?? 0) < ((full as { timeline: { segments: unknown[] } }).timeline.segments.length));
  assert.ok((s.stats.interrupts) < 18);
});

test('a long run keeps bounded windows that start where their oldest complete data starts', () => {
  const r = loadProject(join(root, 'examples', 'customdpc-timer'));
  assert.ok(r.ok, r.ok ? '' : r.message);
  r.machine.run();
  const s = buildState(r.machine, 1, true);
  const tl = s.timeline;
  assert.ok(tl);
  assert.ok(tl.fromNs > 0, 'older activity was left out');
  assert.ok(tl.segments.length <= 1500);
  for (const steps of tl.irql) {
    assert.ok(steps.length <= 4000);
    for (const [t] of steps) assert.ok(t >= tl.fromNs);
  }
  // Every activation sent is at least partly inside the window.
  for (const x of tl.segments) assert.ok(x.endNs === undefined || x.endNs >= tl.fromNs);
  // The statistics still cover the whole run.
  assert.equal(s.latency?.isr.count, s.stats.interrupts);
  assert.ok((s.latency?.isr.count ?? 0) > tl.segments.filter((x) => x.kind === 'isr').length);
});
