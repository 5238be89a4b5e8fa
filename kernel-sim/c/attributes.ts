// __declspec(...) and __attribute__((...)): the few that change meaning are interpreted
// (alignment, dllimport, noreturn, code sections, kdsim's SAL IRQL annotations); the rest are
// accepted and ignored, as a compiler that does not know them would.

import type { DeclAttributes } from './ast';
import { constExpr } from './parse-expr';
import { type ParserState, SyntaxPanic } from './parse-state';
import { DiagnosticBag } from './diagnostics';
import { type Token, TokenKind } from './token';
import { decodeStringLiteral } from './lexer';

export interface RawAttribute {
  /** Name with GNU's optional surrounding underscores removed (`__aligned__` → `aligned`). */
  name: string;
  tok: Token;
  /** Argument token lists, split at top-level commas. */
  args: Token[][];
  declspec: boolean;
}

/** Applies `a` to `attrs`; returns an alignment request (0 if none). */
export function interpretAttribute(p: ParserState, a: RawAttribute, attrs: DeclAttributes): number {
  const name = a.name;
  if (name === 'kdsim_irql' || name.startsWith('kdsim_irql_')) {
    irqlAnnotation(p, a, attrs);
    return 0;
  }
  switch (name) {
    case 'align':
    case 'aligned': {
      if (a.args.length === 0) return 16; // GNU: the largest useful alignment
      const v = evalArg(p, a.args[0]);
      if (v === undefined || v <= 0n || (v & (v - 1n)) !== 0n) {
        p.error(a.tok, 'requested alignment is not a positive power of 2');
        return 0;
      }
      return Number(v);
    }
    case 'dllimport':
      attrs.dllimport = true;
      return 0;
    case 'noreturn':
      attrs.noreturn = true;
      return 0;
    case 'code_seg':
    case 'section':
    case 'alloc_text': {
      const s = a.args[0] ? stringArg(a.args[0]) : undefined;
      if (s !== undefined) attrs.section = s;
      return 0;
    }
    case 'kdsim_function_class': {
      const s = a.args[0] ? stringArg(a.args[0]) : undefined;
      if (s) attrs.functionClass = s;
      return 0;
    }
    case 'kdsim_when':
    case 'kdsim_at':
      (attrs.sal ??= []).push({ kind: name === 'kdsim_when' ? 'when' : 'at', args: a.args.map((x) => stringArg(x) ?? x.map((t) => t.text).join(' ')) });
      return 0;
    case 'kdsim_dispatch_type':
      for (const arg of a.args) {
        const v = evalArg(p, arg);
        if (v !== undefined) (attrs.dispatchTypes ??= []).push(v);
      }
      return 0;
    case 'packed':
      p.warning(a.tok, "'packed' attribute ignored; use #pragma pack");
      return 0;
    default:
      return 0;
  }
}

// kdsim_irql(kind, args...) or kdsim_irql_<kind>(args...): see include/sal.h.
function irqlAnnotation(p: ParserState, a: RawAttribute, attrs: DeclAttributes): void {
  let kind = a.name === 'kdsim_irql' ? '' : a.name.slice('kdsim_irql_'.length);
  let args = a.args;
  if (!kind) {
    const first = args[0]?.[0];
    if (!first) return;
    kind = first.kind === TokenKind.String ? (stringArg(args[0]) ?? '') : first.text;
    args = args.slice(1);
  }
  const values: bigint[] = [];
  const names: string[] = [];
  for (const arg of args) {
    if (arg.length === 0) continue;
    const text = stringArg(arg);
    if (text !== undefined) {
      names.push(text);
      continue;
    }
    // `raises(NewIrql)` names a parameter: not a constant, and not an error.
    const v = evalArg(p, arg, true);
    if (v !== undefined) values.push(v);
    else names.push(arg.map((t) => t.text).join(' '));
  }
  attrs.irql.push(names.length > 0 ? { kind, args: values, names } : { kind, args: values });
}

function stringArg(toks: Token[]): string | undefined {
  let s = '';
  for (const t of toks) {
    if (t.kind !== TokenKind.String) return undefined;
    const r = decodeStringLiteral(t.text);
    if ('error' in r) return undefined;
    s += String.fromCharCode(...r.bytes);
  }
  return s;
}

/** Evaluates an argument's tokens as an integer constant expression (undefined if not one). */
export function evalArg(p: ParserState, toks: Token[], quiet = false): bigint | undefined {
  if (toks.length === 0) return undefined;
  const last = toks[toks.length - 1];
  const eof: Token = { ...last, kind: TokenKind.EOF, text: '' };
  const saved = { tokens: p.tokens, pos: p.pos, diags: p.diags };
  p.tokens = [...toks, eof];
  p.pos = 0;
  if (quiet) p.diags = new DiagnosticBag();
  try {
    const before = p.diags.errorCount;
    const v = constExpr(p, 'attribute argument');
    if (!p.atEOF()) p.error(p.tok, 'unexpected tokens in attribute argument');
    return p.diags.errorCount === before ? v : undefined;
  } catch (x) {
    if (quiet && x instanceof SyntaxPanic && !x.fatal) return undefined;
    throw x;
  } finally {
    p.tokens = saved.tokens;
    p.pos = saved.pos;
    p.diags = saved.diags;
  }
}
