// ISR/DPC statistics from a TraceEvent array, modelled on the tools driver writers already
// read (KERNEL_MODEL §8): WPA's DPC/ISR table, the tracerpt "DPC/ISR" report (histograms,
// ISR→DPC latency per pair) and LatencyMon (highest/total/buckets, interrupt-to-DPC latency).
// Every result is plain data (numbers, strings, arrays, objects, null) so it can be posted
// to the webview as JSON unchanged.

import type { TraceEvent } from './events';

// ---------------------------------------------------------------- result types

export interface StatsOptions {
  /** Simulated time the trace covers (ns), the base of every "% of CPU". Default: last t − first t. */
  totalNs?: number;
  /** Processors in the machine. Default: highest cpu number seen + 1. */
  cpuCount?: number;
  /** ISR activations longer than this are flagged (Microsoft guidance: 25 µs). */
  isrLimitNs?: number;
  /** DPC activations longer than this are flagged (Microsoft guidance: 100 µs). */
  dpcLimitNs?: number;
}

/** Where and when an activation (or latency sample) happened. */
export interface Moment {
  t: number;
  cpu: number;
}

export interface DurationStats {
  count: number;
  totalNs: number;
  minNs: number;
  avgNs: number;
  maxNs: number;
  /** Start of the longest one (for latencies: the DPC start); null when count is 0. */
  maxAt: Moment | null;
}

export interface HistogramBucket {
  lowerUs: number;
  /** Exclusive upper bound; null for the open-ended last bucket (JSON has no Infinity). */
  upperUs: number | null;
  count: number;
  percent: number;
}

export interface Histogram {
  buckets: HistogramBucket[];
  total: number;
}

interface RoutineStatsBase extends DurationStats {
  /** Unique row key: the routine, plus the vector for ISRs. */
  key: string;
  routine: string;
  /** Time minus ISRs/DPCs that nested inside these activations on the same CPU. */
  exclusive: DurationStats;
  /** Inclusive total as % of totalNs × cpuCount (what ETW-based tools report). */
  cpuPercent: number;
  /** Exclusive total as %; these add up across routines without double counting. */
  exclusiveCpuPercent: number;
  /** Activations over the guidance limit. */
  overLimit: number;
  /** Inclusive durations, tracerpt buckets. */
  histogram: Histogram;
  /** Inclusive durations, LatencyMon buckets. */
  latencyMon: Histogram;
}

export interface IsrRoutineStats extends RoutineStatsBase {
  type: 'ISR';
  vector: number;
  /** The ISR returned TRUE (ETW ReturnValue). */
  claimed: number;
  unclaimed: number;
}

export interface DpcRoutineStats extends RoutineStatsBase {
  type: 'DPC';
  /** Of `count`, how many ran as threaded DPCs, and how many were timer DPCs. */
  threaded: number;
  timer: number;
}

/** One named activation, e.g. LatencyMon's "highest ISR routine execution time" and its driver. */
export interface Worst extends Moment {
  key: string;
  routine: string;
  ns: number;
}

export interface GuidanceFlag {
  limitNs: number;
  /** Activations whose inclusive duration is strictly above limitNs. */
  count: number;
  worst: Worst | null;
}

export interface ActivityStats<R> {
  /** Every activation of this kind, inclusive durations. */
  all: DurationStats;
  /** Wall time CPUs spent in this kind of routine, nesting counted once. */
  exclusiveNs: number;
  /** exclusiveNs as % of totalNs × cpuCount (LatencyMon "Total time spent in ISRs/DPCs"). */
  cpuPercent: number;
  histogram: Histogram;
  latencyMon: Histogram;
  highest: Worst | null;
  /** Routine with the largest cpuPercent (LatencyMon "highest reported total time"). */
  highestTotal: { key: string; routine: string; percent: number } | null;
  limit: GuidanceFlag;
  /** Sorted by inclusive total time, largest first. */
  routines: R[];
}

export interface LatencyPairStats extends DurationStats {
  key: string;
  isrKey: string;
  isrRoutine: string;
  vector: number;
  dpcRoutine: string;
  /** DPCs that started (on another CPU) before their ISR returned; counted as 0 ns. */
  early: number;
  histogram: Histogram;
  latencyMon: Histogram;
}

export interface LatencyStats {
  /** maxNs / avgNs are LatencyMon's highest / average "interrupt to DPC latency". */
  all: DurationStats;
  early: number;
  histogram: Histogram;
  latencyMon: Histogram;
  /** Sorted by worst latency, largest first. */
  pairs: LatencyPairStats[];
}

export interface TraceStats {
  /** First and last event time seen (0 for an empty trace). */
  startNs: number;
  endNs: number;
  totalNs: number;
  cpuCount: number;
  isr: ActivityStats<IsrRoutineStats>;
  dpc: ActivityStats<DpcRoutineStats>;
  latency: LatencyStats;
  /** Exit/finish events with no matching enter/run on their CPU (or frames they skipped). */
  unmatched: number;
  /** Activations still running when the trace ends; not counted anywhere else. */
  unfinished: number;
}

// ---------------------------------------------------------------- histograms

/** tracerpt DPC/ISR report bucket lower bounds (µs); the last bucket is open-ended. */
export const TRACERPT_BOUNDS_US: readonly number[] = [0, 1, 2, 3, 4, 5, 10, 25, 50, 100, 250, 500, 1000];
/** LatencyMon count buckets: <250, 250–500, 500–1000, 1000–2000, 2000–4000, ≥4000 µs. */
export const LATENCYMON_BOUNDS_US: readonly number[] = [0, 250, 500, 1000, 2000, 4000];

export const ISR_LIMIT_NS = 25_000;
export const DPC_LIMIT_NS = 100_000;

/** Counts samples into half-open buckets [b[i], b[i+1]); comparisons in ns so 1 µs is exact. */
class HistogramAcc {
  private readonly counts: number[];
  private readonly boundsNs: number[];

  constructor(private readonly boundsUs: readonly number[]) {
    this.counts = boundsUs.map(() => 0);
    this.boundsNs = boundsUs.map((b) => b * 1000);
  }

  add(ns: number): void {
    let i = this.boundsNs.length - 1;
    while (i > 0 && ns < this.boundsNs[i]) i--;
    this.counts[i]++; // below the first bound (negative) lands in the first bucket
  }

  result(): Histogram {
    const total = this.counts.reduce((a, b) => a + b, 0);
    const buckets = this.counts.map((count, i) => ({
      lowerUs: this.boundsUs[i],
      upperUs: i + 1 < this.boundsUs.length ? this.boundsUs[i + 1] : null,
      count,
      percent: total === 0 ? 0 : (count * 100) / total,
    }));
    return { buckets, total };
  }
}

/** A histogram of arbitrary samples (ns) over lower bounds in µs, e.g. TRACERPT_BOUNDS_US. */
export function histogram(samplesNs: readonly number[], boundsUs: readonly number[] = TRACERPT_BOUNDS_US): Histogram {
  const h = new HistogramAcc(boundsUs);
  for (const s of samplesNs) h.add(s);
  return h.result();
}

// ---------------------------------------------------------------- accumulators

class DurationAcc {
  count = 0;
  totalNs = 0;
  minNs = Infinity;
  maxNs = -Infinity;
  maxAt: Moment | null = null;

  add(ns: number, at: Moment): void {
    this.count++;
    this.totalNs += ns;
    if (ns < this.minNs) this.minNs = ns;
    if (ns > this.maxNs) {
      this.maxNs = ns;
      this.maxAt = at;
    }
  }

  result(): DurationStats {
    if (this.count === 0) return { count: 0, totalNs: 0, minNs: 0, avgNs: 0, maxNs: 0, maxAt: null };
    return {
      count: this.count,
      totalNs: this.totalNs,
      minNs: this.minNs,
      avgNs: this.totalNs / this.count,
      maxNs: this.maxNs,
      maxAt: this.maxAt,
    };
  }
}

/** Inclusive durations with both histograms: the shape every row and group shares. */
class SampleAcc {
  readonly d = new DurationAcc();
  readonly tracerpt = new HistogramAcc(TRACERPT_BOUNDS_US);
  readonly latencyMon = new HistogramAcc(LATENCYMON_BOUNDS_US);

  add(ns: number, at: Moment): void {
    this.d.add(ns, at);
    this.tracerpt.add(ns);
    this.latencyMon.add(ns);
  }
}

class RoutineAcc extends SampleAcc {
  readonly exclusive = new DurationAcc();
  overLimit = 0;
  claimed = 0;
  threaded = 0;
  timer = 0;

  constructor(
    readonly key: string,
    readonly routine: string,
    readonly vector: number,
  ) {
    super();
  }
}

class GroupAcc extends SampleAcc {
  readonly rows = new Map<string, RoutineAcc>();
  overLimit = 0;
  worst: Worst | null = null;
  highest: Worst | null = null;

  constructor(readonly limitNs: number) {
    super();
  }

  row(key: string, routine: string, vector: number): RoutineAcc {
    let r = this.rows.get(key);
    if (!r) {
      r = new RoutineAcc(key, routine, vector);
      this.rows.set(key, r);
    }
    return r;
  }

  /** One completed activation of `row`. */
  activation(row: RoutineAcc, inclusiveNs: number, exclusiveNs: number, at: Moment): void {
    this.add(inclusiveNs, at);
    row.add(inclusiveNs, at);
    row.exclusive.add(exclusiveNs, at);
    const w: Worst = { key: row.key, routine: row.routine, ns: inclusiveNs, t: at.t, cpu: at.cpu };
    if (!this.highest || inclusiveNs > this.highest.ns) this.highest = w;
    if (inclusiveNs > this.limitNs) {
      this.overLimit++;
      row.overLimit++;
      if (!this.worst || inclusiveNs > this.worst.ns) this.worst = w;
    }
  }
}

// ---------------------------------------------------------------- the per-CPU walk

/** An ISR→DPC link waiting for its two ends: the ISR's return and the DPC's start. */
interface PendingLatency {
  isr: RoutineAcc;
  exitT: number | null;
  /** Set when the DPC started before the ISR returned (targeted to another CPU). */
  ran: { at: Moment; routine: string } | null;
}

/** An activation in progress on one CPU. */
interface Frame {
  type: 'isr' | 'dpc';
  /** KINTERRUPT address for ISRs, KDPC address for DPCs: what the closing event names. */
  id: number;
  routine: string;
  row: RoutineAcc;
  start: number;
  /** Inclusive time of activations that nested inside this one (for exclusive time). */
  nestedNs: number;
  /** DPCs this ISR inserted (ISR frames only). */
  queued: PendingLatency[];
}

class LatencyAcc {
  readonly all = new SampleAcc();
  early = 0;
  readonly pairs = new Map<string, { acc: SampleAcc; isr: RoutineAcc; dpcRoutine: string; early: number }>();

  sample(isr: RoutineAcc, dpcRoutine: string, ns: number, at: Moment, early: boolean): void {
    const key = `${isr.key} -> ${dpcRoutine}`;
    let p = this.pairs.get(key);
    if (!p) {
      p = { acc: new SampleAcc(), isr, dpcRoutine, early: 0 };
      this.pairs.set(key, p);
    }
    p.acc.add(ns, at);
    this.all.add(ns, at);
    if (early) {
      p.early++;
      this.early++;
    }
  }
}

/** ISR rows are keyed by routine and vector, as WPA/tracerpt separate them. */
function isrKey(routine: string, vector: number): string {
  return `${routine}@0x${vector.toString(16)}`;
}

export function computeStats(events: readonly TraceEvent[], options: StatsOptions = {}): TraceStats {
  const ordered = timeOrdered(events);
  const isr = new GroupAcc(options.isrLimitNs ?? ISR_LIMIT_NS);
  const dpc = new GroupAcc(options.dpcLimitNs ?? DPC_LIMIT_NS);
  const latency = new LatencyAcc();
  // Per-CPU stacks: ISRs nest by IRQL and can interrupt a DPC; a DPC can interrupt a
  // threaded DPC. Closing events pop the innermost frame with the same object.
  const stacks = new Map<number, Frame[]>();
  // At most one pending link per KDPC: a DPC object is in at most one queue at a time.
  const pending = new Map<number, PendingLatency | null>();
  let unmatched = 0;
  let maxCpu = -1;

  const stackOf = (cpu: number): Frame[] => {
    let s = stacks.get(cpu);
    if (!s) {
      s = [];
      stacks.set(cpu, s);
    }
    return s;
  };

  /** Pops the innermost frame matching, returning it with its inclusive/exclusive time. */
  const close = (cpu: number, type: Frame['type'], id: number, routine: string, t: number) => {
    const stack = stackOf(cpu);
    let i = stack.length - 1;
    while (i >= 0 && !(stack[i].type === type && stack[i].id === id && stack[i].routine === routine)) i--;
    if (i < 0) {
      unmatched++;
      return null;
    }
    unmatched += stack.length - 1 - i; // frames that never closed: the trace is inconsistent
    const f = stack[i];
    stack.length = i;
    const inclusive = t - f.start;
    if (i > 0) stack[i - 1].nestedNs += inclusive;
    return { f, inclusive, exclusive: inclusive - f.nestedNs, at: { t: f.start, cpu } };
  };

  for (const e of ordered) {
    if ('cpu' in e && e.cpu > maxCpu) maxCpu = e.cpu;
    switch (e.kind) {
      case 'isr-enter': {
        const row = isr.row(isrKey(e.routine, e.vector), e.routine, e.vector);
        stackOf(e.cpu).push({ type: 'isr', id: e.interrupt, routine: e.routine, row, start: e.t, nestedNs: 0, queued: [] });
        break;
      }
      case 'isr-exit': {
        const c = close(e.cpu, 'isr', e.interrupt, e.routine, e.t);
        if (!c) break;
        isr.activation(c.f.row, c.inclusive, c.exclusive, c.at);
        if (e.claimed) c.f.row.claimed++;
        for (const p of c.f.queued) {
          p.exitT = e.t;
          if (p.ran) latency.sample(p.isr, p.ran.routine, 0, p.ran.at, true);
        }
        break;
      }
      case 'dpc-queue': {
        if (e.target > maxCpu) maxCpu = e.target;
        if (!e.inserted) break; // already queued: coalesced into the earlier request
        const top = stackOf(e.cpu).at(-1);
        // Only the innermost activation is executing; a queue from a DPC or thread still
        // occupies the KDPC so its next run is not credited to an earlier ISR.
        const link: PendingLatency | null = top?.type === 'isr' ? { isr: top.row, exitT: null, ran: null } : null;
        if (top && link) top.queued.push(link);
        pending.set(e.dpc, link);
        break;
      }
      case 'dpc-dequeue':
        pending.delete(e.dpc); // KeRemoveQueueDpc: the queued request will never run
        break;
      case 'dpc-run': {
        const row = dpc.row(e.routine, e.routine, -1);
        if (e.threaded) row.threaded++;
        if (e.timer) row.timer++;
        stackOf(e.cpu).push({ type: 'dpc', id: e.dpc, routine: e.routine, row, start: e.t, nestedNs: 0, queued: [] });
        // The KDPC leaves the queue before its routine runs, so a re-queue from here on
        // (even by this very run) starts a new link.
        const link = pending.get(e.dpc);
        pending.delete(e.dpc);
        if (!link) break;
        const at = { t: e.t, cpu: e.cpu };
        if (link.exitT !== null) latency.sample(link.isr, e.routine, e.t - link.exitT, at, false);
        else link.ran = { at, routine: e.routine }; // resolved (as early) when the ISR returns
        break;
      }
      case 'dpc-finish': {
        const c = close(e.cpu, 'dpc', e.dpc, e.routine, e.t);
        if (c) dpc.activation(c.f.row, c.inclusive, c.exclusive, c.at);
        break;
      }
      default:
        break; // IRQL, locks, IRPs, threads…: not part of these statistics
    }
  }

  let unfinished = 0;
  for (const s of stacks.values()) unfinished += s.length;

  const startNs = ordered.length > 0 ? ordered[0].t : 0;
  const endNs = ordered.length > 0 ? ordered[ordered.length - 1].t : 0;
  const totalNs = options.totalNs ?? endNs - startNs;
  const cpuCount = options.cpuCount ?? Math.max(maxCpu + 1, 1);
  const pct = (ns: number): number => (totalNs > 0 ? (ns * 100) / (totalNs * cpuCount) : 0);

  return {
    startNs,
    endNs,
    totalNs,
    cpuCount,
    isr: groupResult(isr, pct, (r, base) => ({
      type: 'ISR',
      ...base,
      vector: r.vector,
      claimed: r.claimed,
      unclaimed: r.d.count - r.claimed,
    })),
    dpc: groupResult(dpc, pct, (r, base) => ({ type: 'DPC', ...base, threaded: r.threaded, timer: r.timer })),
    latency: latencyResult(latency),
    unmatched,
    unfinished,
  };
}

/** Stable time order. Each CPU records in order but CPUs interleave, and a DPC may start
 *  on CPU 1 in the middle of CPU 0's ISR, so cross-CPU links need one global timeline. */
function timeOrdered(events: readonly TraceEvent[]): readonly TraceEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i].t < events[i - 1].t) return [...events].sort((a, b) => a.t - b.t);
  }
  return events;
}

function groupResult<R extends RoutineStatsBase>(
  g: GroupAcc,
  pct: (ns: number) => number,
  finish: (r: RoutineAcc, base: RoutineStatsBase) => R,
): ActivityStats<R> {
  const routines = [...g.rows.values()].map((r) => {
    const d = r.d.result();
    const exclusive = r.exclusive.result();
    return finish(r, {
      key: r.key,
      routine: r.routine,
      ...d,
      exclusive,
      cpuPercent: pct(d.totalNs),
      exclusiveCpuPercent: pct(exclusive.totalNs),
      overLimit: r.overLimit,
      histogram: r.tracerpt.result(),
      latencyMon: r.latencyMon.result(),
    });
  });
  routines.sort((a, b) => b.totalNs - a.totalNs || compareText(a.key, b.key));
  let highestTotal: ActivityStats<R>['highestTotal'] = null;
  for (const r of routines) {
    if (!highestTotal || r.cpuPercent > highestTotal.percent) highestTotal = { key: r.key, routine: r.routine, percent: r.cpuPercent };
  }
  const exclusiveNs = routines.reduce((a, r) => a + r.exclusive.totalNs, 0);
  return {
    all: g.d.result(),
    exclusiveNs,
    cpuPercent: pct(exclusiveNs),
    histogram: g.tracerpt.result(),
    latencyMon: g.latencyMon.result(),
    highest: g.highest,
    highestTotal,
    limit: { limitNs: g.limitNs, count: g.overLimit, worst: g.worst },
    routines,
  };
}

function latencyResult(l: LatencyAcc): LatencyStats {
  const pairs: LatencyPairStats[] = [...l.pairs.entries()].map(([key, p]) => ({
    key,
    isrKey: p.isr.key,
    isrRoutine: p.isr.routine,
    vector: p.isr.vector,
    dpcRoutine: p.dpcRoutine,
    ...p.acc.d.result(),
    early: p.early,
    histogram: p.acc.tracerpt.result(),
    latencyMon: p.acc.latencyMon.result(),
  }));
  pairs.sort((a, b) => b.maxNs - a.maxNs || compareText(a.key, b.key));
  return {
    all: l.all.d.result(),
    early: l.early,
    histogram: l.all.tracerpt.result(),
    latencyMon: l.all.latencyMon.result(),
    pairs,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------- text output (CLI)

const us = (ns: number): string => (ns / 1000).toFixed(3);

/** Renders rows as columns; `right` marks numeric columns. */
function columns(rows: string[][], right: readonly boolean[], sep: string): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(sep).trimEnd());
}

/** The ISR and DPC routine table for a CLI summary (ISRs first, each by total time). */
export function formatStatsTable(stats: TraceStats): string[] {
  const header = ['Type', 'Routine', 'Count', 'Min µs', 'Avg µs', 'Max µs', 'Total µs'];
  const row = (type: string, name: string, r: DurationStats): string[] => [
    type,
    name,
    String(r.count),
    us(r.minNs),
    us(r.avgNs),
    us(r.maxNs),
    us(r.totalNs),
  ];
  const body = [
    ...stats.isr.routines.map((r) => row('ISR', `${r.routine} (vector 0x${r.vector.toString(16)})`, r)),
    ...stats.dpc.routines.map((r) => row('DPC', r.routine, r)),
  ];
  const lines = columns([header, ...body], [false, false, true, true, true, true, true], '  ');
  const rule = '-'.repeat(Math.max(...lines.map((l) => l.length)));
  return [lines[0], rule, ...lines.slice(1), ...(body.length === 0 ? ['(no ISR or DPC activity)'] : [])];
}

/** A histogram in tracerpt's layout: Lower Bound | Upper Bound | Count | Percent, then Total. */
export function formatHistogram(h: Histogram, title?: string): string[] {
  const rows = [
    ['Lower Bound', 'Upper Bound', 'Count', 'Percent'],
    ...h.buckets.map((b) => [String(b.lowerUs), b.upperUs === null ? '∞' : String(b.upperUs), String(b.count), b.percent.toFixed(2)]),
    ['Total', '', String(h.total), h.total === 0 ? '0.00' : '100.00'],
  ];
  const lines = columns(rows, [true, true, true, true], ' | ');
  return title === undefined ? lines : [title, ...lines];
}
