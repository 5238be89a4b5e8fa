// Per-processor and per-thread state (NT's KPRCB and KTHREAD, the parts the simulator uses).
// Plain data except for the execution context (vm Cpu), which snapshots itself.

import type { Cpu } from '../../vm/runtime';

// The x64 IRQLs (KERNEL_MODEL §1.1), defined once with the verifier's rules.
export { APC_LEVEL, CLOCK_LEVEL, DISPATCH_LEVEL, HIGH_LEVEL, IPI_LEVEL, PASSIVE_LEVEL, SYNCH_LEVEL } from '../../verifier/irql-rules';
import { DISPATCH_LEVEL, PASSIVE_LEVEL } from '../../verifier/irql-rules';

/** What a processor is doing, innermost last (the debugger's and the Kernel View's "context"). */
export interface Activity {
  kind: 'thread' | 'isr' | 'dpc' | 'idle';
  /** Routine symbol (ISR / DPC routine / thread start). */
  name: string;
  startNs: number;
  vector?: number;
  /** KDPC or KINTERRUPT address. */
  object?: number;
}

export type ThreadState = 'initialized' | 'ready' | 'running' | 'waiting' | 'terminated';

export interface WaitState {
  /** Dispatcher object addresses waited on. */
  objects: number[];
  waitAll: boolean;
  /** Absolute interrupt time (ns) at which the wait times out, or undefined. */
  deadlineNs: number | undefined;
  /** Set when satisfied: STATUS_WAIT_0 + index, STATUS_TIMEOUT, ... */
  result: number | undefined;
  reason: string;
}

export class KThread {
  state: ThreadState = 'initialized';
  wait: WaitState | undefined;
  /** Processor it runs on (while running). */
  processor = -1;
  /** Time it became ready (FIFO among equal priorities). */
  readySince = 0;
  /** IRQL the thread runs at when dispatched (PASSIVE; APC inside guarded regions). */
  savedIrql = PASSIVE_LEVEL;
  criticalRegion = 0;
  /** KeSetSystemAffinityThreadEx's mask while one is in force. */
  systemAffinity: bigint | undefined;
  /** Exit status once terminated. */
  exitStatus = 0;

  constructor(
    readonly id: number,
    readonly name: string,
    /** The execution context: frames and its own kernel stack. */
    readonly ctx: Cpu,
    /** Address of its KTHREAD/ETHREAD block in simulated memory (KeGetCurrentThread). */
    readonly address: number,
    public priority: number,
    affinity: bigint,
    readonly isIdle: boolean,
  ) {
    this.affinity = affinity;
  }

  private mask = 0n;
  private lo = 0;
  private hi = 0;

  /** Processors the thread may run on (KAFFINITY). */
  get affinity(): bigint {
    return this.mask;
  }
  set affinity(m: bigint) {
    this.mask = m;
    // Two 32-bit words: the scheduler tests them on every decision (bigint shifts are slow).
    this.lo = Number(m & 0xffffffffn);
    this.hi = Number((m >> 32n) & 0xffffffffn);
  }

  runsOn(cpu: number): boolean {
    return cpu < 32 ? ((this.lo >>> cpu) & 1) === 1 : ((this.hi >>> (cpu - 32)) & 1) === 1;
  }
}

export class Prcb {
  irql = DISPATCH_LEVEL;
  /** Simulated time of this processor (ns). */
  clock = 0;
  /** Budget given to the running context at the start of the slice (for time accounting). */
  sliceBudget = 0;
  current: KThread;
  readonly activity: Activity[] = [];

  // DPC queues (KPRCB.DpcData[DPC_NORMAL], [DPC_THREADED]): KDPC addresses, head first.
  readonly dpcQueue: number[] = [];
  readonly threadedDpcQueue: number[] = [];
  /** DISPATCH_LEVEL software interrupt requested (KERNEL_MODEL §2.4 "request a DPC interrupt"). */
  dpcInterruptRequested = false;
  dpcRoutineActive = false;
  /** Timer expiration pending for this processor's timer table (drained first, §2.5 step 1). */
  timerRequest = false;
  /** Deepest the normal DPC queue has been, and when (for scenario expectations). */
  peakDpcQueueDepth = 0;
  peakDpcQueueDepthAtNs = 0;
  // §2.6 rate/depth tuning (ReactOS defaults).
  maximumDpcQueueDepth = 4;
  minimumDpcRate = 3;
  dpcRequestRate = 0;
  dpcLastCount = 0;
  adjustDpcThreshold = 20;
  dpcCount = 0;
  /** Of dpcCount (every DPC queued here), the threaded ones (each queue's KDPC_DATA.DpcCount). */
  threadedDpcCount = 0;
  nextTickNs = 0;
  tickCount = 0;

  /** Pending hardware interrupt vectors (the local APIC's IRR). */
  readonly irr = new Uint8Array(256);
  pendingCount = 0;
  interruptCount = 0;
  /** Time the IRQL rose to ≥ DISPATCH outside the idle loop (cumulative DPC watchdog, §5.1). */
  dispatchSinceNs: number | undefined;
  /** The IRQL each nested raise came from (KeLowerIrql must match, §1.2). */
  readonly irqlStack: number[] = [];

  constructor(
    readonly number: number,
    readonly idle: KThread,
    /** Address of the simulated KPCR/KPRCB block (for !pcr and KeGetCurrentProcessorNumber). */
    readonly address: number,
  ) {
    this.current = idle;
  }

  /** The innermost ISR or DPC being run, if any. */
  get activeRoutine(): Activity | undefined {
    for (let i = this.activity.length - 1; i >= 0; i--) {
      const a = this.activity[i];
      if (a.kind === 'isr' || a.kind === 'dpc') return a;
    }
    return undefined;
  }

  /** The highest pending vector, or -1. */
  highestPending(): number {
    if (this.pendingCount === 0) return -1;
    for (let v = 255; v >= 0; v--) if (this.irr[v]) return v;
    return -1;
  }

  isIdle(): boolean {
    return this.current.isIdle;
  }
}
