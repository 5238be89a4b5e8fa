// Preprocessor (C99 6.10): directives, conditional inclusion, #include through the FileHost and
// the simulated headers, and macro expansion (pp-macro.ts) into one token stream. Shaped like
// chibicc's preprocess.c, but iterative: files are token arrays with a read position, and
// macro results go on a push-back stack, so deep nesting never deepens the JS stack.

import type { DiagnosticBag } from './diagnostics';
import type { FileHost, SimulatedHeaders } from './host';
import { isUnterminatedLiteral, tokenize, wouldPaste } from './lexer';
import { normalize } from './path';
import { makeMacro, parseDefinition, sameMacro } from './pp-define';
import { evaluateCondition } from './pp-expr';
import { guardOf, IncludeFiles, type Loaded } from './pp-include';
import { type Macro, MacroExpander, type TokenReader } from './pp-macro';
import { type SourceFile, type SourcePos, type Token, TokenKind, userPos } from './token';

export interface PreprocessOptions {
  host: FileHost;
  simulatedHeaders: SimulatedHeaders;
  /** -I directories, searched in order (after the simulated headers for <...>). */
  includePaths: string[];
  /** -D NAME[=VALUE]; an undefined value means "1". */
  defines?: Array<[string, string | undefined]>;
  /** -U NAME (applied after the defines). */
  undefines?: string[];
  maxIncludeDepth?: number;
  /** Runaway-expansion guard: tokens produced by macro expansion per translation unit. */
  maxExpansionTokens?: number;
}

/** A #pragma, _Pragma("...") or __pragma(...) (except `once`), removed from the token stream. */
export interface PragmaRecord {
  file: SourceFile;
  line: number;
  col: number;
  /** The pragma's tokens, without `#pragma` / the operator. */
  tokens: Token[];
  /** Number of output tokens before it: where in `tokens` of the result it took effect. */
  tokenIndex: number;
}

export interface PreprocessResult {
  /** The expanded token stream; ends with EOF. */
  tokens: Token[];
  /** Every file read (main file, includes, simulated headers), in first-read order. */
  files: SourceFile[];
  pragmas: PragmaRecord[];
  /** The macros defined at the end of the translation unit. */
  macros: ReadonlyMap<string, Macro>;
}

/** Preprocess the file at `mainPath` (read through opts.host). */
export function preprocess(mainPath: string, opts: PreprocessOptions, diags: DiagnosticBag): PreprocessResult {
  const pp = new Preprocessor(opts, diags);
  const path = normalize(mainPath);
  const main = pp.inc.load(path);
  if (main === undefined) {
    diags.at('error', { file: { path, text: '', system: false }, line: 1, col: 1 }, `'${mainPath}' file not found`);
    return pp.result();
  }
  return pp.run(main);
}

/** Preprocess a main file already held in memory (an editor buffer); includes use opts.host. */
export function preprocessSource(file: SourceFile, opts: PreprocessOptions, diags: DiagnosticBag): PreprocessResult {
  const pp = new Preprocessor(opts, diags);
  return pp.run(pp.inc.adopt(file));
}

/**
 * Lay tokens out as gcc -E would, modulo whitespace: a newline before a token at line start,
 * a space where the source had one, and a space wherever two tokens would otherwise fuse.
 */
export function tokensToText(tokens: readonly Token[]): string {
  const parts: string[] = [];
  let prev: Token | undefined;
  for (const t of tokens) {
    if (t.kind === TokenKind.EOF) break;
    if (prev !== undefined) {
      if (t.atBol) parts.push('\n');
      else if (t.hasSpace || (mayFuse(prev, t) && wouldPaste(prev, t))) parts.push(' ');
    }
    parts.push(t.text);
    prev = t;
  }
  if (parts.length > 0) parts.push('\n');
  return parts.join('');
}

function mayFuse(a: Token, b: Token): boolean {
  const word = (t: Token) => t.kind === TokenKind.Identifier || t.kind === TokenKind.Number;
  if (word(a)) return b.kind !== TokenKind.Punct || a.kind === TokenKind.Number;
  if (a.kind === TokenKind.Punct) return b.kind === TokenKind.Punct || (a.text === '.' && b.kind === TokenKind.Number);
  return a.kind === TokenKind.Other;
}

// gcc's defaults are the standard ones; the rest describe MSVC targeting x64 kernel mode.
const PREDEFINED = `
#define __STDC__ 1
#define __STDC_VERSION__ 199901L
#define __STDC_HOSTED__ 1
#define _WIN32 1
#define _WIN64 1
#define _AMD64_ 1
#define _M_AMD64 100
#define _M_X64 100
#define _MSC_VER 1938
#define _MSC_EXTENSIONS 1
#define _INTEGRAL_MAX_BITS 64
#define __KDSIM__ 1
#define _KERNEL_MODE 1
`;
// Fixed so runs are deterministic.
const DATE = '"Jan  1 2025"';
const TIME = '"00:00:00"';
const MAX_INCLUDES = 200_000;

/** An open #if group: which directive opened it (for messages) and whether a branch was taken. */
interface Cond {
  name: string;
  readonly tok: Token;
  taken: boolean;
  sawElse: boolean;
}

interface Frame {
  readonly real: SourceFile;
  /** The file as #line presents it (same object as `real` until a #line names a file). */
  file: SourceFile;
  lineDelta: number;
  readonly tokens: Token[];
  pos: number;
  readonly conds: Cond[];
  /** Index in the <...> search chain (0 = simulated headers, k = includePaths[k-1]); -1 otherwise. */
  readonly chainIndex: number;
}

class Preprocessor implements TokenReader {
  private readonly exp: MacroExpander;
  private readonly frames: Frame[] = [];
  private cur: Frame | undefined;
  private readonly pushback: Token[] = [];
  /** Output tokens; pre-sized (growing a huge array step by step is slow), `outLen` used. */
  private out: Token[] = [];
  private outLen = 0;
  private readonly pragmas: PragmaRecord[] = [];
  readonly inc: IncludeFiles;
  private readonly once = new Set<string>();
  private readonly pushedMacros = new Map<string, (Macro | undefined)[]>();
  private readonly maxDepth: number;
  private eof: Token | undefined;
  private inArgs = false;
  private counter = 0;
  private includes = 0;
  private pragmaOp: { tok: Token; toks: Token[]; depth: number } | undefined;

  constructor(
    private readonly opts: PreprocessOptions,
    private readonly diags: DiagnosticBag,
  ) {
    this.maxDepth = opts.maxIncludeDepth ?? 200;
    this.inc = new IncludeFiles(opts.host, opts.simulatedHeaders, opts.includePaths, diags);
    this.exp = new MacroExpander(diags, opts.maxExpansionTokens ?? 5_000_000, {
      hasInclude: (name, angled, next) => this.cur !== undefined && this.resolve(name, angled, next, this.cur) !== undefined,
    });
    this.defineBuiltins();
  }

  result(): PreprocessResult {
    this.out[this.outLen++] = this.eof ?? endToken({ path: '<none>', text: '', system: false });
    this.out.length = this.outLen;
    return { tokens: this.out, files: this.inc.files, pragmas: this.pragmas, macros: this.exp.macros };
  }

  run(main: Loaded): PreprocessResult {
    this.commandLine();
    this.eof = main.tokens[main.tokens.length - 1];
    this.out = new Array<Token>(main.tokens.length + (main.tokens.length >> 2) + 16);
    this.pushFrame(main, -1);
    try {
      this.mainLoop();
    } catch (e) {
      // A bug (or an engine limit such as the stack) must still end as a diagnostic.
      const msg = e instanceof Error ? e.message : String(e);
      this.diags.at('error', this.eof, `internal preprocessor error: ${msg}`);
    }
    if (this.pragmaOp) this.badPragmaOperator();
    return this.result();
  }

  private mainLoop(): void {
    const macros = this.exp.macros;
    for (;;) {
      const t = this.next();
      if (t.kind === TokenKind.EOF) return;
      if (t.kind === TokenKind.Identifier) {
        const m = macros.get(t.text);
        if (m !== undefined && !this.exp.isHidden(t) && this.exp.expand(t, m, this)) continue;
      }
      this.emit(t);
      if (this.diags.tooMany) return;
    }
  }

  // ---- TokenReader over the file stack ----------------------------------------------------

  next(): Token {
    const t = this.pushback.pop();
    return t !== undefined ? t : this.readFile(true);
  }

  nextArg(): Token {
    const t = this.pushback.pop();
    if (t !== undefined) return t;
    this.inArgs = true;
    const r = this.readFile(false);
    this.inArgs = false;
    return r;
  }

  peekIsLParen(): boolean {
    const pb = this.pushback;
    const t = pb.length > 0 ? pb[pb.length - 1] : this.cur?.tokens[this.cur.pos];
    return t !== undefined && t.kind === TokenKind.Punct && t.text === '(';
  }

  pushBack(toks: Token[]): void {
    for (let i = toks.length - 1; i >= 0; i--) this.pushback.push(toks[i]);
  }

  /** Next token of the current file, running directives; at EOF pops to the includer. */
  private readFile(popFrames: boolean): Token {
    for (;;) {
      const f = this.cur;
      if (f === undefined) return this.eof as Token;
      const t = f.tokens[f.pos];
      if (t.kind === TokenKind.EOF) {
        if (!popFrames) return t;
        this.endFile(f);
        continue;
      }
      f.pos++;
      if (t.atBol && t.kind === TokenKind.Punct && t.text === '#') {
        this.directive(f, t);
        continue;
      }
      return f.file === f.real && f.lineDelta === 0 ? t : remap(f, t);
    }
  }

  private pushFrame(l: Loaded, chainIndex: number): void {
    const f: Frame = { real: l.file, file: l.file, lineDelta: 0, tokens: l.tokens, pos: 0, conds: [], chainIndex };
    this.frames.push(f);
    this.cur = f;
  }

  private endFile(f: Frame): void {
    for (const c of f.conds) this.diags.error(c.tok, `unterminated #${c.name}`);
    this.frames.pop();
    this.cur = this.frames[this.frames.length - 1];
  }

  /** Give up on the translation unit (include depth exceeded): close every file. */
  private stopAll(): void {
    this.frames.length = 0;
    this.cur = undefined;
    this.pushback.length = 0;
  }

  // ---- Output: _Pragma / __pragma operators are taken out here -----------------------------

  private emit(t: Token): void {
    if (this.pragmaOp !== undefined) {
      this.feedPragmaOperator(t);
      return;
    }
    if (t.kind === TokenKind.Identifier && (t.text === '_Pragma' || t.text === '__pragma')) {
      this.pragmaOp = { tok: t, toks: [], depth: 0 };
      return;
    }
    if (t.kind === TokenKind.Other && isUnterminatedLiteral(t.text)) {
      this.diags.error(t, `missing terminating ${t.text.replace(/^(u8|[LuU])/, '')[0]} character`);
    }
    this.out[this.outLen++] = t;
  }

  // _Pragma "(" string-literal ")"  |  __pragma "(" balanced-tokens ")"
  private feedPragmaOperator(t: Token): void {
    const op = this.pragmaOp as { tok: Token; toks: Token[]; depth: number };
    op.toks.push(t);
    const n = op.toks.length;
    const isPunct = (s: string) => t.kind === TokenKind.Punct && t.text === s;
    if (n === 1) {
      if (!isPunct('(')) this.badPragmaOperator();
      else op.depth = 1;
      return;
    }
    if (op.tok.text === '_Pragma') {
      if (n === 2 && t.kind !== TokenKind.String) this.badPragmaOperator();
      else if (n === 3) {
        if (!isPunct(')')) return this.badPragmaOperator();
        this.pragmaOp = undefined;
        this.handlePragma(this.destringize(op.toks[1], op.tok), userPos(op.tok));
      }
      return;
    }
    if (isPunct('(')) op.depth++;
    else if (isPunct(')') && --op.depth === 0) {
      this.pragmaOp = undefined;
      this.handlePragma(op.toks.slice(1, -1), userPos(op.tok));
    }
  }

  private badPragmaOperator(): void {
    const op = this.pragmaOp as { tok: Token; toks: Token[] };
    this.pragmaOp = undefined;
    this.diags.error(op.tok, op.tok.text === '_Pragma' ? '_Pragma takes a parenthesized string literal' : "missing '(' after __pragma");
    for (const t of [op.tok, ...op.toks]) this.out[this.outLen++] = t;
  }

  // C99 6.10.9: drop the prefix and quotes, unescape \" and \\, and lex the result.
  private destringize(s: Token, at: Token): Token[] {
    const body = s.text.slice(s.text.indexOf('"') + 1, -1).replace(/\\(["\\])/g, '$1');
    const pos = userPos(at);
    const toks = tokenize({ path: pos.file.path, text: body, system: pos.file.system }, this.diags, { deferLiteralErrors: true });
    toks.pop();
    for (const t of toks) {
      t.file = pos.file;
      t.line = pos.line;
      t.col = pos.col;
    }
    return toks;
  }

  // ---- Directives ---------------------------------------------------------------------------

  private directive(f: Frame, hash: Token): void {
    const toks = f.tokens;
    const start = f.pos;
    let end = start;
    while (!toks[end].atBol) end++;
    f.pos = end;
    if (start === end) return; // null directive
    const physNextLine = toks[end - 1].line + 1;
    let name = toks[start];
    let line = toks.slice(start + 1, end);
    if (f.file !== f.real || f.lineDelta !== 0) {
      hash = remap(f, hash);
      name = remap(f, name);
      line = line.map((t) => remap(f, t));
    }
    if (name.kind === TokenKind.Number) return this.lineDirective(f, [name, ...line], physNextLine, false);
    if (name.kind !== TokenKind.Identifier) {
      this.diags.error(name, `invalid preprocessing directive #${name.text}`);
      return;
    }
    switch (name.text) {
      case 'define': return this.define(name, line);
      case 'undef': return this.undef(name, line);
      case 'include':
      case 'include_next':
      case 'import':
        return this.include(f, name, line);
      case 'if':
      case 'ifdef':
      case 'ifndef':
        return this.ifGroup(f, hash, name, line);
      case 'elif':
      case 'else':
      case 'endif':
        return this.elseGroup(f, name, line);
      case 'line': return this.lineDirective(f, line, physNextLine, true, name);
      case 'error':
      case 'warning':
        this.diags.atToken(name.text === 'error' ? 'error' : 'warning', name, `#${name.text} ${spell(line)}`.trimEnd());
        return;
      case 'pragma': return this.handlePragma(line, hash);
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        return; // gcc accepts these; nothing later needs them
    }
    this.diags.error(name, `invalid preprocessing directive #${name.text}`);
  }

  // "#define" identifier ("(" params ")")? replacement-list
  private define(dir: Token, line: Token[]): void {
    const nameTok = this.macroName(dir, line, 'define');
    if (nameTok === undefined) return;
    const m = parseDefinition(nameTok, line, this.diags);
    if (m === undefined) return;
    const old = this.exp.macros.get(m.name);
    if (old !== undefined && !sameMacro(old, m)) this.diags.warning(nameTok, `'${m.name}' redefined`);
    this.exp.macros.set(m.name, m);
  }

  private macroName(dir: Token, line: Token[], what: string): Token | undefined {
    const t = line[0];
    if (t === undefined) {
      this.diags.error(dir, `no macro name given in #${what} directive`);
      return undefined;
    }
    if (t.kind !== TokenKind.Identifier) {
      this.diags.error(t, 'macro names must be identifiers');
      return undefined;
    }
    if (t.text === 'defined' && (what === 'define' || what === 'undef')) {
      this.diags.error(t, '"defined" cannot be used as a macro name');
      return undefined;
    }
    return t;
  }

  private extraTokens(dir: Token, line: Token[], from: number): void {
    if (line.length > from) this.diags.warning(line[from], `extra tokens at end of #${dir.text} directive`);
  }

  private undef(dir: Token, line: Token[]): void {
    const t = this.macroName(dir, line, 'undef');
    if (t === undefined) return;
    this.exp.macros.delete(t.text);
    this.extraTokens(dir, line, 1);
  }

  // ---- Conditional inclusion ----------------------------------------------------------------

  private ifGroup(f: Frame, hash: Token, dir: Token, line: Token[]): void {
    let taken: boolean;
    if (dir.text === 'if') {
      taken = this.condition(dir, line);
    } else {
      const t = this.macroName(dir, line, dir.text);
      taken = t !== undefined && this.exp.macros.has(t.text) === (dir.text === 'ifdef');
      if (t !== undefined) this.extraTokens(dir, line, 1);
    }
    const c: Cond = { name: dir.text, tok: hash, taken, sawElse: false };
    f.conds.push(c);
    if (!taken) this.skipGroup(f, c);
  }

  // #elif / #else / #endif reached in a group being processed: the group's branch was taken.
  private elseGroup(f: Frame, dir: Token, line: Token[]): void {
    const c = f.conds[f.conds.length - 1];
    if (c === undefined) {
      this.diags.error(dir, `#${dir.text} without #if`);
      return;
    }
    if (dir.text === 'endif') {
      f.conds.pop();
      this.extraTokens(dir, line, 0);
      return;
    }
    if (c.sawElse) this.diags.error(dir, `#${dir.text} after #else`);
    if (dir.text === 'else') {
      c.sawElse = true;
      this.extraTokens(dir, line, 0);
    }
    c.name = dir.text;
    c.taken = true;
    this.skipGroup(f, c);
  }

  /** Skip tokens until the #elif/#else/#endif that ends the group; nested groups are skipped whole. */
  private skipGroup(f: Frame, c: Cond): void {
    const toks = f.tokens;
    let i = f.pos;
    let depth = 0;
    for (;;) {
      const t = toks[i];
      if (t.kind === TokenKind.EOF) {
        f.pos = i;
        return;
      }
      if (!t.atBol || t.kind !== TokenKind.Punct || t.text !== '#') {
        i++;
        continue;
      }
      const nameIdx = i + 1;
      let end = nameIdx;
      while (!toks[end].atBol) end++;
      i = end;
      const name = toks[nameIdx];
      if (end === nameIdx || name.kind !== TokenKind.Identifier) continue;
      switch (name.text) {
        case 'if':
        case 'ifdef':
        case 'ifndef':
          depth++;
          break;
        case 'endif':
          if (depth-- > 0) break;
          f.conds.pop();
          f.pos = end;
          return;
        case 'elif':
        case 'else': {
          if (depth > 0) break;
          const dir = remap(f, name);
          if (c.sawElse) {
            this.diags.error(dir, `#${name.text} after #else`);
            break;
          }
          c.name = name.text;
          if (name.text === 'else') c.sawElse = true;
          if (c.taken) break;
          const live = name.text === 'else' || this.condition(dir, toks.slice(nameIdx + 1, end).map((t2) => remap(f, t2)));
          if (live) {
            c.taken = true;
            f.pos = end;
            return;
          }
          break;
        }
      }
    }
  }

  /** Evaluate a #if/#elif line: `defined` first, then macros, then the arithmetic. */
  private condition(dir: Token, line: Token[]): boolean {
    const errors = this.diags.errorCount;
    this.exp.inIf = true;
    const toks = this.exp.expandList(line);
    this.exp.inIf = false;
    // A bad `defined` was reported already: one error per line, and the group is skipped.
    if (this.diags.errorCount !== errors) return false;
    return evaluateCondition(toks, this.diags, dir);
  }

  // ---- #include -----------------------------------------------------------------------------

  private include(f: Frame, dir: Token, line: Token[]): void {
    if (this.inArgs) {
      this.diags.error(dir, `#${dir.text} inside macro arguments is not supported`);
      return;
    }
    const spec = this.headerName(dir, line);
    if (spec === undefined) return;
    if (this.frames.length >= this.maxDepth) {
      this.diags.error(spec.tok, `#include nested depth ${this.frames.length} exceeds maximum of ${this.maxDepth}`);
      this.stopAll();
      return;
    }
    if (++this.includes > MAX_INCLUDES) {
      this.diags.error(spec.tok, `more than ${MAX_INCLUDES} #include directives processed (include explosion?)`);
      this.stopAll();
      return;
    }
    const found = this.resolve(spec.name, spec.angled, dir.text === 'include_next', f);
    if (found === undefined) {
      this.diags.error(spec.tok, `'${spec.name}' file not found`);
      return;
    }
    const path = found.loaded.file.path;
    if (this.once.has(path)) return;
    if (dir.text === 'import') this.once.add(path);
    const guard = guardOf(found.loaded);
    if (guard !== null && this.exp.macros.has(guard)) return;
    this.pushFrame(found.loaded, found.chainIndex);
  }

  // header = "\"" chars "\"" | "<" chars ">" | tokens that macro-expand to one of those
  private headerName(dir: Token, line: Token[]): { name: string; angled: boolean; tok: Token } | undefined {
    let toks = line;
    const isHeader = (t: Token | undefined) => t !== undefined && t.kind === TokenKind.String && (t.text[0] === '"' || t.text[0] === '<');
    if (!isHeader(toks[0])) toks = this.exp.expandList(line);
    const t = toks[0];
    if (isHeader(t)) {
      this.extraTokens(dir, toks, 1);
      return { name: t.text.slice(1, -1), angled: t.text[0] === '<', tok: t };
    }
    if (t !== undefined && t.kind === TokenKind.Punct && t.text === '<') {
      let name = '';
      for (let k = 1; k < toks.length; k++) {
        const u = toks[k];
        if (u.kind === TokenKind.Punct && u.text === '>') {
          this.extraTokens(dir, toks, k + 1);
          return { name, angled: true, tok: t };
        }
        name += (u.hasSpace && name !== '' ? ' ' : '') + u.text;
      }
      this.diags.error(t, 'missing terminating > character');
      return undefined;
    }
    this.diags.error(t ?? dir, `#${dir.text} expects "FILENAME" or <FILENAME>`);
    return undefined;
  }

  private resolve(name: string, angled: boolean, next: boolean, from: Frame) {
    return this.inc.resolve(name, angled, next, from.real.path, from.chainIndex);
  }

  // ---- #line, #pragma -----------------------------------------------------------------------

  // "#line" digits ("string")?  — also gcc's line marker `# digits "file" flags`
  private lineDirective(f: Frame, line: Token[], physNextLine: number, expand: boolean, dir?: Token): void {
    const toks = expand ? this.exp.expandList(line) : line;
    const num = toks[0];
    if (num === undefined || num.kind !== TokenKind.Number || !/^\d+$/.test(num.text)) {
      this.diags.error(num ?? dir ?? line[0], `"${num?.text ?? ''}" after #line is not a positive integer`);
      return;
    }
    const name = toks[1];
    if (name !== undefined && (name.kind !== TokenKind.String || name.text[0] !== '"')) {
      this.diags.error(name, `invalid filename "${name.text}"`);
      return;
    }
    if (expand) this.extraTokens(dir as Token, toks, 2);
    f.lineDelta = Number(num.text) - physNextLine;
    if (name !== undefined) {
      const path = name.text.slice(1, -1).replace(/\\(.)/g, '$1');
      f.file = { path, text: f.real.text, system: f.real.system };
    }
  }

  private handlePragma(toks: Token[], at: SourcePos): void {
    const first = toks[0];
    if (first?.text === 'once' && toks.length === 1) {
      if (this.cur !== undefined) this.once.add(this.cur.real.path);
      return;
    }
    if (first?.text === 'push_macro' || first?.text === 'pop_macro') this.pushPopMacro(first.text === 'push_macro', toks);
    this.pragmas.push({ file: at.file, line: at.line, col: at.col, tokens: toks, tokenIndex: this.outLen });
  }

  // #pragma push_macro("NAME") / pop_macro("NAME") (MSVC and gcc)
  private pushPopMacro(push: boolean, toks: Token[]): void {
    const s = toks[2];
    if (toks[1]?.text !== '(' || s === undefined || s.kind !== TokenKind.String || toks[3]?.text !== ')') return;
    const name = s.text.slice(s.text.indexOf('"') + 1, -1);
    let stack = this.pushedMacros.get(name);
    if (push) {
      if (!stack) this.pushedMacros.set(name, (stack = []));
      stack.push(this.exp.macros.get(name));
      return;
    }
    if (!stack || stack.length === 0) return;
    const m = stack.pop();
    if (m) this.exp.macros.set(name, m);
    else this.exp.macros.delete(name);
  }

  // ---- Predefined macros --------------------------------------------------------------------

  private defineBuiltins(): void {
    const builtin = (name: string, fn: (tok: Token) => { kind: TokenKind; text: string }) =>
      this.exp.macros.set(name, { ...makeMacro(name, false, [], false, []), builtin: fn });
    const str = (s: string) => ({ kind: TokenKind.String, text: '"' + s.replace(/[\\"]/g, '\\$&') + '"' });
    builtin('__FILE__', (t) => str(userPos(t).file.path));
    builtin('__LINE__', (t) => ({ kind: TokenKind.Number, text: String(userPos(t).line) }));
    builtin('__COUNTER__', () => ({ kind: TokenKind.Number, text: String(this.counter++) }));
    builtin('__DATE__', () => ({ kind: TokenKind.String, text: DATE }));
    builtin('__TIME__', () => ({ kind: TokenKind.String, text: TIME }));
    builtin('__INCLUDE_LEVEL__', () => ({ kind: TokenKind.Number, text: String(Math.max(0, this.frames.length - 1)) }));
  }

  /** Predefined macros, then -D and -U, run as directives of a `<command-line>` file. */
  private commandLine(): void {
    let text = PREDEFINED;
    for (const [name, value] of this.opts.defines ?? []) {
      const eq = name.indexOf('=');
      text +=
        eq >= 0 && value === undefined
          ? `#define ${name.slice(0, eq)} ${name.slice(eq + 1)}\n`
          : `#define ${name} ${value ?? '1'}\n`;
    }
    for (const name of this.opts.undefines ?? []) text += `#undef ${name}\n`;
    const file: SourceFile = { path: '<command-line>', text, system: true };
    const l: Loaded = { file, tokens: tokenize(file, this.diags) };
    this.eof = l.tokens[l.tokens.length - 1];
    this.pushFrame(l, -1);
    while (this.cur !== undefined) this.readFile(true);
  }
}

/** A token as the current #line presents it. */
function remap(f: Frame, t: Token): Token {
  if (f.file === f.real && f.lineDelta === 0) return t;
  return {
    kind: t.kind,
    text: t.text,
    file: f.file,
    line: t.line + f.lineDelta,
    col: t.col,
    hasSpace: t.hasSpace,
    atBol: t.atBol,
    expansion: t.expansion,
    hideset: t.hideset,
  };
}

function endToken(file: SourceFile): Token {
  return { kind: TokenKind.EOF, text: '', file, line: 1, col: 1, hasSpace: false, atBol: true, expansion: undefined, hideset: undefined };
}

/** Directive operand text as written (blanks collapsed), for #error and #warning. */
function spell(line: Token[]): string {
  let s = '';
  for (const t of line) s += (s !== '' && t.hasSpace ? ' ' : '') + t.text;
  return s;
}

