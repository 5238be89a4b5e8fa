// Lexer: source text → preprocessing tokens (C99 6.4); also re-exports the literal decoders
// (literal.ts) the parser and the #if evaluator share. Like chibicc's tokenize.c: one pass
// with charCodeAt, no regexes on the hot path. Line splices (backslash-newline) are removed
// up front and remembered, so the scanner never sees them and positions still point at the
// physical line and column.

import { DiagnosticBag } from './diagnostics';
import { type SourceFile, type Token, TokenKind } from './token';

export {
  type CharLiteral,
  decodeCharLiteral,
  decodeStringLiteral,
  type FloatLiteral,
  type IntegerLiteral,
  type IntegerSize,
  isFloatLiteral,
  type LiteralPrefix,
  parseFloatLiteral,
  parseIntegerLiteral,
  type StringLiteral,
} from './literal';

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
  private readonly tokens: Token[];
  private count = 0;

  constructor(
    private readonly file: SourceFile,
    private readonly diags: DiagnosticBag,
    private readonly defer: boolean,
  ) {
    const spliced = removeSplices(file.text);
    this.src = spliced ? spliced.text : file.text;
    this.splices = spliced ? spliced.splices : [];
    // Pre-size the result: growing a multi-megabyte array step by step costs more than the lexing.
    this.tokens = new Array<Token>(Math.ceil(this.src.length / 4) + 1);
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
    this.tokens.length = this.count;
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
    this.tokens[this.count++] = {
      kind,
      text,
      file: this.file,
      line: this.line,
      col: start - this.lineStart + 1,
      hasSpace: this.hasSpace,
      atBol: this.atBol,
      expansion: undefined,
      hideset: undefined,
    };
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

  // comment = "/*" ... "*/". Newlines inside don't end a line: a directive goes on after it,
  // and a token after it is at line start only if the comment was (as gcc does).
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
