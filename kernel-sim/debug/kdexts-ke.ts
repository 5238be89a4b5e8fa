// The kernel extensions of the Debug Console (Kdexts.dll's names, KERNEL_MODEL §7): !irql,
// !dpcs, !pcr, !prcb, !idt and !timer over the simulated processors, their DPC queues, the
// connected KINTERRUPTs and the timer table. Objects are read from simulated memory through
// the header layouts, as the debugger extension reads them from the target.

import type { Prcb } from '../nt/ke/prcb';
import { LevelSensitive } from '../nt/ke/interrupt';
import { MAXIMUM_PROCESSORS } from '../nt/ke/dpc';
import {
  codeText,
  type CommandContext,
  type CommandResult,
  done,
  duration,
  fail,
  hex8,
  irqlName,
  KObject,
  parseCpu,
  ptrText,
  tick,
  words,
} from './command-util';

const IMPORTANCE = ['LowImportance', 'MediumImportance', 'HighImportance', 'MediumHighImportance'];

/** `!irql [cpu]`: the IRQL the processor was at when the debugger stopped it. */
export function irqlCommand(ctx: CommandContext, args: string): CommandResult {
  const [arg, extra] = words(args);
  if (extra !== undefined) return fail('usage: !irql [processor]');
  const cpu = parseCpu(ctx, arg);
  if (typeof cpu !== 'number') return cpu;
  const irql = ctx.dbg.cpus[cpu].irql;
  return done(`Debugger saved IRQL for processor 0x${cpu.toString(16)} -- ${irql} (${irqlName(irql)})`);
}

/** `!dpcs [cpu]`: each processor's normal and threaded DPC queues, head first, and the DPC running. */
export function dpcsCommand(ctx: CommandContext, args: string): CommandResult {
  const [arg, extra] = words(args);
  if (extra !== undefined) return fail('usage: !dpcs [processor]');
  const one = arg === undefined ? undefined : parseCpu(ctx, arg);
  if (one !== undefined && typeof one !== 'number') return one;
  const cpus = one === undefined ? ctx.dbg.cpus : [ctx.dbg.cpus[one]];
  const lines = ['CPU Type      KDPC              Function'];
  for (const p of cpus) {
    const before = lines.length;
    const running = [...p.activity].reverse().find((a) => a.kind === 'dpc');
    if (running?.object !== undefined) {
      const routine = new KObject(ctx, 'KDPC', running.object).ptr('DeferredRoutine');
      lines.push(`${cpuCol(p)}: Running : ${tick(running.object)} ${codeText(ctx.dbg, routine)}  (executing; started at ${duration(running.startNs)})`);
    }
    for (const dpc of p.dpcQueue) lines.push(...dpcLines(ctx, p, 'Normal  ', dpc));
    for (const dpc of p.threadedDpcQueue) lines.push(...dpcLines(ctx, p, 'Threaded', dpc));
    if (lines.length === before) lines.push(`${cpuCol(p)}: (no DPC queued or running)`);
  }
  return done(lines.join('\n'));
}

function cpuCol(p: Prcb): string {
  return p.number.toString(16).padStart(2, ' ');
}

function dpcLines(ctx: CommandContext, p: Prcb, type: string, dpc: number): string[] {
  const k = ctx.dbg.machine.k;
  const o = new KObject(ctx, 'KDPC', dpc);
  const importance = o.u8('Importance');
  const number = o.u16('Number');
  const target = number === undefined ? '?' : number >= MAXIMUM_PROCESSORS ? `processor ${number - MAXIMUM_PROCESSORS}` : 'the inserting processor';
  const queuedAt = k.dpcs.queuedAt.get(dpc);
  const details = [
    `Importance ${importance === undefined ? '?' : (IMPORTANCE[importance] ?? importance)}`,
    `Target ${target}`,
    `SystemArgument1 ${ptrText(o.ptr('SystemArgument1'))}`,
    `SystemArgument2 ${ptrText(o.ptr('SystemArgument2'))}`,
    ...(queuedAt !== undefined ? [`queued at ${duration(queuedAt)}`] : []),
    ...(k.dpcs.timerDpcs.has(dpc) ? ['timer DPC'] : []),
  ];
  return [`${cpuCol(p)}: ${type}: ${tick(dpc)} ${codeText(ctx.dbg, o.ptr('DeferredRoutine'))}`, `              ${details.join(', ')}`];
}

/** Pending hardware interrupt vectors (the local APIC's IRR), highest first. */
function pendingVectors(p: Prcb): string {
  const v: string[] = [];
  for (let i = 255; i >= 0; i--) if (p.irr[i]) v.push(`0x${i.toString(16)} (IRQL ${i >> 4})`);
  return v.length ? v.join(' ') : 'none';
}

function context(ctx: CommandContext, p: Prcb): string {
  return ctx.dbg.threads()[p.number]?.context ?? '';
}

/** `!pcr [cpu]`: the processor control region as kdsim keeps it (one block with the PRCB). */
export function pcrCommand(ctx: CommandContext, args: string): CommandResult {
  const [arg, extra] = words(args);
  if (extra !== undefined) return fail('usage: !pcr [processor]');
  const cpu = parseCpu(ctx, arg);
  if (typeof cpu !== 'number') return cpu;
  const p = ctx.dbg.cpus[cpu];
  const row = (name: string, value: string): string => `${name.padStart(18)}: ${value}`;
  const lines = [
    `KPCR for Processor ${cpu} at ${tick(p.address)}:`,
    '    Major 1 Minor 1',
    row('Prcb', tick(p.address)),
    row('Irql', `${p.irql.toString(16).padStart(16, '0')} (${irqlName(p.irql)})`),
    row('IRR', pendingVectors(p)),
    row('CurrentThread', `${tick(p.current.address)} (${p.current.name}; ${context(ctx, p)})`),
    row('NextThread', tick(0)),
    row('IdleThread', tick(p.idle.address)),
    row('InterruptCount', hex8(p.interruptCount)),
    row('DpcQueueDepth', String(p.dpcQueue.length)),
  ];
  const queue = [...p.dpcQueue, ...p.threadedDpcQueue];
  if (queue.length === 0) lines.push(row('DpcQueue', '(empty)'));
  queue.forEach((dpc, i) => {
    const routine = new KObject(ctx, 'KDPC', dpc).ptr('DeferredRoutine');
    lines.push(`${i === 0 ? row('DpcQueue', '') : ' '.repeat(20)}${tick(dpc)} ${codeText(ctx.dbg, routine)}`.trimEnd());
  });
  return done(lines.join('\n'));
}

/** `!prcb [cpu]`: the processor block: threads, interrupt count, DPC queue state (KERNEL_MODEL §2.2). */
export function prcbCommand(ctx: CommandContext, args: string): CommandResult {
  const [arg, extra] = words(args);
  if (extra !== undefined) return fail('usage: !prcb [processor]');
  const cpu = parseCpu(ctx, arg);
  if (typeof cpu !== 'number') return cpu;
  const p = ctx.dbg.cpus[cpu];
  const b = (v: boolean): string => (v ? '1' : '0');
  return done(
    [
      `PRCB for Processor ${cpu} at ${tick(p.address)}:`,
      `Current IRQL -- ${p.irql} (${irqlName(p.irql)})`,
      `Threads--  Current ${tick(p.current.address)} Next ${tick(0)} Idle ${tick(p.idle.address)}`,
      `Current thread -- ${p.current.name}: ${context(ctx, p)}`,
      `Processor Index ${cpu} Number (0, ${cpu}) GroupSetMember ${(1n << BigInt(cpu)).toString(16)}`,
      `Interrupt Count -- ${hex8(p.interruptCount)}`,
      `Pending vectors (IRR) -- ${pendingVectors(p)}`,
      `DPC Queue Depth -- ${p.dpcQueue.length} (threaded ${p.threadedDpcQueue.length}; peak ${p.peakDpcQueueDepth}${p.peakDpcQueueDepth ? ` at ${duration(p.peakDpcQueueDepthAtNs)}` : ''})`,
      `DpcCount ${hex8(p.dpcCount)} DpcRequestRate ${p.dpcRequestRate} MaximumDpcQueueDepth ${p.maximumDpcQueueDepth} MinimumDpcRate ${p.minimumDpcRate}`,
      `DpcRoutineActive ${b(p.dpcRoutineActive)} DpcInterruptRequested ${b(p.dpcInterruptRequested)} TimerRequest ${b(p.timerRequest)}`,
      `Clock -- ${duration(p.clock)} since boot, ${p.tickCount} ticks`,
    ].join('\n'),
  );
}

/** `!idt`: the vectors drivers connected, per processor, with their KINTERRUPTs (KERNEL_MODEL §3.3). */
export function idtCommand(ctx: CommandContext, args: string): CommandResult {
  const [arg, extra] = words(args);
  if (extra !== undefined || (arg !== undefined && arg !== '-a')) return fail('usage: !idt [-a]');
  const k = ctx.dbg.machine.k;
  const lines: string[] = [];
  for (const p of ctx.dbg.cpus) {
    const idt = k.interrupts.idt[p.number];
    lines.push(`Dumping IDT for processor ${p.number} (device interrupts connected with IoConnectInterrupt(Ex)):`, '');
    const vectors = [...(idt?.keys() ?? [])].sort((a, b) => a - b);
    if (vectors.length === 0) lines.push('    (no device interrupt connected)');
    for (const v of vectors) {
      const objs = idt?.get(v) ?? [];
      objs.forEach((o, i) => {
        const ko = new KObject(ctx, 'KDSIM_KINTERRUPT', o.address);
        const isr = ko.ptr('ServiceRoutine');
        const msg = ko.ptr('MessageServiceRoutine');
        const routine = isr || msg;
        const head = i === 0 ? `${v.toString(16).padStart(2, '0')}:` : '   ';
        lines.push(`${head} ${codeText(ctx.dbg, routine)} (KINTERRUPT ${tick(o.address)})`);
        const irql = ko.u8('Irql');
        const mode = ko.u32('Mode');
        const share = ko.u8('ShareVector');
        const state = [
          ...(p.irr[v] && i === 0 ? ['pending'] : []),
          ...(p.activity.some((a) => a.kind === 'isr' && a.object === o.address) ? ['running'] : []),
        ];
        lines.push(
          `      Irql ${irql ?? '?'}${irql !== undefined ? ` (${irqlName(irql)})` : ''}, SynchronizeIrql ${ko.u8('SynchronizeIrql') ?? '?'}, ${mode === undefined ? '?' : mode === LevelSensitive ? 'LevelSensitive' : 'Latched'}, ${share ? 'Shared' : 'Exclusive'}, ${msg ? `message-based (MessageIndex ${ko.u32('MessageIndex') ?? '?'})` : 'line-based'}`,
          `      ServiceContext ${ptrText(ko.ptr('ServiceContext'))}, ActualLock ${ptrText(ko.ptr('ActualLock'))}, ServiceCount ${o.serviceCount} (claimed ${o.claimed}, not claimed ${o.unclaimed})${state.length ? `, ${state.join(', ')}` : ''}`,
        );
      });
    }
    lines.push('');
  }
  return done(lines.join('\n').trimEnd());
}

/** `!timer`: the set KTIMERs by processor, in due-time order (KERNEL_MODEL §2.7). */
export function timerCommand(ctx: CommandContext, args: string): CommandResult {
  if (words(args).length > 0) return fail('usage: !timer');
  const k = ctx.dbg.machine.k;
  const now = ctx.dbg.cpus[ctx.cpu].clock;
  const t100 = (ns: number): string => {
    const v = BigInt(Math.floor(ns / 100));
    return `${hex8(Number(v & 0xffffffffn))} ${hex8(Number(v >> 32n))}`;
  };
  const lines = ['Dump system timers', '', `Interrupt time: ${t100(now)} [${duration(now)} since boot]`, ''];
  const timers = [...k.disp.timers.entries()].sort((a, b) => a[1].cpu - b[1].cpu || a[1].dueNs - b[1].dueNs);
  let cpu = -1;
  for (const [timer, e] of timers) {
    if (e.cpu !== cpu) {
      cpu = e.cpu;
      lines.push(`PROCESSOR ${cpu}`, 'Timer              Interrupt Low/High Fire Time                 DPC');
    }
    const period = e.periodNs > 0 ? `P ${e.periodNs / 1e6} ms` : '';
    const dpc = e.dpc === 0 ? '(no DPC: waited on)' : `${codeText(ctx.dbg, new KObject(ctx, 'KDPC', e.dpc).ptr('DeferredRoutine'))} (KDPC ${tick(e.dpc)})`;
    lines.push(`${tick(timer)}  ${t100(e.dueNs)}  [${duration(e.dueNs).padStart(12)}] ${period.padEnd(11)} ${dpc}`);
  }
  if (timers.length === 0) lines.push('(no timer is set)');
  lines.push('', `Total Timers: ${timers.length}`);
  return done(lines.join('\n'));
}
