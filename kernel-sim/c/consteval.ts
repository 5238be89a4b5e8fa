// Constant expressions (C11 6.6): integer constants for array sizes, case labels, enum
// values, bitfield widths and static asserts; address constants for static initializers.

import type { Expr, FuncObj, StrExpr, VarObj } from './ast';
import { wrapInt } from './checker';
import { isInteger } from './types';

/** An address constant: a symbol (or none: a plain integer) plus a byte offset. */
export interface ConstValue {
  base: VarObj | FuncObj | StrExpr | undefined;
  offset: bigint;
}

export class NotConstant {
  constructor(readonly expr: Expr) {}
}

/** Integer constant expression value, or undefined if `e` is not one. */
export function evalInteger(e: Expr): bigint | undefined {
  try {
    const v = evalConst(e);
    return v.base === undefined ? v.offset : undefined;
  } catch (x) {
    if (x instanceof NotConstant) return undefined;
    throw x;
  }
}

/** Address or arithmetic constant for a static initializer; throws NotConstant at the culprit. */
export function evalConst(e: Expr): ConstValue {
  switch (e.kind) {
    case 'num':
      return { base: undefined, offset: e.value };
    case 'fnum':
      throw new NotConstant(e);
    case 'cast': {
      if (e.type.kind === 'float') throw new NotConstant(e);
      // (int)2.5 is an integer constant expression (C11 6.6p6): truncation toward zero.
      if (e.operand.type.kind === 'float') {
        const f = evalFloat(e.operand);
        if (!Number.isFinite(f)) throw new NotConstant(e);
        if (e.type.kind === 'int' && e.type.name === '_Bool') return { base: undefined, offset: f !== 0 ? 1n : 0n };
        return { base: undefined, offset: wrapInt(BigInt(Math.trunc(f)), e.type) };
      }
      const v = evalConst(e.operand);
      if (v.base) {
        // Address constants survive casts to pointers and to 64-bit integers only.
        if (e.type.kind === 'ptr' || (isInteger(e.type) && e.type.size === 8)) return v;
        throw new NotConstant(e);
      }
      return { base: undefined, offset: wrapInt(v.offset, e.type) };
    }
    case 'decay':
    case 'addr':
      return address(e.operand);
    case 'neg':
    case 'bitnot': {
      const v = intOf(e.operand);
      const r = e.kind === 'neg' ? -v : ~v;
      return { base: undefined, offset: wrapInt(r, e.type) };
    }
    case 'binary': {
      // A comparison of floating constants is an arithmetic constant expression of type int.
      if (e.left.type.kind === 'float') {
        const l = evalFloat(e.left);
        const r = evalFloat(e.right);
        const cmp: Record<string, boolean> = { '==': l === r, '!=': l !== r, '<': l < r, '<=': l <= r, '>': l > r, '>=': l >= r };
        if (!(e.op in cmp)) throw new NotConstant(e);
        return { base: undefined, offset: cmp[e.op] ? 1n : 0n };
      }
      const l = intOf(e.left);
      const r = intOf(e.right);
      return { base: undefined, offset: binaryOp(e.op, l, r, e) };
    }
    case 'ptradd': {
      const p = evalConst(e.ptr);
      const i = intOf(e.index) * BigInt(e.scale);
      return { base: p.base, offset: wrapInt(e.op === '+' ? p.offset + i : p.offset - i, e.type) };
    }
    case 'ptrdiff': {
      const l = evalConst(e.left);
      const r = evalConst(e.right);
      if (l.base !== r.base) throw new NotConstant(e);
      return { base: undefined, offset: (l.offset - r.offset) / BigInt(e.scale || 1) };
    }
    case 'lognot':
      if (e.operand.type.kind === 'float') return { base: undefined, offset: evalFloat(e.operand) === 0 ? 1n : 0n };
      return { base: undefined, offset: intOf(e.operand) === 0n ? 1n : 0n };
    case 'logand':
    case 'logor': {
      const l = intOf(e.left);
      if (e.kind === 'logand' && l === 0n) return { base: undefined, offset: 0n };
      if (e.kind === 'logor' && l !== 0n) return { base: undefined, offset: 1n };
      return { base: undefined, offset: intOf(e.right) !== 0n ? 1n : 0n };
    }
    case 'cond':
      return intOf(e.cond) !== 0n ? evalConst(e.then) : evalConst(e.else);
    case 'comma':
      throw new NotConstant(e);
    default:
      throw new NotConstant(e);
  }
}

function intOf(e: Expr): bigint {
  const v = evalConst(e);
  if (v.base) throw new NotConstant(e);
  return v.offset;
}

/** Address of an lvalue in a constant expression: &global, &global.member[3], &((T*)0)->f. */
function address(e: Expr): ConstValue {
  switch (e.kind) {
    case 'var':
      if (e.obj.kind === 'func' || e.obj.storage === 'global') return { base: e.obj, offset: 0n };
      throw new NotConstant(e);
    case 'str':
      return { base: e, offset: 0n };
    case 'deref':
      return evalConst(e.operand);
    case 'member': {
      const o = address(e.object);
      return { base: o.base, offset: o.offset + BigInt(e.member.offset) };
    }
    case 'complit':
      if (e.obj.storage === 'global') return { base: e.obj, offset: 0n };
      throw new NotConstant(e);
    default:
      throw new NotConstant(e);
  }
}

function binaryOp(op: string, l: bigint, r: bigint, e: Expr & { kind: 'binary' }): bigint {
  const t = e.left.type; // operands share the converted type
  let v: bigint;
  switch (op) {
    case '+':
      v = l + r;
      break;
    case '-':
      v = l - r;
      break;
    case '*':
      v = l * r;
      break;
    case '/':
    case '%':
      if (r === 0n) throw new NotConstant(e);
      v = op === '/' ? l / r : l % r;
      break;
    case '<<':
      v = r < 0n || r >= BigInt(t.size * 8) ? 0n : l << r;
      break;
    case '>>':
      v = r < 0n || r >= BigInt(t.size * 8) ? (l < 0n ? -1n : 0n) : l >> r;
      break;
    case '&':
      v = l & r;
      break;
    case '|':
      v = l | r;
      break;
    case '^':
      v = l ^ r;
      break;
    case '==':
      return l === r ? 1n : 0n;
    case '!=':
      return l !== r ? 1n : 0n;
    case '<':
      return l < r ? 1n : 0n;
    case '<=':
      return l <= r ? 1n : 0n;
    case '>':
      return l > r ? 1n : 0n;
    case '>=':
      return l >= r ? 1n : 0n;
    default:
      throw new NotConstant(e);
  }
  return wrapInt(v, e.type);
}

/** Arithmetic constant of floating type (static initializers like `double x = 1.0 / 3;`). */
export function evalFloat(e: Expr): number {
  switch (e.kind) {
    case 'fnum':
      return e.type.kind === 'float' && e.type.name === 'float' ? Math.fround(e.value) : e.value;
    case 'num':
      return Number(e.value);
    case 'cast': {
      if (e.operand.type.kind === 'float') {
        const v = evalFloat(e.operand);
        if (e.type.kind === 'float') return e.type.name === 'float' ? Math.fround(v) : v;
        if (isInteger(e.type)) return Number(wrapInt(BigInt(Math.trunc(v)), e.type));
        throw new NotConstant(e);
      }
      if (e.type.kind === 'float') {
        const v = Number(evalConst(e.operand).offset);
        return e.type.name === 'float' ? Math.fround(v) : v;
      }
      return Number(evalConst(e).offset);
    }
    case 'neg':
      return -evalFloat(e.operand);
    case 'binary': {
      if (e.type.kind !== 'float') return Number(evalConst(e).offset);
      const l = evalFloat(e.left);
      const r = evalFloat(e.right);
      let v: number;
      switch (e.op) {
        case '+':
          v = l + r;
          break;
        case '-':
          v = l - r;
          break;
        case '*':
          v = l * r;
          break;
        case '/':
          v = l / r;
          break;
        default:
          throw new NotConstant(e);
      }
      return e.type.name === 'float' ? Math.fround(v) : v;
    }
    case 'cond':
      return evalFloat(e.cond) !== 0 ? evalFloat(e.then) : evalFloat(e.else);
    default:
      throw new NotConstant(e);
  }
}
