// The printf formatter (kernel-sim/vm/crt/printf.ts).
//
// 1. Differential against glibc ('gnu' dialect, longBits 64 = LP64 like gcc on Linux): a C
//    program with thousands of snprintf calls (every conversion × flags × widths × precisions ×
//    edge values, plus random doubles at random precisions) prints each result's return value
//    and bytes in hex; formatPrintf must produce the same for the same format and arguments.
//    Skipped when gcc is not installed.
// 2. The MSVC dialect against the behaviour Microsoft documents (expected strings by hand).
// 3. Output limit, faults, %n, positional arguments, the buffer helper.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPrintf, scanFormat, toBuffer, type FormatResult, type PrintfArgs, type PrintfDialect, type PrintfOptions } from '../../kernel-sim/vm/crt/printf';
import { formatFloat, formatFloatExact, type FloatConversion } from '../../kernel-sim/vm/crt/float-format';

// ---------------------------------------------------------------------------------------------
// Arguments as a JS array, strings in a fake address space

type Arg =
  /** an int-sized argument; `c` is its C type in the generated program (default int) */
  | { k: 'int'; v: number; c?: string }
  /** a 64-bit integer argument of C type `c` */
  | { k: 'i64'; v: bigint; c: string }
  | { k: 'dbl'; v: number; long?: boolean }
  /** a narrow string (bytes given as a latin1 JS string), or NULL */
  | { k: 'str'; v: string | null }
  /** a wide string (UTF-16 JS string), or NULL */
  | { k: 'wstr'; v: string | null }
  | { k: 'ptr'; v: bigint };

const int = (v: number, c?: string): Arg => ({ k: 'int', v, c });
const i64 = (v: bigint, c = 'long long'): Arg => ({ k: 'i64', v, c });
const dbl = (v: number): Arg => ({ k: 'dbl', v });
const str = (v: string | null): Arg => ({ k: 'str', v });
const wstr = (v: string | null): Arg => ({ k: 'wstr', v });
const ptr = (v: bigint): Arg => ({ k: 'ptr', v });

const latin1 = (s: string): Uint8Array => Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));

interface ArrayArgsExtra {
  unicode?: Map<bigint, Uint16Array | null>;
  ansi?: Map<bigint, Uint8Array | null>;
  counts?: { p: bigint; n: number; size: number }[];
  errno?: string;
}

/** A PrintfArgs over an array; strings live at fake addresses 0x10000, 0x20000, … */
function arrayArgs(list: Arg[], extra: ArrayArgsExtra = {}): PrintfArgs {
  let i = 0;
  const narrow = new Map<bigint, Uint8Array>();
  const wide = new Map<bigint, Uint16Array>();
  let nextAddress = 0x10000n;
  const take = (kinds: Arg['k'][]): Arg => {
    const a = list[i++];
    assert.ok(a, `argument ${i} missing`);
    assert.ok(kinds.includes(a.k), `argument ${i} is ${a.k}, read as ${kinds.join('/')}`);
    return a;
  };
  const args: PrintfArgs = {
    int32: () => (take(['int']).v as number) | 0,
    int64: () => BigInt.asIntN(64, take(['i64']).v as bigint),
    double: () => take(['dbl']).v as number,
    pointer: () => {
      const a = take(['str', 'wstr', 'ptr']);
      if (a.k === 'ptr') return a.v;
      if (a.k !== 'str' && a.k !== 'wstr') throw new Error('unreachable');
      const v = a.v;
      if (v === null) return 0n;
      const p = nextAddress;
      nextAddress += 0x10000n;
      if (a.k === 'str') narrow.set(p, latin1(v));
      else wide.set(p, Uint16Array.from(v.split(''), (c) => c.charCodeAt(0)));
      return p;
    },
    cString: (p, max) => {
      const b = narrow.get(p);
      return b === undefined ? undefined : max === undefined ? b : b.subarray(0, max);
    },
    wString: (p, max) => {
      const w = wide.get(p);
      return w === undefined ? undefined : max === undefined ? w : w.subarray(0, max);
    },
  };
  if (extra.unicode) {
    const m = extra.unicode;
    args.unicodeString = (p) => (m.has(p) ? m.get(p) : undefined);
  }
  if (extra.ansi) {
    const m = extra.ansi;
    args.ansiString = (p) => (m.has(p) ? m.get(p) : undefined);
  }
  if (extra.counts) {
    const c = extra.counts;
    args.storeCount = (p, n, size) => c.push({ p, n, size });
  }
  if (extra.errno !== undefined) {
    const e = extra.errno;
    args.errnoText = () => latin1(e);
  }
  return args;
}

function run(format: string, args: Arg[], dialect: PrintfDialect, options?: PrintfOptions, extra?: ArrayArgsExtra): FormatResult {
  return formatPrintf(latin1(format), arrayArgs(args, extra), dialect, options);
}

const text = (r: FormatResult): string => String.fromCharCode(...r.bytes);
const fmt = (format: string, dialect: PrintfDialect, ...args: Arg[]): string => text(run(format, args, dialect));

// ---------------------------------------------------------------------------------------------
// Case generation (deterministic)

interface Case {
  format: string;
  args: Arg[];
  /** glibc version needed (e.g. %b is 2.35) */
  glibc?: number;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = prng(20240607);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];

const FLAGS = ['', '-', '+', ' ', '#', '0', '-0', '+0', ' 0', '#0', '-#', '+ ', '#-+0 ', '0#', ' -'];
const WIDTHS = ['', '1', '5', '12', '25', '40'];
const INT_PRECISIONS = ['', '.', '.0', '.1', '.3', '.10', '.25'];
const FLOAT_PRECISIONS = ['', '.', '.0', '.1', '.2', '.3', '.5', '.10', '.15', '.17', '.20', '.30', '.60', '.120'];

const INT32_VALUES = [0, 1, -1, 7, 42, -42, 255, 256, -129, 32767, 32768, 65535, 65536, 2147483647, -2147483648, 1234567890, -98765, 0x7f, 0x80];
const INT64_VALUES = [
  0n,
  1n,
  -1n,
  42n,
  -42n,
  9223372036854775807n,
  -9223372036854775808n,
  0xffffffffn,
  0x100000000n,
  1234567890123456789n,
  -1234567890123n,
  0x0123456789abcdefn,
  -0x7fffffffffffn,
];

const INT_LENGTHS: { len: string; bits: 32 | 64; c: string; uc: string }[] = [
  { len: '', bits: 32, c: 'int', uc: 'unsigned' },
  { len: 'hh', bits: 32, c: 'int', uc: 'int' },
  { len: 'h', bits: 32, c: 'int', uc: 'int' },
  { len: 'l', bits: 64, c: 'long', uc: 'unsigned long' },
  { len: 'll', bits: 64, c: 'long long', uc: 'unsigned long long' },
  { len: 'j', bits: 64, c: 'intmax_t', uc: 'uintmax_t' },
  { len: 'z', bits: 64, c: 'ssize_t', uc: 'size_t' },
  { len: 't', bits: 64, c: 'ptrdiff_t', uc: 'ptrdiff_t' },
  { len: 'L', bits: 64, c: 'long long', uc: 'unsigned long long' },
  { len: 'q', bits: 64, c: 'long long', uc: 'unsigned long long' },
  { len: 'Z', bits: 64, c: 'ssize_t', uc: 'size_t' },
];

const FLOAT_VALUES = [
  0,
  -0,
  0.1,
  -0.1,
  0.5,
  1.5,
  2.5,
  -2.5,
  3.5,
  0.125,
  0.375,
  0.25,
  0.35,
  1,
  -1,
  10,
  100,
  1e-300,
  5e-324,
  1.5e-323,
  2.2250738585072014e-308,
  2.225073858507201e-308,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  1e21,
  1e22,
  1e23,
  123456789.125,
  9.995,
  0.0001,
  0.00001,
  0.000099999,
  99999.5,
  999999.5,
  999999.4999,
  9.9999999e14,
  1e15,
  1e16,
  1e100,
  1 / 3,
  2 / 3,
  Math.PI,
  -Math.E,
  1.0000000000000002,
  0.9999999999999999,
  4503599627370495.5,
  2 ** 53 + 2,
  1 - 2 ** -53,
  1.96875,
  Infinity,
  -Infinity,
  NaN,
];

/** A C hex float literal for a finite double (exact), or the macro for inf/nan. */
function cDouble(x: number): string {
  if (Number.isNaN(x)) return 'NAN';
  if (x === Infinity) return 'INFINITY';
  if (x === -Infinity) return '(-INFINITY)';
  if (Object.is(x, -0)) return '(-0.0)';
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  return e === 0 ? `(${sign}0x0.${frac}p-1022)` : `(${sign}0x1.${frac}p${e - 1023})`;
}

function randomDouble(): number {
  const dv = new DataView(new ArrayBuffer(8));
  for (;;) {
    dv.setUint32(0, Math.floor(rnd() * 4294967296));
    dv.setUint32(4, Math.floor(rnd() * 4294967296));
    const x = dv.getFloat64(0);
    if (Number.isFinite(x)) return x;
  }
}

function generateCases(): Case[] {
  const cases: Case[] = [];
  const add = (format: string, args: Arg[], glibc?: number): void => {
    cases.push({ format: `[${format}]`, args, glibc });
  };

  // integers: each conversion × length × value, plain and with random flags/width/precision
  for (const conv of ['d', 'i', 'u', 'o', 'x', 'X', 'b', 'B']) {
    const signed = conv === 'd' || conv === 'i';
    const glibc = conv === 'b' || conv === 'B' ? 2.35 : undefined;
    for (const L of INT_LENGTHS) {
      const values: Arg[] =
        L.bits === 32 ? INT32_VALUES.map((v) => int(v, signed ? L.c : L.uc)) : INT64_VALUES.map((v) => i64(v, signed ? L.c : L.uc));
      for (const a of values) {
        add(`%${L.len}${conv}`, [a], glibc);
        for (let n = 0; n < 3; n++) add(`%${pick(FLAGS)}${pick(WIDTHS)}${pick(INT_PRECISIONS)}${L.len}${conv}`, [a], glibc);
      }
    }
  }
  // every flag set × width × precision for a few values
  for (const flags of FLAGS) {
    for (const w of WIDTHS) {
      for (const p of INT_PRECISIONS) {
        add(`%${flags}${w}${p}d|%${flags}${w}${p}x|%${flags}${w}${p}o`, [int(-42), int(0), int(8)]);
        add(`%${flags}${w}${p}lld|%${flags}${w}${p}llX`, [i64(0n), i64(-9223372036854775808n, 'unsigned long long')]);
      }
    }
  }
  // long integer fields
  add('%.300d|%400x|%-300.200llo|%0300d|%#.280X', [int(-5), int(255), i64(-1n, 'unsigned long long'), int(-7), int(48879)]);
  // '*' width and precision, negative ones included
  for (const w of [-12, -1, 0, 3, 9]) {
    for (const p of [-5, -1, 0, 2, 7]) {
      add('%*.*d|%-*.*x|%0*.*u', [int(w), int(p), int(-77), int(w), int(p), int(255), int(w), int(p), int(0)]);
      add('%*.*f|%0*.*e|%*.*g|%*.*s', [int(w), int(p), dbl(-2.5), int(w), int(p), dbl(1234.5), int(w), int(p), dbl(0.0001234), int(w), int(p), str('abcdefgh')]);
      add('%0*d|%-0*d|%0*.*a', [int(w), int(5), int(w), int(5), int(w), int(p), dbl(1.75)]);
    }
  }

  // floating point: each conversion × value, plain and with random flags/width/precision
  const floatConvs = ['f', 'F', 'e', 'E', 'g', 'G', 'a', 'A'];
  for (const conv of floatConvs) {
    for (const v of FLOAT_VALUES) {
      add(`%${conv}`, [dbl(v)]);
      add(`%#${conv}`, [dbl(v)]);
      for (let n = 0; n < 6; n++) add(`%${pick(FLAGS)}${pick(WIDTHS)}${pick(FLOAT_PRECISIONS)}${conv}`, [dbl(v)]);
    }
  }
  // precision sweeps
  const sweep = [0.1, 1 / 3, 123456789.125, 5e-324, 1e-300, 1.7976931348623157e308, Math.PI, 2.5, 0.5, 1e21, 9.5, 0.05];
  for (const v of sweep) {
    for (let p = 0; p <= 40; p++) add(`%.${p}e|%.${p}f|%.${p}g|%#.${p}g`, [dbl(v), dbl(v), dbl(v), dbl(v)]);
    for (let p = 0; p <= 16; p++) add(`%.${p}a|%#.${p}A`, [dbl(v), dbl(v)]);
  }
  for (const v of [5e-324, 2.2250738585072014e-308, 1e-300, 1.7976931348623157e308, 0.1]) {
    add('%.1100f|%.800e|%.800g', [dbl(v), dbl(v), dbl(v)]);
    add('%#.1100g|%.767e', [dbl(v), dbl(v)]);
  }
  // rounding ties (exactly representable halves) at several precisions
  for (let k = 0; k <= 12; k++) {
    const v = k + 0.5;
    add('%.0f|%.0e|%.1g|%.0f|%.1e', [dbl(v), dbl(v * 10), dbl(v), dbl(-v), dbl(v / 8)]);
  }
  for (const v of [0.125, 0.375, 0.625, 0.875, 1.0625, 2.675, 1.005, 1.045, 1.25, 1.35, 4.5, 5.5, 6.5, 1e23, 5e22, 2.5e-5]) {
    add('%.1f|%.2f|%.3f|%.0e|%.1e|%.2e|%.1g|%.2g|%.3g', Array.from({ length: 9 }, () => dbl(v)));
  }
  // %a rounding: ties and carries into the leading digit, subnormals
  for (const v of [1.5, 2.5, 1.03125, 1.09375, 1.0625 + 2 ** -8, 2 - 2 ** -52, 1.5 + 2 ** -52, 2 ** -1023, 2.225073858507201e-308, 1.5e-323, 3 * 5e-324, 1 + 2 ** -5 + 2 ** -9]) {
    add('%.0a|%.1a|%.2a|%.3a|%.12a|%.13a|%.14a|%#.0a', Array.from({ length: 8 }, () => dbl(v)));
  }
  // %g where rounding carries into a new digit (glibc's %#g quirk: "1.e+06")
  for (const v of [999999.5, 9.9996, 99.9997, 0.000099999999, 9.96, 0.99999999, 0.0000999996, 9999999.7, 99999996, 9.5, 0.95, 0.0995, 999.5, 99.95, 9.995, 0.9995, 0.09995, 1e23, 9.999999999999999e22, 1e20 - 16384]) {
    for (let p = 0; p <= 8; p++) add(`%#.${p}g|%.${p}g|%#.${p}G|%#${p + 10}.${p}g`, [dbl(v), dbl(v), dbl(-v), dbl(v)]);
    add('%#.17g|%#.22g|%#.23g|%#.24g', [dbl(v), dbl(v), dbl(v), dbl(v)]);
  }
  // random doubles at random precisions
  for (let n = 0; n < 400; n++) {
    const v = randomDouble();
    const p = pick([0, 1, 2, 3, 6, 10, 16, 17, 25, 40, 80]);
    add(`%.${p}e|%.${p}g|%.${Math.min(p, 20)}a`, [dbl(v), dbl(v), dbl(v)]);
    if (Math.abs(v) < 1e30) add(`%.${p}f`, [dbl(v)]);
  }
  for (let n = 0; n < 150; n++) {
    // values near powers of ten, where %g switches style and carries change the exponent
    const v = (1 - rnd() * 1e-6) * 10 ** Math.floor(rnd() * 40 - 20);
    add(`%g|%.${Math.floor(rnd() * 8)}g|%#.${Math.floor(rnd() * 8)}G|%.3e`, [dbl(v), dbl(v), dbl(v), dbl(v)]);
  }
  // long double (the value of a double; gcc passes an x87 long double)
  for (const v of [1.5, 0.1, 1e300, -0, 2.5]) cases.push({ format: '[%Lf|%Le|%Lg|%10.3Lf]', args: [1, 2, 3, 4].map(() => ({ k: 'dbl', v, long: true }) as Arg) });
  add('%lf|%hf|%jf|%llf', [dbl(1.5), dbl(2.5), dbl(3.5), { k: 'dbl', v: 4.5, long: true }]);

  // characters and strings
  for (const c of [65, 0, 255, 128, 32, 321, -1]) {
    for (const spec of ['%c', '%5c', '%-5c', '%05c', '%.0c', '%hhc', '%hc']) add(spec, [int(c)]);
  }
  const strings = ['', 'a', 'hello', 'hello, world', 'tab\there', 'high\xe9\xff'];
  for (const s of strings) {
    for (const spec of ['%s', '%10s', '%-10s', '%.0s', '%.3s', '%.20s', '%-8.2s', '%08s', '%+ #s', '%hs', '%hhs']) add(spec, [str(s)]);
  }
  for (const spec of ['%s', '%10s', '%-10s', '%.0s', '%.3s', '%.5s', '%.6s', '%.7s', '%10.3s', '%-10.6s']) add(spec, [str(null)]);
  // wide (converted in the C.UTF-8 locale; UTF-8 is kdsim's choice for wide → narrow)
  const wides = ['', 'wide', 'caf\u00e9', '\u20ac100', 'x\u{1F600}y', 'Gr\u00fc\u00dfe'];
  for (const s of wides) {
    for (const spec of ['%ls', '%S', '%12ls', '%-12S', '%.0ls', '%.1ls', '%.2ls', '%.3ls', '%.4ls', '%.5ls', '%lls', '%Ls', '%js', '%zs', '%qs']) add(spec, [wstr(s)]);
  }
  for (const spec of ['%ls', '%.3ls', '%.6ls', '%8S']) add(spec, [wstr(null)]);
  for (const c of [65, 0, 0xe9, 0x20ac, 0x7f]) {
    for (const spec of ['%lc', '%C', '%4lc', '%-4C', '%llc', '%Lc', '%jc', '%tc']) add(spec, [int(c, 'wint_t')]);
  }

  // pointers
  for (const p of [0n, 1n, 0x1234n, 0xdeadbeefn, 0x7fffffffffffn, 0xfffff80000001000n, 0xffffffffffffffffn]) {
    for (const spec of ['%p', '%20p', '%-20p', '%020p', '%.0p', '%.8p', '%.20p', '%+p', '% p', '%#p', '%-+20.12p', '%lp', '%hhp']) add(spec, [ptr(p)]);
  }

  // %%, unknown conversions, odd modifiers, several conversions at once
  add('%%|%5%|%-5%|%05%|%.3%', []);
  for (const spec of ['%y', '%5y', '%-5y', '%05y', '%-05y', '%+ y', '% y', '%#y', "%'y", '%Iy', '%.y', '%.0y', '%5.2y', '%#+-0 \'I12.7y', '%hy', '%lly', '%Ly', '%Zy', '%w', '%k', '%v', '%r', '%H', '%O', '%U', '%D']) add(spec + '|x', []);
  add('%*y|%d', [int(7), int(8)]);
  add('%.*y|%d', [int(7), int(8)]);
  add('%*.*y|%d', [int(-3), int(-4), int(9)]);
  add('%llld|%lhd|%hld|%jhd|%hZd', []);
  add('%Id|%I5d|%I64d|%\'d|%\'.3f', [int(42), int(42), int(42), int(1234567), dbl(1234.5)]);
  add('x=%d y=%s z=%5.2f w=%-6x| %c%c%c %lld %p', [int(-5), str('str'), dbl(3.14159), int(3054), int(79), int(75), int(33), i64(-1n), ptr(0x400000n)]);
  add('100%% of %s is %u%c', [str('x'), int(-1, 'unsigned'), int(0)]);
  add('abc%', []);
  add('abc%5', []);
  add('abc%l', []);
  add('abc%.*', [int(1)]);
  // positional arguments (glibc)
  add('%2$s %1$d %2$s', [int(7), str('x')]);
  add('%2$*1$d|%1$d', [int(6), int(42)]);
  add('%1$.*2$f|%3$s', [dbl(Math.PI), int(3), str('end')]);
  add('%3$s %1$lld %2$#x %1$llx', [i64(-2n), int(255), str('pos')]);
  add('%1$*2$.*3$e', [dbl(12345.678), int(15), int(2)]);
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The C side

function cStringLiteral(s: string): string {
  let out = '"';
  for (const c of s) {
    const b = c.charCodeAt(0) & 0xff;
    if (b >= 0x20 && b < 0x7f && c !== '"' && c !== '\\' && c !== '?') out += c;
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return out + '"';
}

function cWideLiteral(s: string): string {
  let out = 'L"';
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    if (cp >= 0x20 && cp < 0x7f && c !== '"' && c !== '\\' && c !== '?') out += c;
    else if (cp < 0xa0) throw new Error(`no wide literal for U+${cp.toString(16)}`);
    else out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  }
  return out + '"';
}

function cArg(a: Arg): string {
  switch (a.k) {
    case 'int':
      return `(${a.c ?? 'int'})(${a.v === -2147483648 ? '-2147483647-1' : String(a.v)})`;
    case 'i64':
      return `(${a.c})(${BigInt.asUintN(64, a.v)}ULL)`;
    case 'dbl':
      return a.long ? `(long double)${cDouble(a.v)}` : cDouble(a.v);
    case 'str':
      return a.v === null ? '(char *)0' : cStringLiteral(a.v);
    case 'wstr':
      return a.v === null ? '(wchar_t *)0' : cWideLiteral(a.v);
    case 'ptr':
      return `(void *)${a.v}ULL`;
  }
}

function cProgram(cases: Case[]): string {
  const lines = [
    '#include <stdio.h>',
    '#include <stdint.h>',
    '#include <stddef.h>',
    '#include <wchar.h>',
    '#include <math.h>',
    '#include <locale.h>',
    '#include <sys/types.h>',
    '#include <gnu/libc-version.h>',
    'static char buf[1 << 21];',
    'static void emit(int n) {',
    '  static const char hex[] = "0123456789abcdef";',
    '  printf("%d ", n);',
    '  if (n > 0) { int m = n < (int)sizeof buf - 1 ? n : (int)sizeof buf - 1;',
    '    for (int i = 0; i < m; i++) { putchar(hex[(unsigned char)buf[i] >> 4]); putchar(hex[buf[i] & 15]); } }',
    '  putchar(10);',
    '}',
    '#define T(...) emit(snprintf(buf, sizeof buf, __VA_ARGS__))',
  ];
  const chunk = 400;
  const fns: string[] = [];
  for (let s = 0; s < cases.length; s += chunk) {
    const name = `part${fns.length}`;
    fns.push(name);
    lines.push(`static void ${name}(void) {`);
    for (const c of cases.slice(s, s + chunk)) lines.push(`  T(${[cStringLiteral(c.format), ...c.args.map(cArg)].join(', ')});`);
    lines.push('}');
  }
  lines.push('int main(void) {');
  lines.push('  if (!setlocale(LC_ALL, "C.UTF-8")) { puts("nolocale"); return 1; }');
  lines.push('  printf("glibc %s\\n", gnu_get_libc_version());');
  for (const f of fns) lines.push(`  ${f}();`);
  lines.push('  return 0;', '}');
  return lines.join('\n') + '\n';
}

function gccAvailable(): boolean {
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

function describeArgs(args: Arg[]): string {
  return args.map((a) => (a.k === 'i64' || a.k === 'ptr' ? `${a.v}n` : JSON.stringify(a.v))).join(', ');
}

const hexOf = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (h: string): string => (h.match(/../g) ?? []).map((x) => String.fromCharCode(parseInt(x, 16))).join('');

describe('differential against glibc (gnu dialect)', { skip: gccAvailable() ? false : 'gcc is not installed' }, () => {
  test('every generated snprintf call prints the same bytes and returns the same length', (t) => {
    const cases = generateCases();
    const dir = mkdtempSync(join(tmpdir(), 'kdsim-printf-'));
    try {
      const src = join(dir, 'printf_diff.c');
      const exe = join(dir, 'printf_diff');
      writeFileSync(src, cProgram(cases));
      const cc = spawnSync('gcc', ['-O0', '-w', '-std=gnu11', '-fno-builtin', '-o', exe, src, '-lm'], { encoding: 'utf8' });
      assert.equal(cc.status, 0, `gcc failed:\n${cc.stderr}`);
      const ran = spawnSync(exe, [], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(ran.status, 0, `program failed: ${ran.stdout.slice(0, 200)} ${ran.stderr}`);
      const out = ran.stdout.split('\n');
      const version = /^glibc (\d+)\.(\d+)/.exec(out[0]);
      assert.ok(version, `first line: ${out[0]}`);
      const glibc = Number(version[1]) + Number(version[2]) / 100;
      let compared = 0;
      let skipped = 0;
      const failures: string[] = [];
      cases.forEach((c, k) => {
        const expected = out[k + 1];
        if (c.glibc !== undefined && glibc < c.glibc) {
          skipped++;
          return;
        }
        const r = run(c.format, c.args, 'gnu', { longBits: 64 });
        const actual = `${r.errorKind === 'format' ? -1 : r.length}${r.errorKind === 'format' ? '' : ' ' + hexOf(r.bytes)}`;
        compared++;
        if (actual !== expected && failures.length < 40) {
          const [en, eh] = expected.split(' ');
          failures.push(`${JSON.stringify(c.format)} (${describeArgs(c.args)})\n    glibc: ${en} ${JSON.stringify(unhex(eh ?? ''))}\n    kdsim: ${r.length} ${JSON.stringify(text(r))}${r.error ? ' ' + r.error : ''}`);
        }
      });
      const failed = failures.length;
      assert.equal(failed, 0, `${failed}${failed === 40 ? '+' : ''} of ${compared} lines differ:\n  ${failures.join('\n  ')}`);
      assert.ok(compared > 5000, `compared ${compared} lines`);
      t.diagnostic(`printf differential: ${compared} lines identical to glibc ${out[0].slice(6)}${skipped ? `, ${skipped} skipped (newer glibc)` : ''}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// MSVC dialect: expected strings from Microsoft's documentation of the CRT and DbgPrint

describe('msvc dialect', () => {
  test('%p is 16 uppercase hex digits (2 * sizeof(void *)), NULL included', () => {
    assert.equal(fmt('%p', 'msvc', ptr(0xdeadbeefn)), '00000000DEADBEEF');
    assert.equal(fmt('%p', 'msvc', ptr(0n)), '0000000000000000');
    assert.equal(fmt('%p', 'msvc', ptr(0xfffff80000001000n)), 'FFFFF80000001000');
    assert.equal(fmt('[%20p]', 'msvc', ptr(0x1234n)), '[    0000000000001234]');
    assert.equal(fmt('[%-18p]', 'msvc', ptr(0x1234n)), '[0000000000001234  ]');
  });

  test('l is 32 bits (LLP64); ll, I64, I, j, z, t are 64; I32 and h/hh narrow', () => {
    assert.equal(fmt('%ld %lu %lx', 'msvc', int(-1), int(-1), int(-1)), '-1 4294967295 ffffffff');
    assert.equal(fmt('%lld %llu', 'msvc', i64(-1n), i64(-1n)), '-1 18446744073709551615');
    assert.equal(fmt('%I64d %I64x %I64X', 'msvc', i64(-9223372036854775808n), i64(0x0123456789abcdefn), i64(-1n)), '-9223372036854775808 123456789abcdef FFFFFFFFFFFFFFFF');
    assert.equal(fmt('%Id %Iu %Ix', 'msvc', i64(-2n), i64(-2n), i64(0x100000000n)), '-2 18446744073709551614 100000000');
    assert.equal(fmt('%I32d %I32u %I32x', 'msvc', int(-1), int(-1), int(-1)), '-1 4294967295 ffffffff');
    assert.equal(fmt('%zu %td %jd', 'msvc', i64(-1n), i64(-3n), i64(-4n)), '18446744073709551615 -3 -4');
    assert.equal(fmt('%hd %hu %hhd %hhu %hx', 'msvc', int(70000), int(-1), int(300), int(-1), int(-1)), '4464 65535 44 255 ffff');
    // the default: a 64-bit argument printed with %d shows its low 32 bits (the engine passes int32 of the slot)
    assert.equal(fmt('%d %u', 'msvc', int(-1), int(-1)), '-1 4294967295');
  });

  test('%S, %ls, %ws are wide strings in narrow printf; %hs and %hS narrow; %C/%lc/%wc wide characters', () => {
    assert.equal(fmt('%S|%ls|%ws|%wS|%lS', 'msvc', wstr('Wide'), wstr('ls'), wstr('ws'), wstr('wS'), wstr('lS')), 'Wide|ls|ws|wS|lS');
    assert.equal(fmt('%hs|%hS|%s', 'msvc', str('h1'), str('h2'), str('n')), 'h1|h2|n');
    assert.equal(fmt('%C%lc%wc%hC%c', 'msvc', int(0x41), int(0x42), int(0x43), int(0x44), int(0x45)), 'ABCDE');
    assert.equal(fmt('[%6S][%-6ws][%.2S]', 'msvc', wstr('abc'), wstr('abc'), wstr('abc')), '[   abc][abc   ][ab]');
    // wide → UTF-8 (kdsim's choice); MSVC precision counts wchar_t units
    assert.deepEqual(run('%ws|%.1S|%wc', [wstr('caf\u00e9'), wstr('\u00e9t\u00e9'), int(0x20ac)], 'msvc').bytes, Uint8Array.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x7c, 0xc3, 0xa9, 0x7c, 0xe2, 0x82, 0xac]));
    // "(null)" for a null %s/%S is documented; the CRT then applies the precision to it like to any string
    assert.equal(fmt('%s|%S|%.3s', 'msvc', str(null), wstr(null), str(null)), '(null)|(null)|(nu');
  });

  test('%wZ prints a UNICODE_STRING, %Z and %hZ an ANSI_STRING; NULL and a NULL Buffer print (null)', () => {
    const unicode = new Map<bigint, Uint16Array | null>([
      [0x5000n, Uint16Array.from('\\Device\\Kdsim0', (c) => c.charCodeAt(0))],
      [0x6000n, null],
    ]);
    const ansi = new Map<bigint, Uint8Array | null>([
      [0x7000n, latin1('ANSI text')],
      [0x8000n, null],
    ]);
    const r = (f: string, ...a: Arg[]): string => text(run(f, a, 'msvc', undefined, { unicode, ansi }));
    assert.equal(r('name=%wZ.', ptr(0x5000n)), 'name=\\Device\\Kdsim0.');
    assert.equal(r('%lZ|%Z|%hZ', ptr(0x5000n), ptr(0x7000n), ptr(0x7000n)), '\\Device\\Kdsim0|ANSI text|ANSI text');
    assert.equal(r('[%20wZ][%-12Z][%.4wZ][%.4Z]', ptr(0x5000n), ptr(0x7000n), ptr(0x5000n), ptr(0x7000n)), '[      \\Device\\Kdsim0][ANSI text   ][\\Dev][ANSI]');
    assert.equal(r('%wZ|%Z|%wZ|%Z', ptr(0n), ptr(0n), ptr(0x6000n), ptr(0x8000n)), '(null)|(null)|(null)|(null)');
    // unreadable structure: stops, reports a fault at the pointer
    const bad = run('a%wZb', [ptr(0x9000n)], 'msvc', undefined, { unicode, ansi });
    assert.equal(text(bad), 'a');
    assert.equal(bad.errorKind, 'fault');
    assert.equal(bad.faultAddress, 0x9000n);
    // without a reader (an engine that does not provide one): an error, never a crash
    assert.equal(run('%wZ', [ptr(0x5000n)], 'msvc').errorKind, 'format');
  });

  test('inf, nan, nan(ind), nan(snan); capitals for %F %E %G %A; no zero padding of them', () => {
    const dv = new DataView(new ArrayBuffer(8));
    const bits = (b: bigint): number => {
      dv.setBigUint64(0, b);
      return dv.getFloat64(0);
    };
    const indefinite = bits(0xfff8000000000000n); // what 0.0/0.0 gives on x64
    const snan = bits(0x7ff0000000000001n);
    assert.equal(fmt('%f %e %g %a', 'msvc', dbl(Infinity), dbl(-Infinity), dbl(NaN), dbl(NaN)), 'inf -inf nan nan');
    assert.equal(fmt('%f|%F|%E', 'msvc', dbl(indefinite), dbl(indefinite), dbl(snan)), '-nan(ind)|-NAN(IND)|NAN(SNAN)');
    assert.equal(fmt('[%08f][%-6F][%+f]', 'msvc', dbl(Infinity), dbl(Infinity), dbl(Infinity)), '[     inf][INF   ][+inf]');
    // glibc spells the same values without the parentheses
    assert.equal(fmt('%f|%F', 'gnu', dbl(indefinite), dbl(snan)), '-nan|NAN');
  });

  test('exponents have at least two digits; %a has 13 hex digits by default; 0 pads %a after 0x', () => {
    assert.equal(fmt('%e|%E|%e|%g', 'msvc', dbl(1), dbl(1e300), dbl(1e-5), dbl(1e-5)), '1.000000e+00|1.000000E+300|1.000000e-05|1e-05');
    assert.equal(fmt('%a|%A|%a', 'msvc', dbl(1), dbl(-0.1), dbl(0)), '0x1.0000000000000p+0|-0X1.999999999999AP-4|0x0.0000000000000p+0');
    assert.equal(fmt('%.0a|%#.0a|%.2a', 'msvc', dbl(1), dbl(1), dbl(3)), '0x1p+0|0x1.p+0|0x1.80p+1');
    assert.equal(fmt('[%010.1a]', 'msvc', dbl(1.5)), '[0x001.8p+0]');
  });

  test('%#g keeps its zeros when rounding carries (glibc drops them: a gnu-only quirk)', () => {
    assert.equal(fmt('%#g|%#.3g|%#.2g', 'msvc', dbl(999999.5), dbl(999.9997), dbl(99.99)), '1.00000e+06|1.00e+03|1.0e+02');
    assert.equal(fmt('%#g|%#.3g|%#.2g', 'gnu', dbl(999999.5), dbl(999.9997), dbl(99.99)), '1.e+06|1.e+03|1.e+02');
  });

  test('examples from the format specification page', () => {
    assert.equal(fmt('%.0d', 'msvc', int(0)), ''); // "No characters output"
    assert.equal(fmt('%0*d', 'msvc', int(5), int(3)), '00003');
    assert.equal(fmt('%.*f', 'msvc', int(3), dbl(3.14159265)), '3.142');
    assert.equal(fmt('[%04.d]', 'msvc', int(7)), '[   7]'); // 0 ignored with a precision
    assert.equal(fmt('%#o %#x %#X %#x', 'msvc', int(8), int(255), int(255), int(0)), '010 0xff 0XFF 0');
    assert.equal(fmt('%#.0f|%#.0e|%#g|%g', 'msvc', dbl(3), dbl(3), dbl(2), dbl(2)), '3.|3.e+00|2.00000|2');
    assert.equal(fmt('[%-5d][% d][%+d][% +d]', 'msvc', int(1), int(2), int(3), int(4)), '[1    ][ 2][+3][+4]');
  });

  // The UCRT documents an invalid parameter handler call for these; kdsim prints them back instead.
  test('unknown and incomplete conversions are copied as written; positional %1$d is not MSVC printf syntax', () => {
    assert.equal(fmt('a%yb%-5.2kc', 'msvc'), 'a%yb%-5.2kc');
    assert.equal(fmt('%1$d', 'msvc'), '%1$d');
    assert.equal(fmt('%b', 'msvc'), '%b');
    assert.equal(fmt('end%', 'msvc'), 'end%');
    assert.equal(fmt('end%-08', 'msvc'), 'end%-08');
    assert.equal(fmt('%5%|%%', 'msvc'), '%|%');
  });
});

// ---------------------------------------------------------------------------------------------

describe('behaviour common to both dialects', () => {
  test('the gnu dialect defaults to LLP64 too: %ld reads 32 bits unless longBits is 64', () => {
    assert.equal(fmt('%ld %lx', 'gnu', int(-1), int(-1)), '-1 ffffffff');
    assert.equal(text(run('%ld %lx', [i64(-1n), i64(-1n)], 'gnu', { longBits: 64 })), '-1 ffffffffffffffff');
  });

  test('%n stores the count so far with the size of its modifier; absent storeCount is ignored', () => {
    const counts: { p: bigint; n: number; size: number }[] = [];
    const r = run('ab%ncde%hhn%hn%ln%lln%zn!', [ptr(0x100n), ptr(0x200n), ptr(0x300n), ptr(0x400n), ptr(0x500n), ptr(0x600n)], 'msvc', undefined, { counts });
    assert.equal(text(r), 'abcde!');
    assert.deepEqual(counts, [
      { p: 0x100n, n: 2, size: 4 },
      { p: 0x200n, n: 5, size: 1 },
      { p: 0x300n, n: 5, size: 2 },
      { p: 0x400n, n: 5, size: 4 },
      { p: 0x500n, n: 5, size: 8 },
      { p: 0x600n, n: 5, size: 8 },
    ]);
    assert.equal(fmt('x%ny', 'gnu', ptr(0x100n)), 'xy');
  });

  test('an unreadable string stops the output and reports where', () => {
    const r = run('one %s two %s three', [str('A'), ptr(0xbad0n)], 'gnu');
    assert.equal(text(r), 'one A two ');
    assert.equal(r.errorKind, 'fault');
    assert.equal(r.faultAddress, 0xbad0n);
    assert.match(r.error ?? '', /0xbad0/);
    const w = run('%ls', [ptr(0xbad0n)], 'msvc');
    assert.equal(w.errorKind, 'fault');
  });

  test('huge widths and precisions are counted, not allocated', () => {
    const t0 = Date.now();
    const r = run('%999999999d|', [int(5)], 'gnu');
    assert.equal(r.length, 1000000000);
    assert.equal(r.bytes.length, 1 << 20);
    assert.equal(r.errorKind, 'limit');
    const f = run('%.999999999f', [dbl(0.1)], 'gnu', { maxOutput: 64 });
    assert.equal(f.length, 1000000001);
    assert.equal(text(f), '0.' + '1000000000000000055511151231257827021181583404541015625'.padEnd(62, '0'));
    const g = run('%#.999999999g|%.999999999g', [dbl(0.1), dbl(0.1)], 'gnu', { maxOutput: 16 });
    assert.equal(g.length, 1000000001 + 1 + 57);
    const big = run('%2147483647d%2147483647d', [int(1), int(2)], 'gnu');
    assert.equal(big.errorKind, 'limit');
    assert.match(big.error ?? '', /INT_MAX/);
    assert.ok(Date.now() - t0 < 2000, 'fast');
  });

  test('exact digits far beyond toFixed/toPrecision limits', () => {
    assert.equal(fmt('%.60f', 'gnu', dbl(0.1)), '0.100000000000000005551115123125782702118158340454101562500000');
    assert.equal(fmt('%.0f', 'gnu', dbl(1e23)), '99999999999999991611392');
    assert.equal(fmt('%.3e', 'gnu', dbl(5e-324)), '4.941e-324');
    assert.equal(fmt('%.0f|%.0f|%.0f|%.0f', 'msvc', dbl(0.5), dbl(1.5), dbl(2.5), dbl(3.5)), '0|2|2|4');
  });

  test('positional arguments are fetched in position order (gnu)', () => {
    assert.equal(fmt('%2$s-%1$s', 'gnu', str('first'), str('second')), 'second-first');
    assert.equal(fmt('%3$d %1$.*2$f', 'gnu', dbl(2.71828), int(2), int(9)), '9 2.72');
  });

  test('glibc %m prints errnoText; without it %m is printed back', () => {
    assert.equal(text(run('[%m|%10m|%.2m]', [], 'gnu', undefined, { errno: 'Success' })), '[Success|   Success|Su]');
    assert.equal(fmt('%m', 'gnu'), '%m');
    assert.equal(fmt('%m', 'msvc'), '%m');
  });

  test('the format ends at an embedded NUL', () => {
    assert.equal(text(formatPrintf(Uint8Array.from([0x61, 0x25, 0x64, 0, 0x62]), arrayArgs([int(1)]), 'gnu')), 'a1');
  });

  // Not in Microsoft's documentation (it only mentions integers and floating point): the CRT's
  // padding code zero-fills any conversion when the 0 flag is given without '-'.
  test('MSVC applies the 0 flag to strings and characters, glibc pads them with spaces', () => {
    assert.equal(fmt('[%05s][%03c]', 'msvc', str('ab'), int(0x78)), '[000ab][00x]');
    assert.equal(fmt('[%05s][%03c]', 'gnu', str('ab'), int(0x78)), '[   ab][  x]');
  });
});

test('the toFixed/toExponential fast path agrees with the exact BigInt path', () => {
  const render = (body: ReturnType<typeof formatFloat>['body']): string => body.map((p) => (typeof p === 'string' ? p : '0'.repeat(p.zeros))).join('');
  const values: number[] = [0.5, 1.5, 2.5, 0.125, 0.375, 1e21 - 65536, 9007199254740991, 4503599627370497, 1e22, 123456789.125, 5e-324];
  for (let n = 0; n < 3000; n++) values.push(randomDouble());
  for (let n = 0; n < 2000; n++) values.push(Math.round(rnd() * 2 ** Math.floor(rnd() * 60)) / 2 ** Math.floor(rnd() * 12)); // short binary fractions: ties
  for (let n = 0; n < 500; n++) values.push(Math.round(rnd() * 1e6) * 10 ** Math.floor(rnd() * 10)); // integers ending in 5s and 0s
  const convs: FloatConversion[] = ['f', 'e', 'g', 'G'];
  let checked = 0;
  for (const x of values) {
    for (const conv of convs) {
      for (const precision of [undefined, 0, 1, 2, 3, 5, 8, 12, 17, 30, 99, 100, 101]) {
        if (conv === 'f' && precision !== undefined && precision > 30 && Math.abs(x) > 1e200) continue;
        for (const alt of [false, true]) {
          const opts = { precision, alt, style: 'gnu' as const };
          const a = formatFloat(x, conv, opts);
          const b = formatFloatExact(x, conv, opts);
          const ta = render(a.body);
          const tb = render(b.body);
          if (ta !== tb || a.negative !== b.negative) assert.fail(`%${alt ? '#' : ''}${precision === undefined ? '' : '.' + precision}${conv} of ${x}: fast ${ta}, exact ${tb}`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 100000);
});

describe('helpers', () => {
  test('toBuffer: C99 snprintf and legacy _snprintf truncation', () => {
    const r = run('hello', [], 'msvc');
    const c99 = (n: number): [string, number] => {
      const b = toBuffer(r, n, 'c99');
      return [String.fromCharCode(...b.write), b.returns];
    };
    assert.deepEqual(c99(10), ['hello\0', 5]);
    assert.deepEqual(c99(5), ['hell\0', 5]);
    assert.deepEqual(c99(1), ['\0', 5]);
    assert.deepEqual(c99(0), ['', 5]);
    const legacy = (n: number): [string, number] => {
      const b = toBuffer(r, n, 'legacy-msvc');
      return [String.fromCharCode(...b.write), b.returns];
    };
    assert.deepEqual(legacy(10), ['hello\0', 5]);
    assert.deepEqual(legacy(5), ['hello', 5]);
    assert.deepEqual(legacy(3), ['hel', -1]);
    assert.equal(toBuffer(run('x%', [], 'gnu'), 10, 'c99').returns, -1);
  });

  test('scanFormat lists conversions with their kind and width', () => {
    const list = scanFormat(latin1('%d %-8.3f %wZ %ls %hs %C %%'), 'msvc');
    assert.deepEqual(
      list.map((c) => [c.text, c.kind, c.wide]),
      [
        ['%d', 'integer', false],
        ['%-8.3f', 'float', false],
        ['%wZ', 'string', true],
        ['%ls', 'string', true],
        ['%hs', 'string', false],
        ['%C', 'char', true],
        ['%%', 'percent', false],
      ],
    );
    assert.equal(scanFormat(latin1('%Zd'), 'gnu')[0].kind, 'integer');
  });
});
