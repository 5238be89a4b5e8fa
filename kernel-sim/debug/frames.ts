// Call stacks as a kernel debugger shows them: the C frames of the context a processor runs,
// innermost first, with the kernel's own frames where the kernel entered driver code
// (nt!KiInterruptDispatch above preempted code, nt!KiRetireDpcList, nt!IofCallDriver) and the
// thread's start at the bottom (nt!KiIdleLoop, nt!PspSystemThreadStartup).

import type { SourcePos } from '../c/token';
import type { VarObj } from '../c/ast';
import type { Cpu, Frame } from '../vm/runtime';
import { positionOf } from '../vm/runtime';
import type { TypedValue } from './values';

export interface StackFrameInfo {
  /** "dpcforisr!SmpDpcForIsr", "nt!KiInterruptDispatch". */
  name: string;
  /** The C function's own name (undefined for kernel frames). */
  functionName?: string;
  /** The VM frame (C and native continuation frames); undefined for the synthetic bottom. */
  frame?: Frame;
  /** Source position of the statement it is at (C frames only). */
  pos?: SourcePos;
  /** Kernel code: no source, shown de-emphasized. */
  kernel: boolean;
}

/** The innermost frame of driver C code on a context (kernel continuation frames skipped). */
export function topDriverFrame(ctx: Cpu): Frame | undefined {
  for (let i = ctx.frames.length - 1; i >= 0; i--) if (!ctx.frames[i].native) return ctx.frames[i];
  return undefined;
}

/** The frames of `ctx`, innermost first. `module` names the driver ("dpcforisr"). */
export function stackFrames(ctx: Cpu, module: string, isIdle: boolean): StackFrameInfo[] {
  const out: StackFrameInfo[] = [];
  for (let i = ctx.frames.length - 1; i >= 0; i--) {
    const fr = ctx.frames[i];
    if (fr.native || fr.fn.obj.pos.file.path === '<native>') {
      const label = fr.native?.label ?? fr.fn.name;
      out.push({ name: label.includes('!') ? label : `nt!${label}`, frame: fr, kernel: true });
      continue;
    }
    out.push({ name: `${module}!${fr.fn.name}`, functionName: fr.fn.name, frame: fr, pos: positionOf(fr), kernel: false });
  }
  const bottom = isIdle ? 'nt!KiIdleLoop' : 'nt!PspSystemThreadStartup';
  if (out[out.length - 1]?.name !== bottom) out.push({ name: bottom, kernel: true });
  return out;
}

/**
 * The parameters and locals of a C frame that are in scope at its current statement: every
 * parameter, and the locals declared on or before the current line (blocks are flattened in
 * FuncObj.locals; a local of a block already left may still show, as in many debuggers).
 */
export function frameVariables(fr: Frame): { params: Array<{ v: VarObj; tv: TypedValue }>; locals: Array<{ v: VarObj; tv: TypedValue }> } {
  const pos = positionOf(fr);
  const params: Array<{ v: VarObj; tv: TypedValue }> = [];
  const locals: Array<{ v: VarObj; tv: TypedValue }> = [];
  for (const { v, place } of fr.fn.variables) {
    const tv: TypedValue = { type: v.type, loc: 'slot' in place ? { kind: 'slot', frame: fr, slot: place.slot } : { kind: 'memory', address: fr.sp + place.offset } };
    if (v.storage === 'param') params.push({ v, tv });
    else if (!pos || v.pos.line <= pos.line || v.pos.file !== pos.file) locals.push({ v, tv });
  }
  // Shadowing: an inner declaration of the same name hides the outer one (the later one wins).
  const seen = new Set<string>();
  const visible = locals.reverse().filter((x) => (seen.has(x.v.name) ? false : (seen.add(x.v.name), true)));
  return { params, locals: visible.reverse() };
}
