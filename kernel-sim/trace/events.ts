// The event stream the kernel records (KERNEL_MODEL §8.1: the same facts ETW's PerfInfo
// ISR/DPC events carry, plus what a debugger timeline needs). Times are simulated
// nanoseconds since boot; `cpu` is the processor number. Routines are named by symbol.

export type TraceEvent =
  | { kind: 'isr-enter'; t: number; cpu: number; vector: number; irql: number; routine: string; interrupt: number }
  | { kind: 'isr-exit'; t: number; cpu: number; vector: number; routine: string; interrupt: number; claimed: boolean }
  | { kind: 'dpc-queue'; t: number; cpu: number; target: number; dpc: number; routine: string; importance: number; inserted: boolean; threaded: boolean }
  | { kind: 'dpc-dequeue'; t: number; cpu: number; dpc: number; routine: string }
  | { kind: 'dpc-run'; t: number; cpu: number; dpc: number; routine: string; threaded: boolean; timer: boolean; queuedAt: number }
  | { kind: 'dpc-finish'; t: number; cpu: number; dpc: number; routine: string }
  | { kind: 'irql'; t: number; cpu: number; from: number; to: number }
  | { kind: 'lock-acquire'; t: number; cpu: number; lock: number; how: LockKind }
  | { kind: 'lock-release'; t: number; cpu: number; lock: number; how: LockKind }
  | { kind: 'irp-start'; t: number; cpu: number; irp: number; major: number; minor: number; device: number }
  | { kind: 'irp-complete'; t: number; cpu: number; irp: number; status: number; information: number }
  | { kind: 'dbgprint'; t: number; cpu: number; text: string }
  | { kind: 'thread'; t: number; cpu: number; thread: number; what: 'create' | 'run' | 'wait' | 'ready' | 'exit'; name: string }
  | { kind: 'device'; t: number; device: string; what: string; detail?: string }
  /** A driver's port or memory-mapped register access; `name` when the model or project names it. */
  | { kind: 'register'; t: number; cpu: number; device: string; resource: number; offset: number; size: number; value: number; write: boolean; name?: string }
  | { kind: 'bugcheck'; t: number; cpu: number; code: number; args: [string, string, string, string] };

export type LockKind = 'spin' | 'spin-dpc' | 'queued' | 'queued-dpc' | 'interrupt' | 'cancel';

export type TraceEventKind = TraceEvent['kind'];
