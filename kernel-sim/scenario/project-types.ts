// The typed form of kdsim.json (the project file, ARCHITECTURE "Interfaces"). The parser
// (scenario/project.ts) turns the JSON into this with defaults applied and numbers decoded
// ("0x91" and 0x91 both accepted); the JSON Schema (scenario/kdsim.schema.json) documents it.

export interface ProjectConfig {
  name: string;
  description?: string;
  /** Absolute paths (resolved against the project folder by the caller). */
  sources: string[];
  includePaths: string[];
  defines: Array<[string, string | undefined]>;
  machine: MachineConfig;
  devices: DeviceConfig[];
  scenario: ScenarioConfig;
  verifier: VerifierConfig;
  watchdog: WatchdogConfig;
}

export interface MachineConfig {
  /** 1..64, default 2. */
  cpus: number;
  /** Seed of every random choice (default 1). */
  seed: number;
  /** Clock tick in 100 ns units (KeQueryTimeIncrement), default 156250 (15.625 ms). */
  timeIncrement: number;
  /** Which CPU of an interrupt's affinity takes it: default 'lowest-irql'. */
  interruptDelivery: 'lowest-irql' | 'round-robin' | 'first';
  cost: CostModel;
  /** Simulated memory in MiB (default 256). */
  memoryMiB: number;
}

/** Simulated time charged per operation, in nanoseconds. */
export interface CostModel {
  statement: number; // default 1
  ddiCall: number; // default 20
  portIo: number; // default 1000 (ISA bus cycle)
  registerIo: number; // default 150 (MMIO read/write)
  interruptEntry: number; // default 400
  interruptExit: number; // default 200
  dpcDispatch: number; // default 150
  contextSwitch: number; // default 1500
}

export interface DeviceConfig {
  id: string;
  /** Device model name ('generic', or a library model in later issues). */
  model: string;
  bus: 'pci' | 'isa' | 'root';
  hardwareId: string;
  resources: ResourceConfig[];
  /** Register names → offsets (documentation and the debugger's register view). */
  registers: Record<string, number>;
  /** Model parameters, passed through to the model. */
  params: Record<string, unknown>;
  /**
   * Input class drivers the simulator layers on the device's stack (kbdclass / mouclass): each
   * sends its IOCTL_INTERNAL_*_CONNECT after IRP_MN_START_DEVICE and records what its class
   * service callback receives.
   */
  classDriver?: InputClass[];
  /** Absolute path of the JavaScript device module when `model` names one ("./devices/x.js"). */
  modulePath?: string;
}

export type InputClass = 'keyboard' | 'mouse';

export type ResourceConfig =
  | { type: 'port'; start: number; length: number }
  | { type: 'memory'; start: number; length: number }
  | {
      type: 'interrupt';
      vector: number;
      /** DIRQL; default vector >> 4. */
      level: number;
      affinity: number;
      mode: 'levelSensitive' | 'latched';
      shared: boolean;
      /** Message-signalled (MSI) instead of a line. */
      message?: boolean;
      /** `affinity` exactly, as a 64-bit mask (a number is only exact up to 2^53 and JS
       *  bitwise operators see 32 bits). Always set by the parser. */
      affinityMask?: bigint;
    };

export interface ScenarioConfig {
  /** Stop the run at this simulated time (ns); default 1 s. */
  untilNs: number;
  stimuli: Stimulus[];
  expect: Expectation[];
  /** IRPs the simulated I/O manager sends to the driver's device after start. */
  requests: RequestConfig[];
}

export type Stimulus =
  | { kind: 'interrupt'; device: string; atNs: number; data?: number }
  | { kind: 'periodic'; device: string; startNs: number; periodNs: number; count: number; data?: number }
  | { kind: 'burst'; device: string; atNs: number; count: number; spacingNs: number; data?: number }
  | { kind: 'random'; device: string; startNs: number; endNs: number; count: number; seed?: number; data?: number }
  /** A model-specific action (DeviceModel.act): a UART receiving bytes, keys typed, a mouse moved. */
  | { kind: 'action'; device: string; atNs: number; action: string; args: Record<string, unknown>; data?: number };

export interface RequestConfig {
  /** 'read' | 'write' | 'ioctl' | 'internal-ioctl' | 'create' | 'close' */
  major: 'create' | 'close' | 'read' | 'write' | 'ioctl' | 'internal-ioctl';
  /** Id of the device whose stack receives the IRP (default: the first device). */
  device?: string;
  atNs: number;
  length?: number;
  ioctl?: number;
  /** Input bytes (write / ioctl input). */
  data?: number[];
  /** Cancel the IRP if not completed after this long. */
  cancelAfterNs?: number;
}

export type Expectation =
  | { kind: 'no-bugcheck' }
  | { kind: 'bugcheck'; code: number; p1?: bigint }
  /** `match` is a regular expression tested against each DbgPrint message; `count` is an
   *  exact number of matching messages, `min`/`max` bounds (none given: at least one). */
  | { kind: 'dbgprint'; match: string; count?: number; min?: number; max?: number }
  /** `data`: the bytes the request returned (read / ioctl output), compared exactly. */
  | { kind: 'irp-complete'; request: number; status?: number; withinNs?: number; information?: number; data?: number[] }
  /** What a device model sent out (DeviceHost.output) of one kind, concatenated: exactly
   *  `data`, or containing `contains`. */
  | { kind: 'device-output'; device: string; outputKind: string; data?: number[]; contains?: number[] }
  /** Packets the simulated class driver's service callback received, in order. `packets`
   *  lists each packet's expected fields (the others are not compared). */
  | { kind: 'class-input'; inputClass: InputClass; device?: string; packets?: Array<Record<string, number>>; min?: number; max?: number }
  | { kind: 'max-dpc-queue-depth'; depth: number }
  | { kind: 'dpc-runs'; routine: string; min?: number; max?: number }
  | { kind: 'isr-runs'; routine: string; min?: number; max?: number }
  | { kind: 'max-duration'; routine: string; ns: number }
  | { kind: 'max-isr-to-dpc-latency'; ns: number }
  | { kind: 'no-leaks' };

export interface VerifierConfig {
  /** Driver Verifier with standard flags on the driver under test (default true). */
  enabled: boolean;
  /** "Force IRQL checking": pageable memory trimmed at ≥ DISPATCH (default true). */
  forceIrqlChecking: boolean;
  /** Pool tracking: leaks reported at unload (default true). */
  poolTracking: boolean;
  /** Report guidance limits (ISR 25 µs, DPC 100 µs) as warnings (default true). */
  guidanceWarnings: boolean;
}

export interface WatchdogConfig {
  /** Single DPC/ISR allotment in clock ticks (default 1280 = 20 s at 15.625 ms). */
  dpcTimeLimitTicks: number;
  /** Cumulative time at ≥ DISPATCH in ticks (default 7680 = 120 s). */
  dpcWatchdogPeriodTicks: number;
  /** Guidance: ISR (default 25 µs) and DPC (default 100 µs) durations warned about. */
  isrWarnUs: number;
  dpcWarnUs: number;
}
