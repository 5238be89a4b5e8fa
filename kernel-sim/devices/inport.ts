// The Microsoft InPort bus-mouse adapter (ISA, 4 ports at 0x23C or 0x238, latched IRQ).
// Register facts from the Windows NT inport driver's inport.h (INPORT_* definitions) and
// Linux drivers/input/mouse/inport.c (INPORT_REG_*, INPORT_MODE_*, signature probe):
//   base+0 ADDRESS   write: selects the internal register the data port reaches;
//                    writing 0x80 (INPORT_RESET) resets the chip
//   base+1 DATA      the selected internal register:
//                      0 STATUS  bit2 BUTTON1 (left), bit1 BUTTON2 (middle), bit0 BUTTON3
//                                (right), bit6 MOVEMENT (X or Y non-zero when latched)
//                      1 DATA X  signed 8-bit motion since the previous hold
//                      2 DATA Y  signed 8-bit motion since the previous hold
//                      7 MODE    bits 0-2 rate (0 = 0 Hz INTR low, 1-4 = 30/50/100/200 Hz,
//                                6 = 0 Hz INTR high, 5/7 reserved), bit3 DATA_INTERRUPT_ENABLE,
//                                bit4 TIMER_INTERRUPT_ENABLE, bit5 HOLD, bits 6-7 mode
//                                (0 = quadrature)
//   base+2 ID        reads alternate 0xDE (INPORT_ID_CODE) and the chip's version byte
//   base+3           test register (not modelled: reads 0)
// Interrupt enable: NT's inport.sys toggles DATA_INTERRUPT_ENABLE (0x08) over a fixed rate,
// Linux's Microsoft variant keeps TIMER_INTERRUPT_ENABLE (0x10) set and toggles rate 1
// (30 Hz), and the ATI XL variant uses 0x08 with a rate. The model interrupts when a rate of
// 1-4 is selected and either enable bit is set, which makes all three drivers work.
// The chip interrupts at each period whether or not the mouse moved (NT's ISR checks
// MOVEMENT and the button bits and ignores idle interrupts).

import type { DeviceHost, DeviceModel, RegisterView } from './device';

export const INPORT_REG_STATUS = 0;
export const INPORT_REG_X = 1;
export const INPORT_REG_Y = 2;
export const INPORT_REG_MODE = 7;
export const INPORT_RESET = 0x80;
export const INPORT_ID_CODE = 0xde;

export const STATUS_BUTTON3_RIGHT = 0x01;
export const STATUS_BUTTON2_MIDDLE = 0x02;
export const STATUS_BUTTON1_LEFT = 0x04;
export const STATUS_MOVEMENT = 0x40;

export const MODE_RATE_MASK = 0x07;
export const MODE_DATA_INT_ENABLE = 0x08;
export const MODE_TIMER_INT_ENABLE = 0x10;
export const MODE_HOLD = 0x20;

/** Interrupt rates of MODE bits 0-2 (Hz); 0 = no periodic interrupt. */
const RATE_HZ = [0, 30, 50, 100, 200, 0, 0, 0] as const;
/** MODE rate 6: "0 Hz, INTR = 1" (inport.h INPORT_MODE_1), used by drivers to find the IRQ. */
const RATE_INTR_HIGH = 6;

export interface InportParams {
  /** The byte every other ID read returns (never 0xDE). */
  version: number;
  /** How long a 'click' without `down` holds the button down (ms). */
  clickMs: number;
}

export const INPORT_DEFAULTS: InportParams = { version: 0x12, clickMs: 100 };

interface InportState {
  address: number;
  mode: number;
  /** Live motion counters and buttons (STATUS button bits). */
  countX: number;
  countY: number;
  buttons: number;
  /** Values latched by the last HOLD rising edge: what STATUS / DATA X / DATA Y read. */
  heldStatus: number;
  heldX: number;
  heldY: number;
  /** The next ID read returns the version byte (else 0xDE). */
  idPhase: boolean;
  /** Periodic-interrupt schedule generation: stale 'tick' events carry an older one. */
  generation: number;
  /** INTR held high by rate 6 (its rising edge was already pulsed). */
  intrHigh: boolean;
}

const BUTTONS: Readonly<Record<string, number>> = {
  left: STATUS_BUTTON1_LEFT,
  middle: STATUS_BUTTON2_MIDDLE,
  right: STATUS_BUTTON3_RIGHT,
};

export class Inport implements DeviceModel {
  readonly model = 'inport';
  private host: DeviceHost | undefined;
  private s: InportState = initialState();

  constructor(
    readonly id: string,
    private readonly params: InportParams = INPORT_DEFAULTS,
  ) {}

  attach(host: DeviceHost): void {
    this.host = host;
  }

  read(_resource: number, offset: number, _size: 1 | 2 | 4): number {
    const port = offset & 3;
    if (port === 0) return this.s.address;
    if (port === 1) return this.peekData(this.s.address);
    if (port === 2) {
      // The ID register toggles on each read: 0xDE, version, 0xDE... (Linux's probe checks it).
      const v = this.s.idPhase ? this.params.version & 0xff : INPORT_ID_CODE;
      this.s.idPhase = !this.s.idPhase;
      return v;
    }
    return 0;
  }

  write(_resource: number, offset: number, _size: 1 | 2 | 4, value: number): void {
    const port = offset & 3;
    const v = value & 0xff;
    if (port === 0) {
      if (v & INPORT_RESET) this.reset();
      else this.s.address = v & 7;
    } else if (port === 1 && this.s.address === INPORT_REG_MODE) {
      this.writeMode(v);
    }
  }

  onEvent(kind: string, data: number | undefined): void {
    if (kind === 'release' && data !== undefined) {
      this.s.buttons &= ~data;
      return;
    }
    if (kind !== 'tick' || data !== this.s.generation) return;
    const period = this.periodNs();
    if (period === 0) return;
    const host = this.need();
    host.pulse(0);
    host.schedule(host.now() + period, 'tick', this.s.generation);
  }

  /** The scenario's "interrupt" stimulus: an interrupt edge now (the data is unused). */
  stimulate(_data: number | undefined): void {
    this.need().trace('stimulus', 'INTR edge');
    this.need().pulse(0);
  }

  act(action: string, args: Readonly<Record<string, unknown>>): void {
    this.need().trace(`inport ${action}`, JSON.stringify(args));
    if (action === 'move') {
      this.s.countX = clamp8(this.s.countX + num(args.dx));
      this.s.countY = clamp8(this.s.countY + num(args.dy));
    } else if (action === 'click') {
      const bit = typeof args.button === 'string' ? BUTTONS[args.button] : undefined;
      if (bit === undefined) throw new Error("inport 'click' needs { button: 'left'|'right'|'middle', down?: boolean }");
      if (typeof args.down === 'boolean') {
        this.s.buttons = args.down ? this.s.buttons | bit : this.s.buttons & ~bit;
      } else {
        // A full click: down now, up after clickMs, so that the driver's holds in between
        // latch the down state (an instant press/release would be invisible to the chip).
        this.s.buttons |= bit;
        const host = this.need();
        host.schedule(host.now() + this.params.clickMs * 1e6, 'release', bit);
      }
    } else {
      throw new Error(`inport: unknown action '${action}' (move, click)`);
    }
  }

  registers(): RegisterView[] {
    return [
      { name: 'ADDRESS', offset: 0, size: 1, value: this.s.address, resource: 0 },
      { name: 'DATA', offset: 1, size: 1, value: this.peekData(this.s.address), resource: 0 },
      { name: 'ID (next read)', offset: 2, size: 1, value: this.s.idPhase ? this.params.version & 0xff : INPORT_ID_CODE, resource: 0 },
      { name: 'STATUS [0]', offset: 1, size: 1, value: this.s.heldStatus, resource: 0, internal: true },
      { name: 'DATA X [1]', offset: 1, size: 1, value: this.s.heldX & 0xff, resource: 0, internal: true },
      { name: 'DATA Y [2]', offset: 1, size: 1, value: this.s.heldY & 0xff, resource: 0, internal: true },
      { name: 'MODE [7]', offset: 1, size: 1, value: this.s.mode, resource: 0, internal: true },
    ];
  }

  /** The data port reaches the internal register the address register selects. */
  accessName(_resource: number, offset: number): string | undefined {
    if (offset !== 1) return undefined;
    const names: Record<number, string> = { [INPORT_REG_STATUS]: 'STATUS', [INPORT_REG_X]: 'DATA X', [INPORT_REG_Y]: 'DATA Y', [INPORT_REG_MODE]: 'MODE' };
    const index = this.s.address & 7;
    return `DATA [${index}${names[index] ? ` ${names[index]}` : ''}]`;
  }

  snapshot(): InportState {
    return { ...this.s };
  }

  restore(s: unknown): void {
    this.s = { ...(s as InportState) };
  }

  /** The internal register `index` as the data port reads it (no side effects). */
  private peekData(index: number): number {
    if (index === INPORT_REG_STATUS) return this.s.heldStatus;
    if (index === INPORT_REG_X) return this.s.heldX & 0xff;
    if (index === INPORT_REG_Y) return this.s.heldY & 0xff;
    if (index === INPORT_REG_MODE) return this.s.mode;
    return 0;
  }

  private writeMode(v: number): void {
    const old = this.s.mode;
    this.s.mode = v;
    // HOLD rising edge: STATUS / DATA X / DATA Y take the counters, which restart from 0.
    if (v & MODE_HOLD && !(old & MODE_HOLD)) {
      const moved = this.s.countX !== 0 || this.s.countY !== 0;
      this.s.heldStatus = this.s.buttons | (moved ? STATUS_MOVEMENT : 0);
      this.s.heldX = this.s.countX;
      this.s.heldY = this.s.countY;
      this.s.countX = 0;
      this.s.countY = 0;
    }
    if (((old ^ v) & (MODE_RATE_MASK | MODE_DATA_INT_ENABLE | MODE_TIMER_INT_ENABLE)) !== 0) this.interruptConfigChanged();
  }

  /** Restarts the periodic schedule (stale ticks are dropped by generation) and INTR level. */
  private interruptConfigChanged(): void {
    const host = this.need();
    this.s.generation++;
    const period = this.periodNs();
    if (period > 0) host.schedule(host.now() + period, 'tick', this.s.generation);
    const high = (this.s.mode & MODE_RATE_MASK) === RATE_INTR_HIGH && this.enabled();
    // A latched line sees only the rising edge of INTR held high.
    if (high && !this.s.intrHigh) host.pulse(0);
    this.s.intrHigh = high;
  }

  private enabled(): boolean {
    return (this.s.mode & (MODE_DATA_INT_ENABLE | MODE_TIMER_INT_ENABLE)) !== 0;
  }

  private periodNs(): number {
    const hz = RATE_HZ[this.s.mode & MODE_RATE_MASK];
    return hz > 0 && this.enabled() ? Math.round(1e9 / hz) : 0;
  }

  private reset(): void {
    // The mouse itself keeps its button state; pending motion is lost with the counters, and
    // a new generation drops any scheduled tick (reset leaves MODE 0: interrupts off).
    this.s = { ...initialState(), buttons: this.s.buttons, generation: this.s.generation + 1 };
  }

  private need(): DeviceHost {
    if (!this.host) throw new Error(`device ${this.id} used before attach`);
    return this.host;
  }
}

function initialState(): InportState {
  return {
    address: 0,
    mode: 0,
    countX: 0,
    countY: 0,
    buttons: 0,
    heldStatus: 0,
    heldX: 0,
    heldY: 0,
    idPhase: false,
    generation: 0,
    intrHigh: false,
  };
}

/** The chip's counters are signed 8-bit and saturate rather than wrap. */
function clamp8(v: number): number {
  return Math.max(-128, Math.min(127, Math.trunc(v)));
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
