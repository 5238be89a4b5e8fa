// Macro expansion (C99 6.10.3): argument collection, substitution with # and ##, and
// rescanning with Prosser's hide sets (as chibicc's preprocess.c). A token's hide set lists
// the macros it must not expand again; an invocation's result gets the name token's hide set
// (∩ the `)` token's for function-like macros) plus the macro itself.

import type { DiagnosticBag } from './diagnostics';
import { isUnterminatedLiteral, lexSingle } from './lexer';
import { type Expansion, type Token, TokenKind } from './token';

export interface Macro {
  readonly name: string;
  readonly funcLike: boolean;
  /** Parameter names; for a variadic macro the last is `__VA_ARGS__` or the GNU `name...`. */
  readonly params: string[];
  readonly variadic: boolean;
  readonly body: Token[];
  /** For each body token: index of the parameter it names, or -1. */
  readonly paramIndex: Int32Array;
  /** Body has # or ## or __VA_OPT__: needs the general substitution. */
  readonly hasOperators: boolean;
  /** __FILE__, __LINE__ …: computes its single-token expansion from the invocation. */
  readonly builtin?: (tok: Token) => { kind: TokenKind; text: string };
}

/** Where the expander reads tokens from: the main stream (files + directives) or a list. */
export interface TokenReader {
  next(): Token;
  /** Next token while collecting macro arguments (must not leave the current file). */
  nextArg(): Token;
  /** Is the next token `(`? (without consuming it) */
  peekIsLParen(): boolean;
  /** Make `toks` the next tokens read, in order. */
  pushBack(toks: Token[]): void;
}

/** Reads a token list in isolation (macro arguments, #if lines, #include operands). */
export class ListReader implements TokenReader {
  private pos = 0;
  /** Pushed-back tokens, next one last. */
  private readonly stack: Token[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly eof: Token,
  ) {}

  next(): Token {
    const t = this.stack.pop();
    if (t !== undefined) return t;
    return this.pos < this.tokens.length ? this.tokens[this.pos++] : this.eof;
  }

  nextArg(): Token {
    return this.next();
  }

  peekIsLParen(): boolean {
    const st = this.stack;
    const t = st.length > 0 ? st[st.length - 1] : this.tokens[this.pos];
    return t !== undefined && t.kind === TokenKind.Punct && t.text === '(';
  }

  pushBack(toks: Token[]): void {
    for (let i = toks.length - 1; i >= 0; i--) this.stack.push(toks[i]);
  }
}

/** Interned immutable hide sets, so unions can be cached by identity. */
class HideSets {
  private readonly byKey = new Map<string, ReadonlySet<string>>();
  private readonly addCache = new WeakMap<ReadonlySet<string>, Map<string, ReadonlySet<string>>>();
  private readonly unionCache = new WeakMap<ReadonlySet<string>, WeakMap<ReadonlySet<string>, ReadonlySet<string>>>();
  private readonly singles = new Map<string, ReadonlySet<string>>();

  private intern(names: Iterable<string>): ReadonlySet<string> {
    const sorted = [...names].sort();
    const key = sorted.join('\u0001');
    let hs = this.byKey.get(key);
    if (!hs) {
      hs = new Set(sorted);
      this.byKey.set(key, hs);
    }
    return hs;
  }

  add(hs: ReadonlySet<string> | undefined, name: string): ReadonlySet<string> {
    if (hs === undefined) {
      let s = this.singles.get(name);
      if (!s) {
        s = this.intern([name]);
        this.singles.set(name, s);
      }
      return s;
    }
    if (hs.has(name)) return hs;
    let m = this.addCache.get(hs);
    if (!m) this.addCache.set(hs, (m = new Map()));
    let r = m.get(name);
    if (!r) m.set(name, (r = this.intern([...hs, name])));
    return r;
  }

  union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
    if (a === undefined || a === b) return b;
    let m = this.unionCache.get(a);
    if (!m) this.unionCache.set(a, (m = new WeakMap()));
    let r = m.get(b);
    if (!r) m.set(b, (r = this.intern(new Set([...a, ...b]))));
    return r;
  }

  intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
    if (a === undefined || b === undefined) return undefined;
    if (a === b) return a;
    const names = [...a].filter((n) => b.has(n));
    return names.length === 0 ? undefined : this.intern(names);
  }
}

/** Stands for an empty argument next to ## (C99 6.10.3.3p2); removed after substitution. */
const PLACEMARKER: Token = Object.freeze({
  kind: TokenKind.Other,
  text: '',
  file: { path: '<placemarker>', text: '', system: false },
  line: 0,
  col: 0,
  hasSpace: false,
  atBol: false,
  expansion: undefined,
  hideset: undefined,
}) as Token;

/**
 * Nesting bound for macro calls inside macro arguments (each level recurses; MSVC's own
 * limit is 256, C1009 "macros nested too deeply").
 */
const MAX_ARG_NESTING = 256;

interface Call {
  readonly m: Macro;
  readonly args: Token[][];
  /** Lazily macro-expanded arguments. */
  readonly expanded: (Token[] | undefined)[];
  readonly exp: Expansion;
  /** The variadic argument was left out entirely (GNU `, ## __VA_ARGS__` drops the comma). */
  readonly vaOmitted: boolean;
}

export interface ExpanderHooks {
  /** `__has_include("x")` / `__has_include(<x>)` in #if. */
  hasInclude(name: string, angled: boolean, next: boolean): boolean;
}

export class MacroExpander {
  /** True while expanding a #if line: `defined` and `__has_include` are operators. */
  inIf = false;
  /** Set once a guard tripped (runaway expansion, arguments nested too deeply): no more expansion in this translation unit. */
  stopped = false;
  private produced = 0;
  private argDepth = 0;
  private readonly hs = new HideSets();

  constructor(
    private readonly diags: DiagnosticBag,
    private readonly maxTokens: number,
    private readonly hooks: ExpanderHooks,
    /** The macro table (a debugger expression expands with the program's final one). */
    readonly macros: Map<string, Macro> = new Map(),
  ) {}

  isHidden(tok: Token): boolean {
    return tok.hideset !== undefined && tok.hideset.has(tok.text);
  }

  /** Fully macro-expand a token list in isolation (nothing after it is visible). */
  expandList(tokens: readonly Token[]): Token[] {
    if (!this.needsExpansion(tokens)) return tokens as Token[];
    const last = tokens[tokens.length - 1];
    const r = new ListReader(tokens, { ...last, kind: TokenKind.EOF, text: '' });
    const out: Token[] = [];
    for (;;) {
      const t = r.next();
      if (t.kind === TokenKind.EOF || (this.stopped && this.argDepth > 0)) return out;
      if (t.kind === TokenKind.Identifier) {
        // gcc sees `defined` only in the rescanned #if line, not while pre-expanding arguments.
        const ifOperator = this.inIf && this.argDepth === 0;
        if (ifOperator && t.text === 'defined') {
          out.push(this.definedOperator(t, r));
          continue;
        }
        if (ifOperator && (t.text === '__has_include' || t.text === '__has_include_next')) {
          out.push(this.hasIncludeOperator(t, r));
          continue;
        }
        const m = this.macros.get(t.text);
        if (m !== undefined && !this.isHidden(t) && this.expand(t, m, r)) continue;
      }
      out.push(t);
    }
  }

  private needsExpansion(tokens: readonly Token[]): boolean {
    for (const t of tokens) {
      if (t.kind !== TokenKind.Identifier) continue;
      if (this.macros.has(t.text) && !this.isHidden(t)) return true;
      if (this.inIf && (t.text === 'defined' || t.text.startsWith('__has_include'))) return true;
    }
    return false;
  }

  /**
   * Expand the invocation of `m` whose name token `tok` was just read from `r`; the result is
   * pushed back onto `r` for rescanning. False when it is not an invocation (function-like
   * name without `(`), on a call error, or once the runaway guard stopped expansion.
   */
  expand(tok: Token, m: Macro, r: TokenReader): boolean {
    if (this.stopped) return false;
    const exp: Expansion = { macro: m.name, file: tok.file, line: tok.line, col: tok.col, parent: tok.expansion };
    let out: Token[];
    let hs: ReadonlySet<string>;
    let given: (() => Token[]) | undefined;
    if (m.builtin) {
      const b = m.builtin(tok);
      out = [{ ...tok, kind: b.kind, text: b.text, expansion: exp, hideset: undefined }];
      hs = this.hs.add(tok.hideset, m.name);
    } else if (!m.funcLike) {
      hs = this.hs.add(tok.hideset, m.name);
      out = m.hasOperators ? this.subst({ m, args: [], expanded: [], exp, vaOmitted: false }) : copyBody(m, exp);
    } else {
      if (!r.peekIsLParen()) return false;
      const call = this.collectArgs(tok, m, r, exp);
      if (call === undefined) return false;
      given = call.consumed;
      hs = this.hs.add(this.hs.intersect(tok.hideset, call.rparen.hideset), m.name);
      out = this.subst(call.call);
    }
    this.produced += out.length + 1;
    if (this.produced > this.maxTokens && !this.stopped) {
      this.diags.error(tok, 'macro expansion too large (runaway expansion?)');
      this.stopped = true;
    }
    if (this.stopped) {
      // A guard tripped: the outermost invocation is left as written. (Inner ones are
      // dropped: they are inside arguments whose expansion is being abandoned anyway.)
      if (given !== undefined && this.argDepth === 0) r.pushBack(given());
      return false;
    }
    for (let i = 0; i < out.length; i++) {
      const t = out[i];
      t.hideset = t.hideset === undefined ? hs : this.hs.union(t.hideset, hs);
      t.atBol = false;
    }
    if (out.length > 0) {
      out[0].hasSpace = tok.hasSpace;
      out[0].atBol = tok.atBol;
    }
    r.pushBack(out);
    return true;
  }

  // args = "(" (arg ("," arg)*)? ")" where commas nested in parentheses don't split
  private collectArgs(
    tok: Token,
    m: Macro,
    r: TokenReader,
    exp: Expansion,
  ): { call: Call; rparen: Token; consumed: () => Token[] } | undefined {
    const lparen = r.next();
    const args: Token[][] = [];
    const seps: Token[] = []; // the top-level commas, so the call can be given back as written
    // On an error the tokens go back to the reader unexpanded.
    const consumed = () => {
      const all = [lparen];
      for (let k = 0; k < Math.max(args.length, seps.length); k++) {
        if (k < args.length) for (const t of args[k]) all.push(t);
        if (k < seps.length) all.push(seps[k]);
      }
      return all;
    };
    let cur: Token[] = [];
    let depth = 0;
    const named = m.variadic ? m.params.length - 1 : m.params.length;
    let rparen: Token | undefined;
    for (;;) {
      const t = r.nextArg();
      if (t.kind === TokenKind.EOF) {
        this.diags.error(tok, `unterminated argument list invoking macro '${m.name}'`);
        args.push(cur);
        r.pushBack(consumed());
        return undefined;
      }
      if (t.kind === TokenKind.Punct) {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) {
            rparen = t;
            break;
          }
          depth--;
        } else if (t.text === ',' && depth === 0 && !(m.variadic && args.length >= named)) {
          seps.push(t);
          args.push(cur);
          cur = [];
          continue;
        }
      }
      cur.push(t);
    }
    args.push(cur);
    seps.push(rparen);
    // f() for a macro without parameters passes no argument, not one empty one.
    if (m.params.length === 0 && args.length === 1 && args[0].length === 0) args.pop();
    let vaOmitted = false;
    if (m.variadic && args.length === named) {
      args.push([]);
      vaOmitted = true;
    } else if (m.variadic && named === 0 && args.length === 1 && args[0].length === 0) {
      vaOmitted = true; // f() with only `...`: GNU mode drops the comma too
    }
    if (args.length !== m.params.length) {
      const n = m.params.length;
      this.diags.error(
        tok,
        args.length < m.params.length
          ? `macro '${m.name}' requires ${n} argument${n === 1 ? '' : 's'}, but only ${args.length} given`
          : `macro '${m.name}' passed ${args.length} arguments, but takes just ${n}`,
      );
      r.pushBack(consumed());
      return undefined;
    }
    return { call: { m, args, expanded: new Array(args.length), exp, vaOmitted }, rparen, consumed };
  }

  private expandedArg(c: Call, p: number): Token[] {
    let e = c.expanded[p];
    if (e === undefined) {
      if (this.argDepth >= MAX_ARG_NESTING) {
        // Like the runaway guard: stop expanding, or every rescan would recurse this deep again.
        this.diags.at('error', c.exp, 'macro arguments nested too deeply');
        this.stopped = true;
        e = c.args[p];
      } else {
        this.argDepth++;
        e = this.expandList(c.args[p]);
        this.argDepth--;
      }
      c.expanded[p] = e;
    }
    return e;
  }

  /** The replacement list with parameters substituted (fresh tokens, placemarkers removed). */
  private subst(c: Call): Token[] {
    const out: Token[] = [];
    this.substRange(c, 0, c.m.body.length, out);
    return out.indexOf(PLACEMARKER) < 0 ? out : out.filter((t) => t !== PLACEMARKER);
  }

  private substRange(c: Call, from: number, to: number, out: Token[]): void {
    const { m } = c;
    const body = m.body;
    const pidx = m.paramIndex;
    let i = from;
    while (i < to && !this.stopped) {
      const t = body[i];
      const p = pidx[i];
      if (t.kind === TokenKind.Punct) {
        // "#" param
        if (t.text === '#' && m.funcLike && i + 1 < to && pidx[i + 1] >= 0) {
          out.push(this.stringize(c.args[pidx[i + 1]], t, c.exp));
          i += 2;
          continue;
        }
        if (t.text === '##' && i + 1 < to) {
          i = this.pasteOperator(c, i, to, out);
          continue;
        }
        // GNU: "," "##" __VA_ARGS__ drops the comma when the variable argument is left out
        if (t.text === ',' && m.variadic && i + 2 < to && isPaste(body[i + 1]) && pidx[i + 2] === m.params.length - 1) {
          const va = c.args[pidx[i + 2]];
          if (!(va.length === 0 && c.vaOmitted)) {
            out.push(bodyCopy(t, c.exp));
            pushArg(out, va, body[i + 2]);
          }
          i += 3;
          continue;
        }
      }
      if (p >= 0) {
        const beforePaste = i + 1 < to && isPaste(body[i + 1]);
        const toks = beforePaste ? c.args[p] : this.expandedArg(c, p);
        if (this.stopped) return; // a guard tripped while expanding the argument
        if (toks.length === 0) {
          if (beforePaste) out.push(PLACEMARKER);
        } else {
          pushArg(out, toks, t);
        }
        i++;
        continue;
      }
      if (t.text === '__VA_OPT__' && m.variadic && isLParen(body[i + 1])) {
        i = this.vaOpt(c, i, to, out);
        continue;
      }
      out.push(bodyCopy(t, c.exp));
      i++;
    }
  }

  // lhs "##" rhs: lhs is the last token produced so far; rhs is the next operand, unexpanded.
  private pasteOperator(c: Call, i: number, to: number, out: Token[]): number {
    const { m } = c;
    const body = m.body;
    const op = body[i];
    let rhs: Token[];
    let next: number;
    const q = m.paramIndex[i + 1];
    if (q >= 0) {
      rhs = c.args[q].map(argCopy);
      next = i + 2;
    } else if (m.funcLike && body[i + 1].text === '#' && i + 2 < to && m.paramIndex[i + 2] >= 0) {
      rhs = [this.stringize(c.args[m.paramIndex[i + 2]], body[i + 1], c.exp)];
      next = i + 3;
    } else if (body[i + 1].text === '__VA_OPT__' && m.variadic && isLParen(body[i + 2])) {
      const tmp: Token[] = [];
      next = this.vaOpt(c, i + 1, to, tmp);
      rhs = tmp.filter((t) => t !== PLACEMARKER);
    } else {
      rhs = [bodyCopy(body[i + 1], c.exp)];
      next = i + 2;
    }
    const lhs = out.pop();
    if (lhs === undefined || lhs === PLACEMARKER) {
      if (rhs.length === 0) out.push(PLACEMARKER);
      else for (const t of rhs) out.push(t);
    } else if (rhs.length === 0) {
      out.push(lhs);
    } else {
      for (const t of this.paste(lhs, rhs[0], op, c.exp)) out.push(t);
      for (let k = 1; k < rhs.length; k++) out.push(rhs[k]);
    }
    return next;
  }

  // "__VA_OPT__" "(" tokens ")": the tokens when the variable argument expands to something.
  private vaOpt(c: Call, i: number, to: number, out: Token[]): number {
    const body = c.m.body;
    let depth = 0;
    let j = i + 1;
    for (; j < to; j++) {
      if (body[j].kind !== TokenKind.Punct) continue;
      if (body[j].text === '(') depth++;
      else if (body[j].text === ')' && --depth === 0) break;
    }
    const va = this.expandedArg(c, c.m.params.length - 1);
    const mark = out.length;
    if (va.length > 0) this.substRange(c, i + 2, j, out);
    if (out.length === mark) out.push(PLACEMARKER);
    return j + 1;
  }

  // "#" param: spelling of the argument, blanks collapsed, \ and " escaped in literals
  private stringize(arg: Token[], hash: Token, exp: Expansion): Token {
    let s = '"';
    for (let k = 0; k < arg.length; k++) {
      const t = arg[k];
      if (k > 0 && (t.hasSpace || t.atBol)) s += ' ';
      const literal =
        t.kind === TokenKind.String || t.kind === TokenKind.Char || (t.kind === TokenKind.Other && isUnterminatedLiteral(t.text));
      s += literal ? t.text.replace(/[\\"]/g, '\\$&') : t.kind === TokenKind.Punct ? punctSpelling(t) : t.text;
    }
    return newToken(TokenKind.String, s + '"', hash, exp);
  }

  private paste(lhs: Token, rhs: Token, op: Token, exp: Expansion): Token[] {
    const text = lhs.text + rhs.text;
    const kind = lexSingle(text);
    if (kind === undefined) {
      this.diags.error(
        { ...op, expansion: exp },
        `pasting "${lhs.text}" and "${rhs.text}" does not give a valid preprocessing token`,
      );
      return [lhs, rhs];
    }
    const t = newToken(kind, text, op, exp);
    t.hasSpace = lhs.hasSpace;
    return [t];
  }

  // "defined" identifier | "defined" "(" identifier ")"
  private definedOperator(t: Token, r: TokenReader): Token {
    let n = r.next();
    const paren = n.kind === TokenKind.Punct && n.text === '(';
    if (paren) n = r.next();
    if (n.kind !== TokenKind.Identifier) {
      this.diags.error(n.kind === TokenKind.EOF ? t : n, 'operator "defined" requires an identifier');
      if (n.kind !== TokenKind.EOF) r.pushBack([n]);
      return newToken(TokenKind.Number, '0', t, t.expansion);
    }
    if (paren) {
      const close = r.next();
      if (close.kind !== TokenKind.Punct || close.text !== ')') {
        this.diags.error(t, 'missing \')\' after "defined"');
        if (close.kind !== TokenKind.EOF) r.pushBack([close]);
      }
    }
    const yes = this.macros.has(n.text) || n.text === '__has_include' || n.text === '__has_include_next';
    return newToken(TokenKind.Number, yes ? '1' : '0', t, t.expansion);
  }

  // "__has_include" "(" ("string" | "<" tokens ">") ")"
  private hasIncludeOperator(t: Token, r: TokenReader): Token {
    const zero = newToken(TokenKind.Number, '0', t, t.expansion);
    const open = r.next();
    if (open.text !== '(') {
      this.diags.error(t, `missing '(' after "${t.text}"`);
      if (open.kind !== TokenKind.EOF) r.pushBack([open]);
      return zero;
    }
    let name = '';
    let angled = false;
    let n = r.next();
    if (n.kind === TokenKind.String && n.text[0] === '"') {
      name = n.text.slice(1, -1);
    } else if (n.text === '<') {
      angled = true;
      for (n = r.next(); n.kind !== TokenKind.EOF && n.text !== '>'; n = r.next()) {
        name += (n.hasSpace && name !== '' ? ' ' : '') + n.text;
      }
    }
    const close = r.next();
    if (name === '' || close.text !== ')') {
      this.diags.error(t, `operator "${t.text}" requires a header-name`);
      return zero;
    }
    const found = this.hooks.hasInclude(name, angled, t.text === '__has_include_next');
    return newToken(TokenKind.Number, found ? '1' : '0', t, t.expansion);
  }
}

const DIGRAPHS: Record<string, string[]> = { '[': ['<:'], ']': [':>'], '{': ['<%'], '}': ['%>'], '#': ['%:'], '##': ['%:%:'] };
const lineStarts = new WeakMap<object, number[]>();

/**
 * The lexer normalises digraphs (`<:` → `[`), but # must keep the spelling (gcc: "<:"), so
 * look it up in the source text at the token's position.
 */
function punctSpelling(t: Token): string {
  const alts = DIGRAPHS[t.text];
  if (alts === undefined) return t.text;
  let starts = lineStarts.get(t.file);
  if (!starts) {
    starts = [0];
    const text = t.file.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    lineStarts.set(t.file, starts);
  }
  const at = (starts[t.line - 1] ?? -1) + t.col - 1;
  for (const a of alts) if (at >= 0 && t.file.text.startsWith(a, at)) return a;
  return t.text;
}

function isPaste(t: Token | undefined): boolean {
  return t !== undefined && t.kind === TokenKind.Punct && t.text === '##';
}

function isLParen(t: Token | undefined): boolean {
  return t !== undefined && t.kind === TokenKind.Punct && t.text === '(';
}

function newToken(kind: TokenKind, text: string, at: Token, exp: Expansion | undefined): Token {
  return {
    kind,
    text,
    file: at.file,
    line: at.line,
    col: at.col,
    hasSpace: at.hasSpace,
    atBol: false,
    expansion: exp,
    hideset: undefined,
  };
}

// A replacement-list token as produced by one expansion: spelled in the definition.
function bodyCopy(t: Token, exp: Expansion): Token {
  return newToken(t.kind, t.text, t, exp);
}

// An argument token keeps its own origin and hide set.
function argCopy(t: Token): Token {
  return {
    kind: t.kind,
    text: t.text,
    file: t.file,
    line: t.line,
    col: t.col,
    hasSpace: t.hasSpace,
    atBol: false,
    expansion: t.expansion,
    hideset: t.hideset,
  };
}

// Substituted argument: its first token takes the parameter's leading blank.
function pushArg(out: Token[], toks: Token[], param: Token): void {
  for (let k = 0; k < toks.length; k++) {
    const c = argCopy(toks[k]);
    if (k === 0) c.hasSpace = param.hasSpace;
    else if (toks[k].atBol) c.hasSpace = true;
    out.push(c);
  }
}

function copyBody(m: Macro, exp: Expansion): Token[] {
  const out = new Array<Token>(m.body.length);
  for (let i = 0; i < m.body.length; i++) out[i] = bodyCopy(m.body[i], exp);
  return out;
}
