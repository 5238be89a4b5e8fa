// Where the printf formatter's arguments come from in the engine: the values of a variadic
// C call, or a va_list (8-byte slots in simulated memory, the x64 convention). Shared by the
// hosted printf family (crt/hosted.ts) and the kernel's DbgPrint (nt/rtl/dbgprint.ts).
// Strings are read through simulated memory, so an unreadable %s pointer faults like the
// real read would (the MemoryFault propagates out of the formatter).

import type { Memory } from '../memory';
import { fromUnsigned, toUnsigned } from '../memory';
import type { Value } from '../runtime';
import type { PrintfArgs } from './printf';

/** Longest string a conversion reads without a precision (guards a runaway read). */
const MAX_STRING = 1 << 20;

/** The 16-bit units of the NUL-terminated wide string at `a`, at most `max` units. */
export function readWString(m: Memory, a: number, max: number): Uint16Array {
  const out: number[] = [];
  for (let i = 0; i < max; i++) {
    const u = m.readU16(a + i * 2);
    if (u === 0) break;
    out.push(u);
  }
  return Uint16Array.from(out);
}

/** printf-family arguments taken from the values a C call passed, from index `start`. */
export function argsFromValues(m: Memory, values: readonly Value[], start: number): PrintfArgs {
  let i = start;
  const next = (): Value => values[i++] ?? 0;
  return {
    int32: () => {
      const v = next();
      return typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : v | 0;
    },
    int64: () => {
      const v = next();
      return typeof v === 'bigint' ? BigInt.asIntN(64, v) : BigInt(Math.trunc(v));
    },
    double: () => Number(next()),
    pointer: () => {
      const v = next();
      return typeof v === 'bigint' ? BigInt.asUintN(64, v) : toUnsigned(v);
    },
    cString: (p, max) => m.readCString(fromUnsigned(p), max ?? MAX_STRING),
    wString: (p, max) => readWString(m, fromUnsigned(p), max ?? MAX_STRING),
  };
}

/** printf-family arguments read from a va_list at `ap`. */
export function argsFromVaList(m: Memory, ap: number): PrintfArgs {
  let p = ap;
  const slot = (): number => {
    const a = p;
    p += 8;
    return a;
  };
  return {
    int32: () => m.readI32(slot()),
    int64: () => m.readI64(slot()),
    double: () => m.readF64(slot()),
    pointer: () => m.readU64(slot()),
    cString: (q, max) => m.readCString(fromUnsigned(q), max ?? MAX_STRING),
    wString: (q, max) => readWString(m, fromUnsigned(q), max ?? MAX_STRING),
  };
}
