// Scan codes of a US 101/102-key PS/2 keyboard: each key's set 1 and set 2 make code (0xE0nn =
// an extended key sent with the E0 prefix), the 8042's set 2 → set 1 translation, and the US
// layout's characters for the scenario's "type" action.

export interface KeyCode {
  name: string;
  /** Set 1 make code; 0xE0nn for an extended key. */
  set1: number;
  /** Set 2 make code; 0xE0nn for an extended key. */
  set2: number;
}

// name, set 1, set 2 (from the documented scan code tables).
const TABLE: ReadonlyArray<readonly [string, number, number]> = [
  ['Esc', 0x01, 0x76], ['1', 0x02, 0x16], ['2', 0x03, 0x1e], ['3', 0x04, 0x26], ['4', 0x05, 0x25],
  ['5', 0x06, 0x2e], ['6', 0x07, 0x36], ['7', 0x08, 0x3d], ['8', 0x09, 0x3e], ['9', 0x0a, 0x46],
  ['0', 0x0b, 0x45], ['-', 0x0c, 0x4e], ['=', 0x0d, 0x55], ['Backspace', 0x0e, 0x66], ['Tab', 0x0f, 0x0d],
  ['Q', 0x10, 0x15], ['W', 0x11, 0x1d], ['E', 0x12, 0x24], ['R', 0x13, 0x2d], ['T', 0x14, 0x2c],
  ['Y', 0x15, 0x35], ['U', 0x16, 0x3c], ['I', 0x17, 0x43], ['O', 0x18, 0x44], ['P', 0x19, 0x4d],
  ['[', 0x1a, 0x54], [']', 0x1b, 0x5b], ['Enter', 0x1c, 0x5a], ['LCtrl', 0x1d, 0x14], ['A', 0x1e, 0x1c],
  ['S', 0x1f, 0x1b], ['D', 0x20, 0x23], ['F', 0x21, 0x2b], ['G', 0x22, 0x34], ['H', 0x23, 0x33],
  ['J', 0x24, 0x3b], ['K', 0x25, 0x42], ['L', 0x26, 0x4b], [';', 0x27, 0x4c], ["'", 0x28, 0x52],
  ['`', 0x29, 0x0e], ['LShift', 0x2a, 0x12], ['\\', 0x2b, 0x5d], ['Z', 0x2c, 0x1a], ['X', 0x2d, 0x22],
  ['C', 0x2e, 0x21], ['V', 0x2f, 0x2a], ['B', 0x30, 0x32], ['N', 0x31, 0x31], ['M', 0x32, 0x3a],
  [',', 0x33, 0x41], ['.', 0x34, 0x49], ['/', 0x35, 0x4a], ['RShift', 0x36, 0x59], ['KP*', 0x37, 0x7c],
  ['LAlt', 0x38, 0x11], ['Space', 0x39, 0x29], ['CapsLock', 0x3a, 0x58], ['F1', 0x3b, 0x05],
  ['F2', 0x3c, 0x06], ['F3', 0x3d, 0x04], ['F4', 0x3e, 0x0c], ['F5', 0x3f, 0x03], ['F6', 0x40, 0x0b],
  ['F7', 0x41, 0x83], ['F8', 0x42, 0x0a], ['F9', 0x43, 0x01], ['F10', 0x44, 0x09], ['NumLock', 0x45, 0x77],
  ['ScrollLock', 0x46, 0x7e], ['KP7', 0x47, 0x6c], ['KP8', 0x48, 0x75], ['KP9', 0x49, 0x7d],
  ['KP-', 0x4a, 0x7b], ['KP4', 0x4b, 0x6b], ['KP5', 0x4c, 0x73], ['KP6', 0x4d, 0x74], ['KP+', 0x4e, 0x79],
  ['KP1', 0x4f, 0x69], ['KP2', 0x50, 0x72], ['KP3', 0x51, 0x7a], ['KP0', 0x52, 0x70], ['KP.', 0x53, 0x71],
  ['F11', 0x57, 0x78], ['F12', 0x58, 0x07],
  // Extended keys: the same code after an E0 prefix in both sets.
  ['KPEnter', 0xe01c, 0xe05a], ['RCtrl', 0xe01d, 0xe014], ['KP/', 0xe035, 0xe04a], ['RAlt', 0xe038, 0xe011],
  ['Home', 0xe047, 0xe06c], ['Up', 0xe048, 0xe075], ['PageUp', 0xe049, 0xe07d], ['Left', 0xe04b, 0xe06b],
  ['Right', 0xe04d, 0xe074], ['End', 0xe04f, 0xe069], ['Down', 0xe050, 0xe072], ['PageDown', 0xe051, 0xe07a],
  ['Insert', 0xe052, 0xe070], ['Delete', 0xe053, 0xe071], ['LWin', 0xe05b, 0xe01f], ['RWin', 0xe05c, 0xe027],
  ['Menu', 0xe05d, 0xe02f],
];

const ALIASES: Readonly<Record<string, string>> = {
  Escape: 'Esc', Return: 'Enter', Shift: 'LShift', Ctrl: 'LCtrl', Control: 'LCtrl', Alt: 'LAlt',
  ArrowLeft: 'Left', ArrowRight: 'Right', ArrowUp: 'Up', ArrowDown: 'Down', Del: 'Delete', Ins: 'Insert',
  PgUp: 'PageUp', PgDn: 'PageDown', Backquote: '`', ' ': 'Space',
};

const BY_NAME = new Map<string, KeyCode>();
const BY_SET1 = new Map<number, KeyCode>();
/** The 8042's translation of a set 2 byte to set 1 (keys only; other bytes pass unchanged). */
const SET2_TO_SET1 = new Map<number, number>();
for (const [name, set1, set2] of TABLE) {
  const k: KeyCode = { name, set1, set2 };
  BY_NAME.set(name.toLowerCase(), k);
  BY_SET1.set(set1, k);
  SET2_TO_SET1.set(set2 & 0xff, set1 & 0xff);
}
// The scan-code-set replies 1/2/3 to command F0 00 translate as F9/F7(alias)/F5 do: 43, 41, 3F.
SET2_TO_SET1.set(0x02, 0x41);
// A set 2 key-detection error / buffer overrun 0x00 is 0xFF in set 1.
SET2_TO_SET1.set(0x00, 0xff);

export function keyByName(name: string): KeyCode | undefined {
  const n = ALIASES[name] ?? name;
  return BY_NAME.get(n.toLowerCase());
}

export function keyBySet1(code: number): KeyCode | undefined {
  return BY_SET1.get(code);
}

export function keyNames(): string[] {
  return TABLE.map((t) => t[0]);
}

/** The 8042 translation of one data byte (command byte bit 6); F0 is handled by the caller. */
export function translateToSet1(b: number): number {
  return SET2_TO_SET1.get(b) ?? b;
}

/**
 * The bytes a key sends in scan code set 1 or 2. Set 1 break = make | 0x80; set 2 break = F0
 * before the code (after E0 for extended keys). Set 3 is sent as set 2 (not modelled).
 */
export function keyBytes(k: KeyCode, set: number, down: boolean): number[] {
  const code = set === 1 ? k.set1 : k.set2;
  const out: number[] = code > 0xff ? [0xe0] : [];
  const c = code & 0xff;
  if (set === 1) out.push(down ? c : c | 0x80);
  else out.push(...(down ? [c] : [0xf0, c]));
  return out;
}

// US layout: the unshifted characters of each key and what shift gives.
const UNSHIFTED = "`1234567890-=[]\\;',./";
const SHIFTED = '~!@#$%^&*()_+{}|:"<>?';

/** The key (and whether shift is held) that types `ch` on a US layout. */
export function keyForChar(ch: string): { key: KeyCode; shift: boolean } | undefined {
  let name: string | undefined;
  let shift = false;
  if (/^[a-z]$/.test(ch)) name = ch.toUpperCase();
  else if (/^[A-Z]$/.test(ch)) [name, shift] = [ch, true];
  else if (ch === ' ') name = 'Space';
  else if (ch === '\n' || ch === '\r') name = 'Enter';
  else if (ch === '\t') name = 'Tab';
  else if (ch === '\b') name = 'Backspace';
  else if (UNSHIFTED.includes(ch)) name = ch;
  else if (SHIFTED.includes(ch)) [name, shift] = [UNSHIFTED[SHIFTED.indexOf(ch)], true];
  const key = name !== undefined ? keyByName(name) : undefined;
  return key ? { key, shift } : undefined;
}
