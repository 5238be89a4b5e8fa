// kdsim.json → ProjectConfig: strict JSON with positions, hand-written validation that
// reports every problem (errors and warnings, each with a JSON pointer and line/column),
// defaults applied, paths resolved against the project folder. Pure: the caller reads the
// file. The JSON Schema (kdsim.schema.json) describes the same shape for editors.

import { Checker, child, type ProjectError } from './check';
import { join, normalize, toSlashes } from '../c/path';
import { readJson } from './json-source';
import { readDevices } from './project-devices';
import { readScenario } from './project-scenario';
import type { CostModel, MachineConfig, ProjectConfig, VerifierConfig, WatchdogConfig } from './project-types';

export type { ProjectError, Severity } from './check';
export { parseDuration, parseNumber, parseBigNumber, formatDuration } from './values';
export { STATUS_NAMES, statusName, formatStatus, BUGCHECK_NAMES, bugCheckName, formatBugCheck } from './names';
export { parseStatus, parseBugCheckCode } from './project-expect';

export const DEFAULT_COST: Readonly<CostModel> = {
  statement: 1,
  ddiCall: 20,
  portIo: 1000,
  registerIo: 150,
  interruptEntry: 400,
  interruptExit: 200,
  dpcDispatch: 150,
  contextSwitch: 1500,
};

export const DEFAULT_MACHINE: Readonly<Omit<MachineConfig, 'cost'>> = {
  cpus: 2,
  seed: 1,
  timeIncrement: 156250,
  interruptDelivery: 'lowest-irql',
  memoryMiB: 256,
};

export const DEFAULT_VERIFIER: Readonly<VerifierConfig> = { enabled: true, forceIrqlChecking: true, poolTracking: true, guidanceWarnings: true };

export const DEFAULT_WATCHDOG: Readonly<WatchdogConfig> = { dpcTimeLimitTicks: 1280, dpcWatchdogPeriodTicks: 7680, isrWarnUs: 25, dpcWarnUs: 100 };

const TOP_KEYS = ['$schema', 'name', 'description', 'sources', 'includePaths', 'defines', 'machine', 'devices', 'scenario', 'verifier', 'watchdog'] as const;
const MACHINE_KEYS = ['cpus', 'seed', 'timeIncrement', 'interruptDelivery', 'memoryMiB', 'cost'] as const;
const DELIVERY = ['lowest-irql', 'round-robin', 'first'] as const;
const MACRO_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ParseResult {
  /** Present when there is no error (warnings allowed). */
  config?: ProjectConfig;
  /** Errors and warnings, in file order. */
  errors: ProjectError[];
}

/**
 * Parses and validates the text of a kdsim.json. `projectDir` is the (absolute) folder
 * holding it: sources and include paths are resolved against it, with forward slashes.
 */
export function parseProject(jsonText: string, projectDir: string): ParseResult {
  const src = readJson(jsonText);
  if (src.syntaxError) {
    const { message, pos } = src.syntaxError;
    return { errors: [{ path: '', message: `JSON syntax error: ${message}`, severity: 'error', line: pos.line, column: pos.column }] };
  }
  const c = new Checker(src);
  for (const dup of src.duplicateKeys) c.warn(dup, `property '${lastToken(dup)}' appears more than once; the last one is used`, 'key');
  const top = c.object(src.value, '', TOP_KEYS, 'a kdsim project');
  if (!top) return { errors: c.problems };
  const dir = normalize(toSlashes(projectDir));

  c.string(top.$schema, '/$schema');
  const name = c.string(top.name, '/name', { nonEmpty: true }) ?? defaultName(dir);
  const description = c.string(top.description, '/description');
  c.require(top, 'sources', '', 'the driver\'s C files, relative to the project folder');
  const sources = readPaths(c, top.sources, '/sources', dir, true);
  const includePaths = readPaths(c, top.includePaths, '/includePaths', dir, false);
  const defines = readDefines(c, top.defines);
  const machine = readMachine(c, top.machine);
  const { devices, interruptIds } = readDevices(c, top.devices, machine.cpus, dir);
  const classDrivers = new Map(devices.map((d) => [d.id, d.classDriver ?? []]));
  const scenario = readScenario(c, top.scenario, { ids: devices.map((d) => d.id), interruptIds, classDrivers });
  const verifier = readVerifier(c, top.verifier);
  const watchdog = readWatchdog(c, top.watchdog);
  scenario.expect.forEach((e, i) => {
    if (e.kind === 'no-leaks' && (!verifier.enabled || !verifier.poolTracking)) {
      c.warn(child('/scenario/expect', i), 'leaks are found by pool tracking: enable verifier.poolTracking (and verifier.enabled) for this check to mean anything');
    }
  });

  const errors = sortByPosition(c.problems);
  if (c.hasErrors()) return { errors };
  const config: ProjectConfig = { name, ...(description === undefined ? {} : { description }), sources, includePaths, defines, machine, devices, scenario, verifier, watchdog };
  return { config, errors };
}

/** `file:line:col: error: message [/pointer]`, like compiler diagnostics. */
export function formatProjectError(file: string, e: ProjectError): string {
  const where = e.line !== undefined ? `${file}:${e.line}:${e.column ?? 1}` : file;
  return `${where}: ${e.severity}: ${e.message}${e.path ? ` [${e.path}]` : ''}`;
}

function lastToken(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
}

function defaultName(dir: string): string {
  const base = dir.slice(dir.lastIndexOf('/') + 1);
  return base === '' || base === '.' || base === '..' ? 'project' : base;
}

function readPaths(c: Checker, v: unknown, path: string, dir: string, isSources: boolean): string[] {
  const list = c.array(v, path);
  if (!list) return [];
  if (isSources && list.length === 0) c.error(path, 'lists no C files');
  const out: string[] = [];
  list.forEach((raw, i) => {
    const p = child(path, i);
    const s = c.string(raw, p, { nonEmpty: true });
    if (s === undefined) return;
    const abs = join(dir, s);
    if (out.includes(abs)) c.warn(p, `'${s}' is listed twice`);
    else out.push(abs);
    if (isSources && !/\.c$/i.test(s)) c.warn(p, `'${s}' is not a .c file (headers are found through #include and includePaths)`);
  });
  return out;
}

function readDefines(c: Checker, v: unknown): Array<[string, string | undefined]> {
  const o = c.object(v, '/defines', Object.keys(v !== null && typeof v === 'object' ? v : {}));
  const out: Array<[string, string | undefined]> = [];
  if (!o) return out;
  for (const [name, value] of Object.entries(o)) {
    const p = child('/defines', name);
    if (!MACRO_RE.test(name)) {
      c.error(p, `'${name}' is not a valid macro name`, 'key');
      continue;
    }
    // Like -D NAME: null (or true) defines the macro as 1.
    if (value === null || value === true) out.push([name, undefined]);
    else if (typeof value === 'string') out.push([name, value]);
    else if (typeof value === 'number') out.push([name, String(value)]);
    else c.error(p, 'must be a string, a number or null (to leave a macro undefined, remove it)');
  }
  return out;
}

function readMachine(c: Checker, v: unknown): MachineConfig {
  const o = c.object(v, '/machine', MACHINE_KEYS, 'the machine') ?? {};
  const cpus = c.int(o.cpus, '/machine/cpus', { min: 1, max: 64 }) ?? DEFAULT_MACHINE.cpus;
  const seed = c.int(o.seed, '/machine/seed', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? DEFAULT_MACHINE.seed;
  const timeIncrement = c.int(o.timeIncrement, '/machine/timeIncrement', { min: 1000, max: 1_000_000 }) ?? DEFAULT_MACHINE.timeIncrement;
  if (o.timeIncrement !== undefined && (timeIncrement < 5000 || timeIncrement > 156250)) {
    c.warn('/machine/timeIncrement', 'Windows clock ticks are between 5000 (0.5 ms) and 156250 (15.625 ms) units of 100 ns');
  }
  const interruptDelivery = c.oneOf(o.interruptDelivery, '/machine/interruptDelivery', DELIVERY) ?? DEFAULT_MACHINE.interruptDelivery;
  const memoryMiB = c.int(o.memoryMiB, '/machine/memoryMiB', { min: 16, max: 4096 }) ?? DEFAULT_MACHINE.memoryMiB;
  const costObj = c.object(o.cost, '/machine/cost', Object.keys(DEFAULT_COST), 'the cost model') ?? {};
  const cost: CostModel = { ...DEFAULT_COST };
  for (const key of Object.keys(DEFAULT_COST) as Array<keyof CostModel>) {
    const ns = c.duration(costObj[key], child('/machine/cost', key));
    if (ns !== undefined) cost[key] = ns;
  }
  return { cpus, seed, timeIncrement, interruptDelivery, cost, memoryMiB };
}

function readVerifier(c: Checker, v: unknown): VerifierConfig {
  // `"verifier": false` is short for {"enabled": false}.
  if (typeof v === 'boolean') return { ...DEFAULT_VERIFIER, enabled: v };
  const o = c.object(v, '/verifier', Object.keys(DEFAULT_VERIFIER), 'the verifier options') ?? {};
  const out: VerifierConfig = { ...DEFAULT_VERIFIER };
  for (const key of Object.keys(DEFAULT_VERIFIER) as Array<keyof VerifierConfig>) {
    const b = c.bool(o[key], child('/verifier', key));
    if (b !== undefined) out[key] = b;
  }
  return out;
}

function readWatchdog(c: Checker, v: unknown): WatchdogConfig {
  const o = c.object(v, '/watchdog', Object.keys(DEFAULT_WATCHDOG), 'the watchdog options') ?? {};
  const limit = c.int(o.dpcTimeLimitTicks, '/watchdog/dpcTimeLimitTicks', { min: 1, max: 1e9 }) ?? DEFAULT_WATCHDOG.dpcTimeLimitTicks;
  const period = c.int(o.dpcWatchdogPeriodTicks, '/watchdog/dpcWatchdogPeriodTicks', { min: 1, max: 1e9 }) ?? DEFAULT_WATCHDOG.dpcWatchdogPeriodTicks;
  const isrWarnUs = c.number(o.isrWarnUs, '/watchdog/isrWarnUs', { positive: true }) ?? DEFAULT_WATCHDOG.isrWarnUs;
  const dpcWarnUs = c.number(o.dpcWarnUs, '/watchdog/dpcWarnUs', { positive: true }) ?? DEFAULT_WATCHDOG.dpcWarnUs;
  if (o.dpcWatchdogPeriodTicks !== undefined && o.dpcTimeLimitTicks !== undefined && period < limit) {
    c.warn('/watchdog/dpcWatchdogPeriodTicks', 'is shorter than dpcTimeLimitTicks: the cumulative limit will fire first');
  }
  return { dpcTimeLimitTicks: limit, dpcWatchdogPeriodTicks: period, isrWarnUs, dpcWarnUs };
}

// Cross-checks run after the pass that found them: sort so the list reads top to bottom.
function sortByPosition(errors: ProjectError[]): ProjectError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.line ?? Infinity) - (b.e.line ?? Infinity) || (a.e.column ?? 0) - (b.e.column ?? 0) || a.i - b.i)
    .map((x) => x.e);
}
