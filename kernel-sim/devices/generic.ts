// The generic interrupting device (the "Sampler" card of examples/dpcforisr): a 16-byte
// register block in a memory BAR or an I/O port range.
//   0x00 STATUS     bit0 DATA_READY, bit1 ERROR (write 1 to clear = acknowledge), bit31 BUSY (RO)
//   0x04 CONTROL    write bit0 START (one conversion of params.conversionTimeUs), bit1 RESET
//   0x08 INT_ENABLE mask of STATUS bits 0-1 that assert the interrupt
//   0x0C DATA       the last sample
// Level-sensitive: the line follows (STATUS & INT_ENABLE & 3) != 0. Latched: a pulse on each
// new enabled cause. The scenario's stimuli raise DATA_READY with data at chosen times.

import type { DeviceHost, DeviceModel, RegisterView } from './device';

export const STATUS_DATA_READY = 0x1;
export const STATUS_ERROR = 0x2;
export const STATUS_BUSY = 0x8000_0000;
const CAUSES = STATUS_DATA_READY | STATUS_ERROR;

export interface GenericParams {
  conversionTimeUs: number;
  /** Every n-th conversion fails with ERROR (0 = never). */
  errorEvery: number;
  /** True for a latched (edge) interrupt line. */
  latched: boolean;
}

interface GenericState {
  status: number;
  intEnable: number;
  data: number;
  conversions: number;
  counter: number;
  lineHigh: boolean;
}

export class GenericDevice implements DeviceModel {
  readonly model = 'generic';
  private host: DeviceHost | undefined;
  private s: GenericState = { status: 0, intEnable: 0, data: 0, conversions: 0, counter: 0, lineHigh: false };

  constructor(
    readonly id: string,
    private readonly params: GenericParams,
  ) {}

  attach(host: DeviceHost): void {
    this.host = host;
  }

  read(_resource: number, offset: number, size: 1 | 2 | 4): number {
    const reg = offset & ~3;
    let v = 0;
    if (reg === 0x00) v = this.s.status;
    else if (reg === 0x08) v = this.s.intEnable;
    else if (reg === 0x0c) v = this.s.data;
    return sub(v, offset, size);
  }

  write(_resource: number, offset: number, size: 1 | 2 | 4, value: number): void {
    const reg = offset & ~3;
    const v = (size === 4 ? value : (value & ((1 << (size * 8)) - 1)) << ((offset & 3) * 8)) >>> 0;
    if (reg === 0x00) {
      this.s.status = (this.s.status & ~(v & CAUSES)) >>> 0;
    } else if (reg === 0x04) {
      if (v & 0x2) {
        this.s.status = 0;
        this.s.data = 0;
      }
      if (v & 0x1 && !(this.s.status & STATUS_BUSY)) {
        this.s.status = (this.s.status | STATUS_BUSY) >>> 0;
        const host = this.need();
        host.schedule(host.now() + Math.max(0, this.params.conversionTimeUs) * 1000, 'conversion-done');
      }
    } else if (reg === 0x08) {
      this.s.intEnable = v & CAUSES;
    }
    this.update();
  }

  onEvent(kind: string): void {
    if (kind !== 'conversion-done' || !(this.s.status & STATUS_BUSY)) return;
    this.s.conversions++;
    this.s.status = (this.s.status & ~STATUS_BUSY) >>> 0;
    if (this.params.errorEvery > 0 && this.s.conversions % this.params.errorEvery === 0) {
      this.s.status |= STATUS_ERROR;
      this.need().trace('conversion failed');
    } else {
      this.s.data = this.nextSample();
      this.s.status |= STATUS_DATA_READY;
      this.need().trace('sample ready', `0x${this.s.data.toString(16)}`);
    }
    this.update();
  }

  stimulate(data: number | undefined): void {
    this.s.data = data !== undefined ? data >>> 0 : this.nextSample();
    this.s.status |= STATUS_DATA_READY;
    this.need().trace('stimulus', `DATA_READY, data 0x${this.s.data.toString(16)}`);
    this.update();
  }

  registers(): RegisterView[] {
    return [
      { name: 'STATUS', offset: 0x0, size: 4, value: this.s.status >>> 0, resource: 0 },
      { name: 'CONTROL', offset: 0x4, size: 4, value: 0, resource: 0 },
      { name: 'INT_ENABLE', offset: 0x8, size: 4, value: this.s.intEnable, resource: 0 },
      { name: 'DATA', offset: 0xc, size: 4, value: this.s.data >>> 0, resource: 0 },
    ];
  }

  snapshot(): GenericState {
    return { ...this.s };
  }

  restore(s: unknown): void {
    this.s = { ...(s as GenericState) };
  }

  private nextSample(): number {
    this.s.counter = (this.s.counter + 1) >>> 0;
    return this.s.counter;
  }

  /**
   * Drives the interrupt output from the enabled causes. Latched: only a rising output makes
   * an edge, so a cause raised while another is still pending makes none (as on real hardware).
   */
  private update(): void {
    const host = this.need();
    const want = (this.s.status & this.s.intEnable & CAUSES) !== 0;
    if (want === this.s.lineHigh) return;
    this.s.lineHigh = want;
    if (!this.params.latched) host.setLine(0, want);
    else if (want) host.pulse(0);
  }

  private need(): DeviceHost {
    if (!this.host) throw new Error(`device ${this.id} used before attach`);
    return this.host;
  }
}

/** The bytes of a 32-bit register an access of `size` at `offset` sees. */
function sub(v: number, offset: number, size: 1 | 2 | 4): number {
  if (size === 4) return v >>> 0;
  return (v >>> ((offset & 3) * 8)) & ((1 << (size * 8)) - 1);
}
