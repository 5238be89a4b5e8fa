// The 8042 keyboard controller of the PC with a PS/2 keyboard and a PS/2 mouse.
//   resource 0: port 0x60 DATA   read: output buffer (clears OBF); write: data to the keyboard,
//               or the data byte of a controller command (60, D1-D4)
//   resource 1: port 0x64        read: STATUS; write: controller COMMAND
// STATUS: b0 OBF, b1 IBF, b2 SYS, b3 A2 (last write was a command), b4 INH (1 = not
//   inhibited), b5 AUXB (output buffer holds mouse data), b6 timeout, b7 parity error.
// Command byte (20 read / 60 write): b0 keyboard interrupt (IRQ 1), b1 aux interrupt (IRQ 12),
//   b2 SYS, b4 keyboard clock disabled, b5 aux clock disabled, b6 set 2 → set 1 translation.
// The one-byte output buffer is fed from the controller's own replies, then the keyboard, then
// the mouse, each device byte taking params.byteTimeUs on the wire. Interrupts are edges:
// line 0 (IRQ 1) for a keyboard/controller byte, line 1 (IRQ 12) for a mouse byte.

import type { DeviceHost, DeviceModel, RegisterView } from './device';
import { PS2Keyboard, type KeyboardState, type Ps2Io } from './ps2-keyboard';
import { PS2Mouse, type MouseState } from './ps2-mouse';
import { translateToSet1 } from './scancodes';

export const ST_OBF = 0x01;
export const ST_IBF = 0x02;
export const ST_SYS = 0x04;
export const ST_A2 = 0x08;
export const ST_INH = 0x10;
export const ST_AUXB = 0x20;
export const ST_TIMEOUT = 0x40;
export const ST_PARITY = 0x80;

export const CB_KBD_INT = 0x01;
export const CB_AUX_INT = 0x02;
export const CB_SYS = 0x04;
export const CB_KBD_DISABLE = 0x10;
export const CB_AUX_DISABLE = 0x20;
export const CB_TRANSLATE = 0x40;

/** A controller-queue entry for the aux side (D3 writes): byte | AUX_TAG. */
const AUX_TAG = 0x100;
const SRC_CTRL = 0;
const SRC_KBD = 1;
const SRC_AUX = 2;
const EV_XFER = 'i8042-xfer';

export interface I8042Params {
  /** Time one PS/2 byte takes from a device to the output buffer. */
  byteTimeUs: number;
  /** Time the controller takes to place its own reply (20, AA, D2...). */
  controllerUs: number;
  /** The command byte the BIOS leaves. */
  commandByte: number;
}

export const I8042_DEFAULTS: I8042Params = { byteTimeUs: 1000, controllerUs: 20, commandByte: 0x47 };

interface ControllerState {
  status: number;
  commandByte: number;
  out: number;
  /** Controller replies waiting for the output buffer (AUX_TAG marks D3 bytes). */
  ctrlQueue: number[];
  /** The command whose data byte the next port 0x60 write is (60, D1-D4), or 0. */
  expect: number;
  /** A translated F0 (break prefix) was swallowed: the next byte gets bit 7. */
  breakPending: boolean;
  /** A byte is on its way to the output buffer (an EV_XFER event is scheduled). */
  busy: boolean;
  outputPort: number;
}

interface I8042Snapshot {
  c: ControllerState;
  kbd: KeyboardState;
  mouse: MouseState;
}

export class I8042 implements DeviceModel {
  readonly model = 'i8042';
  readonly keyboard = new PS2Keyboard();
  readonly mouse = new PS2Mouse();
  private host: DeviceHost | undefined;
  private c: ControllerState;

  constructor(
    readonly id: string,
    private readonly params: I8042Params = I8042_DEFAULTS,
  ) {
    this.c = this.powerOn();
  }

  attach(host: DeviceHost): void {
    this.host = host;
  }

  read(resource: number, _offset: number, _size: 1 | 2 | 4): number {
    if (resource === 1) return this.c.status;
    // Reading DATA empties the output buffer; the next queued byte may follow.
    const v = this.c.out;
    this.c.status &= ~(ST_OBF | ST_AUXB);
    this.pump();
    return v;
  }

  write(resource: number, _offset: number, _size: 1 | 2 | 4, value: number): void {
    const b = value & 0xff;
    if (resource === 1) {
      this.c.status |= ST_A2;
      this.command(b);
    } else {
      this.c.status &= ~ST_A2;
      this.data(b);
    }
    this.pump();
  }

  onEvent(kind: string, data: number | undefined): void {
    if (kind !== EV_XFER) return;
    this.c.busy = false;
    if (!(this.c.status & ST_OBF) && data !== undefined) this.deliver(data);
    this.pump();
  }

  /** The generic "interrupt" stimulus: the keyboard sends byte `data` (default: 'a' typed). */
  stimulate(data: number | undefined): void {
    if (data === undefined) this.keyboard.type('a');
    else this.keyboard.raw(data);
    this.pump();
  }

  act(action: string, args: Readonly<Record<string, unknown>>): void {
    this.need().trace(`i8042 ${action}`, JSON.stringify(args));
    if (action === 'type') {
      if (typeof args.keys !== 'string') throw new Error("i8042 'type' needs { keys: string }");
      this.keyboard.type(args.keys);
    } else if (action === 'key') {
      this.keyboard.keyAction(args);
    } else if (action === 'move') {
      this.mouse.move(num(args.dx), num(args.dy), num(args.wheel));
    } else if (action === 'click') {
      if (typeof args.button !== 'string') throw new Error("i8042 'click' needs { button: 'left'|'right'|'middle' }");
      this.mouse.click(args.button, typeof args.down === 'boolean' ? args.down : undefined);
    } else {
      throw new Error(`i8042: unknown action '${action}' (type, key, move, click)`);
    }
    this.pump();
  }

  registers(): RegisterView[] {
    return [
      { name: 'DATA', offset: 0, size: 1, value: this.c.out, resource: 0 },
      { name: 'STATUS', offset: 0, size: 1, value: this.c.status, resource: 1 },
      { name: 'COMMAND_BYTE', offset: 0, size: 1, value: this.c.commandByte, resource: 1, internal: true },
    ];
  }

  /** Port 0x64 is the status register when read and the command register when written. */
  accessName(resource: number, _offset: number, write: boolean): string | undefined {
    return resource === 1 ? (write ? 'COMMAND' : 'STATUS') : undefined;
  }

  snapshot(): I8042Snapshot {
    return { c: { ...this.c, ctrlQueue: [...this.c.ctrlQueue] }, kbd: this.keyboard.snapshot(), mouse: this.mouse.snapshot() };
  }

  restore(s: unknown): void {
    const snap = s as I8042Snapshot;
    this.c = { ...snap.c, ctrlQueue: [...snap.c.ctrlQueue] };
    this.keyboard.restore(snap.kbd);
    this.mouse.restore(snap.mouse);
  }

  private powerOn(): ControllerState {
    const cb = this.params.commandByte & 0xff;
    return {
      status: ST_INH | (cb & CB_SYS ? ST_SYS : 0),
      commandByte: cb,
      out: 0,
      ctrlQueue: [],
      expect: 0,
      breakPending: false,
      busy: false,
      outputPort: 0x03, // b0 system reset line high (inactive), b1 A20 enabled
    };
  }

  /** A controller command (port 0x64 write). */
  private command(b: number): void {
    const host = this.need();
    host.trace('i8042 command', hex(b));
    const cb = this.c.commandByte;
    switch (b) {
      case 0x20:
        this.reply(cb);
        break;
      case 0x60:
      case 0xd1:
      case 0xd2:
      case 0xd3:
      case 0xd4:
        this.c.expect = b;
        break;
      case 0xa7:
        this.setCommandByte(cb | CB_AUX_DISABLE);
        break;
      case 0xa8:
        this.setCommandByte(cb & ~CB_AUX_DISABLE);
        break;
      case 0xa9: // aux interface test: 00 = no error
      case 0xab: // keyboard interface test
        this.reply(0x00);
        break;
      case 0xaa: // controller self-test: 55 = passed
        this.reply(0x55);
        break;
      case 0xad:
        this.setCommandByte(cb | CB_KBD_DISABLE);
        break;
      case 0xae:
        this.setCommandByte(cb & ~CB_KBD_DISABLE);
        break;
      case 0xd0:
        this.reply(this.c.outputPort);
        break;
      default:
        // FE and the F0-FF "pulse output port" commands: bit 0 pulses the CPU reset line.
        if (b >= 0xf0 && !(b & 1)) host.output('cpu-reset', [1]);
        else if (b < 0xf0) host.trace('i8042 unknown command', hex(b));
    }
  }

  /** A port 0x60 write: a command's data byte, else a byte for the keyboard. */
  private data(b: number): void {
    const expect = this.c.expect;
    this.c.expect = 0;
    const io = this.io();
    if (expect === 0x60) this.setCommandByte(b);
    else if (expect === 0xd1) this.c.outputPort = b | 0x01;
    else if (expect === 0xd2) this.c.ctrlQueue.push(b);
    else if (expect === 0xd3) this.c.ctrlQueue.push(b | AUX_TAG);
    else if (expect === 0xd4) this.mouse.receive(b, io);
    else this.keyboard.receive(b, io);
  }

  private setCommandByte(v: number): void {
    const old = this.c.commandByte;
    this.c.commandByte = v & 0xff;
    this.c.status = (this.c.status & ~ST_SYS) | (v & CB_SYS ? ST_SYS : 0);
    // An interrupt enabled while its byte waits in the output buffer fires now.
    if (this.c.status & ST_OBF) {
      const aux = (this.c.status & ST_AUXB) !== 0;
      const bit = aux ? CB_AUX_INT : CB_KBD_INT;
      if (v & bit && !(old & bit)) this.need().pulse(aux ? 1 : 0);
    }
  }

  private reply(b: number): void {
    this.c.ctrlQueue.push(b);
  }

  /** Starts the next transfer into an empty output buffer: controller, keyboard, then mouse. */
  private pump(): void {
    if (this.c.busy || this.c.status & ST_OBF) return;
    const cb = this.c.commandByte;
    let src: number;
    if (this.c.ctrlQueue.length > 0) src = SRC_CTRL;
    else if (this.keyboard.s.tx.length > 0 && !(cb & CB_KBD_DISABLE)) src = SRC_KBD;
    else if (this.mouse.s.tx.length > 0 && !(cb & CB_AUX_DISABLE)) src = SRC_AUX;
    else return;
    const host = this.need();
    const us = src === SRC_CTRL ? this.params.controllerUs : this.params.byteTimeUs;
    this.c.busy = true;
    host.schedule(host.now() + Math.max(0, us) * 1000, EV_XFER, src);
  }

  /** Moves one byte from source `src` into the output buffer and interrupts if enabled. */
  private deliver(src: number): void {
    const cb = this.c.commandByte;
    let b: number | undefined;
    let aux = false;
    if (src === SRC_CTRL) {
      const e = this.c.ctrlQueue.shift();
      if (e === undefined) return;
      b = e & 0xff;
      aux = (e & AUX_TAG) !== 0;
    } else if (src === SRC_KBD) {
      if (cb & CB_KBD_DISABLE) return;
      b = this.keyboard.s.tx.shift();
      if (b === undefined) return;
      this.keyboard.sent(b);
      if (cb & CB_TRANSLATE) {
        // Translation: F0 is swallowed and sets bit 7 of the next (translated) code.
        if (b === 0xf0) {
          this.c.breakPending = true;
          return;
        }
        b = translateToSet1(b) | (this.c.breakPending ? 0x80 : 0);
        this.c.breakPending = false;
      }
    } else {
      if (cb & CB_AUX_DISABLE) return;
      b = this.mouse.s.tx.shift();
      if (b === undefined) return;
      this.mouse.sent(b);
      aux = true;
    }
    this.c.out = b;
    this.c.status = (this.c.status | ST_OBF) & ~ST_AUXB;
    if (aux) this.c.status |= ST_AUXB;
    if (cb & (aux ? CB_AUX_INT : CB_KBD_INT)) this.need().pulse(aux ? 1 : 0);
  }

  private io(): Ps2Io {
    const host = this.need();
    return { output: (k, d) => host.output(k, d), trace: (w, d) => host.trace(w, d) };
  }

  private need(): DeviceHost {
    if (!this.host) throw new Error(`device ${this.id} used before attach`);
    return this.host;
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}
