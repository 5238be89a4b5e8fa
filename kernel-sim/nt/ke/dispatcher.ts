// The dispatcher: threads at PASSIVE_LEVEL, waits on dispatcher objects (events, semaphores,
// timers, threads) with timeouts, KTIMERs and their DPCs, and the system worker thread that
// runs work items. Waits are conditions the scheduler re-evaluates (deterministically, in
// thread order); the waiting context sits in a Pending continuation frame until satisfied.

import { toUnsigned } from '../../vm/memory';
import type { CType } from '../../c/types';
import { BLOCKED, Cpu, type NativeResult, type Program } from '../../vm/runtime';
import { type Kernel, ptrT } from '../kernel';
import { KThread, PASSIVE_LEVEL, type Prcb } from './prcb';

export const EventNotificationObject = 0;
export const EventSynchronizationObject = 1;
export const SemaphoreObject = 5;
export const ThreadObject = 6;
export const TimerNotificationObject = 8;
export const TimerSynchronizationObject = 9;

export const STATUS_WAIT_0 = 0;
export const STATUS_TIMEOUT = 0x102;

interface TimerEntry {
  dueNs: number;
  periodNs: number;
  dpc: number;
  cpu: number;
  generation: number;
}

interface WorkItem {
  routine: number;
  device: number;
  context: number;
  item: number;
  ex: boolean;
}

/** x64 kernel stacks are 24 KiB (KERNEL_STACK_SIZE 0x6000): deep recursion overflows as on Windows. */
const THREAD_STACK = 0x6000;

export class Dispatcher {
  readonly timers = new Map<number, TimerEntry>();
  private timerGeneration = 0;
  /** Timers due, per processor, waiting for that processor's timer expiration (§2.5 step 1). */
  private readonly expired: number[][] = [];
  readonly workQueue: WorkItem[] = [];
  worker: KThread | undefined;
  private nextThreadId = 1;
  /** Threads ready to run: one FIFO per priority (0..31), as NT's dispatcher ready queues. */
  private readonly readyQueues: KThread[][] = Array.from({ length: 32 }, () => []);
  private readyCount = 0;
  private readonly waitingSet = new Set<KThread>();
  /**
   * Something a wait may depend on changed (a signal state, a queue, a completion): waiting
   * threads' conditions are evaluated again only then, or when a deadline has passed.
   */
  dirty = false;
  private nextDeadline = Infinity;
  /** Per processor: the thread that runs threaded DPCs (§2.7). */
  readonly dpcThreads: KThread[] = [];
  private readonly headerSize: number;
  private readonly signalOff: number;
  private readonly typeOff: number;

  constructor(
    private readonly k: Kernel,
    private readonly prog: Program,
  ) {
    this.signalOff = k.layouts.offsetOf('DISPATCHER_HEADER', 'SignalState');
    this.typeOff = k.layouts.offsetOf('DISPATCHER_HEADER', 'Type');
    this.headerSize = k.layouts.sizeOf('DISPATCHER_HEADER');
    k.dpcs.expireTimers = (p) => this.expireTimers(p);
    k.dpcs.wakeThreadedDpcThread = (p) => {
      this.dirty = true;
      this.ensureDpcThread(p);
    };
  }

  init(cpus: number): void {
    for (let i = 0; i < cpus; i++) this.expired.push([]);
  }

  // ---- threads -----------------------------------------------------------------------------

  /** Creates a thread (state ready) whose body is `start` (a native request or a C routine). */
  createThread(name: string, priority: number, affinity: bigint, start: (t: KThread) => NativeResult, idle = false): KThread {
    const k = this.k;
    const id = this.nextThreadId++;
    const stack = k.mem.map(`stack of thread ${id} (${name})`, 'stack', THREAD_STACK);
    if (!stack) throw new Error('simulated memory exhausted (thread stacks)');
    const block = k.allocateSystem(0x80, 'Thre');
    k.mem.writeU8(block, ThreadObject);
    const ctx = new Cpu(this.prog, stack, id);
    const t = new KThread(id, name, ctx, block, priority, affinity, idle);
    k.threads.push(t);
    if (!idle) {
      // The body starts when the thread first runs (so it sees itself as the current thread).
      ctx.pushRequest('nt!PspSystemThreadStartup', { reason: 'starting', poll: () => start(t) });
      this.makeReady(t, k.cur?.clock ?? 0);
      k.trace.record({ kind: 'thread', t: t.readySince, cpu: k.cur?.number ?? 0, thread: id, what: 'create', name });
    }
    return t;
  }

  /** A thread running C `routine(context)` (PsCreateSystemThread), terminating when it returns. */
  createCThread(name: string, routine: number, context: number, priority = 8): KThread {
    return this.createThread(name, priority, this.allCpus(), (t) => this.k.callC('nt!PspSystemThreadStartup', routine, [context], [ptrT], () => this.terminate(t, 0)));
  }

  allCpus(): bigint {
    return (1n << BigInt(this.k.prcbs.length)) - 1n;
  }

  terminate(t: KThread, status: number): undefined {
    this.unready(t);
    t.state = 'terminated';
    this.waitingSet.delete(t);
    t.exitStatus = status;
    this.setSignalState(t.address, 1); // a thread object is signaled when it ends
    this.k.trace.record({ kind: 'thread', t: this.k.cur.clock, cpu: this.k.cur.number, thread: t.id, what: 'exit', name: t.name });
    return undefined;
  }

  /**
   * Frees a finished thread's kernel stack and forgets it (its KTHREAD block stays: a driver
   * may still wait on it or hold a reference).
   */
  reap(t: KThread): void {
    t.ctx.frames.length = 0;
    this.k.mem.unmap(t.ctx.stack);
    const i = this.k.threads.indexOf(t);
    if (i >= 0) this.k.threads.splice(i, 1);
    if (this.worker === t) this.worker = undefined;
  }

  /** Ready; a preempted thread goes to the head of its queue, others to the tail (as NT does). */
  makeReady(t: KThread, now: number, preempted = false): void {
    this.unready(t);
    t.state = 'ready';
    t.readySince = now;
    this.waitingSet.delete(t);
    const q = this.readyQueues[Math.max(0, Math.min(31, t.priority))];
    if (preempted) q.unshift(t);
    else q.push(t);
    this.readyCount++;
  }

  private unready(t: KThread): void {
    if (t.state !== 'ready') return;
    for (const q of this.readyQueues) {
      const i = q.indexOf(t);
      if (i >= 0) {
        q.splice(i, 1);
        this.readyCount--;
        return;
      }
    }
  }

  /** The scheduler dispatched t. */
  markRunning(t: KThread): void {
    this.unready(t);
    t.state = 'running';
  }

  /** The thread to run next on `p`, if any is ready (highest priority, then FIFO). */
  pickReady(p: Prcb): KThread | undefined {
    this.evaluateWaits();
    if (this.readyCount === 0) return undefined;
    for (let prio = 31; prio >= 0; prio--) {
      for (const t of this.readyQueues[prio]) if (t.runsOn(p.number)) return t;
    }
    return undefined;
  }

  /** Re-evaluates waiting threads when something changed or a deadline passed. */
  private evaluateWaits(): void {
    if (this.waitingSet.size === 0) return;
    const now = Math.max(...this.k.prcbs.map((p) => p.clock));
    if (!this.dirty && now < this.nextDeadline) return;
    this.dirty = false;
    this.nextDeadline = Infinity;
    for (const t of [...this.waitingSet]) {
      this.evaluateWait(t, now);
      const d = t.wait?.deadlineNs;
      if (t.state === 'waiting' && d !== undefined && d < this.nextDeadline) this.nextDeadline = d;
    }
  }

  /**
   * The processor's threaded-DPC thread (§2.7): priority 31, bound to the processor, runs each
   * threaded DPC at PASSIVE_LEVEL (so ordinary DPCs and interrupts preempt it, threads do not).
   */
  private ensureDpcThread(p: Prcb): void {
    if (this.dpcThreads[p.number]) return;
    this.dpcThreads[p.number] = this.createThread(`KiExecuteDpc (CPU ${p.number})`, 31, 1n << BigInt(p.number), () => this.threadedDpcLoop(p));
  }

  private threadedDpcLoop(p: Prcb): NativeResult {
    const k = this.k;
    const L = k.layouts;
    return this.block('threaded DPC queue', () => (p.threadedDpcQueue.length > 0 ? 0 : undefined), undefined, () => {
      const dpc = p.threadedDpcQueue.shift() as number;
      k.dpcs.writeDpcData(p, true, dpc, false);
      const m = k.mem;
      const routine = m.readPtr(dpc + L.offsetOf('KDPC', 'DeferredRoutine'));
      const args = [dpc, m.readPtr(dpc + L.offsetOf('KDPC', 'DeferredContext')), m.readPtr(dpc + L.offsetOf('KDPC', 'SystemArgument1')), m.readPtr(dpc + L.offsetOf('KDPC', 'SystemArgument2'))];
      m.writePtr(dpc + L.offsetOf('KDPC', 'DpcData'), 0);
      const queuedAt = k.dpcs.queuedAt.get(dpc) ?? p.clock;
      k.dpcs.queuedAt.delete(dpc);
      const name = k.symbol(routine);
      const depth = p.activity.length;
      p.activity.push({ kind: 'dpc', name, startNs: p.clock, object: dpc });
      k.debugHooks?.onDpc(p, name);
      k.trace.record({ kind: 'dpc-run', t: p.clock, cpu: p.number, dpc, routine: name, threaded: true, timer: false, queuedAt });
      return k.callC('nt!KiExecuteDpc', routine, args, [ptrT, ptrT, ptrT, ptrT], () => {
        k.syncClock(p);
        p.activity.length = depth;
        k.dpcs.writeDpcData(p, true, 0, false);
        k.trace.record({ kind: 'dpc-finish', t: p.clock, cpu: p.number, dpc, routine: name });
        if (p.irql !== PASSIVE_LEVEL) {
          k.bugCheckOnReturn(routine, 0xc8, BigInt((p.irql << 16) | 0xff), 0n, toUnsigned(dpc), 0n, `threaded DPC ${name} returned at IRQL ${p.irql}; it runs at PASSIVE_LEVEL`);
        }
        return this.threadedDpcLoop(p);
      });
    });
  }

  // ---- waits -------------------------------------------------------------------------------

  /**
   * Blocks the current thread until `check` returns a wait status (or the deadline passes:
   * STATUS_TIMEOUT). `check` consumes what it needs (an auto-reset event) when it succeeds.
   */
  block(reason: string, check: () => number | undefined, deadlineNs: number | undefined, then: (status: number) => NativeResult): NativeResult {
    const k = this.k;
    const now = k.nowNs();
    const first = check();
    if (first !== undefined) return then(first);
    if (deadlineNs !== undefined && deadlineNs <= now) return then(STATUS_TIMEOUT);
    const t = k.cur.current;
    this.unready(t);
    t.state = 'waiting';
    this.waitingSet.add(t);
    if (deadlineNs !== undefined && deadlineNs < this.nextDeadline) this.nextDeadline = deadlineNs;
    t.wait = { objects: [], waitAll: false, deadlineNs, result: undefined, reason };
    waitChecks.set(t, check);
    if (deadlineNs !== undefined) k.schedule(deadlineNs, 'timer', t.id, 'wait-timeout');
    k.trace.record({ kind: 'thread', t: now, cpu: k.cur.number, thread: t.id, what: 'wait', name: t.name });
    return {
      reason: `waiting: ${reason}`,
      wait: true,
      label: 'nt!KeWaitForSingleObject',
      poll: () => {
        const w = t.wait;
        if (!w || w.result === undefined) return BLOCKED;
        t.wait = undefined;
        waitChecks.delete(t);
        return then(w.result);
      },
    };
  }

  /** Re-evaluates a waiting thread's condition; satisfied → ready. */
  private evaluateWait(t: KThread, now: number): void {
    const w = t.wait;
    if (!w || w.result !== undefined) return;
    const check = waitChecks.get(t);
    const r = check?.();
    if (r !== undefined) w.result = r;
    else if (w.deadlineNs !== undefined && w.deadlineNs <= now) w.result = STATUS_TIMEOUT;
    else return;
    this.makeReady(t, now);
    this.k.trace.record({ kind: 'thread', t: now, cpu: this.k.cur?.number ?? 0, thread: t.id, what: 'ready', name: t.name });
  }

  // ---- dispatcher objects ------------------------------------------------------------------

  initHeader(object: number, type: number, signal: number, size: number): void {
    const m = this.k.mem;
    m.fill(object, 0, this.headerSize);
    m.writeU8(object + this.typeOff, type);
    m.writeU8(object + this.typeOff + 2, Math.min(255, Math.ceil(size / 4)));
    m.writeU32(object + this.signalOff, signal);
    const wl = this.k.layouts.offsetOf('DISPATCHER_HEADER', 'WaitListHead');
    m.writePtr(object + wl, object + wl);
    m.writePtr(object + wl + 8, object + wl);
  }

  signalState(object: number): number {
    return this.k.mem.readI32(object + this.signalOff);
  }

  setSignalState(object: number, v: number): number {
    const old = this.signalState(object);
    if (v > 0) this.dirty = true;
    this.k.mem.writeU32(object + this.signalOff, v >>> 0);
    return old;
  }

  /** Whether `object` satisfies a wait now; consumes it for the auto-reset kinds. */
  tryConsume(object: number, consume: boolean): boolean {
    const m = this.k.mem;
    const type = m.readU8(object + this.typeOff);
    const s = this.signalState(object);
    if (s <= 0) return false;
    if (!consume) return true;
    if (type === EventSynchronizationObject || type === TimerSynchronizationObject) this.setSignalState(object, 0);
    else if (type === SemaphoreObject) this.setSignalState(object, s - 1);
    return true;
  }

  /** KeWaitForSingleObject / KeWaitForMultipleObjects (WaitAny / WaitAll). */
  waitObjects(objects: number[], waitAll: boolean, deadlineNs: number | undefined, then: (s: number) => NativeResult): NativeResult {
    const check = (): number | undefined => {
      if (waitAll) {
        if (!objects.every((o) => this.tryConsume(o, false))) return undefined;
        for (const o of objects) this.tryConsume(o, true);
        return STATUS_WAIT_0;
      }
      for (let i = 0; i < objects.length; i++) if (this.tryConsume(objects[i], true)) return STATUS_WAIT_0 + i;
      return undefined;
    };
    return this.block(objects.map((o) => this.k.symbolOrHex(o)).join(', '), check, deadlineNs, then);
  }

  // ---- timers ------------------------------------------------------------------------------

  /**
   * KeSetTimerEx (§2.7): DueTime in 100 ns (negative = relative), Period in ms. Expiry is
   * processed at the first clock tick at or after the due time, on the processor that set it.
   * Returns TRUE if the timer was already set.
   */
  setTimer(timer: number, dueTime: bigint, periodMs: number, dpc: number): boolean {
    const k = this.k;
    const now = k.nowNs();
    const was = this.timers.has(timer);
    // Positive DueTime is absolute system time (100 ns since 1601); negative is relative.
    const dueNs = dueTime < 0n ? now + Number(-dueTime) * 100 : Math.max(now, Number(dueTime - k.bootSystemTime) * 100);
    this.setSignalState(timer, 0);
    const e: TimerEntry = { dueNs, periodNs: periodMs * 1e6, dpc, cpu: k.cur.number, generation: ++this.timerGeneration };
    this.timers.set(timer, e);
    this.writeTimer(timer, e);
    this.scheduleExpiry(timer, e);
    return was;
  }

  private writeTimer(timer: number, e: TimerEntry): void {
    const L = this.k.layouts;
    const m = this.k.mem;
    m.writeU64(timer + L.offsetOf('KTIMER', 'DueTime'), BigInt(Math.floor(e.dueNs / 100)));
    m.writePtr(timer + L.offsetOf('KTIMER', 'Dpc'), e.dpc);
    m.writeU32(timer + L.offsetOf('KTIMER', 'Period'), Math.round(e.periodNs / 1e6));
    m.writeU32(timer + L.offsetOf('KTIMER', 'Processor'), e.cpu);
  }

  private scheduleExpiry(timer: number, e: TimerEntry): void {
    const tick = this.k.tickNs;
    const at = Math.max(tick, Math.ceil(e.dueNs / tick) * tick);
    this.k.schedule(at, 'timer', e.generation, 'timer-expiry', timer);
  }

  cancelTimer(timer: number): boolean {
    const was = this.timers.delete(timer);
    for (const list of this.expired) {
      const i = list.indexOf(timer);
      if (i >= 0) list.splice(i, 1);
    }
    return was;
  }

  /** The timer event fired (at a clock tick): hand it to its processor's timer expiration. */
  onTimerEvent(generation: number, timer: number): void {
    const e = this.timers.get(timer);
    if (!e || e.generation !== generation) return; // cancelled or re-set since
    const p = this.k.prcbs[e.cpu];
    this.expired[e.cpu].push(timer);
    p.timerRequest = true;
    p.dpcInterruptRequested = true;
  }

  /** KiTimerExpiration: signal due timers of p, queue their DPCs, re-arm periodic ones. */
  expireTimers(p: Prcb): void {
    const k = this.k;
    const list = this.expired[p.number].splice(0);
    for (const timer of list) {
      const e = this.timers.get(timer);
      if (!e) continue;
      this.setSignalState(timer, 1);
      if (e.periodNs > 0) {
        e.dueNs += e.periodNs;
        e.generation = ++this.timerGeneration;
        this.writeTimer(timer, e);
        this.scheduleExpiry(timer, e);
      } else this.timers.delete(timer);
      if (e.dpc !== 0) {
        // ReactOS passes the low/high halves of the system time (§2.7; documented as unused).
        const time = BigInt(Math.floor(p.clock / 100));
        k.dpcs.timerDpcs.add(e.dpc);
        k.dpcs.insert(e.dpc, Number(time & 0xffffffffn), Number(time >> 32n), true);
      }
    }
  }

  // ---- work items ----------------------------------------------------------------------------

  queueWorkItem(w: WorkItem): void {
    this.workQueue.push(w);
    this.dirty = true;
    if (!this.worker) this.worker = this.createThread('System worker (DelayedWorkQueue)', 12, this.allCpus(), () => this.workerLoop());
  }

  /** ExpWorkerThread: wait for an item, run it at PASSIVE, check it returned at PASSIVE (0xE1). */
  private workerLoop(): NativeResult {
    const k = this.k;
    const loop = (): NativeResult =>
      this.block('work item queue', () => (this.workQueue.length > 0 ? 0 : undefined), undefined, () => {
        const w = this.workQueue.shift() as WorkItem;
        const args = w.ex ? [w.item, w.context, w.device] : [w.device, w.context];
        const types: CType[] = w.ex ? [ptrT, ptrT, ptrT] : [ptrT, ptrT];
        return k.callC('nt!IopProcessWorkItem', w.routine, args, types, () => {
          const p = k.cur;
          if (p.irql !== PASSIVE_LEVEL) {
            k.bugCheck(0xe1, toUnsigned(w.routine), BigInt(p.irql), toUnsigned(w.context), toUnsigned(w.item), `work item routine ${k.symbol(w.routine)} returned at IRQL ${p.irql}`);
          }
          return loop();
        });
      });
    return loop();
  }
}

/** Wait conditions by thread (functions are not machine state the debugger inspects). */
const waitChecks = new WeakMap<KThread, () => number | undefined>();
