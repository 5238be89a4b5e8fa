// The engine's run-time model: CPUs with frame stacks, the trampoline that runs compiled
// C functions (resumable state machines, see codegen.ts), native functions, faults.
// Everything a CPU holds is plain data, so it can be snapshotted and restored.

import type { FuncObj, VarObj } from '../c/ast';
import type { SourcePos } from '../c/token';
import type { CType } from '../c/types';
import { Memory, MemoryFault, PAGE_SIZE, type Region } from './memory';

/** What a compiled function's step returns to the trampoline. */
export const enum Exit {
  Return = 0,
  Suspend = 1,
  Call = 2,
  /** A native is waiting (spin lock, wait, stall): the context cannot go on until it is polled again. */
  Block = 3,
}

export type Value = number | bigint;

/** C calls nest as JS calls up to this depth; deeper ones go through the trampoline. */
const MAX_JS_DEPTH = 400;

/** One activation. `s` holds register-like locals and temporaries; the rest is in stack memory. */
export interface Frame {
  fn: CompiledFunction;
  pc: number;
  s: Value[];
  /** Base address of the activation's stack memory (locals whose address is taken, arguments). */
  sp: number;
  /** Address of the variadic arguments (8-byte slots), 0 if none. */
  va: number;
  /** Result of the last call this frame made. */
  rv: Value;
  /** Where a struct result is to be stored (the caller's buffer), 0 if none. */
  retBuf: number;
  /** In a native's continuation frame: the request in progress (call-back or pending). */
  native?: NativeRequest;
  /** Activation number (frames are recycled: this tells one call from the next). */
  act: number;
}

export interface StopPoint {
  pc: number;
  pos: SourcePos;
  kind: 'stmt' | 'entry' | 'exit';
}

export type ParamPlace = { slot: number } | { offset: number };

export interface CompiledFunction {
  obj: FuncObj;
  name: string;
  address: number;
  code: (cpu: Cpu, fr: Frame) => number;
  nslots: number;
  /** A zeroed slot array to copy for each activation. */
  zeroSlots: Value[];
  /** Slot of each parameter, -1 when it lives in stack memory. */
  paramSlots: number[];
  /** Finished activations kept for reuse (not part of the machine state). */
  pool: Frame[];
  /** Bytes of stack memory the activation needs (16-byte aligned). */
  frameSize: number;
  params: { place: ParamPlace; type: CType }[];
  /** Where every parameter and automatic local lives (slot or frame offset), for the debugger. */
  variables: { v: VarObj; place: ParamPlace }[];
  /** True while any statement of this function is armed (then F.bp is consulted). */
  traps: boolean;
  /** 1 at each armed pc (breakpoints). */
  bp: Uint8Array;
  stops: StopPoint[];
  /** For every pc (case label): the statement it belongs to, as an index into `stops`. */
  pcStop: number[];
  source: string;
}

/** A function implemented in TypeScript (the C library, DDIs). */
export interface NativeFunction {
  name: string;
  address: number;
  /**
   * Returns the C return value (numbers/bigints as in generated code; undefined for void), or
   * a request to call C first (KeSynchronizeExecution, qsort): see CallBack.
   */
  call(cpu: Cpu, args: Value[], argTypes: CType[]): NativeResult;
}

/**
 * A native's request to call a C function (by address) and continue with its result. The call
 * runs in a continuation frame like any C frame, so a breakpoint inside the callback suspends
 * and resumes normally. `then` must depend only on what it captured (snapshots share it).
 */
export interface CallBack {
  callBack: number;
  args: Value[];
  argTypes: CType[];
  then(result: Value): NativeResult;
  /** Name the debugger shows for the continuation frame (e.g. "nt!KiRetireDpcList"). */
  label?: string;
}

/** What Pending.poll returns while the native still cannot finish. */
export const BLOCKED: unique symbol = Symbol('blocked');

/**
 * A native that cannot finish yet (spinning on a lock, waiting on an object, stalling): the
 * context blocks in a continuation frame; whoever runs the context polls it again later.
 * `poll` must depend only on what it captured and on machine state.
 */
export interface Pending {
  poll(): NativeResult | typeof BLOCKED;
  label?: string;
  /** What it waits for, for the debugger and the scheduler. */
  reason: string;
  /** Busy-waiting until this simulated time (a stall): the scheduler can jump the clock there. */
  untilNs?: number;
  /** A thread wait: the scheduler runs something else on the processor meanwhile. */
  wait?: boolean;
  /** Spinning on this lock address (the scheduler lets the holder catch up). */
  spinOn?: number;
}

export type NativeRequest = CallBack | Pending;
export type NativeResult = Value | undefined | NativeRequest;

export function isRequest(r: NativeResult): r is NativeRequest {
  return typeof r === 'object' && r !== null;
}

function isPending(r: NativeRequest): r is Pending {
  return (r as Pending).poll !== undefined;
}

/** The code of a native's continuation frame: call, then hand the result to `then`; or poll. */
function continuationCode(cpu: Cpu, fr: Frame): number {
  for (;;) {
    const req = fr.native as NativeRequest;
    let next: NativeResult;
    if (isPending(req)) {
      const r = req.poll();
      if (r === BLOCKED) {
        cpu.blockedOn = req;
        return Exit.Block;
      }
      cpu.blockedOn = undefined;
      next = r;
    } else {
      if (fr.pc === 0) {
        fr.pc = 1;
        const x = cpu.call(fr, req.callBack, req.args, req.argTypes);
        if (x !== 0) return x;
      }
      next = req.then(fr.rv);
    }
    if (isRequest(next)) {
      fr.native = next;
      fr.pc = 0;
      continue;
    }
    cpu.rv = next ?? 0;
    return Exit.Return;
  }
}

export type Callable = CompiledFunction | NativeFunction;

export function isNative(c: Callable): c is NativeFunction {
  return (c as CompiledFunction).code === undefined;
}

/** Why a run ended or paused. */
export type StopReason =
  | { kind: 'returned'; value: Value | undefined }
  | { kind: 'suspended'; frame: Frame; stop: StopPoint | undefined }
  | { kind: 'blocked'; on: Pending }
  | { kind: 'fault'; fault: EngineFault }
  | { kind: 'exit'; status: number };

/** A fault raised by running code: bad memory access, divide error, stack overflow, ... */
export interface EngineFault {
  kind: 'memory' | 'divide' | 'stack-overflow' | 'bad-call' | 'abort' | 'assert' | 'unimplemented' | 'bugcheck';
  message: string;
  memory?: MemoryFault;
  /** Statement that was executing (innermost C frame). */
  pos?: SourcePos;
  functionName?: string;
  /** A bug check raised by the simulated kernel (kind 'bugcheck'). */
  bugCheck?: { code: number; args: [bigint, bigint, bigint, bigint] };
}

export interface CpuSnapshot {
  readonly frames: readonly Frame[];
  readonly sp: number;
  readonly rv: Value;
  readonly budget: number;
  readonly resumeAt: { index: number; pc: number } | undefined;
}

/** Thrown by natives/helpers to end the run cleanly (exit(), abort(), failed assert). */
export class ProgramExit {
  constructor(readonly status: number) {}
}

export class FaultSignal {
  constructor(readonly fault: EngineFault) {}
}

export interface Program {
  mem: Memory;
  /** Function address → callable (C or native). */
  callables: Map<number, Callable>;
  /**
   * Activations started so far (all contexts of this machine): numbers frames for the
   * debugger's step logic, the same in every re-execution of the same history.
   */
  activations: number;
}

export class Cpu {
  readonly frames: Frame[] = [];
  /** Statements left before the CPU yields to its scheduler. */
  budget = Number.MAX_SAFE_INTEGER;
  /** Return value register between a callee and its caller. */
  rv: Value = 0;
  sp: number;
  private resumeAt: { fr: Frame; pc: number } | undefined;
  /** For a native returning a structure: where the caller wants it (the native returns this address). */
  nativeRetBuf = 0;
  /** The pending native this context is blocked on (Exit.Block), if any. */
  blockedOn: Pending | undefined;
  /** Set by the host to decide whether an armed statement stops (breakpoints). */
  shouldStop: (fr: Frame, pc: number) => boolean = () => false;
  lastStop: StopPoint | undefined;

  constructor(
    readonly prog: Program,
    readonly stack: Region,
    readonly index = 0,
  ) {
    this.sp = stack.start + stack.size;
    this.stackLimit = stack.start + PAGE_SIZE / 4;
  }

  /** Lowest stack pointer allowed (a quarter page above the guard page). */
  private readonly stackLimit: number;

  get mem(): Memory {
    return this.prog.mem;
  }

  private nextActivation(): number {
    return ++this.prog.activations;
  }

  /**
   * Called by generated code at an armed statement or when the budget ran out; true means
   * suspend here. A resumed statement is let through once.
   */
  trap(fr: Frame, pc: number): boolean {
    if (this.resumeAt && this.resumeAt.fr === fr && this.resumeAt.pc === pc) {
      this.resumeAt = undefined;
      return false;
    }
    const outOfBudget = this.budget < 0;
    // Asked even when the budget ran out: the statement is let through when resumed, so a
    // breakpoint on it would otherwise be missed.
    const hostStop = this.shouldStop(fr, pc);
    if (outOfBudget || hostStop) {
      this.lastStop = fr.fn.stops[fr.fn.pcStop[pc]];
      this.resumeAt = { fr, pc };
      this.hostStopped = hostStop;
      // A stop for the host did not run the statement: give back the budget it was charged,
      // so a run with breakpoints takes exactly the time of a run without them.
      if (!outOfBudget) this.budget++;
      return true;
    }
    return false;
  }

  /** The last suspension was asked for by shouldStop (a breakpoint or step), not the budget. */
  hostStopped = false;

  /** Pushes an activation of `fn` with `args`; returns the frame. */
  enter(fn: CompiledFunction, args: Value[], argTypes: CType[], retBuf = 0): Frame {
    const fixed = fn.params.length;
    const extra = args.length > fixed ? args.length - fixed : 0;
    const size = fn.frameSize + extra * 8;
    const sp = Math.floor((this.sp - size) / 16) * 16; // addresses exceed 32 bits: no bit ops
    if (sp < this.stackLimit) {
      throw new FaultSignal({ kind: 'stack-overflow', message: `stack overflow entering ${fn.name} (CPU ${this.index} stack exhausted)`, functionName: fn.name });
    }
    // Activations are recycled per function: calls are the hottest allocation otherwise.
    let fr = fn.pool.pop();
    let s: Value[];
    if (fr) {
      s = fr.s;
      for (let i = 0; i < s.length; i++) s[i] = 0;
      fr.pc = 0;
      fr.sp = sp;
      fr.va = 0;
      fr.rv = 0;
      fr.retBuf = retBuf;
      fr.act = this.nextActivation();
    } else {
      s = fn.zeroSlots.slice();
      fr = { fn, pc: 0, s, sp, va: 0, rv: 0, retBuf, native: undefined, act: this.nextActivation() };
    }
    const slots = fn.paramSlots;
    for (let i = 0; i < fixed; i++) {
      const k = slots[i];
      if (k >= 0) s[k] = args[i] ?? 0;
      else {
        const p = fn.params[i];
        storeValue(this.mem, sp + (p.place as { offset: number }).offset, p.type, args[i] ?? 0);
      }
    }
    if (extra > 0) {
      fr.va = sp + fn.frameSize;
      for (let i = 0; i < extra; i++) storeVararg(this.mem, fr.va + i * 8, argTypes[fixed + i], args[fixed + i]);
    }
    this.sp = sp;
    this.frames.push(fr);
    return fr;
  }

  /**
   * A call from generated code (the caller has stored its resume pc). Natives run at once;
   * a C callee runs as a nested JS call while the JS stack allows, else via the trampoline.
   * Returns 0 when the call completed (result in `fr.rv`), otherwise the exit code the
   * caller must return (the callee suspended, or the trampoline is to run it).
   */
  call(fr: Frame, target: number, args: Value[], argTypes: CType[], retBuf = 0): number {
    const c = this.prog.callables.get(target);
    if (!c) {
      throw new FaultSignal({ kind: 'bad-call', message: `call through a pointer that is not a function (0x${BigInt.asUintN(64, BigInt(Number.isNaN(target) ? 0 : target)).toString(16)})` });
    }
    return this.invoke(fr, c, args, argTypes, retBuf);
  }

  /** A call whose callee is known (direct calls resolve it once, at load time). */
  invoke(fr: Frame, c: Callable, args: Value[], argTypes: CType[], retBuf = 0): number {
    if (isNative(c)) {
      this.nativeRetBuf = retBuf;
      const r = c.call(this, args, argTypes);
      if (!isRequest(r)) {
        fr.rv = r ?? 0;
        return 0;
      }
      return this.continueNative(fr, c, r);
    }
    const callee = this.enter(c, args, argTypes, retBuf);
    if (this.depth >= MAX_JS_DEPTH) return Exit.Call;
    this.depth++;
    const r = c.code(this, callee);
    this.depth--;
    if (r !== Exit.Return) return r;
    this.frames.pop();
    if (c.pool.length < 16) c.pool.push(callee);
    this.sp = fr.sp;
    fr.rv = this.rv;
    return 0;
  }

  /** Runs a native's call-back in a continuation frame (resumable like C frames). */
  private continueNative(fr: Frame, c: NativeFunction, req: NativeRequest): number {
    const fn = continuationFunction(c);
    const cont: Frame = { fn, pc: 0, s: [], sp: this.sp, va: 0, rv: 0, retBuf: 0, native: req, act: this.nextActivation() };
    // (same shape as every other frame: generated code sees one object layout)
    this.frames.push(cont);
    if (this.depth >= MAX_JS_DEPTH) return Exit.Call;
    this.depth++;
    const r = continuationCode(this, cont);
    this.depth--;
    if (r !== Exit.Return) return r;
    this.frames.pop();
    this.sp = fr.sp;
    fr.rv = this.rv;
    return 0;
  }

  /** Nested JS calls in progress (reset whenever the trampoline starts). */
  private depth = 0;

  /** Runs until the frame stack drops back to `base` frames, a suspension, a fault or exit. */
  run(base = 0): StopReason {
    const frames = this.frames;
    this.depth = 0;
    try {
      while (frames.length > base) {
        const fr = frames[frames.length - 1];
        const r = fr.fn.code(this, fr);
        if (r === Exit.Return) {
          frames.pop();
          this.sp = frames.length > 0 ? frames[frames.length - 1].sp : this.stack.start + this.stack.size;
          if (frames.length <= base) return { kind: 'returned', value: this.rv };
          frames[frames.length - 1].rv = this.rv;
        } else if (r === Exit.Suspend) {
          return { kind: 'suspended', frame: fr, stop: this.lastStop };
        } else if (r === Exit.Block) {
          return { kind: 'blocked', on: this.blockedOn as Pending };
        }
      }
      return { kind: 'returned', value: this.rv };
    } catch (e) {
      if (e instanceof ProgramExit) return { kind: 'exit', status: e.status };
      const top = frames[frames.length - 1];
      const where = top ? { pos: positionOf(top), functionName: top.fn.name } : {};
      if (e instanceof MemoryFault) return { kind: 'fault', fault: { kind: 'memory', message: e.message, memory: e, ...where } };
      if (e instanceof FaultSignal) return { kind: 'fault', fault: { ...where, ...e.fault } };
      if (e instanceof RangeError) return { kind: 'fault', fault: { kind: 'stack-overflow', message: 'stack overflow (call nesting too deep)', ...where } };
      throw e;
    }
  }

  /** The CPU's complete state (frames are copied: later execution does not alter it). */
  snapshot(): CpuSnapshot {
    return {
      frames: this.frames.map((f) => ({ ...f, s: f.s.slice() })),
      sp: this.sp,
      rv: this.rv,
      budget: this.budget,
      resumeAt: this.resumeAt ? { index: this.frames.indexOf(this.resumeAt.fr), pc: this.resumeAt.pc } : undefined,
    };
  }

  restore(snap: CpuSnapshot): void {
    this.frames.length = 0;
    for (const f of snap.frames) this.frames.push({ ...f, s: f.s.slice() });
    this.sp = snap.sp;
    this.rv = snap.rv;
    this.budget = snap.budget;
    this.resumeAt = snap.resumeAt && snap.resumeAt.index >= 0 ? { fr: this.frames[snap.resumeAt.index], pc: snap.resumeAt.pc } : undefined;
  }

  /**
   * The statement a suspended frame will be let through once when resumed. Code that pushes
   * activations on a suspended context (an interrupt) saves it and puts it back afterwards.
   */
  get resumePoint(): { fr: Frame; pc: number } | undefined {
    return this.resumeAt;
  }
  set resumePoint(p: { fr: Frame; pc: number } | undefined) {
    this.resumeAt = p;
  }

  /**
   * Pushes a native activation (label names it in stacks) that performs `req` when the
   * context runs next: how the kernel starts an interrupt dispatch or a DPC drain on top of
   * whatever the processor was executing.
   */
  pushRequest(label: string, req: NativeRequest): Frame {
    const fn = continuationFunction(labelledNative(label));
    const fr: Frame = { fn, pc: 0, s: [], sp: this.sp, va: 0, rv: 0, retBuf: 0, native: req, act: this.nextActivation() };
    this.frames.push(fr);
    return fr;
  }

  /** Resumes a suspended CPU. */
  resume(base = 0): StopReason {
    return this.run(base);
  }
}

const continuations = new WeakMap<NativeFunction, CompiledFunction>();
const labelled = new Map<string, NativeFunction>();

function labelledNative(label: string): NativeFunction {
  let n = labelled.get(label);
  if (!n) {
    n = { name: label, address: 0, call: () => undefined };
    labelled.set(label, n);
  }
  return n;
}

/** The pseudo-function a native's continuation frames run (shows as the native in stacks). */
function continuationFunction(c: NativeFunction): CompiledFunction {
  let f = continuations.get(c);
  if (!f) {
    f = {
      obj: { kind: 'func', name: c.name, type: { kind: 'func', ret: { kind: 'void', size: -1, align: 1 }, params: [], variadic: false, noPrototype: true, size: -1, align: 1 }, isStatic: false, isInline: false, params: [], locals: [], body: undefined, pos: { file: { path: '<native>', text: '', system: true }, line: 0, col: 0 }, endPos: undefined, id: -1, attrs: { irql: [] }, hasVarargs: false },
      name: c.name,
      address: c.address,
      code: continuationCode,
      nslots: 0,
      zeroSlots: [],
      paramSlots: [],
      pool: [],
      frameSize: 0,
      params: [],
      variables: [],
      traps: false,
      bp: new Uint8Array(2),
      stops: [],
      pcStop: [],
      source: '',
    };
    continuations.set(c, f);
  }
  return f;
}

/** Source position of the statement a frame is at (its last stop point at or before pc). */
export function positionOf(fr: Frame): SourcePos | undefined {
  const i = fr.fn.pcStop[fr.pc];
  return (i !== undefined ? fr.fn.stops[i]?.pos : undefined) ?? fr.fn.obj.pos;
}

/** Stores a scalar (or copies a struct from the address `v`) as C type `t`. */
export function storeValue(m: Memory, a: number, t: CType, v: Value): void {
  switch (t.kind) {
    case 'int':
    case 'enum':
      if (t.size === 1) m.writeU8(a, Number(v));
      else if (t.size === 2) m.writeU16(a, Number(v));
      else if (t.size === 4) m.writeU32(a, Number(v));
      else m.writeU64(a, BigInt(v));
      return;
    case 'float':
      if (t.size === 4) m.writeF32(a, Number(v));
      else m.writeF64(a, Number(v));
      return;
    case 'ptr':
      m.writePtr(a, Number(v));
      return;
    case 'struct':
    case 'union':
    case 'array':
      m.copy(a, Number(v), t.size);
      return;
    default:
      return;
  }
}

/** A variadic argument in its 8-byte slot (x64: integers widened, doubles as is). */
function storeVararg(m: Memory, a: number, t: CType | undefined, v: Value): void {
  if (!t) return;
  if (t.kind === 'float') m.writeF64(a, Number(v));
  else if (t.kind === 'ptr') m.writePtr(a, Number(v));
  else if ((t.kind === 'int' || t.kind === 'enum') && t.size < 8) m.writeU64(a, BigInt.asUintN(64, BigInt(Number(v))));
  else if (t.kind === 'int') m.writeU64(a, BigInt(v));
  else if (t.kind === 'struct' || t.kind === 'union') {
    // Structs of 1, 2, 4 or 8 bytes travel by value; others by reference (x64 convention).
    if (t.size === 1 || t.size === 2 || t.size === 4 || t.size === 8) m.copy(a, Number(v), t.size);
    else m.writePtr(a, Number(v));
  }
}
