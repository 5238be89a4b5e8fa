// Collects the kernel's TraceEvent stream for the statistics (stats.ts), the timeline and
// the debugger. Appends are O(1) amortised; an optional capacity turns it into a sliding
// window so long runs stay bounded; snapshot/restore lets the debugger rewind cheaply.

import type { TraceEvent } from './events';

export interface TraceRecorderOptions {
  /** Keep at most this many events; the oldest are dropped first. Default: keep everything. */
  capacity?: number;
  /** Processor count, written to the JSON document so readers need not guess it. */
  cpus?: number;
}

/** Where the recorder stood; restore() truncates back to it. Plain data, safe to keep. */
export interface TraceSnapshot {
  readonly epoch: number;
  /** Events recorded (retained + dropped) when the snapshot was taken. */
  readonly recorded: number;
}

/** The saved form of a trace (version 1). Numbers only, no bigint, so JSON.stringify works. */
export interface TraceDocument {
  format: 'kdsim-trace';
  version: 1;
  cpus?: number;
  /** Events lost to the capacity limit before the first one listed (absent when none). */
  dropped?: number;
  events: TraceEvent[];
}

// Keys written first in every saved event; the rest follow in name order so the document
// does not depend on how each producer happened to build its object literal.
const LEADING_KEYS = ['kind', 't', 'cpu'];

export class TraceRecorder {
  private buf: TraceEvent[] = [];
  /** Index of the oldest retained event in buf (dropped ones are sliced off lazily). */
  private start = 0;
  private droppedCount = 0;
  private epoch = 0;
  /** True while every event so far has t >= its predecessor's: queries can binary-search. */
  private monotonic = true;
  private readonly capacity: number | undefined;
  private readonly cpus: number | undefined;

  constructor(options: TraceRecorderOptions = {}) {
    const { capacity, cpus } = options;
    if (capacity !== undefined && !(Number.isInteger(capacity) && capacity >= 0)) {
      throw new RangeError(`trace capacity must be a non-negative integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.cpus = cpus;
  }

  record(e: TraceEvent): void {
    const n = this.buf.length;
    if (this.monotonic && n > this.start && e.t < this.buf[n - 1].t) this.monotonic = false;
    this.buf.push(e);
    if (this.capacity !== undefined && this.buf.length - this.start > this.capacity) {
      this.start++;
      this.droppedCount++;
      // Slice the dead prefix off once it is as long as the window: amortised O(1) per event.
      if (this.start >= Math.max(this.capacity, 1)) this.compact();
    }
  }

  /** Retained events in recording order. A live view: it grows as events are recorded. */
  get events(): readonly TraceEvent[] {
    this.compact();
    return this.buf;
  }

  get length(): number {
    return this.buf.length - this.start;
  }

  /** Events evicted by the capacity limit since the last clear(). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Retained events with t >= fromNs, in time order (ties keep recording order). */
  since(fromNs: number): TraceEvent[] {
    return this.window(fromNs, Infinity);
  }

  /**
   * Retained events with fromNs <= t < toNs, in time order (ties keep recording order).
   * Half-open so adjacent windows never count an event twice. Each CPU appends in time
   * order but CPUs interleave, so unless the whole stream happens to be ordered we sort.
   */
  window(fromNs: number, toNs: number): TraceEvent[] {
    const all = this.events;
    if (this.monotonic) return all.slice(lowerBound(all, fromNs), lowerBound(all, toNs));
    const hits = all.filter((e) => e.t >= fromNs && e.t < toNs);
    return hits.sort((a, b) => a.t - b.t); // Array.prototype.sort is stable (ES2019)
  }

  snapshot(): TraceSnapshot {
    return { epoch: this.epoch, recorded: this.droppedCount + this.length };
  }

  /** Forget everything recorded after `s`. Events dropped by the capacity stay dropped. */
  restore(s: TraceSnapshot): void {
    const recorded = this.droppedCount + this.length;
    if (s.epoch !== this.epoch || s.recorded > recorded) {
      throw new RangeError('trace snapshot does not belong to this recording (cleared or from the future)');
    }
    if (s.recorded <= this.droppedCount) {
      // Every retained event is newer than the snapshot; what came before it was evicted.
      this.buf.length = 0;
      this.start = 0;
      this.droppedCount = s.recorded;
    } else {
      this.buf.length = this.start + (s.recorded - this.droppedCount);
    }
  }

  clear(): void {
    this.buf = [];
    this.start = 0;
    this.droppedCount = 0;
    this.monotonic = true;
    this.epoch++; // older snapshots can no longer be restored
  }

  toJSON(): TraceDocument {
    // Built in one literal so the key order (events last) is the same in every document.
    return {
      format: 'kdsim-trace',
      version: 1,
      ...(this.cpus !== undefined ? { cpus: this.cpus } : {}),
      ...(this.droppedCount > 0 ? { dropped: this.droppedCount } : {}),
      events: this.events.map(canonical),
    };
  }

  private compact(): void {
    if (this.start === 0) return;
    this.buf.splice(0, this.start);
    this.start = 0;
  }
}

/** First index whose event time is >= t, in a time-ordered array. */
function lowerBound(events: readonly TraceEvent[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A copy of `e` with a fixed key order and no undefined members. */
function canonical(e: TraceEvent): TraceEvent {
  const entries = Object.entries(e).filter(([, v]) => v !== undefined);
  const rank = (k: string): number => {
    const i = LEADING_KEYS.indexOf(k);
    return i < 0 ? LEADING_KEYS.length : i;
  };
  entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  // Same members as `e`, only reordered, so it is still that TraceEvent variant.
  return Object.fromEntries(entries) as unknown as TraceEvent;
}
