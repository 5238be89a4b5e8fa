// DPCs (KERNEL_MODEL §2): KDPC objects in simulated memory, per-processor queues with the
// importance and target rules of §2.4, the DISPATCH_LEVEL software interrupt, and the retire
// loop of §2.5 (KiRetireDpcList).

import { toUnsigned } from '../../vm/memory';
import { BLOCKED, type NativeResult } from '../../vm/runtime';
import { type Kernel, ptrT } from '../kernel';
import { DISPATCH_LEVEL, type Prcb } from './prcb';

export const DpcObject = 19;
export const ThreadedDpcObject = 24;
export const LowImportance = 0;
export const MediumImportance = 1;
export const HighImportance = 2;
export const MediumHighImportance = 3;
/** ReactOS's encoding of a targeted DPC: Number = processor + MAXIMUM_PROCESSORS (§2.1). */
export const MAXIMUM_PROCESSORS = 64;

interface KdpcOffsets {
  type: number;
  importance: number;
  number: number;
  routine: number;
  context: number;
  arg1: number;
  arg2: number;
  dpcData: number;
  listEntry: number;
}

/** KPRCB.DpcData[DPC_NORMAL], then [DPC_THREADED] (KERNEL_MODEL §2.2, Windows 10 x64). */
const KPRCB_DPC_DATA = 0x30c0;
/** KDPC_DATA (0x28 bytes): DpcList {ListHead, LastEntry}, DpcLock, DpcQueueDepth, DpcCount, ActiveDpc. */
const KDPC_DATA = { size: 0x28, listHead: 0x00, lastEntry: 0x08, lock: 0x10, queueDepth: 0x18, count: 0x1c, activeDpc: 0x20 } as const;

/** Where a processor's DPC queue (normal or threaded) lives in its PRCB. */
export function dpcDataAddress(p: Prcb, threaded: boolean): number {
  return p.address + KPRCB_DPC_DATA + (threaded ? KDPC_DATA.size : 0);
}

export class Dpcs {
  private readonly o: KdpcOffsets;
  /** When each queued DPC was inserted (ns), for the Kernel View's "waited" column. */
  readonly queuedAt = new Map<number, number>();
  /** Set by ke/dispatcher.ts: readies the processor's threaded-DPC thread. */
  wakeThreadedDpcThread: (p: Prcb) => void = () => undefined;
  /** Set by ke/timer.ts: runs due timers of this processor (queues their DPCs). */
  expireTimers: (p: Prcb) => void = () => undefined;

  constructor(private readonly k: Kernel) {
    const f = (path: string): number => k.layouts.offsetOf('KDPC', path);
    this.o = {
      type: f('Type'),
      importance: f('Importance'),
      number: f('Number'),
      routine: f('DeferredRoutine'),
      context: f('DeferredContext'),
      arg1: f('SystemArgument1'),
      arg2: f('SystemArgument2'),
      dpcData: f('DpcData'),
      listEntry: f('DpcListEntry'),
    };
    k.dispatchDpcInterrupt = (p, then) => this.dispatchInterrupt(p, then);
  }

  /** KeInitializeDpc / KeInitializeThreadedDpc (§2.3). */
  initialize(dpc: number, routine: number, context: number, threaded: boolean): void {
    const m = this.k.mem;
    m.fill(dpc, 0, this.k.layouts.sizeOf('KDPC'));
    m.writeU8(dpc + this.o.type, threaded ? ThreadedDpcObject : DpcObject);
    m.writeU8(dpc + this.o.importance, MediumImportance);
    m.writePtr(dpc + this.o.routine, routine);
    m.writePtr(dpc + this.o.context, context);
  }

  setImportance(dpc: number, importance: number): void {
    this.k.mem.writeU8(dpc + this.o.importance, importance);
  }

  setTarget(dpc: number, cpu: number): void {
    this.k.mem.writeU16(dpc + this.o.number, cpu + MAXIMUM_PROCESSORS);
  }

  isQueued(dpc: number): boolean {
    return this.k.mem.readPtr(dpc + this.o.dpcData) !== 0;
  }

  routineOf(dpc: number): number {
    return this.k.mem.readPtr(dpc + this.o.routine);
  }

  /** KeInsertQueueDpc (§2.3, §2.4). FALSE when already queued: the new arguments are discarded. */
  insert(dpc: number, arg1: number, arg2: number, fromTimer = false): boolean {
    const k = this.k;
    const m = k.mem;
    const cur = k.cur;
    const routine = m.readPtr(dpc + this.o.routine);
    const threaded = m.readU8(dpc + this.o.type) === ThreadedDpcObject;
    const importance = m.readU8(dpc + this.o.importance);
    const number = m.readU16(dpc + this.o.number);
    // A target beyond the active processors is ignored (§2.3 KeSetTargetProcessorDpc).
    let targetCpu = number >= MAXIMUM_PROCESSORS ? number - MAXIMUM_PROCESSORS : cur.number;
    if (targetCpu >= k.prcbs.length) targetCpu = cur.number;
    const target = k.prcbs[targetCpu];
    const event = { kind: 'dpc-queue' as const, t: cur.clock, cpu: cur.number, target: targetCpu, dpc, routine: k.symbol(routine), importance, threaded };
    if (m.readPtr(dpc + this.o.dpcData) !== 0) {
      k.trace.record({ ...event, inserted: false });
      return false;
    }
    m.writePtr(dpc + this.o.arg1, arg1);
    m.writePtr(dpc + this.o.arg2, arg2);
    // DpcData points at the KDPC_DATA of the queue (KPRCB.DpcData[DPC_NORMAL or DPC_THREADED]).
    m.writePtr(dpc + this.o.dpcData, dpcDataAddress(target, threaded));
    const queue = threaded ? target.threadedDpcQueue : target.dpcQueue;
    if (importance === HighImportance) queue.unshift(dpc);
    else queue.push(dpc);
    target.dpcCount++;
    if (threaded) target.threadedDpcCount++;
    this.writeDpcData(target, threaded);
    if (!threaded && queue.length > target.peakDpcQueueDepth) {
      target.peakDpcQueueDepth = queue.length;
      target.peakDpcQueueDepthAtNs = cur.clock;
    }
    this.queuedAt.set(dpc, cur.clock);
    k.noteWork(target);
    k.trace.record({ ...event, inserted: true });
    if (threaded) {
      this.wakeThreadedDpcThread(target);
      return true;
    }
    if (fromTimer || target.dpcRoutineActive || target.dpcInterruptRequested) return true;
    const depthReached = target.dpcQueue.length >= target.maximumDpcQueueDepth;
    let request: boolean;
    if (target === cur) {
      request = importance !== LowImportance || depthReached || target.dpcRequestRate < target.minimumDpcRate;
    } else {
      request = importance === HighImportance || importance === MediumHighImportance || depthReached;
    }
    if (request) target.dpcInterruptRequested = true;
    return true;
  }

  /**
   * KPRCB.DpcData[normal or threaded] in simulated memory, as the debugger reads it: the
   * queue linked through each KDPC's DpcListEntry, its depth and count, and the DPC running.
   * Popping the head leaves the other links as they are (`relink` false).
   */
  writeDpcData(p: Prcb, threaded: boolean, active?: number, relink = true): void {
    const m = this.k.mem;
    const at = dpcDataAddress(p, threaded);
    const q = threaded ? p.threadedDpcQueue : p.dpcQueue;
    const link = this.o.listEntry;
    if (relink) for (let i = 0; i < q.length; i++) m.writePtr(q[i] + link, i + 1 < q.length ? q[i + 1] + link : 0);
    m.writePtr(at + KDPC_DATA.listHead, q.length > 0 ? q[0] + link : 0);
    m.writePtr(at + KDPC_DATA.lastEntry, q.length > 0 ? q[q.length - 1] + link : 0);
    m.writeU32(at + KDPC_DATA.queueDepth, q.length);
    m.writeU32(at + KDPC_DATA.count, threaded ? p.threadedDpcCount : p.dpcCount - p.threadedDpcCount);
    if (active !== undefined) m.writePtr(at + KDPC_DATA.activeDpc, active);
  }

  /** KeRemoveQueueDpc: TRUE if it was queued (and now will not run). */
  remove(dpc: number): boolean {
    const m = this.k.mem;
    if (m.readPtr(dpc + this.o.dpcData) === 0) return false;
    for (const p of this.k.prcbs) {
      for (const threaded of [false, true]) {
        const q = threaded ? p.threadedDpcQueue : p.dpcQueue;
        const i = q.indexOf(dpc);
        if (i < 0) continue;
        q.splice(i, 1);
        this.writeDpcData(p, threaded);
      }
    }
    m.writePtr(dpc + this.o.dpcData, 0);
    this.queuedAt.delete(dpc);
    this.k.trace.record({ kind: 'dpc-dequeue', t: this.k.cur.clock, cpu: this.k.cur.number, dpc, routine: this.k.symbol(this.routineOf(dpc)) });
    return true;
  }

  /** The DISPATCH_LEVEL software interrupt: raise, drain, lower back (§2.5 first row). */
  dispatchInterrupt(p: Prcb, then: () => NativeResult): NativeResult {
    const old = p.irql;
    p.dpcInterruptRequested = false;
    this.k.setIrql(p, DISPATCH_LEVEL);
    return this.retire(p, () => {
      this.k.setIrql(p, old);
      return then();
    });
  }

  /** True when the idle loop has DPC work on this processor (§2.5 second row). */
  idleWork(p: Prcb): boolean {
    return p.dpcQueue.length > 0 || p.timerRequest;
  }

  /**
   * KiRetireDpcList (§2.5): timers first, then pop the head, clear DpcData *before* calling
   * (so the routine may be queued again, and run concurrently elsewhere), call at DISPATCH.
   */
  retire(p: Prcb, done: () => NativeResult): NativeResult {
    const k = this.k;
    const m = k.mem;
    p.dpcRoutineActive = true;
    const step = (): NativeResult => {
      if (p.timerRequest) {
        p.timerRequest = false;
        this.expireTimers(p);
      }
      const dpc = p.dpcQueue.shift();
      if (dpc === undefined) {
        p.dpcRoutineActive = false;
        p.dpcInterruptRequested = false;
        this.writeDpcData(p, false, 0, false);
        return done();
      }
      this.writeDpcData(p, false, dpc, false);
      const routine = m.readPtr(dpc + this.o.routine);
      const context = m.readPtr(dpc + this.o.context);
      const a1 = m.readPtr(dpc + this.o.arg1);
      const a2 = m.readPtr(dpc + this.o.arg2);
      m.writePtr(dpc + this.o.dpcData, 0);
      const queuedAt = this.queuedAt.get(dpc) ?? p.clock;
      this.queuedAt.delete(dpc);
      k.charge(k.cost.dpcDispatch);
      const name = k.symbol(routine);
      const depth = p.activity.length;
      p.activity.push({ kind: 'dpc', name, startNs: p.clock, object: dpc });
      k.debugHooks?.onDpc(p, name);
      k.trace.record({ kind: 'dpc-run', t: p.clock, cpu: p.number, dpc, routine: name, threaded: false, timer: this.timerDpcs.has(dpc), queuedAt });
      return k.callC('nt!KiRetireDpcList', routine, [dpc, context, a1, a2], [ptrT, ptrT, ptrT, ptrT], () => {
        k.syncClock(p);
        this.finishRoutine(p, depth, name, dpc);
        return step();
      });
    };
    return step();
  }

  /** DPCs queued by timers (for the trace's TimerDPC distinction, ETW event 69). */
  readonly timerDpcs = new Set<number>();

  /** Checks at the return of a DPC routine: still at DISPATCH_LEVEL, no spin lock left held. */
  finishRoutine(p: Prcb, depth: number, name: string, dpc: number): void {
    const k = this.k;
    const routine = this.routineOf(dpc);
    const started = p.activity[depth]?.startNs ?? p.clock;
    p.activity.length = depth;
    k.trace.record({ kind: 'dpc-finish', t: p.clock, cpu: p.number, dpc, routine: name });
    if (p.clock - started > k.config.watchdog.dpcWarnUs * 1000) {
      k.guidance(`dpc:${name}`, p.clock - started, k.config.watchdog.dpcWarnUs * 1000, (ns) => `DPC routine ${name} ran ${(ns / 1000).toFixed(1)} µs (guidance: at most ${k.config.watchdog.dpcWarnUs} µs)`);
    }
    const held = k.locks.heldSince(p, depth + 1);
    if (held.length > 0 && k.config.verifier.enabled) {
      // DDI compliance rule SpinLock (0xC4 / 0x40009): a lock acquired in the routine is still held.
      k.bugCheckOnReturn(routine, 0xc4, 0x40009n, 0n, toUnsigned(held[0]), 0n, `${name} returned while still holding spin lock ${k.symbolOrHex(held[0])}`);
    }
    if (p.irql !== DISPATCH_LEVEL) {
      k.bugCheckOnReturn(routine, 0xc8, BigInt(((p.irql & 0xff) << 16) | (DISPATCH_LEVEL << 8) | 0xff), 0n, toUnsigned(dpc), 0n, `${name} returned at IRQL ${p.irql}; a DPC routine must return at DISPATCH_LEVEL`);
    }
  }

  /** KeFlushQueuedDpcs: waits (spinning at PASSIVE) until every DPC queued now has run. */
  flush(): NativeResult {
    const k = this.k;
    const pending = new Set<number>();
    for (const p of k.prcbs) {
      for (const d of p.dpcQueue) pending.add(d);
      for (const d of p.threadedDpcQueue) pending.add(d);
      for (const a of p.activity) if (a.kind === 'dpc' && a.object !== undefined) pending.add(a.object);
      if (p.dpcQueue.length > 0) p.dpcInterruptRequested = true;
    }
    const done = (): boolean => {
      for (const p of k.prcbs) {
        if (p.dpcQueue.some((d) => pending.has(d)) || p.threadedDpcQueue.some((d) => pending.has(d))) return false;
        if (p.activity.some((a) => a.kind === 'dpc' && a.object !== undefined && pending.has(a.object) && p !== k.cur)) return false;
      }
      return true;
    };
    if (done()) return undefined;
    return { reason: 'KeFlushQueuedDpcs', label: 'nt!KeFlushQueuedDpcs', poll: () => (done() ? undefined : BLOCKED) };
  }
}
