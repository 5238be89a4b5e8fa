// The interface between device models and the rest of the simulator (ARCHITECTURE decision 6).
// A device sees only its registers, the simulated clock and the interrupt lines it was given:
// it knows nothing of the kernel (devices/ never imports nt/).

/** What the simulator gives a device model. */
export interface DeviceHost {
  /** Simulated time in ns. */
  now(): number;
  /** Calls the model's onEvent(kind, data) at simulated time `atNs` (plain data: snapshot-able). */
  schedule(atNs: number, kind: string, data?: number): void;
  /** Drives interrupt line `index` (the device's n-th interrupt resource) high or low (level). */
  setLine(index: number, asserted: boolean): void;
  /** An edge on line `index` (latched) or message `index` (MSI). */
  pulse(index: number): void;
  /** Records a device event in the trace (register access summaries, stimuli). */
  trace(what: string, detail?: string): void;
  /** Deterministic random numbers in [0, 1) (the project's seed). */
  random(): number;
  /**
   * What the device sends to the outside world (bytes a UART transmits, LED states...): the
   * scenario collects them per device and kind for expectations and the debugger.
   */
  output(kind: string, data: readonly number[]): void;
}

export interface RegisterView {
  name: string;
  offset: number;
  size: number;
  value: number;
  /** Resource index the register lives in (its port or memory window). */
  resource: number;
  /**
   * Not at an address of its own: chip-internal state reached through another register (an
   * index/data pair, controller RAM). `offset` is then the port it is reached through.
   */
  internal?: boolean;
}

export interface DeviceModel {
  readonly model: string;
  attach(host: DeviceHost): void;
  /** A register read of 1, 2 or 4 bytes at `offset` inside resource window `resource`. */
  read(resource: number, offset: number, size: 1 | 2 | 4): number;
  write(resource: number, offset: number, size: 1 | 2 | 4, value: number): void;
  /** A scheduled event (see DeviceHost.schedule). */
  onEvent(kind: string, data: number | undefined): void;
  /** The scenario's "interrupt" stimulus: the device produces data and raises its cause. */
  stimulate(data: number | undefined): void;
  /**
   * A model-specific scenario action at the current time: a UART "receive" of bytes, a
   * keyboard "type" of keys, a mouse "move"/"click"... Unknown actions throw an Error naming
   * the actions the model accepts (reported as a project-file error).
   */
  act?(action: string, args: Readonly<Record<string, unknown>>): void;
  registers(): RegisterView[];
  /**
   * The register an access at `offset` reaches in the device's current state, for the trace:
   * where one address is several registers (by direction, a bank bit, an index register).
   * Without it (or when it returns undefined) the trace uses the names registers() gives.
   */
  accessName?(resource: number, offset: number, write: boolean): string | undefined;
  snapshot(): unknown;
  restore(s: unknown): void;
}
