// The debugger over a Machine, protocol-neutral: breakpoints (with conditions, hit counts and
// logpoints), stepping per processor, pause, the bug-check stop, and inspection (processors as
// threads, stacks across interrupt and DPC boundaries, variables). The DAP session in
// debug-adapter/ maps requests onto it; tests can drive it directly.

import type { VarObj } from '../c/ast';
import type { Machine, RunResult } from '../machine';
import type { Prcb } from '../nt/ke/prcb';
import { bugCheckName } from '../verifier/bugcheck';
import type { SourcePos } from '../c/token';
import type { Cpu, Frame, Value } from '../vm/runtime';
import { type Breakpoint, Breakpoints, hitConditionMet } from './breakpoints';
import { evaluate, type EvalScope, isTrue } from './evaluate';
import { frameVariables, type StackFrameInfo, stackFrames, topDriverFrame } from './frames';
import { type CastTargets, castTargets } from './casts';
import { irqlName, whatRuns } from './cpu-names';
import { type StepKind, Stepper } from './stepping';
import { type TypedValue, ValueReader } from './values';
import { BOOT, type JournalEntry, notAfter, type Position, positionOf, Replayer, samePosition, type Seen, StatementLog } from './replay';

export type StopReason = 'entry' | 'breakpoint' | 'function breakpoint' | 'data breakpoint' | 'step' | 'pause' | 'exception' | 'interrupt' | 'dpc' | 'restart' | 'goto';

/** A data breakpoint: stop after a statement reads or writes these bytes. */
export interface DataBreakpoint {
  id: number;
  address: number;
  size: number;
  access: 'read' | 'write' | 'readWrite';
  /** What the user watched ("ext->Stats.Interrupts"). */
  description: string;
}

/**
 * Exception breakpoint filters: a bug check (any), a Driver Verifier bug check only, a
 * DbgBreakPoint, a failed ASSERT (or PAGED_CODE at raised IRQL), every ISR start, every DPC start.
 */
export type ExceptionFilter = 'bugcheck' | 'verifier' | 'break' | 'assert' | 'interrupt' | 'dpc';

/** Bug checks Driver Verifier raises itself (its violations, special pool). */
const VERIFIER_CODES = new Set([0xc4, 0xc1, 0xc9, 0xd5, 0xd6, 0xe6]);

export interface StopInfo {
  reason: StopReason;
  /** Processor index (the DAP thread is cpu + 1). */
  cpu: number;
  description: string;
  hitBreakpointIds?: number[];
  /** Exception stops: the bug check, for the exception widget. */
  text?: string;
}

export type AdvanceOutcome = { kind: 'stopped'; stop: StopInfo } | { kind: 'running' } | { kind: 'ended'; result: RunResult };

export interface ThreadInfo {
  cpu: number;
  /** "CPU 0 — IRQL 2 DISPATCH_LEVEL, in DPC SmpDpcForIsr". */
  name: string;
  irql: number;
  /** What runs: "DPC SmpDpcForIsr", "ISR SmpIsr (vector 0x91)", "thread request #0 (read)", "idle". */
  context: string;
}

export interface DebuggerOptions {
  /** The driver's module name in stacks ("dpcforisr"). */
  module: string;
  /**
   * A fresh machine for the same project (same program, configuration and seed): time travel
   * re-executes the deterministic history up to the moment it goes back to. Without it there
   * is no stepping back.
   */
  recreate?: () => Machine;
  /** Exception filters in force (default: bug check, DbgBreakPoint, ASSERT). */
  filters?: readonly ExceptionFilter[];
  samePath?: (a: string, b: string) => boolean;
}

export type { Position } from './replay';

export type TravelOutcome = AdvanceOutcome | { kind: 'error'; message: string };
export type TravelRequest =
  | { kind: 'stepBack'; cpu: number }
  | { kind: 'reverseContinue' }
  | { kind: 'restartFrame'; cpu: number; frame: Frame }
  /** To the first driver statement run at or after a simulated time (on one processor, or any). */
  | { kind: 'toTime'; timeNs: number; cpu?: number };
export interface Travel {
  next(shouldYield: () => boolean): { done: false } | { done: true; value: TravelOutcome };
}

function failed(message: string): Travel {
  return { next: () => ({ done: true, value: { kind: 'error', message } }) };
}

/** Makes a whole journey at once (tests, benchmarks). */
function drain(t: Travel): TravelOutcome {
  for (;;) {
    const r = t.next(() => false);
    if (r.done) return r.value;
  }
}

export { irqlName } from './cpu-names';

/** Background work toward a checkpoint: `for` the stop it serves; `seen` when it records. */
interface Prep {
  replayer: Replayer;
  from: Position;
  for: Position;
  seen: StatementLog | undefined;
  run: Generator<void, boolean>;
}

/** A checkpoint this close before a landing place makes another one for it pointless (statements). */
const NEAR_STATEMENTS = 20_000;
/** Checkpoints kept (each a whole machine: its memory is the cost). */
const MAX_CHECKPOINTS = 4;
/** Statements kept in the record of recent history (about 120 bytes each). */
const MAX_RECORDED = 400_000;

export class MachineDebugger {
  readonly breakpoints: Breakpoints;
  private stepper: Stepper | undefined;
  private pending: StopInfo | undefined;
  private pauseRequested = false;
  private entryPending = false;
  private bugCheckReported = false;
  private filters: Set<ExceptionFilter>;
  /** Stop at the next statement this context runs (set by the kernel's hooks). */
  private stopNext: { ctx: Cpu; stop: StopInfo } | undefined;
  /** "Step to next interrupt / DPC": stop at the first statement of the next one to start. */
  private runToNext: 'interrupt' | 'dpc' | undefined;
  private result: RunResult | undefined;
  /** Logpoint messages and condition errors, for the client's console. */
  private readonly output: string[] = [];
  private m: Machine;
  reader!: ValueReader;
  /** Where the machine is stopped in its history (undefined while running). */
  private here: Position | undefined;
  /** What the user changed while stopped (variables, memory, injected interrupts): replayed by time travel. */
  private readonly journal: JournalEntry[] = [];
  /** Machines paused at earlier moments of this history (time travel starts from the latest before its target). */
  private readonly checkpoints: Replayer[] = [];
  /** Every driver statement from `from` to `to` (recorded while preparing checkpoints), oldest first. */
  private coverage: { from: Position; to: Position; seen: Seen[] } | undefined;
  /** The checkpoint being brought to the current moment (background work while stopped). */
  private prep: Prep | undefined;
  /** The processor of the last stop (where a step back is likely). */
  private lastStopCpu: number | undefined;
  private prepYield: () => boolean = () => false;
  /** How the last journey back went: from a checkpoint, or by re-executing from boot. */
  lastTravel: 'checkpoint' | 'boot' | undefined;
  private dataBps: DataBreakpoint[] = [];
  /** PVOID members and variables the driver always casts to one type (shown typed). */
  private readonly casts: CastTargets;
  private nextDataId = 1_000_000;
  /** While data breakpoints are set: the statement each activation is executing (the writer of a hit). */
  private readonly current = new WeakMap<Frame, { act: number; pos: SourcePos }>();
  /** A data breakpoint stop shows the statement that made the access in place of the next one. */
  private accessAt: { act: number; pos: SourcePos } | undefined;

  constructor(
    machine: Machine,
    private readonly opts: DebuggerOptions,
  ) {
    this.m = machine;
    this.casts = castTargets(machine.program);
    this.breakpoints = new Breakpoints(machine.image.functions, opts.samePath);
    this.filters = new Set(opts.filters ?? ['bugcheck', 'break', 'assert']);
    this.attach(machine);
  }

  /** The machine being debugged (a new one after time travel). */
  get machine(): Machine {
    return this.m;
  }

  /** The image's globals by name and a reader whose stores are journaled: per machine, for scopeOf (conditions run at every hit). */
  private globalsByName = new Map<string, TypedValue>();
  private journalingReader!: ValueReader;

  private attach(machine: Machine): void {
    this.m = machine;
    this.reader = new ValueReader(machine.k.mem, (a) => machine.k.symbol(a));
    this.globalsByName = new Map([...machine.image.globals].map(([v, address]) => [v.name, { type: v.type, loc: { kind: 'memory', address } } as TypedValue]));
    // Assignments from the Debug Console are changes like setVariable: journaled for time travel.
    this.journalingReader = Object.assign(Object.create(this.reader) as ValueReader, { store: (tv: TypedValue, v: Value) => this.store(tv, v) });
    this.reader.castMembers = this.casts.members;
    machine.onStatement = (p, fr, pc) => this.onStatement(p, fr, pc);
    machine.k.mem.onWatchedAccess = (address, size, write) => this.onWatchedAccess(address, size, write);
    machine.k.mem.setWatches(this.dataBps);
    machine.k.debugHooks = {
      onBreakpoint: (kind, what) => {
        // With a debugger attached the break is always the debugger's; a filter that is off ignores it.
        if (this.filters.has(kind)) {
          const p = machine.k.cur;
          this.stopAtNext(p, { reason: 'exception', cpu: p.number, description: kind === 'assert' ? 'Assertion failed' : 'Break instruction exception', text: what });
        }
        return true;
      },
      onIsr: (p, routine, vector) => {
        const stepping = this.runToNext === 'interrupt';
        if (!stepping && !this.filters.has('interrupt')) return;
        this.stopAtNext(p, { reason: stepping ? 'step' : 'interrupt', cpu: p.number, description: `Interrupt: vector 0x${vector.toString(16).toUpperCase()}, ISR ${routine}` });
      },
      onDpc: (p, routine) => {
        const stepping = this.runToNext === 'dpc';
        if (!stepping && !this.filters.has('dpc')) return;
        this.stopAtNext(p, { reason: stepping ? 'step' : 'dpc', cpu: p.number, description: `DPC ${routine}` });
      },
    };
  }

  setExceptionFilters(filters: readonly ExceptionFilter[]): void {
    this.filters = new Set(filters);
  }

  /** Runs until the next ISR (or DPC routine) starts on any processor, and stops at its first statement. */
  runToNextRoutine(kind: 'interrupt' | 'dpc'): void {
    this.stepper = undefined;
    this.runToNext = kind;
    this.updateArming();
  }

  private stopAtNext(p: Prcb, stop: StopInfo): void {
    this.stopNext = { ctx: p.current.ctx, stop };
    this.runToNext = undefined;
    this.updateArming();
  }

  /** Every statement reaches the stop check while anything waits for "the next statement". */
  private updateArming(): void {
    this.breakpoints.setStepping(this.stepper !== undefined || this.entryPending || this.stopNext !== undefined || this.dataBps.length > 0);
  }

  /** Replaces the data breakpoints (only ordinary memory can be watched: not device registers). */
  setDataBreakpoints(list: ReadonlyArray<Omit<DataBreakpoint, 'id'>>): Array<DataBreakpoint & { verified: boolean; message?: string }> {
    const out = list.map((d) => {
      const readable = this.machine.k.mem.peekBytes(d.address, d.size) !== undefined;
      return { ...d, id: this.nextDataId++, verified: readable, ...(readable ? {} : { message: 'not ordinary memory (unmapped, or device registers)' }) };
    });
    this.dataBps = out.filter((d) => d.verified).map(({ id, address, size, access, description }) => ({ id, address, size, access, description }));
    this.machine.k.mem.setWatches(this.dataBps);
    this.updateArming();
    return out;
  }

  private onWatchedAccess(address: number, size: number, write: boolean): void {
    if (this.stopNext) return;
    const bp = this.dataBps.find((d) => address < d.address + d.size && d.address < address + size && (d.access === 'readWrite' || (d.access === 'write') === write));
    if (!bp) return;
    const p = this.machine.k.cur;
    // The access is made by the innermost C frame, in the statement it last started.
    const top = topDriverFrame(p.current.ctx);
    const seen = top ? this.current.get(top) : undefined;
    const at = seen && seen.act === top?.act ? seen : undefined;
    const where = at ? ` at ${at.pos.file.path.split(/[\\/]/).pop()}:${at.pos.line}` : '';
    this.stopAtNext(p, { reason: 'data breakpoint', cpu: p.number, description: `Data breakpoint: ${bp.description} ${write ? 'written' : 'read'}${where}`, hitBreakpointIds: [bp.id] });
    this.accessAtPending = at;
  }

  private accessAtPending: { act: number; pos: SourcePos } | undefined;

  /** Boots the driver; with stopOnEntry the first statement of DriverEntry stops. */
  start(stopOnEntry: boolean): void {
    this.entryPending = stopOnEntry;
    this.updateArming();
    this.machine.start();
  }

  get ended(): boolean {
    return this.result !== undefined;
  }

  /**
   * Runs the machine until something stops it, it ends, or `shouldYield` asks for the host
   * thread back (checked between scheduling slices).
   */
  advance(shouldYield: () => boolean): AdvanceOutcome {
    if (this.result) return { kind: 'ended', result: this.result };
    this.here = undefined;
    this.accessAt = undefined;
    const r = this.machine.advance({ shouldYield: () => this.pauseRequested || shouldYield() });
    if (r === 'stopped') {
      const stop = this.pending ?? { reason: 'pause', cpu: this.machine.stoppedOn?.number ?? 0, description: 'Paused' };
      this.pending = undefined;
      return this.stopped(stop);
    }
    if (r === 'stalled') {
      this.here = { at: this.machine.k.executed, boundary: true };
      const cpu = this.cpus.find((p) => !this.machine.frozen?.has(p.number))?.number ?? 0;
      return this.stopped({ reason: 'pause', cpu, description: `Paused: the step cannot go on while the other processors are frozen (${this.machine.stalledBecause ?? 'they hold what it waits for'})` });
    }
    if (r === 'yielded') {
      if (!this.pauseRequested) return { kind: 'running' };
      this.pauseRequested = false;
      this.here = { at: this.machine.k.executed, boundary: true };
      return this.stopped({ reason: 'pause', cpu: this.busiestCpu(), description: 'Paused' });
    }
    const bc = this.machine.bugCheck;
    const filtered = bc && (this.filters.has('bugcheck') || (this.filters.has('verifier') && VERIFIER_CODES.has(bc.code)));
    if (bc && filtered && !this.bugCheckReported) {
      this.bugCheckReported = true;
      this.here = { at: this.machine.k.executed, boundary: true };
      const name = bugCheckName(bc.code);
      const code = `0x${bc.code.toString(16).toUpperCase()}`;
      return this.stopped({
        reason: 'exception',
        cpu: bc.cpu,
        description: `Bug check ${code} ${name}`,
        text: `${name} (${code})${bc.reason ? `: ${bc.reason}` : ''}`,
      });
    }
    this.result = this.machine.finish();
    return { kind: 'ended', result: this.result };
  }

  /** After a bug check the machine cannot go on: continuing ends the session. */
  get atBugCheck(): boolean {
    return this.bugCheckReported;
  }

  /** Resumes every processor, or with `onlyCpu` that one alone (the others frozen until the next stop). */
  continue(onlyCpu?: number): void {
    this.stepper = undefined;
    this.runToNext = undefined;
    this.updateArming();
    if (onlyCpu !== undefined && this.cpus.length > 1) this.setFrozen(new Set(this.cpus.map((p) => p.number).filter((n) => n !== onlyCpu)));
  }

  /**
   * Steps the context running on `cpu`. With `freezeOthers` the other processors run nothing
   * until the step ends (as a kernel debugger can hold them); a step that cannot complete
   * without them (a spin lock a frozen processor holds) stops and says so.
   */
  step(cpu: number, kind: StepKind, freezeOthers = false): void {
    this.stepContext(this.machine.k.prcbs[cpu].current.ctx, kind);
    if (freezeOthers && this.cpus.length > 1) this.setFrozen(new Set(this.cpus.map((p) => p.number).filter((n) => n !== cpu)));
  }

  /** Freezes (or thaws) processors; journaled, since it changes what runs when. */
  private setFrozen(frozen: ReadonlySet<number> | undefined): void {
    this.machine.frozen = frozen;
    if (this.here) this.record({ at: this.here, apply: (m) => void (m.frozen = frozen) });
  }

  /** Steps a context wherever it runs next (a system thread that is waiting steps when it resumes). */
  stepContext(ctx: Cpu, kind: StepKind): void {
    const top = topDriverFrame(ctx);
    if (!top) {
      // Nothing of the driver's runs on this processor: a step goes to the next statement it runs.
      this.stepper = new Stepper('in', ctx, undefined, 0);
    } else {
      this.stepper = new Stepper(kind, ctx, top, ctx.frames.lastIndexOf(top) + 1);
    }
    this.runToNext = undefined;
    this.updateArming();
  }

  pause(): void {
    this.pauseRequested = true;
  }

  /** Logpoint output and breakpoint condition errors since the last call. */
  takeOutput(): string[] {
    return this.output.splice(0);
  }

  // ---- inspection ----------------------------------------------------------------------------

  get cpus(): readonly Prcb[] {
    return this.machine.k.prcbs;
  }

  threads(): ThreadInfo[] {
    return this.cpus.map((p) => {
      const context = describeContext(p);
      return { cpu: p.number, irql: p.irql, context, name: `CPU ${p.number} — IRQL ${p.irql} ${irqlName(p.irql)}, ${context}` };
    });
  }

  /** The system threads (not the idle threads): the DAP threads after the processors. */
  systemThreads(): Array<{ id: number; name: string; state: string; ctx: Cpu; cpu?: number }> {
    return this.machine.k.threads
      .filter((t) => !t.isIdle && t.state !== 'terminated')
      .map((t) => {
        const cpu = this.cpus.find((p) => p.current === t)?.number;
        const state = cpu !== undefined ? `running on CPU ${cpu}` : t.state === 'waiting' ? `waiting${t.wait ? `: ${t.wait.reason}` : ''}` : t.state;
        return { id: t.id, name: t.name, state, ctx: t.ctx, ...(cpu !== undefined ? { cpu } : {}) };
      });
  }

  /** A system thread's stack (the same frames as its processor's while it runs). */
  threadStack(id: number): StackFrameInfo[] {
    const t = this.machine.k.threads.find((x) => x.id === id && !x.isIdle);
    return t ? stackFrames(t.ctx, this.opts.module, false) : [];
  }

  stack(cpu: number): StackFrameInfo[] {
    const p = this.cpus[cpu];
    if (!p) return [];
    const frames = stackFrames(p.current.ctx, this.opts.module, p.current.isIdle);
    // A data breakpoint stops after the access: show the statement that made it.
    const top = frames.find((f) => !f.kernel);
    if (top && this.accessAt && top.frame?.act === this.accessAt.act) top.pos = this.accessAt.pos;
    return frames;
  }

  /** Parameters and locals of a C frame. */
  variablesOf(fr: Frame): { params: Array<{ v: VarObj; tv: TypedValue }>; locals: Array<{ v: VarObj; tv: TypedValue }> } {
    const { params, locals } = frameVariables(fr);
    return { params: params.map((x) => this.typed(x)), locals: locals.map((x) => this.typed(x)) };
  }

  /** A PVOID variable the driver always casts to one pointer type, shown as that type. */
  private typed(x: { v: VarObj; tv: TypedValue }): { v: VarObj; tv: TypedValue } {
    const cast = this.casts.variables.get(x.v);
    return cast ? { v: x.v, tv: { ...x.tv, type: cast } } : x;
  }

  /** The driver's global variables (its own files, not the headers'). */
  globals(): Array<{ v: VarObj; tv: TypedValue }> {
    const out: Array<{ v: VarObj; tv: TypedValue }> = [];
    for (const [v, address] of this.machine.image.globals) {
      if (v.pos.file.system || v.name.startsWith('(')) continue;
      out.push(this.typed({ v, tv: { type: v.type, loc: { kind: 'memory', address } } }));
    }
    return out.sort((a, b) => a.v.name.localeCompare(b.v.name));
  }

  /** A C expression in the scope of `fr` (or file scope). */
  evaluate(text: string, fr: Frame | undefined, sideEffects = false): ReturnType<typeof evaluate> {
    return evaluate(text, this.scopeOf(fr), { sideEffects });
  }

  scopeOf(fr: Frame | undefined): EvalScope {
    const vars = fr && !fr.native ? frameVariables(fr) : { params: [], locals: [] };
    const image = this.machine.image;
    const globals = this.globalsByName;
    return {
      program: this.machine.program,
      locals: [...[...vars.locals].reverse(), ...vars.params],
      global: (name) => globals.get(name),
      functionAddress: (name) => image.functions.get(name)?.address ?? image.natives.get(name)?.address,
      reader: this.journalingReader,
    };
  }

  // ---- changes the user makes (journaled for time travel) ---------------------------------------

  /** Stores a scalar into a variable while stopped; false when it cannot be written. */
  store(tv: TypedValue, value: Value): boolean {
    const ok = this.reader.store(tv, value);
    if (!ok || !this.here) return ok;
    const loc = tv.loc;
    if (loc?.kind === 'slot') {
      // A register-like slot: found again by its processor, frame depth and slot.
      const where = this.cpus.map((p) => ({ cpu: p.number, depth: p.current.ctx.frames.indexOf(loc.frame) })).find((x) => x.depth >= 0);
      const value = loc.frame.s[loc.slot];
      if (where) this.record({ at: this.here, apply: (m) => void (m.k.prcbs[where.cpu].current.ctx.frames[where.depth].s[loc.slot] = value) });
    } else if (loc?.kind === 'memory') {
      const bytes = this.reader.bytes(loc.address, Math.max(1, tv.type.size));
      if (bytes) this.record({ at: this.here, apply: (m) => void m.k.mem.pokeBytes(loc.address, bytes) });
    }
    return ok;
  }

  writeMemory(address: number, bytes: Uint8Array): boolean {
    const ok = this.machine.k.mem.pokeBytes(address, bytes);
    if (ok && this.here) this.record({ at: this.here, apply: (m) => void m.k.mem.pokeBytes(address, bytes) });
    return ok;
  }

  /** "Fire interrupt now": the device's interrupt stimulus at the current time. */
  fireInterrupt(device: number, data?: number): number {
    const at = this.machine.injectStimulus(device, data);
    if (this.here) this.record({ at: this.here, apply: (m) => void m.injectStimulus(device, data) });
    return at;
  }

  // ---- time travel ----------------------------------------------------------------------------------

  get canTimeTravel(): boolean {
    return this.opts.recreate !== undefined;
  }

  /**
   * Journals a change made while stopped. Checkpoints at this moment take it too; later ones
   * (and the record of statements after it) are history that will now go differently.
   */
  private record(entry: JournalEntry): void {
    this.journal.push(entry);
    for (let i = this.checkpoints.length - 1; i >= 0; i--) {
      const c = this.checkpoints[i];
      if (!notAfter(entry.at, c.position)) continue;
      if (samePosition(c.position, entry.at) && c.applied === this.journal.length - 1) {
        entry.apply(c.machine);
        c.applied++;
      } else {
        this.checkpoints.splice(i, 1);
      }
    }
    if (this.prep && (!notAfter(this.prep.replayer.position, entry.at) || !this.prep.seen)) this.prep = undefined;
    this.cutCoverage(entry.at);
  }

  /** Forgets recorded statements after `at` (they may not happen again). */
  private cutCoverage(at: Position): void {
    const c = this.coverage;
    if (!c) return;
    if (!notAfter(c.from, at)) this.coverage = undefined;
    else if (!notAfter(c.to, at)) this.coverage = { from: c.from, to: at, seen: c.seen.filter((x) => x.at <= at.at) };
  }

  /** History from `at` on no longer happened: the journal, checkpoints and records after it go. */
  private truncateHistory(at: Position): void {
    const keep = this.journal.findIndex((e) => !notAfter(e.at, at));
    if (keep < 0) return;
    this.journal.length = keep;
    for (let i = this.checkpoints.length - 1; i >= 0; i--) if (this.checkpoints[i].applied > keep) this.checkpoints.splice(i, 1);
    if (this.prep && this.prep.replayer.applied > keep) this.prep = undefined;
    this.cutCoverage(at);
  }

  /**
   * Background work while stopped: brings a checkpoint to this moment, recording the
   * statements on the way, then one to where a step back from here would land, so that going
   * back later re-executes only a short stretch. Returns true while there is more to do
   * (call again when the host is idle).
   */
  prepare(shouldYield: () => boolean): boolean {
    const here = this.here;
    if (!this.opts.recreate || !here || this.result) return false;
    if (this.prep && !samePosition(this.prep.for, here)) {
      // A record toward an earlier stop goes on to this one; a landing place for it is moot.
      const p = this.prep;
      if (p.seen && notAfter(p.replayer.position, here)) this.prep = { ...p, for: here, run: p.replayer.runTo(here, { record: p.seen, hostYield: () => this.prepYield() }) };
      else this.prep = undefined;
    }
    if (!this.prep) {
      this.prep = this.nextPrep(here);
      if (!this.prep) return false;
    }
    const prep = this.prep;
    this.prepYield = shouldYield;
    const r = prep.run.next();
    if (!r.done) return true;
    this.prep = undefined;
    if (!r.value) return false; // the run ended before this moment (cannot happen while stopped)
    this.addCheckpoint(prep.replayer, here);
    // A record that had to drop its oldest statements starts at the first one it kept.
    if (prep.seen) this.extendCoverage(prep.seen.dropped && prep.seen.seen.length > 0 ? { at: prep.seen.seen[0].at, boundary: false } : prep.from, here, prep.seen.seen);
    return true;
  }

  /** What to prepare next for the moment `here`, if anything. */
  private nextPrep(here: Position): Prep | undefined {
    if (!this.checkpoints.some((c) => samePosition(c.position, here)) || !this.coverage || !samePosition(this.coverage.to, here)) return this.startPrep(here, here, true);
    const cpu = this.lastStopCpu;
    if (cpu === undefined || !this.cpus[cpu]) return undefined;
    const found = this.choose({ kind: 'stepBack', cpu }, this.coverage.seen, here, { ...this.backFrom(cpu), restartAct: undefined, complete: false });
    if (found.kind !== 'target') return undefined;
    const landing: Position = { at: found.seen.at, boundary: false };
    if (this.checkpoints.some((c) => notAfter(c.position, landing) && landing.at - c.position.at <= NEAR_STATEMENTS)) return undefined;
    return this.startPrep(landing, here, false);
  }

  /** What a step back on `cpu` starts from: its thread and innermost driver frame now. */
  private backFrom(cpu: number): { thread: number; want: { depth: number; act: number | undefined; line: number | undefined } } {
    const p = this.cpus[cpu];
    const top = topDriverFrame(p.current.ctx);
    return { thread: p.current.id, want: { depth: top ? p.current.ctx.frames.lastIndexOf(top) + 1 : 0, act: top?.act, line: top ? top.fn.stops[top.fn.pcStop[top.pc]]?.pos.line : undefined } };
  }

  /** Joins a new record (from `from` to `to`) to the one before it when they meet. */
  private extendCoverage(from: Position, to: Position, seen: Seen[]): void {
    const prev = this.coverage;
    if (prev && notAfter(prev.from, from) && notAfter(from, prev.to)) {
      const before = prev.seen.filter((x) => x.at < from.at || (x.at === from.at && !from.boundary));
      this.coverage = { from: prev.from, to, seen: before.concat(seen) };
    } else {
      this.coverage = { from, to, seen };
    }
    this.trimCoverage();
  }

  /**
   * Which machine goes forward to `target`: a new one from boot while the pool has room; then
   * the checkpoint whose moment is closest to the next one kept (the pool stays spread over
   * history), never the latest before the target (the last stop is where stepping back
   * usually lands).
   */
  private startPrep(target: Position, forHere: Position, record: boolean): Prep {
    let replayer: Replayer | undefined;
    const cs = this.checkpoints;
    if (cs.length >= MAX_CHECKPOINTS) {
      let gap = Infinity;
      for (let i = 0; i + 1 < cs.length && notAfter(cs[i + 1].position, target); i++) {
        const g = cs[i + 1].position.at - cs[i].position.at;
        if (g < gap) {
          gap = g;
          replayer = cs[i];
        }
      }
    }
    if (replayer) cs.splice(cs.indexOf(replayer), 1);
    else replayer = new Replayer((this.opts.recreate as () => Machine)(), BOOT, () => this.journal);
    const seen = record ? new StatementLog(MAX_RECORDED) : undefined;
    return { replayer, from: replayer.position, for: forHere, seen, run: replayer.runTo(target, { ...(seen ? { record: seen } : {}), hostYield: () => this.prepYield() }) };
  }

  /** Keeps the record of statements bounded (the oldest go first). */
  private trimCoverage(): void {
    const c = this.coverage;
    if (!c || c.seen.length <= MAX_RECORDED) return;
    const seen = c.seen.slice(c.seen.length - MAX_RECORDED);
    this.coverage = { from: { at: seen[0].at, boundary: false }, to: c.to, seen };
  }

  /**
   * Step back on `cpu`: to the previous line of the stopped frame, or (at its first line) to
   * the statement that called it or ran before it on that processor's context.
   */
  stepBack(cpu: number): TravelOutcome {
    return drain(this.travel({ kind: 'stepBack', cpu }));
  }

  /** Reverse continue: back to the last breakpoint hit before now (or the start of the driver). */
  reverseContinue(): TravelOutcome {
    return drain(this.travel({ kind: 'reverseContinue' }));
  }

  /** Restart frame: back to the first statement of the frame's activation (a DPC routine's entry). */
  restartFrame(cpu: number, fr: Frame): TravelOutcome {
    return drain(this.travel({ kind: 'restartFrame', cpu, frame: fr }));
  }

  /**
   * A journey back in time, made in steps: each next(shouldYield) re-executes history until
   * shouldYield() asks for the host thread back ({done: false}) or the journey ends. Errors that
   * are known at once (no time travel, not stopped) come back before any re-execution.
   */
  travel(to: TravelRequest): Travel {
    const here = this.here;
    if (!this.opts.recreate) return failed('time travel is not available for this session');
    if (!here) return failed('not stopped at a known moment');
    if (to.kind === 'restartFrame') {
      const ctx = this.cpus[to.cpu]?.current.ctx;
      if (!ctx || !ctx.frames.includes(to.frame) || to.frame.native) return failed('only a C frame can be restarted');
    }
    // Background preparation stops: the journey may use or replace what it was preparing.
    this.prep = undefined;
    const gen = this.journey(to, here);
    let hostYield: () => boolean = () => false;
    this.hostYield = () => hostYield();
    return {
      next: (shouldYield) => {
        hostYield = shouldYield;
        const r = gen.next();
        return r.done ? { done: true, value: r.value } : { done: false };
      },
    };
  }

  private hostYield: () => boolean = () => false;

  private *journey(to: TravelRequest, here: Position): Generator<void, TravelOutcome> {
    // The current state decides what counts as "back" (the stopped frame, its activation).
    const { thread, want } = to.kind === 'stepBack' || to.kind === 'restartFrame' ? this.backFrom(to.cpu) : { thread: undefined, want: { depth: 0, act: undefined, line: undefined } };
    const restartAct = to.kind === 'restartFrame' ? to.frame.act : undefined;

    // First from the record of recent history (checkpoints make it short), else from boot.
    let found = this.coverage && samePosition(this.coverage.to, here) ? this.choose(to, this.coverage.seen, here, { thread, want, restartAct, complete: false }) : undefined;
    const landing = found?.kind === 'target' ? { at: found.seen.at, boundary: false } : undefined;
    if (landing && !this.checkpoints.some((c) => notAfter(c.position, landing))) found = undefined;
    // The record reaches far enough back to know there is nowhere to go: the machine stays.
    if (found?.kind === 'error') return { kind: 'error', message: found.message };
    if (found?.kind !== 'target') {
      const log = yield* this.replayFromBoot(here, true);
      found = this.choose(to, log.seen, here, { thread, want, restartAct, complete: !log.dropped });
      this.lastTravel = 'boot';
    } else {
      this.lastTravel = 'checkpoint';
    }
    if (found.kind === 'error') return { kind: 'error', message: found.message };
    if (found.kind === 'unknown') return { kind: 'error', message: 'the moment cannot be found in the recorded history' };
    const target = found.seen;
    yield* this.goTo({ at: target.at, boundary: false });
    const cpu = this.cpuRunning(target.thread) ?? target.cpu;
    switch (to.kind) {
      case 'stepBack':
        return this.stopped({ reason: 'step', cpu: this.cpuRunning(target.thread) ?? to.cpu, description: 'Stepped back' });
      case 'reverseContinue': {
        const tp = topDriverFrame(this.cpus[cpu].current.ctx);
        const bps = tp ? (this.breakpoints.at(tp.fn, tp.pc) ?? []) : [];
        return this.stopped(found.hit ? { reason: 'breakpoint', cpu, description: 'Breakpoint (reverse)', hitBreakpointIds: bps.map((b) => b.id) } : { reason: 'entry', cpu, description: 'The beginning of the driver' });
      }
      case 'restartFrame':
        return this.stopped({ reason: 'restart', cpu: this.cpuRunning(target.thread) ?? to.cpu, description: 'Restarted frame' });
      case 'toTime':
        return this.stopped({ reason: 'goto', cpu, description: `Travelled to ${formatNs(target.t)}${to.cpu === undefined ? '' : ` on CPU ${to.cpu}`}` });
    }
  }

  /**
   * Where a journey lands, from statements recorded before `here`. With `complete` false the
   * record may start late: an answer that could lie before it is 'unknown' (then history is
   * re-executed from boot).
   */
  private choose(
    to: TravelRequest,
    seen: readonly Seen[],
    here: Position,
    o: { thread: number | undefined; want: { depth: number; act: number | undefined; line: number | undefined }; restartAct: number | undefined; complete: boolean },
  ): { kind: 'target'; seen: Seen; hit?: boolean } | { kind: 'unknown' } | { kind: 'error'; message: string } {
    const unknown = { kind: 'unknown' } as const;
    // Records are in history order: the statements before `here` end at `end` (records are long: no copies).
    const end = firstAtOrAfter(seen, here.at);
    switch (to.kind) {
      case 'stepBack': {
        let last: Seen | undefined;
        for (let i = end - 1; i >= 0; i--) {
          const x = seen[i];
          if (x.thread !== o.thread) continue;
          last ??= x;
          if ((o.want.act !== undefined && x.act === o.want.act && x.line !== o.want.line) || x.depth < o.want.depth) return { kind: 'target', seen: x };
        }
        if (!o.complete) return unknown;
        return last ? { kind: 'target', seen: last } : { kind: 'error', message: 'this is the beginning of the recorded history' };
      }
      case 'reverseContinue': {
        for (let i = end - 1; i >= 0; i--) {
          const hit = o.complete ? seen[i].bpHit : this.hitsNow(seen[i]);
          if (hit === undefined) return unknown;
          if (hit) return { kind: 'target', seen: seen[i], hit: true };
        }
        if (!o.complete) return unknown;
        return end > 0 ? { kind: 'target', seen: seen[0], hit: false } : { kind: 'error', message: 'nothing ran before this moment' };
      }
      case 'restartFrame': {
        // Up to and with this moment: at a frame's first statement the restart lands right here.
        const upTo = firstAtOrAfter(seen, here.at + 1);
        let mineBefore = false;
        for (let i = 0; i < upTo; i++) {
          const x = seen[i];
          if (x.thread !== o.thread) continue;
          // Only an activation that began inside the record is known from its first statement.
          if (x.act === o.restartAct) return o.complete || mineBefore ? { kind: 'target', seen: x } : unknown;
          mineBefore = true;
        }
        return o.complete ? { kind: 'error', message: "the frame's start is not in the recorded history" } : unknown;
      }
      case 'toTime': {
        const where = to.cpu === undefined ? '' : ` on CPU ${to.cpu}`;
        if (!o.complete && (end === 0 || seen[0].t > to.timeNs)) return unknown;
        for (let i = 0; i < end; i++) {
          const y = seen[i];
          if (y.t >= to.timeNs && (to.cpu === undefined || y.cpu === to.cpu)) return { kind: 'target', seen: y };
        }
        return { kind: 'error', message: `no driver code ran${where} between ${formatNs(to.timeNs)} and now` };
      }
    }
  }

  /**
   * Whether today's breakpoints stop at a recorded statement: undefined when that needs the
   * state of the moment (a condition, a hit count), which a record does not keep.
   */
  private hitsNow(x: Seen): boolean | undefined {
    const fn = this.machine.image.functions.get(x.fn);
    const bps = fn ? this.breakpoints.at(fn, x.pc) : undefined;
    if (!bps || bps.length === 0) return false;
    if (bps.some((b) => b.condition || b.hitCondition)) return undefined;
    return bps.some((b) => !b.logMessage);
  }

  /**
   * Takes the debugged machine to `target`: from the latest checkpoint before it, or by
   * re-executing from boot. The machine it leaves becomes a checkpoint when nothing it ran
   * through is undone.
   */
  private *goTo(target: Position): Generator<void> {
    const here = this.here as Position;
    const old = this.machine;
    const oldApplied = this.journal.length;
    const candidates = this.checkpoints.filter((c) => notAfter(c.position, target));
    const from = candidates[candidates.length - 1];
    if (from) {
      this.checkpoints.splice(this.checkpoints.indexOf(from), 1);
      this.resetRunState();
      const ok = yield* from.runTo(target, { hostYield: () => this.hostYield() });
      this.adopt(from.machine, target, ok);
    } else {
      yield* this.replayFromBoot(target, false);
    }
    this.truncateHistory(target);
    // The machine left behind is a checkpoint of its moment, unless history was rewritten.
    if (this.journal.length === oldApplied && old !== this.machine && !old.isEnded && !this.bugCheckReported) {
      const keep = new Replayer(old, here, () => this.journal);
      keep.applied = oldApplied;
      this.addCheckpoint(keep, target);
    }
  }

  /** Pools a checkpoint (one per moment); beyond the limit the furthest after `now` goes, else the oldest. */
  private addCheckpoint(c: Replayer, now: Position): void {
    const cs = this.checkpoints;
    if (cs.some((x) => samePosition(x.position, c.position))) return;
    cs.push(c);
    cs.sort((a, b) => (notAfter(a.position, b.position) ? -1 : 1));
    while (cs.length > MAX_CHECKPOINTS) {
      const last = cs[cs.length - 1];
      if (!notAfter(last.position, now)) cs.pop();
      else cs.shift();
    }
  }

  private resetRunState(): void {
    this.result = undefined;
    this.bugCheckReported = false;
    this.stepper = undefined;
    this.stopNext = undefined;
    this.runToNext = undefined;
    this.entryPending = false;
  }

  /** Makes `m` (stopped at `at`) the debugged machine. */
  private adopt(m: Machine, at: Position, reached: boolean): void {
    this.attach(m);
    this.breakpoints.rebind(m.image.functions);
    this.updateArming();
    this.here = at;
    if (!reached && m.bugCheck) this.bugCheckReported = true;
  }

  /** The processor a thread is running on now, if any. */
  private cpuRunning(thread: number): number | undefined {
    return this.cpus.find((p) => p.current.id === thread)?.number;
  }

  /**
   * Re-creates the machine and re-executes its history up to `target`, re-applying the
   * user's changes at their moments; yields whenever the host wants its thread back. Returns
   * the statements seen when asked to record them (with breakpoint hits evaluated live).
   */
  private *replayFromBoot(target: Position, record: boolean): Generator<void, StatementLog> {
    const fresh = (this.opts.recreate as () => Machine)();
    this.resetRunState();
    // Attached first: breakpoint conditions read this machine's memory while recording.
    this.attach(fresh);
    this.breakpoints.rebind(fresh.image.functions);
    const replayer = new Replayer(fresh, BOOT, () => this.journal);
    const seen = new StatementLog(MAX_RECORDED);
    const reached = yield* replayer.runTo(target, { ...(record ? { record: seen, hit: (fr: Frame, pc: number) => this.breakpointsHit(fr, pc, false).length > 0 } : {}), hostYield: () => this.hostYield() });
    this.adopt(fresh, target, reached);
    if (fresh.bugCheck && target.boundary) this.bugCheckReported = true;
    return seen;
  }

  // ---- the stop check --------------------------------------------------------------------------

  private onStatement(p: Prcb, fr: Frame, pc: number): boolean {
    const stops = this.check(p, fr, pc);
    if (stops) {
      this.here = { at: positionOf(this.machine, p), boundary: false };
      if (this.pending?.reason === 'data breakpoint') this.accessAt = this.accessAtPending;
      this.accessAtPending = undefined;
    } else if (this.dataBps.length > 0) {
      const st = fr.fn.stops[fr.fn.pcStop[pc]];
      if (st) this.current.set(fr, { act: fr.act, pos: st.pos });
    }
    return stops;
  }

  private check(p: Prcb, fr: Frame, pc: number): boolean {
    const stop = fr.fn.stops[fr.fn.pcStop[pc]];
    if (this.stopNext && this.stopNext.ctx === p.current.ctx && stop?.kind !== 'entry') {
      this.pending = this.stopNext.stop;
      return true;
    }
    if (this.entryPending) {
      if (fr.fn.name !== 'DriverEntry' || stop?.kind === 'entry') return false;
      this.pending = { reason: 'entry', cpu: p.number, description: 'Paused on entry to DriverEntry' };
      return true;
    }
    if (this.stepper && stop && this.stepper.done(p.current.ctx, fr, stop)) {
      this.pending = { reason: 'step', cpu: p.number, description: 'Step' };
      return true;
    }
    const hit = this.breakpointsHit(fr, pc, true);
    if (hit.length === 0) return false;
    const fnBp = hit.every((b) => b.functionName !== undefined);
    this.pending = { reason: fnBp ? 'function breakpoint' : 'breakpoint', cpu: p.number, description: fnBp ? `Function breakpoint ${hit[0].functionName}` : 'Breakpoint', hitBreakpointIds: hit.map((b) => b.id) };
    return true;
  }

  /** The breakpoints at a statement whose condition and hit count say stop (logpoints print). */
  private breakpointsHit(fr: Frame, pc: number, log: boolean): Breakpoint[] {
    const bps = this.breakpoints.at(fr.fn, pc);
    if (!bps) return [];
    const hit: Breakpoint[] = [];
    for (const bp of bps) {
      if (bp.condition) {
        const r = this.evaluate(bp.condition, fr);
        const t = r.ok ? isTrue(r.value, this.reader) : undefined;
        if (!r.ok || t === undefined) {
          // A condition that cannot be evaluated stops, as VS Code's C/C++ debuggers do, and says why.
          if (log) this.output.push(`kdsim: breakpoint condition '${bp.condition}' at ${bp.path ?? fr.fn.name}:${bp.line}: ${r.ok ? 'not a scalar value' : r.message}\n`);
        } else if (!t) continue;
      }
      bp.hits++;
      const met = hitConditionMet(bp.hitCondition, bp.hits);
      if (typeof met === 'object') {
        if (log) this.output.push(`kdsim: ${met.error}\n`);
      }
      else if (!met) continue;
      if (bp.logMessage !== undefined) {
        if (log) this.output.push(`${this.interpolate(bp.logMessage, fr)}\n`);
        continue;
      }
      hit.push(bp);
    }
    return hit;
  }

  /** A logpoint message: each {expression} replaced by its value in the frame. */
  private interpolate(message: string, fr: Frame): string {
    return message.replace(/\{([^{}]+)\}/g, (_, expr: string) => {
      const r = this.evaluate(expr, fr);
      return r.ok ? this.reader.format(r.value) : `<${r.message}>`;
    });
  }

  private stopped(stop: StopInfo): AdvanceOutcome {
    this.lastStopCpu = stop.cpu;
    // Every stop thaws the processors a step froze (time travel may land inside such a step).
    if (this.machine.frozen) this.setFrozen(undefined);
    this.stepper = undefined;
    this.entryPending = false;
    this.stopNext = undefined;
    this.runToNext = undefined;
    this.pauseRequested = false;
    this.updateArming();
    return { kind: 'stopped', stop };
  }

  /** For a pause: the processor running driver code, else CPU 0. */
  private busiestCpu(): number {
    const p = this.cpus.find((x) => topDriverFrame(x.current.ctx) !== undefined);
    return p?.number ?? 0;
  }
}

/** The index of the first record at or after statement position `at` (records are in order). */
function firstAtOrAfter(seen: readonly Seen[], at: number): number {
  let lo = 0;
  let hi = seen.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seen[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Simulated time for people: milliseconds to the nanosecond, or microseconds below one. */
function formatNs(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(6)} ms` : `${(ns / 1e3).toFixed(3)} µs`;
}

function describeContext(p: Prcb): string {
  const r = whatRuns(p);
  if (r.kind === 'isr' || r.kind === 'dpc') return `in ${r.text}`;
  if (r.kind === 'idle') return topDriverFrame(p.current.ctx) ? 'idle thread' : 'idle';
  return r.text;
}
