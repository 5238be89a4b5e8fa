// The simulated kernel's core: processors, simulated time, IRQL, the delivery of pending
// interrupts and DPCs, bug checks, and the event queue. The components (ke/dpc.ts,
// ke/interrupt.ts, ke/spinlock.ts, ke/dispatcher.ts, io/*, ex/pool.ts, hal/hal.ts) hang off
// this object; DDIs reach it through KernelServices (ddi.ts).

import { toUnsigned } from '../vm/memory';
import type { CType } from '../c/types';
import type { SourcePos } from '../c/token';
import type { CostModel, ProjectConfig } from '../scenario/project-types';
import type { TraceEvent } from '../trace/events';
import type { Memory } from '../vm/memory';
import { type CallBack, type Cpu, FaultSignal, type NativeResult, positionOf, type Value } from '../vm/runtime';
import type { KernelServices, PoolKind } from './ddi';
import { DISPATCH_LEVEL, type KThread, PASSIVE_LEVEL, type Prcb } from './ke/prcb';
import type { Layouts } from './layouts';
import type { Pool } from './ex/pool';
import type { Dpcs } from './ke/dpc';
import type { Interrupts } from './ke/interrupt';
import type { SpinLocks } from './ke/spinlock';
import type { Dispatcher } from './ke/dispatcher';
import type { IoManager } from './io/iomgr';
import type { InputClassDrivers } from './io/input-class';
import type { Hal } from './hal/hal';
import type { NativeFunction, Program } from '../vm/runtime';

/** A scheduled event: plain data, so the queue can be snapshotted. */
export interface SimEvent {
  at: number;
  seq: number;
  kind: 'device' | 'stimulus' | 'request' | 'timer' | 'shutdown';
  /** Device index (device / stimulus events), request index, ... */
  target: number;
  what: string;
  data?: number;
}

/** Receives trace events (trace/recorder.ts implements it). */
export interface TraceSink {
  record(e: TraceEvent): void;
}

export const ptrT: CType = { kind: 'ptr', base: { kind: 'void', size: -1, align: 1 }, size: 8, align: 8 };
export const u32T: CType = { kind: 'int', name: 'int', unsigned: true, size: 4, align: 4 };
export const u8T: CType = { kind: 'int', name: 'char', unsigned: true, size: 1, align: 1 };

export interface KernelHooks {
  /** Function symbol of a code address ("SmpDpcForIsr"), if it is one. */
  symbolOf(address: number): string | undefined;
  /** True if the code address is a function of the driver under test (not the kernel). */
  isDriverCode(address: number): boolean;
  /** Where a driver routine ends (its closing brace): the source line of "returned ..." bug checks. */
  endOf(address: number): SourcePos | undefined;
}

export class BugCheckSignal extends FaultSignal {}

/** What the kernel tells an attached debugger (KERNEL_MODEL: as KD does for WinDbg). */
export interface KernelDebugHooks {
  /**
   * A breakpoint exception in driver code (DbgBreakPoint, a failed ASSERT, PAGED_CODE at raised
   * IRQL). True when the debugger takes it: execution then goes on after it, as after `g` in
   * WinDbg; without a debugger it is the bug check Windows raises.
   */
  onBreakpoint(kind: 'break' | 'assert', what: string): boolean;
  /** An ISR is about to run on `p` (its first statement follows). */
  onIsr(p: Prcb, routine: string, vector: number): void;
  /** A DPC routine is about to run on `p`. */
  onDpc(p: Prcb, routine: string): void;
}

export class Kernel implements KernelServices {
  readonly prcbs: Prcb[] = [];
  /** The processor whose code is running (the simulation runs one processor at a time). */
  cur!: Prcb;
  readonly threads: KThread[] = [];
  readonly events: SimEvent[] = [];
  private seq = 0;
  readonly cost: CostModel;
  /** Clock tick in ns (KeQueryTimeIncrement × 100). */
  readonly tickNs: number;
  readonly log: string[] = [];
  /** When each log entry was printed (simulated ns). */
  readonly logAtNs: number[] = [];
  /** Set by the components that need a say in bug-check reports. */
  bugCheckInfo: { code: number; args: [bigint, bigint, bigint, bigint]; cpu: number; reason?: string; pos?: SourcePos; routine?: string; ddi?: string } | undefined;
  // Components (constructed by nt/index.ts, each given this kernel).
  pool!: Pool;
  locks!: SpinLocks;
  dpcs!: Dpcs;
  interrupts!: Interrupts;
  disp!: Dispatcher;
  io!: IoManager;
  inputClass!: InputClassDrivers;
  hal!: Hal;
  readonly handles = new Handles();
  /** System time at boot (100 ns since 1601): 2026-01-01 00:00 UTC, fixed for determinism. */
  readonly bootSystemTime = 134117856000000000n;
  systemProcess = 0;
  /** Names of the project's devices, by index. */
  deviceNames: string[] = [];
  readonly ioTimers = new Map<number, { routine: number; context: number; running: boolean; timer?: number; dpc?: number }>();
  /** Native completion routine of IoForwardIrpSynchronously, and a native IofCallDriver. */
  forwardCompletion = 0;
  ioCallDriverNative = 0;
  private readonly nativeNames = new Map<number, string>();

  constructor(
    readonly prog: Program,
    readonly mem: Memory,
    readonly layouts: Layouts,
    readonly config: ProjectConfig,
    readonly trace: TraceSink,
    readonly hooks: KernelHooks,
  ) {
    this.cost = config.machine.cost;
    this.tickNs = config.machine.timeIncrement * 100;
  }

  // ---- KernelServices ------------------------------------------------------------------------

  irql(): number {
    return this.cur.irql;
  }
  processorNumber(): number {
    return this.cur.number;
  }
  processorCount(): number {
    return this.prcbs.length;
  }
  nowNs(): number {
    this.syncClock(this.cur);
    return this.cur.clock;
  }
  charge(ns: number): void {
    this.cur.clock += ns;
  }
  debugPrint(text: string, componentId = 101, level = 0): void {
    void componentId;
    void level;
    this.log.push(text);
    this.logAtNs.push(this.cur.clock);
    this.trace.record({ kind: 'dbgprint', t: this.cur.clock, cpu: this.cur.number, text });
  }
  bugCheck(code: number, p1: bigint, p2: bigint, p3: bigint, p4: bigint, reason?: string): never {
    const args: [bigint, bigint, bigint, bigint] = [p1, p2, p3, p4].map((x) => BigInt.asUintN(64, x)) as [bigint, bigint, bigint, bigint];
    this.bugCheckInfo ??= { code, args, cpu: this.cur.number, reason, ddi: this.inDdi };
    throw new BugCheckSignal({ kind: 'bugcheck', message: `bug check 0x${code.toString(16).toUpperCase()}${reason ? `: ${reason}` : ''}`, bugCheck: { code, args } });
  }
  /**
   * A bug check about how a driver routine returned (IRQL changed, lock still held): the
   * source position is the routine's end, not whatever the processor was running before.
   */
  bugCheckOnReturn(routine: number, code: number, p1: bigint, p2: bigint, p3: bigint, p4: bigint, reason: string): never {
    this.bugCheckInfo ??= { code, args: [p1, p2, p3, p4], cpu: this.cur.number, reason, pos: this.hooks.endOf(routine), routine: this.hooks.symbolOf(routine) };
    return this.bugCheck(code, p1, p2, p3, p4, reason);
  }

  allocatePool(kind: PoolKind, size: number, tag: number): number {
    return this.pool.allocate(kind, size, tag);
  }
  freePool(address: number, tag: number | undefined): void {
    this.pool.free(address, tag);
  }

  /** Nonpaged memory for the kernel's own objects (not counted as driver allocations). */
  allocateSystem(size: number, tag: string): number {
    const t = tag.split('').reduce((acc, c, i) => acc | (c.charCodeAt(0) << (i * 8)), 0) >>> 0;
    const a = this.pool.allocate('nonpaged', size, t, false);
    if (a === 0) throw new Error('simulated memory exhausted by kernel objects');
    return a;
  }

  // ---- time ----------------------------------------------------------------------------------

  /** Turns the statements the running context executed since the last sync into time. */
  syncClock(p: Prcb): void {
    const ctx = p.current.ctx;
    const ran = p.sliceBudget - ctx.budget;
    if (ran > 0) {
      p.clock += ran * this.cost.statement;
      this.executed += ran;
    }
    p.sliceBudget = ctx.budget;
  }

  /**
   * Ends the running context's slice at its next statement boundary (a thread of higher
   * priority may have become ready), keeping the time accounting exact.
   */
  requestReschedule(): void {
    const p = this.cur;
    this.syncClock(p);
    const ctx = p.current.ctx;
    if (ctx.budget > 0) {
      ctx.budget = 0;
      p.sliceBudget = 0;
    }
  }

  /** Guidance warnings (KERNEL_MODEL §1.2 limits), one entry per kind and routine. */
  readonly warnings = new Map<string, { text: string; count: number; worstNs: number; atNs: number; cpu: number }>();

  /**
   * Performance guidance (not a bug check): ISR ≤ 25 µs, DPC ≤ 100 µs, spin lock held ≤ 25 µs,
   * KeStallExecutionProcessor < 50 µs (§1.2). Reported once per kind and routine with a count.
   */
  guidance(key: string, ns: number, limitNs: number, text: (ns: number) => string): void {
    if (ns <= limitNs || !this.config.verifier.guidanceWarnings) return;
    const w = this.warnings.get(key);
    if (!w) this.warnings.set(key, { text: text(ns), count: 1, worstNs: ns, atNs: this.cur.clock, cpu: this.cur.number });
    else {
      w.count++;
      if (ns > w.worstNs) Object.assign(w, { text: text(ns), worstNs: ns, atNs: this.cur.clock, cpu: this.cur.number });
    }
  }

  /** A misuse the simulator noticed that is not a bug check (reported once per key, with a count). */
  note(key: string, text: string): void {
    const w = this.warnings.get(key);
    if (w) w.count++;
    else this.warnings.set(key, { text, count: 1, worstNs: 0, atNs: this.cur.clock, cpu: this.cur.number });
  }

  /** The DDI being called (a bug check raised inside it shows it as the top frame). */
  inDdi: string | undefined;

  /**
   * Statements executed so far on all processors (accounted at each clock sync). With the
   * statement a processor is in the middle of a slice, it is the machine's position in its
   * deterministic history: what the debugger's time travel goes back to.
   */
  executed = 0;

  /** The attached debugger, if any: told of ISR and DPC starts and of breakpoint exceptions. */
  debugHooks: KernelDebugHooks | undefined;

  /** Set by the machine while it fires an event: the event's time. */
  eventTime: number | undefined;

  /** The present moment: the event being fired, else the running processor's time. */
  timeNow(): number {
    return this.eventTime ?? this.cur.clock;
  }

  /**
   * Work for processor p appeared now (a DPC queued to it, an interrupt routed to it): an
   * idle processor starts it no earlier than now, never in its own past.
   */
  noteWork(p: Prcb): void {
    if (p !== this.cur && p.isIdle() && p.current.ctx.frames.length === 0) p.clock = Math.max(p.clock, this.timeNow());
  }

  /** Interrupt time in 100 ns units (KeQueryInterruptTime). */
  interruptTime(): bigint {
    return BigInt(Math.floor(this.nowNs() / 100));
  }

  schedule(at: number, kind: SimEvent['kind'], target: number, what: string, data?: number): void {
    const e: SimEvent = { at, seq: this.seq++, kind, target, what, data };
    let i = this.events.length;
    while (i > 0 && (this.events[i - 1].at > at || (this.events[i - 1].at === at && this.events[i - 1].seq > e.seq))) i--;
    this.events.splice(i, 0, e);
  }

  // ---- IRQL ----------------------------------------------------------------------------------

  /**
   * Sets the processor's IRQL (the one place that does): traces it and tracks the time spent
   * at ≥ DISPATCH for the DPC watchdog (§5.1).
   */
  setIrql(p: Prcb, irql: number): void {
    const from = p.irql;
    if (from === irql) return;
    p.irql = irql;
    this.trace.record({ kind: 'irql', t: p.clock, cpu: p.number, from, to: irql });
    if (!p.isIdle()) {
      if (from < DISPATCH_LEVEL && irql >= DISPATCH_LEVEL) p.dispatchSinceNs = p.clock;
      else if (irql < DISPATCH_LEVEL) p.dispatchSinceNs = undefined;
    }
    if (p === this.cur) this.updatePaging();
  }

  /**
   * Pageable memory faults for code at ≥ DISPATCH when Verifier's Force IRQL checking is on
   * (KERNEL_MODEL §5.2: it trims pageable memory whenever a driver raises), so touching paged
   * pool in a DPC gives 0xD1 every time instead of only when the page happens to be out.
   */
  updatePaging(): void {
    const v = this.config.verifier;
    this.mem.pagedFaults = v.enabled && v.forceIrqlChecking && this.cur.irql >= DISPATCH_LEVEL;
  }

  /**
   * Work this processor must take at its current IRQL: a pending interrupt above it, or (below
   * DISPATCH) the DPC software interrupt (KERNEL_MODEL §1.2 / §2.5).
   */
  hasDeliverable(p: Prcb): boolean {
    const v = p.highestPending();
    if (v >= 0 && v >> 4 > p.irql) return true;
    return p.irql < DISPATCH_LEVEL && p.dpcInterruptRequested;
  }

  /**
   * Runs the work deliverable now (interrupts above the IRQL, then DPCs once below DISPATCH)
   * and continues with `then`: used at the end of every DDI (so a DPC runs *inside* the
   * KeLowerIrql / KeReleaseSpinLock that made it deliverable, as on Windows), at interrupt
   * exit, and by the scheduler at slice boundaries.
   */
  deliver(p: Prcb, then: () => NativeResult): NativeResult {
    const v = p.highestPending();
    if (v >= 0 && v >> 4 > p.irql) return this.dispatchInterrupt(p, v, () => this.deliver(p, then));
    if (p.irql < DISPATCH_LEVEL && p.dpcInterruptRequested) return this.dispatchDpcInterrupt(p, () => this.deliver(p, then));
    return then();
  }

  /** Installed by ke/interrupt.ts and ke/dpc.ts. */
  dispatchInterrupt!: (p: Prcb, vector: number, then: () => NativeResult) => NativeResult;
  dispatchDpcInterrupt!: (p: Prcb, then: () => NativeResult) => NativeResult;

  /** A call of C code from a native, continuing with `then(result)`. */
  callC(label: string, routine: number, args: Value[], argTypes: CType[], then: (r: Value) => NativeResult): CallBack {
    return { callBack: routine, args, argTypes, then, label };
  }

  // ---- activity & symbols ----------------------------------------------------------------------

  symbol(address: number): string {
    const s = this.hooks.symbolOf(address) ?? this.nativeNames.get(address);
    if (s) return s;
    return address === 0 ? 'NULL' : hex(address);
  }

  /** Adds a kernel routine implemented natively (a completion routine, a DPC trampoline). */
  registerNative(name: string, call: NativeFunction['call']): number {
    const address = this.allocateSystem(16, 'Code');
    this.prog.callables.set(address, { name, address, call });
    this.nativeNames.set(address, name);
    return address;
  }

  private cancelNative = 0;
  /** A native IoCancelIrp the simulated I/O manager calls for timed-out requests. */
  cancelIrpNative(): number {
    if (this.cancelNative === 0) this.cancelNative = this.registerNative('nt!IoCancelIrp', (_cpu, args) => this.io.irps.cancel(Number(args[0])));
    return this.cancelNative;
  }

  deviceName(index: number): string {
    return this.deviceNames[index] ?? `device ${index}`;
  }

  /** IoStartTimer / IoStopTimer: the IoTimer routine once per second at DISPATCH (§2.7). */
  startIoTimer(device: number, on: boolean): undefined {
    const t = this.ioTimers.get(device);
    if (!t) return undefined;
    if (t.timer === undefined || t.dpc === undefined) {
      t.timer = this.allocateSystem(this.layouts.sizeOf('KTIMER'), 'IoTm');
      t.dpc = this.allocateSystem(this.layouts.sizeOf('KDPC'), 'IoTm');
      const routine = t.routine;
      const context = t.context;
      const dispatch = this.registerNative('nt!IopTimerDispatch', () => this.callC('nt!IopTimerDispatch', routine, [device, context], [ptrT, ptrT], () => undefined));
      this.dpcs.initialize(t.dpc, dispatch, device, false);
      this.disp.initHeader(t.timer, 8, 0, this.layouts.sizeOf('KTIMER'));
    }
    t.running = on;
    if (on) this.disp.setTimer(t.timer, -10_000_000n, 1000, t.dpc);
    else this.disp.cancelTimer(t.timer);
    return undefined;
  }

  /** A data or code address as WinDbg would name it (symbol, else hex). */
  symbolOrHex(address: number): string {
    return this.hooks.symbolOf(address) ?? hex(address);
  }

  /** The call stack of a context, innermost first: driver frames with source lines, nt! frames. */
  stackOf(ctx: Cpu): string[] {
    const out: string[] = [];
    for (let i = ctx.frames.length - 1; i >= 0; i--) {
      const fr = ctx.frames[i];
      if (fr.native) {
        const label = fr.native.label ?? fr.fn.name;
        out.push(label.includes('!') ? label : `nt!${label}`);
        continue;
      }
      const pos = positionOf(fr);
      out.push(`${this.config.name}!${fr.fn.name}${pos ? ` [${pos.file.path} @ ${pos.line}]` : ''}`);
    }
    // The bottom of every stack: the idle loop, or the system thread's start.
    const idle = this.prcbs.some((p) => p.idle.ctx === ctx);
    const bottom = idle ? 'nt!KiIdleLoop' : 'nt!PspSystemThreadStartup';
    if (out[out.length - 1] !== bottom) out.push(bottom);
    return out;
  }

  /** Bug checks are raised on the current processor; at IRQL what it is now. */
  irqlName(irql: number): string {
    return irql === PASSIVE_LEVEL ? 'PASSIVE_LEVEL' : irql === 1 ? 'APC_LEVEL' : irql === 2 ? 'DISPATCH_LEVEL' : `IRQL ${irql}`;
  }
}

/** 64-bit address as WinDbg prints it: fffff800`00001000. */
export function hex(address: number | bigint): string {
  const h = (typeof address === 'bigint' ? BigInt.asUintN(64, address) : toUnsigned(address)).toString(16).padStart(16, '0');
  return `${h.slice(0, 8)}\`${h.slice(8)}`;
}

/** Kernel handles (PsCreateSystemThread's ThreadHandle, ZwClose, ObReferenceObjectByHandle). */
export class Handles {
  private next = 4;
  private readonly table = new Map<number, number>();
  create(object: number): number {
    const h = this.next;
    this.next += 4;
    this.table.set(h, object);
    // Kernel handles have the top bit set (OBJ_KERNEL_HANDLE); shown as negative numbers here.
    return h;
  }
  get(h: number): number | undefined {
    return this.table.get(h);
  }
  close(h: number): boolean {
    return this.table.delete(h);
  }
}
