// The DeviceHost the device-model tests drive a model with: a clock the test moves, an event
// queue run in time order, and a record of everything the model does to its host (line levels,
// pulses, outputs, trace lines), so a test can check when each happened.

import assert from 'node:assert/strict';
import type { DeviceHost, DeviceModel } from '../../kernel-sim/devices/device';

/** A scheduled onEvent call; `seq` keeps events due at the same time in scheduling order. */
export interface Pending {
  atNs: number;
  seq: number;
  kind: string;
  data?: number;
}

export interface LineChange {
  atNs: number;
  index: number;
  level: boolean;
}

export interface Pulse {
  atNs: number;
  index: number;
}

export interface Output {
  atNs: number;
  kind: string;
  data: number[];
}

export interface FakeHostOptions {
  /** Interrupt lines the model was given: setLine on another index fails the test at once. */
  lineCount?: number;
  /** Pulse targets (latched lines or MSI messages): 0 for a model that must only drive levels. */
  pulseCount?: number;
}

export class FakeHost implements DeviceHost {
  /** Simulated time in ns; a test may set it (to start later, or to replay after a restore). */
  t = 0;
  /** Public so a test can copy and restore it along with a device snapshot. */
  queue: Pending[] = [];
  /** Every setLine call in order; lines() gives one line's view. */
  lineLog: LineChange[] = [];
  pulses: Pulse[] = [];
  outputs: Output[] = [];
  /** Trace calls as "what: detail" (or "what"). */
  traces: string[] = [];
  /** Values random() returns first; after them it returns 0.5, so runs are deterministic. */
  randoms: number[] = [];
  private seq = 0;
  private readonly lineCount: number;
  private readonly pulseCount: number;

  constructor(
    private readonly dev: DeviceModel,
    options: FakeHostOptions = {},
  ) {
    this.lineCount = options.lineCount ?? Infinity;
    this.pulseCount = options.pulseCount ?? Infinity;
    dev.attach(this);
  }

  now(): number {
    return this.t;
  }
  schedule(atNs: number, kind: string, data?: number): void {
    this.queue.push({ atNs, seq: this.seq++, kind, data });
  }
  setLine(index: number, asserted: boolean): void {
    assert.ok(index < this.lineCount, `setLine(${index}): the model was given ${this.lineCount} line(s)`);
    this.lineLog.push({ atNs: this.t, index, level: asserted });
  }
  pulse(index: number): void {
    assert.ok(index < this.pulseCount, `pulse(${index}): the model was given ${this.pulseCount} pulse target(s)`);
    this.pulses.push({ atNs: this.t, index });
  }
  trace(what: string, detail?: string): void {
    this.traces.push(detail === undefined ? what : `${what}: ${detail}`);
  }
  random(): number {
    return this.randoms.shift() ?? 0.5;
  }
  output(kind: string, data: readonly number[]): void {
    // Copied: the model may reuse its buffer.
    this.outputs.push({ atNs: this.t, kind, data: [...data] });
  }

  /** The level changes of line `index`, with their times. */
  lines(index = 0): { atNs: number; level: boolean }[] {
    return this.lineLog.filter((l) => l.index === index).map(({ atNs, level }) => ({ atNs, level }));
  }
  /** The current level of line `index` (low until first driven). */
  level(index = 0): boolean {
    return this.lines(index).at(-1)?.level ?? false;
  }
  /** The times of the pulses on `index`. */
  pulseTimes(index = 0): number[] {
    return this.pulses.filter((p) => p.index === index).map((p) => p.atNs);
  }
  outputsOf(kind: string): Output[] {
    return this.outputs.filter((o) => o.kind === kind);
  }
  /** Every byte output as `kind`, concatenated (what a UART transmitted). */
  sent(kind: string): number[] {
    return this.outputsOf(kind).flatMap((o) => o.data);
  }

  /** Runs the earliest queued event (the clock never goes back); false when none is queued. */
  step(): boolean {
    this.queue.sort((a, b) => a.atNs - b.atNs || a.seq - b.seq);
    const e = this.queue.shift();
    if (!e) return false;
    this.t = Math.max(this.t, e.atNs);
    this.dev.onEvent(e.kind, e.data);
    return true;
  }
  /** Runs every event due up to `untilNs` in time order, then moves the clock there. */
  run(untilNs: number): void {
    for (;;) {
      this.queue.sort((a, b) => a.atNs - b.atNs || a.seq - b.seq);
      const e = this.queue[0];
      if (!e || e.atNs > untilNs) break;
      this.step();
    }
    this.t = Math.max(this.t, untilNs);
  }
  advance(ns: number): void {
    this.run(this.t + ns);
  }
}
