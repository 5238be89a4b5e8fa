// "RingCard": a PCI-style memory-mapped device with on-chip descriptor rings, doorbells,
// interrupt status/mask registers, a level interrupt line and MSI. Devices cannot reach system
// memory (there is no DMA interface), so the descriptors live in the device's own BAR, like a
// NIC with on-chip descriptor SRAM: the driver fills them with WRITE_REGISTER_* and reads
// completions back with READ_REGISTER_*.
//
// ---- Datasheet ---------------------------------------------------------------------------
// Resources: BAR0 = resource 0, memory, 4 KiB. One interrupt (line 0, level) or, with MSI
// enabled, three messages. All registers are 32-bit little-endian; 1- and 2-byte accesses see
// or update the addressed bytes. Unlisted offsets read 0 and ignore writes.
//
//   0x000 ID           RO  0x8A521234
//   0x004 CONTROL      RW  bit0 ENABLE (the device transmits and receives only while set)
//                          bit1 RESET (self-clearing): everything returns to power-on state;
//                          the other bits of that write are ignored. Reads return ENABLE.
//   0x008 INT_STATUS   W1C bit0 RX_DONE, bit1 TX_DONE, bit2 ERROR. Causes latch here whatever
//                          the mask; writing 1 to a bit clears it.
//   0x00C INT_MASK     RW  bits 0-2: which INT_STATUS causes interrupt.
//   0x010 RX_DOORBELL  RW  index of the last RX descriptor the driver made available.
//   0x014 RX_HEAD      RO  index of the next RX descriptor the device will fill.
//   0x018 TX_DOORBELL  RW  index of the last TX descriptor the driver queued; starts TX.
//   0x01C TX_HEAD      RO  index of the next TX descriptor the device will send.
//   0x020 RING_SIZE    RW  entries per ring: 1, 2, 4 ... 64 (power-on 16). Other values, and
//                          writes while ENABLE is set, are ignored. A change zeroes the heads
//                          and doorbells.
//   0x024 MSI_CONTROL  RW  bit0 MSI enable: the line stays deasserted and the device sends
//                          message 0 for RX_DONE, 1 for TX_DONE, 2 for ERROR.
//   0x028 RX_MISSED    RO  frames dropped because no RX descriptor was available.
//   0x100-0x4FF        RX descriptors 0..63 (16 bytes each)
//   0x500-0x8FF        TX descriptors 0..63
//
// Descriptor (16 bytes): +0x0 LENGTH (bytes, 0-8), +0x4 FLAGS (bit0 OWNED_BY_DEVICE, bit1
// DONE, bit2 ERROR), +0x8 DATA0 (bytes 0-3, little-endian), +0xC DATA1 (bytes 4-7).
// Indices wrap modulo RING_SIZE; only the first RING_SIZE descriptors of each area are used.
//
// Ownership: the driver sets OWNED (and clears DONE/ERROR) on descriptors, then writes the
// last one's index to the doorbell. The doorbell makes the descriptors from HEAD through that
// index available; the device uses each only if OWNED is set (it stops at the first one that
// is not). When it is done with a descriptor it sets DONE, clears OWNED and advances HEAD.
//
// TX: while ENABLE, the device sends queued descriptors one after another, each taking
// params.txTimeUs; a sent descriptor's LENGTH bytes of DATA0/DATA1 go out (scenario output
// kind 'tx'). A LENGTH above 8 completes the descriptor with DONE|ERROR, sends nothing and
// raises ERROR as well as TX_DONE.
// RX: a received frame (scenario action receive { data: [bytes] }; longer data is split into
// 8-byte frames; the "interrupt" stimulus receives one 4-byte frame holding its data dword)
// fills the descriptor at RX_HEAD: LENGTH, DATA0/1 (unused bytes zero), DONE, and raises
// RX_DONE. With no available OWNED descriptor the frame is dropped: RX_MISSED counts it and
// ERROR is raised. Frames received while ENABLE is clear are dropped silently.
//
// Interrupts: line mode: line 0 is asserted while (INT_STATUS & INT_MASK) != 0 (level).
// MSI mode: one message per cause whose (INT_STATUS & INT_MASK) bit goes from 0 to 1 (edge), so
// the ISR must clear INT_STATUS for the next event of that cause to send another message.
// -------------------------------------------------------------------------------------------

import type { DeviceHost, DeviceModel, RegisterView } from './device';

export const RING_ID = 0x8a52_1234;

export const REG_ID = 0x000;
export const REG_CONTROL = 0x004;
export const REG_INT_STATUS = 0x008;
export const REG_INT_MASK = 0x00c;
export const REG_RX_DOORBELL = 0x010;
export const REG_RX_HEAD = 0x014;
export const REG_TX_DOORBELL = 0x018;
export const REG_TX_HEAD = 0x01c;
export const REG_RING_SIZE = 0x020;
export const REG_MSI_CONTROL = 0x024;
export const REG_RX_MISSED = 0x028;
export const RX_DESC_BASE = 0x100;
export const TX_DESC_BASE = 0x500;
export const DESC_SIZE = 16;
export const MAX_RING = 64;
export const BAR_SIZE = 0x1000;

export const CONTROL_ENABLE = 0x1;
export const CONTROL_RESET = 0x2;
export const INT_RX_DONE = 0x1;
export const INT_TX_DONE = 0x2;
export const INT_ERROR = 0x4;
const CAUSES = INT_RX_DONE | INT_TX_DONE | INT_ERROR;
export const MSI_ENABLE = 0x1;

export const DESC_OWNED = 0x1;
export const DESC_DONE = 0x2;
export const DESC_ERROR = 0x4;

const DEFAULT_RING = 16;
/** Dwords per descriptor area (64 descriptors of 4 dwords). */
const AREA_DWORDS = (MAX_RING * DESC_SIZE) / 4;
const MAX_FRAME = 8;

export interface PciRingParams {
  /** Time the device takes to send one TX descriptor. */
  txTimeUs: number;
}

interface RingState {
  enabled: boolean;
  status: number;
  mask: number;
  msi: boolean;
  ringSize: number;
  rxDoorbell: number;
  rxHead: number;
  /** Descriptors from rxHead made available by the last doorbell (not yet used). */
  rxAvail: number;
  txDoorbell: number;
  txHead: number;
  txAvail: number;
  /** A TX completion event is scheduled. */
  txBusy: boolean;
  rxMissed: number;
  /** Counter behind stimuli without data. */
  counter: number;
  /** The descriptor areas as dwords (plain arrays: snapshot-able). */
  rxMem: number[];
  txMem: number[];
  /** Output state: line level (line mode) and causes already messaged (MSI mode). */
  lineHigh: boolean;
  signalled: number;
  /**
   * Stamped on scheduled events; RESET bumps it so events scheduled before the reset are
   * ignored (the host queue cannot be cancelled). Survives RESET on purpose.
   */
  generation: number;
}

function powerOn(generation: number): RingState {
  return {
    enabled: false,
    status: 0,
    mask: 0,
    msi: false,
    ringSize: DEFAULT_RING,
    rxDoorbell: 0,
    rxHead: 0,
    rxAvail: 0,
    txDoorbell: 0,
    txHead: 0,
    txAvail: 0,
    txBusy: false,
    rxMissed: 0,
    counter: 0,
    rxMem: new Array<number>(AREA_DWORDS).fill(0),
    txMem: new Array<number>(AREA_DWORDS).fill(0),
    lineHigh: false,
    signalled: 0,
    generation,
  };
}

function copyState(s: RingState): RingState {
  return { ...s, rxMem: [...s.rxMem], txMem: [...s.txMem] };
}

export class PciRingDevice implements DeviceModel {
  readonly model = 'pci-ring';
  private host: DeviceHost | undefined;
  private s: RingState = powerOn(0);

  constructor(
    readonly id: string,
    private readonly params: PciRingParams,
  ) {}

  attach(host: DeviceHost): void {
    this.host = host;
  }

  read(resource: number, offset: number, size: 1 | 2 | 4): number {
    if (resource !== 0 || offset < 0 || offset >= BAR_SIZE) return 0;
    return sub(this.dword(offset & ~3), offset, size);
  }

  write(resource: number, offset: number, size: 1 | 2 | 4, value: number): void {
    if (resource !== 0 || offset < 0 || offset >= BAR_SIZE) return;
    const reg = offset & ~3;
    // The written bytes in place, and the same merged into the current value (for RW fields).
    const { bits, byteMask } = place(offset, size, value);
    const merged = ((this.dword(reg) & ~byteMask) | bits) >>> 0;
    const s = this.s;
    const mask = s.ringSize - 1;

    if (reg >= RX_DESC_BASE && reg < TX_DESC_BASE) {
      s.rxMem[(reg - RX_DESC_BASE) / 4] = merged;
    } else if (reg >= TX_DESC_BASE && reg < TX_DESC_BASE + MAX_RING * DESC_SIZE) {
      s.txMem[(reg - TX_DESC_BASE) / 4] = merged;
    } else if (reg === REG_CONTROL) {
      if (bits & CONTROL_RESET) {
        this.reset();
        return;
      }
      const wasEnabled = s.enabled;
      s.enabled = (merged & CONTROL_ENABLE) !== 0;
      if (s.enabled && !wasEnabled) this.startTx();
    } else if (reg === REG_INT_STATUS) {
      s.status = (s.status & ~(bits & CAUSES)) >>> 0;
    } else if (reg === REG_INT_MASK) {
      s.mask = merged & CAUSES;
    } else if (reg === REG_RX_DOORBELL) {
      s.rxDoorbell = merged & mask;
      s.rxAvail = ((s.rxDoorbell - s.rxHead) & mask) + 1;
      this.need().trace('rx doorbell', `${s.rxDoorbell} (head ${s.rxHead}, ${s.rxAvail} available)`);
    } else if (reg === REG_TX_DOORBELL) {
      s.txDoorbell = merged & mask;
      s.txAvail = ((s.txDoorbell - s.txHead) & mask) + 1;
      this.need().trace('tx doorbell', `${s.txDoorbell} (head ${s.txHead}, ${s.txAvail} queued)`);
      this.startTx();
    } else if (reg === REG_RING_SIZE) {
      const n = merged;
      if (!s.enabled && n >= 1 && n <= MAX_RING && (n & (n - 1)) === 0 && n !== s.ringSize) {
        s.ringSize = n;
        s.rxHead = s.txHead = s.rxDoorbell = s.txDoorbell = s.rxAvail = s.txAvail = 0;
      }
    } else if (reg === REG_MSI_CONTROL) {
      s.msi = (merged & MSI_ENABLE) !== 0;
    }
    this.update();
  }

  onEvent(kind: string, data: number | undefined): void {
    const s = this.s;
    if (kind !== 'tx' || data !== s.generation || !s.txBusy) return;
    s.txBusy = false;
    // Disabled mid-send: the descriptor stays queued and is sent after re-enabling.
    if (!s.enabled) return;
    const i = s.txHead;
    const base = i * 4;
    const flags = s.txMem[base + 1];
    if (s.txAvail === 0 || !(flags & DESC_OWNED)) {
      // The driver took the descriptor back while it was being sent.
      s.txAvail = 0;
      return;
    }
    const length = s.txMem[base];
    let done = (flags & ~(DESC_OWNED | DESC_ERROR)) | DESC_DONE;
    let raise = INT_TX_DONE;
    if (length > MAX_FRAME) {
      done |= DESC_ERROR;
      raise |= INT_ERROR;
      this.need().trace('tx error', `descriptor ${i}: length ${length} > ${MAX_FRAME}`);
    } else {
      const bytes = unpack(s.txMem[base + 2], s.txMem[base + 3], length);
      this.need().output('tx', bytes);
      this.need().trace('tx', `descriptor ${i}: ${hexBytes(bytes)}`);
    }
    s.txMem[base + 1] = done >>> 0;
    s.txHead = (i + 1) & (s.ringSize - 1);
    s.txAvail--;
    s.status |= raise;
    this.startTx();
    this.update();
  }

  stimulate(data: number | undefined): void {
    let v: number;
    if (data !== undefined) v = data >>> 0;
    else {
      this.s.counter = (this.s.counter + 1) >>> 0;
      v = this.s.counter;
    }
    this.need().trace('stimulus', `receive 0x${v.toString(16)}`);
    this.receiveFrame([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
    this.update();
  }

  act(action: string, args: Readonly<Record<string, unknown>>): void {
    if (action !== 'receive') throw new Error(`device ${this.id}: unknown action '${action}' (pci-ring accepts: receive)`);
    const data = args.data;
    if (!Array.isArray(data) || !data.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 0xff)) {
      throw new Error(`device ${this.id}: receive needs data: an array of byte values (0-255)`);
    }
    const bytes = data as number[];
    this.need().trace('receive', hexBytes(bytes));
    if (bytes.length === 0) this.receiveFrame([]);
    for (let at = 0; at < bytes.length; at += MAX_FRAME) this.receiveFrame(bytes.slice(at, at + MAX_FRAME));
    this.update();
  }

  registers(): RegisterView[] {
    const s = this.s;
    const r = (name: string, offset: number, value: number): RegisterView => ({ name, offset, size: 4, value: value >>> 0, resource: 0 });
    const out = [
      r('ID', REG_ID, RING_ID),
      r('CONTROL', REG_CONTROL, s.enabled ? CONTROL_ENABLE : 0),
      r('INT_STATUS', REG_INT_STATUS, s.status),
      r('INT_MASK', REG_INT_MASK, s.mask),
      r('RX_DOORBELL', REG_RX_DOORBELL, s.rxDoorbell),
      r('RX_HEAD', REG_RX_HEAD, s.rxHead),
      r('TX_DOORBELL', REG_TX_DOORBELL, s.txDoorbell),
      r('TX_HEAD', REG_TX_HEAD, s.txHead),
      r('RING_SIZE', REG_RING_SIZE, s.ringSize),
      r('MSI_CONTROL', REG_MSI_CONTROL, s.msi ? MSI_ENABLE : 0),
      r('RX_MISSED', REG_RX_MISSED, s.rxMissed),
    ];
    // The first few descriptors of each ring: enough to see a driver's setup in the debugger.
    const shown = Math.min(4, s.ringSize);
    for (const [ring, base, mem] of [['RX', RX_DESC_BASE, s.rxMem], ['TX', TX_DESC_BASE, s.txMem]] as const) {
      for (let i = 0; i < shown; i++) {
        const fields = ['LENGTH', 'FLAGS', 'DATA0', 'DATA1'];
        fields.forEach((f, k) => out.push(r(`${ring}[${i}].${f}`, base + i * DESC_SIZE + k * 4, mem[i * 4 + k])));
      }
    }
    return out;
  }

  snapshot(): RingState {
    return copyState(this.s);
  }

  restore(s: unknown): void {
    this.s = copyState(s as RingState);
  }

  /** The current value of the dword register or descriptor word at `reg` (no side effects). */
  private dword(reg: number): number {
    const s = this.s;
    if (reg >= RX_DESC_BASE && reg < TX_DESC_BASE) return s.rxMem[(reg - RX_DESC_BASE) / 4];
    if (reg >= TX_DESC_BASE && reg < TX_DESC_BASE + MAX_RING * DESC_SIZE) return s.txMem[(reg - TX_DESC_BASE) / 4];
    switch (reg) {
      case REG_ID: return RING_ID;
      case REG_CONTROL: return s.enabled ? CONTROL_ENABLE : 0;
      case REG_INT_STATUS: return s.status;
      case REG_INT_MASK: return s.mask;
      case REG_RX_DOORBELL: return s.rxDoorbell;
      case REG_RX_HEAD: return s.rxHead;
      case REG_TX_DOORBELL: return s.txDoorbell;
      case REG_TX_HEAD: return s.txHead;
      case REG_RING_SIZE: return s.ringSize;
      case REG_MSI_CONTROL: return s.msi ? MSI_ENABLE : 0;
      case REG_RX_MISSED: return s.rxMissed;
      default: return 0;
    }
  }

  private reset(): void {
    const host = this.need();
    const wasHigh = this.s.lineHigh;
    this.s = powerOn(this.s.generation + 1);
    if (wasHigh) host.setLine(0, false);
    host.trace('reset');
  }

  /** Schedules the next TX completion if a queued, owned descriptor waits and none is in flight. */
  private startTx(): void {
    const s = this.s;
    if (!s.enabled || s.txBusy || s.txAvail === 0) return;
    if (!(s.txMem[s.txHead * 4 + 1] & DESC_OWNED)) {
      s.txAvail = 0;
      return;
    }
    s.txBusy = true;
    const host = this.need();
    host.schedule(host.now() + Math.max(0, this.params.txTimeUs) * 1000, 'tx', s.generation);
  }

  /** Puts one frame of at most 8 bytes into the next available RX descriptor. */
  private receiveFrame(bytes: readonly number[]): void {
    const s = this.s;
    const host = this.need();
    if (!s.enabled) {
      host.trace('rx dropped', 'device disabled');
      return;
    }
    const i = s.rxHead;
    const base = i * 4;
    const flags = s.rxMem[base + 1];
    if (s.rxAvail === 0 || !(flags & DESC_OWNED)) {
      s.rxMissed = (s.rxMissed + 1) >>> 0;
      s.status |= INT_ERROR;
      host.trace('rx no buffer', `descriptor ${i} not available, ${s.rxMissed} missed`);
      return;
    }
    const [d0, d1] = pack(bytes);
    s.rxMem[base] = bytes.length;
    s.rxMem[base + 1] = ((flags & ~(DESC_OWNED | DESC_ERROR)) | DESC_DONE) >>> 0;
    s.rxMem[base + 2] = d0;
    s.rxMem[base + 3] = d1;
    s.rxHead = (i + 1) & (s.ringSize - 1);
    s.rxAvail--;
    s.status |= INT_RX_DONE;
    host.trace('rx', `descriptor ${i}: ${hexBytes(bytes)}`);
  }

  /** Drives the line (level) or sends messages (edge, one per newly pending cause). */
  private update(): void {
    const s = this.s;
    const host = this.need();
    const pending = s.status & s.mask & CAUSES;
    if (s.msi) {
      if (s.lineHigh) {
        s.lineHigh = false;
        host.setLine(0, false);
      }
      const rising = pending & ~s.signalled;
      for (let bit = 0; bit < 3; bit++) if (rising & (1 << bit)) host.pulse(bit);
      s.signalled = pending;
    } else {
      // Causes pending when MSI is later enabled have not been messaged yet.
      s.signalled = 0;
      const want = pending !== 0;
      if (want !== s.lineHigh) {
        s.lineHigh = want;
        host.setLine(0, want);
      }
    }
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

/** A write of `size` bytes at `offset`: its bits in dword position and which bytes it covers. */
function place(offset: number, size: 1 | 2 | 4, value: number): { bits: number; byteMask: number } {
  if (size === 4) return { bits: value >>> 0, byteMask: 0xffff_ffff };
  const shift = (offset & 3) * 8;
  const m = (1 << (size * 8)) - 1;
  return { bits: ((value & m) << shift) >>> 0, byteMask: (m << shift) >>> 0 };
}

function pack(bytes: readonly number[]): [number, number] {
  const w = [0, 0];
  bytes.slice(0, MAX_FRAME).forEach((b, k) => (w[k >> 2] |= (b & 0xff) << ((k & 3) * 8)));
  return [w[0] >>> 0, w[1] >>> 0];
}

function unpack(d0: number, d1: number, length: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < length; k++) out.push(((k < 4 ? d0 : d1) >>> ((k & 3) * 8)) & 0xff);
  return out;
}

function hexBytes(bytes: readonly number[]): string {
  return bytes.length ? bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ') : '(empty)';
}
