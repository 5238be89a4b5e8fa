// The kdsim side of bench/kernel.mjs: examples/dpcforisr on a 1-CPU Machine, N read requests
// of 4 bytes all issued at 1 ms, a 1 µs conversion time, run until the last read completes
// (then the scenario's end and the driver's removal).
//
//   node --import tsx bench/kernel-sim-run.ts N1[,N2...] [--runs R] [--warmup W]
//
// Compiles the driver once; then W warm-up runs at N1 (JIT), then R rounds of one run per N.
// Each run builds a fresh Machine (Machine.create is not timed) and times Machine.run() only.
// Prints one JSON object: { cpus, verifier, sizes: [{ n, bestMs, runsMs, ok, problems,
// isr, dpc, completed, checksum, simSpanNs }] } where simSpanNs is the simulated time from
// issuing the reads to the last completion. Exits 1 (reason on stderr) if the driver does
// not load or a run throws.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compile, formatDiagnostic } from '../kernel-sim/c';
import { kernelHeaderProgram, Machine } from '../kernel-sim/machine';
import { parseProject } from '../kernel-sim/scenario/project';
import type { ProjectConfig } from '../kernel-sim/scenario/project-types';
import { loadSimulatedHeaders, NodeFileHost } from '../node-host/files';

const PROJECT = join(__dirname, '..', 'examples', 'dpcforisr', 'kdsim.json');
const ISSUE_AT_NS = 1_000_000;
const CONVERSION_US = 1;
/** Simulated time allowed per read before the scenario ends (a cycle takes ~3.5 µs). */
const BUDGET_PER_READ_NS = 100_000;

function fail(why: string): never {
  process.stderr.write(`kernel-sim-run: ${why}\n`);
  process.exit(1);
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) fail(`bad value for ${name}`);
  return v;
}

const sizes = (process.argv[2] ?? '').split(',').map(Number);
if (sizes.length === 0 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
  fail('usage: node --import tsx bench/kernel-sim-run.ts N1[,N2...] [--runs R] [--warmup W]');
}
const RUNS = Math.max(1, option('--runs', 3));
const WARMUP = option('--warmup', 1);

/** kdsim.json of the example, changed to 1 CPU, a 1 µs conversion and N reads at 1 ms. */
function projectConfig(n: number): ProjectConfig {
  const parsed = parseProject(readFileSync(PROJECT, 'utf8'), dirname(PROJECT));
  const errors = parsed.errors.filter((e) => (e.severity ?? 'error') === 'error');
  if (!parsed.config || errors.length > 0) fail(`${PROJECT}: ${errors.map((e) => e.message).join('; ')}`);
  const cfg = parsed.config;
  cfg.machine.cpus = 1;
  const device = cfg.devices[0];
  for (const r of device.resources) {
    if (r.type === 'interrupt') {
      r.affinity = 1;
      r.affinityMask = 1n;
    }
  }
  device.params = { ...device.params, conversionTimeUs: CONVERSION_US, errorEvery: 0 };
  cfg.scenario.stimuli = [];
  cfg.scenario.expect = [];
  cfg.scenario.requests = Array.from({ length: n }, () => ({ major: 'read' as const, atNs: ISSUE_AT_NS, length: 4 }));
  cfg.scenario.untilNs = ISSUE_AT_NS + 10_000_000 + n * BUDGET_PER_READ_NS;
  return cfg;
}

const headers = loadSimulatedHeaders();
const first = projectConfig(sizes[0]);
const compiled = compile(first.sources, { host: new NodeFileHost(), simulatedHeaders: headers, includePaths: first.includePaths, defines: first.defines });
if (!compiled.ok) fail(compiled.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
const layouts = kernelHeaderProgram(headers);

interface Measured {
  hostMs: number;
  isr: number;
  dpc: number;
  completed: number;
  checksum: number;
  simSpanNs: number;
  problems: string[];
}

function runOnce(n: number): Measured {
  const m = Machine.create(projectConfig(n), compiled.program, layouts);
  if (!(m instanceof Machine)) fail(`cannot load the driver: ${m.message}`);
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = process.hrtime.bigint();
  const r = m.run();
  const hostMs = Number(process.hrtime.bigint() - t0) / 1e6;

  let isr = 0;
  let dpc = 0;
  for (const e of m.trace.events) {
    if (e.kind === 'isr-enter' && e.routine === 'SmpInterruptService') isr++;
    else if (e.kind === 'dpc-run' && e.routine === 'SmpDpcForIsr') dpc++;
  }
  let completed = 0;
  let checksum = 0;
  let last = ISSUE_AT_NS;
  for (const q of r.requests) {
    if (q.major !== 'read' || !q.completed || q.status !== 0 || q.information !== 4 || !q.data || q.data.length !== 4) continue;
    completed++;
    checksum += (q.data[0] | (q.data[1] << 8) | (q.data[2] << 16) | (q.data[3] << 24)) >>> 0;
    last = Math.max(last, q.completedAtNs ?? 0);
  }
  const problems: string[] = [];
  if (r.bugCheck) problems.push(`bug check 0x${r.bugCheck.code.toString(16).toUpperCase()}${r.bugCheck.reason ? ` (${r.bugCheck.reason})` : ''}`);
  if (completed !== n) problems.push(`${completed} of ${n} reads completed with 4 bytes`);
  if (isr !== n) problems.push(`${isr} ISR runs for ${n} reads`);
  if (checksum !== (n * (n + 1)) / 2) problems.push(`checksum ${checksum}, expected ${(n * (n + 1)) / 2}`);
  return { hostMs, isr, dpc, completed, checksum, simSpanNs: last - ISSUE_AT_NS, problems };
}

for (let i = 0; i < WARMUP; i++) runOnce(sizes[0]);
const results = sizes.map((n) => ({ n, runs: [] as Measured[] }));
for (let round = 0; round < RUNS; round++) for (const s of results) s.runs.push(runOnce(s.n));

const verifier = first.verifier.enabled;
process.stdout.write(
  `${JSON.stringify({
    cpus: first.machine.cpus,
    verifier,
    sizes: results.map(({ n, runs }) => {
      const last = runs[runs.length - 1];
      return {
        n,
        bestMs: Math.min(...runs.map((r) => r.hostMs)),
        runsMs: runs.map((r) => Math.round(r.hostMs * 10) / 10),
        ok: runs.every((r) => r.problems.length === 0),
        problems: [...new Set(runs.flatMap((r) => r.problems))],
        isr: last.isr,
        dpc: last.dpc,
        completed: last.completed,
        checksum: last.checksum,
        simSpanNs: last.simSpanNs,
      };
    }),
  })}\n`,
);
