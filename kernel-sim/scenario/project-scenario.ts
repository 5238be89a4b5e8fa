// kdsim.json "scenario": how long to run, the device stimuli (when devices raise their
// interrupts), the IRPs sent to the driver, and the expectations (project-expect.ts).

import { Checker, child, type JsonObject } from './check';
import { suggestDevice } from './project-devices';
import { readExpectations } from './project-expect';
import type { InputClass, RequestConfig, ScenarioConfig, Stimulus } from './project-types';
import { formatDuration } from './values';

export const DEFAULT_UNTIL_NS = 1e9;
/** Expanded stimuli kept in memory at most (a typo in a period should not exhaust memory). */
export const MAX_STIMULI = 1_000_000;

const SCENARIO_KEYS = ['until', 'stimuli', 'requests', 'expect'] as const;
const STIMULUS_KINDS = ['interrupt', 'periodic', 'burst', 'random', 'action'] as const;
const COMMON_STIMULUS_KEYS = ['kind', 'device', 'data'] as const;
const STIMULUS_KEYS: Record<Stimulus['kind'], readonly string[]> = {
  interrupt: [...COMMON_STIMULUS_KEYS, 'at'],
  periodic: [...COMMON_STIMULUS_KEYS, 'start', 'period', 'count'],
  burst: [...COMMON_STIMULUS_KEYS, 'at', 'count', 'spacing'],
  random: [...COMMON_STIMULUS_KEYS, 'start', 'end', 'count', 'seed'],
  action: [...COMMON_STIMULUS_KEYS, 'at', 'action', 'args'],
};
const MAJORS = ['create', 'close', 'read', 'write', 'ioctl', 'internal-ioctl'] as const;
const REQUEST_KEYS = ['major', 'device', 'at', 'length', 'ioctl', 'data', 'text', 'cancelAfter'] as const;

export interface DeviceRefs {
  ids: string[];
  /** Devices with an interrupt resource: only they can be stimulated. */
  interruptIds: Set<string>;
  /** Device id → the input classes connected above it (its `classDriver`). */
  classDrivers: ReadonlyMap<string, readonly InputClass[]>;
}

export function readScenario(c: Checker, v: unknown, refs: DeviceRefs): ScenarioConfig {
  const o = c.object(v, '/scenario', SCENARIO_KEYS, 'the scenario') ?? {};
  const untilNs = c.duration(o.until, '/scenario/until', { positive: true }) ?? DEFAULT_UNTIL_NS;
  const stimuli: Stimulus[] = [];
  (c.array(o.stimuli, '/scenario/stimuli') ?? []).forEach((raw, i) => {
    const s = readStimulus(c, raw, child('/scenario/stimuli', i), refs, untilNs);
    if (s) stimuli.push(s);
  });
  const total = stimuli.reduce((n, s) => n + (s.kind === 'interrupt' || s.kind === 'action' ? 1 : s.count), 0);
  if (total > MAX_STIMULI) c.error('/scenario/stimuli', `the stimuli expand to ${total} events, more than the ${MAX_STIMULI} allowed`);
  const rawRequests = c.array(o.requests, '/scenario/requests') ?? [];
  const requests: RequestConfig[] = [];
  rawRequests.forEach((raw, i) => {
    const r = readRequest(c, raw, child('/scenario/requests', i), refs, untilNs);
    if (r) requests.push(r);
  });
  // Expectations name requests by their index in the JSON array, valid or not.
  const expect = readExpectations(c, o.expect, '/scenario/expect', { requestCount: rawRequests.length, deviceIds: refs.ids, classDrivers: refs.classDrivers });
  return { untilNs, stimuli, expect, requests };
}

function readStimulus(c: Checker, raw: unknown, path: string, refs: DeviceRefs, untilNs: number): Stimulus | undefined {
  const peek = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as JsonObject).kind : undefined;
  const known = typeof peek === 'string' && peek in STIMULUS_KEYS ? STIMULUS_KEYS[peek as Stimulus['kind']] : [...new Set(Object.values(STIMULUS_KEYS).flat())];
  const o = c.object(raw, path, known, typeof peek === 'string' ? `a '${peek}' stimulus` : 'a stimulus');
  if (!o) return undefined;
  if (!c.require(o, 'kind', path, STIMULUS_KINDS.map((k) => `'${k}'`).join(', '))) return undefined;
  const kind = c.oneOf(o.kind, child(path, 'kind'), STIMULUS_KINDS);
  c.require(o, 'device', path, o.kind === 'action' ? 'the id of the device that acts' : 'the id of the device that raises the interrupt');
  const device = readDeviceRef(c, o.device, child(path, 'device'), refs, o.kind !== 'action');
  const data = c.int(o.data, child(path, 'data'), { min: 0, max: 0xffffffff });
  if (kind === undefined || device === undefined) return undefined;
  const p = (k: string): string => child(path, k);
  const extra = data === undefined ? {} : { data };
  let s: Stimulus | undefined;
  let firstNs: number | undefined;
  if (kind === 'action') {
    // Which actions a model accepts is the model's business: it reports unknown ones at run time.
    c.require(o, 'at', path, 'when the action happens');
    c.require(o, 'action', path, "the model's action, e.g. 'receive', 'type', 'move'");
    const atNs = c.duration(o.at, p('at'));
    const action = c.string(o.action, p('action'), { nonEmpty: true });
    // Any keys: the arguments belong to the model.
    const args = o.args === undefined ? {} : c.object(o.args, p('args'), typeof o.args === 'object' && o.args !== null ? Object.keys(o.args) : [], 'the action arguments');
    if (atNs !== undefined && action !== undefined && args) s = { kind, device, atNs, action, args: { ...args }, ...extra };
    firstNs = atNs;
  } else if (kind === 'interrupt') {
    c.require(o, 'at', path, 'when the device interrupts');
    const atNs = c.duration(o.at, p('at'));
    if (atNs !== undefined) s = { kind, device, atNs, ...extra };
    firstNs = atNs;
  } else if (kind === 'periodic') {
    const startNs = c.duration(o.start, p('start')) ?? 0;
    c.require(o, 'period', path, 'time between interrupts');
    const periodNs = c.duration(o.period, p('period'), { positive: true });
    const given = c.int(o.count, p('count'), { min: 1, max: MAX_STIMULI });
    // Without a count the device keeps interrupting until the scenario ends.
    if (periodNs !== undefined && (o.count === undefined || given !== undefined)) {
      const count = given ?? Math.max(0, Math.ceil((untilNs - startNs) / periodNs));
      s = { kind, device, startNs, periodNs, count, ...extra };
    }
    firstNs = startNs;
  } else if (kind === 'burst') {
    c.require(o, 'at', path, 'when the burst starts');
    c.require(o, 'count', path, 'number of interrupts');
    c.require(o, 'spacing', path, 'time between the interrupts of the burst');
    const atNs = c.duration(o.at, p('at'));
    const count = c.int(o.count, p('count'), { min: 1, max: MAX_STIMULI });
    const spacingNs = c.duration(o.spacing, p('spacing'));
    if (atNs !== undefined && count !== undefined && spacingNs !== undefined) s = { kind, device, atNs, count, spacingNs, ...extra };
    firstNs = atNs;
  } else {
    const startNs = c.duration(o.start, p('start')) ?? 0;
    const endNs = c.duration(o.end, p('end')) ?? untilNs;
    c.require(o, 'count', path, 'number of interrupts');
    const count = c.int(o.count, p('count'), { min: 1, max: MAX_STIMULI });
    const seed = c.int(o.seed, p('seed'), { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (endNs <= startNs) c.error(o.end === undefined ? p('start') : p('end'), `the window is empty: end (${formatDuration(endNs)}) must be after start (${formatDuration(startNs)})`);
    else if (count !== undefined && (o.seed === undefined || seed !== undefined)) s = { kind, device, startNs, endNs, count, ...(seed === undefined ? {} : { seed }), ...extra };
    firstNs = startNs;
  }
  if (firstNs !== undefined && firstNs >= untilNs) c.warn(path, `starts at ${formatDuration(firstNs)}, after the scenario ends (until ${formatDuration(untilNs)}): never delivered`);
  return s;
}

function readDeviceRef(c: Checker, v: unknown, path: string, refs: DeviceRefs, needsInterrupt: boolean): string | undefined {
  const id = c.string(v, path, { nonEmpty: true });
  if (id === undefined) return undefined;
  if (!refs.ids.includes(id)) {
    c.error(path, `no device has id '${id}'${suggestDevice(id, refs.ids)}`);
    return undefined;
  }
  if (needsInterrupt && !refs.interruptIds.has(id)) {
    c.error(path, `device '${id}' has no interrupt resource to raise`);
    return undefined;
  }
  return id;
}

function readRequest(c: Checker, raw: unknown, path: string, refs: DeviceRefs, untilNs: number): RequestConfig | undefined {
  const o = c.object(raw, path, REQUEST_KEYS, 'a request');
  if (!o) return undefined;
  const p = (k: string): string => child(path, k);
  c.require(o, 'major', path, MAJORS.map((m) => `'${m}'`).join(', '));
  const major = c.oneOf(o.major, p('major'), MAJORS);
  const device = o.device === undefined ? undefined : readDeviceRef(c, o.device, p('device'), refs, false);
  const atNs = c.duration(o.at, p('at')) ?? 0;
  const length = c.int(o.length, p('length'), { min: 0, max: 0xffffffff });
  const ioctl = c.int(o.ioctl, p('ioctl'), { min: 0, max: 0xffffffff });
  if (o.data !== undefined && o.text !== undefined) c.error(p('text'), "give the input as 'data' (bytes) or 'text', not both");
  const data = o.text !== undefined ? readText(c, o.text, p('text')) : readBytes(c, o.data, p('data'));
  const cancelAfterNs = c.duration(o.cancelAfter, p('cancelAfter'), { positive: true });
  if (major === undefined) return undefined;
  const isIoctl = major === 'ioctl' || major === 'internal-ioctl';
  if (isIoctl) c.require(o, 'ioctl', path, 'the I/O control code, e.g. "0x222004"');
  else if (o.ioctl !== undefined) c.warn(p('ioctl'), `an I/O control code is meaningless for a '${major}' request; it is ignored`);
  const dataKey = o.text !== undefined ? 'text' : 'data';
  if (o[dataKey] !== undefined && (major === 'read' || major === 'create' || major === 'close')) c.warn(p(dataKey), `a '${major}' request carries no input data; it is ignored`);
  if (o.length !== undefined && (major === 'create' || major === 'close')) c.warn(p('length'), `a '${major}' request has no buffer; 'length' is ignored`);
  if (atNs >= untilNs) c.warn(p('at'), `issued at ${formatDuration(atNs)}, after the scenario ends (until ${formatDuration(untilNs)}): never sent`);
  const r: RequestConfig = { major, atNs };
  if (device !== undefined) r.device = device;
  // A write without a length transfers its data.
  const len = length ?? (major === 'write' && data ? data.length : undefined);
  if (len !== undefined) r.length = len;
  if (ioctl !== undefined && isIoctl) r.ioctl = ioctl;
  if (data !== undefined) r.data = data;
  if (cancelAfterNs !== undefined) r.cancelAfterNs = cancelAfterNs;
  return r;
}

/** Input given as text: one byte per (Latin-1) character. */
function readText(c: Checker, v: unknown, path: string): number[] | undefined {
  const s = c.string(v, path);
  if (s === undefined) return undefined;
  if ([...s].some((ch) => ch.charCodeAt(0) > 0xff)) {
    c.error(path, "text must be Latin-1 (one byte per character); use 'data' for other bytes");
    return undefined;
  }
  return [...s].map((ch) => ch.charCodeAt(0));
}

function readBytes(c: Checker, v: unknown, path: string): number[] | undefined {
  const arr = c.array(v, path);
  if (!arr) return undefined;
  const out: number[] = [];
  arr.forEach((b, i) => {
    const n = c.int(b, child(path, i), { min: 0, max: 255 });
    if (n !== undefined) out.push(n);
  });
  return out.length === arr.length ? out : undefined;
}
