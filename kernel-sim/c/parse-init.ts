// Initializers (C11 6.7.9): nested braces, brace elision, designators (.member, [index],
// chained), string literals for char and wide-char arrays, open arrays sized by their
// initializer. The result is a flat list of (offset, value) items over a zero-filled object.
//
// Every expression is parsed once: when a subobject is an aggregate and no brace follows, the
// expression is parsed and, unless it is a whole struct of the right type, kept as `pending`
// to become the first scalar of the brace-elided subaggregate.

import type { Expr, InitItem, Initializer, StrExpr, VarObj } from './ast';
import { assignConvert, findMember } from './checker';
import { evalConst, evalFloat, NotConstant } from './consteval';
import { assign, constExpr } from './parse-expr';
import type { ParserState } from './parse-state';
import { TokenKind } from './token';
import { type ArrayType, type CType, type Member, type RecordType, arrayOf, compatible, isRecord, typeToString, unqualified } from './types';

interface InitContext {
  p: ParserState;
  items: InitItem[];
  /** An initializer expression already parsed, waiting for the first scalar it belongs to. */
  pending: Expr | undefined;
}

/** Where a designator led: an aggregate and the index inside it (one entry per level). */
interface Level {
  type: ArrayType | RecordType;
  offset: number;
  index: number;
}

/** Parses the initializer after '=' (or a compound literal's braces) for an object of `type`. */
export function initializer(p: ParserState, obj: VarObj, type: CType, isStatic: boolean): { init: Initializer; type: CType } {
  const ctx: InitContext = { p, items: [], pending: undefined };
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

/** Takes the pending expression, or parses the next assignment-expression. */
function nextExpr(ctx: InitContext): Expr {
  const e = ctx.pending ?? assign(ctx.p);
  ctx.pending = undefined;
  return e;
}

/**
 * One initializer for a subobject of `type` at `offset`. `top` marks the object itself (brace
 * elision is only for subobjects). Returns the element count used (for open arrays).
 */
function element(ctx: InitContext, type: CType, offset: number, member: Member | undefined, top: boolean): number {
  const p: ParserState = ctx.p;
  if (!ctx.pending && p.is('{')) return braced(ctx, type, offset, member, top);
  if (type.kind === 'array') {
    if (isCharArray(type) && (ctx.pending ? ctx.pending.kind === 'str' : p.tok.kind === TokenKind.String)) {
      return stringInit(ctx, type, offset);
    }
    if (top) {
      p.error(p.tok, 'array initializer must be an initializer list or string literal');
      nextExpr(ctx);
      return 0;
    }
    return arrayList(ctx, type, offset, false, 0);
  }
  if (isRecord(type)) {
    const tok = ctx.pending?.tok ?? p.tok;
    const e = nextExpr(ctx);
    if (isRecord(e.type) && compatible(unqualified(e.type), unqualified(type))) {
      ctx.items.push({ kind: 'expr', offset, type, expr: e });
      return 1;
    }
    if (top) {
      p.error(tok, `initializing '${typeToString(type)}' with an expression of incompatible type '${typeToString(e.type)}'`);
      return 1;
    }
    // Brace elision: the value belongs to the first scalar inside this struct.
    ctx.pending = e;
    return recordList(ctx, type, offset, false, 0);
  }
  scalar(ctx, type, offset, member);
  return 1;
}

function scalar(ctx: InitContext, type: CType, offset: number, member: Member | undefined): void {
  const p: ParserState = ctx.p;
  const tok = ctx.pending?.tok ?? p.tok;
  const v = assignConvert(p, nextExpr(ctx), type, tok, 'in initialization');
  const item: InitItem = { kind: 'expr', offset, type: unqualified(type), expr: v };
  if (member?.bitWidth !== undefined) {
    item.bitOffset = member.bitOffset;
    item.bitWidth = member.bitWidth;
  }
  ctx.items.push(item);
}

/** `{` ... `}` for any type. */
function braced(ctx: InitContext, type: CType, offset: number, member: Member | undefined, top: boolean): number {
  const p: ParserState = ctx.p;
  const open = p.tok;
  // A braced initializer for a subobject replaces what designators put there before (gcc, clang).
  if (!top && type.size > 0) ctx.items = ctx.items.filter((it) => it.offset < offset || it.offset >= offset + type.size);
  p.enter(open);
  let n: number;
  p.next();
  if (type.kind === 'array') {
    // `char s[] = { "abc" }` is allowed.
    if (p.tok.kind === TokenKind.String && isCharArray(type) && (p.isAt(1, '}') || (p.isAt(1, ',') && p.isAt(2, '}')))) {
      n = stringInit(ctx, type, offset);
      p.consume(',');
      p.expect('}');
    } else {
      n = arrayList(ctx, type, offset, true, 0);
    }
  } else if (isRecord(type)) {
    n = recordList(ctx, type, offset, true, 0);
  } else if (p.consume('}')) {
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
  p.leave();
  return n;
}

/** True at the end of a braced list: consumes `}` or `, }`. */
function consumeEnd(ctx: InitContext): boolean {
  const p = ctx.p;
  if (p.consume('}')) return true;
  if (p.is(',') && p.isAt(1, '}')) {
    p.next();
    p.next();
    return true;
  }
  return false;
}

function isEnd(ctx: InitContext): boolean {
  const p = ctx.p;
  return p.is('}') || (p.is(',') && p.isAt(1, '}')) || p.atEOF();
}

/** Elided lists stop before a designator: it belongs to the enclosing braced list. */
function nextIsDesignator(ctx: InitContext): boolean {
  const p = ctx.p;
  return p.is(',') && (p.isAt(1, '.') || p.isAt(1, '['));
}

/**
 * Loop control shared by the list parsers. Braced lists run to their `}`; elided ones until
 * the aggregate is full, the enclosing list ends, or a designator for the enclosing list.
 * Returns false when the list is over; consumes the separating comma otherwise.
 */
function nextItem(ctx: InitContext, isBraced: boolean, first: boolean, full: boolean): boolean {
  const p: ParserState = ctx.p;
  if (isBraced) {
    if (consumeEnd(ctx)) return false;
    if (!first) p.expect(',', 'in initializer list');
    return true;
  }
  if (first && ctx.pending) return true;
  if (full || isEnd(ctx) || (!first && nextIsDesignator(ctx))) return false;
  if (!first) p.expect(',');
  return true;
}

function skipRest(ctx: InitContext): void {
  const p = ctx.p;
  let depth = 0;
  while (!p.atEOF()) {
    if (depth === 0 && p.is('}')) return;
    if (p.is('{') || p.is('(')) depth++;
    else if (p.is('}') || p.is(')')) depth--;
    p.next();
  }
}

/** Parses and drops one initializer (excess elements), keeping the item list as it was. */
function discard(ctx: InitContext, type: CType, offset: number): void {
  const save = ctx.items;
  ctx.items = [];
  element(ctx, type, offset, undefined, false);
  ctx.items = save;
}

function arrayList(ctx: InitContext, type: ArrayType, offset: number, isBraced: boolean, start: number): number {
  const p: ParserState = ctx.p;
  const esize = Math.max(type.base.size, 0);
  const len = type.length;
  let i = start;
  let max = start;
  // An elided list that resumes after a designated element starts at a comma.
  for (let first = isBraced || start === 0; nextItem(ctx, isBraced, first, len !== undefined && i >= len); first = false) {
    if (isBraced && p.is('[')) {
      const levels: Level[] = [];
      i = designation(ctx, { type, offset, index: 0 }, levels);
      max = Math.max(max, i + 1);
      i++;
      continue;
    }
    if (isBraced && p.is('.')) {
      p.fail(p.tok, `field designator cannot initialize a non-struct, non-union type '${typeToString(type)}'`);
    }
    if (len !== undefined && i >= len) {
      p.warning(ctx.pending?.tok ?? p.tok, 'excess elements in array initializer');
      discard(ctx, type.base, offset);
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

function recordList(ctx: InitContext, type: RecordType, offset: number, isBraced: boolean, start: number): number {
  const p: ParserState = ctx.p;
  if (!type.complete) p.fail(p.tok, `variable has incomplete type '${typeToString(type)}'`);
  const members = initializableMembers(type);
  // A union takes one initializer (its first member, or the designated one).
  const limit = type.kind === 'union' ? Math.min(1, members.length) : members.length;
  let idx = start;
  for (let first = isBraced || start === 0; nextItem(ctx, isBraced, first, idx >= limit); first = false) {
    if (isBraced && p.is('.')) {
      idx = designation(ctx, { type, offset, index: 0 }, []) + 1;
      if (type.kind === 'union') idx = limit;
      continue;
    }
    if (isBraced && p.is('[')) p.fail(p.tok, `array designator cannot initialize non-array type '${typeToString(type)}'`);
    if (idx >= limit) {
      p.warning(ctx.pending?.tok ?? p.tok, `excess elements in ${type.kind} initializer`);
      discard(ctx, members[0]?.type ?? type, offset);
      continue;
    }
    const m = members[idx++];
    if (m.type.kind === 'array' && m.type.length === undefined) {
      p.error(ctx.pending?.tok ?? p.tok, `initialization of flexible array member '${m.name ?? ''}' is not supported`);
      discard(ctx, m.type.base, offset);
      continue;
    }
    element(ctx, m.type, offset + m.offset, m, false);
  }
  return 1;
}

/**
 * A designation (`.a.b[2] = v`) inside the braced list of `top`: resolves each designator to
 * a level, stores the value, then lets each inner aggregate take the following initializers
 * (C11 6.7.9p17: the next one goes to the subobject after the designated one). Returns the
 * index designated in `top`, where the caller's list continues.
 */
function designation(ctx: InitContext, top: Level, levels: Level[]): number {
  const p: ParserState = ctx.p;
  let cur: CType = top.type;
  let offset = top.offset;
  let member: Member | undefined;
  while (p.is('.') || p.is('[')) {
    if (p.is('.')) {
      p.next();
      const nameTok = p.next();
      if (!isRecord(cur)) p.fail(nameTok, `field designator cannot initialize a non-struct, non-union type '${typeToString(cur)}'`);
      const path = findMember(cur, nameTok.text);
      if (!path) p.fail(nameTok, `field designator '${nameTok.text}' does not refer to any field in type '${typeToString(cur)}'`);
      for (const m of path) {
        const rec = cur as RecordType;
        levels.push({ type: rec, offset, index: initializableMembers(rec).indexOf(m) });
        offset += m.offset;
        member = m;
        cur = m.type;
      }
    } else {
      const lb = p.next();
      if (cur.kind !== 'array') p.fail(lb, `array designator cannot initialize non-array type '${typeToString(cur)}'`);
      const idx = constExpr(p, 'array index in initializer');
      p.expect(']');
      let i = Number(idx);
      if (idx < 0n || (cur.length !== undefined && idx >= BigInt(cur.length))) {
        p.error(lb, `array index ${idx} in initializer exceeds array bounds`);
        i = 0;
      }
      levels.push({ type: cur, offset, index: i });
      offset += i * Math.max(cur.base.size, 0);
      member = undefined;
      cur = cur.base;
    }
  }
  p.expect('=', 'after designator');
  element(ctx, cur, offset, member, false);
  // Inner aggregates continue with the initializers that follow, innermost first.
  for (let k = levels.length - 1; k >= 1; k--) {
    const l = levels[k];
    if (l.type.kind === 'array') arrayList(ctx, l.type, l.offset, false, l.index + 1);
    else if (l.type.kind === 'struct') recordList(ctx, l.type, l.offset, false, l.index + 1);
  }
  return levels[0].index;
}

function isCharArray(t: ArrayType): boolean {
  return t.base.kind === 'int' && (t.base.size === 1 || t.base.size === 2 || t.base.size === 4);
}

function stringInit(ctx: InitContext, type: ArrayType, offset: number): number {
  const p: ParserState = ctx.p;
  const tok = ctx.pending?.tok ?? p.tok;
  const e = nextExpr(ctx);
  if (e.kind !== 'str') {
    p.error(tok, 'array initializer must be an initializer list or string literal');
    return 0;
  }
  const s: StrExpr = e;
  if (s.charSize !== type.base.size) {
    p.error(tok, s.charSize === 1 ? 'initializing wide char array with non-wide string literal' : 'initializing char array with wide string literal');
    return 0;
  }
  let units = s.units;
  if (type.length !== undefined) {
    if (units.length - 1 > type.length) p.warning(tok, 'initializer-string for char array is too long');
    units = units.slice(0, type.length);
  }
  ctx.items.push({ kind: 'bytes', offset, units, charSize: s.charSize });
  return s.units.length;
}
