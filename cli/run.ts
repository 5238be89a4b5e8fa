// `kdsim run <kdsim.json | folder> [--until T] [--seed N] [--trace F.json] [--junit F.xml] [--json]`:
// runs a driver project headless (ARCHITECTURE "Interfaces"): DbgPrint output, a bug check as
// `!analyze -v` prints it, ISR/DPC statistics, expectations; exit 0 only if no unexpected bug
// check happened and every expectation held.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compile, formatDiagnostic } from '../kernel-sim/c';
import { kernelHeaderProgram, Machine } from '../kernel-sim/machine';
import { runOutcome } from '../kernel-sim/outcome';
import { bytesText, evaluateExpectations } from '../kernel-sim/scenario/expect';
import { toJUnitXml } from '../kernel-sim/scenario/junit';
import { parseProject } from '../kernel-sim/scenario/project';
import { parseDuration } from '../kernel-sim/scenario/values';
import { computeStats, formatStatsTable } from '../kernel-sim/trace/stats';
import { loadDeviceModules } from '../node-host/device-modules';
import { loadSimulatedHeaders, NodeFileHost } from '../node-host/files';
import type { CliIO } from './check';

const USAGE = 'usage: kdsim run <kdsim.json | folder> [--until <time>] [--seed N] [--trace <file.json>] [--junit <file.xml>] [--json] [--restricted]';

export function runRun(argv: readonly string[], io: CliIO): number {
  let input: string | undefined;
  const opts: { until?: number; seed?: number; trace?: string; junit?: string; json: boolean; restricted: boolean } = { json: false, restricted: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => argv[++i];
    if (a === '--json') opts.json = true;
    else if (a === '--restricted') opts.restricted = true;
    else if (a === '--until') {
      const v = parseDuration(value());
      if (v === undefined) return usage(io, '--until needs a duration such as 50ms or 2s');
      opts.until = v;
    } else if (a === '--seed') {
      const v = Number(value());
      if (!Number.isInteger(v)) return usage(io, '--seed needs an integer');
      opts.seed = v;
    } else if (a === '--trace') opts.trace = value();
    else if (a === '--junit') opts.junit = value();
    else if (a.startsWith('-')) return usage(io, `unknown option ${a}`);
    else if (input === undefined) input = a;
    else return usage(io, `unexpected argument ${a}`);
  }
  if (!input) return usage(io, 'no project given');
  const file = existsSync(input) && statSync(input).isDirectory() ? join(input, 'kdsim.json') : input;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    io.err(`kdsim run: ${file}: no such project file`);
    return 2;
  }
  const parsed = parseProject(text, dirname(resolve(file)));
  for (const e of parsed.errors) io.err(`${file}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.severity ?? 'error'}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
  const config = parsed.config;
  if (!config || parsed.errors.some((e) => (e.severity ?? 'error') === 'error')) return 2;
  if (opts.until !== undefined) config.scenario.untilNs = opts.until;
  if (opts.seed !== undefined) config.machine.seed = opts.seed;

  const headers = loadSimulatedHeaders();
  const r = compile(config.sources, { host: new NodeFileHost(), simulatedHeaders: headers, includePaths: config.includePaths, defines: config.defines });
  for (const d of r.diagnostics) io.err(formatDiagnostic(d));
  if (!r.ok) return 1;
  const loaded = loadDeviceModules(config, !opts.restricted);
  for (const e of loaded.errors) io.err(`kdsim run: ${config.name}: ${e}`);
  if (loaded.errors.length > 0) return 1;
  const machine = Machine.create(config, r.program, kernelHeaderProgram(headers), { deviceModules: loaded.modules });
  if (!(machine instanceof Machine)) {
    io.err(`kdsim run: ${config.name}: cannot load the driver: ${machine.message}`);
    return 1;
  }
  const started = performance.now();
  const result = machine.run();
  const hostMs = performance.now() - started;
  if (!opts.json) for (const line of result.log.join('').split('\n').filter((l, i, all) => l !== '' || i < all.length - 1)) io.out(line);
  if (result.bugCheck && result.analyze && !opts.json) io.out(result.analyze);
  if (result.error) io.err(`kdsim run: ${config.name}: ${result.error}`);
  if (!opts.json) {
    for (const w of result.warnings) io.out(`kdsim: warning: ${w.text} at ${(w.atNs / 1e6).toFixed(3)} ms on CPU ${w.cpu}${w.count > 1 ? ` (${w.count} times)` : ''}`);
  }

  const stats = computeStats(machine.trace.events, { totalNs: result.endNs, cpuCount: config.machine.cpus });
  const outcome = runOutcome(machine, result, stats);
  const checks = evaluateExpectations(config.scenario.expect, outcome);
  const failed = checks.filter((c) => !c.ok);
  if (opts.trace) writeFileSync(opts.trace, machine.traceJson());
  if (opts.junit) writeFileSync(opts.junit, toJUnitXml(config.name, checks, hostMs / 1000, { bugCheckText: result.analyze, output: result.log.join('') }));
  if (opts.json) {
    io.out(
      JSON.stringify(
        {
          project: config.name,
          simulatedNs: result.endNs,
          bugCheck: result.bugCheck ? { code: result.bugCheck.code, args: result.bugCheck.args.map((a) => `0x${a.toString(16)}`), source: result.bugCheck.source, stack: result.bugCheck.stack } : null,
          dbgPrint: result.log,
          requests: result.requests,
          deviceOutput: Object.fromEntries(machine.deviceOutput),
          classInput: result.classInput,
          maxDpcQueueDepth: result.maxDpcQueueDepth,
          leaks: result.leaks,
          warnings: result.warnings,
          expectations: checks,
          stats: { isr: stats.isr.routines.map((x) => ({ routine: x.routine, count: x.count, maxNs: x.maxNs })), dpc: stats.dpc.routines.map((x) => ({ routine: x.routine, count: x.count, maxNs: x.maxNs })) },
        },
        null,
        2,
      ),
    );
  } else {
    io.out('');
    for (const line of formatStatsTable(stats)) io.out(line);
    for (const [key, bytes] of machine.deviceOutput) io.out(`device output ${key}: ${bytesText(bytes)}`);
    for (const cls of ['keyboard', 'mouse'] as const) {
      const n = result.classInput.filter((p) => p.inputClass === cls).length;
      if (n > 0 || config.devices.some((d) => d.classDriver?.includes(cls))) io.out(`${cls} class driver: ${n} input packet${n === 1 ? '' : 's'} received`);
    }
    for (const c of checks) {
      if (c.ok) io.out(`ok   ${c.expectation}${c.detail ? ` — ${c.detail}` : ''}`);
      else {
        io.out(`FAIL expected: ${c.expectation}`);
        io.out(`     happened: ${c.detail}${c.atNs !== undefined ? ` (at ${formatTime(c.atNs)} simulated)` : ''}`);
      }
    }
    io.out(
      `kdsim run: ${config.name}: ${(result.endNs / 1e6).toFixed(3)} ms simulated on ${config.machine.cpus} CPU${config.machine.cpus === 1 ? '' : 's'} in ${hostMs.toFixed(0)} ms; ` +
        `${result.bugCheck ? `bug check 0x${result.bugCheck.code.toString(16).toUpperCase()}` : 'no bug check'}; ${checks.length - failed.length} passed, ${failed.length} failed` +
        (result.error ? '; the run did not complete (see above)' : ''),
    );
  }
  return failed.length > 0 || result.error ? 1 : 0;
}

/** Simulated time as kdsim prints it elsewhere: milliseconds with microsecond precision. */
function formatTime(ns: number): string {
  return `${(ns / 1e6).toFixed(3)} ms`;
}

function usage(io: CliIO, why: string): number {
  io.err(`kdsim run: ${why}\n${USAGE}`);
  return 2;
}
