// Semantic checks and typing of expressions (C11 6.3 conversions, 6.5 operators) with the
// diagnostics a compiler gives. The parser builds every expression through these functions,
// so the AST it hands on is fully typed with implicit conversions made explicit.

import type { DiagnosticBag } from './diagnostics';
import type { Token } from './token';
import type { BinaryOp, Expr, CallExpr, NumExpr } from './ast';
import {
  type CType,
  type Member,
  type RecordType,
  compatible,
  doubleType,
  intType,
  isArithmetic,
  isInteger,
  isRecord,
  isScalar,
  llongType,
  pointerTo,
  promote,
  ptrdiffType,
  typeToString,
  unqualified,
  withTypedefName,
  usualArithmetic,
  voidType,
  ullongType,
  isComplete,
  qualify,
} from './types';

/** Checker context: only diagnostics are needed. */
export interface Checker {
  diags: DiagnosticBag;
}

export function num(value: bigint, type: CType, tok: Token): NumExpr {
  return { kind: 'num', value: wrapInt(value, type), type, tok };
}

/** Wraps `v` to the width and signedness of integer type `t` (pointers: 64-bit unsigned). */
export function wrapInt(v: bigint, t: CType): bigint {
  const size = t.kind === 'ptr' ? 8 : t.size > 0 ? t.size : 4;
  const bits = BigInt(size * 8);
  if (t.kind === 'int' && t.name === '_Bool') return v !== 0n ? 1n : 0n;
  const unsigned = t.kind === 'ptr' || (t.kind === 'int' && t.unsigned);
  return unsigned ? BigInt.asUintN(Number(bits), v) : BigInt.asIntN(Number(bits), v);
}

// ---------- lvalues and decay ----------

export function isLvalue(e: Expr): boolean {
  switch (e.kind) {
    case 'var':
      return e.obj.kind === 'var';
    case 'deref':
    case 'str':
    case 'complit':
      return true;
    case 'member':
      // A member of a struct value returned by a call or ?: is not an lvalue (C11 6.5.2.3p3).
      return isLvalue(e.object);
    default:
      return false;
  }
}

/** Value of an expression used as an operand: arrays and functions decay to pointers. */
export function rvalue(e: Expr): Expr {
  if (e.type.kind === 'array') return { kind: 'decay', operand: e, type: pointerTo(e.type.base), tok: e.tok };
  if (e.type.kind === 'func') return { kind: 'decay', operand: e, type: pointerTo(e.type), tok: e.tok };
  return e;
}

/** Conversion to `type` (no checks): folds nothing, records the cast. */
export function cast(e: Expr, type: CType, implicit = true): Expr {
  const from = e.type;
  if (from === type) return e;
  // Same representation (typedef names, pointer targets): no conversion node, no copy.
  if (implicit && sameRepresentation(from, type)) return e;
  return { kind: 'cast', operand: e, type, implicit, tok: e.tok };
}

function sameRepresentation(a: CType, b: CType): boolean {
  if (a.kind === 'int' && b.kind === 'int') return a.size === b.size && a.unsigned === b.unsigned && a.name === b.name && !a.volatile;
  if (a.kind === 'ptr' && b.kind === 'ptr') return true;
  return false;
}

export function isNullPointerConstant(e: Expr): boolean {
  let x = e;
  while (x.kind === 'cast' && (x.type.kind === 'ptr' ? isVoidPtr(x.type) : isInteger(x.type))) x = x.operand;
  return x.kind === 'num' && x.value === 0n;
}

function isVoidPtr(t: CType): boolean {
  return t.kind === 'ptr' && t.base.kind === 'void';
}

// ---------- assignment compatibility (C11 6.5.16.1) ----------

/**
 * Converts `e` for storing into an object of type `target`, diagnosing what a compiler would:
 * errors for impossible conversions, warnings for int/pointer mixing and incompatible pointers.
 */
export function assignConvert(c: Checker, e0: Expr, target: CType, tok: Token, what: string): Expr {
  const e = rvalue(e0);
  const t = unqualified(target);
  const s = e.type;
  if (t.kind === 'void') return e;
  if (isArithmetic(t) && isArithmetic(s)) return cast(e, target);
  if (t.kind === 'int' && t.name === '_Bool' && s.kind === 'ptr') return cast(e, target);
  if (t.kind === 'ptr') {
    if (s.kind === 'ptr') {
      if (!pointersAssignable(t, s)) {
        c.diags.warning(tok, `incompatible pointer types ${what} ('${typeToString(target)}' from '${typeToString(s)}')`);
      } else if (discardsQualifiers(t, s)) {
        c.diags.warning(tok, `${what} discards qualifiers from pointer target type`);
      }
      return cast(e, target);
    }
    if (isInteger(s)) {
      if (!isNullPointerConstant(e)) {
        c.diags.warning(tok, `${what} makes pointer from integer without a cast ('${typeToString(target)}' from '${typeToString(s)}')`);
      }
      return cast(e, target);
    }
  }
  if (isInteger(t) && s.kind === 'ptr') {
    c.diags.warning(tok, `${what} makes integer from pointer without a cast ('${typeToString(target)}' from '${typeToString(s)}')`);
    return cast(e, target);
  }
  if (isRecord(t) && isRecord(s) && compatible(t, s)) return e;
  c.diags.error(tok, `incompatible types ${what} ('${typeToString(target)}' from '${typeToString(s)}')`);
  return cast(e, target);
}

function pointersAssignable(t: CType & { kind: 'ptr' }, s: CType & { kind: 'ptr' }): boolean {
  if (t.base.kind === 'void' || s.base.kind === 'void') return true;
  if (compatible(unqualified(t.base), unqualified(s.base))) return true;
  // char/unsigned char/signed char mix is a common, harmless warning in MSVC; keep gcc's view.
  return false;
}

function discardsQualifiers(t: CType & { kind: 'ptr' }, s: CType & { kind: 'ptr' }): boolean {
  return (!!s.base.const && !t.base.const) || (!!s.base.volatile && !t.base.volatile);
}

// ---------- operators ----------

export function checkModifiableLvalue(c: Checker, e: Expr, tok: Token, what: string): void {
  if (!isLvalue(e)) {
    c.diags.error(tok, `lvalue required as ${what}`);
    return;
  }
  if (e.type.kind === 'array') c.diags.error(tok, `array type '${typeToString(e.type)}' is not assignable`);
  else if (e.type.const || (isRecord(e.type) && hasConstMember(e.type))) {
    const name = e.kind === 'var' ? `variable '${e.obj.name}'` : e.kind === 'member' ? `member '${e.member.name}'` : 'location';
    c.diags.error(tok, `assignment of read-only ${name}`);
  }
}

function hasConstMember(r: RecordType): boolean {
  return r.members.some((m) => m.type.const || (isRecord(m.type) && hasConstMember(m.type)));
}

export function unaryArith(c: Checker, kind: 'neg' | 'bitnot' | 'plus', e0: Expr, tok: Token): Expr {
  const e = rvalue(e0);
  const ok = kind === 'bitnot' ? isInteger(e.type) : isArithmetic(e.type);
  if (!ok) {
    c.diags.error(tok, `invalid argument type '${typeToString(e.type)}' to unary expression`);
    return e;
  }
  const t = promote(e.type);
  // +x is a value, never an lvalue: always a conversion node.
  if (kind === 'plus') return { kind: 'cast', operand: e, type: t, implicit: true, tok };
  const v = cast(e, t);
  return { kind, operand: v, type: t, tok };
}

export function logicalNot(c: Checker, e0: Expr, tok: Token): Expr {
  const e = rvalue(e0);
  requireScalar(c, e, tok);
  return { kind: 'lognot', operand: e, type: intType, tok };
}

export function requireScalar(c: Checker, e: Expr, tok: Token): void {
  if (!isScalar(e.type)) c.diags.error(tok, `used '${typeToString(e.type)}' where a scalar is required`);
}

export function binary(c: Checker, op: BinaryOp, l0: Expr, r0: Expr, tok: Token): Expr {
  const l = rvalue(l0);
  const r = rvalue(r0);
  const lt = l.type;
  const rt = r.type;

  if (op === '+' || op === '-') {
    if (lt.kind === 'ptr' && isInteger(rt)) return ptrAdd(c, op, l, r, tok);
    if (op === '+' && isInteger(lt) && rt.kind === 'ptr') return ptrAdd(c, op, r, l, tok);
    if (op === '-' && lt.kind === 'ptr' && rt.kind === 'ptr') {
      if (!compatible(unqualified(lt.base), unqualified(rt.base))) {
        c.diags.error(tok, `invalid operands to binary - ('${typeToString(lt)}' and '${typeToString(rt)}')`);
      }
      return { kind: 'ptrdiff', left: l, right: r, scale: elementSize(c, lt.base, tok), type: ptrdiffType, tok };
    }
  }
  if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
    if (lt.kind === 'ptr' || rt.kind === 'ptr') return pointerCompare(c, op, l, r, tok);
  }
  const intOnly = op === '%' || op === '<<' || op === '>>' || op === '&' || op === '|' || op === '^';
  const okL = intOnly ? isInteger(lt) : isArithmetic(lt);
  const okR = intOnly ? isInteger(rt) : isArithmetic(rt);
  if (!okL || !okR) {
    c.diags.error(tok, `invalid operands to binary ${op} ('${typeToString(lt)}' and '${typeToString(rt)}')`);
    return { kind: 'binary', op, left: l, right: r, type: intType, tok };
  }
  if (op === '<<' || op === '>>') {
    // Shifts: each operand promoted separately; result has the left operand's type (6.5.7).
    const t = promote(lt);
    return { kind: 'binary', op, left: cast(l, t), right: cast(r, promote(rt)), type: t, tok };
  }
  const t = usualArithmetic(lt, rt);
  const isCmp = op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
  return { kind: 'binary', op, left: cast(l, t), right: cast(r, t), type: isCmp ? intType : t, tok };
}

function ptrAdd(c: Checker, op: '+' | '-', p: Expr, i: Expr, tok: Token): Expr {
  const base = (p.type as CType & { kind: 'ptr' }).base;
  return { kind: 'ptradd', op, ptr: p, index: cast(i, llongType), scale: elementSize(c, base, tok), type: p.type, tok };
}

/** Size used to scale pointer arithmetic; void* and function pointers step by 1 (GNU/MSVC). */
export function elementSize(c: Checker, t: CType, tok: Token): number {
  if (t.kind === 'void' || t.kind === 'func') return 1;
  if (!isComplete(t)) {
    c.diags.error(tok, `arithmetic on a pointer to an incomplete type '${typeToString(t)}'`);
    return 1;
  }
  return t.size;
}

function pointerCompare(c: Checker, op: BinaryOp, l: Expr, r: Expr, tok: Token): Expr {
  const lt = l.type;
  const rt = r.type;
  let ll = l;
  let rr = r;
  if (lt.kind === 'ptr' && rt.kind === 'ptr') {
    if (!isVoidPtr(lt) && !isVoidPtr(rt) && !compatible(unqualified(lt.base), unqualified(rt.base))) {
      c.diags.warning(tok, `comparison of distinct pointer types ('${typeToString(lt)}' and '${typeToString(rt)}')`);
    }
  } else if (lt.kind === 'ptr' && isInteger(rt)) {
    if (!isNullPointerConstant(r)) c.diags.warning(tok, 'comparison between pointer and integer');
    rr = cast(r, lt);
  } else if (rt.kind === 'ptr' && isInteger(lt)) {
    if (!isNullPointerConstant(l)) c.diags.warning(tok, 'comparison between pointer and integer');
    ll = cast(l, rt);
  } else {
    c.diags.error(tok, `invalid operands to binary ${op} ('${typeToString(lt)}' and '${typeToString(rt)}')`);
  }
  // Pointers compare as unsigned 64-bit addresses.
  return { kind: 'binary', op, left: cast(ll, ullongType), right: cast(rr, ullongType), type: intType, tok };
}

export function logical(c: Checker, kind: 'logand' | 'logor', l0: Expr, r0: Expr, tok: Token): Expr {
  const l = rvalue(l0);
  const r = rvalue(r0);
  requireScalar(c, l, tok);
  requireScalar(c, r, tok);
  return { kind, left: l, right: r, type: intType, tok };
}

export function assign(c: Checker, target: Expr, value: Expr, tok: Token): Expr {
  checkModifiableLvalue(c, target, tok, 'left operand of assignment');
  const v = assignConvert(c, value, target.type, tok, 'in assignment');
  return { kind: 'assign', target, value: v, type: unqualified(target.type), tok };
}

export function compoundAssign(c: Checker, op: BinaryOp, target: Expr, value0: Expr, tok: Token): Expr {
  checkModifiableLvalue(c, target, tok, 'left operand of assignment');
  const value = rvalue(value0);
  const tt = target.type;
  if (tt.kind === 'ptr' && (op === '+' || op === '-') && isInteger(value.type)) {
    const scale = elementSize(c, tt.base, tok);
    return { kind: 'opassign', op, target, value: cast(value, llongType), opType: tt, scale, type: unqualified(tt), tok };
  }
  const probe = binary(c, op, { ...target, type: unqualified(tt) } as Expr, value, tok);
  if (probe.kind !== 'binary') {
    c.diags.error(tok, `invalid operands to compound assignment ${op}=`);
    return probe;
  }
  return { kind: 'opassign', op, target, value: probe.right, opType: probe.left.type, scale: 0, type: unqualified(tt), tok };
}

export function incDec(c: Checker, kind: 'preinc' | 'postinc', sign: 1 | -1, target: Expr, tok: Token): Expr {
  checkModifiableLvalue(c, target, tok, sign > 0 ? 'increment operand' : 'decrement operand');
  const t = target.type;
  if (!isScalar(t)) {
    c.diags.error(tok, `cannot ${sign > 0 ? 'increment' : 'decrement'} a value of type '${typeToString(t)}'`);
    return target;
  }
  const delta = t.kind === 'ptr' ? sign * elementSize(c, t.base, tok) : sign;
  return { kind, target, delta, type: unqualified(t), tok };
}

export function conditional(c: Checker, cond0: Expr, a0: Expr, b0: Expr, tok: Token): Expr {
  const cond = rvalue(cond0);
  requireScalar(c, cond, tok);
  const a = rvalue(a0);
  const b = rvalue(b0);
  const at = a.type;
  const bt = b.type;
  let t: CType;
  if (isArithmetic(at) && isArithmetic(bt)) t = usualArithmetic(at, bt);
  else if (at.kind === 'void' || bt.kind === 'void') t = voidType;
  else if (isRecord(at) && isRecord(bt) && compatible(at, bt)) t = unqualified(at);
  else if (at.kind === 'ptr' && bt.kind === 'ptr') {
    // C11 6.5.15p6: a null pointer constant takes the other operand's type; otherwise void*
    // wins; the result points to a type with the qualifiers of both.
    const quals = { const: !!(at.base.const || bt.base.const), volatile: !!(at.base.volatile || bt.base.volatile) };
    let base: CType;
    if (isNullPointerConstant(b)) base = at.base;
    else if (isNullPointerConstant(a)) base = bt.base;
    else if (isVoidPtr(at) || isVoidPtr(bt)) base = voidType;
    else {
      if (!compatible(unqualified(at.base), unqualified(bt.base))) c.diags.warning(tok, 'pointer type mismatch in conditional expression');
      base = at.base;
    }
    t = pointerTo(qualify(unqualified(base), quals));
  } else if (at.kind === 'ptr' && isInteger(bt)) {
    if (!isNullPointerConstant(b)) c.diags.warning(tok, 'pointer/integer type mismatch in conditional expression');
    t = at;
  } else if (bt.kind === 'ptr' && isInteger(at)) {
    if (!isNullPointerConstant(a)) c.diags.warning(tok, 'pointer/integer type mismatch in conditional expression');
    t = bt;
  } else {
    c.diags.error(tok, `type mismatch in conditional expression ('${typeToString(at)}' and '${typeToString(bt)}')`);
    return { kind: 'num', value: 0n, type: intType, tok };
  }
  return { kind: 'cond', cond, then: cast(a, t), else: cast(b, t), type: t, tok };
}

export function deref(c: Checker, e0: Expr, tok: Token): Expr {
  const e = rvalue(e0);
  if (e.type.kind !== 'ptr') {
    c.diags.error(tok, `indirection requires pointer operand ('${typeToString(e.type)}' invalid)`);
    return e;
  }
  const base = e.type.base;
  // *fp for a function pointer is the function designator again.
  return { kind: 'deref', operand: e, type: base, tok };
}

export function addressOf(c: Checker, e: Expr, tok: Token): Expr {
  if (e.type.kind === 'func') {
    return { kind: 'addr', operand: e, type: pointerTo(e.type), tok };
  }
  if (!isLvalue(e)) {
    c.diags.error(tok, 'lvalue required as unary & operand');
    return { kind: 'addr', operand: e, type: pointerTo(e.type), tok };
  }
  if (e.kind === 'member' && e.member.bitWidth !== undefined) {
    c.diags.error(tok, `cannot take address of bit-field '${e.member.name ?? ''}'`);
  }
  return { kind: 'addr', operand: e, type: pointerTo(e.type), tok };
}

const memberPaths = new WeakMap<Member[], Map<string, Member[] | undefined>>();

/** Finds `name` in a record, looking through anonymous struct/union members; returns the path. */
export function findMember(r: RecordType, name: string): Member[] | undefined {
  // Memoized per member list (variants of a record share it; completing a record replaces it).
  let cache = memberPaths.get(r.members);
  if (!cache) memberPaths.set(r.members, (cache = new Map()));
  if (cache.has(name)) return cache.get(name);
  const path = searchMember(r, name);
  cache.set(name, path);
  return path;
}

function searchMember(r: RecordType, name: string): Member[] | undefined {
  for (const m of r.members) {
    if (m.name === name) return [m];
    if (m.name === undefined && isRecord(m.type)) {
      const sub = searchMember(m.type, name);
      if (sub) return [m, ...sub];
    }
  }
  return undefined;
}

export function member(c: Checker, object: Expr, name: string, tok: Token, arrow: boolean): Expr {
  let obj = object;
  if (arrow) {
    const p = rvalue(object);
    if (p.type.kind !== 'ptr' || !isRecord(p.type.base)) {
      c.diags.error(tok, `member reference type '${typeToString(p.type)}' is not a pointer to a structure or union`);
      return { kind: 'num', value: 0n, type: intType, tok };
    }
    obj = { kind: 'deref', operand: p, type: p.type.base, tok };
  }
  const rt = obj.type;
  // After an error the expression is typed int, so later conversions add no cascade.
  if (!isRecord(rt)) {
    c.diags.error(tok, `request for member '${name}' in something not a structure or union`);
    return { kind: 'num', value: 0n, type: intType, tok };
  }
  if (!rt.complete) {
    c.diags.error(tok, `incomplete definition of type '${typeToString(rt)}'`);
    return { kind: 'num', value: 0n, type: intType, tok };
  }
  const path = findMember(rt, name);
  if (!path) {
    c.diags.error(tok, `'${typeToString(rt)}' has no member named '${name}'`);
    return { kind: 'num', value: 0n, type: intType, tok };
  }
  let e: Expr = obj;
  for (const m of path) {
    // A member of a const/volatile object is itself const/volatile.
    let t = m.type;
    if (e.type.const || e.type.volatile) t = qualify(t, { const: e.type.const, volatile: e.type.volatile });
    e = { kind: 'member', object: e, member: m, type: t, tok };
  }
  return e;
}

/** Default argument promotions for variadic and unprototyped calls (6.5.2.2p6). */
export function defaultPromote(e0: Expr): Expr {
  const e = rvalue(e0);
  if (e.type.kind === 'float' && e.type.name === 'float') return cast(e, doubleType);
  if (isInteger(e.type)) return cast(e, promote(e.type));
  return e;
}

export function call(c: Checker, callee0: Expr, args: Expr[], tok: Token, calleeName: string | undefined): CallExpr | Expr {
  const callee = rvalue(callee0);
  const ft = callee.type.kind === 'ptr' && callee.type.base.kind === 'func' ? callee.type.base : undefined;
  if (!ft) {
    c.diags.error(tok, `called object type '${typeToString(callee.type)}' is not a function or function pointer`);
    return callee;
  }
  const name = calleeName ? `function '${calleeName}'` : 'function';
  const converted: Expr[] = [];
  if (!ft.noPrototype) {
    if (args.length < ft.params.length) c.diags.error(tok, `too few arguments to ${name} (expected ${ft.params.length}, have ${args.length})`);
    else if (args.length > ft.params.length && !ft.variadic) c.diags.error(tok, `too many arguments to ${name} (expected ${ft.params.length}, have ${args.length})`);
  }
  args.forEach((a, i) => {
    const p = ft.noPrototype ? undefined : ft.params[i];
    converted.push(p ? assignConvert(c, a, p.type, a.tok, `passing argument ${i + 1} of '${calleeName ?? 'function'}'`) : defaultPromote(a));
  });
  if (ft.ret.kind !== 'void' && !isComplete(ft.ret)) c.diags.error(tok, `calling function with incomplete return type '${typeToString(ft.ret)}'`);
  return { kind: 'call', callee, funcType: ft, args: converted, type: unqualified(ft.ret), tok: callee.tok };
}

export function explicitCast(c: Checker, e0: Expr, type: CType, tok: Token): Expr {
  const e = rvalue(e0);
  if (type.kind === 'void') return { kind: 'cast', operand: e, type, implicit: false, tok };
  if (!isScalar(type)) {
    if (isRecord(type) && isRecord(e.type) && compatible(type, e.type)) return e;
    c.diags.error(tok, `conversion to non-scalar type '${typeToString(type)}' requested`);
    return e;
  }
  if (!isScalar(e.type)) {
    c.diags.error(tok, `operand of type '${typeToString(e.type)}' where arithmetic or pointer type is required`);
    return e;
  }
  if (type.kind === 'ptr' && e.type.kind === 'float') c.diags.error(tok, 'pointer cannot be cast to or from a floating type');
  if (type.kind === 'float' && e.type.kind === 'ptr') c.diags.error(tok, 'pointer cannot be cast to or from a floating type');
  // The result is unqualified (C11 6.5.4p5) but keeps the typedef's name: `(PIRP)p` is a PIRP
  // in messages and in the debugger, as gcc and WinDbg name it.
  const plain = unqualified(type);
  return { kind: 'cast', operand: e, type: type.typedefName && plain !== type ? withTypedefName(plain, type.typedefName) : plain, implicit: false, tok };
}

export function commaExpr(l: Expr, r: Expr, tok: Token): Expr {
  const rr = rvalue(r);
  return { kind: 'comma', left: l, right: rr, type: rr.type, tok };
}

