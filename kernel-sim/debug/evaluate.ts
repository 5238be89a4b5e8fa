// C expressions for the debugger (hover, watch, the Debug Console, breakpoint conditions,
// logpoint {expr}, setVariable values), evaluated against a stopped machine with C's rules
// for x64 LLP64: integer promotions and the usual arithmetic conversions, pointer arithmetic
// scaled by the element size, array-to-pointer decay, casts to any type the driver knows
// (base types, typedefs such as PDEVICE_OBJECT, struct tags). Memory is read only through the
// side-effect-free ValueReader; assignments are allowed only when asked (the REPL).

import type { Program as CProgram, VarObj } from '../c/ast';
import { findMember } from '../c/checker';
import {
  type CType,
  charType,
  doubleType,
  floatType,
  intType,
  isInteger,
  isRecord,
  llongType,
  longType,
  pointerTo,
  promote,
  type RecordType,
  shortType,
  tagRoot,
  typeToString,
  uintType,
  ullongType,
  ulongType,
  usualArithmetic,
  voidType,
  ucharType,
  ushortType,
  scharType,
} from '../c/types';
import { fromUnsigned, toUnsigned } from '../vm/memory';
import type { Value } from '../vm/runtime';
import { hexAddress, type TypedValue, type ValueReader } from './values';

export interface EvalScope {
  program: CProgram;
  /** Parameters and locals visible in the selected frame, innermost scope first. */
  locals: ReadonlyArray<{ v: VarObj; tv: TypedValue }>;
  global(name: string): TypedValue | undefined;
  functionAddress(name: string): number | undefined;
  reader: ValueReader;
}

export type EvalResult = { ok: true; value: TypedValue } | { ok: false; message: string };

class EvalError extends Error {}

/** Truthiness of a scalar result (breakpoint conditions); undefined when not a readable scalar. */
export function isTrue(r: TypedValue, reader: ValueReader): boolean | undefined {
  if (r.type.kind === 'array' || r.type.kind === 'func') return true;
  const v = reader.scalar(r);
  if (v === undefined) return undefined;
  return typeof v === 'bigint' ? v !== 0n : v !== 0;
}

export function evaluate(text: string, scope: EvalScope, opts: { sideEffects?: boolean } = {}): EvalResult {
  try {
    const p = new Parser(tokenize(text), scope, opts.sideEffects ?? false);
    const v = p.expression();
    p.expectEnd();
    return { ok: true, value: v };
  } catch (e) {
    if (e instanceof EvalError) return { ok: false, message: e.message };
    throw e;
  }
}

// ---- tokens ---------------------------------------------------------------------------------------

type Tok = { kind: 'num'; text: string } | { kind: 'char'; value: number } | { kind: 'id'; text: string } | { kind: 'op'; text: string } | { kind: 'end' };

const OPS = ['<<=', '>>=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', ...'+-*/%<>=!~&|^?:()[].,'.split('')];

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F`]+|\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?)([uUlLfF]*)/.exec(text.slice(i));
    if (num && /[\d.]/.test(c)) {
      out.push({ kind: 'num', text: num[0] });
      i += num[0].length;
      continue;
    }
    if (c === "'") {
      const m = /^'(\\x[0-9a-fA-F]+|\\[0-7]{1,3}|\\.|[^\\'])'/.exec(text.slice(i));
      if (!m) throw new EvalError(`bad character constant at column ${i + 1}`);
      out.push({ kind: 'char', value: charValue(m[1]) });
      i += m[0].length;
      continue;
    }
    const id = /^[A-Za-z_]\w*/.exec(text.slice(i));
    if (id) {
      out.push({ kind: 'id', text: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new EvalError(`unexpected '${c}' at column ${i + 1}`);
    out.push({ kind: 'op', text: op });
    i += op.length;
  }
  out.push({ kind: 'end' });
  return out;
}

function charValue(body: string): number {
  if (!body.startsWith('\\')) return body.charCodeAt(0);
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };
  if (body[1] === 'x') return parseInt(body.slice(2), 16) & 0xff;
  if (/^\\[0-7]+$/.test(body)) return parseInt(body.slice(1), 8) & 0xff;
  return esc[body[1]] ?? body.charCodeAt(1);
}

// ---- parser and evaluator (one pass: C has no forward references inside an expression) -------------

const BINARY_PREC: Record<string, number> = { '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10 };
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);
const BASE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double', '_Bool', '__int8', '__int16', '__int32', '__int64', 'struct', 'union', 'enum', 'const', 'volatile']);

class Parser {
  private i = 0;
  /** Inside the untaken side of && / || / ?: nothing is read (C evaluates only one side). */
  private skipping = 0;

  constructor(
    private readonly toks: Tok[],
    private readonly scope: EvalScope,
    private readonly sideEffects: boolean,
  ) {}

  private get reader(): ValueReader {
    return this.scope.reader;
  }

  private peek(): Tok {
    return this.toks[this.i];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private take(text: string): boolean {
    if (!this.isOp(text)) return false;
    this.i++;
    return true;
  }

  private expect(text: string): void {
    if (!this.take(text)) throw new EvalError(`expected '${text}'${this.where()}`);
  }

  private where(): string {
    const t = this.peek();
    return t.kind === 'end' ? ' at the end' : ` before '${t.kind === 'num' || t.kind === 'id' || t.kind === 'op' ? t.text : "'...'"}'`;
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') throw new EvalError(`unexpected text${this.where()}`);
  }

  expression(): TypedValue {
    let v = this.assignment();
    while (this.take(',')) v = this.assignment();
    return v;
  }

  private assignment(): TypedValue {
    const left = this.conditional();
    const t = this.peek();
    if (t.kind === 'op' && ASSIGN_OPS.has(t.text)) {
      this.i++;
      const right = this.assignment();
      if (this.skipping) return left;
      if (!this.sideEffects) throw new EvalError('the expression has side effects (assignments are evaluated only in the Debug Console)');
      if (!left.loc) throw new EvalError('the left side of an assignment must be a variable or an object in memory');
      const value = t.text === '=' ? right : this.binary(t.text.slice(0, -1), this.rvalue(left), right);
      const converted = this.convert(this.rvalue(value), left.type);
      if (!this.reader.store(left, this.scalarOf(converted))) throw new EvalError('cannot write there');
      return left;
    }
    return left;
  }

  private conditional(): TypedValue {
    const cond = this.binaryExpr(1);
    if (!this.take('?')) return cond;
    const truth = this.skipping ? true : this.truth(cond);
    if (!truth) this.skipping++;
    const a = this.expression();
    if (!truth) this.skipping--;
    this.expect(':');
    if (truth) this.skipping++;
    const b = this.conditional();
    if (truth) this.skipping--;
    return truth ? a : b;
  }

  private binaryExpr(minPrec: number): TypedValue {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.kind === 'op' ? BINARY_PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.i++;
      if (t.kind !== 'op') return left;
      if (t.text === '&&' || t.text === '||') {
        const l = this.skipping ? false : this.truth(left);
        const decided = t.text === '&&' ? !l : l;
        if (decided) this.skipping++;
        const right = this.binaryExpr(prec + 1);
        if (decided) this.skipping--;
        const result = decided ? t.text === '||' : this.skipping ? false : this.truth(right);
        left = { type: intType, value: result ? 1 : 0 };
        continue;
      }
      const right = this.binaryExpr(prec + 1);
      left = this.skipping ? { type: intType, value: 0 } : this.binary(t.text, this.rvalue(left), this.rvalue(right));
    }
  }

  private unary(): TypedValue {
    const t = this.peek();
    if (t.kind === 'op') {
      switch (t.text) {
        case '-':
        case '+':
        case '~':
        case '!': {
          this.i++;
          const v = this.rvalue(this.unary());
          if (this.skipping) return v;
          if (t.text === '!') return { type: intType, value: this.truth(v) ? 0 : 1 };
          if (!isArith(v.type) || (t.text === '~' && !isInteger(v.type))) throw new EvalError(`'${t.text}' needs ${t.text === '~' ? 'an integer' : 'a number'}, not ${typeToString(v.type)}`);
          const pt = promote(v.type);
          if (pt.kind === 'float') return { type: pt, value: t.text === '-' ? -Number(this.scalarOf(v)) : Number(this.scalarOf(v)) };
          const x = BigInt(this.scalarOf(v));
          return mk(pt, t.text === '-' ? -x : t.text === '~' ? ~x : x);
        }
        case '*': {
          this.i++;
          const v = this.rvalue(this.unary());
          return this.deref(v);
        }
        case '&': {
          this.i++;
          const v = this.unary();
          if (this.skipping) return { type: pointerTo(v.type), value: 0 };
          if (v.type.kind === 'func' && v.loc?.kind === 'memory') return { type: pointerTo(v.type), value: v.loc.address };
          if (v.loc?.kind !== 'memory') throw new EvalError('cannot take the address of a value that is not in memory (a register variable or a computed value)');
          if (v.bits) throw new EvalError('cannot take the address of a bitfield');
          return { type: pointerTo(v.type), value: v.loc.address };
        }
        case '++':
        case '--':
          throw new EvalError(`'${t.text}' has side effects: use an assignment in the Debug Console`);
        case '(': {
          const ty = this.tryTypeName(1);
          if (ty) {
            this.i++;
            const type = this.typeName();
            this.expect(')');
            const v = this.rvalue(this.unary());
            return this.skipping ? { type, value: 0 } : this.convert(v, type, true);
          }
          break;
        }
      }
    }
    if (t.kind === 'id' && t.text === 'sizeof') {
      this.i++;
      if (this.isOp('(') && this.tryTypeName(1)) {
        this.i++;
        const type = this.typeName();
        this.expect(')');
        return mk(ullongType, BigInt(sizeOf(type)));
      }
      this.skipping++;
      const v = this.unary();
      this.skipping--;
      return mk(ullongType, BigInt(sizeOf(v.type)));
    }
    return this.postfix(this.primary());
  }

  private postfix(v0: TypedValue): TypedValue {
    let v = v0;
    for (;;) {
      if (this.take('[')) {
        const index = this.rvalue(this.expression());
        this.expect(']');
        v = this.deref(this.binary('+', this.rvalue(v), index));
      } else if (this.take('.') || this.isOp('->')) {
        const arrow = this.take('->');
        const name = this.peek();
        if (name.kind !== 'id') throw new EvalError(`expected a member name${this.where()}`);
        this.i++;
        v = this.member(arrow ? this.deref(this.rvalue(v)) : v, name.text);
      } else if (this.isOp('(')) {
        throw new EvalError('function calls are not evaluated by the debugger');
      } else if (this.isOp('++') || this.isOp('--')) {
        throw new EvalError(`'${(this.peek() as { text: string }).text}' has side effects: use an assignment in the Debug Console`);
      } else return v;
    }
  }

  private primary(): TypedValue {
    const t = this.peek();
    this.i++;
    if (t.kind === 'num') return parseNumber(t.text);
    if (t.kind === 'char') return { type: intType, value: t.value };
    if (t.kind === 'id') return this.identifier(t.text);
    if (t.kind === 'op' && t.text === '(') {
      const v = this.expression();
      this.expect(')');
      return v;
    }
    this.i--;
    throw new EvalError(`expected an expression${this.where()}`);
  }

  private identifier(name: string): TypedValue {
    const local = this.scope.locals.find((x) => x.v.name === name);
    if (local) return local.tv;
    const g = this.scope.global(name);
    if (g) return g;
    const e = this.scope.program.enumConstants.get(name);
    if (e !== undefined) return mk(intType, e);
    const fn = this.scope.program.functions.find((f) => f.name === name);
    const address = this.scope.functionAddress(name);
    if (fn && address !== undefined) return { type: fn.type, loc: { kind: 'memory', address } };
    if (name === 'NULL') return { type: pointerTo(voidType), value: 0 };
    if (name === 'TRUE') return mk(intType, 1n);
    if (name === 'FALSE') return mk(intType, 0n);
    throw new EvalError(`'${name}' is not a variable, constant or function here`);
  }

  // ---- type names ----

  /** Whether a type name starts `ahead` tokens from here (a cast or sizeof(type)). */
  private tryTypeName(ahead: number): boolean {
    const t = this.toks[this.i + ahead];
    if (t?.kind !== 'id') return false;
    if (BASE_WORDS.has(t.text)) return true;
    return this.scope.program.typedefs.has(t.text) && !this.scope.locals.some((x) => x.v.name === t.text) && this.scope.global(t.text) === undefined;
  }

  private typeName(): CType {
    let base: CType | undefined;
    let unsigned: boolean | undefined;
    let longs = 0;
    let word: string | undefined;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'id') break;
      if (t.text === 'const' || t.text === 'volatile') {
        this.i++;
        continue;
      }
      if (t.text === 'unsigned' || t.text === 'signed') {
        unsigned = t.text === 'unsigned';
        this.i++;
        continue;
      }
      if (t.text === 'long') {
        longs++;
        this.i++;
        continue;
      }
      if (t.text === 'struct' || t.text === 'union' || t.text === 'enum') {
        this.i++;
        const tag = this.peek();
        if (tag.kind !== 'id') throw new EvalError(`expected a ${t.text} tag`);
        this.i++;
        const found = this.scope.program.tags.get(tag.text);
        if (!found) throw new EvalError(`no ${t.text} ${tag.text} in the driver`);
        base = found;
        continue;
      }
      if (['void', 'char', 'short', 'int', 'float', 'double', '_Bool', '__int8', '__int16', '__int32', '__int64'].includes(t.text)) {
        word = t.text;
        this.i++;
        continue;
      }
      if (!base && !word && unsigned === undefined && longs === 0 && this.scope.program.typedefs.has(t.text)) {
        base = this.scope.program.typedefs.get(t.text);
        this.i++;
        continue;
      }
      break;
    }
    let type = base ?? baseType(word, unsigned, longs);
    while (this.take('*')) {
      while (this.peek().kind === 'id' && ['const', 'volatile'].includes((this.peek() as { text: string }).text)) this.i++;
      type = pointerTo(type);
    }
    return type;
  }

  // ---- operations ----

  private rvalue(v: TypedValue): TypedValue {
    if (this.skipping) return v;
    // Arrays decay to a pointer to their first element; functions to their address.
    if (v.type.kind === 'array') {
      if (v.loc?.kind !== 'memory') throw new EvalError('an array that is not in memory');
      return { type: pointerTo(v.type.base), value: v.loc.address };
    }
    if (v.type.kind === 'func') return v.loc?.kind === 'memory' ? { type: pointerTo(v.type), value: v.loc.address } : v;
    if (isRecord(v.type)) return v;
    if (v.value !== undefined) return v;
    const s = this.reader.scalar(v);
    if (s === undefined) throw new EvalError(`cannot read memory at ${v.loc?.kind === 'memory' ? hexAddress(v.loc.address) : 'this location'}`);
    return { type: v.type, value: s };
  }

  private scalarOf(v: TypedValue): Value {
    const s = v.value ?? this.reader.scalar(v);
    if (s === undefined) throw new EvalError(`cannot read memory at ${v.loc?.kind === 'memory' ? hexAddress(v.loc.address) : 'this location'}`);
    return s;
  }

  private truth(v: TypedValue): boolean {
    const r = this.rvalue(v);
    if (isRecord(r.type)) throw new EvalError(`a ${typeToString(r.type)} is not a condition`);
    const s = this.scalarOf(r);
    return typeof s === 'bigint' ? s !== 0n : s !== 0;
  }

  private deref(v: TypedValue): TypedValue {
    if (this.skipping) return v.type.kind === 'ptr' ? { type: completeType(v.type.base), loc: { kind: 'memory', address: 0 } } : { type: intType, value: 0 };
    if (v.type.kind !== 'ptr') throw new EvalError(`cannot dereference a ${typeToString(v.type)}`);
    const base = v.type.base;
    if (base.kind === 'void') throw new EvalError('cannot dereference a void pointer (cast it first)');
    const p = Number(this.scalarOf(v));
    const size = Math.max(1, base.kind === 'func' ? 1 : sizeOf(base));
    if (base.kind !== 'func' && !this.reader.bytes(p, size)) throw new EvalError(`cannot read memory at ${hexAddress(p)}`);
    return { type: completeType(base), loc: { kind: 'memory', address: p } };
  }

  private member(v: TypedValue, name: string): TypedValue {
    const r = completeType(v.type);
    if (!isRecord(r)) throw new EvalError(`'${name}': ${typeToString(v.type)} is not a structure or union`);
    const path = findMember(r, name);
    if (!path) throw new EvalError(`${typeToString(v.type)} has no member '${name}'`);
    // Not evaluated (sizeof, the untaken side of && || ?:): the type matters, not the object.
    if (this.skipping) return { type: completeType(path[path.length - 1].type), value: 0 };
    if (v.loc?.kind !== 'memory') throw new EvalError('a structure that is not in memory');
    let offset = 0;
    for (const m of path) offset += m.offset;
    const m = path[path.length - 1];
    const out: TypedValue = { type: completeType(m.type), loc: { kind: 'memory', address: v.loc.address + offset } };
    if (m.bitWidth !== undefined) out.bits = { offset: m.bitOffset ?? 0, width: m.bitWidth };
    return out;
  }

  private binary(op: string, l: TypedValue, r: TypedValue): TypedValue {
    const lp = l.type.kind === 'ptr';
    const rp = r.type.kind === 'ptr';
    if (op === '+' || op === '-') {
      if (lp && isInteger(r.type)) return this.pointerAdd(l, BigInt(this.scalarOf(r)) * (op === '-' ? -1n : 1n));
      if (rp && isInteger(l.type) && op === '+') return this.pointerAdd(r, BigInt(this.scalarOf(l)));
      if (lp && rp && op === '-') {
        const size = BigInt(Math.max(1, sizeOf((l.type as { base: CType }).base)));
        return mk(llongType, (toUnsigned(Number(this.scalarOf(l))) - toUnsigned(Number(this.scalarOf(r)))) / size);
      }
    }
    if (['==', '!=', '<', '>', '<=', '>='].includes(op) && (lp || rp)) {
      const a = lp ? toUnsigned(Number(this.scalarOf(l))) : BigInt.asUintN(64, BigInt(this.scalarOf(l)));
      const b = rp ? toUnsigned(Number(this.scalarOf(r))) : BigInt.asUintN(64, BigInt(this.scalarOf(r)));
      return { type: intType, value: compare(op, a, b) ? 1 : 0 };
    }
    if (!isArith(l.type) || !isArith(r.type)) throw new EvalError(`'${op}' cannot combine ${typeToString(l.type)} and ${typeToString(r.type)}`);
    if (op === '<<' || op === '>>') {
      const t = promote(l.type);
      const n = BigInt(this.scalarOf(r));
      const x = BigInt(this.scalarOf(l));
      return mk(t, op === '<<' ? x << n : signedOf(t, x) >> n);
    }
    const t = usualArithmetic(l.type, r.type);
    if (t.kind === 'float') {
      const a = Number(this.scalarOf(l));
      const b = Number(this.scalarOf(r));
      const cmp = ['==', '!=', '<', '>', '<=', '>='].includes(op);
      if (cmp) return { type: intType, value: compareNum(op, a, b) ? 1 : 0 };
      const v = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : NaN;
      if (Number.isNaN(v) && op !== '/') throw new EvalError(`'${op}' needs integers`);
      return { type: t, value: t.size === 4 ? Math.fround(v) : v };
    }
    const a = signedOf(t, BigInt(this.scalarOf(l)));
    const b = signedOf(t, BigInt(this.scalarOf(r)));
    switch (op) {
      case '+':
        return mk(t, a + b);
      case '-':
        return mk(t, a - b);
      case '*':
        return mk(t, a * b);
      case '/':
      case '%':
        if (b === 0n) throw new EvalError('division by zero');
        return mk(t, op === '/' ? a / b : a % b);
      case '&':
        return mk(t, a & b);
      case '|':
        return mk(t, a | b);
      case '^':
        return mk(t, a ^ b);
      default:
        return { type: intType, value: compare(op, a, b) ? 1 : 0 };
    }
  }

  private pointerAdd(p: TypedValue, n: bigint): TypedValue {
    const base = (p.type as { base: CType }).base;
    const size = BigInt(Math.max(1, base.kind === 'void' || base.kind === 'func' ? 1 : sizeOf(base)));
    const address = toUnsigned(Number(this.scalarOf(p))) + n * size;
    return { type: p.type, value: fromUnsigned(BigInt.asUintN(64, address)) };
  }

  /** Conversion as by assignment or a cast (explicit allows pointer ↔ integer). */
  private convert(v: TypedValue, to: CType, explicit = false): TypedValue {
    if (to.kind === 'void') return { type: to, value: 0 };
    const from = v.type;
    if (isRecord(to) || to.kind === 'array') {
      if (isRecord(from) && v.loc) return { type: to, loc: v.loc };
      throw new EvalError(`cannot convert ${typeToString(from)} to ${typeToString(to)}`);
    }
    const s = this.scalarOf(v);
    if (to.kind === 'ptr') {
      if (from.kind === 'ptr') return { type: to, value: s };
      if (isInteger(from)) {
        if (!explicit && BigInt(s) !== 0n) throw new EvalError(`cannot assign an integer to a pointer (cast it to ${typeToString(to)})`);
        return { type: to, value: fromUnsigned(BigInt.asUintN(64, BigInt(s))) };
      }
      throw new EvalError(`cannot convert ${typeToString(from)} to ${typeToString(to)}`);
    }
    if (to.kind === 'float') return { type: to, value: from.kind === 'ptr' ? Number(toUnsigned(Number(s))) : Number(s) };
    if (isInteger(to)) {
      if (from.kind === 'ptr') return mk(to, toUnsigned(Number(s)));
      if (from.kind === 'float') return mk(to, BigInt(Math.trunc(Number(s))));
      if (to.kind === 'int' && to.name === '_Bool') return mk(to, BigInt(s) !== 0n ? 1n : 0n);
      return mk(to, BigInt(s));
    }
    throw new EvalError(`cannot convert ${typeToString(from)} to ${typeToString(to)}`);
  }
}

// ---- helpers ----------------------------------------------------------------------------------------

function isArith(t: CType): boolean {
  return t.kind === 'int' || t.kind === 'enum' || t.kind === 'float';
}

/** A value of integer type `t` wrapped to its width (numbers up to 32 bits, bigint for 64). */
function mk(t: CType, v: bigint): TypedValue {
  const size = t.size > 0 ? t.size : 4;
  const unsigned = t.kind === 'int' && t.unsigned;
  const w = unsigned ? BigInt.asUintN(size * 8, v) : BigInt.asIntN(size * 8, v);
  return { type: t, value: size === 8 ? w : Number(w) };
}

function signedOf(t: CType, v: bigint): bigint {
  const size = t.size > 0 ? t.size : 4;
  return t.kind === 'int' && t.unsigned ? BigInt.asUintN(size * 8, v) : BigInt.asIntN(size * 8, v);
}

function compare(op: string, a: bigint, b: bigint): boolean {
  return op === '==' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
}

function compareNum(op: string, a: number, b: number): boolean {
  return op === '==' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
}

/** A struct reached through an incomplete variant (a typedef made before the body): its body. */
function completeType(t: CType): CType {
  if (isRecord(t) && !t.complete) return tagRoot(t as RecordType);
  return t;
}

function sizeOf(t: CType): number {
  const c = completeType(t);
  if (c.size < 0) throw new EvalError(`the size of ${typeToString(t)} is not known`);
  return c.size;
}

function baseType(word: string | undefined, unsigned: boolean | undefined, longs: number): CType {
  const u = unsigned === true;
  switch (word) {
    case 'void':
      return voidType;
    case 'char':
      return unsigned === undefined ? charType : u ? ucharType : scharType;
    case '__int8':
      return u ? ucharType : scharType;
    case 'short':
    case '__int16':
      return u ? ushortType : shortType;
    case 'float':
      return floatType;
    case 'double':
      return doubleType;
    case '_Bool':
      return ucharType;
    case '__int64':
      return u ? ullongType : llongType;
    default:
      if (longs >= 2) return u ? ullongType : llongType;
      if (longs === 1) return u ? ulongType : longType;
      return u ? uintType : intType;
  }
}

/** An integer or floating constant with C's type rules for its suffix and size. */
function parseNumber(text: string): TypedValue {
  const isHex = /^0x/i.test(text);
  const m = (isHex ? /^(0[xX][0-9a-fA-F`]+)([uUlL]*)$/ : /^([0-9.eE+-]+)([uUlLfF]*)$/).exec(text);
  if (!m) throw new EvalError(`bad number '${text}'`);
  const body = m[1].replace(/`/g, '');
  const suffix = m[2].toLowerCase();
  if (!isHex && (/[.]/.test(body) || /e/i.test(body) || suffix.includes('f'))) {
    const v = Number(body);
    return suffix.includes('f') ? { type: floatType, value: Math.fround(v) } : { type: doubleType, value: v };
  }
  let v: bigint;
  try {
    v = BigInt(body.length > 1 && body.startsWith('0') && !isHex ? `0o${body.slice(1)}` : body);
  } catch {
    throw new EvalError(`bad number '${text}'`);
  }
  const u = suffix.includes('u');
  const ll = suffix.includes('ll');
  // C11 6.4.4.1: the first type of the list that holds the value (LLP64: long is 32-bit).
  const candidates = ll ? [llongType, ullongType] : [intType, uintType, longType, ulongType, llongType, ullongType];
  for (const t of candidates) {
    if (u && !(t.kind === 'int' && t.unsigned)) continue;
    if (!u && !isHex && t.kind === 'int' && t.unsigned && t !== ullongType) continue;
    const bits = BigInt(t.size * 8);
    const max = t.kind === 'int' && t.unsigned ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
    if (v <= max) return mk(t, v);
  }
  return mk(ullongType, v);
}

