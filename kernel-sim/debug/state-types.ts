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
  registers: Array<{ name: string; offset: number; size: number; value: number; internal?: boolean }>;
}

export interface TraceWindowEvent {
  kind: string;
  t: number;
  cpu: number;
  /** The rest of the event's fields, as recorded. */
  [field: string]: unknown;
}
