// Builds the Kernel View's state (state-types.ts) from a Machine.

import type { Machine } from '../machine';
import { HighImportance, LowImportance, MAXIMUM_PROCESSORS, MediumHighImportance, MediumImportance } from '../nt/ke/dpc';
import type { Prcb } from '../nt/ke/prcb';
import { bugCheckName } from '../verifier/bugcheck';
import { toUnsigned } from '../vm/memory';
import { irqlName, whatRuns } from './cpu-names';
import type { TraceEvent } from '../trace/events';
import type { TraceRecorder } from '../trace/recorder';
import { TRACERPT_BOUNDS_US } from '../trace/stats';
import type { CpuState, DpcState, DurationSummary, KdsimState, LatencyPair, LatencyState, LogLine, LogState, RoutineDurations, SourcePosition, TimelineSegment, TimelineState } from './state-types';

const IMPORTANCE: Record<number, DpcState['importance']> = { [LowImportance]: 'Low', [MediumImportance]: 'Medium', [HighImportance]: 'High', [MediumHighImportance]: 'MediumHigh' };

const addr = (a: number): string => `0x${toUnsigned(a).toString(16)}`;

export function buildState(m: Machine, version: number, stopped: boolean, recentCount = 200): KdsimState {
  const k = m.k;
  const events = m.trace.events;
  const acc = accumulatorFor(m);
  const { interrupts, dpcs } = acc.counts;
  const nowNs = Math.max(...k.prcbs.map((p) => p.clock));
  const state: KdsimState = {
    version,
    stopped,
    nowNs,
    cpus: k.prcbs.map((p) => cpuState(m, p)),
    interrupts: [...k.interrupts.objects.values()].map((o) => ({
      address: addr(o.address),
      cpu: o.cpu,
      vector: o.vector,
      irql: o.irql,
      synchronizeIrql: o.syncIrql,
      mode: o.mode === 0 ? 'LevelSensitive' : 'Latched',
      shared: o.share,
      messageBased: o.messageRoutine !== 0,
      routine: k.symbol(o.routine || o.messageRoutine),
      serviceCount: o.serviceCount,
      claimed: o.claimed,
      unclaimed: o.unclaimed,
      lastDurationNs: o.lastDurationNs,
    })),
    devices: m.config.devices.map((d, i) => ({ id: d.id, model: m.models[i].model, interrupts: d.resources.filter((r) => r.type === 'interrupt').length, registers: m.models[i].registers().map((r) => ({ name: r.name, offset: r.offset, size: r.size, value: r.value >>> 0, ...(r.internal ? { internal: true } : {}) })) })),
    recent: events.slice(-recentCount).map((e) => ({ ...e }) as KdsimState['recent'][number]),
    stats: { interrupts, dpcs, dbgPrints: k.log.length },
    timeline: acc.timeline(nowNs),
    latency: acc.latency(),
    log: acc.logState(),
    routines: routinePositions(m),
  };
  if (m.bugCheck) state.bugCheck = { code: `0x${m.bugCheck.code.toString(16).toUpperCase()}`, name: bugCheckName(m.bugCheck.code), cpu: m.bugCheck.cpu };
  return state;
}

function cpuState(m: Machine, p: Prcb): CpuState {
  const { kind, text: context } = whatRuns(p);
  const pending: number[] = [];
  for (let v = 255; v >= 0; v--) if (p.irr[v]) pending.push(v);
  return {
    number: p.number,
    irql: p.irql,
    irqlName: irqlName(p.irql),
    context,
    kind,
    thread: p.current.name,
    clockNs: p.clock,
    dpcQueue: p.dpcQueue.map((d) => dpcState(m, d)),
    threadedDpcQueue: p.threadedDpcQueue.map((d) => dpcState(m, d)),
    pendingVectors: pending,
    interruptCount: p.interruptCount,
  };
}

function dpcState(m: Machine, dpc: number): DpcState {
  const k = m.k;
  const mem = k.mem;
  const off = (f: string): number => k.layouts.offsetOf('KDPC', f);
  const number = mem.readU16(dpc + off('Number'));
  const s: DpcState = {
    address: addr(dpc),
    routine: k.symbol(mem.readPtr(dpc + off('DeferredRoutine'))),
    importance: IMPORTANCE[mem.readU8(dpc + off('Importance'))] ?? 'Medium',
    systemArgument1: addr(mem.readPtr(dpc + off('SystemArgument1'))),
    systemArgument2: addr(mem.readPtr(dpc + off('SystemArgument2'))),
    deferredContext: addr(mem.readPtr(dpc + off('DeferredContext'))),
  };
  // A targeted DPC's Number is processor + MAXIMUM_PROCESSORS (KERNEL_MODEL §2.1).
  if (number >= MAXIMUM_PROCESSORS) s.target = number - MAXIMUM_PROCESSORS;
  const at = k.dpcs.queuedAt.get(dpc);
  if (at !== undefined) s.queuedAtNs = at;
  return s;
}

// ---- Kernel View extras: timeline, durations, log ---------------------------------------------
// The trace grows for the whole run and the state is built up to 10×/s while running, so the
// extras are accumulated incrementally: each call reads only the events recorded since the
// previous one. Time travel truncates the trace and re-records it; the last event consumed is
// remembered by identity, and a trace that no longer holds it is read again from the start.

/** Most activations the timeline keeps (the oldest finished ones go first). */
const SEGMENT_CAP = 1500;
/** Most IRQL changes kept per processor. */
const IRQL_CAP = 2000;
/** Most DbgPrint lines kept. */
const LOG_CAP = 1000;

const emptySummary = (): DurationSummary => ({ count: 0, totalNs: 0, maxNs: 0, maxAtNs: 0, maxCpu: 0, histogram: TRACERPT_BOUNDS_US.map(() => 0) });

function addSample(s: DurationSummary, ns: number, at: number, cpu: number): void {
  if (s.count === 0 || ns > s.maxNs) {
    s.maxNs = ns;
    s.maxAtNs = at;
    s.maxCpu = cpu;
  }
  s.count++;
  s.totalNs += ns;
  let i = TRACERPT_BOUNDS_US.length - 1;
  while (i > 0 && ns < TRACERPT_BOUNDS_US[i] * 1000) i--;
  s.histogram[i]++;
}

const copySummary = (s: DurationSummary): DurationSummary => ({ ...s, histogram: [...s.histogram] });

class ViewAccumulator {
  /** Events consumed, counted as the recorder counts them (dropped + retained index). */
  private consumed = 0;
  private lastEvent: TraceEvent | undefined;
  private segments: TimelineSegment[] = [];
  private fromNs = 0;
  /** Open ISR/DPC activations per processor, innermost last. */
  private readonly open: TimelineSegment[][];
  private readonly thread: Array<TimelineSegment | undefined>;
  private readonly irql: Array<Array<[number, number]>>;
  private readonly irqlAtStart: number[];
  private readonly isr = emptySummary();
  private readonly dpc = emptySummary();
  private readonly isrToDpc = emptySummary();
  private readonly routines = new Map<string, RoutineDurations>();
  private readonly pairs = new Map<string, LatencyPair>();
  /** A DPC queued from an ISR: the ISR's entry time and routine, until the DPC runs. */
  private readonly queuedByIsr = new Map<number, { t: number; routine: string }>();
  private log: LogLine[] = [];
  private logTotal = 0;
  /** ISR entries and DPC starts since boot (the state's `stats`). */
  readonly counts = { interrupts: 0, dpcs: 0 };

  constructor(private readonly cpus: number) {
    this.open = Array.from({ length: cpus }, () => []);
    this.thread = Array.from({ length: cpus }, () => undefined);
    this.irql = Array.from({ length: cpus }, () => []);
    this.irqlAtStart = Array.from({ length: cpus }, () => 0);
  }

  /** False when the trace was rewound past what this accumulator consumed. */
  update(trace: TraceRecorder): boolean {
    const events = trace.events;
    const base = trace.dropped;
    if (this.consumed > 0) {
      const i = this.consumed - 1 - base;
      if (i >= events.length || (i >= 0 && events[i] !== this.lastEvent)) return false;
    }
    for (let i = Math.max(0, this.consumed - base); i < events.length; i++) this.consume(events[i]);
    this.consumed = base + events.length;
    this.lastEvent = events[events.length - 1];
    this.trim();
    return true;
  }

  private consume(e: TraceEvent): void {
    switch (e.kind) {
      case 'isr-enter':
        this.counts.interrupts++;
        this.push({ cpu: e.cpu, kind: 'isr', name: e.routine, startNs: e.t, depth: 0, vector: e.vector });
        break;
      case 'isr-exit': {
        const s = this.pop(e.cpu, 'isr', e.t);
        if (!s) break;
        s.claimed = e.claimed;
        this.sample(s, e.t - s.startNs);
        break;
      }
      case 'dpc-run': {
        this.counts.dpcs++;
        this.push({ cpu: e.cpu, kind: 'dpc', name: e.routine, startNs: e.t, depth: 0, queuedAtNs: e.queuedAt });
        const by = this.queuedByIsr.get(e.dpc);
        if (by) {
          this.queuedByIsr.delete(e.dpc);
          const ns = Math.max(0, e.t - by.t);
          addSample(this.isrToDpc, ns, e.t, e.cpu);
          const key = `${by.routine}\u2192${e.routine}`;
          let p = this.pairs.get(key);
          if (!p) this.pairs.set(key, (p = { isr: by.routine, dpc: e.routine, ...emptySummary() }));
          addSample(p, ns, e.t, e.cpu);
        }
        break;
      }
      case 'dpc-finish': {
        const s = this.pop(e.cpu, 'dpc', e.t);
        if (s) this.sample(s, e.t - s.startNs);
        break;
      }
      case 'dpc-queue': {
        // Only a DPC an ISR queued has an interrupt-to-DPC latency (LatencyMon's measure).
        const stack = this.open[e.cpu] ?? [];
        let isr: TimelineSegment | undefined;
        for (let i = stack.length - 1; i >= 0 && !isr; i--) if (stack[i].kind === 'isr') isr = stack[i];
        if (e.inserted && isr && !e.threaded) this.queuedByIsr.set(e.dpc, { t: isr.startNs, routine: isr.name });
        break;
      }
      case 'dpc-dequeue':
        this.queuedByIsr.delete(e.dpc);
        break;
      case 'irql':
        this.irql[e.cpu]?.push([e.t, e.to]);
        break;
      case 'thread': {
        const cur = this.thread[e.cpu];
        if (e.what === 'run') {
          if (cur) cur.endNs = e.t;
          const s: TimelineSegment = { cpu: e.cpu, kind: 'thread', name: e.name, startNs: e.t, depth: 0 };
          this.thread[e.cpu] = s;
          this.segments.push(s);
        } else if ((e.what === 'wait' || e.what === 'exit') && cur && cur.name === e.name) {
          cur.endNs = e.t;
          this.thread[e.cpu] = undefined;
        }
        break;
      }
      case 'dbgprint':
        this.logTotal++;
        this.log.push({ t: e.t, cpu: e.cpu, text: e.text });
        break;
      default:
        break;
    }
  }

  private push(s: TimelineSegment): void {
    const stack = this.open[s.cpu];
    if (!stack) return;
    s.depth = stack.length + 1;
    stack.push(s);
    this.segments.push(s);
  }

  /** Closes the innermost open activation of `kind` (and any left open inside it). */
  private pop(cpu: number, kind: 'isr' | 'dpc', t: number): TimelineSegment | undefined {
    const stack = this.open[cpu];
    if (!stack) return undefined;
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i].kind !== kind) continue;
      const [s, ...inner] = stack.splice(i);
      for (const x of [s, ...inner]) x.endNs = t;
      return s;
    }
    return undefined;
  }

  private sample(s: TimelineSegment, ns: number): void {
    const kind = s.kind === 'isr' ? 'isr' : 'dpc';
    addSample(kind === 'isr' ? this.isr : this.dpc, ns, s.startNs, s.cpu);
    const key = `${kind}:${s.name}:${s.vector ?? ''}`;
    let r = this.routines.get(key);
    if (!r) this.routines.set(key, (r = { kind, routine: s.name, ...(s.vector !== undefined ? { vector: s.vector } : {}), ...emptySummary() }));
    addSample(r, ns, s.startNs, s.cpu);
  }

  /** Keeps the windows bounded; trims in batches so the cost per event stays O(1). */
  private trim(): void {
    if (this.segments.length > 2 * SEGMENT_CAP) {
      const cut = this.segments.length - SEGMENT_CAP;
      const kept: TimelineSegment[] = [];
      this.segments.forEach((s, i) => {
        if (i >= cut || s.endNs === undefined) kept.push(s);
        else this.fromNs = Math.max(this.fromNs, s.endNs);
      });
      this.segments = kept;
    }
    this.irql.forEach((steps, cpu) => {
      if (steps.length <= 2 * IRQL_CAP) return;
      const gone = steps.splice(0, steps.length - IRQL_CAP);
      this.irqlAtStart[cpu] = gone[gone.length - 1][1];
      // Before the last dropped step the line is unknown: the window starts after it.
      this.fromNs = Math.max(this.fromNs, gone[gone.length - 1][0]);
    });
    if (this.log.length > 2 * LOG_CAP) this.log = this.log.slice(-LOG_CAP);
  }

  timeline(toNs: number): TimelineState {
    // Steps before fromNs only set where the line starts.
    const irql = this.irql.map((steps) => steps.filter(([t]) => t >= this.fromNs));
    const irqlAtStart = this.irql.map((steps, cpu) => {
      let v = this.irqlAtStart[cpu];
      for (const [t, to] of steps) if (t < this.fromNs) v = to;
      return v;
    });
    return {
      fromNs: this.fromNs,
      toNs,
      // Activations over before the window's start (moved on by the IRQL cap) are left out.
      segments: this.segments
        .slice(-SEGMENT_CAP)
        .filter((s) => s.endNs === undefined || s.endNs >= this.fromNs)
        .map((s) => ({ ...s })),
      irql,
      irqlAtStart,
    };
  }

  latency(): LatencyState {
    return {
      bucketsUs: [...TRACERPT_BOUNDS_US],
      isr: copySummary(this.isr),
      dpc: copySummary(this.dpc),
      isrToDpc: copySummary(this.isrToDpc),
      routines: [...this.routines.values()].map((r) => ({ ...r, histogram: [...r.histogram] })).sort((a, b) => b.totalNs - a.totalNs),
      pairs: [...this.pairs.values()].map((p) => ({ ...p, histogram: [...p.histogram] })).sort((a, b) => b.maxNs - a.maxNs),
    };
  }

  logState(): LogState {
    return { total: this.logTotal, lines: this.log.slice(-LOG_CAP) };
  }
}

const accumulators = new WeakMap<Machine, ViewAccumulator>();

function accumulatorFor(m: Machine): ViewAccumulator {
  let acc = accumulators.get(m);
  if (!acc || !acc.update(m.trace)) {
    acc = new ViewAccumulator(m.k.prcbs.length);
    acc.update(m.trace);
    accumulators.set(m, acc);
  }
  return acc;
}

const routineTables = new WeakMap<Machine, Record<string, SourcePosition>>();

/** Every driver routine's definition; computed once per machine (the image does not change). */
function routinePositions(m: Machine): Record<string, SourcePosition> {
  let r = routineTables.get(m);
  if (!r) {
    r = {};
    // The simulated headers' inline helpers ("<sim>/...") are not the driver's to reveal.
    for (const f of m.image.functions.values()) if (!f.obj.pos.file.path.startsWith('<')) r[f.name] = { file: f.obj.pos.file.path, line: f.obj.pos.line };
    routineTables.set(m, r);
  }
  return r;
}
