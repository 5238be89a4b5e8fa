// Breakpoints over the compiled image: a source line resolves to the statements that begin on
// the nearest executable line at or after it (as a native debugger moves a breakpoint off a
// comment or a declaration), a function breakpoint to the function's first statement. Armed
// statements are marked in each function's `bp` table; while stepping every statement is.

import type { CompiledFunction, StopPoint } from '../vm/runtime';

export interface BreakpointSpec {
  line: number;
  column?: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface Breakpoint {
  id: number;
  verified: boolean;
  /** Where it ended up (the executable line), or where it was asked for when unverified. */
  line: number;
  column?: number;
  path?: string;
  message?: string;
  /** Function breakpoints: the function's name. */
  functionName?: string;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Times reached with its condition true. */
  hits: number;
  /** The function and statements it is armed at. */
  fn?: CompiledFunction;
  pcs: number[];
}

export class Breakpoints {
  private nextId = 1;
  private readonly byFile = new Map<string, Breakpoint[]>();
  private functionBps: Breakpoint[] = [];
  /** Function → pc → breakpoints armed there. */
  private readonly armed = new Map<CompiledFunction, Map<number, Breakpoint[]>>();
  private stepping = false;

  constructor(
    private functions: ReadonlyMap<string, CompiledFunction>,
    /** The same file under the debugger's and the compiler's spelling ("C:\x" vs "c:/x"). */
    private readonly samePath: (a: string, b: string) => boolean = (a, b) => a === b,
  ) {}

  /** Replaces the breakpoints of a source file (DAP setBreakpoints semantics). */
  setForFile(path: string, specs: readonly BreakpointSpec[]): Breakpoint[] {
    const out = specs.map((spec) => this.resolveLine(path, spec));
    this.byFile.set(path, out);
    this.rearm();
    return out;
  }

  /** Replaces the function breakpoints. */
  setFunctions(specs: ReadonlyArray<{ name: string; condition?: string; hitCondition?: string }>): Breakpoint[] {
    this.functionBps = specs.map((spec) => {
      const fn = this.functions.get(spec.name.replace(/^[\w.]+!/, '').trim());
      const bp: Breakpoint = { id: this.nextId++, verified: false, line: 0, functionName: spec.name, hits: 0, pcs: [] };
      if (spec.condition) bp.condition = spec.condition;
      if (spec.hitCondition) bp.hitCondition = spec.hitCondition;
      if (!fn || isNative(fn)) {
        bp.message = `no function '${spec.name}' in the driver`;
        return bp;
      }
      const first = fn.stops.find((s) => s.kind === 'stmt') ?? fn.stops[0];
      bp.verified = true;
      bp.fn = fn;
      bp.pcs = [first.pc];
      bp.line = first.pos.line;
      bp.column = first.pos.col;
      bp.path = first.pos.file.path;
      return bp;
    });
    this.rearm();
    return this.functionBps;
  }

  /**
   * The same breakpoints over another image of the same program (time travel re-creates the
   * machine): ids, hit conditions and resolved statements stay; hit counts restart.
   */
  rebind(functions: ReadonlyMap<string, CompiledFunction>): void {
    this.functions = functions;
    for (const bp of this.all()) {
      bp.hits = 0;
      if (bp.fn) bp.fn = functions.get(bp.fn.name);
    }
    this.rearm();
  }

  /** Breakpoints armed at a statement (undefined when none). */
  at(fn: CompiledFunction, pc: number): Breakpoint[] | undefined {
    return this.armed.get(fn)?.get(pc);
  }

  all(): Breakpoint[] {
    return [...[...this.byFile.values()].flat(), ...this.functionBps];
  }

  /** Stepping needs every statement to reach the stop check; breakpoints alone need theirs. */
  setStepping(on: boolean): void {
    if (this.stepping === on) return;
    this.stepping = on;
    this.rearm();
  }

  private resolveLine(path: string, spec: BreakpointSpec): Breakpoint {
    const bp: Breakpoint = { id: this.nextId++, verified: false, line: spec.line, path, hits: 0, pcs: [] };
    if (spec.condition) bp.condition = spec.condition;
    if (spec.hitCondition) bp.hitCondition = spec.hitCondition;
    if (spec.logMessage) bp.logMessage = spec.logMessage;
    let best: { fn: CompiledFunction; line: number; contains: boolean } | undefined;
    for (const fn of this.functions.values()) {
      if (isNative(fn) || !this.samePath(fn.obj.pos.file.path, path)) continue;
      const first = fn.obj.pos.line;
      const last = fn.obj.endPos?.line ?? first;
      const contains = spec.line >= first && spec.line <= last;
      // The nearest executable line at or after the requested one, within this function.
      let line: number | undefined;
      for (const s of fn.stops) {
        if (!this.samePath(s.pos.file.path, path) || s.pos.line < spec.line) continue;
        if (s.kind === 'entry' && fn.stops.some((x) => x.kind === 'stmt' && x.pos.line === s.pos.line)) continue;
        if (line === undefined || s.pos.line < line) line = s.pos.line;
      }
      if (line === undefined) continue;
      // The function around the line wins; otherwise the nearest following one.
      if (!best || (contains && !best.contains) || (contains === best.contains && line < best.line)) best = { fn, line, contains };
    }
    if (!best) {
      bp.message = 'no executable code at or after this line';
      return bp;
    }
    const stops = best.fn.stops.filter((s: StopPoint) => s.pos.line === best.line && this.samePath(s.pos.file.path, path));
    // A line that is both the function's header and a statement: stop at the statement.
    const chosen = stops.some((s) => s.kind !== 'entry') ? stops.filter((s) => s.kind !== 'entry') : stops;
    bp.verified = true;
    bp.fn = best.fn;
    bp.pcs = chosen.map((s) => s.pc);
    bp.line = best.line;
    bp.column = chosen[0]?.pos.col;
    return bp;
  }

  private rearm(): void {
    this.armed.clear();
    for (const fn of this.functions.values()) {
      if (isNative(fn)) continue;
      fn.traps = this.stepping;
      fn.bp.fill(this.stepping ? 1 : 0);
    }
    for (const bp of this.all()) {
      if (!bp.verified || !bp.fn) continue;
      let m = this.armed.get(bp.fn);
      if (!m) this.armed.set(bp.fn, (m = new Map()));
      for (const pc of bp.pcs) {
        const list = m.get(pc);
        if (list) list.push(bp);
        else m.set(pc, [bp]);
        bp.fn.bp[pc] = 1;
      }
      bp.fn.traps = true;
    }
  }
}

function isNative(fn: CompiledFunction): boolean {
  return fn.obj.pos.file.path === '<native>';
}

/** DAP hitCondition: "5" (from the 5th hit on), ">= 5", "> 5", "== 5", "% 5" (every 5th). */
export function hitConditionMet(cond: string | undefined, hits: number): boolean | { error: string } {
  if (!cond || !cond.trim()) return true;
  const m = /^\s*(>=|>|==|=|%)?\s*(\d+)\s*$/.exec(cond);
  if (!m) return { error: `hit count condition '${cond}' is not a number, >= N, > N, == N or % N` };
  const n = Number(m[2]);
  switch (m[1]) {
    case '>':
      return hits > n;
    case '==':
    case '=':
      return hits === n;
    case '%':
      return n > 0 && hits % n === 0;
    default:
      return hits >= n;
  }
}
