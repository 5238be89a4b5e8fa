// A PS/2 (AT MF2) keyboard behind the 8042: the host-to-keyboard commands and the scan codes
// of key presses. Its replies go into `tx`, which the controller drains one byte at a time.
//   FF reset → FA, AA (BAT passed)   ED set LEDs (+ data)   EE echo → EE   F0 scan code set
//   F2 identify → FA AB 83   F3 typematic (+ data)   F4 enable   F5 disable   F6 defaults
//   FE resend   anything else → FE (RESEND)

import { keyBySet1, keyByName, keyBytes, keyForChar, keyNames, type KeyCode } from './scancodes';

export const KBD_ACK = 0xfa;
export const KBD_RESEND = 0xfe;
export const KBD_BAT_OK = 0xaa;

/** What the keyboard may do to the outside world (through the controller's host). */
export interface Ps2Io {
  output(kind: string, data: readonly number[]): void;
  trace(what: string, detail?: string): void;
}

export interface KeyboardState {
  /** Bytes waiting to go to the controller. */
  tx: number[];
  /** The command waiting for its data byte (ED, F0, F3), or 0. */
  pending: number;
  scanSet: number;
  scanning: boolean;
  leds: number;
  typematic: number;
  lastSent: number;
}

const TYPEMATIC_DEFAULT = 0x2b; // 10.9 cps, 500 ms delay

export function keyboardReset(): KeyboardState {
  return { tx: [], pending: 0, scanSet: 2, scanning: true, leds: 0, typematic: TYPEMATIC_DEFAULT, lastSent: 0 };
}

export class PS2Keyboard {
  s: KeyboardState = keyboardReset();

  /** A byte from the host (port 0x60 write). */
  receive(b: number, io: Ps2Io): void {
    const p = this.s.pending;
    // A command byte (ED and up) while data is expected starts a new command instead.
    if (p !== 0 && b < 0xed) {
      this.s.pending = 0;
      this.data(p, b, io);
      return;
    }
    this.s.pending = 0;
    this.command(b, io);
  }

  private command(b: number, io: Ps2Io): void {
    switch (b) {
      case 0xff: {
        const lastLeds = this.s.leds;
        this.s = keyboardReset();
        if (lastLeds !== 0) io.output('leds', [0]);
        this.send(KBD_ACK, KBD_BAT_OK);
        return;
      }
      case 0xfe:
        this.s.tx.push(this.s.lastSent);
        return;
      case 0xee:
        this.send(0xee);
        return;
      case 0xf2:
        this.send(KBD_ACK, 0xab, 0x83);
        return;
      case 0xf4:
        this.s.scanning = true;
        this.s.tx = [];
        this.send(KBD_ACK);
        return;
      case 0xf5:
      case 0xf6:
        // F5: defaults and stop scanning; F6: defaults and keep scanning.
        this.s.scanning = b === 0xf6;
        this.s.typematic = TYPEMATIC_DEFAULT;
        this.s.tx = [];
        this.send(KBD_ACK);
        return;
      case 0xed:
      case 0xf0:
      case 0xf3:
        this.s.pending = b;
        this.send(KBD_ACK);
        return;
      default:
        io.trace('keyboard: unknown command', `0x${b.toString(16)}`);
        this.send(KBD_RESEND);
    }
  }

  private data(cmd: number, b: number, io: Ps2Io): void {
    if (cmd === 0xed) {
      // Bit 0 Scroll Lock, bit 1 Num Lock, bit 2 Caps Lock.
      this.s.leds = b & 7;
      this.send(KBD_ACK);
      io.output('leds', [this.s.leds]);
    } else if (cmd === 0xf3) {
      this.s.typematic = b & 0x7f;
      this.send(KBD_ACK);
    } else if (b === 0) {
      this.send(KBD_ACK, this.s.scanSet);
    } else if (b <= 3) {
      this.s.scanSet = b;
      this.send(KBD_ACK);
    } else {
      this.send(KBD_RESEND);
    }
  }

  /** Scenario "type": each character's key pressed and released, with shift as needed. */
  type(text: string): void {
    for (const ch of text) {
      const k = keyForChar(ch);
      if (!k) throw new Error(`keyboard: cannot type '${ch}' on a US layout`);
      const shift = keyByName('LShift') as KeyCode;
      if (k.shift) this.key(shift, true);
      this.key(k.key, true);
      this.key(k.key, false);
      if (k.shift) this.key(shift, false);
    }
  }

  /** Scenario "key": by name or set 1 make code; `down` undefined = press and release. */
  keyAction(args: Readonly<Record<string, unknown>>): void {
    let k: KeyCode | undefined;
    if (typeof args.name === 'string') {
      k = keyByName(args.name);
      if (!k) throw new Error(`keyboard: unknown key '${args.name}' (keys: ${keyNames().join(' ')})`);
    } else if (typeof args.scan === 'number') {
      k = keyBySet1(args.scan);
      if (!k) throw new Error(`keyboard: unknown set 1 scan code 0x${args.scan.toString(16)}`);
    } else {
      throw new Error("keyboard 'key' needs { name } or { scan } (a set 1 make code, 0xE0nn if extended)");
    }
    if (args.down !== false) this.key(k, true);
    if (args.down !== true) this.key(k, false);
  }

  /** A raw byte from the keyboard (the generic "interrupt" stimulus). */
  raw(b: number): void {
    if (this.s.scanning) this.s.tx.push(b & 0xff);
  }

  private key(k: KeyCode, down: boolean): void {
    // Scanning disabled (F5): the keyboard sends nothing.
    if (!this.s.scanning) return;
    this.s.tx.push(...keyBytes(k, this.s.scanSet, down));
  }

  private send(...bytes: number[]): void {
    this.s.tx.push(...bytes);
  }

  /** Called by the controller as each byte leaves (kept for FE RESEND). */
  sent(b: number): void {
    if (b !== KBD_RESEND) this.s.lastSent = b;
  }

  snapshot(): KeyboardState {
    return { ...this.s, tx: [...this.s.tx] };
  }

  restore(s: KeyboardState): void {
    this.s = { ...s, tx: [...s.tx] };
  }
}
