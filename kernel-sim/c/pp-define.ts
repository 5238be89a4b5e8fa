// #define: parsing a macro definition (C99 6.10.3) and comparing redefinitions.

import type { DiagnosticBag } from './diagnostics';
import { isUnterminatedLiteral } from './lexer';
import type { Macro } from './pp-macro';
import { type Token, TokenKind } from './token';

/** The macro defined by `#define` tokens `line` (line[0] is the checked name); undefined on error. */
export function parseDefinition(nameTok: Token, line: Token[], diags: DiagnosticBag): Macro | undefined {
  const params: string[] = [];
  let variadic = false;
  let i = 1;
  const lp = line[1];
  // A function-like macro's "(" follows the name with no blank in between.
  if (lp !== undefined && lp.kind === TokenKind.Punct && lp.text === '(' && !lp.hasSpace) {
    const r = paramList(line, 2, params, diags);
    if (r === undefined) return undefined;
    i = r.next;
    variadic = r.variadic;
  }
  const funcLike = i > 1;
  const body = line.slice(i);
  if (!checkBody(body, funcLike, params, diags)) return undefined;
  return makeMacro(nameTok.text, funcLike, params, variadic, body);
}

// params = ")" | (identifier ("," identifier)* ("," "...")? | "...") ")" ; GNU: identifier "..."
function paramList(line: Token[], i: number, params: string[], diags: DiagnosticBag): { next: number; variadic: boolean } | undefined {
  const at = (k: number) => line[k] ?? line[line.length - 1];
  if (line[i]?.text === ')') return { next: i + 1, variadic: false };
  for (;;) {
    const t = line[i];
    if (t === undefined) return bad(diags, at(i), "missing ')' in macro parameter list");
    let variadic = false;
    if (t.text === '...') {
      params.push('__VA_ARGS__');
      variadic = true;
      i++;
    } else if (t.kind === TokenKind.Identifier) {
      if (t.text === '__VA_ARGS__') return bad(diags, t, '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro');
      if (params.includes(t.text)) return bad(diags, t, `duplicate macro parameter "${t.text}"`);
      params.push(t.text);
      i++;
      if (line[i]?.text === '...') {
        variadic = true;
        i++;
      }
    } else {
      return bad(diags, t, `expected parameter name, found "${t.text}"`);
    }
    const sep = line[i];
    if (sep?.text === ')') return { next: i + 1, variadic };
    if (sep === undefined) return bad(diags, at(i), "missing ')' in macro parameter list");
    if (variadic || sep.text !== ',') return bad(diags, sep, `expected ',' or ')', found "${sep.text}"`);
    i++;
  }
}

function bad(diags: DiagnosticBag, t: Token, msg: string): undefined {
  diags.error(t, msg);
  return undefined;
}

function checkBody(body: Token[], funcLike: boolean, params: string[], diags: DiagnosticBag): boolean {
  const isPaste = (t: Token | undefined) => t !== undefined && t.kind === TokenKind.Punct && t.text === '##';
  if (isPaste(body[0]) || isPaste(body[body.length - 1])) {
    diags.error(isPaste(body[0]) ? body[0] : body[body.length - 1], "'##' cannot appear at either end of a macro expansion");
    return false;
  }
  for (let k = 0; k < body.length; k++) {
    const t = body[k];
    if (funcLike && t.kind === TokenKind.Punct && t.text === '#') {
      const p = body[k + 1];
      const isParam = p !== undefined && p.kind === TokenKind.Identifier && (params.includes(p.text) || p.text === '__VA_OPT__');
      if (!isParam) {
        diags.error(t, "'#' is not followed by a macro parameter");
        return false;
      }
    }
    if (t.kind === TokenKind.Other && isUnterminatedLiteral(t.text)) {
      diags.warning(t, `missing terminating ${t.text.replace(/^(u8|[LuU])/, '')[0]} character`);
    }
  }
  return true;
}

export function makeMacro(name: string, funcLike: boolean, params: string[], variadic: boolean, body: Token[]): Macro {
  const paramIndex = new Int32Array(body.length).fill(-1);
  let hasOperators = false;
  for (let i = 0; i < body.length; i++) {
    const t = body[i];
    if (t.kind === TokenKind.Identifier) {
      if (funcLike) paramIndex[i] = params.indexOf(t.text);
      if (t.text === '__VA_OPT__' && variadic) hasOperators = true;
    } else if (t.kind === TokenKind.Punct && (t.text === '##' || (funcLike && t.text === '#'))) {
      hasOperators = true;
    }
  }
  return { name, funcLike, params, variadic, body, paramIndex, hasOperators };
}

// C99 6.10.3p2: a redefinition must match in parameters, spelling and whitespace separation.
export function sameMacro(a: Macro, b: Macro): boolean {
  if (a.builtin || a.funcLike !== b.funcLike || a.variadic !== b.variadic) return false;
  if (a.params.join(',') !== b.params.join(',') || a.body.length !== b.body.length) return false;
  for (let i = 0; i < a.body.length; i++) {
    const x = a.body[i];
    const y = b.body[i];
    if (x.text !== y.text || (i > 0 && (x.hasSpace || x.atBol) !== (y.hasSpace || y.atBol))) return false;
  }
  return true;
}
