// The kernel state the Kernel View shows, as sent by the adapter's `kdsim/state` request and
// `kdsim/stateChanged` event: one definition for both ends (the adapter builds it, the
// extension and the webview read it). Plain JSON: addresses as "0xfffff800..." strings.

export const KDSIM_STATE_REQUEST = 'kdsim/state';
export const KDSIM_STATE_CHANGED_EVENT = 'kdsim/stateChanged';

export interface KdsimState {
  /** Increases with every state the adapter builds (the view drops stale ones). */
  version: number;
  /** Whether the machine is stopped (a consistent snapshot) or running (a throttled glimpse). */
  stopped: boolean;
  /** Simulated time of the furthest processor, ns. */
  nowNs: number;
  cpus: CpuState[];
  interrupts: InterruptState[];
  devices: DeviceState[];
  /** The most recent trace events (a window), oldest first. */
  recent: TraceWindowEvent[];
  stats: { interrupts: number; dpcs: number; dbgPrints: number };
  bugCheck?: { code: string; name: string; cpu: number };
  // Kernel View extras: optional, so states built before them still type-check.
  /** ISR/DPC/thread activity per CPU over the recent window, for the timeline. */
  timeline?: TimelineState;
  /** Duration statistics over the whole run so far (WPA/LatencyMon style). */
  latency?: LatencyState;
  /** The most recent DbgPrint lines (a window of `log.total`). */
  log?: LogState;
  /** Where each driver routine is defined (click to reveal). */
  routines?: Record<string, SourcePosition>;
}

export interface CpuState {
  number: number;
  irql: number;
  irqlName: string;
  /** What runs: "ISR SmpInterruptService (vector 0x91)", "DPC SmpDpcForIsr", "thread ...", "idle". */
  context: string;
  kind: 'isr' | 'dpc' | 'thread' | 'idle';
  thread: string;
  clockNs: number;
  dpcQueue: DpcState[];
  threadedDpcQueue: DpcState[];
  /** Pending hardware interrupt vectors, highest first. */
  pendingVectors: number[];
  interruptCount: number;
}

export interface DpcState {
  address: string;
  routine: string;
  importance: 'Low' | 'Medium' | 'High' | 'MediumHigh';
  /** Target processor when set with KeSetTargetProcessorDpc, else undefined (the queuing processor). */
  target?: number;
  systemArgument1: string;
  systemArgument2: string;
  deferredContext: string;
  queuedAtNs?: number;
}

export interface InterruptState {
  address: string;
  cpu: number;
  vector: number;
  irql: number;
  synchronizeIrql: number;
  mode: 'LevelSensitive' | 'Latched';
  shared: boolean;
  messageBased: boolean;
  routine: string;
  serviceCount: number;
  claimed: number;
  unclaimed: number;
  lastDurationNs: number;
}

export interface DeviceState {
  id: string;
  model: string;
  /** How many interrupt lines (or messages) the device was given: 0 means it cannot interrupt. */
  interrupts?: number;
  registers: Array<{ name: string; offset: number; size: number; value: number; internal?: boolean }>;
}

export interface TraceWindowEvent {
  kind: string;
  t: number;
  cpu: number;
  /** The rest of the event's fields, as recorded. */
  [field: string]: unknown;
}

// ---- Kernel View extras ----------------------------------------------------------------------

export interface SourcePosition {
  file: string;
  line: number;
}

export interface TimelineState {
  /** Earliest time the window covers (older activity was left out), ns. */
  fromNs: number;
  /** Latest time: the furthest processor's clock, ns. */
  toNs: number;
  /** Activations in start order. Nested ones (an ISR inside a DPC) have a larger depth. */
  segments: TimelineSegment[];
  /** Per CPU (index = processor number): IRQL changes as [tNs, irql] pairs, oldest first. */
  irql: Array<Array<[number, number]>>;
  /** Per CPU: the IRQL at fromNs (where the step line starts). */
  irqlAtStart: number[];
}

export interface TimelineSegment {
  cpu: number;
  kind: 'isr' | 'dpc' | 'thread';
  /** Routine (ISR/DPC) or thread name. */
  name: string;
  startNs: number;
  /** Undefined while it still runs (draw it up to that CPU's clock). */
  endNs?: number;
  /** 0 for threads, 1 for the outermost ISR/DPC, more when nested. */
  depth: number;
  vector?: number;
  /** DPC: when it was queued (its wait is startNs − queuedAtNs). */
  queuedAtNs?: number;
  /** ISR: whether it returned TRUE. */
  claimed?: boolean;
}

export interface DurationSummary {
  count: number;
  totalNs: number;
  maxNs: number;
  /** When and where the longest one started. */
  maxAtNs: number;
  maxCpu: number;
  /** Counts per bucket of `LatencyState.bucketsUs` (last bucket open-ended). */
  histogram: number[];
}

export interface RoutineDurations extends DurationSummary {
  kind: 'isr' | 'dpc';
  routine: string;
  vector?: number;
}

export interface LatencyPair extends DurationSummary {
  isr: string;
  dpc: string;
}

export interface LatencyState {
  /** Histogram bucket lower bounds, µs (tracerpt's). */
  bucketsUs: number[];
  isr: DurationSummary;
  dpc: DurationSummary;
  /** ISR entry to the start of the DPC it queued (LatencyMon's "interrupt to DPC latency"). */
  isrToDpc: DurationSummary;
  /** Per routine, largest total first. */
  routines: RoutineDurations[];
  /** Per ISR → DPC pair, worst first. */
  pairs: LatencyPair[];
}

export interface LogLine {
  t: number;
  cpu: number;
  text: string;
}

export interface LogState {
  /** Lines printed since boot; `lines` holds the last ones. */
  total: number;
  lines: LogLine[];
}
