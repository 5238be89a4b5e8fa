// Interrupts (KERNEL_MODEL §3): interrupt lines and vectors, KINTERRUPT objects in simulated
// memory (one per processor of the affinity, sharing one ActualLock), delivery to a processor
// in the affinity, dispatch with nesting by IRQL (KiInterruptDispatch / KiChainedDispatch),
// level-triggered re-assertion after EOI, and interrupt-storm detection (0xF2).

import { toUnsigned } from '../../vm/memory';
import type { NativeResult, Value } from '../../vm/runtime';
import { type Kernel, ptrT, u32T } from '../kernel';
import type { Prcb } from './prcb';

export const LevelSensitive = 0;
export const Latched = 1;
export const InterruptObjectType = 22;
/** Consecutive dispatches with a level line still asserted after EOI that make a storm. */
export const STORM_THRESHOLD = 1000;

export interface KInterrupt {
  address: number;
  /** First object of the set IoConnectInterrupt returned (what the driver holds). */
  set: number;
  cpu: number;
  vector: number;
  irql: number;
  syncIrql: number;
  mode: number;
  share: boolean;
  routine: number;
  messageRoutine: number;
  messageIndex: number;
  context: number;
  actualLock: number;
  serviceCount: number;
  claimed: number;
  unclaimed: number;
  lastDurationNs: number;
  /** Passive-level ISR (IoConnectInterruptEx with Irql = SynchronizeIrql = PASSIVE). */
  passive: boolean;
}

export interface LineResource {
  vector: number;
  affinity: bigint;
  mode: number;
  shared: boolean;
  /** Message-signalled: edges only, no line state. */
  message: boolean;
}

interface VectorState {
  /** Level-triggered: delivered and not yet EOI'd (the I/O APIC's Remote IRR). */
  inService: boolean;
  /** Lines currently asserted on this vector (shared lines are wired-OR). */
  asserted: Set<string>;
  /** Consecutive dispatches that ended with the line still asserted. */
  stormCount: number;
  next: number;
}

export interface ConnectSpec {
  routine: number;
  messageRoutine: number;
  messageIndex: number;
  context: number;
  spinLock: number;
  vector: number;
  irql: number;
  syncIrql: number;
  mode: number;
  share: boolean;
  affinity: bigint;
}

export class Interrupts {
  /** Per processor: vector → connected objects in connection order. */
  readonly idt: Map<number, KInterrupt[]>[] = [];
  /** Every object by address. */
  readonly objects = new Map<number, KInterrupt>();
  readonly vectors = new Map<number, VectorState>();
  /** Device interrupt resources by "device:index". */
  readonly lines = new Map<string, LineResource>();
  private roundRobin = 0;

  constructor(private readonly k: Kernel) {
    k.dispatchInterrupt = (p, v, then) => this.dispatch(p, v, then);
  }

  /** KINTERRUPT fields kept current in memory while ISRs run (what `dt nt!_KINTERRUPT` shows). */
  private counters: { serviceCount: number; isrCount: number; isrActive: number } | undefined;

  private counterOffsets(): { serviceCount: number; isrCount: number; isrActive: number } {
    const f = (p: string): number => this.k.layouts.offsetOf('KDSIM_KINTERRUPT', p);
    this.counters ??= { serviceCount: f('ServiceCount'), isrCount: f('IsrDpcStats.IsrCount'), isrActive: f('IsrDpcStats.IsrActive') };
    return this.counters;
  }

  init(cpus: number): void {
    for (let i = 0; i < cpus; i++) this.idt.push(new Map());
  }

  private state(vector: number): VectorState {
    let s = this.vectors.get(vector);
    if (!s) this.vectors.set(vector, (s = { inService: false, asserted: new Set(), stormCount: 0, next: 0 }));
    return s;
  }

  // ---- connection --------------------------------------------------------------------------

  /**
   * IoConnectInterrupt (§3.1): one KINTERRUPT per processor in the mask, all using one lock.
   * Returns the set's first object, or an NTSTATUS failure code.
   */
  connect(spec: ConnectSpec): { set: number } | { status: number } {
    const k = this.k;
    const cpus = k.prcbs.filter((p) => (spec.affinity >> BigInt(p.number)) & 1n).map((p) => p.number);
    if (cpus.length === 0) return { status: 0xc000000d }; // STATUS_INVALID_PARAMETER
    if (spec.syncIrql < spec.irql) return { status: 0xc000000d };
    for (const c of cpus) {
      for (const o of this.idt[c].get(spec.vector) ?? []) {
        if (!o.share || !spec.share || o.mode !== spec.mode) return { status: 0xc000000d };
      }
    }
    const size = k.layouts.sizeOf('KDSIM_KINTERRUPT');
    const block = k.allocateSystem(size * cpus.length, 'Intr');
    if (block === 0) return { status: 0xc000009a }; // STATUS_INSUFFICIENT_RESOURCES
    const f = (p: string): number => k.layouts.offsetOf('KDSIM_KINTERRUPT', p);
    const lock = spec.spinLock !== 0 ? spec.spinLock : block + f('SpinLock');
    const m = k.mem;
    cpus.forEach((cpu, i) => {
      const a = block + i * size;
      m.writeU16(a + f('Type'), InterruptObjectType);
      m.writeU16(a + f('Size'), size);
      m.writePtr(a + f('InterruptListEntry.Flink'), a + f('InterruptListEntry'));
      m.writePtr(a + f('InterruptListEntry.Blink'), a + f('InterruptListEntry'));
      m.writePtr(a + f('ServiceRoutine'), spec.routine);
      m.writePtr(a + f('MessageServiceRoutine'), spec.messageRoutine);
      m.writeU32(a + f('MessageIndex'), spec.messageIndex);
      m.writePtr(a + f('ServiceContext'), spec.context);
      m.writePtr(a + f('ActualLock'), lock);
      m.writeU32(a + f('Vector'), spec.vector);
      m.writeU8(a + f('Irql'), spec.irql);
      m.writeU8(a + f('SynchronizeIrql'), spec.syncIrql);
      m.writeU8(a + f('Connected'), 1);
      m.writeU32(a + f('Number'), cpu);
      m.writeU8(a + f('ShareVector'), spec.share ? 1 : 0);
      m.writeU32(a + f('Mode'), spec.mode);
      const obj: KInterrupt = {
        address: a,
        set: block,
        cpu,
        vector: spec.vector,
        irql: spec.irql,
        syncIrql: spec.syncIrql,
        mode: spec.mode,
        share: spec.share,
        routine: spec.routine,
        messageRoutine: spec.messageRoutine,
        messageIndex: spec.messageIndex,
        context: spec.context,
        actualLock: lock,
        serviceCount: 0,
        claimed: 0,
        unclaimed: 0,
        lastDurationNs: 0,
        passive: spec.irql === 0 && spec.syncIrql === 0,
      };
      this.objects.set(a, obj);
      const list = this.idt[cpu].get(spec.vector) ?? [];
      list.push(obj);
      this.idt[cpu].set(spec.vector, list);
    });
    // Unmasking the vector: a line already asserted interrupts now (§3.1 "can run immediately").
    const st = this.state(spec.vector);
    if (st.asserted.size > 0 && !st.inService) this.route(spec.vector);
    return { set: block };
  }

  /** IoDisconnectInterrupt: removes every object of the set (§3.6). */
  disconnect(set: number): boolean {
    const objs = [...this.objects.values()].filter((o) => o.set === set);
    if (objs.length === 0) return false;
    const f = this.k.layouts.offsetOf('KDSIM_KINTERRUPT', 'Connected');
    for (const o of objs) {
      this.objects.delete(o.address);
      const list = (this.idt[o.cpu].get(o.vector) ?? []).filter((x) => x !== o);
      if (list.length) this.idt[o.cpu].set(o.vector, list);
      else this.idt[o.cpu].delete(o.vector);
      this.k.mem.writeU8(o.address + f, 0);
      // A vector nobody serves any more is masked again: drop what is pending for it.
      if (!list.length && this.k.prcbs[o.cpu].irr[o.vector]) {
        this.k.prcbs[o.cpu].irr[o.vector] = 0;
        this.k.prcbs[o.cpu].pendingCount--;
      }
    }
    return true;
  }

  /** The object set a driver-held pointer names (any member of the set is accepted). */
  objectAt(address: number): KInterrupt | undefined {
    return this.objects.get(address);
  }

  // ---- lines -------------------------------------------------------------------------------

  registerLine(key: string, r: LineResource): void {
    this.lines.set(key, r);
  }

  /** A device drives its level-triggered line. */
  setLine(key: string, asserted: boolean): void {
    const r = this.lines.get(key);
    if (!r) return;
    const st = this.state(r.vector);
    if (r.mode === Latched || r.message) {
      if (asserted) this.route(r.vector);
      return;
    }
    if (asserted) {
      st.asserted.add(key);
      if (!st.inService) this.route(r.vector);
    } else st.asserted.delete(key);
  }

  /** An edge (latched line) or a message (MSI). */
  pulse(key: string): void {
    const r = this.lines.get(key);
    if (r) this.route(r.vector);
  }

  /** Sends the vector to one processor of the connected objects' affinity (sets its IRR bit). */
  private route(vector: number): void {
    const k = this.k;
    const candidates = k.prcbs.filter((p) => (this.idt[p.number].get(vector)?.length ?? 0) > 0);
    if (candidates.length === 0) return; // masked: nobody connected yet
    const st = this.state(vector);
    if (candidates.some((p) => p.irr[vector])) return; // already pending somewhere
    let p: Prcb;
    const policy = k.config.machine.interruptDelivery;
    if (policy === 'first') p = candidates[0];
    else if (policy === 'round-robin') p = candidates[this.roundRobin++ % candidates.length];
    else {
      // Lowest-priority delivery: the processor at the lowest IRQL, ties rotating.
      const low = Math.min(...candidates.map((c) => c.irql));
      const ties = candidates.filter((c) => c.irql === low);
      p = ties[st.next++ % ties.length];
    }
    p.irr[vector] = 1;
    p.pendingCount++;
    this.k.noteWork(p);
    if (this.isLevel(vector)) st.inService = true;
  }

  private isLevel(vector: number): boolean {
    for (const r of this.lines.values()) if (r.vector === vector) return r.mode === LevelSensitive && !r.message;
    return false;
  }

  // ---- dispatch ----------------------------------------------------------------------------

  /**
   * Takes `vector` on processor p (§3.5): raise to the vector's IRQL, call each connected ISR
   * at its SynchronizeIrql holding its ActualLock (level-triggered: stop at the first TRUE),
   * EOI, re-sample a level line, lower to the old IRQL, then `then` (which delivers DPCs).
   */
  dispatch(p: Prcb, vector: number, then: () => NativeResult): NativeResult {
    const k = this.k;
    p.irr[vector] = 0;
    p.pendingCount--;
    const objs = [...(this.idt[p.number].get(vector) ?? [])];
    const old = p.irql;
    const vIrql = vector >> 4;
    p.interruptCount++;
    k.charge(k.cost.interruptEntry);
    k.setIrql(p, Math.max(vIrql, objs.length === 1 ? objs[0].syncIrql : vIrql));
    const chained = objs.length > 1;
    const label = chained ? 'nt!KiChainedDispatch' : 'nt!KiInterruptDispatch';
    let claimed = false;
    let i = 0;
    const st = this.state(vector);
    const finish = (): NativeResult => {
      // EOI: the I/O APIC re-samples a level line; still asserted → it interrupts again.
      st.inService = false;
      if (st.asserted.size > 0) {
        st.stormCount++;
        if (st.stormCount >= STORM_THRESHOLD && objs.length > 0) {
          const first = objs[0];
          k.bugCheck(
            0xf2,
            toUnsigned(first.routine),
            toUnsigned(first.context),
            toUnsigned(first.address),
            chained ? 2n : 1n,
            `vector 0x${vector.toString(16)}: the level-triggered line stayed asserted across ${STORM_THRESHOLD} interrupts (${claimed ? 'the ISR claims it but does not quiet the device' : 'no ISR claims it'})`,
          );
        }
        this.route(vector);
      } else st.stormCount = 0;
      k.charge(k.cost.interruptExit);
      k.setIrql(p, old);
      return then();
    };
    const next = (): NativeResult => {
      const o = objs[i++];
      if (!o || (claimed && o.mode === LevelSensitive)) return finish();
      if (o.syncIrql > p.irql) k.setIrql(p, o.syncIrql);
      return k.locks.acquire(p, o.actualLock, 'interrupt', () => {
        const name = k.symbol(o.routine || o.messageRoutine);
        const depth = p.activity.length;
        const start = p.clock;
        const before = p.irql;
        p.activity.push({ kind: 'isr', name, startNs: start, vector, object: o.address });
        const c = this.counterOffsets();
        k.mem.writeU8(o.address + c.isrActive, 1);
        k.trace.record({ kind: 'isr-enter', t: start, cpu: p.number, vector, irql: before, routine: name, interrupt: o.address });
        k.debugHooks?.onIsr(p, name, vector);
        const message = o.messageRoutine !== 0;
        const args: Value[] = message ? [o.address, o.context, o.messageIndex] : [o.address, o.context];
        return k.callC(label, message ? o.messageRoutine : o.routine, args, message ? [ptrT, ptrT, u32T] : [ptrT, ptrT], (r) => {
          k.syncClock(p);
          const mine = (Number(r) & 0xff) !== 0;
          claimed ||= mine;
          o.serviceCount++;
          if (mine) o.claimed++;
          else o.unclaimed++;
          k.mem.writeU32(o.address + c.serviceCount, o.serviceCount);
          k.mem.writeU64(o.address + c.isrCount, BigInt(o.serviceCount));
          k.mem.writeU8(o.address + c.isrActive, 0);
          o.lastDurationNs = p.clock - start;
          if (o.lastDurationNs > k.config.watchdog.isrWarnUs * 1000) {
            k.guidance(`isr:${name}`, o.lastDurationNs, k.config.watchdog.isrWarnUs * 1000, (ns) => `ISR ${name} ran ${(ns / 1000).toFixed(1)} µs (guidance: at most ${k.config.watchdog.isrWarnUs} µs)`);
          }
          p.activity.length = depth;
          k.trace.record({ kind: 'isr-exit', t: p.clock, cpu: p.number, vector, routine: name, interrupt: o.address, claimed: mine });
          this.checkIsrReturn(p, o, before, depth, name);
          k.locks.release(p, o.actualLock, 'interrupt', name);
          if (p.irql > vIrql) k.setIrql(p, Math.max(vIrql, old));
          return next();
        });
      });
    };
    return next();
  }

  /** An ISR must return at the IRQL it was called at, holding nothing it took (§3.4). */
  private checkIsrReturn(p: Prcb, o: KInterrupt, before: number, depth: number, name: string): void {
    const k = this.k;
    const held = k.locks.heldSince(p, depth + 1).filter((l) => l !== o.actualLock);
    if (p.irql !== before) {
      if (k.config.verifier.enabled) {
        k.bugCheckOnReturn(o.routine || o.messageRoutine, 0xc4, 0x111n, toUnsigned(o.routine), BigInt(before), BigInt(p.irql), `${name} returned at IRQL ${p.irql}; it was called at IRQL ${before}${held.length ? ` (still holding lock ${k.symbolOrHex(held[0])})` : ''}`);
      }
      k.bugCheckOnReturn(o.routine || o.messageRoutine, 0xc8, BigInt((p.irql << 16) | (before << 8) | 3), toUnsigned(o.routine), toUnsigned(o.address), 0n, `${name} returned at IRQL ${p.irql}; it was called at IRQL ${before}`);
    }
    if (held.length > 0 && k.config.verifier.enabled) {
      k.bugCheckOnReturn(o.routine || o.messageRoutine, 0xc4, 0x40009n, 0n, toUnsigned(held[0]), 0n, `${name} returned while still holding spin lock ${k.symbolOrHex(held[0])}`);
    }
  }
}

