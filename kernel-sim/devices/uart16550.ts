// The National Semiconductor PC16550D / 16550A UART as wired on a PC COM port: an 8-port I/O
// window (resource 0, offsets 0..7), the 1.8432 MHz crystal giving baud = 115200 / divisor, and
// the chip's INTR output reaching the ISA IRQ line only through the MCR OUT2 pin (the PC's
// interrupt-enable gate). Register names and bit meanings follow the datasheet's register summary table
// "Summary of Registers" and its per-register descriptions, cited below as
// "datasheet, <register>".
//
// Time model: a character occupies the line for start + data + parity + stop bits at the
// configured baud. The transmitter moves a byte from THR/TX FIFO into the shift register (TSR)
// at once when idle and reports it with host.output('tx', [byte]) when its stop bit ends. The
// scenario's received bytes start their start bit when sent and land in RBR/RX FIFO one
// character time later.

import type { DeviceHost, DeviceModel, RegisterView } from './device';

// Register offsets (datasheet, register summary). Offsets 0 and 1 are banked by LCR bit 7 (DLAB).
export const REG_RBR_THR_DLL = 0;
export const REG_IER_DLM = 1;
export const REG_IIR_FCR = 2;
export const REG_LCR = 3;
export const REG_MCR = 4;
export const REG_LSR = 5;
export const REG_MSR = 6;
export const REG_SCR = 7;

// Datasheet, IER: the four interrupt enables; bits 4-7 are always 0.
export const IER_ERBFI = 0x01; // received data available (and character timeout in FIFO mode)
export const IER_ETBEI = 0x02; // transmitter holding register empty
export const IER_ELSI = 0x04; // receiver line status
export const IER_EDSSI = 0x08; // modem status

// Datasheet, IIR: bit 0 = 0 while an interrupt is pending; bits 1-3 identify it; 6-7 mirror FCR0.
export const IIR_NONE = 0x01;
export const IIR_MODEM = 0x00;
export const IIR_THRE = 0x02;
export const IIR_RDA = 0x04;
export const IIR_RLS = 0x06;
export const IIR_TIMEOUT = 0x0c;
export const IIR_FIFOS = 0xc0;

// Datasheet, FCR.
export const FCR_ENABLE = 0x01;
export const FCR_RX_RESET = 0x02;
export const FCR_TX_RESET = 0x04;
export const FCR_DMA_MODE = 0x08;
export const FCR_TRIGGER_MASK = 0xc0;

// Datasheet, LCR.
export const LCR_STB = 0x04;
export const LCR_PEN = 0x08;
export const LCR_BREAK = 0x40;
export const LCR_DLAB = 0x80;

// Datasheet, MCR: bits 5-7 are always 0 on the PC16550D.
export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;

// Datasheet, LSR.
export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_PE = 0x04;
export const LSR_FE = 0x08;
export const LSR_BI = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
export const LSR_RXFE = 0x80; // "error in RCVR FIFO"
const LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI;
/** The per-character error bits the RX FIFO stores alongside each byte (the "3 bits of error data"). */
const CHAR_ERRORS = LSR_PE | LSR_FE | LSR_BI;

// Datasheet, MSR.
export const MSR_DCTS = 0x01;
export const MSR_DDSR = 0x02;
export const MSR_TERI = 0x04;
export const MSR_DDCD = 0x08;
export const MSR_CTS = 0x10;
export const MSR_DSR = 0x20;
export const MSR_RI = 0x40;
export const MSR_DCD = 0x80;

const FIFO_SIZE = 16;
/** FCR bits 7-6 → RCVR FIFO trigger level (datasheet, FCR). */
const TRIGGER_LEVELS = [1, 4, 8, 14] as const;

const EV_TX_DONE = 'tx-done';
const EV_RX_CHAR = 'rx-char';
const EV_RX_TIMEOUT = 'rx-timeout';

export interface UartParams {
  /** Baud at divisor 1: the PC's 1.8432 MHz crystal / 16 = 115200. */
  baseBaud: number;
  /** External CTS/DSR/RI/DCD inputs at power-on, as MSR bits 4-7 (default: a ready peer, CTS|DSR|DCD). */
  modemInputs: number;
  /**
   * True lets the IRQ reach the PIC in loopback. The datasheet (MCR, loopback) forces the OUT2 pin to
   * its inactive state in loopback, which on a PC disconnects the IRQ, so false is faithful.
   */
  loopbackIrq: boolean;
}

export const UART_DEFAULTS: UartParams = { baseBaud: 115200, modemInputs: MSR_CTS | MSR_DSR | MSR_DCD, loopbackIrq: false };

interface UartState {
  ier: number;
  lcr: number;
  mcr: number;
  scr: number;
  dll: number;
  dlm: number;
  /** Last value written to FCR (write-only register; kept for the debugger and mode bits). */
  fcr: number;
  /** RBR's last character: what a read returns when the receiver is empty. */
  rbr: number;
  /** RX FIFO (or the single RBR in character mode): data | (PE/FE/BI flags << 8). */
  rx: number[];
  /** TX FIFO (or the single THR in character mode). */
  tx: number[];
  tsr: number;
  tsrBusy: boolean;
  /** Latched LSR OE/PE/FE/BI (cleared by reading LSR). */
  lsrErr: number;
  /** The THRE interrupt latch (datasheet, IIR: reset by IIR read when it is the source, or a THR write). */
  thrLatch: boolean;
  /** Character timeout indication pending. */
  cti: boolean;
  /** Bumped on every RX FIFO activity: stale timeout events carry an older number. */
  rxSerial: number;
  /** Characters on the way in on SIN (data | flags << 8), one per character time. */
  lineIn: number[];
  lineBusy: boolean;
  /** External modem inputs (MSR bits 4-7 positions). */
  modemIn: number;
  /** MSR delta bits 0-3. */
  msrDelta: number;
  lineHigh: boolean;
}

export class Uart16550 implements DeviceModel {
  readonly model = 'uart16550';
  private host: DeviceHost | undefined;
  private readonly params: UartParams;
  private s: UartState;

  constructor(
    readonly id: string,
    params: Partial<UartParams> = {},
  ) {
    this.params = { ...UART_DEFAULTS, ...params };
    this.s = {
      ier: 0,
      lcr: 0,
      mcr: 0,
      scr: 0,
      // MR does not reset the divisor latch (datasheet, reset table); 12 (9600 baud) is the BIOS's usual setting.
      dll: 12,
      dlm: 0,
      fcr: 0,
      rbr: 0,
      rx: [],
      tx: [],
      tsr: 0,
      tsrBusy: false,
      lsrErr: 0,
      thrLatch: false,
      cti: false,
      rxSerial: 0,
      lineIn: [],
      lineBusy: false,
      modemIn: this.params.modemInputs & 0xf0,
      msrDelta: 0,
      lineHigh: false,
    };
  }

  attach(host: DeviceHost): void {
    this.host = host;
  }

  /** 8-bit registers: a wider port access is consecutive byte cycles (as the ISA bus splits it). */
  read(_resource: number, offset: number, size: 1 | 2 | 4): number {
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.readByte((offset + i) & 7) << (8 * i);
    return v >>> 0;
  }

  write(_resource: number, offset: number, size: 1 | 2 | 4, value: number): void {
    for (let i = 0; i < size; i++) this.writeByte((offset + i) & 7, (value >>> (8 * i)) & 0xff);
  }

  onEvent(kind: string, data: number | undefined): void {
    const s = this.s;
    if (kind === EV_TX_DONE) {
      if (!s.tsrBusy) return;
      s.tsrBusy = false;
      const byte = s.tsr & this.wordMask();
      // Loopback (datasheet, MCR): SOUT is held marking and the TSR output feeds the receiver.
      if (s.mcr & MCR_LOOP) this.rxPush(byte);
      else {
        this.need().trace('uart tx', hex(byte));
        this.need().output('tx', [byte]);
      }
      this.startTx();
    } else if (kind === EV_RX_CHAR) {
      const entry = s.lineIn.shift();
      if (entry === undefined) {
        s.lineBusy = false;
        return;
      }
      // Loopback disconnects SIN from the receiver: the character is lost.
      if (s.mcr & MCR_LOOP) this.need().trace('uart rx lost (loopback)', hex(entry & 0xff));
      else this.rxPush((entry & this.wordMask()) | (entry & (CHAR_ERRORS << 8)));
      if (s.lineIn.length > 0) this.need().schedule(this.need().now() + this.charTimeNs(), EV_RX_CHAR);
      else s.lineBusy = false;
    } else if (kind === EV_RX_TIMEOUT) {
      // Datasheet, IIR: timeout when characters wait and nothing entered or left the FIFO for 4 char times.
      if (data === s.rxSerial && this.fifoOn() && s.rx.length > 0) s.cti = true;
    }
    this.update();
  }

  /** The generic stimulus: the peer sends one byte (default 'A'). */
  stimulate(data: number | undefined): void {
    this.receive([data === undefined ? 0x41 : data & 0xff], 0);
    this.update();
  }

  act(action: string, args: Readonly<Record<string, unknown>>): void {
    this.need().trace(`uart ${action}`, JSON.stringify(args));
    if (action === 'receive') {
      const flags = (args.parityError === true ? LSR_PE : 0) | (args.framingError === true ? LSR_FE : 0);
      this.receive(toBytes(args.bytes), flags);
    } else if (action === 'break') {
      // Datasheet, LSR BI: a break loads a single zero character into the FIFO.
      this.receive([0], LSR_BI);
    } else if (action === 'cts' || action === 'dsr' || action === 'ri' || action === 'dcd') {
      if (typeof args.value !== 'boolean') throw new Error(`uart16550 '${action}' needs { value: boolean }`);
      const bit = { cts: MSR_CTS, dsr: MSR_DSR, ri: MSR_RI, dcd: MSR_DCD }[action];
      const before = this.modemInputs();
      this.s.modemIn = args.value ? this.s.modemIn | bit : this.s.modemIn & ~bit;
      this.modemChanged(before);
    } else {
      throw new Error(`uart16550: unknown action '${action}' (receive, break, cts, dsr, ri, dcd)`);
    }
    this.update();
  }

  /** Every register by name, computed without the read side effects. */
  registers(): RegisterView[] {
    const s = this.s;
    const r = (name: string, offset: number, value: number): RegisterView => ({ name, offset, size: 1, value, resource: 0 });
    return [
      r('RBR', REG_RBR_THR_DLL, s.rx.length > 0 ? s.rx[0] & 0xff : s.rbr),
      r('IER', REG_IER_DLM, s.ier),
      r('IIR', REG_IIR_FCR, this.iir() | (this.fifoOn() ? IIR_FIFOS : 0)),
      r('FCR', REG_IIR_FCR, s.fcr),
      r('LCR', REG_LCR, s.lcr),
      r('MCR', REG_MCR, s.mcr),
      r('LSR', REG_LSR, this.lsr()),
      r('MSR', REG_MSR, this.modemInputs() | s.msrDelta),
      r('SCR', REG_SCR, s.scr),
      r('DLL', REG_RBR_THR_DLL, s.dll),
      r('DLM', REG_IER_DLM, s.dlm),
    ];
  }

  accessName(resource: number, offset: number, write: boolean): string | undefined {
    const dlab = (this.s.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case REG_RBR_THR_DLL:
        return dlab ? 'DLL' : write ? 'THR' : 'RBR';
      case REG_IER_DLM:
        return dlab ? 'DLM' : 'IER';
      case REG_IIR_FCR:
        return write ? 'FCR' : 'IIR';
      default:
        return undefined;
    }
  }

  snapshot(): UartState {
    return { ...this.s, rx: [...this.s.rx], tx: [...this.s.tx], lineIn: [...this.s.lineIn] };
  }

  restore(snap: unknown): void {
    const s = snap as UartState;
    this.s = { ...s, rx: [...s.rx], tx: [...s.tx], lineIn: [...s.lineIn] };
  }

  /** Baud from the divisor latch (datasheet, divisor latch: baud = clock / (16 × divisor)). */
  baud(): number {
    return this.params.baseBaud / this.divisor();
  }

  /** One character's time on the line in ns: start + 5-8 data + parity + 1, 1.5 or 2 stop bits (datasheet, LCR). */
  charTimeNs(): number {
    const lcr = this.s.lcr;
    const wordBits = 5 + (lcr & 3);
    const stop = lcr & LCR_STB ? (wordBits === 5 ? 1.5 : 2) : 1;
    const bits = 1 + wordBits + (lcr & LCR_PEN ? 1 : 0) + stop;
    return Math.round((bits * 1e9) / this.baud());
  }

  // ---- register access -------------------------------------------------------------------

  private readByte(reg: number): number {
    const s = this.s;
    const dlab = (s.lcr & LCR_DLAB) !== 0;
    switch (reg) {
      case REG_RBR_THR_DLL:
        return dlab ? s.dll : this.readRbr();
      case REG_IER_DLM:
        return dlab ? s.dlm : s.ier;
      case REG_IIR_FCR: {
        const id = this.iir();
        // Datasheet, IIR: reading IIR resets the THRE interrupt only when it is the identified source.
        if (id === IIR_THRE) s.thrLatch = false;
        this.update();
        return id | (this.fifoOn() ? IIR_FIFOS : 0);
      }
      case REG_LCR:
        return s.lcr;
      case REG_MCR:
        return s.mcr;
      case REG_LSR: {
        const v = this.lsr();
        // Datasheet, LSR: OE, PE, FE and BI are reset whenever the CPU reads the LSR.
        s.lsrErr = 0;
        this.update();
        return v;
      }
      case REG_MSR: {
        const v = this.modemInputs() | s.msrDelta;
        // Datasheet, MSR: the delta bits are reset when the CPU reads the MSR.
        s.msrDelta = 0;
        this.update();
        return v;
      }
      default:
        return s.scr;
    }
  }

  private writeByte(reg: number, v: number): void {
    const s = this.s;
    const dlab = (s.lcr & LCR_DLAB) !== 0;
    switch (reg) {
      case REG_RBR_THR_DLL:
        if (dlab) s.dll = v;
        else this.writeThr(v);
        break;
      case REG_IER_DLM:
        if (dlab) s.dlm = v;
        else this.writeIer(v);
        break;
      case REG_IIR_FCR:
        this.writeFcr(v);
        break;
      case REG_LCR:
        if ((v ^ s.lcr) & LCR_BREAK && !(s.mcr & MCR_LOOP)) this.need().output('break', [v & LCR_BREAK ? 1 : 0]);
        s.lcr = v;
        break;
      case REG_MCR: {
        const before = this.modemInputs();
        const pinsBefore = this.outputPins();
        s.mcr = v & 0x1f;
        this.modemChanged(before);
        const pins = this.outputPins();
        if (pins !== pinsBefore) this.need().output('mcr', [pins]);
        break;
      }
      case REG_LSR:
        // Datasheet, LSR: writing LSR is for factory test only; the model ignores it.
        break;
      case REG_MSR:
        break;
      default:
        s.scr = v;
    }
    this.update();
  }

  private readRbr(): number {
    const s = this.s;
    const entry = s.rx.shift();
    if (entry === undefined) return s.rbr;
    s.rbr = entry & 0xff;
    // FIFO mode: error bits belong to the character at the top of the FIFO (datasheet, LSR), revealed as it gets there.
    if (this.fifoOn() && s.rx.length > 0) s.lsrErr |= (s.rx[0] >> 8) & CHAR_ERRORS;
    // Datasheet, IIR: a CPU read clears the timeout indication and restarts the timer.
    s.cti = false;
    this.restartTimeout();
    this.update();
    return s.rbr;
  }

  private writeThr(v: number): void {
    const s = this.s;
    if (this.fifoOn()) {
      if (s.tx.length < FIFO_SIZE) s.tx.push(v);
      else this.need().trace('uart tx fifo overflow', hex(v));
    } else {
      // Character mode: a write while THRE = 0 overwrites the holding register.
      s.tx = [v];
    }
    // Datasheet, IIR: writing THR resets the THRE interrupt.
    s.thrLatch = false;
    this.startTx();
  }

  private writeIer(v: number): void {
    const s = this.s;
    const old = s.ier;
    s.ier = v & 0x0f;
    // Enabling ETBEI while THR is empty raises THRE again at once (the PC 16550 behaviour drivers rely on).
    if (!(old & IER_ETBEI) && s.ier & IER_ETBEI && s.tx.length === 0) s.thrLatch = true;
    if (!(s.ier & IER_ETBEI)) s.thrLatch = false;
  }

  private writeFcr(v: number): void {
    const s = this.s;
    // Datasheet, FCR: changing FCR0 clears both FIFOs.
    if ((v ^ s.fcr) & FCR_ENABLE) {
      this.clearRx();
      this.clearTx();
    }
    // Datasheet, FCR: FCR0 must be 1 for the other bits to be programmed.
    if (!(v & FCR_ENABLE)) {
      s.fcr &= ~FCR_ENABLE;
      return;
    }
    if (v & FCR_RX_RESET) this.clearRx();
    if (v & FCR_TX_RESET) this.clearTx();
    // The reset bits are self-clearing.
    s.fcr = v & (FCR_ENABLE | FCR_DMA_MODE | FCR_TRIGGER_MASK);
  }

  // ---- receiver ---------------------------------------------------------------------------

  /** Queues bytes on SIN: the first completes one character time from now. */
  private receive(bytes: readonly number[], flags: number): void {
    const s = this.s;
    for (const b of bytes) s.lineIn.push((b & 0xff) | (flags << 8));
    if (!s.lineBusy && s.lineIn.length > 0) {
      s.lineBusy = true;
      this.need().schedule(this.need().now() + this.charTimeNs(), EV_RX_CHAR);
    }
  }

  /** A character completed in the receive shift register (from SIN or loopback). */
  private rxPush(entry: number): void {
    const s = this.s;
    const flags = (entry >> 8) & CHAR_ERRORS;
    if (this.fifoOn()) {
      if (s.rx.length >= FIFO_SIZE) {
        // Datasheet, LSR OE (FIFO mode): the FIFO is full, the shift register's character is overwritten, not transferred.
        s.lsrErr |= LSR_OE;
        this.need().trace('uart overrun', hex(entry & 0xff));
      } else {
        if (s.rx.length === 0) s.lsrErr |= flags;
        s.rx.push(entry);
      }
    } else {
      // Datasheet, LSR OE (character mode): the unread RBR is overwritten by the next character.
      if (s.rx.length > 0) {
        s.lsrErr |= LSR_OE;
        this.need().trace('uart overrun', hex(entry & 0xff));
      }
      s.rx = [entry];
      s.lsrErr |= flags;
    }
    this.need().trace('uart rx', hex(entry & 0xff));
    // Datasheet, IIR: a new character resets the timeout timer only while no timeout has occurred.
    if (!s.cti) this.restartTimeout();
  }

  private restartTimeout(): void {
    const s = this.s;
    s.rxSerial++;
    if (this.fifoOn() && s.rx.length > 0) this.need().schedule(this.need().now() + 4 * this.charTimeNs(), EV_RX_TIMEOUT, s.rxSerial);
  }

  private clearRx(): void {
    this.s.rx = [];
    this.s.cti = false;
    this.s.rxSerial++;
  }

  // ---- transmitter ------------------------------------------------------------------------

  /** Moves THR/TX FIFO's next byte into an idle TSR and starts shifting it out. */
  private startTx(): void {
    const s = this.s;
    if (s.tsrBusy) return;
    const next = s.tx.shift();
    if (next === undefined) return;
    s.tsr = next;
    s.tsrBusy = true;
    this.need().schedule(this.need().now() + this.charTimeNs(), EV_TX_DONE);
    if (s.tx.length === 0) this.thrEmptied();
  }

  /** Datasheet, FCR: TX reset clears the FIFO; the shift register is not cleared. */
  private clearTx(): void {
    if (this.s.tx.length === 0) return;
    this.s.tx = [];
    this.thrEmptied();
  }

  private thrEmptied(): void {
    if (this.s.ier & IER_ETBEI) this.s.thrLatch = true;
  }

  // ---- status -----------------------------------------------------------------------------

  private fifoOn(): boolean {
    return (this.s.fcr & FCR_ENABLE) !== 0;
  }

  private divisor(): number {
    // A zero divisor is not defined by the datasheet; treat it as the 16-bit counter's full 65536.
    return (this.s.dll | (this.s.dlm << 8)) || 0x10000;
  }

  private wordMask(): number {
    return (1 << (5 + (this.s.lcr & 3))) - 1;
  }

  private lsr(): number {
    const s = this.s;
    let v = s.lsrErr & LSR_ERRORS;
    if (s.rx.length > 0) v |= LSR_DR;
    if (s.tx.length === 0) v |= LSR_THRE;
    if (s.tx.length === 0 && !s.tsrBusy) v |= LSR_TEMT;
    // Datasheet, LSR bit 7: at least one PE/FE/BI character in the RX FIFO (always 0 in character mode).
    if (this.fifoOn() && s.rx.some((e) => (e >> 8) & CHAR_ERRORS)) v |= LSR_RXFE;
    return v;
  }

  /** The interrupt identification (datasheet, IIR priority table), without bits 6-7 and without side effects. */
  private iir(): number {
    const s = this.s;
    if (s.ier & IER_ELSI && s.lsrErr & LSR_ERRORS) return IIR_RLS;
    if (s.ier & IER_ERBFI) {
      const level = this.fifoOn() ? TRIGGER_LEVELS[(s.fcr >> 6) & 3] : 1;
      if (s.rx.length >= level) return IIR_RDA;
      if (this.fifoOn() && s.cti && s.rx.length > 0) return IIR_TIMEOUT;
    }
    if (s.ier & IER_ETBEI && s.thrLatch) return IIR_THRE;
    if (s.ier & IER_EDSSI && s.msrDelta) return IIR_MODEM;
    return IIR_NONE;
  }

  /** CTS/DSR/RI/DCD as MSR bits 4-7: in loopback they are RTS/DTR/OUT1/OUT2 (datasheet, MCR). */
  private modemInputs(): number {
    const s = this.s;
    if (!(s.mcr & MCR_LOOP)) return s.modemIn;
    return (
      (s.mcr & MCR_RTS ? MSR_CTS : 0) |
      (s.mcr & MCR_DTR ? MSR_DSR : 0) |
      (s.mcr & MCR_OUT1 ? MSR_RI : 0) |
      (s.mcr & MCR_OUT2 ? MSR_DCD : 0)
    );
  }

  /** Sets the MSR delta bits for input changes since `before` (datasheet, MSR: TERI only on RI going off). */
  private modemChanged(before: number): void {
    const after = this.modemInputs();
    const changed = before ^ after;
    let d = 0;
    if (changed & MSR_CTS) d |= MSR_DCTS;
    if (changed & MSR_DSR) d |= MSR_DDSR;
    if (before & MSR_RI && !(after & MSR_RI)) d |= MSR_TERI;
    if (changed & MSR_DCD) d |= MSR_DDCD;
    this.s.msrDelta |= d;
  }

  /** The DTR/RTS/OUT1/OUT2 output pins: forced inactive in loopback (datasheet, MCR). */
  private outputPins(): number {
    return this.s.mcr & MCR_LOOP ? 0 : this.s.mcr & 0x0f;
  }

  /** The PC's IRQ line: the chip's INTR gated by the OUT2 pin. */
  private update(): void {
    const s = this.s;
    const out2 = (s.mcr & MCR_OUT2) !== 0 && (!(s.mcr & MCR_LOOP) || this.params.loopbackIrq);
    const want = out2 && this.iir() !== IIR_NONE;
    if (want === s.lineHigh) return;
    s.lineHigh = want;
    this.need().setLine(0, want);
  }

  private need(): DeviceHost {
    if (!this.host) throw new Error(`device ${this.id} used before attach`);
    return this.host;
  }
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

/** The 'receive' action's bytes: a string (Latin-1 characters) or an array of 0..255. */
function toBytes(v: unknown): number[] {
  if (typeof v === 'string') {
    return [...v].map((c) => {
      const code = c.codePointAt(0) ?? 0;
      if (code > 0xff) throw new Error(`uart16550 'receive': character '${c}' is not a byte (use a bytes array)`);
      return code;
    });
  }
  if (Array.isArray(v) && v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 0xff)) return v as number[];
  throw new Error("uart16550 'receive' needs { bytes: number[] (0..255) | string }");
}
