// Judges a finished run against the scenario's expectations. A scenario that says nothing
// about bug checks implicitly expects none: a crash is never a silent pass (see
// withImpliedExpectations). Checks that name a routine fail when it never ran, since a
// misspelt name would otherwise pass unnoticed.

import { formatFieldValue, INPUT_PACKETS } from './input-packets';
import { formatBugCheck, formatStatus } from './names';
import type { Expectation, InputClass } from './project-types';
import { formatDuration, hex } from './values';

/** A packet the simulated class driver's service callback received. */
export interface ClassPacket {
  inputClass: InputClass;
  /** Id of the device whose stack delivered it. */
  device: string;
  atNs: number;
  cpu: number;
  /** Every field of the packet, normalised (see input-packets.ts). */
  fields: Record<string, number>;
}

export interface RunOutcome {
  /** Simulated time at which the run ended. */
  endNs: number;
  bugCheck?: { code: number; args: [bigint, bigint, bigint, bigint]; atNs?: number };
  /** Each DbgPrint message (one per call), as formatted. */
  dbgPrint: string[];
  /** When each DbgPrint message was printed (same order), when known. */
  dbgPrintAtNs?: number[];
  requests: {
    /** Index in scenario.requests. */
    index: number;
    completed: boolean;
    status?: number;
    information?: number;
    completedAtNs?: number;
    issuedAtNs: number;
    data?: number[];
  }[];
  /** Routine name → number of runs. */
  isrRuns: Map<string, number>;
  dpcRuns: Map<string, number>;
  /** Routine name → its longest single run, in simulated ns, and when it started. */
  maxDurationNs: Map<string, number>;
  maxDurationAtNs?: Map<string, number>;
  /** Longest time from an ISR's IoRequestDpc/KeInsertQueueDpc to the DPC starting. */
  maxIsrToDpcLatencyNs?: number;
  maxIsrToDpcLatencyAtNs?: number;
  leaks: { tag: string; size: number; address: string }[];
  /** What devices sent out, by "device:kind". */
  deviceOutput?: ReadonlyMap<string, readonly number[]>;
  classInput?: readonly ClassPacket[];
  /** Deepest any processor's DPC queue got, where and when. */
  maxDpcQueueDepth?: { depth: number; cpu: number; atNs: number };
}

export interface ExpectationResult {
  /** Readable statement of what was expected. */
  expectation: string;
  ok: boolean;
  /** What was observed. */
  detail: string;
  /** Simulated time of what was observed (the bug check, the longest run...), when it has one. */
  atNs?: number;
}

interface Judgement {
  ok: boolean;
  detail: string;
  atNs?: number;
}

/** The expectations actually judged: `expect`, preceded by "no bug check" when it has no bug check expectation. */
export function withImpliedExpectations(expect: readonly Expectation[]): Array<{ e: Expectation; implied: boolean }> {
  const mentionsBugCheck = expect.some((e) => e.kind === 'bugcheck' || e.kind === 'no-bugcheck');
  const list = expect.map((e) => ({ e, implied: false }));
  return mentionsBugCheck ? list : [{ e: { kind: 'no-bugcheck' }, implied: true }, ...list];
}

export function evaluateExpectations(expect: readonly Expectation[], o: RunOutcome): ExpectationResult[] {
  return withImpliedExpectations(expect).map(({ e, implied }) => {
    const r = judge(e, o);
    const out: ExpectationResult = { expectation: describeExpectation(e) + (implied ? ' (implied)' : ''), ok: r.ok, detail: r.detail };
    if (r.atNs !== undefined) out.atNs = r.atNs;
    return out;
  });
}

export function allHeld(results: readonly ExpectationResult[]): boolean {
  return results.every((r) => r.ok);
}

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'no-bugcheck':
      return 'no bug check';
    case 'bugcheck':
      return `bug check ${formatBugCheck(e.code)}${e.p1 !== undefined ? ` with parameter 1 = ${hex(e.p1)}` : ''}`;
    case 'dbgprint':
      return `DbgPrint matching /${e.match}/ ${times(e.count, e.min, e.max)}`;
    case 'irp-complete': {
      let s = `request ${e.request} completes`;
      if (e.status !== undefined) s += ` with ${formatStatus(e.status)}`;
      if (e.information !== undefined) s += ` and Information ${e.information}`;
      if (e.data !== undefined) s += ` returning ${bytesText(e.data)}`;
      if (e.withinNs !== undefined) s += ` within ${formatDuration(e.withinNs)}`;
      return s;
    }
    case 'dpc-runs':
      return `DPC ${e.routine} runs ${times(undefined, e.min, e.max)}`;
    case 'isr-runs':
      return `ISR ${e.routine} runs ${times(undefined, e.min, e.max)}`;
    case 'max-duration':
      return `${e.routine} never runs longer than ${formatDuration(e.ns)}`;
    case 'max-isr-to-dpc-latency':
      return `ISR-to-DPC latency at most ${formatDuration(e.ns)}`;
    case 'no-leaks':
      return 'no pool leaks';
    case 'device-output':
      return e.data ? `device ${e.device} outputs ${e.outputKind} ${bytesText(e.data)}` : `device ${e.device} ${e.outputKind} output contains ${bytesText(e.contains ?? [])}`;
    case 'class-input': {
      const who = `the ${e.inputClass} class driver${e.device ? ` on ${e.device}` : ''}`;
      if (e.packets) return `${who} receives ${plural(e.packets.length, 'packet')}: ${e.packets.map((x) => packetText(e.inputClass, x)).join(', ')}`;
      const n = e.min !== undefined && e.max !== undefined ? (e.min === e.max ? `exactly ${e.min}` : `${e.min} to ${e.max}`) : e.max !== undefined ? `at most ${e.max}` : `at least ${e.min ?? 1}`;
      return `${who} receives ${n} packet${n.endsWith(' 1') ? '' : 's'}`;
    }
    case 'max-dpc-queue-depth':
      return `no DPC queue holds more than ${plural(e.depth, 'DPC')}`;
  }
}

/** Bytes as text when printable ("hi\r\n" in JSON style), else hex. */
export function bytesText(b: readonly number[]): string {
  const printable = b.every((x) => (x >= 0x20 && x < 0x7f) || x === 0x0a || x === 0x0d || x === 0x09);
  if (printable) return JSON.stringify(String.fromCharCode(...b));
  const shown = b.slice(0, 32).map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  return `[${shown}${b.length > 32 ? ` ... (${b.length} bytes)` : ''}]`;
}

function packetText(cls: InputClass, p: Readonly<Record<string, number>>): string {
  const parts = INPUT_PACKETS[cls].fields.filter((f) => p[f.name] !== undefined).map((f) => `${f.name} ${formatFieldValue(f, p[f.name])}`);
  return `{${parts.join(', ')}}`;
}

function times(count: number | undefined, min: number | undefined, max: number | undefined): string {
  const n = (k: number): string => (k === 1 ? 'once' : `${k} times`);
  if (count !== undefined) return `exactly ${n(count)}`;
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${n(min)}` : `${min} to ${max} times`;
  if (max !== undefined) return `at most ${n(max)}`;
  return `at least ${n(min ?? 1)}`;
}

function within(k: number, count: number | undefined, min: number | undefined, max: number | undefined): boolean {
  if (count !== undefined) return k === count;
  if (min === undefined && max === undefined) return k >= 1;
  return (min === undefined || k >= min) && (max === undefined || k <= max);
}

function bugCheckText(b: NonNullable<RunOutcome['bugCheck']>): string {
  return `bug check ${formatBugCheck(b.code)} (${b.args.map((a) => hex(BigInt.asUintN(64, a))).join(', ')})`;
}

function judge(e: Expectation, o: RunOutcome): Judgement {
  switch (e.kind) {
    case 'no-bugcheck':
      return o.bugCheck ? { ok: false, detail: bugCheckText(o.bugCheck), atNs: o.bugCheck.atNs } : { ok: true, detail: 'the run ended without a bug check' };
    case 'bugcheck': {
      if (!o.bugCheck) return { ok: false, detail: 'no bug check occurred', atNs: o.endNs };
      const sameCode = o.bugCheck.code >>> 0 === e.code >>> 0;
      const sameP1 = e.p1 === undefined || BigInt.asUintN(64, o.bugCheck.args[0]) === BigInt.asUintN(64, e.p1);
      return { ok: sameCode && sameP1, detail: `${sameCode && sameP1 ? '' : 'got '}${bugCheckText(o.bugCheck)}`, atNs: o.bugCheck.atNs };
    }
    case 'dbgprint': {
      let re: RegExp;
      try {
        re = new RegExp(e.match);
      } catch (err) {
        return { ok: false, detail: `invalid regular expression: ${(err as Error).message}` };
      }
      const hits = o.dbgPrint.map((m, i) => ({ m, i })).filter((x) => re.test(x.m));
      const first = hits.length > 0 ? `; first: ${JSON.stringify(hits[0].m.replace(/\s+$/, ''))}` : '';
      const ok = within(hits.length, e.count, e.min, e.max);
      // Too many: the first match past the limit is the moment it went wrong. Too few: only
      // the end of the run settles it. A pass points at the first match.
      const limit = e.count ?? e.max;
      const tooMany = !ok && limit !== undefined && hits.length > limit;
      const culprit = tooMany ? hits[limit] : ok ? hits[0] : undefined;
      const atNs = culprit ? o.dbgPrintAtNs?.[culprit.i] : o.endNs;
      return { ok, detail: `${plural(hits.length, 'matching message')}${first}`, atNs };
    }
    case 'irp-complete':
      return judgeRequest(e, o);
    case 'dpc-runs':
    case 'isr-runs': {
      const k = (e.kind === 'dpc-runs' ? o.dpcRuns : o.isrRuns).get(e.routine) ?? 0;
      const ok = within(k, undefined, e.min, e.max);
      return { ok, detail: k === 0 ? `${e.routine} never ran` : `ran ${k === 1 ? 'once' : `${k} times`}`, ...(ok ? {} : { atNs: o.endNs }) };
    }
    case 'max-duration': {
      const d = o.maxDurationNs.get(e.routine);
      if (d === undefined) return { ok: false, detail: `${e.routine} never ran (is the name right?)`, atNs: o.endNs };
      return { ok: d <= e.ns, detail: `longest run ${formatDuration(d)}`, atNs: o.maxDurationAtNs?.get(e.routine) };
    }
    case 'max-isr-to-dpc-latency': {
      const d = o.maxIsrToDpcLatencyNs;
      if (d === undefined) return { ok: false, detail: 'no DPC requested by an ISR ran', atNs: o.endNs };
      return { ok: d <= e.ns, detail: `longest ISR-to-DPC latency ${formatDuration(d)}`, atNs: o.maxIsrToDpcLatencyAtNs };
    }
    case 'device-output':
      return judgeDeviceOutput(e, o);
    case 'class-input':
      return judgeClassInput(e, o);
    case 'max-dpc-queue-depth': {
      const d = o.maxDpcQueueDepth;
      if (!d || d.depth === 0) return { ok: true, detail: 'no DPC was ever queued' };
      return { ok: d.depth <= e.depth, detail: `deepest queue: ${plural(d.depth, 'DPC')} on CPU ${d.cpu}`, atNs: d.atNs };
    }
    case 'no-leaks': {
      if (o.leaks.length === 0) return { ok: true, detail: 'every pool allocation was freed' };
      const shown = o.leaks.slice(0, 5).map((l) => `${l.size} bytes tag '${l.tag}' at ${l.address}`);
      const more = o.leaks.length > shown.length ? `, and ${o.leaks.length - shown.length} more` : '';
      return { ok: false, detail: `${plural(o.leaks.length, 'allocation')} not freed: ${shown.join(', ')}${more}` };
    }
  }
}

function judgeRequest(e: Extract<Expectation, { kind: 'irp-complete' }>, o: RunOutcome): Judgement {
  const r = o.requests.find((x) => x.index === e.request);
  if (!r) return { ok: false, detail: `request ${e.request} was never issued`, atNs: o.endNs };
  if (!r.completed || r.completedAtNs === undefined) return { ok: false, detail: `request ${e.request} (issued at ${formatDuration(r.issuedAtNs)}) was still pending at the end of the run`, atNs: o.endNs };
  const took = r.completedAtNs - r.issuedAtNs;
  const problems: string[] = [];
  if (e.status !== undefined && (r.status === undefined || r.status >>> 0 !== e.status >>> 0)) problems.push(`expected ${formatStatus(e.status)}`);
  if (e.information !== undefined && r.information !== e.information) problems.push(`Information ${r.information ?? 'unknown'}, expected ${e.information}`);
  if (e.withinNs !== undefined && took > e.withinNs) problems.push(`limit ${formatDuration(e.withinNs)}`);
  if (e.data !== undefined) {
    const got = r.data ?? [];
    if (!sameBytes(got, e.data)) problems.push(`returned ${bytesText(got)}, expected ${bytesText(e.data)}${firstDifference(got, e.data)}`);
  }
  const status = r.status === undefined ? '' : ` with ${formatStatus(r.status)}`;
  const summary = `completed${status} after ${formatDuration(took)}`;
  return { ok: problems.length === 0, detail: problems.length === 0 ? summary : `${summary} (${problems.join('; ')})`, atNs: r.completedAtNs };
}

function sameBytes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function firstDifference(got: readonly number[], want: readonly number[]): string {
  const n = Math.min(got.length, want.length);
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) return ` (first difference at byte ${i}: 0x${got[i].toString(16).toUpperCase()} instead of 0x${want[i].toString(16).toUpperCase()})`;
  return got.length === want.length ? '' : ` (${got.length} bytes instead of ${want.length})`;
}

function indexOfBytes(hay: readonly number[], needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function judgeDeviceOutput(e: Extract<Expectation, { kind: 'device-output' }>, o: RunOutcome): Judgement {
  const got = o.deviceOutput?.get(`${e.device}:${e.outputKind}`) ?? [];
  const what = got.length === 0 ? `device ${e.device} sent no ${e.outputKind} output` : `device ${e.device} sent ${e.outputKind} ${bytesText(got)}`;
  if (e.contains) return { ok: indexOfBytes(got, e.contains) >= 0, detail: what, atNs: o.endNs };
  const want = e.data ?? [];
  const ok = sameBytes(got, want);
  return { ok, detail: ok ? what : `${what}${firstDifference(got, want)}`, atNs: o.endNs };
}

function judgeClassInput(e: Extract<Expectation, { kind: 'class-input' }>, o: RunOutcome): Judgement {
  const got = (o.classInput ?? []).filter((p) => p.inputClass === e.inputClass && (e.device === undefined || p.device === e.device));
  if (!e.packets) {
    const ok = within(got.length, undefined, e.min, e.max);
    return { ok, detail: `${plural(got.length, 'packet')} received`, atNs: ok ? undefined : (got[e.max ?? -1]?.atNs ?? o.endNs) };
  }
  const want = e.packets;
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    const g = got[i];
    const w = want[i];
    if (!g) return { ok: false, detail: `only ${plural(got.length, 'packet')} received; packet ${i} ${packetText(e.inputClass, w)} never came`, atNs: o.endNs };
    if (!w) return { ok: false, detail: `${plural(got.length, 'packet')} received, ${want.length} expected; packet ${i} was ${packetText(e.inputClass, pick(g.fields, Object.keys(want[0] ?? g.fields)))}`, atNs: g.atNs };
    const wrong = Object.keys(w).filter((k) => g.fields[k] !== w[k]);
    if (wrong.length > 0) {
      return { ok: false, detail: `packet ${i} was ${packetText(e.inputClass, pick(g.fields, Object.keys(w)))}, expected ${packetText(e.inputClass, w)}`, atNs: g.atNs };
    }
  }
  return { ok: true, detail: `${plural(got.length, 'packet')} received as expected`, atNs: got.at(-1)?.atNs };
}

function pick(fields: Readonly<Record<string, number>>, keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) if (fields[k] !== undefined) out[k] = fields[k];
  return out;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
