// A PS/2 mouse (with the IntelliMouse wheel extension) behind the 8042's auxiliary port.
//   FF reset → FA AA 00   F6 defaults   F4/F5 enable/disable data reporting   F3 sample rate
//   E8 resolution   E6/E7 scaling 1:1 / 2:1   F2 device ID (00, 03 after rates 200, 100, 80)
//   E9 status request → FA + 3 bytes   EB read data → FA + packet   F0/EA remote/stream mode
//   FE resend   anything else → FE
// Packet byte 0: b0 left, b1 right, b2 middle, b3 always 1, b4 X sign, b5 Y sign, b6 X
// overflow, b7 Y overflow; bytes 1-2 the low 8 bits of the 9-bit X/Y; byte 3 (ID 03) the
// wheel's Z as a signed byte.

import type { Ps2Io } from './ps2-keyboard';

const ACK = 0xfa;
const RESEND = 0xfe;
const BUTTON_BITS: Readonly<Record<string, number>> = { left: 1, right: 2, middle: 4 };

export interface MouseState {
  tx: number[];
  /** The command waiting for its data byte (F3, E8), or 0. */
  pending: number;
  id: number;
  /** The last three sample rates set (the IntelliMouse "knock"). */
  rates: number[];
  sampleRate: number;
  resolution: number;
  scaling2to1: boolean;
  reporting: boolean;
  remote: boolean;
  buttons: number;
  /** Movement not yet reported (remote mode / reporting disabled); Y positive = up. */
  dx: number;
  dy: number;
  dz: number;
  lastSent: number;
}

function mouseDefaults(s?: MouseState): MouseState {
  return {
    tx: s ? s.tx : [],
    pending: 0,
    id: s ? s.id : 0,
    rates: [],
    sampleRate: 100,
    resolution: 2,
    scaling2to1: false,
    reporting: false,
    remote: false,
    buttons: s ? s.buttons : 0,
    dx: 0,
    dy: 0,
    dz: 0,
    lastSent: s ? s.lastSent : 0,
  };
}

export class PS2Mouse {
  s: MouseState = mouseDefaults();

  receive(b: number, io: Ps2Io): void {
    const p = this.s.pending;
    this.s.pending = 0;
    if (p === 0xf3) {
      this.s.sampleRate = b;
      this.s.rates = [...this.s.rates, b].slice(-3);
      // Sample rates 200, 100, 80 in a row switch an IntelliMouse to ID 3 (wheel).
      if (this.s.rates.join() === '200,100,80') this.s.id = 3;
      this.send(ACK);
      return;
    }
    if (p === 0xe8) {
      this.s.resolution = b & 3;
      this.send(ACK);
      return;
    }
    this.command(b, io);
  }

  private command(b: number, io: Ps2Io): void {
    switch (b) {
      case 0xff:
        this.s = mouseDefaults();
        this.send(ACK, 0xaa, 0x00);
        return;
      case 0xfe:
        this.s.tx.push(this.s.lastSent);
        return;
      case 0xf6:
        this.s = mouseDefaults(this.s);
        this.send(ACK);
        return;
      case 0xf4:
      case 0xf5:
        this.s.reporting = b === 0xf4;
        this.s.dx = this.s.dy = this.s.dz = 0;
        this.send(ACK);
        return;
      case 0xf3:
      case 0xe8:
        this.s.pending = b;
        this.send(ACK);
        return;
      case 0xe6:
      case 0xe7:
        this.s.scaling2to1 = b === 0xe7;
        this.send(ACK);
        return;
      case 0xf0:
      case 0xea:
        this.s.remote = b === 0xf0;
        this.s.dx = this.s.dy = this.s.dz = 0;
        this.send(ACK);
        return;
      case 0xf2:
        this.send(ACK, this.s.id);
        return;
      case 0xe9: {
        // Status byte: b6 remote, b5 enabled, b4 2:1 scaling, b2 left, b1 middle, b0 right.
        const bt = this.s.buttons;
        const st =
          (this.s.remote ? 0x40 : 0) | (this.s.reporting ? 0x20 : 0) | (this.s.scaling2to1 ? 0x10 : 0) |
          (bt & 1 ? 4 : 0) | (bt & 4 ? 2 : 0) | (bt & 2 ? 1 : 0);
        this.send(ACK, st, this.s.resolution, this.s.sampleRate);
        return;
      }
      case 0xeb:
        this.send(ACK, ...this.packet());
        return;
      default:
        io.trace('mouse: unknown command', `0x${b.toString(16)}`);
        this.send(RESEND);
    }
  }

  /**
   * Scenario "move": dx right, dy down on screen (as MOUSE_INPUT_DATA reports it; the packet
   * carries PS/2's Y-up), wheel positive = rotated away from the user (Z negative).
   */
  move(dx: number, dy: number, wheel: number): void {
    this.s.dx += Math.trunc(dx);
    this.s.dy -= Math.trunc(dy);
    this.s.dz -= Math.trunc(wheel);
    this.report();
  }

  click(button: string, down: boolean | undefined): void {
    const bit = BUTTON_BITS[button];
    if (bit === undefined) throw new Error(`mouse: unknown button '${button}' (left, right, middle)`);
    if (down !== false) this.setButtons(this.s.buttons | bit);
    if (down !== true) this.setButtons(this.s.buttons & ~bit);
  }

  private setButtons(b: number): void {
    if (b === this.s.buttons) return;
    this.s.buttons = b;
    this.report();
  }

  /** Stream mode with reporting enabled: a packet per change. */
  private report(): void {
    if (this.s.reporting && !this.s.remote) this.s.tx.push(...this.packet());
  }

  /** The movement packet of the accumulated counters, which it then clears. */
  private packet(): number[] {
    const x = clampAxis(this.s.dx);
    const y = clampAxis(this.s.dy);
    const b0 =
      (this.s.buttons & 7) | 0x08 | (x.v < 0 ? 0x10 : 0) | (y.v < 0 ? 0x20 : 0) | (x.over ? 0x40 : 0) | (y.over ? 0x80 : 0);
    const out = [b0, x.v & 0xff, y.v & 0xff];
    if (this.s.id === 3) out.push(Math.max(-8, Math.min(7, this.s.dz)) & 0xff);
    this.s.dx = this.s.dy = this.s.dz = 0;
    return out;
  }

  private send(...bytes: number[]): void {
    this.s.tx.push(...bytes);
  }

  sent(b: number): void {
    if (b !== RESEND) this.s.lastSent = b;
  }

  snapshot(): MouseState {
    return { ...this.s, tx: [...this.s.tx], rates: [...this.s.rates] };
  }

  restore(s: MouseState): void {
    this.s = { ...s, tx: [...s.tx], rates: [...s.rates] };
  }
}

/** A 9-bit two's-complement counter: out-of-range values set the overflow bit and saturate. */
function clampAxis(v: number): { v: number; over: boolean } {
  if (v > 255) return { v: 255, over: true };
  if (v < -256) return { v: -256, over: true };
  return { v, over: false };
}
