// Lexer: source text → preprocessing tokens (C99 §6.4), plus the literal decoders the parser
// and the #if evaluator share. Like chibicc's tokenize.c: one pass with charCodeAt, no regexes
// on the hot path. Line splices (backslash-newline) are removed up front and remembered, so
// the scanner never sees them and positions still point at the physical line and column.

import { DiagnosticBag } from './diagnostics';
import { type SourceFile, type Token, TokenKind } from './token';

export interface LexOptions {
  /**
   * Don't report unterminated ' and " literals: they become Other tokens and the preprocessor
   * reports them only if they survive into live code (gcc is silent about them in `#if 0`).
   */
  deferLiteralErrors?: boolean;
}

// Character classes for ASCII.
const IDENT = 1; // letter, digit, _ or $
const DIGIT = 2;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_$]/.test(ch)) CLASS[c] = IDENT;
  if (/[0-9]/.test(ch)) CLASS[c] = IDENT | DIGIT;
}

const LF = 10;
const CR = 13;
const BACKSLASH = 92;

/** Tokenize a whole file; the result ends with an EOF token. Never throws. */
export function tokenize(file: SourceFile, diags: DiagnosticBag, opts: LexOptions = {}): Token[] {
  return new Lexer(file, diags, opts.deferLiteralErrors === true).run();
}

/** A file's text with line splices removed, and where they were (offsets in the new text). */
function removeSplices(text: string): { text: string; splices: number[] } | undefined {
  let i = text.indexOf('\\');
  if (i < 0) return undefined;
  const pieces: string[] = [];
  const splices: number[] = [];
  let last = 0;
  let outLen = 0;
  while (i >= 0) {
    // gcc also splices when blanks separate the backslash from the newline.
    let j = i + 1;
    let c = text.charCodeAt(j);
    while (c === 32 || c === 9) c = text.charCodeAt(++j);
    if (c === LF || c === CR) {
      const end = j + (c === CR && text.charCodeAt(j + 1) === LF ? 2 : 1);
      pieces.push(text.slice(last, i));
      outLen += i - last;
      splices.push(outLen);
      last = end;
      i = text.indexOf('\\', end);
    } else {
      i = text.indexOf('\\', i + 1);
    }
  }
  if (splices.length === 0) return undefined;
  pieces.push(text.slice(last));
  return { text: pieces.join(''), splices };
}

class Lexer {
  private readonly src: string;
  private readonly splices: number[];
  private nextSplice = 0;
  private line = 1;
  private lineStart = 0; // offset (in src) of the first character of the current physical line
  private hasSpace = false;
  private atBol = true;
  /** 1 after `#` at line start, 2 after `# include`: a following `<...>` is a header name. */
  private dirState = 0;
  private readonly tokens: Token[] = [];

  constructor(
    private readonly file: SourceFile,
    private readonly diags: DiagnosticBag,
    private readonly defer: boolean,
  ) {
    const spliced = removeSplices(file.text);
    this.src = spliced ? spliced.text : file.text;
    this.splices = spliced ? spliced.splices : [];
  }

  run(): Token[] {
    const s = this.src;
    const n = s.length;
    let p = 0;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 9 || c === 11 || c === 12) {
        p++;
        this.hasSpace = true;
        continue;
      }
      if (c === LF || c === CR) {
        p += c === CR && s.charCodeAt(p + 1) === LF ? 2 : 1;
        this.newline(p);
        continue;
      }
      if (this.nextSplice < this.splices.length) this.syncSplices(p);
      if (c === 47 /* / */) {
        const d = s.charCodeAt(p + 1);
        if (d === 47) {
          p = this.lineComment(p);
          continue;
        }
        if (d === 42) {
          p = this.blockComment(p);
          continue;
        }
      }
      p = this.token(p, c);
    }
    this.syncSplices(n);
    this.atBol = true;
    this.push(TokenKind.EOF, '', n);
    return this.tokens;
  }

  private newline(next: number): void {
    this.line++;
    this.lineStart = next;
    this.atBol = true;
    this.hasSpace = false;
  }

  // A splice at or before `p` moves the physical position to the next line.
  private syncSplices(p: number): void {
    const sp = this.splices;
    while (this.nextSplice < sp.length && sp[this.nextSplice] <= p) {
      const at = sp[this.nextSplice++];
      this.line++;
      if (at > this.lineStart) this.lineStart = at;
    }
  }

  private push(kind: TokenKind, text: string, start: number): void {
    this.tokens.push({
      kind,
      text,
      file: this.file,
      line: this.line,
      col: start - this.lineStart + 1,
      hasSpace: this.hasSpace,
      atBol: this.atBol,
      expansion: undefined,
      hideset: undefined,
    });
    this.hasSpace = false;
    this.atBol = false;
    this.dirState = 0;
  }

  // comment = "//" ... newline  (a splice continues it: already joined)
  private lineComment(p: number): number {
    const s = this.src;
    let q = p + 2;
    for (;;) {
      const c = s.charCodeAt(q);
      if (c === LF || c === CR || q >= s.length) break;
      q++;
    }
    this.hasSpace = true;
    return q;
  }

  // comment = "/*" ... "*/". gcc treats a newline inside it as a line start for directives.
  private blockComment(p: number): number {
    const s = this.src;
    const end = s.indexOf('*/', p + 2);
    if (end < 0) {
      this.diags.at('error', { file: this.file, line: this.line, col: p - this.lineStart + 1 }, 'unterminated comment');
      this.countNewlines(p + 2, s.length);
      return s.length;
    }
    this.countNewlines(p + 2, end);
    this.hasSpace = true;
    return end + 2;
  }

  private countNewlines(from: number, to: number): void {
    const s = this.src;
    for (let q = from; q < to; q++) {
      const c = s.charCodeAt(q);
      if (c === LF || c === CR) {
        if (c === CR && s.charCodeAt(q + 1) === LF) q++;
        if (this.nextSplice < this.splices.length) this.syncSplices(q);
        this.line++;
        this.lineStart = q + 1;
        this.atBol = true;
      }
    }
  }

  // token = identifier | pp-number | character-constant | string-literal | punctuator | other
  private token(p: number, c: number): number {
    if (c < 128) {
      const cls = CLASS[c];
      if (cls & DIGIT) return this.number(p);
      if (cls & IDENT) return this.identifier(p, c);
      if (c === 34 || c === 39) return this.quoted(p, p, c);
      if (c === 46 /* . */ && (CLASS[this.src.charCodeAt(p + 1)] & DIGIT) !== 0) return this.number(p);
      if (c === 60 /* < */ && this.dirState === 2) {
        const q = this.headerName(p);
        if (q > 0) return q;
      }
      const q = this.punct(p, c);
      if (q > 0) return q;
    }
    return this.other(p, c);
  }

  // identifier = [A-Za-z_$] [A-Za-z0-9_$]*, or the prefix of L'x' u"x" U'x' u8"x"
  private identifier(p: number, c: number): number {
    const s = this.src;
    if (c === 76 /* L */ || c === 117 /* u */ || c === 85 /* U */) {
      const d = s.charCodeAt(p + 1);
      if (d === 34 || d === 39) return this.quoted(p, p + 1, d);
      if (c === 117 && d === 56 /* 8 */) {
        const e = s.charCodeAt(p + 2);
        if (e === 34 || e === 39) return this.quoted(p, p + 2, e);
      }
    }
    let q = p + 1;
    for (;;) {
      const d = s.charCodeAt(q);
      if (d < 128 && (CLASS[d] & IDENT) !== 0) q++;
      else break;
    }
    const text = s.slice(p, q);
    const wasHash = this.dirState === 1;
    this.push(TokenKind.Identifier, text, p);
    if (wasHash && (text === 'include' || text === 'include_next' || text === 'import')) this.dirState = 2;
    return q;
  }

  // pp-number = "."? digit (digit | identifier-nondigit | [eEpP][+-] | ".")*
  private number(p: number): number {
    const s = this.src;
    let q = p + 1;
    for (;;) {
      const d = s.charCodeAt(q);
      if (d === 46) {
        q++;
        continue;
      }
      if (d >= 128 || (CLASS[d] & IDENT) === 0) break;
      q++;
      const l = d | 32;
      if (l === 101 /* e */ || l === 112 /* p */) {
        const sign = s.charCodeAt(q);
        if (sign === 43 || sign === 45) q++;
      }
    }
    this.push(TokenKind.Number, s.slice(p, q), p);
    return q;
  }

  // character-constant / string-literal: prefix? quote (char | escape)* quote
  private quoted(p: number, open: number, quote: number): number {
    const s = this.src;
    let q = open + 1;
    for (;;) {
      const c = s.charCodeAt(q);
      if (c === quote) {
        q++;
        this.push(quote === 39 ? TokenKind.Char : TokenKind.String, s.slice(p, q), p);
        return q;
      }
      if (c === LF || c === CR || q >= s.length) break;
      q += c === BACKSLASH && s.charCodeAt(q + 1) !== LF && s.charCodeAt(q + 1) !== CR ? 2 : 1;
    }
    // Unterminated: as gcc, the rest of the line becomes one stray token.
    if (q > s.length) q = s.length;
    if (!this.defer) {
      const pos = { file: this.file, line: this.line, col: p - this.lineStart + 1 };
      this.diags.at('error', pos, `missing terminating ${quote === 39 ? "'" : '"'} character`);
    }
    this.push(TokenKind.Other, s.slice(p, q), p);
    return q;
  }

  // header-name = "<" [^>\n]+ ">"  (only right after `#include`)
  private headerName(p: number): number {
    const s = this.src;
    for (let q = p + 1; q < s.length; q++) {
      const c = s.charCodeAt(q);
      if (c === 62) {
        this.push(TokenKind.String, s.slice(p, q + 1), p);
        return q + 1;
      }
      if (c === LF || c === CR) break;
    }
    return 0;
  }

  // A byte the grammar has no use for; non-ASCII code points stay whole (surrogate pairs).
  private other(p: number, c: number): number {
    let q = p + 1;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.src.charCodeAt(q);
      if (d >= 0xdc00 && d <= 0xdfff) q++;
    }
    this.push(TokenKind.Other, this.src.slice(p, q), p);
    return q;
  }

  private punct(p: number, c: number): number {
    const s = this.src;
    const c1 = s.charCodeAt(p + 1);
    let text: string;
    switch (c) {
      case 40: text = '('; break;
      case 41: text = ')'; break;
      case 44: text = ','; break;
      case 59: text = ';'; break;
      case 91: text = '['; break;
      case 93: text = ']'; break;
      case 123: text = '{'; break;
      case 125: text = '}'; break;
      case 126: text = '~'; break;
      case 63: text = '?'; break;
      case 58: text = c1 === 62 ? ']' : ':'; break; // :> is ]
      case 46: text = c1 === 46 && s.charCodeAt(p + 2) === 46 ? '...' : '.'; break;
      case 45: text = c1 === 62 ? '->' : c1 === 45 ? '--' : c1 === 61 ? '-=' : '-'; break;
      case 43: text = c1 === 43 ? '++' : c1 === 61 ? '+=' : '+'; break;
      case 38: text = c1 === 38 ? '&&' : c1 === 61 ? '&=' : '&'; break;
      case 124: text = c1 === 124 ? '||' : c1 === 61 ? '|=' : '|'; break;
      case 42: text = c1 === 61 ? '*=' : '*'; break;
      case 47: text = c1 === 61 ? '/=' : '/'; break;
      case 94: text = c1 === 61 ? '^=' : '^'; break;
      case 33: text = c1 === 61 ? '!=' : '!'; break;
      case 61: text = c1 === 61 ? '==' : '='; break;
      case 35: text = c1 === 35 ? '##' : '#'; break;
      case 37: return this.percent(p, c1);
      case 60: return this.less(p, c1);
      case 62: text = c1 === 62 ? (s.charCodeAt(p + 2) === 61 ? '>>=' : '>>') : c1 === 61 ? '>=' : '>'; break;
      default: return 0;
    }
    return this.pushPunct(text, p, c === 58 && c1 === 62 ? 2 : text.length);
  }

  // "%" | "%=" | "%>" (}) | "%:" (#) | "%:%:" (##)
  private percent(p: number, c1: number): number {
    const s = this.src;
    if (c1 === 61) return this.pushPunct('%=', p, 2);
    if (c1 === 62) return this.pushPunct('}', p, 2);
    if (c1 === 58) {
      if (s.charCodeAt(p + 2) === 37 && s.charCodeAt(p + 3) === 58) return this.pushPunct('##', p, 4);
      return this.pushPunct('#', p, 2);
    }
    return this.pushPunct('%', p, 1);
  }

  // "<" | "<=" | "<<" | "<<=" | "<:" ([) | "<%" ({)
  private less(p: number, c1: number): number {
    if (c1 === 61) return this.pushPunct('<=', p, 2);
    if (c1 === 60) return this.src.charCodeAt(p + 2) === 61 ? this.pushPunct('<<=', p, 3) : this.pushPunct('<<', p, 2);
    if (c1 === 58) return this.pushPunct('[', p, 2);
    if (c1 === 37) return this.pushPunct('{', p, 2);
    return this.pushPunct('<', p, 1);
  }

  private pushPunct(text: string, p: number, len: number): number {
    const bol = this.atBol;
    this.push(TokenKind.Punct, text, p);
    if (bol && text === '#') this.dirState = 1;
    return p + len;
  }
}

// ---------------------------------------------------------------------------------------------
// Single-token helpers for the preprocessor (## pasting) and the -E printer (spacing).

const scratchFile: SourceFile = { path: '<scratch>', text: '', system: false };

/** The kind of `text` if it is exactly one valid preprocessing token, else undefined. */
export function lexSingle(text: string): TokenKind | undefined {
  const toks = new Lexer({ ...scratchFile, text }, new DiagnosticBag(), true).run();
  if (toks.length !== 2) return undefined;
  const t = toks[0];
  if (t.text !== text || t.hasSpace) return undefined;
  if (t.kind === TokenKind.Other && isUnterminatedLiteral(t.text)) return undefined;
  return t.kind;
}

/** True when printing `b` right after `a` would lex differently (the -E printer adds a space). */
export function wouldPaste(a: Token, b: Token): boolean {
  if (NEVER_PASTES.has(a.text) || NEVER_PASTES.has(b.text)) return false;
  const toks = new Lexer({ ...scratchFile, text: a.text + b.text }, new DiagnosticBag(), true).run();
  return toks.length !== 3 || toks[0].text !== a.text;
}
const NEVER_PASTES = new Set(['(', ')', ',', ';', '[', ']', '{', '}', '~', '?']);

/** An Other token the lexer made from a ' or " literal missing its closing quote. */
export function isUnterminatedLiteral(text: string): boolean {
  let i = 0;
  if (text.startsWith('u8')) i = 2;
  else if (text[0] === 'L' || text[0] === 'u' || text[0] === 'U') i = 1;
  const q = text[i];
  return q === "'" || q === '"';
}

// ---------------------------------------------------------------------------------------------
// Literal decoders.

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
    return { error: `invalid suffix "${text.slice(digits === '' ? start : i)}" on integer constant` };
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
}

/**
 * character-constant. Multi-character constants pack bytes big-endian into an int as MSVC
 * and gcc do ('tPnI' == 0x74506E49; more than 4 chars keep the last 4). For wide ones the
 * last character counts (gcc's rule for an over-long wide constant).
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
  const last = units[units.length - 1];
  return { value: bits === 32 ? last | 0 : last, wide: prefix !== 'u8', prefix };
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
  const err = decodeBody(text.slice(open + 1, -1), bits, bytes);
  if (err) return { error: err };
  return { bytes, wide: bits !== 8, charSize: (bits / 8) as 1 | 2 | 4, prefix };
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10, t: 9, '\\': 92, "'": 39, '"': 34, '?': 63, a: 7, b: 8, f: 12, r: 13, v: 11, e: 27, E: 27,
};

// Append the code units of a literal body (text between the quotes); returns an error message.
function decodeBody(body: string, bits: 8 | 16 | 32, out: number[]): string | undefined {
  const max = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  for (let i = 0; i < body.length; ) {
    const c = body.charCodeAt(i);
    if (c !== BACKSLASH) {
      const cp = body.codePointAt(i) ?? c;
      i += cp > 0xffff ? 2 : 1;
      if (bits === 8 && cp <= 0xff) out.push(cp);
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
