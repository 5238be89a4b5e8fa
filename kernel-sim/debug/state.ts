// Builds the Kernel View's state (state-types.ts) from a Machine.

import type { Machine } from '../machine';
import { HighImportance, LowImportance, MAXIMUM_PROCESSORS, MediumHighImportance, MediumImportance } from '../nt/ke/dpc';
import type { Prcb } from '../nt/ke/prcb';
import { bugCheckName } from '../verifier/bugcheck';
import { toUnsigned } from '../vm/memory';
import { irqlName, whatRuns } from './cpu-names';
import type { CpuState, DpcState, KdsimState } from './state-types';

const IMPORTANCE: Record<number, DpcState['importance']> = { [LowImportance]: 'Low', [MediumImportance]: 'Medium', [HighImportance]: 'High', [MediumHighImportance]: 'MediumHigh' };

const addr = (a: number): string => `0x${toUnsigned(a).toString(16)}`;

export function buildState(m: Machine, version: number, stopped: boolean, recentCount = 200): KdsimState {
  const k = m.k;
  const events = m.trace.events;
  let interrupts = 0;
  let dpcs = 0;
  for (const e of events) {
    if (e.kind === 'isr-enter') interrupts++;
    else if (e.kind === 'dpc-run') dpcs++;
  }
  const state: KdsimState = {
    version,
    stopped,
    nowNs: Math.max(...k.prcbs.map((p) => p.clock)),
    cpus: k.prcbs.map((p) => cpuState(m, p)),
    interrupts: [...k.interrupts.objects.values()].map((o) => ({
      address: addr(o.address),
      cpu: o.cpu,
      vector: o.vector,
      irql: o.irql,
      synchronizeIrql: o.syncIrql,
      mode: o.mode === 0 ? 'LevelSensitive' : 'Latched',
      shared: o.share,
      messageBased: o.messageRoutine !== 0,
      routine: k.symbol(o.routine || o.messageRoutine),
      serviceCount: o.serviceCount,
      claimed: o.claimed,
      unclaimed: o.unclaimed,
      lastDurationNs: o.lastDurationNs,
    })),
    devices: m.config.devices.map((d, i) => ({ id: d.id, model: m.models[i].model, registers: m.models[i].registers().map((r) => ({ name: r.name, offset: r.offset, size: r.size, value: r.value >>> 0, ...(r.internal ? { internal: true } : {}) })) })),
    recent: events.slice(-recentCount).map((e) => ({ ...e }) as KdsimState['recent'][number]),
    stats: { interrupts, dpcs, dbgPrints: k.log.length },
  };
  if (m.bugCheck) state.bugCheck = { code: `0x${m.bugCheck.code.toString(16).toUpperCase()}`, name: bugCheckName(m.bugCheck.code), cpu: m.bugCheck.cpu };
  return state;
}

function cpuState(m: Machine, p: Prcb): CpuState {
  const { kind, text: context } = whatRuns(p);
  const pending: number[] = [];
  for (let v = 255; v >= 0; v--) if (p.irr[v]) pending.push(v);
  return {
    number: p.number,
    irql: p.irql,
    irqlName: irqlName(p.irql),
    context,
    kind,
    thread: p.current.name,
    clockNs: p.clock,
    dpcQueue: p.dpcQueue.map((d) => dpcState(m, d)),
    threadedDpcQueue: p.threadedDpcQueue.map((d) => dpcState(m, d)),
    pendingVectors: pending,
    interruptCount: p.interruptCount,
  };
}

function dpcState(m: Machine, dpc: number): DpcState {
  const k = m.k;
  const mem = k.mem;
  const off = (f: string): number => k.layouts.offsetOf('KDPC', f);
  const number = mem.readU16(dpc + off('Number'));
  const s: DpcState = {
    address: addr(dpc),
    routine: k.symbol(mem.readPtr(dpc + off('DeferredRoutine'))),
    importance: IMPORTANCE[mem.readU8(dpc + off('Importance'))] ?? 'Medium',
    systemArgument1: addr(mem.readPtr(dpc + off('SystemArgument1'))),
    systemArgument2: addr(mem.readPtr(dpc + off('SystemArgument2'))),
    deferredContext: addr(mem.readPtr(dpc + off('DeferredContext'))),
  };
  // A targeted DPC's Number is processor + MAXIMUM_PROCESSORS (KERNEL_MODEL §2.1).
  if (number >= MAXIMUM_PROCESSORS) s.target = number - MAXIMUM_PROCESSORS;
  const at = k.dpcs.queuedAt.get(dpc);
  if (at !== undefined) s.queuedAtNs = at;
  return s;
}
