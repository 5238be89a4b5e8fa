// KEYBOARD_INPUT_DATA and MOUSE_INPUT_DATA (ntddkbd.h / ntddmou.h) as data: field layout for the
// simulated class drivers that read them from driver memory, and the flag names a scenario may
// write in expectations ("KEY_BREAK|KEY_E0", "MOUSE_LEFT_BUTTON_DOWN"). Layouts are the WDK's x64
// ones (test/c/input-serial-headers.test.ts checks the headers against MinGW's).

import type { InputClass } from './project-types';

export interface PacketField {
  name: string;
  offset: number;
  size: 2 | 4;
  signed: boolean;
  /** Names of the bit values this field takes (a value of 0 may be named too). */
  flags?: Readonly<Record<string, number>>;
}

const KEY_FLAGS = { KEY_MAKE: 0, KEY_BREAK: 1, KEY_E0: 2, KEY_E1: 4, KEY_TERMSRV_SET_LED: 8, KEY_TERMSRV_SHADOW: 0x10, KEY_TERMSRV_VKPACKET: 0x20 };
const MOUSE_FLAGS = { MOUSE_MOVE_RELATIVE: 0, MOUSE_MOVE_ABSOLUTE: 1, MOUSE_VIRTUAL_DESKTOP: 2, MOUSE_ATTRIBUTES_CHANGED: 4, MOUSE_MOVE_NOCOALESCE: 8, MOUSE_TERMSRV_SRC_SHADOW: 0x100 };
const BUTTON_FLAGS = {
  MOUSE_LEFT_BUTTON_DOWN: 0x1,
  MOUSE_LEFT_BUTTON_UP: 0x2,
  MOUSE_RIGHT_BUTTON_DOWN: 0x4,
  MOUSE_RIGHT_BUTTON_UP: 0x8,
  MOUSE_MIDDLE_BUTTON_DOWN: 0x10,
  MOUSE_MIDDLE_BUTTON_UP: 0x20,
  MOUSE_BUTTON_4_DOWN: 0x40,
  MOUSE_BUTTON_4_UP: 0x80,
  MOUSE_BUTTON_5_DOWN: 0x100,
  MOUSE_BUTTON_5_UP: 0x200,
  MOUSE_WHEEL: 0x400,
  MOUSE_HWHEEL: 0x800,
};

const f = (name: string, offset: number, size: 2 | 4, signed = false, flags?: Readonly<Record<string, number>>): PacketField => (flags ? { name, offset, size, signed, flags } : { name, offset, size, signed });

export const INPUT_PACKETS: Record<InputClass, { type: string; size: number; fields: readonly PacketField[] }> = {
  // UnitId, MakeCode, Flags, Reserved: USHORT; ExtraInformation: ULONG.
  keyboard: {
    type: 'KEYBOARD_INPUT_DATA',
    size: 12,
    fields: [f('UnitId', 0, 2), f('MakeCode', 2, 2), f('Flags', 4, 2, false, KEY_FLAGS), f('Reserved', 6, 2), f('ExtraInformation', 8, 4)],
  },
  // UnitId, Flags: USHORT; union { ULONG Buttons; struct { USHORT ButtonFlags, ButtonData } };
  // RawButtons: ULONG; LastX, LastY: LONG; ExtraInformation: ULONG.
  mouse: {
    type: 'MOUSE_INPUT_DATA',
    size: 24,
    fields: [
      f('UnitId', 0, 2),
      f('Flags', 2, 2, false, MOUSE_FLAGS),
      f('Buttons', 4, 4),
      f('ButtonFlags', 4, 2, false, BUTTON_FLAGS),
      // Wheel deltas are signed (WHEEL_DELTA multiples) although the field is a USHORT.
      f('ButtonData', 6, 2, true),
      f('RawButtons', 8, 4),
      f('LastX', 12, 4, true),
      f('LastY', 16, 4, true),
      f('ExtraInformation', 20, 4),
    ],
  },
};

/** A field's value normalised to its C type (signed fields as signed numbers). */
export function normalizeField(field: PacketField, v: number): number {
  const bits = field.size * 8;
  const u = bits === 32 ? v >>> 0 : v & 0xffff;
  return field.signed && u >= 2 ** (bits - 1) ? u - 2 ** bits : u;
}

/** "KEY_BREAK|KEY_E0", a number, or a hex string; undefined when not understood. */
export function parseFieldValue(field: PacketField, v: unknown): number | undefined {
  const r = readFieldValue(field, v);
  return 'value' in r ? r.value : undefined;
}

/**
 * A field value, or why it is not one. Numbers outside the field's C type are refused rather
 * than wrapped, so an expectation cannot silently test for a different value than it names;
 * both the signed and the unsigned spelling of a value are accepted.
 */
export function readFieldValue(field: PacketField, v: unknown): { value: number } | { problem: string; badName?: string } {
  const bits = field.size * 8;
  const inRange = (n: number): boolean => Number.isInteger(n) && n >= -(2 ** (bits - 1)) && n <= 2 ** bits - 1;
  const range = `${field.size === 2 ? 'a 16-bit' : 'a 32-bit'} value`;
  if (typeof v === 'number') return inRange(v) ? { value: normalizeField(field, v) } : { problem: `${v} is not ${range}` };
  if (typeof v !== 'string') return { problem: 'must be a number or a string' };
  let total = 0;
  for (const part of v.split('|').map((x) => x.trim())) {
    if (field.flags && Object.hasOwn(field.flags, part)) total |= field.flags[part];
    else if (/^-?(0x[0-9a-f]+|\d+)$/i.test(part)) {
      const n = part.startsWith('-') ? -Number(part.slice(1)) : Number(part);
      if (!inRange(n)) return { problem: `${part} is not ${range}` };
      total |= n;
    } else return { problem: `'${part}' is not a number${field.flags ? ' or a flag name' : ''}`, badName: part };
  }
  return { value: normalizeField(field, total) };
}

/** A value shown with its flag names when the field has them: "0x3 (KEY_BREAK|KEY_E0)". */
export function formatFieldValue(field: PacketField, v: number): string {
  if (!field.flags) return field.signed ? String(v) : v > 9 ? `0x${v.toString(16).toUpperCase()}` : String(v);
  const names = Object.entries(field.flags)
    .filter(([, bit]) => bit !== 0 && (v & bit) === bit)
    .map(([n]) => n);
  const zero = Object.entries(field.flags).find(([, bit]) => bit === 0)?.[0];
  const text = names.length > 0 ? names.join('|') : v === 0 && zero ? zero : '';
  return text ? `${v === 0 ? '0' : `0x${v.toString(16).toUpperCase()}`} (${text})` : `0x${v.toString(16).toUpperCase()}`;
}

export function packetField(cls: InputClass, name: string): PacketField | undefined {
  return INPUT_PACKETS[cls].fields.find((x) => x.name === name);
}
