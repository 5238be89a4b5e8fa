// Initializers (C11 6.7.9): nested braces, brace elision, designators (.member, [index],
// chained), string literals for char and wide-char arrays, open arrays sized by their
// initializer. The result is a flat list of (offset, value) items over a zero-filled object.

import type { Expr, InitItem, Initializer, VarObj } from './ast';
import { assignConvert, findMember, rvalue } from './checker';
import { evalConst, evalFloat, NotConstant } from './consteval';
import { DiagnosticBag } from './diagnostics';
import { assign, constExpr } from './parse-expr';
import type { ParserState } from './parse-state';
import { TokenKind } from './token';
import {
  type ArrayType,
  type CType,
  type Member,
  type RecordType,
  arrayOf,
  compatible,
  isRecord,
  typeToString,
  unqualified,
} from './types';

interface InitContext {
  p: ParserState;
  items: InitItem[];
}

/** Parses the initializer after '=' (or a compound literal's braces) for an object of `type`. */
export function initializer(p: ParserState, obj: VarObj, type: CType, isStatic: boolean): { init: Initializer; type: CType } {
  const ctx: InitContext = { p, items: [] };
  p.exprNodes = 0;
  let t = type;
  const count = element(ctx, t, 0, undefined, true);
  if (t.kind === 'array' && t.length === undefined) t = arrayOf(t.base, count);
  if (isStatic) checkConstant(p, ctx.items);
  void obj;
  return { init: { items: ctx.items }, type: t };
}

function checkConstant(p: ParserState, items: InitItem[]): void {
  for (const it of items) {
    if (it.kind !== 'expr') continue;
    try {
      if (it.type.kind === 'float') evalFloat(it.expr);
      else evalConst(it.expr);
    } catch (x) {
      if (!(x instanceof NotConstant)) throw x;
      p.error(x.expr.tok, 'initializer element is not a compile-time constant');
    }
  }
}

/**
 * One initializer for a subobject of `type` at `offset`. `top` marks the object itself (brace
 * elision is only for subobjects). Returns the element count used (for open arrays).
 */
function element(ctx: InitContext, type: CType, offset: number, member: Member | undefined, top: boolean): number {
  const p: ParserState = ctx.p;
  if (p.is('{')) return braced(ctx, type, offset, member);
  if (type.kind === 'array') {
    if (isStringStart(ctx) && isCharArray(type)) return stringInit(ctx, type, offset);
    if (top) {
      p.error(p.tok, 'array initializer must be an initializer list or string literal');
      assign(p);
      return 0;
    }
    return arrayList(ctx, type, offset, false);
  }
  if (isRecord(type)) {
    if (!top) {
      // Either an expression of the record type, or the first value of an elided sub-list.
      const e = speculativeRecordExpr(ctx, type);
      if (e) {
        ctx.items.push({ kind: 'expr', offset, type, expr: e });
        return 1;
      }
      return recordList(ctx, type, offset, false);
    }
    const tok = p.tok;
    const e = rvalue(assign(p));
    if (!isRecord(e.type) || !compatible(unqualified(e.type), unqualified(type))) {
      p.error(tok, `initializing '${typeToString(type)}' with an expression of incompatible type '${typeToString(e.type)}'`);
    } else ctx.items.push({ kind: 'expr', offset, type, expr: e });
    return 1;
  }
  scalar(ctx, type, offset, member);
  return 1;
}

function scalar(ctx: InitContext, type: CType, offset: number, member: Member | undefined): void {
  const p: ParserState = ctx.p;
  const tok = p.tok;
  const e = assign(p);
  const v = assignConvert(p, e, type, tok, 'in initialization');
  const item: InitItem = { kind: 'expr', offset, type: unqualified(type), expr: v };
  if (member?.bitWidth !== undefined) {
    item.bitOffset = member.bitOffset;
    item.bitWidth = member.bitWidth;
  }
  ctx.items.push(item);
}

function speculativeRecordExpr(ctx: InitContext, type: RecordType): Expr | undefined {
  const p: ParserState = ctx.p;
  const t = p.tok;
  if (t.kind !== TokenKind.Identifier && !(t.kind === TokenKind.Punct && (t.text === '*' || t.text === '('))) return undefined;
  const save = p.pos;
  const diags = p.diags;
  p.diags = new DiagnosticBag();
  let e: Expr | undefined;
  try {
    e = rvalue(assign(p));
  } catch {
    e = undefined;
  }
  const clean = p.diags.errorCount === 0;
  p.diags = diags;
  if (e && clean && isRecord(e.type) && compatible(unqualified(e.type), unqualified(type))) return e;
  p.pos = save;
  return undefined;
}

/** `{` ... `}` for any type. */
function braced(ctx: InitContext, type: CType, offset: number, member: Member | undefined): number {
  const p: ParserState = ctx.p;
  const open = p.tok;
  p.enter(open);
  let n: number;
  if (type.kind === 'array') {
    p.next();
    // `char s[] = { "abc" }` is allowed.
    if (isStringStart(ctx) && isCharArray(type) && (p.isAt(1, '}') || (p.isAt(1, ',') && p.isAt(2, '}')))) {
      n = stringInit(ctx, type, offset);
      p.consume(',');
      p.expect('}');
    } else {
      n = arrayList(ctx, type, offset, true);
    }
  } else if (isRecord(type)) {
    p.next();
    n = recordList(ctx, type, offset, true);
  } else {
    p.next();
    if (p.consume('}')) {
      n = 1; // `= {}`: zero
    } else {
      element(ctx, type, offset, member, false);
      if (p.consume(',') && !p.is('}')) {
        p.warning(p.tok, 'excess elements in scalar initializer');
        skipRest(ctx);
      }
      p.expect('}');
      n = 1;
    }
  }
  p.leave();
  return n;
}

/** True at the end of a braced list: consumes `}` or `, }`. */
function consumeEnd(ctx: InitContext): boolean {
  const p: ParserState = ctx.p;
  if (p.consume('}')) return true;
  if (p.is(',') && p.isAt(1, '}')) {
    p.next();
    p.next();
    return true;
  }
  return false;
}

function isEnd(ctx: InitContext): boolean {
  const p: ParserState = ctx.p;
  return p.is('}') || (p.is(',') && p.isAt(1, '}')) || p.atEOF();
}

/** Elided lists stop before a designator: it belongs to the enclosing braced list. */
function nextIsDesignator(ctx: InitContext): boolean {
  const p: ParserState = ctx.p;
  return p.is(',') && (p.isAt(1, '.') || p.isAt(1, '['));
}

function skipRest(ctx: InitContext): void {
  const p: ParserState = ctx.p;
  let depth = 0;
  while (!p.atEOF()) {
    if (depth === 0 && p.is('}')) return;
    if (p.is('{') || p.is('(')) depth++;
    else if (p.is('}') || p.is(')')) depth--;
    p.next();
  }
}

function arrayList(ctx: InitContext, type: ArrayType, offset: number, isBraced: boolean): number {
  const p: ParserState = ctx.p;
  const esize = Math.max(type.base.size, 0);
  const len = type.length;
  let i = 0;
  let max = 0;
  for (let first = true; ; first = false) {
    if (isBraced) {
      if (consumeEnd(ctx)) break;
      if (!first) p.expect(',', 'in initializer list');
    } else {
      if ((len !== undefined && i >= len) || isEnd(ctx) || (!first && nextIsDesignator(ctx))) break;
      if (!first) p.expect(',');
    }
    if (isBraced && p.is('[')) {
      const lb = p.next();
      const idx = constExpr(p, 'array index in initializer');
      p.expect(']');
      if (idx < 0n || (len !== undefined && idx >= BigInt(len))) {
        p.error(lb, `array index ${idx} in initializer exceeds array bounds`);
        i = 0;
      } else i = Number(idx);
      designated(ctx, type.base, offset + i * esize, undefined);
    } else if (isBraced && p.is('.')) {
      p.fail(p.tok, `field designator cannot initialize a non-struct, non-union type '${typeToString(type)}'`);
    } else if (len !== undefined && i >= len) {
      p.warning(p.tok, 'excess elements in array initializer');
      const save = ctx.items.length;
      element(ctx, type.base, offset, undefined, false);
      ctx.items.length = save;
    } else {
      element(ctx, type.base, offset + i * esize, undefined, false);
    }
    i++;
    max = Math.max(max, i);
  }
  return len ?? max;
}

function initializableMembers(r: RecordType): Member[] {
  // Unnamed bitfields take no part in initialization (C11 6.7.9p9).
  return r.members.filter((m) => !(m.name === undefined && m.bitWidth !== undefined));
}

function recordList(ctx: InitContext, type: RecordType, offset: number, isBraced: boolean): number {
  const p: ParserState = ctx.p;
  if (!type.complete) {
    p.fail(p.tok, `variable has incomplete type '${typeToString(type)}'`);
  }
  const members = initializableMembers(type);
  const limit = type.kind === 'union' ? Math.min(1, members.length) : members.length;
  let idx = 0;
  for (let first = true; ; first = false) {
    if (isBraced) {
      if (consumeEnd(ctx)) break;
      if (!first) p.expect(',', 'in initializer list');
    } else {
      if (idx >= limit || isEnd(ctx) || (!first && nextIsDesignator(ctx))) break;
      if (!first) p.expect(',');
    }
    if (isBraced && p.is('.')) {
      p.next();
      const nameTok = p.next();
      const path = findMember(type, nameTok.text);
      if (!path) p.fail(nameTok, `field designator '${nameTok.text}' does not refer to any field in type '${typeToString(type)}'`);
      let off = offset;
      for (const m of path) off += m.offset;
      const last = path[path.length - 1];
      designated(ctx, last.type, off, last);
      idx = members.indexOf(path[0]) + 1;
      if (type.kind === 'union') idx = limit;
      continue;
    }
    if (isBraced && p.is('[')) p.fail(p.tok, `array designator cannot initialize non-array type '${typeToString(type)}'`);
    if (idx >= limit) {
      p.warning(p.tok, `excess elements in ${type.kind} initializer`);
      const save = ctx.items.length;
      element(ctx, members[0]?.type ?? type, offset, undefined, false);
      ctx.items.length = save;
      continue;
    }
    const m = members[idx++];
    element(ctx, m.type, offset + m.offset, m, false);
  }
  return 1;
}

/** After a first designator: more designators (`.a.b[2]`), then `=` and the value. */
function designated(ctx: InitContext, type0: CType, offset0: number, member0: Member | undefined): void {
  const p: ParserState = ctx.p;
  let type = type0;
  let offset = offset0;
  let member = member0;
  for (;;) {
    if (p.is('.')) {
      p.next();
      const nameTok = p.next();
      if (!isRecord(type)) p.fail(nameTok, `field designator cannot initialize a non-struct, non-union type '${typeToString(type)}'`);
      const path = findMember(type, nameTok.text);
      if (!path) p.fail(nameTok, `field designator '${nameTok.text}' does not refer to any field in type '${typeToString(type)}'`);
      for (const m of path) offset += m.offset;
      member = path[path.length - 1];
      type = member.type;
    } else if (p.is('[')) {
      const lb = p.next();
      if (type.kind !== 'array') p.fail(lb, `array designator cannot initialize non-array type '${typeToString(type)}'`);
      const idx = constExpr(p, 'array index in initializer');
      p.expect(']');
      if (idx < 0n || (type.length !== undefined && idx >= BigInt(type.length))) p.error(lb, `array index ${idx} in initializer exceeds array bounds`);
      offset += Number(idx) * Math.max(type.base.size, 0);
      type = type.base;
      member = undefined;
    } else break;
  }
  p.expect('=', 'after designator');
  element(ctx, type, offset, member, false);
}

function isStringStart(ctx: InitContext): boolean {
  return ctx.p.tok.kind === TokenKind.String;
}

function isCharArray(t: ArrayType): boolean {
  return t.base.kind === 'int' && (t.base.size === 1 || t.base.size === 2 || t.base.size === 4);
}

function stringInit(ctx: InitContext, type: ArrayType, offset: number): number {
  const p: ParserState = ctx.p;
  const tok = p.tok;
  const e = assign(p);
  if (e.kind !== 'str') {
    p.error(tok, 'array initializer must be an initializer list or string literal');
    return 0;
  }
  if (e.charSize !== type.base.size) {
    p.error(tok, e.charSize === 1 ? 'initializing wide char array with non-wide string literal' : 'initializing char array with wide string literal');
    return 0;
  }
  let units = e.units;
  if (type.length !== undefined) {
    if (units.length - 1 > type.length) p.warning(tok, 'initializer-string for char array is too long');
    units = units.slice(0, type.length);
  }
  ctx.items.push({ kind: 'bytes', offset, units, charSize: e.charSize });
  return e.units.length;
}
