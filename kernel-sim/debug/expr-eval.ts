// Interprets a typed, checked C expression (from expr-parse.ts) against a stopped machine.
// The checker already made every conversion explicit (promotions, usual arithmetic
// conversions, decay, pointer scaling), so each node is computed as written, with x64's
// widths and two's-complement wrapping. Memory is read and written only through the
// side-effect-free ValueReader; values follow vm/codegen.ts (numbers up to 32 bits and
// pointers as internal addresses, bigint for 64-bit integers).

import type { BinaryOp, Expr } from '../c/ast';
import { children } from '../c/ast-walk';
import { type CType, doubleType, isRecord, typeToString, unqualified, voidType } from '../c/types';
import { fromUnsigned, toUnsigned } from '../vm/memory';
import type { Value } from '../vm/runtime';
import type { EvalScope } from './evaluate';
import { hexAddress, type Location, type TypedValue, type ValueReader } from './values';

/** A failure reported to the user as the evaluation's message. */
export class EvalError extends Error {}

type Place = TypedValue & { loc: Location };

/** Why an expression may not be evaluated at all, before anything is read (or undefined). */
export function refusal(e: Expr, sideEffects: boolean): string | undefined {
  let reason: string | undefined;
  const visit = (x: Expr): void => {
    if (reason) return;
    switch (x.kind) {
      case 'call':
        reason = 'function calls are not evaluated by the debugger';
        return;
      case 'assign':
      case 'opassign':
      case 'preinc':
      case 'postinc':
        if (!sideEffects) reason = 'the expression has side effects (assignments, ++ and -- are evaluated only in the Debug Console)';
        break;
      case 'str':
        reason = 'string literals are not supported in debugger expressions';
        return;
      case 'complit':
        reason = 'compound literals are not supported in debugger expressions';
        return;
      case 'builtin':
        reason = `'${x.name}' cannot be evaluated by the debugger`;
        return;
    }
    for (const c of children(x)) visit(c);
  };
  visit(e);
  return reason;
}

export class Interpreter {
  private readonly reader: ValueReader;

  constructor(private readonly scope: EvalScope) {
    this.reader = scope.reader;
  }

  /** The expression's result: an lvalue keeps its location (watch, setVariable, memory view). */
  result(e: Expr): TypedValue {
    if (e.kind === 'var' && e.obj.kind === 'func') return { type: e.type, loc: { kind: 'memory', address: this.functionAddress(e.obj.name) } };
    const given = this.givenValue(e);
    if (given !== undefined) return { type: e.type, value: given };
    if (e.kind === 'var' || e.kind === 'deref' || e.kind === 'member') {
      if (e.type.kind === 'void') throw new EvalError(`cannot show an object of type '${typeToString(e.type)}' (cast the pointer to another type first)`);
      const pl = this.place(e);
      this.checkReadable(pl);
      return pl;
    }
    if (isRecord(e.type)) {
      const pl = this.record(e);
      this.checkReadable(pl);
      return pl;
    }
    const value = this.value(e);
    return e.type.kind === 'void' ? { type: voidType, value: 0 } : { type: e.type, value };
  }

  /** A frame variable the debugger handed over as a value only (it has no place to read). */
  private givenValue(e: Expr): Value | undefined {
    if (e.kind !== 'var') return undefined;
    const tv = this.scope.locals.find((x) => x.v === e.obj)?.tv;
    return tv && !tv.loc && tv.value !== undefined ? normalize(e.type, tv.value) : undefined;
  }

  // ---- lvalues ----

  private place(e: Expr): Place {
    switch (e.kind) {
      case 'var': {
        const obj = e.obj;
        if (obj.kind === 'func') return { type: e.type, loc: { kind: 'memory', address: this.functionAddress(obj.name) } };
        const local = this.scope.locals.find((x) => x.v === obj);
        if (local?.tv.loc) return { type: e.type, loc: local.tv.loc };
        if (obj.storage === 'global') {
          const g = this.scope.global(obj.name);
          if (g?.loc) return { type: e.type, loc: g.loc };
          throw new EvalError(`'${obj.name}' has no storage in the loaded image`);
        }
        throw new EvalError(`'${obj.name}' is not available in this frame`);
      }
      case 'deref':
        return { type: e.type, loc: { kind: 'memory', address: Number(this.value(e.operand)) } };
      case 'member': {
        const obj = this.record(e.object);
        if (obj.loc.kind !== 'memory') throw new EvalError(`member '${e.member.name ?? ''}' of a value that is not in memory`);
        const pl: Place = { type: e.type, loc: { kind: 'memory', address: obj.loc.address + e.member.offset } };
        if (e.member.bitWidth !== undefined) pl.bits = { offset: e.member.bitOffset ?? 0, width: e.member.bitWidth };
        return pl;
      }
      default:
        throw new EvalError('the expression does not designate an object');
    }
  }

  /** A structure or union value: where it is (records are handled by address, as in the VM). */
  private record(e: Expr): Place {
    switch (e.kind) {
      case 'var':
      case 'deref':
      case 'member':
        return this.place(e);
      case 'cond':
        return this.truth(this.value(e.cond)) ? this.record(e.then) : this.record(e.else);
      case 'comma':
        this.value(e.left);
        return this.record(e.right);
      default:
        throw new EvalError(`a value of type '${typeToString(e.type)}' cannot be computed by the debugger`);
    }
  }

  private checkReadable(pl: Place): void {
    if (pl.loc.kind !== 'memory' || pl.type.kind === 'func') return;
    const size = Math.max(1, pl.type.size);
    if (!this.reader.bytes(pl.loc.address, size)) throw unreadable(pl.loc.address);
  }

  private read(pl: Place): Value {
    const v = this.reader.scalar(pl);
    if (v === undefined) {
      if (pl.loc.kind === 'memory') throw unreadable(pl.loc.address);
      throw new EvalError('the variable has no value yet');
    }
    return normalize(pl.type, v);
  }

  private write(pl: Place, v: Value): Value {
    if (isRecord(pl.type) || pl.type.kind === 'array') throw new EvalError(`assigning a whole '${typeToString(pl.type)}' is not supported by the debugger`);
    if (!this.reader.store(pl, v)) throw new EvalError(pl.loc.kind === 'memory' ? `cannot write memory at ${hexAddress(pl.loc.address)}` : 'cannot write the variable');
    // The value of an assignment is the object's new value (a bitfield keeps only its width).
    const now = this.reader.scalar(pl);
    return now === undefined ? v : normalize(pl.type, now);
  }

  private functionAddress(name: string): number {
    const a = this.scope.functionAddress(name);
    if (a === undefined) throw new EvalError(`function '${name}' has no address in the loaded image`);
    return a;
  }

  /** The address of an lvalue (taking it reads nothing). */
  private addressOf(e: Expr): number {
    if (e.type.kind === 'func' && e.kind === 'var') return this.functionAddress(e.obj.name);
    if (e.kind === 'deref') return Number(this.value(e.operand));
    const pl = this.place(e);
    if (pl.loc.kind !== 'memory') {
      const name = e.kind === 'var' ? `'${e.obj.name}' ` : '';
      throw new EvalError(`${name}is kept in a register by the simulator: it has no address`);
    }
    return pl.loc.address;
  }

  // ---- rvalues ----

  value(e: Expr): Value {
    switch (e.kind) {
      case 'num':
        return e.type.kind === 'ptr' ? fromUnsigned(e.value) : intValue(e.type, e.value);
      case 'fnum':
        return e.type.size === 4 ? Math.fround(e.value) : e.value;
      case 'var':
      case 'deref':
      case 'member': {
        const given = this.givenValue(e);
        if (given !== undefined) return given;
        if (e.type.kind === 'void') return 0;
        if (isRecord(e.type) || e.type.kind === 'array' || e.type.kind === 'func') throw new EvalError(`a value of type '${typeToString(e.type)}' is not a scalar`);
        return this.read(this.place(e));
      }
      case 'decay':
      case 'addr':
        return this.addressOf(e.operand);
      case 'neg':
      case 'bitnot': {
        const v = this.value(e.operand);
        if (e.type.kind === 'float') return e.type.size === 4 ? Math.fround(-Number(v)) : -Number(v);
        return intValue(e.type, e.kind === 'neg' ? -BigInt(v) : ~BigInt(v));
      }
      case 'lognot':
        return this.truth(this.value(e.operand)) ? 0 : 1;
      case 'binary': {
        const l = this.value(e.left);
        const r = this.value(e.right);
        return isComparison(e.op) ? compare(e.op, e.left.type, l, r) : arith(e.op, e.left.type, l, r);
      }
      case 'ptradd': {
        const n = BigInt(this.value(e.index)) * BigInt(e.scale);
        return offsetPointer(this.value(e.ptr), e.op === '-' ? -n : n);
      }
      case 'ptrdiff': {
        const d = BigInt.asIntN(64, toUnsigned(Number(this.value(e.left))) - toUnsigned(Number(this.value(e.right))));
        return d / BigInt(e.scale > 0 ? e.scale : 1);
      }
      case 'logand':
        return this.truth(this.value(e.left)) && this.truth(this.value(e.right)) ? 1 : 0;
      case 'logor':
        return this.truth(this.value(e.left)) || this.truth(this.value(e.right)) ? 1 : 0;
      case 'cond':
        return this.truth(this.value(e.cond)) ? this.value(e.then) : this.value(e.else);
      case 'comma':
        this.value(e.left);
        return this.value(e.right);
      case 'cast':
        return convert(this.value(e.operand), e.operand.type, e.type);
      case 'assign': {
        const pl = this.place(e.target);
        return this.write(pl, this.value(e.value));
      }
      case 'opassign': {
        const pl = this.place(e.target);
        const cur = this.read(pl);
        const v = this.value(e.value);
        if (e.opType.kind === 'ptr') return this.write(pl, offsetPointer(cur, BigInt(v) * BigInt(e.op === '-' ? -e.scale : e.scale)));
        const x = arith(e.op, e.opType, convert(cur, pl.type, e.opType), v);
        return this.write(pl, convert(x, e.opType, unqualified(pl.type)));
      }
      case 'preinc':
      case 'postinc': {
        const pl = this.place(e.target);
        const cur = this.read(pl);
        const t = pl.type;
        let next: Value;
        if (t.kind === 'ptr') next = offsetPointer(cur, BigInt(e.delta));
        else if (t.kind === 'float') next = convert(Number(cur) + e.delta, doubleType, t);
        else next = intValue(t, BigInt(cur) + BigInt(e.delta));
        const stored = this.write(pl, next);
        return e.kind === 'preinc' ? stored : cur;
      }
      case 'str':
      case 'complit':
      case 'call':
      case 'builtin':
        // Refused before evaluation (see refusal); kept exhaustive for the compiler.
        throw new EvalError(refusal(e, true) ?? 'cannot evaluate the expression');
    }
  }

  private truth(v: Value): boolean {
    return typeof v === 'bigint' ? v !== 0n : v !== 0;
  }
}

function unreadable(address: number): EvalError {
  return new EvalError(`cannot read memory at ${hexAddress(address)}`);
}

function isComparison(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
}

/** Integer `v` wrapped to type `t` in the engine's representation. */
export function intValue(t: CType, v: bigint): Value {
  if (t.kind === 'int' && t.name === '_Bool') return v !== 0n ? 1 : 0;
  const size = t.size > 0 ? t.size : 4;
  const w = t.kind === 'int' && t.unsigned ? BigInt.asUintN(size * 8, v) : BigInt.asIntN(size * 8, v);
  return size === 8 ? w : Number(w);
}

/** A value read from memory or a slot, in the representation of its type. */
function normalize(t: CType, v: Value): Value {
  if (t.kind === 'float') return t.size === 4 ? Math.fround(Number(v)) : Number(v);
  if (t.kind === 'ptr') return Number(v);
  if (t.kind === 'int' || t.kind === 'enum') return intValue(t, BigInt(v));
  return v;
}

/** A pointer moved by `bytes`, computed on the real 64-bit address. */
function offsetPointer(p: Value, bytes: bigint): number {
  return fromUnsigned(BigInt.asUintN(64, toUnsigned(Number(p)) + bytes));
}

/** Operands already converted to `t` by the checker (shifts: `t` is the left operand's type). */
function arith(op: BinaryOp, t: CType, l: Value, r: Value): Value {
  if (t.kind === 'float') {
    const a = Number(l);
    const b = Number(r);
    const x = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
    return t.size === 4 ? Math.fround(x) : x;
  }
  const a = BigInt(l);
  const b = BigInt(r);
  // x64 masks shift counts to the operand width (shl/sar/shr).
  const count = (): bigint => b & (t.size === 8 ? 63n : 31n);
  let x: bigint;
  switch (op) {
    case '+':
      x = a + b;
      break;
    case '-':
      x = a - b;
      break;
    case '*':
      x = a * b;
      break;
    case '/':
    case '%':
      if (b === 0n) throw new EvalError('division by zero');
      x = op === '/' ? a / b : a % b;
      break;
    case '&':
      x = a & b;
      break;
    case '|':
      x = a | b;
      break;
    case '^':
      x = a ^ b;
      break;
    case '<<':
      x = a << count();
      break;
    case '>>':
      x = a >> count();
      break;
    default:
      throw new EvalError(`operator '${op}' is not arithmetic`);
  }
  return intValue(t, x);
}

/** Operands of type `t` in normalized form (unsigned values non-negative), so JS order is C's. */
function compare(op: BinaryOp, t: CType, l: Value, r: Value): number {
  const [a, b] = t.kind === 'float' ? [Number(l), Number(r)] : [BigInt(l), BigInt(r)];
  let out: boolean;
  switch (op) {
    case '==':
      out = a === b;
      break;
    case '!=':
      out = a !== b;
      break;
    case '<':
      out = a < b;
      break;
    case '<=':
      out = a <= b;
      break;
    case '>':
      out = a > b;
      break;
    default:
      out = a >= b;
  }
  return out ? 1 : 0;
}

/** C's conversion of `v` from type `from` to type `to` (C11 6.3), as x64 performs it. */
export function convert(v: Value, from: CType, to: CType): Value {
  if (to.kind === 'void') return 0;
  if (to.kind === 'int' && to.name === '_Bool') return (typeof v === 'bigint' ? v !== 0n : v !== 0) ? 1 : 0;
  if (to.kind === 'float') {
    const x = from.kind === 'ptr' ? Number(toUnsigned(Number(v))) : Number(v);
    return to.size === 4 ? Math.fround(x) : x;
  }
  if (to.kind === 'ptr') {
    if (from.kind === 'ptr') return Number(v);
    // An integer becomes the address with that 64-bit pattern (negative ones sign-extend).
    return fromUnsigned(BigInt.asUintN(64, BigInt(v)));
  }
  if (to.kind === 'int' || to.kind === 'enum') {
    if (from.kind === 'ptr') return intValue(to, toUnsigned(Number(v)));
    if (from.kind === 'float') {
      const x = Math.trunc(Number(v));
      return intValue(to, Number.isFinite(x) ? BigInt(x) : 0n);
    }
    return intValue(to, BigInt(v));
  }
  throw new EvalError(`cannot convert '${typeToString(from)}' to '${typeToString(to)}'`);
}
