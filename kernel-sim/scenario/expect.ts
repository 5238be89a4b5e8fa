// Judges a finished run against the scenario's expectations. A scenario that says nothing
// about bug checks implicitly expects none: a crash is never a silent pass (see
// withImpliedExpectations). Checks that name a routine fail when it never ran, since a
// misspelt name would otherwise pass unnoticed.

import { formatBugCheck, formatStatus } from './names';
import type { Expectation } from './project-types';
import { formatDuration, hex } from './values';

export interface RunOutcome {
  bugCheck?: { code: number; args: [bigint, bigint, bigint, bigint] };
  /** Each DbgPrint message (one per call), as formatted. */
  dbgPrint: string[];
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
  /** Routine name → its longest single run, in simulated ns. */
  maxDurationNs: Map<string, number>;
  /** Longest time from an ISR's IoRequestDpc/KeInsertQueueDpc to the DPC starting. */
  maxIsrToDpcLatencyNs?: number;
  leaks: { tag: string; size: number; address: string }[];
}

export interface ExpectationResult {
  /** Readable statement of what was expected. */
  expectation: string;
  ok: boolean;
  /** What was observed. */
  detail: string;
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
    return { expectation: describeExpectation(e) + (implied ? ' (implied)' : ''), ...r };
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
  }
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

function judge(e: Expectation, o: RunOutcome): { ok: boolean; detail: string } {
  switch (e.kind) {
    case 'no-bugcheck':
      return o.bugCheck ? { ok: false, detail: bugCheckText(o.bugCheck) } : { ok: true, detail: 'the run ended without a bug check' };
    case 'bugcheck': {
      if (!o.bugCheck) return { ok: false, detail: 'no bug check occurred' };
      const sameCode = o.bugCheck.code >>> 0 === e.code >>> 0;
      const sameP1 = e.p1 === undefined || BigInt.asUintN(64, o.bugCheck.args[0]) === BigInt.asUintN(64, e.p1);
      return { ok: sameCode && sameP1, detail: `${sameCode && sameP1 ? '' : 'got '}${bugCheckText(o.bugCheck)}` };
    }
    case 'dbgprint': {
      let re: RegExp;
      try {
        re = new RegExp(e.match);
      } catch (err) {
        return { ok: false, detail: `invalid regular expression: ${(err as Error).message}` };
      }
      const hits = o.dbgPrint.filter((m) => re.test(m));
      const first = hits.length > 0 ? `; first: ${JSON.stringify(hits[0].replace(/\s+$/, ''))}` : '';
      return { ok: within(hits.length, e.count, e.min, e.max), detail: `${plural(hits.length, 'matching message')}${first}` };
    }
    case 'irp-complete':
      return judgeRequest(e, o);
    case 'dpc-runs':
    case 'isr-runs': {
      const k = (e.kind === 'dpc-runs' ? o.dpcRuns : o.isrRuns).get(e.routine) ?? 0;
      return { ok: within(k, undefined, e.min, e.max), detail: k === 0 ? `${e.routine} never ran` : `ran ${k === 1 ? 'once' : `${k} times`}` };
    }
    case 'max-duration': {
      const d = o.maxDurationNs.get(e.routine);
      if (d === undefined) return { ok: false, detail: `${e.routine} never ran (is the name right?)` };
      return { ok: d <= e.ns, detail: `longest run ${formatDuration(d)}` };
    }
    case 'max-isr-to-dpc-latency': {
      const d = o.maxIsrToDpcLatencyNs;
      if (d === undefined) return { ok: false, detail: 'no DPC requested by an ISR ran' };
      return { ok: d <= e.ns, detail: `longest ISR-to-DPC latency ${formatDuration(d)}` };
    }
    case 'no-leaks': {
      if (o.leaks.length === 0) return { ok: true, detail: 'every pool allocation was freed' };
      const shown = o.leaks.slice(0, 5).map((l) => `${l.size} bytes tag '${l.tag}' at ${l.address}`);
      const more = o.leaks.length > shown.length ? `, and ${o.leaks.length - shown.length} more` : '';
      return { ok: false, detail: `${plural(o.leaks.length, 'allocation')} not freed: ${shown.join(', ')}${more}` };
    }
  }
}

function judgeRequest(e: Extract<Expectation, { kind: 'irp-complete' }>, o: RunOutcome): { ok: boolean; detail: string } {
  const r = o.requests.find((x) => x.index === e.request);
  if (!r) return { ok: false, detail: `request ${e.request} was never issued` };
  if (!r.completed || r.completedAtNs === undefined) return { ok: false, detail: `request ${e.request} was still pending at the end of the run` };
  const took = r.completedAtNs - r.issuedAtNs;
  const problems: string[] = [];
  if (e.status !== undefined && (r.status === undefined || r.status >>> 0 !== e.status >>> 0)) problems.push(`expected ${formatStatus(e.status)}`);
  if (e.information !== undefined && r.information !== e.information) problems.push(`Information ${r.information ?? 'unknown'}, expected ${e.information}`);
  if (e.withinNs !== undefined && took > e.withinNs) problems.push(`limit ${formatDuration(e.withinNs)}`);
  const status = r.status === undefined ? '' : ` with ${formatStatus(r.status)}`;
  const summary = `completed${status} after ${formatDuration(took)}`;
  return { ok: problems.length === 0, detail: problems.length === 0 ? summary : `${summary} (${problems.join('; ')})` };
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
