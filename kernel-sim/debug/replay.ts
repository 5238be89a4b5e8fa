// Deterministic re-execution for time travel: a Replayer drives one machine of the project
// forward through the same history as the debugged one, re-applying the user's changes
// (the journal) at the moments they were made, and stops exactly at a position. Replayers
// paused at earlier positions are the debugger's checkpoints: going back starts from the
// latest one before the target instead of from boot.

import type { Machine } from '../machine';
import type { Prcb } from '../nt/ke/prcb';
import type { Frame } from '../vm/runtime';

/**
 * A moment in the machine's history: `at` statements executed before it, either at a
 * statement boundary inside a slice (breakpoints, steps) or between slices (a pause).
 * Between slices comes first: (X, boundary) is before (X, statement).
 */
export interface Position {
  at: number;
  boundary: boolean;
}

/** Whether `a` is at or before `b`. */
export function notAfter(a: Position, b: Position): boolean {
  return a.at < b.at || (a.at === b.at && (a.boundary || !b.boundary));
}

export function samePosition(a: Position, b: Position): boolean {
  return a.at === b.at && a.boundary === b.boundary;
}

/** Boot: nothing executed yet. */
export const BOOT: Position = { at: 0, boundary: true };

/** A change the user made while stopped, re-applied at the same moment when history is replayed. */
export interface JournalEntry {
  at: Position;
  apply(m: Machine): void;
}

/** A statement seen while replaying, for choosing where a reverse step lands. */
export interface Seen {
  at: number;
  /** Simulated time the statement started at (ns) and its processor. */
  t: number;
  cpu: number;
  thread: number;
  depth: number;
  act: number;
  line: number;
  file: string;
  fn: string;
  pc: number;
  /** Whether a breakpoint (as set while recording) would have stopped here. */
  bpHit: boolean;
}

/**
 * The statements a re-execution ran, oldest first, keeping at most the latest `limit` (a long
 * history would not fit in memory); `dropped` says the record no longer starts where it began.
 */
export class StatementLog {
  seen: Seen[] = [];
  dropped = false;

  constructor(private readonly limit: number) {}

  push(x: Seen): void {
    this.seen.push(x);
    if (this.seen.length >= 2 * this.limit) {
      this.seen = this.seen.slice(this.seen.length - this.limit);
      this.dropped = true;
    }
  }
}

/** Where a statement stands in history, counted the way the debugger counts stops. */
export function positionOf(m: Machine, p: Prcb): number {
  return m.k.executed + (p.sliceBudget - p.current.ctx.budget) - 1;
}

export interface RunToOptions {
  /** Collects every driver statement run on the way (reverse stepping searches them). */
  record?: StatementLog;
  /** Whether breakpoints stop at a statement (evaluated live, for records). */
  hit?: (fr: Frame, pc: number) => boolean;
  /** Asked between slices: true hands the host thread back (the generator yields). */
  hostYield: () => boolean;
}

export class Replayer {
  /** Journal entries already applied to this machine (a prefix of the journal). */
  applied = 0;
  private target: Position = BOOT;
  private reached = false;
  private atJournal = false;
  private options: RunToOptions | undefined;

  constructor(
    readonly machine: Machine,
    /** Where the machine stands (boot for a fresh one). */
    public position: Position,
    private readonly journal: () => readonly JournalEntry[],
  ) {
    // With a debugger attached a break is the debugger's (never the 0x1E of a bare machine),
    // and a replay stops nowhere but where it is sent.
    machine.k.debugHooks = { onBreakpoint: () => true, onIsr: () => undefined, onDpc: () => undefined };
    machine.k.mem.onWatchedAccess = () => undefined;
    machine.k.mem.setWatches([]);
    machine.onStatement = (p, fr, pc) => this.onStatement(p, fr, pc);
    // Every statement reaches the hook: positions are counted and records taken there.
    for (const f of machine.image.functions.values()) {
      f.traps = true;
      f.bp.fill(1);
    }
    machine.start(); // a fresh machine boots (a started one goes on)
  }

  /**
   * Re-executes up to `target` (at or after this replayer's position). Returns false when the
   * run ended first. Yields whenever `hostYield` asks for the host thread back.
   */
  *runTo(target: Position, opts: RunToOptions): Generator<void, boolean> {
    const m = this.machine;
    this.target = target;
    this.reached = false;
    this.options = opts;
    try {
      // Changes made at the very moment this replayer stands at come first.
      this.applyDue(this.position);
      if (samePosition(this.position, target)) this.reached = true;
      while (!this.reached) {
        let hostWants = false;
        const r = m.advance({
          shouldYield: () => {
            const next = this.journal()[this.applied];
            if (next?.at.boundary && m.k.executed >= next.at.at) this.atJournal = true;
            if (target.boundary && m.k.executed >= target.at) this.reached = true;
            hostWants = !this.atJournal && !this.reached && opts.hostYield();
            return this.atJournal || this.reached || hostWants;
          },
        });
        if (this.atJournal) {
          this.atJournal = false;
          const at = this.journal()[this.applied].at;
          this.applyDue(at);
          this.position = at;
          if (samePosition(at, target)) this.reached = true;
          continue;
        }
        if (r === 'ended') return false;
        if (hostWants) {
          this.position = { at: m.k.executed, boundary: true };
          yield;
        }
      }
      this.position = target;
      return true;
    } finally {
      this.options = undefined;
    }
  }

  /** Applies every journal entry made at `at`, in order. */
  private applyDue(at: Position): void {
    const journal = this.journal();
    while (this.applied < journal.length && samePosition(journal[this.applied].at, at)) journal[this.applied++].apply(this.machine);
  }

  private onStatement(p: Prcb, fr: Frame, pc: number): boolean {
    const m = this.machine;
    const at = positionOf(m, p);
    // Recorded before stopping: a paused statement does not reach the hook again when it goes on.
    const stop = fr.fn.stops[fr.fn.pcStop[pc]];
    const record = this.options?.record;
    if (record && stop && stop.kind !== 'entry') {
      const ctx = p.current.ctx;
      const t = p.clock + (p.sliceBudget - ctx.budget) * m.k.cost.statement;
      const bpHit = this.options?.hit?.(fr, pc) ?? false;
      record.push({ at, t, cpu: p.number, thread: p.current.id, depth: ctx.frames.lastIndexOf(fr) + 1, act: fr.act, line: stop.pos.line, file: stop.pos.file.path, fn: fr.fn.name, pc, bpHit });
    }
    const next = this.journal()[this.applied];
    if (!this.target.boundary && at === this.target.at) {
      // The journal's changes made at this very moment still apply (they were made while stopped here).
      if (next && !next.at.boundary && next.at.at === at) this.atJournal = true;
      else this.reached = true;
      return true;
    }
    if (next && !next.at.boundary && next.at.at === at) {
      // Stop here so the change lands before the statement, exactly as it did.
      this.atJournal = true;
      return true;
    }
    return false;
  }
}
