// UNICODE_STRING and ANSI_STRING (STRING) in simulated memory. The layout is fixed by the
// x64 ABI (ntdef.h asserts it): USHORT Length @0, USHORT MaximumLength @2, padding, then the
// Buffer pointer @8; 16 bytes in all. Lengths are in bytes, without any terminator.

import type { Memory } from '../../vm/memory';

export const STRING_LENGTH = 0;
export const STRING_MAXIMUM_LENGTH = 2;
export const STRING_BUFFER = 8;
export const STRING_SIZE = 16;

export interface CountedString {
  length: number;
  maximumLength: number;
  buffer: number;
}

export function readCounted(m: Memory, p: number): CountedString {
  return { length: m.readU16(p + STRING_LENGTH), maximumLength: m.readU16(p + STRING_MAXIMUM_LENGTH), buffer: m.readPtr(p + STRING_BUFFER) };
}

export function writeCounted(m: Memory, p: number, s: CountedString): void {
  m.writeU16(p + STRING_LENGTH, s.length);
  m.writeU16(p + STRING_MAXIMUM_LENGTH, s.maximumLength);
  m.writePtr(p + STRING_BUFFER, s.buffer);
}

export function setLength(m: Memory, p: number, length: number): void {
  m.writeU16(p + STRING_LENGTH, length);
}

/** The UTF-16 units of a UNICODE_STRING (Length / 2 of them; an odd byte is ignored). */
export function unicodeUnits(m: Memory, s: CountedString): Uint16Array {
  const n = s.length >>> 1;
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = m.readU16(s.buffer + 2 * i);
  return out;
}

/** The bytes of an ANSI_STRING. */
export function ansiBytes(m: Memory, s: CountedString): Uint8Array {
  return m.readBytes(s.buffer, s.length);
}

/** Stores UTF-16 units at `p` (little-endian). */
export function writeUnits(m: Memory, p: number, units: ArrayLike<number>): void {
  const bytes = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    bytes[2 * i] = units[i] & 0xff;
    bytes[2 * i + 1] = (units[i] >>> 8) & 0xff;
  }
  m.writeBytes(p, bytes);
}
