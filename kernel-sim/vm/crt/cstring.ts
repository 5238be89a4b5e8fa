// string.h over simulated memory, shared by the hosted C library (crt/hosted.ts) and the
// kernel's exports (nt/rtl/strings.ts). The narrow and wide (wchar_t: 16-bit UTF-16 units, as
// in kdsim's headers) forms share one implementation parameterised by the character width.
//
// Reads go unit by unit and stop where C stops (the first difference, the terminator, the
// first match): a string that runs into a guard page faults only if C would read that far.
// Every function adds the bytes it read and wrote to a Meter, so the kernel can charge time.

import type { Memory } from '../memory';
import type { Value } from '../runtime';

/** Bytes of one character: 1 (char) or 2 (wchar_t). */
export type CharWidth = 1 | 2;

/** Bytes a call touched (callers reset `bytes` before a call and read it after). */
export interface Meter {
  bytes: number;
}

export type StringFunction = (m: Memory, a: readonly Value[], meter: Meter) => Value;

/** strtok's saved position between calls (0 = none). */
export interface StrtokState {
  next: number;
}

const ptr = (v: Value | undefined): number => Number(v ?? 0);
/** A size_t argument (a bigint in generated code; (size_t)-1 stays huge and faults). */
const count = (v: Value | undefined): number => {
  if (typeof v === 'bigint') return Number(BigInt.asUintN(64, v));
  const x = v ?? 0;
  return x >= 0 ? x : 2 ** 64 + x;
};

function unitAt(m: Memory, p: number, w: CharWidth): number {
  return w === 1 ? m.readU8(p) : m.readU16(p);
}

/** The units of the string at `p`, without the terminator, at most `max` units. */
function readUnits(m: Memory, p: number, w: CharWidth, max = Number.MAX_SAFE_INTEGER): number[] {
  const out: number[] = [];
  for (let i = 0; i < max; i++) {
    const u = unitAt(m, p + i * w, w);
    if (u === 0) break;
    out.push(u);
  }
  return out;
}

/** Stores `units` (little-endian) at `p`, then a terminator when `nul`. */
function writeUnits(m: Memory, p: number, w: CharWidth, units: readonly number[], nul: boolean): void {
  const n = units.length + (nul ? 1 : 0);
  const bytes = new Uint8Array(n * w);
  for (let i = 0; i < units.length; i++) {
    if (w === 1) bytes[i] = units[i];
    else {
      bytes[2 * i] = units[i] & 0xff;
      bytes[2 * i + 1] = units[i] >>> 8;
    }
  }
  m.writeBytes(p, bytes);
}

const lowerAscii = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

/** strcmp family: compares up to `limit` units; `fold` maps each unit first (_stricmp). */
function compareAt(m: Memory, a: number, b: number, w: CharWidth, limit: number, meter: Meter, fold?: (c: number) => number): number {
  for (let i = 0; i < limit; i++) {
    let c = unitAt(m, a + i * w, w);
    let d = unitAt(m, b + i * w, w);
    meter.bytes += 2 * w;
    if (fold) {
      c = fold(c);
      d = fold(d);
    }
    if (c !== d) return c < d ? -1 : 1;
    if (c === 0) return 0;
  }
  return 0;
}

/** strspn / strcspn: length of the prefix made of (or free of) the units of the set. */
function span(m: Memory, s: number, set: readonly number[], inSet: boolean, w: CharWidth, meter: Meter): number {
  let i = 0;
  for (;;) {
    const c = unitAt(m, s + i * w, w);
    meter.bytes += w;
    if (c === 0 || set.includes(c) !== inSet) return i;
    i++;
  }
}

/** The functions of one width, by their C names without prefix (see `stringFunctions`). */
function family(w: CharWidth): Record<string, StringFunction> {
  const mask = w === 1 ? 0xff : 0xffff;
  return {
    len: (m, a, meter) => {
      const n = readUnits(m, ptr(a[0]), w).length;
      meter.bytes += (n + 1) * w;
      return BigInt(n);
    },
    nlen: (m, a, meter) => {
      const n = readUnits(m, ptr(a[0]), w, count(a[1])).length;
      meter.bytes += n * w;
      return BigInt(n);
    },
    cpy: (m, a, meter) => {
      const s = readUnits(m, ptr(a[1]), w);
      writeUnits(m, ptr(a[0]), w, s, true);
      meter.bytes += 2 * (s.length + 1) * w;
      return a[0] ?? 0;
    },
    // strncpy: exactly n units; pads with NULs, no terminator when the source is longer.
    ncpy: (m, a, meter) => {
      const n = count(a[2]);
      const s = readUnits(m, ptr(a[1]), w, n);
      const out = new Array<number>(n).fill(0);
      for (let i = 0; i < s.length; i++) out[i] = s[i];
      writeUnits(m, ptr(a[0]), w, out, false);
      meter.bytes += (s.length + n) * w;
      return a[0] ?? 0;
    },
    cat: (m, a, meter) => {
      const d = ptr(a[0]);
      const dlen = readUnits(m, d, w).length;
      const s = readUnits(m, ptr(a[1]), w);
      writeUnits(m, d + dlen * w, w, s, true);
      meter.bytes += (dlen + 2 * s.length + 2) * w;
      return a[0] ?? 0;
    },
    ncat: (m, a, meter) => {
      const d = ptr(a[0]);
      const dlen = readUnits(m, d, w).length;
      const s = readUnits(m, ptr(a[1]), w, count(a[2]));
      writeUnits(m, d + dlen * w, w, s, true);
      meter.bytes += (dlen + 2 * s.length + 2) * w;
      return a[0] ?? 0;
    },
    cmp: (m, a, meter) => compareAt(m, ptr(a[0]), ptr(a[1]), w, Infinity, meter),
    ncmp: (m, a, meter) => compareAt(m, ptr(a[0]), ptr(a[1]), w, count(a[2]), meter),
    // The C locale's case folding (the kernel's and the CRT's default): ASCII letters only.
    icmp: (m, a, meter) => compareAt(m, ptr(a[0]), ptr(a[1]), w, Infinity, meter, lowerAscii),
    nicmp: (m, a, meter) => compareAt(m, ptr(a[0]), ptr(a[1]), w, count(a[2]), meter, lowerAscii),
    chr: (m, a, meter) => {
      const p = ptr(a[0]);
      const c = Number(a[1] ?? 0) & mask;
      for (let i = 0; ; i++) {
        const u = unitAt(m, p + i * w, w);
        meter.bytes += w;
        if (u === c) return p + i * w;
        if (u === 0) return 0;
      }
    },
    rchr: (m, a, meter) => {
      const p = ptr(a[0]);
      const c = Number(a[1] ?? 0) & mask;
      let found = 0;
      for (let i = 0; ; i++) {
        const u = unitAt(m, p + i * w, w);
        meter.bytes += w;
        if (u === c) found = p + i * w;
        if (u === 0) return found;
      }
    },
    str: (m, a, meter) => {
      const p = ptr(a[0]);
      const s = readUnits(m, p, w);
      const t = readUnits(m, ptr(a[1]), w);
      meter.bytes += (s.length + t.length + 2) * w;
      outer: for (let i = 0; i + t.length <= s.length; i++) {
        for (let j = 0; j < t.length; j++) if (s[i + j] !== t[j]) continue outer;
        return p + i * w;
      }
      return 0;
    },
    spn: (m, a, meter) => BigInt(span(m, ptr(a[0]), readUnits(m, ptr(a[1]), w), true, w, meter)),
    cspn: (m, a, meter) => BigInt(span(m, ptr(a[0]), readUnits(m, ptr(a[1]), w), false, w, meter)),
    pbrk: (m, a, meter) => {
      const p = ptr(a[0]);
      const i = span(m, p, readUnits(m, ptr(a[1]), w), false, w, meter);
      return unitAt(m, p + i * w, w) === 0 ? 0 : p + i * w;
    },
  };
}

const narrow = family(1);
const wide = family(2);

/** The stateless string.h functions by C name (kdsim's string.h declares them all). */
export const stringFunctions: Readonly<Record<string, StringFunction>> = {
  memcpy: (m, a, meter) => {
    const n = count(a[2]);
    m.copy(ptr(a[0]), ptr(a[1]), n);
    meter.bytes += 2 * n;
    return a[0] ?? 0;
  },
  // Memory.copy has memmove semantics; memcpy's overlap is undefined in C, so both use it.
  memmove: (m, a, meter) => {
    const n = count(a[2]);
    m.copy(ptr(a[0]), ptr(a[1]), n);
    meter.bytes += 2 * n;
    return a[0] ?? 0;
  },
  memset: (m, a, meter) => {
    const n = count(a[2]);
    m.fill(ptr(a[0]), Number(a[1] ?? 0) & 0xff, n);
    meter.bytes += n;
    return a[0] ?? 0;
  },
  memcmp: (m, a, meter) => {
    const n = count(a[2]);
    const r = m.compare(ptr(a[0]), ptr(a[1]), n);
    meter.bytes += 2 * n; // an upper bound: compare stops at the first difference
    return r;
  },
  // C11 7.24.5.1: memchr reads sequentially and stops at the first match.
  memchr: (m, a, meter) => {
    const p = ptr(a[0]);
    const c = Number(a[1] ?? 0) & 0xff;
    const n = count(a[2]);
    for (let i = 0; i < n; i++) {
      meter.bytes++;
      if (m.readU8(p + i) === c) return p + i;
    }
    return 0;
  },
  strlen: narrow.len,
  strnlen: narrow.nlen,
  strcpy: narrow.cpy,
  strncpy: narrow.ncpy,
  strcat: narrow.cat,
  strncat: narrow.ncat,
  strcmp: narrow.cmp,
  strncmp: narrow.ncmp,
  strchr: narrow.chr,
  strrchr: narrow.rchr,
  strstr: narrow.str,
  strspn: narrow.spn,
  strcspn: narrow.cspn,
  strpbrk: narrow.pbrk,
  _stricmp: narrow.icmp,
  _strnicmp: narrow.nicmp,
  wcslen: wide.len,
  wcsnlen: wide.nlen,
  wcscpy: wide.cpy,
  wcsncpy: wide.ncpy,
  wcscat: wide.cat,
  wcscmp: wide.cmp,
  wcsncmp: wide.ncmp,
  wcschr: wide.chr,
  wcsrchr: wide.rchr,
  wcsstr: wide.str,
  _wcsicmp: wide.icmp,
};

/**
 * strtok(str, delim): the saved position lives in `state` (per thread in the CRT; the caller
 * decides whose). Delimiters are skipped, the token is terminated in place.
 */
export function strtok(m: Memory, a: readonly Value[], state: StrtokState, meter: Meter): number {
  const first = ptr(a[0]);
  let s = first !== 0 ? first : state.next;
  if (s === 0) return 0;
  const delims = readUnits(m, ptr(a[1]), 1);
  meter.bytes += delims.length + 1;
  for (;;) {
    const c = m.readU8(s);
    meter.bytes++;
    if (c === 0) {
      state.next = 0;
      return 0;
    }
    if (!delims.includes(c)) break;
    s++;
  }
  const token = s;
  for (;;) {
    const c = m.readU8(s);
    meter.bytes++;
    if (c === 0) {
      state.next = 0;
      return token;
    }
    if (delims.includes(c)) {
      m.writeU8(s, 0);
      state.next = s + 1;
      return token;
    }
    s++;
  }
}

/** _strdup(str): a copy in memory from `alloc` (0 when it fails); NULL gives NULL (UCRT). */
export function strdup(m: Memory, a: readonly Value[], alloc: (size: number) => number, meter: Meter): number {
  const src = ptr(a[0]);
  if (src === 0) return 0;
  const s = readUnits(m, src, 1);
  const p = alloc(s.length + 1);
  if (p === 0) return 0;
  writeUnits(m, p, 1, s, true);
  meter.bytes += 2 * (s.length + 1);
  return p;
}
