// The printf family's formatter: format bytes + arguments → output bytes. Pure: it reads the
// arguments and any strings through `PrintfArgs`, which the engine implements over its va_list
// and simulated memory, and it never throws for a bad format (an unknown conversion is printed
// back, as glibc does).
//
// Dialects. The data model is LLP64 in both: `l` on an integer is 32 bits unless the caller
// passes `longBits: 64` (the tests do, to compare with gcc on LP64 Linux). 'msvc' is what the
// UCRT's printf and ntoskrnl's DbgPrint print (kdsim's default for driver code); 'gnu' is
// glibc's output, byte for byte (differential test against glibc 2.36).
//
// | | 'gnu' (glibc) | 'msvc' (UCRT, DbgPrint) |
// |---|---|---|
// | %p | `0x1234`, NULL `(nil)`; flags and precision as for %#lx, `+`/space included | `0000000000001234` (16 uppercase digits); `%#p` adds `0X` |
// | nan | `nan`, `-nan` | `nan`, `-nan(ind)` (the x64 default NaN), `nan(snan)` |
// | %a | `0x1.8p+1` (trailing zeros dropped) | `0x1.8000000000000p+1` (default precision 13) |
// | %#g carrying to a new digit | `1.e+06` (glibc keeps the %f fraction length) | `1.00000e+06` (C) |
// | %05s, %05c | pads with spaces | pads with zeros (the CRT applies the 0 flag to every conversion) |
// | length modifiers | hh h l ll L q j z Z t; flags also `'` and `I` (no effect in the C locale: `%I64d` is width 64!) | hh h l ll L j z t w I I32 I64 |
// | wide %c %s | %lc %ls %C %S, and any modifier wider than int (%Lc %js %zs …) | %lc %ls %wc %ws %C %S; %hC %hS narrow |
// | %Z | a length modifier (= z) | `%Z`/`%hZ` ANSI_STRING, `%wZ`/`%lZ` UNICODE_STRING (DbgPrint; the UCRT reads a bare `%Z` as UNICODE_STRING) |
// | %b %B | binary, `%#b` → `0b101` (C23, glibc ≥ 2.35) | unknown |
// | %m | strerror(errno) through `errnoText` | unknown |
// | `%1$d` positional | yes | no (only the _printf_p family has it) |
// | unknown `%-5y` | re-spelt from the parsed spec (flags `#'+ -0I`, width, `.prec`, the character) | copied as written |
// | `%` at the end of the format | output so far, errorKind 'format' (printf returns -1, EINVAL) | copied as written |
// | wide-string precision | bytes of output, no partial character (C) | wchar_t units |
// | (null) with precision < 6 | nothing | `(null)` truncated |
//
// Both: %n stores through `storeCount` (the UCRT disables %n by default — leave storeCount out
// to emulate that; DbgPrint's kernel formatter honours it). Width counts output bytes. DbgPrint
// does not support floating point or, above PASSIVE_LEVEL, wide conversions: `scanFormat` lets
// its implementation find them; this formatter prints them.
//
// Floating point is exact (see float-format.ts): the digits glibc prints, at any precision.
// Wide characters and strings are converted to UTF-8 (what glibc does in a UTF-8 locale; the
// real CRTs use the current code page, where characters outside it fail or print '?'); an
// unpaired surrogate becomes U+FFFD.
//
// snprintf: `formatPrintf` returns the whole output and its length; the caller copies
// min(n - 1, length) bytes and a NUL. `toBuffer` does this, and the legacy MSVC `_snprintf`
// rule (no terminator when the output fills the buffer, -1 when it does not fit). Output past
// `maxOutput` (1 MiB) is counted, not stored: "%999999999d" costs nothing.

import { formatFloat, type FloatConversion, type FloatPiece } from './float-format';

/** Where the variadic arguments come from (the engine implements it over its va_list). */
export interface PrintfArgs {
  /** The next argument as a 32-bit int (signed value; the formatter reinterprets). */
  int32(): number;
  /** The next 64-bit integer argument (signed). */
  int64(): bigint;
  /** The next double (float arguments were promoted). */
  double(): number;
  /** The next pointer-sized (64-bit) value, unsigned. */
  pointer(): bigint;
  /**
   * Bytes (without the NUL) of the NUL-terminated narrow string at `p`, at most `max` bytes
   * when a precision limits it (the array need not be terminated then). Never called for
   * p == 0 ("(null)" is printed). Returning undefined means unreadable: the formatter stops
   * there and reports a fault at `p` (errorKind 'fault'). Throwing (a MemoryFault) also works.
   */
  cString(p: bigint, max?: number): Uint8Array | undefined;
  /** The 16-bit units of the NUL-terminated wide string at `p`, at most `max` units. */
  wString(p: bigint, max?: number): Uint16Array | undefined;
  /**
   * For %wZ: the UNICODE_STRING at `p` (Length bytes of Buffer): its units; null when Buffer
   * is NULL (printed "(null)"); undefined when unreadable (a fault).
   */
  unicodeString?(p: bigint): Uint16Array | null | undefined;
  /** For %Z / %hZ: the ANSI_STRING at `p`; null / undefined as for unicodeString. */
  ansiString?(p: bigint): Uint8Array | null | undefined;
  /** %n: store the count of bytes produced so far into the `size`-byte integer at `p`. Absent: %n stores nothing. */
  storeCount?(p: bigint, n: number, size: 1 | 2 | 4 | 8): void;
  /** glibc's %m: the bytes of strerror(errno). Absent: %m is printed back like an unknown conversion. */
  errnoText?(): Uint8Array;
}

export type PrintfDialect = 'msvc' | 'gnu';

export interface PrintfOptions {
  /** Bits of `long` for the `l` modifier on integers and %ln: 32 (LLP64, the default) or 64 (LP64, to compare with gcc on Linux). */
  longBits?: 32 | 64;
  /** Output bytes kept (default 1 MiB); the rest is counted in `length` but not stored. */
  maxOutput?: number;
}

export type FormatErrorKind =
  /** a string argument was unreadable: output stops there; `faultAddress` is the pointer */
  | 'fault'
  /** the output exceeded `maxOutput` (bytes holds the first maxOutput bytes) or INT_MAX */
  | 'limit'
  /** the format is invalid for the dialect (glibc: printf returns -1 with EINVAL) */
  | 'format';

export interface FormatResult {
  bytes: Uint8Array;
  /** Length of the whole output: what printf/snprintf return. Equals bytes.length unless truncated. */
  length: number;
  error?: string;
  errorKind?: FormatErrorKind;
  faultAddress?: bigint;
}

export const DEFAULT_MAX_OUTPUT = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Output with a byte limit; the logical length keeps counting past it.

/** A scratch buffer shared by calls (copied out at the end); a nested call gets its own. */
let spare: Uint8Array | undefined = new Uint8Array(1024);

class Output {
  private buf: Uint8Array;
  private used = 0;
  /** Bytes produced so far, including those past the limit. */
  count = 0;

  constructor(private readonly limit: number) {
    this.buf = spare ?? new Uint8Array(256);
    spare = undefined;
  }

  private room(n: number): number {
    const k = Math.min(n, this.limit - this.used);
    if (k <= 0) return 0;
    if (this.used + k > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.used + k) size *= 2;
      const b = new Uint8Array(Math.min(size, this.limit));
      b.set(this.buf.subarray(0, this.used));
      this.buf = b;
    }
    return k;
  }

  byte(b: number): void {
    this.count++;
    if (this.room(1) === 1) this.buf[this.used++] = b;
  }

  /** a[start, end) */
  copy(a: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.count += n;
    const k = this.room(n);
    for (let i = 0; i < k; i++) this.buf[this.used++] = a[start + i];
  }

  bytes(a: Uint8Array): void {
    this.count += a.length;
    const k = this.room(a.length);
    this.buf.set(k === a.length ? a : a.subarray(0, k), this.used);
    this.used += k;
  }

  ascii(s: string): void {
    this.count += s.length;
    const k = this.room(s.length);
    for (let i = 0; i < k; i++) this.buf[this.used++] = s.charCodeAt(i);
  }

  fill(ch: number, n: number): void {
    if (n <= 0) return;
    this.count += n;
    const k = this.room(n);
    this.buf.fill(ch, this.used, this.used + k);
    this.used += k;
  }

  /** The bytes kept; gives the scratch buffer back for the next call. */
  finish(): Uint8Array {
    const r = this.buf.slice(0, this.used);
    if (this.buf.length <= 1 << 16) spare = this.buf;
    return r;
  }
}

// ---------------------------------------------------------------------------------------------
// Conversion specifications

type Length = '' | 'hh' | 'h' | 'l' | 'll' | 'L' | 'q' | 'j' | 'z' | 'Z' | 't' | 'w' | 'I' | 'I32' | 'I64';

interface Spec {
  /** offset of '%' and one past the conversion character in the format */
  start: number;
  end: number;
  /** 1-based argument position (`%n$`), 0 for the next argument */
  position: number;
  minus: boolean;
  plus: boolean;
  space: boolean;
  hash: boolean;
  zero: boolean;
  quote: boolean;
  i18n: boolean;
  width: number;
  /** '*' width: 0 = none, -1 = next argument, n = argument n */
  widthArg: number;
  /** -1 = no precision */
  precision: number;
  precisionArg: number;
  length: Length;
  /** the conversion byte; -1 when the format ended inside the specification */
  conv: number;
}

const INT_MAX = 0x7fffffff;
const ch = (s: string): number => s.charCodeAt(0);
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

function readNumber(f: Uint8Array, i: number): { value: number; next: number } {
  let v = 0;
  while (i < f.length && isDigit(f[i])) {
    v = Math.min(v * 10 + (f[i] - 0x30), INT_MAX + 1);
    i++;
  }
  return { value: v, next: i };
}

/** `n$` at i (a positive number then '$'), or undefined. */
function readPosition(f: Uint8Array, i: number): { value: number; next: number } | undefined {
  if (i >= f.length || !isDigit(f[i]) || f[i] === 0x30) return undefined;
  const r = readNumber(f, i);
  if (r.next < f.length && f[r.next] === ch('$')) return { value: r.value, next: r.next + 1 };
  return undefined;
}

function parseSpec(f: Uint8Array, start: number, dialect: PrintfDialect): Spec {
  const s: Spec = {
    start,
    end: start + 1,
    position: 0,
    minus: false,
    plus: false,
    space: false,
    hash: false,
    zero: false,
    quote: false,
    i18n: false,
    width: 0,
    widthArg: 0,
    precision: -1,
    precisionArg: 0,
    length: '',
    conv: -1,
  };
  const gnu = dialect === 'gnu';
  let i = start + 1;
  if (gnu) {
    const pos = readPosition(f, i);
    if (pos) {
      s.position = pos.value;
      i = pos.next;
    }
  }
  for (; i < f.length; i++) {
    const b = f[i];
    if (b === ch('-')) s.minus = true;
    else if (b === ch('+')) s.plus = true;
    else if (b === ch(' ')) s.space = true;
    else if (b === ch('#')) s.hash = true;
    else if (b === ch('0')) s.zero = true;
    else if (gnu && b === ch("'")) s.quote = true;
    else if (gnu && b === ch('I')) s.i18n = true;
    else break;
  }
  if (i < f.length && f[i] === ch('*')) {
    i++;
    const pos = gnu ? readPosition(f, i) : undefined;
    s.widthArg = pos ? pos.value : -1;
    if (pos) i = pos.next;
  } else {
    const r = readNumber(f, i);
    s.width = r.value;
    i = r.next;
  }
  if (i < f.length && f[i] === ch('.')) {
    i++;
    if (i < f.length && f[i] === ch('*')) {
      i++;
      const pos = gnu ? readPosition(f, i) : undefined;
      s.precisionArg = pos ? pos.value : -1;
      if (pos) i = pos.next;
    } else {
      const r = readNumber(f, i);
      s.precision = r.value;
      i = r.next;
    }
  }
  const at = (k: number): number => (i + k < f.length ? f[i + k] : -1);
  const b = at(0);
  if (b === ch('h')) {
    s.length = at(1) === ch('h') ? 'hh' : 'h';
  } else if (b === ch('l')) {
    s.length = at(1) === ch('l') ? 'll' : 'l';
  } else if (b === ch('L') || b === ch('j') || b === ch('z') || b === ch('t')) {
    s.length = String.fromCharCode(b) as Length;
  } else if (gnu && (b === ch('q') || b === ch('Z'))) {
    s.length = String.fromCharCode(b) as Length;
  } else if (!gnu && b === ch('w')) {
    s.length = 'w';
  } else if (!gnu && b === ch('I')) {
    if (at(1) === ch('3') && at(2) === ch('2')) s.length = 'I32';
    else if (at(1) === ch('6') && at(2) === ch('4')) s.length = 'I64';
    else s.length = 'I';
  }
  i += s.length.length;
  if (i < f.length && f[i] !== 0) {
    s.conv = f[i];
    i++;
  }
  s.end = i;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Arguments: sequential, or (glibc `%n$`) fetched up front in position order.

type ArgKind = 'int' | 'int64' | 'double' | 'pointer';
type ArgValue = number | bigint;

interface ArgSource {
  int(pos: number): number;
  int64(pos: number): bigint;
  double(pos: number): number;
  pointer(pos: number): bigint;
}

function sequentialArgs(a: PrintfArgs): ArgSource {
  return {
    int: () => a.int32(),
    int64: () => a.int64(),
    double: () => a.double(),
    pointer: () => a.pointer(),
  };
}

function positionalArgs(a: PrintfArgs, kinds: ArgKind[]): ArgSource {
  const values: ArgValue[] = [];
  for (let p = 1; p < kinds.length; p++) {
    const k = kinds[p];
    values[p] = k === 'int' ? a.int32() : k === 'double' ? a.double() : k === 'pointer' ? a.pointer() : a.int64();
  }
  const get = (pos: number): ArgValue => values[pos] ?? 0;
  return {
    int: (pos) => {
      const v = get(pos);
      return typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : v | 0;
    },
    int64: (pos) => {
      const v = get(pos);
      return typeof v === 'bigint' ? BigInt.asIntN(64, v) : BigInt(Math.trunc(v));
    },
    double: (pos) => Number(get(pos)),
    pointer: (pos) => {
      const v = get(pos);
      return typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt.asUintN(64, BigInt(Math.trunc(v)));
    },
  };
}

/** Bits of the integer a conversion reads (8/16 are read as int and narrowed). */
function intBits(len: Length, longBits: 32 | 64): 8 | 16 | 32 | 64 {
  switch (len) {
    case 'hh':
      return 8;
    case 'h':
      return 16;
    case 'l':
      return longBits;
    case 'll':
    case 'L':
    case 'q':
    case 'j':
    case 'z':
    case 'Z':
    case 't':
    case 'I':
    case 'I64':
      return 64;
    default:
      return 32;
  }
}

type ConvClass = 'signed' | 'unsigned' | 'float' | 'char' | 'string' | 'pointer' | 'count' | 'counted-string' | 'percent' | 'errno' | 'unknown';

interface Conversion {
  cls: ConvClass;
  /** wide character/string, or UNICODE_STRING for %Z */
  wide: boolean;
}

/**
 * Whether a length modifier makes %c / %s wide. glibc: any modifier that makes an integer
 * wider than int (l ll L q j z Z t on LP64); MSVC: l, ll and w.
 */
function wideLength(len: Length, gnu: boolean): boolean {
  if (gnu) return len !== '' && len !== 'h' && len !== 'hh';
  return len === 'l' || len === 'll' || len === 'w';
}

function classify(s: Spec, dialect: PrintfDialect): Conversion {
  const c = s.conv;
  const gnu = dialect === 'gnu';
  const narrow: Conversion = { cls: 'unknown', wide: false };
  if (c < 0) return narrow;
  switch (String.fromCharCode(c)) {
    case 'd':
    case 'i':
      return { cls: 'signed', wide: false };
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return { cls: 'unsigned', wide: false };
    case 'b':
    case 'B':
      return { cls: gnu ? 'unsigned' : 'unknown', wide: false };
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
      return { cls: 'float', wide: false };
    case 'c':
      return { cls: 'char', wide: wideLength(s.length, gnu) };
    case 'C':
      return { cls: 'char', wide: gnu || s.length !== 'h' };
    case 's':
      return { cls: 'string', wide: wideLength(s.length, gnu) };
    case 'S':
      return { cls: 'string', wide: gnu || s.length !== 'h' };
    case 'Z':
      return gnu ? narrow : { cls: 'counted-string', wide: s.length === 'l' || s.length === 'w' };
    case 'p':
      return { cls: 'pointer', wide: false };
    case 'n':
      return { cls: 'count', wide: false };
    case '%':
      return { cls: 'percent', wide: false };
    case 'm':
      return { cls: gnu ? 'errno' : 'unknown', wide: false };
    default:
      return narrow;
  }
}

/** The argument a conversion consumes (for positional prefetch). */
function argKind(s: Spec, conv: Conversion, longBits: 32 | 64): ArgKind | undefined {
  switch (conv.cls) {
    case 'signed':
    case 'unsigned':
      return intBits(s.length, longBits) === 64 ? 'int64' : 'int';
    case 'float':
      return 'double';
    case 'char':
      return 'int';
    case 'string':
    case 'pointer':
    case 'count':
    case 'counted-string':
      return 'pointer';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Fields: head (sign, 0x) + body, padded to the width

/** A piece of a field: ASCII text, raw bytes, or a run of zeros. */
type Piece = FloatPiece | Uint8Array;

function pieceLength(p: Piece): number {
  return typeof p === 'string' ? p.length : p instanceof Uint8Array ? p.length : p.zeros;
}

function emitPiece(out: Output, p: Piece): void {
  if (typeof p === 'string') out.ascii(p);
  else if (p instanceof Uint8Array) out.bytes(p);
  else out.fill(0x30, p.zeros);
}

/**
 * Write `head` + `body` padded to `width`: spaces on the left (or right with '-'), or with
 * `zeroPad` zeros between head and body.
 */
function emitField(out: Output, width: number, minus: boolean, zeroPad: boolean, head: string, body: Piece[]): void {
  let len = head.length;
  for (const p of body) len += pieceLength(p);
  const pad = width - len;
  if (!minus && !zeroPad) out.fill(0x20, pad);
  out.ascii(head);
  if (!minus && zeroPad) out.fill(0x30, pad);
  for (const p of body) emitPiece(out, p);
  if (minus) out.fill(0x20, pad);
}

function signText(negative: boolean, s: Spec): string {
  return negative ? '-' : s.plus ? '+' : s.space ? ' ' : '';
}

interface IntValue {
  negative: boolean;
  /** magnitude */
  mag: number | bigint;
}

function readInt(src: ArgSource, pos: number, bits: 8 | 16 | 32 | 64, signed: boolean): IntValue {
  if (bits === 64) {
    const v = src.int64(pos);
    if (signed) {
      const x = BigInt.asIntN(64, v);
      return x < 0n ? { negative: true, mag: -x } : { negative: false, mag: x };
    }
    return { negative: false, mag: BigInt.asUintN(64, v) };
  }
  let v = src.int(pos) | 0;
  if (bits === 8) v = signed ? (v << 24) >> 24 : v & 0xff;
  else if (bits === 16) v = signed ? (v << 16) >> 16 : v & 0xffff;
  else if (!signed) v = v >>> 0;
  return v < 0 ? { negative: true, mag: -v } : { negative: false, mag: v };
}

function radixOf(conv: number): number {
  switch (String.fromCharCode(conv)) {
    case 'o':
      return 8;
    case 'x':
    case 'X':
    case 'p':
      return 16;
    case 'b':
    case 'B':
      return 2;
    default:
      return 10;
  }
}

/** d i u o x X b B (and %p): precision, '#' prefixes, sign, zero padding. */
function emitInteger(out: Output, s: Spec, conv: number, v: IntValue, signed: boolean, forceHex = false): void {
  const radix = radixOf(conv);
  const isZero = v.mag === 0 || v.mag === 0n;
  let digits = s.precision === 0 && isZero ? '' : v.mag.toString(radix);
  if (conv === ch('X')) digits = digits.toUpperCase();
  let precZeros = s.precision > digits.length ? s.precision - digits.length : 0;
  let head = signed ? signText(v.negative, s) : '';
  if (s.hash || forceHex) {
    if (conv === ch('o')) {
      if (precZeros === 0 && digits.charCodeAt(0) !== 0x30) precZeros = 1;
    } else if (!isZero && radix === 16) head += conv === ch('X') ? '0X' : '0x';
    else if (!isZero && radix === 2) head += conv === ch('B') ? '0B' : '0b';
  }
  const body: Piece[] = precZeros > 0 ? [{ zeros: precZeros }, digits] : [digits];
  emitField(out, s.width, s.minus, s.zero && s.precision < 0, head, body);
}

// ---------------------------------------------------------------------------------------------
// Wide text → UTF-8

function utf8Of(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/**
 * UTF-16 units → UTF-8 bytes; an unpaired surrogate becomes U+FFFD. `maxUnits` limits the
 * units read (MSVC precision), `maxBytes` the bytes written without splitting a character
 * (C precision). A counted string (UNICODE_STRING) keeps embedded NULs.
 */
function wideToUtf8(units: Uint16Array, maxUnits: number, maxBytes: number, counted = false): Uint8Array {
  const out: number[] = [];
  const n = Math.min(units.length, maxUnits);
  for (let i = 0; i < n; i++) {
    let cp = units[i];
    if (cp === 0 && !counted) break;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n && units[i + 1] >= 0xdc00 && units[i + 1] <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (units[i + 1] - 0xdc00);
      i++;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      cp = 0xfffd;
    }
    const enc = utf8Of(cp);
    if (out.length + enc.length > maxBytes) break;
    for (const b of enc) out.push(b);
  }
  return Uint8Array.from(out);
}

function wideCharBytes(unit: number, dialect: PrintfDialect): Uint8Array {
  // wint_t: 16 bits on Windows; glibc's is 32 bits (only code points are meaningful)
  let cp = dialect === 'msvc' ? unit & 0xffff : unit >>> 0;
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  return Uint8Array.from(utf8Of(cp));
}

const NULL_TEXT = Uint8Array.from([0x28, 0x6e, 0x75, 0x6c, 0x6c, 0x29]); // "(null)"

function limitBytes(b: Uint8Array, precision: number): Uint8Array {
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  if (precision >= 0 && precision < end) end = precision;
  return end === b.length ? b : b.subarray(0, end);
}

// ---------------------------------------------------------------------------------------------

class Stop {
  constructor(
    readonly kind: FormatErrorKind,
    readonly message: string,
    readonly address?: bigint,
  ) {}
}

/** The text of an unknown conversion as glibc prints it back: from the parsed fields, not the source. */
function gnuRespell(s: Spec): string {
  let t = '%';
  if (s.hash) t += '#';
  if (s.quote) t += "'";
  if (s.plus) t += '+';
  else if (s.space) t += ' ';
  if (s.minus) t += '-';
  else if (s.zero) t += '0';
  if (s.i18n) t += 'I';
  if (s.width !== 0) t += String(s.width);
  if (s.precision >= 0) t += '.' + String(s.precision);
  return t;
}

/**
 * Format `format` (the C string's bytes, without the NUL) with `args`. Never throws for a bad
 * format; exceptions from `args` (a MemoryFault from a reader) propagate.
 */
export function formatPrintf(format: Uint8Array, args: PrintfArgs, dialect: PrintfDialect, options: PrintfOptions = {}): FormatResult {
  const longBits = options.longBits ?? 32;
  const out = new Output(Math.max(0, options.maxOutput ?? DEFAULT_MAX_OUTPUT));
  const f = format;
  const gnu = dialect === 'gnu';

  // glibc: if any conversion is positional, all arguments are fetched by position first
  let src: ArgSource | undefined;
  if (gnu && f.includes(ch('$'))) {
    const kinds = positionalKinds(f, longBits);
    if (kinds) src = positionalArgs(args, kinds);
  }
  const source = src ?? sequentialArgs(args);
  let stop: Stop | undefined;

  try {
    let i = 0;
    while (i < f.length) {
      const b = f[i];
      if (b === 0) break;
      if (b !== ch('%')) {
        let j = i + 1;
        while (j < f.length && f[j] !== ch('%') && f[j] !== 0) j++;
        out.copy(f, i, j);
        i = j;
        continue;
      }
      const s = parseSpec(f, i, dialect);
      i = s.end;
      convert(out, f, s, source, args, dialect, longBits);
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stop = e;
  }

  const result: FormatResult = { bytes: out.finish(), length: out.count };
  if (stop) {
    result.error = stop.message;
    result.errorKind = stop.kind;
    if (stop.address !== undefined) result.faultAddress = stop.address;
  } else if (out.count > INT_MAX) {
    result.error = `output of ${out.count} bytes exceeds INT_MAX (printf returns -1, EOVERFLOW)`;
    result.errorKind = 'limit';
  } else if (out.count > result.bytes.length) {
    result.error = `output of ${out.count} bytes truncated to ${result.bytes.length}`;
    result.errorKind = 'limit';
  }
  return result;
}

/** Positions above this read as 0 (glibc's NL_ARGMAX is 4096; nobody gets near either). */
const MAX_POSITION = 1024;

/** Argument kinds by position for a positional format, or undefined if it has none. */
function positionalKinds(f: Uint8Array, longBits: 32 | 64): ArgKind[] | undefined {
  const kinds: ArgKind[] = [];
  let any = false;
  const set = (pos: number, k: ArgKind): void => {
    if (pos > 0 && pos <= MAX_POSITION) kinds[pos] = k;
  };
  for (let i = 0; i < f.length && f[i] !== 0; ) {
    if (f[i] !== ch('%')) {
      i++;
      continue;
    }
    const s = parseSpec(f, i, 'gnu');
    i = s.end;
    // mixing numbered and unnumbered conversions is undefined: the unnumbered ones read 0
    if (s.widthArg > 0) set(s.widthArg, 'int');
    if (s.precisionArg > 0) set(s.precisionArg, 'int');
    if (s.position > 0) {
      any = true;
      const k = argKind(s, classify(s, 'gnu'), longBits);
      if (k) set(s.position, k);
    }
  }
  if (!any) return undefined;
  // gaps (unused positions) still occupy one 8-byte va_list slot each on x64
  for (let p = 1; p < kinds.length; p++) if (kinds[p] === undefined) kinds[p] = 'int64';
  return kinds;
}

function convert(out: Output, f: Uint8Array, s: Spec, src: ArgSource, args: PrintfArgs, dialect: PrintfDialect, longBits: 32 | 64): void {
  const gnu = dialect === 'gnu';
  const pos = s.position;
  if (s.widthArg !== 0) {
    const w = src.int(s.widthArg > 0 ? s.widthArg : pos);
    if (w < 0) {
      s.minus = true;
      s.width = Math.min(-w, INT_MAX + 1);
    } else s.width = w;
  }
  if (s.precisionArg !== 0) {
    const p = src.int(s.precisionArg > 0 ? s.precisionArg : pos);
    s.precision = p < 0 ? -1 : p;
  }
  if (s.minus) s.zero = false;
  const conv = classify(s, dialect);
  const c = s.conv;

  switch (conv.cls) {
    case 'percent':
      out.byte(0x25);
      return;
    case 'signed':
    case 'unsigned': {
      const signed = conv.cls === 'signed';
      emitInteger(out, s, c, readInt(src, pos, intBits(s.length, longBits), signed), signed);
      return;
    }
    case 'float': {
      const x = src.double(pos);
      const field = formatFloat(x, String.fromCharCode(c) as FloatConversion, {
        precision: s.precision < 0 ? undefined : s.precision,
        alt: s.hash,
        style: dialect,
      });
      emitField(out, s.width, s.minus, s.zero && !field.special, signText(field.negative, s) + field.prefix, field.body);
      return;
    }
    case 'char': {
      const v = src.int(pos);
      const body = conv.wide ? wideCharBytes(v, dialect) : Uint8Array.of(v & 0xff);
      emitField(out, s.width, s.minus, !gnu && s.zero, '', [body]);
      return;
    }
    case 'pointer': {
      const p = src.pointer(pos);
      if (!gnu) {
        // the CRT prints %p as %X with precision 2*sizeof(void*); '#' gives 0X
        const ps: Spec = { ...s, precision: 16, plus: false, space: false };
        emitInteger(out, ps, ch('X'), { negative: false, mag: p }, false);
      } else if (p === 0n) {
        emitField(out, s.width, s.minus, false, '', ['(nil)']);
      } else {
        // glibc: %#lx, but the sign flags still apply
        emitInteger(out, s, ch('x'), { negative: false, mag: p }, true, true);
      }
      return;
    }
    case 'string': {
      const p = src.pointer(pos);
      let text: Uint8Array;
      if (p === 0n) {
        // glibc prints nothing rather than a truncated "(null)"; the CRT truncates it
        text = gnu && s.precision >= 0 && s.precision < 6 ? new Uint8Array(0) : limitBytes(NULL_TEXT, s.precision);
      } else if (conv.wide) {
        const units = args.wString(p, s.precision >= 0 ? s.precision : undefined);
        if (units === undefined) throw unreadable(s, p);
        text = gnu ? wideToUtf8(units, Infinity, s.precision >= 0 ? s.precision : Infinity) : wideToUtf8(units, s.precision >= 0 ? s.precision : Infinity, Infinity);
      } else {
        const bytes = args.cString(p, s.precision >= 0 ? s.precision : undefined);
        if (bytes === undefined) throw unreadable(s, p);
        text = limitBytes(bytes, s.precision);
      }
      emitField(out, s.width, s.minus, !gnu && s.zero, '', [text]);
      return;
    }
    case 'counted-string': {
      const p = src.pointer(pos);
      let text: Uint8Array;
      if (p === 0n) text = limitBytes(NULL_TEXT, s.precision);
      else {
        if (!(conv.wide ? args.unicodeString : args.ansiString)) {
          throw new Stop('format', `${specText(s)}: no ${conv.wide ? 'UNICODE_STRING' : 'ANSI_STRING'} reader`);
        }
        const v = conv.wide ? args.unicodeString?.(p) : args.ansiString?.(p);
        if (v === undefined) throw unreadable(s, p);
        if (v === null) text = limitBytes(NULL_TEXT, s.precision);
        else if (v instanceof Uint16Array) text = wideToUtf8(v, s.precision >= 0 ? s.precision : Infinity, Infinity, true);
        else text = s.precision >= 0 && s.precision < v.length ? v.subarray(0, s.precision) : v;
      }
      emitField(out, s.width, s.minus, s.zero, '', [text]);
      return;
    }
    case 'count': {
      const p = src.pointer(pos);
      const bits = s.length === '' || s.length === 'w' ? 32 : intBits(s.length, longBits);
      args.storeCount?.(p, out.count, (bits / 8) as 1 | 2 | 4 | 8);
      return;
    }
    case 'errno': {
      if (args.errnoText) {
        emitField(out, s.width, s.minus, false, '', [limitBytes(args.errnoText(), s.precision)]);
        return;
      }
      break;
    }
    default:
      break;
  }

  // unknown conversion
  if (gnu) {
    if (c < 0) throw new Stop('format', `${specText(s)}: the format ends inside a conversion specification`);
    out.ascii(gnuRespell(s));
    out.byte(c);
  } else {
    out.bytes(f.subarray(s.start, s.end));
  }
}

function specText(s: Spec): string {
  return `conversion at offset ${s.start}`;
}

function unreadable(s: Spec, p: bigint): Stop {
  return new Stop('fault', `${specText(s)}: string at 0x${p.toString(16)} is unreadable`, p);
}

// ---------------------------------------------------------------------------------------------
// Helpers for the callers

/**
 * What the snprintf family stores into a buffer of `size` bytes and returns, given the full
 * output. 'c99' (snprintf, vsnprintf, _snprintf_s-less UCRT snprintf): min(size - 1, length)
 * bytes and a NUL, returns `length` (-1 when the format failed). 'legacy-msvc' (`_snprintf`,
 * `_vsnprintf`, the kernel's): a NUL only if the output is shorter than `size`; returns -1 when
 * it does not fit.
 */
export function toBuffer(result: FormatResult, size: number, mode: 'c99' | 'legacy-msvc'): { write: Uint8Array; returns: number } {
  const failed = result.errorKind === 'format' || result.length > INT_MAX;
  const out = result.bytes;
  if (mode === 'c99') {
    if (size <= 0) return { write: new Uint8Array(0), returns: failed ? -1 : result.length };
    const k = Math.min(size - 1, out.length);
    const write = new Uint8Array(k + 1);
    write.set(out.subarray(0, k));
    return { write, returns: failed ? -1 : result.length };
  }
  if (result.length < size && out.length === result.length) {
    const write = new Uint8Array(out.length + 1);
    write.set(out);
    return { write, returns: failed ? -1 : result.length };
  }
  const k = Math.min(size, out.length);
  return { write: out.slice(0, k), returns: result.length === size && !failed ? result.length : -1 };
}

/** One conversion specification of a format, as `scanFormat` reports it. */
export interface FormatConversion {
  /** byte offset of the '%' */
  offset: number;
  /** the specification as written, e.g. "%-8.3wZ" */
  text: string;
  /** the conversion character ("" if the format ended inside the specification) */
  conversion: string;
  kind: 'integer' | 'float' | 'char' | 'string' | 'pointer' | 'count' | 'percent' | 'other' | 'unknown';
  /** a wide character or string (%lc %C %ls %S %ws %wZ): DbgPrint allows these only at PASSIVE_LEVEL */
  wide: boolean;
}

const KIND_OF_CLASS: Record<ConvClass, FormatConversion['kind']> = {
  signed: 'integer',
  unsigned: 'integer',
  float: 'float',
  char: 'char',
  string: 'string',
  'counted-string': 'string',
  pointer: 'pointer',
  count: 'count',
  percent: 'percent',
  errno: 'other',
  unknown: 'unknown',
};

/**
 * The conversions of a format without formatting it: lets DbgPrint report floating-point
 * conversions (unsupported in the kernel) or wide ones above PASSIVE_LEVEL, and a checker
 * compare conversions with argument types.
 */
export function scanFormat(format: Uint8Array, dialect: PrintfDialect): FormatConversion[] {
  const list: FormatConversion[] = [];
  const f = format;
  for (let i = 0; i < f.length && f[i] !== 0; ) {
    if (f[i] !== ch('%')) {
      i++;
      continue;
    }
    const s = parseSpec(f, i, dialect);
    i = s.end;
    const c = classify(s, dialect);
    list.push({
      offset: s.start,
      text: String.fromCharCode(...f.subarray(s.start, s.end)),
      conversion: s.conv < 0 ? '' : String.fromCharCode(s.conv),
      kind: KIND_OF_CLASS[c.cls],
      wide: c.wide,
    });
  }
  return list;
}
