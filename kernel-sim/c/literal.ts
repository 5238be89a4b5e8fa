// Literal decoders shared by the parser and the #if evaluator: integer, floating, character
// and string constants (C99 6.4.4, 6.4.5) with the MSVC and GNU extensions drivers use.

const BACKSLASH = 92;

export type IntegerSize = 'int' | 'long' | 'long long';

export interface IntegerLiteral {
  value: bigint;
  unsigned: boolean;
  /** Size named by the suffix (none → int; the parser widens per C99 6.4.4.1 for LLP64). */
  size: IntegerSize;
  radix: number;
  /** MSVC sized suffix i8/i16/i32/i64 (ui64 …): the exact width asked for. */
  msvcBits?: 8 | 16 | 32 | 64;
}

/** True for pp-numbers that are floating constants (a `.`, a decimal exponent, or a hex `p`). */
export function isFloatLiteral(text: string): boolean {
  const hex = text.length > 1 && text[0] === '0' && (text[1] === 'x' || text[1] === 'X');
  for (let i = hex ? 2 : 0; i < text.length; i++) {
    const c = text[i];
    if (c === '.') return true;
    if (hex ? c === 'p' || c === 'P' : c === 'e' || c === 'E') return true;
  }
  return false;
}

/** integer-constant = (decimal | 0 octal | 0x hex | 0b binary) suffix? */
export function parseIntegerLiteral(text: string): IntegerLiteral | { error: string } {
  let radix = 10;
  let i = 0;
  if (text[0] === '0' && (text[1] === 'x' || text[1] === 'X')) {
    radix = 16;
    i = 2;
  } else if (text[0] === '0' && (text[1] === 'b' || text[1] === 'B')) {
    radix = 2;
    i = 2;
  } else if (text[0] === '0') {
    radix = 8;
  }
  const start = i;
  while (i < text.length && isDigitIn(text.charCodeAt(i), radix === 8 ? 10 : radix)) i++;
  const digits = text.slice(start, i);
  const suffix = parseIntegerSuffix(text.slice(i));
  if (digits === '' || suffix === undefined) {
    return { error: `invalid suffix "${text.slice(digits === '' ? start - 1 : i)}" on integer constant` };
  }
  if (radix === 8) {
    const bad = /[89]/.exec(digits);
    if (bad) return { error: `invalid digit "${bad[0]}" in octal constant` };
  }
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  const value = BigInt(prefix + digits);
  if (value >= 1n << 64n) return { error: 'integer constant is too large for its type' };
  return { value, radix, ...suffix };
}

function isDigitIn(c: number, radix: number): boolean {
  if (c >= 48 && c <= 57) return c - 48 < radix;
  const l = c | 32;
  return radix === 16 && l >= 97 && l <= 102;
}

// suffix = u? (l | ll)? | (l | ll) u | u? i(8|16|32|64)   (ll must not mix cases)
function parseIntegerSuffix(s: string): { unsigned: boolean; size: IntegerSize; msvcBits?: 8 | 16 | 32 | 64 } | undefined {
  let unsigned = false;
  let i = 0;
  if (s[i] === 'u' || s[i] === 'U') {
    unsigned = true;
    i++;
  }
  const rest = s.slice(i);
  if (rest[0] === 'i' || rest[0] === 'I') {
    const bits = rest.slice(1);
    if (bits === '8' || bits === '16' || bits === '32') return { unsigned, size: 'int', msvcBits: Number(bits) as 8 | 16 | 32 };
    if (bits === '64') return { unsigned, size: 'long long', msvcBits: 64 };
    return undefined;
  }
  let size: IntegerSize = 'int';
  let j = 0;
  if (rest.startsWith('ll') || rest.startsWith('LL')) {
    size = 'long long';
    j = 2;
  } else if (rest[0] === 'l' || rest[0] === 'L') {
    size = 'long';
    j = 1;
  }
  if (!unsigned && (rest[j] === 'u' || rest[j] === 'U')) {
    unsigned = true;
    j++;
  }
  return j === rest.length ? { unsigned, size } : undefined;
}

export interface FloatLiteral {
  value: number;
  kind: 'float' | 'double' | 'long double';
}

/** floating-constant (decimal or hex); float values are rounded to single precision. */
export function parseFloatLiteral(text: string): FloatLiteral | { error: string } {
  let body = text;
  let kind: FloatLiteral['kind'] = 'double';
  const last = text[text.length - 1];
  const hex = text[0] === '0' && (text[1] === 'x' || text[1] === 'X');
  if (last === 'f' || last === 'F') {
    if (!hex || /[pP][+-]?\d+[fF]$/.test(text)) {
      kind = 'float';
      body = text.slice(0, -1);
    }
  } else if (last === 'l' || last === 'L') {
    kind = 'long double';
    body = text.slice(0, -1);
  }
  const value = hex ? parseHexFloat(body.slice(2)) : parseDecimalFloat(body);
  if (value === undefined) return { error: `invalid floating constant "${text}"` };
  return { value: kind === 'float' ? Math.fround(value) : value, kind };
}

function parseDecimalFloat(s: string): number | undefined {
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

// hex-float = hex-digits ("." hex-digits?)? | "." hex-digits, then "p" sign? digits (required)
function parseHexFloat(s: string): number | undefined {
  const m = /^([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (!m || m[1] + (m[2] ?? '') === '') return undefined;
  const frac = m[2] ?? '';
  const mantissa = BigInt('0x' + m[1] + frac);
  let exp = Number(m[3]) - 4 * frac.length;
  // Scale in steps so huge exponents neither overflow nor underflow too early.
  let v = Number(mantissa);
  while (exp > 0 && Number.isFinite(v)) {
    const k = Math.min(exp, 1000);
    v *= 2 ** k;
    exp -= k;
  }
  while (exp < 0 && v !== 0) {
    const k = Math.min(-exp, 1000);
    v /= 2 ** k;
    exp += k;
  }
  return v;
}

export type LiteralPrefix = '' | 'L' | 'u' | 'U' | 'u8';

function literalPrefix(text: string): LiteralPrefix {
  if (text.startsWith('u8')) return 'u8';
  const c = text[0];
  return c === 'L' || c === 'u' || c === 'U' ? c : '';
}

function unitBitsOf(prefix: LiteralPrefix): 8 | 16 | 32 {
  return prefix === 'L' || prefix === 'u' ? 16 : prefix === 'U' ? 32 : 8;
}

export interface CharLiteral {
  /** The value as an int: plain char sign-extends ('\xff' is -1); L'x' is an unsigned 16-bit wchar_t. */
  value: number;
  wide: boolean;
  prefix: LiteralPrefix;
  /** Code units between the quotes (wide constants: more than one is ignored with a warning). */
  units?: number;
}

/**
 * character-constant. Multi-character constants pack bytes big-endian into an int as MSVC
 * and gcc do ('tPnI' == 0x74506E49; more than 4 chars keep the last 4). For wide ones the
 * first character counts, as MSVC does (warning C4066); `units` tells the parser to warn.
 */
export function decodeCharLiteral(text: string): CharLiteral | { error: string } {
  const prefix = literalPrefix(text);
  const open = prefix.length;
  if (text[open] !== "'" || text.length < open + 2 || text[text.length - 1] !== "'") {
    return { error: "missing terminating ' character" };
  }
  const bits = unitBitsOf(prefix);
  const units: number[] = [];
  const err = decodeBody(text.slice(open + 1, -1), bits, units);
  if (err) return { error: err };
  if (units.length === 0) return { error: 'empty character constant' };
  if (prefix === '') {
    if (units.length === 1) return { value: units[0] >= 0x80 ? units[0] - 0x100 : units[0], wide: false, prefix };
    let v = 0;
    for (const u of units) v = ((v << 8) | u) >>> 0;
    return { value: v | 0, wide: false, prefix };
  }
  const first = units[0];
  return { value: bits === 32 ? first >>> 0 : first, wide: prefix !== 'u8', prefix, units: units.length };
}

export interface StringLiteral {
  /** Code units, no terminator: bytes for "" and u8"", UTF-16 units for L"" and u"", code points for U"". */
  bytes: number[];
  /** True for L"", u"" and U"" (code units wider than a byte). */
  wide: boolean;
  charSize: 1 | 2 | 4;
  prefix: LiteralPrefix;
}

/**
 * string-literal (one token; the parser concatenates adjacent ones). Encoding of source
 * characters in narrow strings: a code point ≤ 0xFF is one byte (so a Latin-1-decoded file
 * keeps its bytes), anything above is UTF-8. \u and \U escapes are UTF-8 in narrow strings,
 * UTF-16 in L"" and u"", UTF-32 in U"".
 */
export function decodeStringLiteral(text: string): StringLiteral | { error: string } {
  const prefix = literalPrefix(text);
  const open = prefix.length;
  if (text[open] !== '"' || text.length < open + 2 || text[text.length - 1] !== '"') {
    return { error: 'missing terminating " character' };
  }
  const bits = unitBitsOf(prefix);
  const bytes: number[] = [];
  const err = decodeBody(text.slice(open + 1, -1), bits, bytes, prefix === 'u8');
  if (err) return { error: err };
  return { bytes, wide: bits !== 8, charSize: (bits / 8) as 1 | 2 | 4, prefix };
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10, t: 9, '\\': 92, "'": 39, '"': 34, '?': 63, a: 7, b: 8, f: 12, r: 13, v: 11, e: 27, E: 27,
};

// Append the code units of a literal body (text between the quotes); returns an error message.
// u8"" is always UTF-8; plain "" keeps code points <= 0xFF as single bytes (Latin-1 sources).
function decodeBody(body: string, bits: 8 | 16 | 32, out: number[], utf8 = false): string | undefined {
  const max = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  for (let i = 0; i < body.length; ) {
    const c = body.charCodeAt(i);
    if (c !== BACKSLASH) {
      const cp = body.codePointAt(i) ?? c;
      i += cp > 0xffff ? 2 : 1;
      if (bits === 8 && cp <= 0xff && !utf8) out.push(cp);
      else encodeCodePoint(cp, bits, out);
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return 'missing character after \\';
    i += 2;
    if (e in SIMPLE_ESCAPES) {
      out.push(SIMPLE_ESCAPES[e]);
    } else if (e >= '0' && e <= '7') {
      let v = e.charCodeAt(0) - 48;
      for (let k = 0; k < 2 && body[i] >= '0' && body[i] <= '7'; k++) v = v * 8 + body.charCodeAt(i++) - 48;
      if (v > max) return 'octal escape sequence out of range';
      out.push(v);
    } else if (e === 'x') {
      const start = i;
      let v = 0;
      while (i < body.length && isDigitIn(body.charCodeAt(i), 16)) {
        v = v * 16 + parseInt(body[i++], 16);
        if (v > max) return 'hex escape sequence out of range';
      }
      if (i === start) return '\\x used with no following hex digits';
      out.push(v);
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) return 'incomplete universal character name';
      i += len;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return `\\${e}${hex} is not a valid universal character`;
      encodeCodePoint(cp, bits, out);
    } else {
      // Unknown escape: gcc warns and keeps the character.
      const cp = body.codePointAt(i - 1) ?? 0;
      if (cp > 0xffff) i++;
      if (bits === 8 && cp <= 0xff) out.push(cp);
      else encodeCodePoint(cp, bits, out);
    }
  }
  return undefined;
}

function encodeCodePoint(cp: number, bits: 8 | 16 | 32, out: number[]): void {
  if (bits === 32) {
    out.push(cp);
  } else if (bits === 16) {
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      out.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else {
      out.push(cp);
    }
  } else if (cp < 0x80) {
    out.push(cp);
  } else if (cp < 0x800) {
    out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  } else {
    out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
}
