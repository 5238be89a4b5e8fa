// Expressions (C11 6.5): recursive descent for unary/postfix/primary, precedence climbing
// for the binary operators. Typing and conversions go through checker.ts.

import type { BinaryOp, Expr, NumExpr, VarObj } from './ast';
import * as ck from './checker';
import { evalInteger } from './consteval';
import { decodeCharLiteral, decodeStringLiteral, parseFloatLiteral, parseIntegerLiteral } from './lexer';
import { declareImplicitFunction, isTypenameStart, typeName } from './parse-decl';
import { initializer } from './parse-init';
import { type ParserState, describe } from './parse-state';
import { type Token, TokenKind } from './token';
import {
  type CType,
  arrayOf,
  charType,
  doubleType,
  floatType,
  intType,
  isComplete,
  isInteger,
  isRecord,
  ldoubleType,
  llongType,
  longType,
  sizeType,
  typeToString,
  uintType,
  ullongType,
  ulongType,
  ushortType,
  voidType,
  compatible,
  unqualified,
} from './types';

// expr = assign ("," assign)*
export function expr(p: ParserState): Expr {
  let e = assign(p);
  while (p.is(',')) {
    const tok = p.next();
    e = ck.commaExpr(e, assign(p), tok);
  }
  return e;
}

/** A full expression: the operator budget starts afresh (statements, initializers). */
export function fullExpr(p: ParserState): Expr {
  p.exprNodes = 0;
  return expr(p);
}

const ASSIGN_OPS: Record<string, BinaryOp | '='> = {
  '=': '=',
  '+=': '+',
  '-=': '-',
  '*=': '*',
  '/=': '/',
  '%=': '%',
  '<<=': '<<',
  '>>=': '>>',
  '&=': '&',
  '|=': '|',
  '^=': '^',
};

// assign = conditional (assign-op assign)?
export function assign(p: ParserState): Expr {
  const lhs = conditional(p);
  const t = p.tok;
  if (t.kind === TokenKind.Punct) {
    const op = ASSIGN_OPS[t.text];
    if (op !== undefined) {
      p.next();
      p.countNode(t);
      p.enter(t);
      const rhs = assign(p);
      p.leave();
      return op === '=' ? ck.assign(p, lhs, rhs, t) : ck.compoundAssign(p, op, lhs, rhs, t);
    }
  }
  return lhs;
}

// conditional = logor ("?" expr ":" conditional)?
export function conditional(p: ParserState): Expr {
  const cond = binaryExpr(p, 1);
  if (!p.is('?')) return cond;
  const tok = p.next();
  p.countNode(tok);
  p.enter(tok);
  const a = expr(p);
  p.expect(':', 'in conditional expression');
  const b = conditional(p);
  p.leave();
  return ck.conditional(p, cond, a, b, tok);
}

/** Integer constant expression with a diagnostic when it is not one. */
export function constExpr(p: ParserState, what: string): bigint {
  const tok = p.tok;
  const e = conditional(p);
  const v = isInteger(e.type) ? evalInteger(e) : undefined;
  if (v === undefined) {
    p.error(tok, `${what} is not an integer constant expression`);
    return 0n;
  }
  return v;
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

// binary operators by precedence climbing (all left-associative)
function binaryExpr(p: ParserState, minPrec: number): Expr {
  let lhs = castExpr(p);
  for (;;) {
    const t = p.tok;
    if (t.kind !== TokenKind.Punct) return lhs;
    const prec = PRECEDENCE[t.text];
    if (prec === undefined || prec < minPrec) return lhs;
    p.next();
    p.countNode(t);
    const rhs = binaryExpr(p, prec + 1);
    if (t.text === '&&') lhs = ck.logical(p, 'logand', lhs, rhs, t);
    else if (t.text === '||') lhs = ck.logical(p, 'logor', lhs, rhs, t);
    else lhs = ck.binary(p, t.text as BinaryOp, lhs, rhs, t);
  }
}

// cast = "(" type-name ")" cast | unary
export function castExpr(p: ParserState): Expr {
  if (p.is('(') && isTypenameStart(p, p.peek())) {
    const lp = p.tok;
    p.next();
    const type = typeName(p);
    p.expect(')');
    // (T){...} is a compound literal: a postfix expression (the type is not parsed twice,
    // since it may define a tag).
    if (p.is('{')) return postfixTail(p, compoundLiteral(p, type, lp));
    p.countNode(lp);
    p.enter(lp);
    const operand = castExpr(p);
    p.leave();
    return ck.explicitCast(p, operand, type, lp);
  }
  return unary(p);
}

// unary = ("+" | "-" | "!" | "~" | "*" | "&" | "++" | "--") cast | "sizeof" ... | postfix
function unary(p: ParserState): Expr {
  const t = p.tok;
  if (t.kind === TokenKind.Punct) {
    switch (t.text) {
      case '+':
      case '-':
      case '~':
      case '!':
      case '*':
      case '&':
      case '++':
      case '--': {
        p.next();
        p.countNode(t);
        p.enter(t);
        const operand = t.text === '++' || t.text === '--' ? unary(p) : castExpr(p);
        p.leave();
        switch (t.text) {
          case '+':
            return ck.unaryArith(p, 'plus', operand, t);
          case '-':
            return ck.unaryArith(p, 'neg', operand, t);
          case '~':
            return ck.unaryArith(p, 'bitnot', operand, t);
          case '!':
            return ck.logicalNot(p, operand, t);
          case '*':
            return ck.deref(p, operand, t);
          case '&':
            return ck.addressOf(p, operand, t);
          case '++':
            return ck.incDec(p, 'preinc', 1, operand, t);
          default:
            return ck.incDec(p, 'preinc', -1, operand, t);
        }
      }
      case '&&':
        p.fail(t, 'taking the address of a label is not supported');
    }
  } else if (t.kind === TokenKind.Identifier) {
    switch (t.text) {
      case 'sizeof':
        return sizeofExpr(p);
      case '_Alignof':
      case '__alignof':
      case '__alignof__':
        return alignofExpr(p);
    }
  }
  return postfix(p);
}

function sizeofExpr(p: ParserState): Expr {
  const t = p.next();
  let type: CType;
  if (p.is('(') && isTypenameStart(p, p.peek())) {
    p.next();
    type = typeName(p);
    p.expect(')');
    if (p.is('{')) {
      // sizeof (T){...}: the operand is a compound literal
      const lit = compoundLiteral(p, type, t);
      type = lit.type;
    }
  } else {
    const e = unary(p);
    if (e.kind === 'member' && e.member.bitWidth !== undefined) p.error(t, "invalid application of 'sizeof' to a bit-field");
    type = e.type;
  }
  if (type.kind === 'func') {
    p.error(t, "invalid application of 'sizeof' to a function type");
    return ck.num(1n, sizeType, t);
  }
  if (!isComplete(type)) {
    p.error(t, `invalid application of 'sizeof' to an incomplete type '${typeToString(type)}'`);
    return ck.num(0n, sizeType, t);
  }
  return ck.num(BigInt(type.size), sizeType, t);
}

function alignofExpr(p: ParserState): Expr {
  const t = p.next();
  let type: CType;
  if (p.is('(') && isTypenameStart(p, p.peek())) {
    p.next();
    type = typeName(p);
    p.expect(')');
  } else {
    type = unary(p).type;
  }
  return ck.num(BigInt(type.kind === 'array' ? elementAlign(type) : type.align), sizeType, t);
}

function elementAlign(t: CType): number {
  let x = t;
  while (x.kind === 'array') x = x.base;
  return x.align;
}

function compoundLiteral(p: ParserState, type: CType, tok: Token): Expr {
  const obj: VarObj = {
    kind: 'var',
    name: `(compound literal)`,
    type,
    storage: p.fn ? 'local' : 'global',
    isStatic: !p.fn,
    isExtern: false,
    defined: true,
    init: undefined,
    pos: p.posOf(tok),
    id: p.newId(),
    owner: p.fn?.fn,
    attrs: { irql: [] },
  };
  const init = initializer(p, obj, type, !p.fn);
  obj.init = init.init;
  obj.type = init.type;
  if (p.fn) p.fn.fn.locals.push(obj);
  else p.compoundLiterals.push(obj);
  return { kind: 'complit', obj, type: obj.type, tok };
}

// postfix = primary ("[" expr "]" | "(" args ")" | "." ident | "->" ident | "++" | "--")*
//         | "(" type-name ")" "{" initializer-list "}"
function postfix(p: ParserState): Expr {
  if (p.is('(') && isTypenameStart(p, p.peek())) {
    const t = p.next();
    const type = typeName(p);
    p.expect(')');
    return postfixTail(p, compoundLiteral(p, type, t));
  }
  return postfixTail(p, primary(p));
}

function postfixTail(p: ParserState, e0: Expr): Expr {
  let e = e0;
  for (;;) {
    const t = p.tok;
    if (t.kind !== TokenKind.Punct) return e;
    switch (t.text) {
      case '[': {
        p.next();
        p.countNode(t);
        p.enter(t);
        const idx = expr(p);
        p.leave();
        p.expect(']');
        // a[i] is *(a + i) (either operand may be the pointer)
        e = ck.deref(p, ck.binary(p, '+', e, idx, t), t);
        break;
      }
      case '(': {
        p.next();
        p.countNode(t);
        const args: Expr[] = [];
        p.enter(t);
        if (!p.is(')')) {
          do args.push(assign(p));
          while (p.consume(','));
        }
        p.leave();
        p.expect(')', 'after function arguments');
        const name = e.kind === 'var' ? e.obj.name : undefined;
        e = ck.call(p, e, args, t, name);
        break;
      }
      case '.':
      case '->': {
        p.next();
        const nameTok = p.next();
        if (nameTok.kind !== TokenKind.Identifier) p.fail(nameTok, `expected member name after '${t.text}'`);
        e = ck.member(p, e, nameTok.text, nameTok, t.text === '->');
        break;
      }
      case '++':
      case '--':
        p.next();
        p.countNode(t);
        e = ck.incDec(p, 'postinc', t.text === '++' ? 1 : -1, e, t);
        break;
      default:
        return e;
    }
  }
}

// primary = "(" expr ")" | ident | constant | string-literal+ | builtin
function primary(p: ParserState): Expr {
  const t = p.tok;
  switch (t.kind) {
    case TokenKind.Punct:
      if (t.text === '(') {
        p.next();
        if (p.is('{')) p.fail(t, 'statement expressions are not supported');
        p.enter(t);
        const e = expr(p);
        p.leave();
        p.expect(')');
        return e;
      }
      break;
    case TokenKind.Number:
      p.next();
      return numberLiteral(p, t);
    case TokenKind.Char:
      p.next();
      return charLiteral(p, t);
    case TokenKind.String:
      return stringLiterals(p);
    case TokenKind.Identifier:
      return identifier(p);
    case TokenKind.Other:
      p.fail(t, `stray '${t.text}' in program`);
  }
  p.fail(t, `expected expression before ${describe(t)}`);
}

function identifier(p: ParserState): Expr {
  const t = p.next();
  const name = t.text;
  switch (name) {
    case '__FUNCTION__':
    case '__func__':
    case '__FUNCSIG__':
    case '__FUNCDNAME__':
      return functionNameLiteral(p, t);
    case '__builtin_va_start':
    case '__builtin_va_end':
    case '__builtin_va_copy':
      return vaBuiltin(p, t);
    case '__builtin_va_arg':
      return vaArg(p, t);
    case '__builtin_offsetof':
      return offsetofBuiltin(p, t);
    case '_Generic':
      return genericSelection(p, t);
    case '__noop':
      // MSVC: arguments are parsed but never evaluated; the value is 0.
      if (p.consume('(')) {
        if (!p.is(')')) do assign(p);
        while (p.consume(','));
        p.expect(')');
      }
      return ck.num(0n, intType, t);
  }
  const entry = p.lookup(name);
  if (!entry) {
    if (p.is('(')) {
      const fn = declareImplicitFunction(p, t);
      return { kind: 'var', obj: fn, type: fn.type, tok: t };
    }
    p.error(t, `use of undeclared identifier '${name}'`);
    return ck.num(0n, intType, t);
  }
  switch (entry.kind) {
    case 'var':
      return { kind: 'var', obj: entry.obj, type: entry.obj.type, tok: t };
    case 'enum':
      return ck.num(entry.value, entry.type, t);
    case 'typedef':
      p.fail(t, `unexpected type name '${name}': expected expression`);
  }
}

function functionNameLiteral(p: ParserState, t: Token): Expr {
  if (!p.fn) {
    p.warning(t, `'${t.text}' is not defined outside of function scope`);
  }
  const name = p.fn ? p.fn.fn.name : '';
  const units = [...new TextEncoder().encode(name), 0];
  return { kind: 'str', units, charSize: 1, type: arrayOf(charType, units.length), tok: t };
}

function vaBuiltin(p: ParserState, t: Token): Expr {
  p.expect('(');
  const args: Expr[] = [];
  if (!p.is(')')) {
    do args.push(assign(p));
    while (p.consume(','));
  }
  p.expect(')');
  const name = t.text === '__builtin_va_start' ? 'va_start' : t.text === '__builtin_va_end' ? 'va_end' : 'va_copy';
  const want = name === 'va_end' ? 1 : 2;
  if (args.length !== want) p.error(t, `'${t.text}' takes ${want} argument${want > 1 ? 's' : ''}`);
  if (name === 'va_start') {
    if (!p.fn || !p.fn.fn.type.variadic) p.error(t, "'va_start' used in function with fixed arguments");
    if (p.fn) p.fn.fn.hasVarargs = true;
  }
  return { kind: 'builtin', name, args, type: voidType, tok: t };
}

function vaArg(p: ParserState, t: Token): Expr {
  p.expect('(');
  const ap = assign(p);
  p.expect(',');
  const type = typeName(p);
  p.expect(')');
  return { kind: 'builtin', name: 'va_arg', args: [ap], argType: type, type, tok: t };
}

// generic-selection = "_Generic" "(" assign "," (type-name | "default") ":" assign ("," ...)* ")"
// (C11 6.5.1.1): the association whose type is compatible with the controlling expression's
// type after lvalue conversion; the other expressions are parsed but not evaluated.
function genericSelection(p: ParserState, t: Token): Expr {
  p.expect('(');
  const ctl = ck.rvalue(assign(p));
  const ctlType = unqualified(ctl.type);
  let chosen: Expr | undefined;
  let fallback: Expr | undefined;
  while (p.consume(',')) {
    if (p.consume('default')) {
      p.expect(':');
      const e = assign(p);
      if (fallback) p.error(t, "duplicate 'default' association in '_Generic'");
      fallback = e;
      continue;
    }
    const at = p.tok;
    const type = typeName(p);
    p.expect(':');
    const e = assign(p);
    // Qualified association types never match: the controlling type is unqualified (C11 6.5.1.1p2).
    if (compatible(type, ctlType, false)) {
      if (chosen) p.error(at, `type '${typeToString(type)}' in generic association compatible with a previous association`);
      else chosen = e;
    }
  }
  p.expect(')');
  const result = chosen ?? fallback;
  if (!result) p.fail(t, `controlling expression type '${typeToString(ctl.type)}' not compatible with any generic association type`);
  return result;
}

// __builtin_offsetof(type, member-designator)
function offsetofBuiltin(p: ParserState, t: Token): Expr {
  p.expect('(');
  let type = typeName(p);
  p.expect(',');
  let offset = 0;
  for (let first = true; ; first = false) {
    if (first || p.consume('.')) {
      const nameTok = p.next();
      if (!isRecord(type)) p.fail(nameTok, `'${typeToString(type)}' is not a structure or union`);
      const path = ck.findMember(type, nameTok.text);
      if (!path) p.fail(nameTok, `'${typeToString(type)}' has no member named '${nameTok.text}'`);
      for (const m of path) offset += m.offset;
      type = path[path.length - 1].type;
    } else if (p.consume('[')) {
      if (type.kind !== 'array') p.fail(p.tok, 'subscripted value is not an array');
      const i = constExpr(p, 'array index');
      p.expect(']');
      offset += Number(i) * type.base.size;
      type = type.base;
    } else break;
  }
  p.expect(')');
  return ck.num(BigInt(offset), sizeType, t);
}

// Integer constants: LLP64 with MSVC's choice of type (an unsuffixed decimal too big for long
// becomes unsigned long, as in C89/MSVC, before long long).
function numberLiteral(p: ParserState, t: Token): Expr {
  const hex = t.text.length > 1 && t.text[0] === '0' && (t.text[1] === 'x' || t.text[1] === 'X');
  const isFloat = hex ? /[pP.]/.test(t.text) : /[.eE]/.test(t.text);
  if (isFloat) {
    const r = parseFloatLiteral(t.text);
    if ('error' in r) {
      p.error(t, r.error);
      return ck.num(0n, intType, t);
    }
    const type = r.kind === 'float' ? floatType : r.kind === 'long double' ? ldoubleType : doubleType;
    if (!Number.isFinite(r.value)) p.warning(t, `floating constant exceeds range of '${typeToString(type)}'`);
    return { kind: 'fnum', value: r.value, type, tok: t };
  }
  // The same spellings (0, 1, 0xFF...) recur all over a driver: decode each once.
  const known = integerLiterals.get(t.text);
  if (known) return { kind: 'num', value: known.value, type: known.type, tok: t };
  const r = parseIntegerLiteral(t.text);
  if ('error' in r) {
    p.error(t, r.error);
    return ck.num(0n, intType, t);
  }
  const warnings = p.diags.items.length;
  const e = ck.num(r.value, integerLiteralType(p, t, r.value, r.unsigned, r.size, r.radix), t) as NumExpr;
  if (p.diags.items.length === warnings) integerLiterals.set(t.text, { value: e.value, type: e.type });
  return e;
}

const integerLiterals = new Map<string, { value: bigint; type: CType }>();

function integerLiteralType(p: ParserState, t: Token, v: bigint, unsigned: boolean, size: string, radix: number): CType {
  const fits = (type: CType): boolean => {
    const bits = BigInt(type.size * 8);
    const max = type.kind === 'int' && type.unsigned ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
    return v <= max;
  };
  const decimal = radix === 10;
  let candidates: CType[];
  if (size === 'long long') candidates = unsigned ? [ullongType] : decimal ? [llongType, ullongType] : [llongType, ullongType];
  else if (size === 'long') candidates = unsigned ? [ulongType, ullongType] : [longType, ulongType, llongType, ullongType];
  else if (unsigned) candidates = [uintType, ullongType];
  else candidates = decimal ? [intType, longType, ulongType, llongType, ullongType] : [intType, uintType, llongType, ullongType];
  for (const c of candidates) if (fits(c)) return c;
  p.warning(t, 'integer constant is too large for its type');
  return ullongType;
}

function charLiteral(p: ParserState, t: Token): Expr {
  const r = decodeCharLiteral(t.text);
  if ('error' in r) {
    p.error(t, r.error);
    return ck.num(0n, intType, t);
  }
  if (r.wide && (r.units ?? 1) > 1) p.warning(t, 'characters beyond the first in a wide-character constant are ignored');
  // 'x' and u8'x' have type int; L'x' and u'x' are 16-bit (wchar_t, char16_t), U'x' is char32_t.
  const type = !r.wide ? intType : r.prefix === 'U' ? uintType : ushortType;
  return ck.num(BigInt(r.value), type, t);
}

// Adjacent string literals concatenate (translation phase 6); a wide one makes the result wide.
function stringLiterals(p: ParserState): Expr {
  const first = p.tok;
  const parts: { units: number[]; charSize: 1 | 2 | 4 }[] = [];
  while (p.tok.kind === TokenKind.String) {
    const t = p.next();
    const r = decodeStringLiteral(t.text);
    if ('error' in r) {
      p.error(t, r.error);
      continue;
    }
    parts.push({ units: r.bytes, charSize: r.charSize });
  }
  const charSize = parts.reduce<1 | 2 | 4>((m, x) => (x.charSize > m ? x.charSize : m), 1);
  const units: number[] = [];
  for (const part of parts) {
    if (part.charSize === charSize) units.push(...part.units);
    else units.push(...widen(part.units));
  }
  units.push(0);
  const elem = charSize === 1 ? charType : charSize === 2 ? ushortType : uintType;
  return { kind: 'str', units, charSize, type: arrayOf(elem, units.length), tok: first };
}

/** Narrow (UTF-8) units to code points for concatenation with a wide literal. */
function widen(bytes: number[]): number[] {
  const s = new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  return out;
}

