// Counted strings (UNICODE_STRING, ANSI_STRING) and RtlCompareMemory, with the documented
// semantics of the WDK pages (wdm/nf-wdm-rtl*); where the pages are silent (what a failing
// call leaves in the destination), the behaviour of ntoskrnl as ReactOS reproduces it.
// Lengths are bytes without the terminator; MaximumLength is the buffer's size in bytes.

import { type DdiImpl, type DdiTable, type KernelServices, num, u32 } from '../ddi';
import { stringFunctions, type Meter } from '../../vm/crt/cstring';
import type { Value } from '../../vm/runtime';
import { chargeBytes } from './cost';
import { ansiBytes, type CountedString, readCounted, setLength, STRING_SIZE, unicodeUnits, writeCounted, writeUnits } from './counted-string';
import { ansiToUnicode, unicodeToAnsi, upcaseUnicodeChar } from './nls';
import { poolTag } from './pool-tag';
import {
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_PARAMETER_2,
  STATUS_NAME_TOO_LONG,
  STATUS_NO_MEMORY,
  STATUS_SUCCESS,
} from './status';

/** Largest byte count of a UNICODE_STRING's buffer (UNICODE_STRING_MAX_BYTES, ntdef.h). */
const MAX_USTRING = 0xfffe;
/** Largest MaximumLength of an ANSI_STRING (a USHORT). */
const MAX_ASTRING = 0xffff;
/** Tag of the buffers AllocateDestinationString gets (kdsim's choice: 'Strg'). */
export const RTL_STRING_TAG = poolTag('Strg');

type Impl = (k: KernelServices, a: readonly Value[]) => Value | undefined;
const ddi = (call: Impl): DdiImpl => ({ call: (k, a) => call(k, a) });
/** A VOID routine. */
const proc = (call: (k: KernelServices, a: readonly Value[]) => void): DdiImpl => ({
  call: (k, a) => {
    call(k, a);
    return undefined;
  },
});
const ptr = (v: Value | undefined): number => num(v);
const bool = (v: Value | undefined): boolean => (u32(v) & 0xff) !== 0;

/** Length in characters of the NUL-terminated string at `p` (charged as bytes read). */
function terminatedLength(k: KernelServices, p: number, wide: boolean): number {
  const meter: Meter = { bytes: 0 };
  const n = Number(stringFunctions[wide ? 'wcslen' : 'strlen'](k.mem, [p], meter));
  chargeBytes(k, meter.bytes);
  return n;
}

// RtlInitUnicodeString: Length = bytes without the NUL, MaximumLength = Length + 2; NULL gives
// 0/0/NULL. A string of more than MAX_USTRING - 2 bytes is cut to Length = 0xFFFC,
// MaximumLength = 0xFFFE (the page warns the values then misrepresent the string); the Ex
// form refuses it with STATUS_NAME_TOO_LONG and leaves the destination alone.
function initUnicode(k: KernelServices, dest: number, src: number, ex: boolean): number {
  let length = 0;
  let maximumLength = 0;
  if (src !== 0) {
    length = terminatedLength(k, src, true) * 2;
    if (length > MAX_USTRING - 2) {
      if (ex) return STATUS_NAME_TOO_LONG;
      length = MAX_USTRING - 2;
    }
    maximumLength = length + 2;
  }
  writeCounted(k.mem, dest, { length, maximumLength, buffer: src });
  return STATUS_SUCCESS;
}

// RtlInitAnsiString: the same for bytes, cut at 0xFFFE / 0xFFFF.
function initAnsi(k: KernelServices, dest: number, src: number): void {
  let length = 0;
  let maximumLength = 0;
  if (src !== 0) {
    length = Math.min(terminatedLength(k, src, false), MAX_ASTRING - 1);
    maximumLength = length + 1;
  }
  writeCounted(k.mem, dest, { length, maximumLength, buffer: src });
}

// RtlCopyUnicodeString: min(Source.Length, Destination.MaximumLength) bytes; a NUL follows
// when there is room; a NULL source empties the destination.
function copyUnicode(k: KernelServices, destPtr: number, srcPtr: number): void {
  if (srcPtr === 0) {
    setLength(k.mem, destPtr, 0);
    return;
  }
  const d = readCounted(k.mem, destPtr);
  const s = readCounted(k.mem, srcPtr);
  const n = Math.min(s.length, d.maximumLength);
  setLength(k.mem, destPtr, n);
  k.mem.copy(d.buffer, s.buffer, n);
  if (n < d.maximumLength) k.mem.writeU16(d.buffer + (n & ~1), 0);
  chargeBytes(k, 2 * n);
}

// RtlAppendUnicodeStringToString / RtlAppendUnicodeToString: all or nothing. When the result
// (without a NUL) does not fit in MaximumLength: STATUS_BUFFER_TOO_SMALL, destination unchanged.
// A NUL is appended only when there is room for it.
function append(k: KernelServices, destPtr: number, src: number, bytes: number): number {
  if (bytes === 0) return STATUS_SUCCESS;
  const d = readCounted(k.mem, destPtr);
  if (d.length + bytes > d.maximumLength) return STATUS_BUFFER_TOO_SMALL;
  const at = d.buffer + (d.length & ~1);
  k.mem.copy(at, src, bytes);
  const length = d.length + bytes;
  setLength(k.mem, destPtr, length);
  if (d.maximumLength > length) k.mem.writeU16(at + (bytes & ~1), 0);
  chargeBytes(k, 2 * bytes);
  return STATUS_SUCCESS;
}

/** Units of two UNICODE_STRINGs, upcased when the comparison is case-insensitive. */
function unitsOf(k: KernelServices, p: number, caseInsensitive: boolean): Uint16Array {
  const s = readCounted(k.mem, p);
  const u = unicodeUnits(k.mem, s);
  chargeBytes(k, u.length * 2);
  if (caseInsensitive) for (let i = 0; i < u.length; i++) u[i] = upcaseUnicodeChar(u[i]);
  return u;
}

// RtlCompareUnicodeString: the difference of the first differing units (upcased when asked),
// else the difference of the lengths in bytes.
function compareUnicode(k: KernelServices, p1: number, p2: number, caseInsensitive: boolean): number {
  const a = unitsOf(k, p1, caseInsensitive);
  const b = unitsOf(k, p2, caseInsensitive);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return (readCounted(k.mem, p1).length - readCounted(k.mem, p2).length) | 0;
}

function equalUnicode(k: KernelServices, p1: number, p2: number, caseInsensitive: boolean): number {
  if (readCounted(k.mem, p1).length !== readCounted(k.mem, p2).length) return 0;
  return compareUnicode(k, p1, p2, caseInsensitive) === 0 ? 1 : 0;
}

/**
 * Gets the destination buffer of a conversion: a new one from paged pool (these routines run
 * at PASSIVE_LEVEL) of `size` bytes, stored with MaximumLength = size; 0 when pool is
 * exhausted (the caller returns STATUS_NO_MEMORY).
 */
function allocateDestination(k: KernelServices, destPtr: number, size: number): number {
  const buffer = k.allocatePool('paged', size, RTL_STRING_TAG);
  if (buffer !== 0) writeCounted(k.mem, destPtr, { length: readCounted(k.mem, destPtr).length, maximumLength: size, buffer });
  return buffer;
}

// RtlUnicodeStringToAnsiString. Length is set first (chars); then, without allocation and
// without room for the NUL, the string is cut to MaximumLength - 1 bytes and the call returns
// STATUS_BUFFER_OVERFLOW (a zero MaximumLength returns it at once). Always NUL-terminated.
function unicodeToAnsiString(k: KernelServices, destPtr: number, srcPtr: number, allocate: boolean): number {
  const units = unicodeUnits(k.mem, readCounted(k.mem, srcPtr));
  const size = units.length + 1;
  if (size > MAX_ASTRING) return STATUS_INVALID_PARAMETER_2;
  let length = size - 1;
  setLength(k.mem, destPtr, length);
  let status = STATUS_SUCCESS;
  let d: CountedString = readCounted(k.mem, destPtr);
  if (allocate) {
    if (allocateDestination(k, destPtr, size) === 0) return STATUS_NO_MEMORY;
    d = readCounted(k.mem, destPtr);
  } else if (length >= d.maximumLength) {
    if (d.maximumLength === 0) return STATUS_BUFFER_OVERFLOW;
    status = STATUS_BUFFER_OVERFLOW;
    length = d.maximumLength - 1;
    setLength(k.mem, destPtr, length);
  }
  const out = new Uint8Array(length + 1);
  for (let i = 0; i < length; i++) out[i] = unicodeToAnsi(units[i]);
  k.mem.writeBytes(d.buffer, out);
  chargeBytes(k, 3 * length);
  return status;
}

// RtlAnsiStringToUnicodeString (and RtlIntegerToUnicodeString's second half). Length is set
// first; without allocation, no room for the NUL means STATUS_BUFFER_OVERFLOW with nothing
// converted. More than 0x7FFE bytes cannot fit a UNICODE_STRING: STATUS_INVALID_PARAMETER_2.
function ansiToUnicodeString(k: KernelServices, destPtr: number, bytes: Uint8Array, allocate: boolean): number {
  const size = (bytes.length + 1) * 2;
  if (size > MAX_USTRING) return STATUS_INVALID_PARAMETER_2;
  const length = size - 2;
  setLength(k.mem, destPtr, length);
  let d = readCounted(k.mem, destPtr);
  if (allocate) {
    if (allocateDestination(k, destPtr, size) === 0) return STATUS_NO_MEMORY;
    d = readCounted(k.mem, destPtr);
  } else if (length >= d.maximumLength) {
    return STATUS_BUFFER_OVERFLOW;
  }
  const units = new Uint16Array(bytes.length + 1);
  for (let i = 0; i < bytes.length; i++) units[i] = ansiToUnicode(bytes[i]);
  writeUnits(k.mem, d.buffer, units);
  chargeBytes(k, 3 * bytes.length);
  return STATUS_SUCCESS;
}

// RtlFreeUnicodeString / RtlFreeAnsiString: frees Buffer (if any) and zeroes the structure.
// Any pool block is accepted, not only the Rtl routines' own (drivers rely on that).
function freeString(k: KernelServices, p: number): void {
  const s = readCounted(k.mem, p);
  if (s.buffer === 0) return;
  k.freePool(s.buffer, undefined);
  k.mem.fill(p, 0, STRING_SIZE);
}

const VALID_BASES = [2, 8, 10, 16];

// RtlIntegerToUnicodeString: Value (a ULONG) in base 2, 8, 10 or 16 (0 = 10), uppercase digits,
// NUL-terminated; a destination without room for the digits and the NUL: STATUS_BUFFER_OVERFLOW.
function integerToUnicode(k: KernelServices, value: number, base0: number, destPtr: number): number {
  const base = base0 === 0 ? 10 : base0;
  if (!VALID_BASES.includes(base)) return STATUS_INVALID_PARAMETER;
  const digits = (value >>> 0).toString(base).toUpperCase();
  return ansiToUnicodeString(k, destPtr, Uint8Array.from(digits, (c) => c.charCodeAt(0)), false);
}

/** Value of a digit in any base up to 36, or 99. */
function digitOf(u: number): number {
  if (u >= 0x30 && u <= 0x39) return u - 0x30;
  if (u >= 0x41 && u <= 0x5a) return u - 0x41 + 10;
  if (u >= 0x61 && u <= 0x7a) return u - 0x61 + 10;
  return 99;
}

// RtlUnicodeStringToInteger: an empty string fails (STATUS_INVALID_PARAMETER), as does a base
// other than 0/2/8/10/16. Leading white space (any unit <= ' ') is skipped, then one sign;
// base 0 reads a "0x", "0o" or "0b" prefix (else 10). Digits stop at the first invalid unit;
// no digits give 0. The ULONG result wraps; '-' negates it.
function unicodeToInteger(k: KernelServices, strPtr: number, base0: number, valuePtr: number): number {
  const u = unicodeUnits(k.mem, readCounted(k.mem, strPtr));
  if (u.length === 0) return STATUS_INVALID_PARAMETER;
  let i = 0;
  while (i < u.length && u[i] <= 0x20) i++;
  let negative = false;
  if (i < u.length && (u[i] === 0x2b || u[i] === 0x2d)) negative = u[i++] === 0x2d;
  let base = base0;
  if (base === 0) {
    base = 10;
    if (i + 1 < u.length && u[i] === 0x30) {
      const prefix: Record<number, number> = { 0x62: 2, 0x6f: 8, 0x78: 16 };
      const b = prefix[u[i + 1]];
      if (b !== undefined) {
        base = b;
        i += 2;
      }
    }
  } else if (!VALID_BASES.includes(base)) {
    return STATUS_INVALID_PARAMETER;
  }
  let total = 0;
  for (; i < u.length; i++) {
    const d = digitOf(u[i]);
    if (d >= base) break;
    total = (Math.imul(total, base) + d) >>> 0;
  }
  k.mem.writeU32(valuePtr, negative ? -total >>> 0 : total);
  chargeBytes(k, 2 * u.length);
  return STATUS_SUCCESS;
}

// RtlCompareMemory: how many leading bytes are equal (SIZE_T). Reads stop at the first
// difference, like the real routine.
function compareMemory(k: KernelServices, a: number, b: number, length: number): bigint {
  let i = 0;
  while (i < length && k.mem.readU8(a + i) === k.mem.readU8(b + i)) i++;
  chargeBytes(k, 2 * i);
  return BigInt(i);
}

/** SIZE_T argument (unsigned). */
const size = (v: Value | undefined): number => (typeof v === 'bigint' ? Number(BigInt.asUintN(64, v)) : Math.max(0, v ?? 0));

export function unicodeDdis(): DdiTable {
  return {
    RtlCompareMemory: ddi((k, a) => compareMemory(k, ptr(a[0]), ptr(a[1]), size(a[2]))),
    RtlInitUnicodeString: proc((k, a) => initUnicode(k, ptr(a[0]), ptr(a[1]), false)),
    RtlInitUnicodeStringEx: ddi((k, a) => initUnicode(k, ptr(a[0]), ptr(a[1]), true)),
    RtlInitAnsiString: proc((k, a) => initAnsi(k, ptr(a[0]), ptr(a[1]))),
    RtlCopyUnicodeString: proc((k, a) => copyUnicode(k, ptr(a[0]), ptr(a[1]))),
    RtlAppendUnicodeStringToString: ddi((k, a) => {
      const s = readCounted(k.mem, ptr(a[1]));
      return append(k, ptr(a[0]), s.buffer, s.length);
    }),
    RtlAppendUnicodeToString: ddi((k, a) => {
      const src = ptr(a[1]);
      return src === 0 ? STATUS_SUCCESS : append(k, ptr(a[0]), src, Math.min(terminatedLength(k, src, true) * 2, MAX_USTRING - 2));
    }),
    RtlEqualUnicodeString: ddi((k, a) => equalUnicode(k, ptr(a[0]), ptr(a[1]), bool(a[2]))),
    RtlCompareUnicodeString: ddi((k, a) => compareUnicode(k, ptr(a[0]), ptr(a[1]), bool(a[2]))),
    RtlUnicodeStringToAnsiString: ddi((k, a) => unicodeToAnsiString(k, ptr(a[0]), ptr(a[1]), bool(a[2]))),
    RtlAnsiStringToUnicodeString: ddi((k, a) => ansiToUnicodeString(k, ptr(a[0]), ansiBytes(k.mem, readCounted(k.mem, ptr(a[1]))), bool(a[2]))),
    RtlFreeUnicodeString: proc((k, a) => freeString(k, ptr(a[0]))),
    RtlFreeAnsiString: proc((k, a) => freeString(k, ptr(a[0]))),
    RtlIntegerToUnicodeString: ddi((k, a) => integerToUnicode(k, u32(a[0]), u32(a[1]), ptr(a[2]))),
    RtlUnicodeStringToInteger: ddi((k, a) => unicodeToInteger(k, ptr(a[0]), u32(a[1]), ptr(a[2]))),
  };
}
