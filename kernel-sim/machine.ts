// The Machine facade (ARCHITECTURE "Layers"): a compiled driver, the simulated kernel with its
// processors, the project's devices and scenario, and the discrete-event scheduler that runs
// them (decision 4): the processor furthest behind in simulated time runs next, in slices that
// end at the next event, so every run is deterministic for a project and seed.

import { toUnsigned } from './vm/memory';
import type { Program as CProgram } from './c/ast';
import { compile } from './c/index';
import { MemoryFileHost, type SimulatedHeaders } from './c/host';
import { createDeviceModel } from './devices/index';
import { type CreateDevice, createUserDevice, DeviceModuleError } from './devices/user-module';
import type { DeviceHost, DeviceModel } from './devices/device';
import { bindDdis, createComponents, faultIfPageable } from './nt/index';
import { Dispatcher } from './nt/ke/dispatcher';
import { DISPATCH_LEVEL, Prcb } from './nt/ke/prcb';
import { Hal } from './nt/hal/hal';
import { hex, Kernel, ptrT, type SimEvent } from './nt/kernel';
import { Layouts } from './nt/layouts';
import { SPIN_NS } from './nt/ke/spinlock';
import { Latched, LevelSensitive } from './nt/ke/interrupt';
import type { ProjectConfig } from './scenario/project-types';
import { expandStimuli } from './scenario/timeline';
import type { TraceEvent } from './trace/events';
import { TraceRecorder } from './trace/recorder';
import { type BugCheckReport, formatAnalyze } from './verifier/bugcheck';
import { loadProgram, type LoadedImage } from './vm/loader';
import { fromUnsigned, Memory } from './vm/memory';
import { type EngineFault, type Frame, isRequest, type NativeResult, positionOf, type Program, type StopReason } from './vm/runtime';
import { PnpManager, type RequestResult } from './nt/io/pnp';
import type { ClassPacket } from './scenario/expect';

export interface MachineLoadError {
  message: string;
  /** DDIs the driver calls that the simulator lacks (ARCHITECTURE decision 5). */
  missing: string[];
}

export interface RunResult {
  endNs: number;
  bugCheck?: BugCheckReport;
  analyze?: string;
  log: string[];
  /** When each log entry was printed (simulated ns). */
  logAtNs: number[];
  requests: RequestResult[];
  /** Packets the simulated input class drivers received. */
  classInput: ClassPacket[];
  /** Deepest any processor's DPC queue got. */
  maxDpcQueueDepth: { depth: number; cpu: number; atNs: number };
  leaks: { tag: string; size: number; address: string }[];
  /** Performance guidance exceeded (not bug checks), worst case first per routine. */
  warnings: { text: string; count: number; atNs: number; cpu: number }[];
  /** The run could not go on (a simulator limit such as memory), not a bug check. */
  error?: string;
  /** The run stopped because nothing else could happen (every CPU idle, no events left). */
  quiescent: boolean;
  slices: number;
}

/** Longest slice a processor runs before the scheduler looks again (simulated ns). */
const QUANTUM_NS = 2_000;
/** Simulated time the driver gets to handle removal and unload after the scenario's end. */
const REMOVAL_GRACE_NS = 5_000_000_000;
/** A thread's quantum at PASSIVE_LEVEL: equal-priority ready threads take turns (2 clock ticks). */
const QUANTUM_TICKS = 2;
/** Longest a spinning processor jumps ahead at once (spinning backs off exponentially). */
const MAX_SPIN_JUMP_NS = 1_000_000;

/** <ntddk.h> parsed on its own: the kernel's source of structure layouts (decision 2). */
export function kernelHeaderProgram(simulatedHeaders: SimulatedHeaders): CProgram {
  const host = new MemoryFileHost({ '/kdsim/kernel-layouts.c': '#include <ntddk.h>\n' });
  const r = compile(['/kdsim/kernel-layouts.c'], { host, simulatedHeaders });
  if (!r.ok) throw new Error(`the simulated headers do not compile: ${r.diagnostics[0]?.message ?? ''}`);
  return r.program;
}

export interface MachineOptions {
  /**
   * createDevice of each JavaScript device module the project names, by absolute path
   * (DeviceConfig.modulePath). The host loads them, and only in a trusted workspace.
   */
  deviceModules?: ReadonlyMap<string, CreateDevice>;
}

/** A scenario the devices cannot carry out (an unknown action...): ends the run with an error. */
export class ScenarioError extends Error {}

export class Machine {
  readonly k: Kernel;
  readonly trace: TraceRecorder;
  readonly models: DeviceModel[] = [];
  readonly image: LoadedImage;
  readonly pnp: PnpManager;
  private readonly symbols = new Map<number, string>();
  private spinJump = new Map<number, number>();
  private ended = false;
  bugCheck: BugCheckReport | undefined;
  slices = 0;
  /** Scenario actions, referenced by index from their events (events stay plain data). */
  private readonly actions: { name: string; args: Readonly<Record<string, unknown>> }[] = [];
  /** What devices sent out, by "device:kind" (DeviceHost.output). */
  readonly deviceOutput = new Map<string, number[]>();
  private removalTimedOut = false;
  private started = false;
  private quiescent = false;
  private runError: string | undefined;
  private sliceLimitReached: number | undefined;
  /** A slice a debugger stop interrupted: advance() goes on with it first. */
  private paused: { p: Prcb; limitNs: number } | undefined;
  /** Stopped slices (and their limits) waiting to go on: at once, or when their processor is thawed. */
  private readonly frozenSlices = new Map<Prcb, number>();
  /** The processor whose statement stopped the last advance(). */
  stoppedOn: Prcb | undefined;
  /**
   * Processors the debugger holds still while it steps another ("other CPUs frozen"): they
   * run nothing, and interrupts for them stay pending, until the set is cleared.
   */
  frozen: ReadonlySet<number> | undefined;
  /** Why the last advance() returned 'stalled': what the running processors wait for on a frozen one. */
  stalledBecause: string | undefined;
  /**
   * The debugger's say at every armed statement (breakpoints; every statement while stepping):
   * true stops the machine there, before the statement runs.
   */
  onStatement: ((p: Prcb, fr: Frame, pc: number) => boolean) | undefined;
  private readonly stopCheck = (fr: Frame, pc: number): boolean => (this.onStatement ? this.onStatement(this.k.cur, fr, pc) : false);
  /** When each processor's current thread was dispatched (quantum end). */
  private readonly dispatchedAt: number[] = [];

  private constructor(
    readonly config: ProjectConfig,
    /** The driver's checked program (types, globals, typedefs: the debugger's view of it). */
    readonly program: CProgram,
    layoutProgram: CProgram,
    private readonly options: MachineOptions,
  ) {
    const mem = new Memory({ size: config.machine.memoryMiB << 20 });
    this.trace = new TraceRecorder({ cpus: config.machine.cpus });
    const prog: Program = { mem, callables: new Map(), activations: 0 };
    const k = new Kernel(prog, mem, new Layouts(layoutProgram), config, this.trace, {
      symbolOf: (a) => this.symbols.get(a),
      isDriverCode: (a) => this.symbols.has(a),
      endOf: (a) => {
        const name = this.symbols.get(a);
        const f = name !== undefined ? this.image.functions.get(name) : undefined;
        return f ? (f.obj.endPos ?? f.obj.pos) : undefined;
      },
    });
    this.k = k;
    createComponents(k);
    // The image first (its natives are bound lazily to the kernel), then the kernel's objects.
    this.image = loadProgram(program, mem, bindDdis(k));
    for (const [a, c] of this.image.prog.callables) prog.callables.set(a, c);
    for (const f of this.image.functions.values()) this.symbols.set(f.address, f.name);
    k.disp = new Dispatcher(k, prog);
    k.hal = new Hal(k, this.models);
    this.bootProcessors();
    k.io.init();
    k.systemProcess = k.allocateSystem(0x100, 'Proc');
    k.forwardCompletion = k.registerNative('nt!IopForwardCompletion', (_cpu, args) => {
      k.disp.setSignalState(Number(args[2]), 1);
      return 0xc0000016 | 0; // STATUS_MORE_PROCESSING_REQUIRED
    });
    k.ioCallDriverNative = k.registerNative('nt!IofCallDriver', (_cpu, args) => k.io.irps.callDriver(Number(args[0]), Number(args[1])));
    this.markPageableCode();
    this.attachDevices();
    this.pnp = new PnpManager(k, config, this.image);
    this.scheduleScenario();
  }

  /** Compiles nothing: takes the driver's checked program and <ntddk.h> parsed for layouts. */
  static create(config: ProjectConfig, program: CProgram, layoutProgram: CProgram, options: MachineOptions = {}): Machine | MachineLoadError {
    let m: Machine;
    try {
      m = new Machine(config, program, layoutProgram, options);
    } catch (e) {
      const fault = (e as { fault?: EngineFault }).fault;
      return { message: fault ? fault.message : (e as Error).message, missing: [] };
    }
    if (m.image.missing.length > 0) {
      return { message: `the driver calls functions that are neither defined in its sources nor simulated DDIs: ${m.image.missing.join(', ')}`, missing: m.image.missing };
    }
    if (!m.image.functions.has('DriverEntry')) return { message: 'the driver defines no DriverEntry', missing: [] };
    return m;
  }

  private bootProcessors(): void {
    const k = this.k;
    const n = this.config.machine.cpus;
    k.interrupts.init(n);
    k.disp.init(n);
    for (let i = 0; i < n; i++) {
      const idle = k.disp.createThread(`Idle (CPU ${i})`, 0, 1n << BigInt(i), () => undefined, true);
      idle.state = 'running';
      idle.processor = i;
      // The KPRCB reaches past DpcData[2] (+0x30c0) and the DPC fields after it (KERNEL_MODEL §2.2).
      const prcb = new Prcb(i, idle, k.allocateSystem(0x3200, 'Prcb'));
      prcb.nextTickNs = k.tickNs;
      k.prcbs.push(prcb);
    }
    k.cur = k.prcbs[0];
  }

  /**
   * Functions placed in the PAGE section fault when run at ≥ DISPATCH (Force IRQL checking):
   * on entry and whenever they resume at raised IRQL (the DDI wrapper catches a return from a
   * DDI that raised it).
   */
  private markPageableCode(): void {
    const k = this.k;
    for (const f of this.image.functions.values()) {
      if (f.obj.attrs.section !== 'PAGE') continue;
      const code = f.code;
      f.code = (cpu, fr) => {
        faultIfPageable(k, f, fr.pc === 0);
        return code(cpu, fr);
      };
    }
  }

  private attachDevices(): void {
    const k = this.k;
    this.config.devices.forEach((dev, index) => {
      k.deviceNames.push(dev.id);
      const irqs = dev.resources.filter((r) => r.type === 'interrupt');
      const spec = { id: dev.id, params: dev.params, resources: dev.resources };
      let model: DeviceModel;
      if (dev.modulePath !== undefined) {
        const create = this.options.deviceModules?.get(dev.modulePath);
        if (!create) throw new Error(`device '${dev.id}': its device module ${dev.model} was not loaded (device modules run only in a trusted workspace)`);
        model = createUserDevice(dev.model, create, spec);
      } else model = createDeviceModel(dev.model, spec);
      this.models.push(model);
      const host: DeviceHost = {
        now: () => k.eventTime ?? k.nowNs(),
        schedule: (at, kind, data) => k.schedule(at, 'device', index, kind, data),
        setLine: (i, asserted) => k.interrupts.setLine(`${index}:${i}`, asserted),
        pulse: (i) => k.interrupts.pulse(`${index}:${i}`),
        trace: (what, detail) => this.trace.record({ kind: 'device', t: k.eventTime ?? k.cur.clock, device: dev.id, what, detail }),
        random: () => this.random(),
        output: (kind, data) => {
          const key = `${dev.id}:${kind}`;
          const list = this.deviceOutput.get(key) ?? [];
          list.push(...data);
          this.deviceOutput.set(key, list);
          this.trace.record({ kind: 'device', t: k.eventTime ?? k.cur.clock, device: dev.id, what: kind, detail: data.map((b) => b.toString(16).padStart(2, '0')).join(' ') });
        },
      };
      model.attach(host);
      irqs.forEach((r, i) => {
        if (r.type !== 'interrupt') return;
        k.interrupts.registerLine(`${index}:${i}`, { vector: r.vector, affinity: (r.affinityMask ?? BigInt(r.affinity)), mode: r.mode === 'latched' ? Latched : LevelSensitive, shared: r.shared, message: !!r.message });
      });
      k.hal.addResources(index, dev.resources);
    });
  }

  private rng = 0;
  private random(): number {
    // xorshift32 seeded by the project's seed: deterministic device randomness.
    if (this.rng === 0) this.rng = (this.config.machine.seed >>> 0) || 1;
    let x = this.rng;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng / 2 ** 32;
  }

  private scheduleScenario(): void {
    const k = this.k;
    const s = this.config.scenario;
    const ids = this.config.devices.map((d) => d.id);
    for (const st of expandStimuli(s.stimuli, this.config.machine.seed)) {
      const index = ids.indexOf(st.device);
      if (index < 0) continue;
      if (st.action) {
        this.actions.push(st.action);
        k.schedule(st.atNs, 'stimulus', index, 'action', this.actions.length - 1);
      } else k.schedule(st.atNs, 'stimulus', index, 'interrupt', st.data);
    }
    s.requests.forEach((r, i) => k.schedule(r.atNs, 'request', i, r.major));
    k.schedule(s.untilNs, 'shutdown', 0, 'remove');
  }

  /**
   * A stimulus from the debugger ("fire interrupt now"): the device's interrupt at the time of
   * the processor furthest ahead (nothing happens in anyone's past). Returns that time.
   */
  injectStimulus(device: number, data?: number): number {
    const k = this.k;
    const at = Math.max(...k.prcbs.map((p) => p.clock), k.eventTime ?? 0);
    k.schedule(at, 'stimulus', device, 'interrupt', data);
    return at;
  }

  // ---- the scheduler ---------------------------------------------------------------------------

  /** Runs until the end of the scenario (and the driver's removal), a bug check, or quiescence. */
  run(maxSlices = 50_000_000): RunResult {
    this.start();
    while (this.advance({ maxSlices }) === 'stopped') {
      // Without a debugger nothing asks to stop; a stop here is a stale request: go on.
    }
    return this.finish();
  }

  /** Boots the driver: DriverEntry and the PnP start run as the machine advances. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.pnp.start();
  }

  /** Whether the run is over (end of scenario and removal, a bug check, an error, quiescence). */
  get isEnded(): boolean {
    return this.ended || this.runError !== undefined || this.quiescent;
  }

  /**
   * Advances the machine. Returns 'stopped' when `onStatement` asked to stop at a statement
   * (the processor that stopped is `stoppedOn`), 'yielded' when `shouldYield` said so between
   * slices (every processor then sits at a statement boundary), 'ended' when the run is over,
   * 'stalled' (between slices) when nothing can go on without a frozen processor.
   */
  advance(opts: { maxSlices?: number; shouldYield?: () => boolean } = {}): 'stopped' | 'yielded' | 'ended' | 'stalled' {
    const k = this.k;
    const maxSlices = opts.maxSlices ?? 50_000_000;
    this.stoppedOn = undefined;
    this.stalledBecause = undefined;
    try {
      // A stopped slice goes on first, unless its processor is frozen: then it waits, exactly
      // where it stopped, while the others run (the clock accounting was settled at the stop).
      // The one a stop left is kept with any others a freeze held back.
      if (this.paused) {
        this.frozenSlices.set(this.paused.p, this.paused.limitNs);
        this.paused = undefined;
      }
      while (!this.ended && this.slices < maxSlices) {
        const thawed = this.frozenSlices.size > 0 ? [...this.frozenSlices].find(([p]) => !this.frozen?.has(p.number)) : undefined;
        if (thawed) {
          this.frozenSlices.delete(thawed[0]);
          this.continueSlice(thawed[0], thawed[1]);
          if (this.paused) return 'stopped';
          if (this.pnp.finished) this.ended = true;
          continue;
        }
        if (opts.shouldYield?.()) return 'yielded';
        const next = this.pickProcessor();
        const ev = k.events[0];
        if (!next) {
          if (!ev) {
            const waiting = this.frozen && k.prcbs.find((p) => this.frozen?.has(p.number) && this.hasWork(p));
            if (waiting) {
              this.stalledBecause = `only frozen processors have work (CPU ${waiting.number})`;
              return 'stalled';
            }
            this.quiescent = true;
            break;
          }
          for (const p of k.prcbs) if (p.clock < ev.at) p.clock = ev.at;
          this.fire();
          continue;
        }
        if (ev && ev.at <= next.clock) {
          this.advanceIdle(ev.at);
          this.fire();
          continue;
        }
        // Idle processors keep up with the frontier, so work handed to them starts now, not in the past.
        this.advanceIdle(next.clock);
        this.runSlice(next, Math.min(ev ? ev.at : Infinity, next.clock + QUANTUM_NS));
        if (this.paused) return 'stopped';
        if (this.stalledBecause !== undefined) return 'stalled';
        if (this.pnp.finished) this.ended = true;
      }
    } catch (e) {
      const fault = (e as { fault?: EngineFault }).fault;
      if (fault?.kind === 'bugcheck') this.recordBugCheck(fault, undefined);
      else if (e instanceof Error && /simulated memory/.test(e.message)) this.runError = `simulator limit reached: ${e.message} (raise machine.memoryMiB in kdsim.json)`;
      else if (e instanceof ScenarioError) this.runError = `scenario: ${e.message}`;
      else if (e instanceof DeviceModuleError) this.runError = `device module: ${e.message}`;
      else throw e;
    }
    if (!this.ended && this.slices >= maxSlices) this.sliceLimitReached = maxSlices;
    return 'ended';
  }

  /** The outcome of the run so far (call when advance() returned 'ended'). */
  finish(): RunResult {
    const k = this.k;
    let error = this.runError;
    if (!error && !this.bugCheck && this.pnp.problems.length > 0) error = this.pnp.problems.join('; ');
    if (this.removalTimedOut && !this.bugCheck) error = `the driver did not finish IRP_MN_REMOVE_DEVICE and DriverUnload within ${REMOVAL_GRACE_NS / 1e9} s (simulated) after the scenario's end`;
    if (!error && !this.bugCheck && this.sliceLimitReached !== undefined) error = `stopped after ${this.sliceLimitReached} scheduling slices`;
    const endNs = Math.max(...k.prcbs.map((p) => p.clock));
    return {
      endNs,
      bugCheck: this.bugCheck,
      analyze: this.bugCheck ? formatAnalyze(this.bugCheck) : undefined,
      log: k.log,
      logAtNs: k.logAtNs,
      requests: this.pnp.requests,
      classInput: k.inputClass.packets,
      maxDpcQueueDepth: k.prcbs.reduce((best, p) => (p.peakDpcQueueDepth > best.depth ? { depth: p.peakDpcQueueDepth, cpu: p.number, atNs: p.peakDpcQueueDepthAtNs } : best), { depth: 0, cpu: 0, atNs: 0 }),
      leaks: this.bugCheck ? [] : this.pnp.leaks,
      warnings: [...k.warnings.values()].map(({ text, count, atNs, cpu }) => ({ text, count, atNs, cpu })),
      quiescent: this.quiescent,
      slices: this.slices,
      error,
    };
  }

  private advanceIdle(t: number): void {
    for (const p of this.k.prcbs) if (p.clock < t && !this.hasWork(p)) p.clock = t;
  }

  /** The processor with work that is furthest behind in time (ties: the lowest number). */
  private pickProcessor(): Prcb | undefined {
    let best: Prcb | undefined;
    for (const p of this.k.prcbs) {
      if (!this.hasWork(p) || this.frozen?.has(p.number) || this.frozenSlices.has(p)) continue;
      if (!best || p.clock < best.clock) best = p;
    }
    return best;
  }

  private hasWork(p: Prcb): boolean {
    const k = this.k;
    if (!p.current.isIdle) return true;
    if (p.current.ctx.frames.length > 0) return true;
    if (k.hasDeliverable(p) || k.dpcs.idleWork(p)) return true;
    return k.disp.pickReady(p) !== undefined;
  }

  private fire(): void {
    const k = this.k;
    const e = k.events.shift() as SimEvent;
    k.disp.dirty = true; // an event may satisfy a wait (a timeout, a device, a request)
    k.eventTime = e.at;
    try {
      switch (e.kind) {
        case 'device':
          this.models[e.target].onEvent(e.what, e.data);
          break;
        case 'stimulus':
          if (e.what === 'action') this.act(e.target, this.actions[e.data ?? 0]);
          else this.models[e.target].stimulate(e.data);
          break;
        case 'timer':
          if (e.what === 'timer-expiry') k.disp.onTimerEvent(e.target, e.data ?? 0);
          break;
        case 'request':
          this.pnp.startRequest(e.target, e.at);
          break;
        case 'shutdown':
          if (e.what === 'remove') {
            this.pnp.startShutdown(e.at);
            k.schedule(e.at + REMOVAL_GRACE_NS, 'shutdown', 0, 'deadline');
          } else if (!this.pnp.finished) {
            this.removalTimedOut = true;
            this.ended = true;
          }
          break;
      }
    } finally {
      k.eventTime = undefined;
    }
  }

  /** A model-specific scenario action; a model without it (or an unknown action) ends the run. */
  private act(device: number, a: { name: string; args: Readonly<Record<string, unknown>> }): void {
    const m = this.models[device];
    const id = this.config.devices[device].id;
    if (!m.act) throw new ScenarioError(`device '${id}' (model ${m.model}) has no scenario actions; '${a.name}' cannot be done`);
    try {
      m.act(a.name, a.args);
    } catch (e) {
      throw new ScenarioError(`device '${id}': action '${a.name}': ${(e as Error).message}`);
    }
  }

  /** Runs processor p until `limitNs` (or until it blocks, idles, or hits a stop). */
  private runSlice(p: Prcb, limitNs: number): void {
    const k = this.k;
    this.slices++;
    k.cur = p;
    k.updatePaging();
    while (p.nextTickNs <= p.clock) {
      this.clockTick(p);
      p.nextTickNs += k.tickNs;
    }
    if (p.current.isIdle && p.current.ctx.frames.length === 0) {
      const t = !k.hasDeliverable(p) && !k.dpcs.idleWork(p) ? k.disp.pickReady(p) : undefined;
      if (t) this.switchTo(p, t);
    } else if (!p.current.isIdle && p.irql < DISPATCH_LEVEL && !p.current.runsOn(p.number)) {
      // Its affinity no longer includes this processor (KeSetSystemAffinityThreadEx): move it.
      this.switchTo(p, k.disp.pickReady(p) ?? p.idle);
    } else if (!p.current.isIdle && p.irql < DISPATCH_LEVEL) {
      // Preemption at PASSIVE/APC: a ready thread of higher priority takes the processor.
      // Equal priority: round robin when the running thread's quantum has ended.
      const t = k.disp.pickReady(p);
      const quantumEnded = p.clock - (this.dispatchedAt[p.number] ?? 0) >= QUANTUM_TICKS * k.tickNs;
      if (t && (t.priority > p.current.priority || (t.priority === p.current.priority && quantumEnded))) this.switchTo(p, t);
    }
    const ctx = p.current.ctx;
    if (k.hasDeliverable(p)) {
      const saved = ctx.resumePoint;
      const r = k.deliver(p, () => {
        ctx.resumePoint = saved;
        return undefined;
      });
      if (isRequest(r)) ctx.pushRequest('nt!KiInterruptDispatch', r);
    } else if (p.current.isIdle && ctx.frames.length === 0 && k.dpcs.idleWork(p)) {
      const r: NativeResult = k.dpcs.retire(p, () => undefined);
      if (isRequest(r)) ctx.pushRequest('nt!KiIdleLoop', r);
    }
    if (ctx.frames.length === 0) return;
    const budget = Math.max(1, Math.floor((limitNs - p.clock) / k.cost.statement));
    ctx.budget = budget;
    p.sliceBudget = budget;
    this.runContext(p, limitNs);
  }

  /** Goes on with the slice a debugger stop interrupted, exactly as if it had not stopped. */
  private continueSlice(p: Prcb, limitNs: number): void {
    const k = this.k;
    k.cur = p;
    k.updatePaging();
    const ctx = p.current.ctx;
    // Stopped where the budget also ran out: the slice was over anyway.
    if (ctx.budget < 0) this.afterRun(p, { kind: 'suspended', frame: ctx.frames[ctx.frames.length - 1], stop: ctx.lastStop }, limitNs);
    else this.runContext(p, limitNs);
  }

  /** Runs the processor's current context within its budget; a debugger stop pauses the slice. */
  private runContext(p: Prcb, limitNs: number): void {
    const k = this.k;
    const ctx = p.current.ctx;
    ctx.shouldStop = this.stopCheck;
    ctx.hostStopped = false;
    const r = ctx.run();
    k.syncClock(p);
    if (r.kind === 'suspended' && ctx.hostStopped) {
      this.paused = { p, limitNs };
      this.stoppedOn = p;
      return;
    }
    this.afterRun(p, r, limitNs);
  }

  /** The scheduler's side of a context's run: thread end, blocking, faults, the watchdog. */
  private afterRun(p: Prcb, r: StopReason, limitNs: number): void {
    const k = this.k;
    const ctx = p.current.ctx;
    switch (r.kind) {
      case 'returned':
        if (ctx.frames.length === 0 && !p.current.isIdle) {
          const t = p.current;
          if (t.state !== 'terminated') k.disp.terminate(t, 0);
          this.switchTo(p, p.idle);
          k.disp.reap(t);
        }
        break;
      case 'blocked': {
        const on = r.on;
        if (on.wait) {
          const t = p.current;
          if (t.state === 'waiting' || t.state === 'terminated') this.switchTo(p, p.idle);
          if (t.state === 'terminated') k.disp.reap(t); // PsTerminateSystemThread
        } else if (on.untilNs !== undefined) {
          p.clock = Math.max(p.clock, Math.min(on.untilNs, limitNs));
        } else {
          // Spinning on a lock: the holder runs meanwhile; catch up with it (never passing it
          // by more than one spin). A holder that is itself spinning means a deadlock: back off
          // exponentially so the DPC watchdog is reached in reasonable host time.
          const owner = on.spinOn !== undefined ? k.locks.held(on.spinOn) : undefined;
          const holder = owner && owner.cpu !== p.number ? k.prcbs[owner.cpu] : undefined;
          const holderSpins = holder?.current.ctx.blockedOn?.spinOn !== undefined;
          if (holder && this.frozen?.has(holder.number)) {
            // The holder is frozen by the debugger: spinning would never end.
            this.stalledBecause = `CPU ${p.number} spins on a lock that frozen CPU ${holder.number} holds`;
          } else if (holder && !holderSpins) {
            this.spinJump.delete(p.number);
            p.clock += Math.max(SPIN_NS, holder.clock - p.clock + SPIN_NS);
          } else {
            const backoff = Math.min(MAX_SPIN_JUMP_NS, (this.spinJump.get(p.number) ?? SPIN_NS / 2) * 2);
            this.spinJump.set(p.number, backoff);
            p.clock += backoff;
          }
        }
        break;
      }
      case 'fault':
        this.recordBugCheck(this.translateFault(p, r.fault), ctx);
        return;
      default:
        break;
    }
    if (r.kind !== 'blocked') this.spinJump.delete(p.number);
    this.checkWatchdog(p);
  }

  private switchTo(p: Prcb, t: Prcb['current']): void {
    const k = this.k;
    if (p.current === t) return;
    const from = p.current;
    if (!from.isIdle) from.savedIrql = Math.min(p.irql, DISPATCH_LEVEL - 1);
    if (from.state === 'running' && !from.isIdle) k.disp.makeReady(from, p.clock, true);
    p.current = t;
    t.processor = p.number;
    if (t.isIdle) {
      k.setIrql(p, DISPATCH_LEVEL);
      return;
    }
    k.disp.markRunning(t);
    this.dispatchedAt[p.number] = p.clock;
    // A thread cannot start before it became ready (it may have been readied by a processor ahead in time).
    if (from.isIdle) p.clock = Math.max(p.clock, t.readySince);
    k.charge(k.cost.contextSwitch);
    k.setIrql(p, t.savedIrql);
    this.trace.record({ kind: 'thread', t: p.clock, cpu: p.number, thread: t.id, what: 'run', name: t.name });
  }

  /** The clock interrupt's DPC bookkeeping (KERNEL_MODEL §2.6). */
  private clockTick(p: Prcb): void {
    p.tickCount++;
    p.dpcRequestRate = Math.floor((p.dpcCount - p.dpcLastCount + p.dpcRequestRate) / 2);
    p.dpcLastCount = p.dpcCount;
    if (p.dpcQueue.length > 0 && !p.dpcRoutineActive) {
      p.dpcInterruptRequested = true;
      p.adjustDpcThreshold = 20;
      if (p.dpcRequestRate < 20 && p.maximumDpcQueueDepth > 1) p.maximumDpcQueueDepth--;
    } else if (--p.adjustDpcThreshold === 0) {
      p.adjustDpcThreshold = 20;
      if (p.maximumDpcQueueDepth < 4) p.maximumDpcQueueDepth++;
    }
  }

  /** DPC watchdog (§5.1): one DPC/ISR over its allotment, or too long at ≥ DISPATCH in total. */
  private checkWatchdog(p: Prcb): void {
    const k = this.k;
    const w = this.config.watchdog;
    const a = p.activeRoutine;
    if (a && p.clock - a.startNs > w.dpcTimeLimitTicks * k.tickNs) {
      k.cur = p;
      k.bugCheck(0x133, 0n, BigInt(Math.floor((p.clock - a.startNs) / k.tickNs)), BigInt(w.dpcTimeLimitTicks), 0n, `${a.kind === 'isr' ? 'ISR' : 'DPC routine'} ${a.name} ran ${((p.clock - a.startNs) / 1e9).toFixed(2)} s (allotment ${w.dpcTimeLimitTicks} ticks)`);
    }
    if (p.dispatchSinceNs !== undefined && p.clock - p.dispatchSinceNs > w.dpcWatchdogPeriodTicks * k.tickNs) {
      k.cur = p;
      k.bugCheck(0x133, 1n, BigInt(w.dpcWatchdogPeriodTicks), 0n, 0n, `processor ${p.number} stayed at IRQL >= DISPATCH_LEVEL for ${((p.clock - p.dispatchSinceNs) / 1e9).toFixed(2)} s`);
    }
  }

  /** A fault in driver code becomes the bug check Windows raises (KERNEL_MODEL §5.1). */
  private translateFault(p: Prcb, f: EngineFault): EngineFault {
    if (f.kind === 'bugcheck') return f;
    const irql = p.irql;
    const inRoutine = p.activity.some((x) => x.kind === 'isr' || x.kind === 'dpc');
    const where = f.functionName ? this.image.functions.get(f.functionName)?.address ?? 0 : 0;
    const U = (v: number | bigint): bigint => (typeof v === 'bigint' ? BigInt.asUintN(64, v) : toUnsigned(v));
    let code: number;
    let args: [bigint, bigint, bigint, bigint];
    if (f.kind === 'memory' && f.memory) {
      const mf = f.memory;
      // Special pool turns a PAGE_FAULT_IN_NONPAGED_AREA into 0xD6 / 0xD5; above APC_LEVEL the
      // fault is IRQL_NOT_LESS_OR_EQUAL first, so it stays 0xD1 ([R] ke/bug.c KeBugCheckWithTf).
      const special = this.config.verifier.enabled && irql < DISPATCH_LEVEL;
      const addr = mf.kind === 'null' || mf.kind === 'non-canonical' ? NaN : fromUnsigned(mf.address);
      if (special && mf.kind === 'guard' && mf.near?.kind === 'pool') {
        // Special pool: the page after every block is a guard (DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION).
        code = 0xd6;
        args = [mf.address, mf.write ? 1n : 0n, U(where), 0n];
      } else if (special && !Number.isNaN(addr) && this.k.pool.wasFreed(addr)) {
        // Special pool keeps freed blocks unmapped (DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL).
        code = 0xd5;
        args = [mf.address, mf.write ? 1n : 0n, U(where), 0n];
      } else if (irql >= DISPATCH_LEVEL) {
        code = 0xd1;
        args = [mf.address, BigInt(irql), mf.write ? 1n : 0n, U(where)];
      } else if (mf.kind === 'null' || mf.kind === 'non-canonical') {
        code = inRoutine ? 0x1e : 0x7e;
        args = [0xc0000005n, U(where), 0n, mf.address];
      } else {
        code = 0x50;
        args = [mf.address, mf.write ? 2n : 0n, U(where), 0n];
      }
    } else if (f.kind === 'bad-call') {
      code = irql >= DISPATCH_LEVEL ? 0xd1 : 0x7e;
      args = irql >= DISPATCH_LEVEL ? [0n, BigInt(irql), 8n, 0n] : [0xc0000005n, 0n, 0n, 0n];
    } else if (f.kind === 'divide') {
      code = inRoutine || irql >= DISPATCH_LEVEL ? 0x1e : 0x7e;
      args = [0xc0000094n, U(where), 0n, 0n];
    } else if (f.kind === 'stack-overflow') {
      code = 0x7f;
      args = [8n, 0n, 0n, 0n];
    } else {
      code = 0x1e;
      args = [0xc0000005n, U(where), 0n, 0n];
    }
    return { ...f, kind: 'bugcheck', bugCheck: { code, args }, message: `${f.message}` };
  }

  private recordBugCheck(f: EngineFault, ctx: Prcb['current']['ctx'] | undefined): void {
    const k = this.k;
    const p = k.cur;
    const bc = f.bugCheck ?? { code: 0x1e, args: [0n, 0n, 0n, 0n] as [bigint, bigint, bigint, bigint] };
    const c = ctx ?? p.current.ctx;
    const top = [...c.frames].reverse().find((fr) => !fr.native);
    const info = k.bugCheckInfo;
    const native = f.pos?.file.path === '<native>';
    const pos = info?.pos ?? (native ? undefined : f.pos) ?? (top ? positionOf(top) : undefined);
    this.bugCheck = {
      code: bc.code,
      args: bc.args,
      cpu: p.number,
      irql: p.irql,
      timeNs: p.clock,
      routine: info?.routine ?? (native ? undefined : f.functionName) ?? top?.fn.name,
      source: pos ? { path: pos.file.path, line: pos.line, column: pos.col, text: pos.file.text.split('\n')[pos.line - 1]?.trim() } : undefined,
      stack: info?.ddi ? [info.ddi.includes('!') ? info.ddi : `nt!${info.ddi}`, ...k.stackOf(c)] : k.stackOf(c),
      driver: this.config.name,
      reason: info?.reason ?? f.message,
    };
    this.trace.record({ kind: 'bugcheck', t: p.clock, cpu: p.number, code: bc.code, args: bc.args.map((x) => hex(x)) as [string, string, string, string] });
    this.ended = true;
  }

  /**
   * The trace as JSON text for tools: object addresses (KDPC, KINTERRUPT, lock, IRP, device)
   * as the real 64-bit values in hex, which JSON numbers cannot hold.
   */
  traceJson(): string {
    const addressFields = new Set(['dpc', 'interrupt', 'lock', 'irp']);
    return JSON.stringify(this.trace.toJSON(), (key, value: unknown) => {
      if (typeof value === 'number' && (addressFields.has(key) || (key === 'device' && value < 0))) return `0x${toUnsigned(value).toString(16)}`;
      return value;
    });
  }

  /** Events recorded so far (the trace). */
  get events(): readonly TraceEvent[] {
    return this.trace.events;
  }
}

export { ptrT };
