// Step in / over / out on one processor's context, by source line. An interrupt or DPC that
// runs during a step over pushes frames above the stepped one: its statements do not end the
// step (the step completes in the original context, as a kernel debugger's does) unless the
// user steps in. When the stepped frame returns, the step ends at the next statement the
// context runs, wherever that is: after an ISR returns that is typically the DpcForIsr it
// queued, run as the IRQL drops.

import type { Cpu, Frame, StopPoint } from '../vm/runtime';

export type StepKind = 'in' | 'over' | 'out';

export class Stepper {
  private readonly line: number | undefined;
  private readonly file: string | undefined;
  /** The stepped activation (its Frame object is recycled for later calls). */
  private readonly act: number | undefined;

  constructor(
    readonly kind: StepKind,
    /** The context stepped (a thread's, or the idle thread's that ISRs and DPCs run on). */
    readonly ctx: Cpu,
    /** The innermost C frame when the step began (undefined: no driver code was running). */
    readonly frame: Frame | undefined,
    /** Its position in ctx.frames, counted from 1. */
    readonly depth: number,
  ) {
    const stop = frame ? frame.fn.stops[frame.fn.pcStop[frame.pc]] : undefined;
    this.line = stop?.pos.line;
    this.file = stop?.pos.file.path;
    this.act = frame?.act;
  }

  /** Whether reaching `stop` in frame `fr` of `ctx` ends the step. */
  done(ctx: Cpu, fr: Frame, stop: StopPoint): boolean {
    if (ctx !== this.ctx) return false;
    // A function's header is not a line of its own when stepping: its first statement is.
    if (stop.kind === 'entry') return false;
    const start = this.frame;
    if (!start) return true;
    const alive = ctx.frames[this.depth - 1] === start && start.act === this.act;
    if (!alive) return true;
    if (fr === start && fr.act === this.act) return this.kind !== 'out' && (stop.pos.line !== this.line || stop.pos.file.path !== this.file);
    // A deeper frame: a callee, or an interrupt/DPC that arrived meanwhile.
    return this.kind === 'in';
  }
}
