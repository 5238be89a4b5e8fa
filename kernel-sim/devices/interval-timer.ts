// The interval timer: a simple programmable interrupt source (a kdsim model, not a real
// part), a 16-byte register block in a memory BAR or an I/O port range (resource 0).
//   0x00 CONTROL    bit0 ENABLE (starts counting from the write), bit1 PERIODIC (else
//                   one-shot: ENABLE clears itself at the expiration), bit2 INT_ENABLE
//   0x04 PERIOD_US  the interval in microseconds (0 = 1 us); a write while enabled restarts
//   0x08 STATUS     bit0 EXPIRED (write 1 to clear = acknowledge)
//   0x0C COUNT      expirations since reset (read-only)
// Level-sensitive: the line follows STATUS.EXPIRED && CONTROL.INT_ENABLE. Latched
// (params.latched): a pulse at each rising edge of that condition.

import type { DeviceHost, DeviceModel, RegisterView } from './device';

export const REG_CONTROL = 0x00;
export const REG_PERIOD_US = 0x04;
export const REG_STATUS = 0x08;
export const REG_COUNT = 0x0c;

export const CONTROL_ENABLE = 0x1;
export const CONTROL_PERIODIC = 0x2;
export const CONTROL_INT_ENABLE = 0x4;
const CONTROL_MASK = CONTROL_ENABLE | CONTROL_PERIODIC | CONTROL_INT_ENABLE;
export const STATUS_EXPIRED = 0x1;

export interface IntervalTimerParams {
  /** True for a latched (edge) interrupt line. */
  latched?: boolean;
}

interface TimerState {
  control: number;
  periodUs: number;
  status: number;
  count: number;
  /** Schedule generation: an 'expire' event carrying an older one is stale (cancelled). */
  generation: number;
  lineHigh: boolean;
}

export class IntervalTimer implements DeviceModel {
  readonly model = 'interval-timer';
  private host: DeviceHost | undefined;
  private s: TimerState = { control: 0, periodUs: 0, status: 0, count: 0, generation: 0, lineHigh: false };

  constructor(
    readonly id: string,
    private readonly params: IntervalTimerParams = {},
  ) {}

  attach(host: DeviceHost): void {
    this.host = host;
  }

  read(_resource: number, offset: number, size: 1 | 2 | 4): number {
    return sub(this.peek(offset & ~3), offset, size);
  }

  write(_resource: number, offset: number, size: 1 | 2 | 4, value: number): void {
    const reg = offset & ~3;
    // A narrow write merges into the register's other bytes (read-modify-write semantics).
    const merged = size === 4 ? value >>> 0 : merge(this.peek(reg), offset, size, value);
    // Write-1-to-clear bits see only the bytes actually written.
    const written = size === 4 ? value >>> 0 : merge(0, offset, size, value);
    if (reg === REG_CONTROL) {
      const old = this.s.control;
      this.s.control = merged & CONTROL_MASK;
      const wasOn = (old & CONTROL_ENABLE) !== 0;
      const isOn = (this.s.control & CONTROL_ENABLE) !== 0;
      // Enabling (or re-writing ENABLE) starts a fresh interval; disabling cancels it.
      if (isOn) this.arm();
      else if (wasOn) this.s.generation++;
    } else if (reg === REG_PERIOD_US) {
      this.s.periodUs = merged;
      if (this.s.control & CONTROL_ENABLE) this.arm();
    } else if (reg === REG_STATUS) {
      this.s.status = (this.s.status & ~(written & STATUS_EXPIRED)) >>> 0;
    }
    this.need().trace(`write ${regName(reg)}`, `0x${(merged >>> 0).toString(16)}`);
    this.update();
  }

  onEvent(kind: string, data: number | undefined): void {
    if (kind !== 'expire' || data !== this.s.generation || !(this.s.control & CONTROL_ENABLE)) return;
    this.expire();
    if (this.s.control & CONTROL_PERIODIC) {
      const host = this.need();
      host.schedule(host.now() + this.periodNs(), 'expire', this.s.generation);
    } else {
      this.s.control &= ~CONTROL_ENABLE;
      this.s.generation++;
    }
    this.update();
  }

  /** The scenario's "interrupt" stimulus: an expiration now (the schedule is unchanged). */
  stimulate(_data: number | undefined): void {
    this.need().trace('stimulus', 'expire');
    this.expire();
    this.update();
  }

  registers(): RegisterView[] {
    return [
      { name: 'CONTROL', offset: REG_CONTROL, size: 4, value: this.s.control, resource: 0 },
      { name: 'PERIOD_US', offset: REG_PERIOD_US, size: 4, value: this.s.periodUs >>> 0, resource: 0 },
      { name: 'STATUS', offset: REG_STATUS, size: 4, value: this.s.status, resource: 0 },
      { name: 'COUNT', offset: REG_COUNT, size: 4, value: this.s.count >>> 0, resource: 0 },
    ];
  }

  snapshot(): TimerState {
    return { ...this.s };
  }

  restore(s: unknown): void {
    this.s = { ...(s as TimerState) };
  }

  private peek(reg: number): number {
    if (reg === REG_CONTROL) return this.s.control;
    if (reg === REG_PERIOD_US) return this.s.periodUs >>> 0;
    if (reg === REG_STATUS) return this.s.status;
    if (reg === REG_COUNT) return this.s.count >>> 0;
    return 0;
  }

  private arm(): void {
    const host = this.need();
    this.s.generation++;
    host.schedule(host.now() + this.periodNs(), 'expire', this.s.generation);
  }

  private expire(): void {
    this.s.status |= STATUS_EXPIRED;
    this.s.count = (this.s.count + 1) >>> 0;
    this.need().trace('expired', `count ${this.s.count}`);
  }

  private periodNs(): number {
    return Math.max(1, this.s.periodUs >>> 0) * 1000;
  }

  /** Drives the output; latched lines get an edge only when the condition rises. */
  private update(): void {
    const want = (this.s.status & STATUS_EXPIRED) !== 0 && (this.s.control & CONTROL_INT_ENABLE) !== 0;
    if (want === this.s.lineHigh) return;
    this.s.lineHigh = want;
    const host = this.need();
    if (!this.params.latched) host.setLine(0, want);
    else if (want) host.pulse(0);
  }

  private need(): DeviceHost {
    if (!this.host) throw new Error(`device ${this.id} used before attach`);
    return this.host;
  }
}

function regName(reg: number): string {
  return reg === REG_CONTROL ? 'CONTROL' : reg === REG_PERIOD_US ? 'PERIOD_US' : reg === REG_STATUS ? 'STATUS' : reg === REG_COUNT ? 'COUNT' : `0x${reg.toString(16)}`;
}

/** The bytes of a 32-bit register an access of `size` at `offset` sees. */
function sub(v: number, offset: number, size: 1 | 2 | 4): number {
  if (size === 4) return v >>> 0;
  return (v >>> ((offset & 3) * 8)) & ((1 << (size * 8)) - 1);
}

/** `old` with the `size` bytes at `offset` replaced by `value`. */
function merge(old: number, offset: number, size: 1 | 2, value: number): number {
  const shift = (offset & 3) * 8;
  const mask = ((1 << (size * 8)) - 1) << shift;
  return ((old & ~mask) | ((value << shift) & mask)) >>> 0;
}
