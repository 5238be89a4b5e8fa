// Compiles one C function (typed AST from kernel-sim/c) to the JavaScript source of a
// resumable state machine: `function (cpu, fr) { for (;;) switch (pc) { case N: ... } }`.
// Each statement starts with a stop point (budget / breakpoint check); each call is a step of
// its own, so the function can be suspended at any statement and inside any callee.
// Values follow README.md: 32-bit and narrower integers and pointers as numbers, 64-bit
// integers as bigints, float rounded with Math.fround.

import type { Expr, FuncObj, Initializer, Stmt, VarObj } from '../c/ast';
import type { SourcePos } from '../c/token';
import { type CType, type Member, isRecord } from '../c/types';
import type { StopPoint, ParamPlace } from './runtime';
import { evalInteger } from '../c/consteval';
import { children, forEachStmtExpr } from '../c/ast-walk';
import { fromUnsigned } from './memory';

export interface Symbols {
  /** Address of a global object, a function, or a string literal. */
  addressOfGlobal(v: VarObj): number;
  addressOfFunction(f: FuncObj): number;
  addressOfString(s: Expr & { kind: 'str' }): number;
}

export interface GeneratedFunction {
  source: string;
  nslots: number;
  frameSize: number;
  params: { place: ParamPlace; type: CType }[];
  /** Where every parameter and automatic local lives (for the debugger). */
  variables: { v: VarObj; place: ParamPlace }[];
  stops: StopPoint[];
  pcStop: number[];
  /** Number of pcs (case labels). */
  npc: number;
  /** Types of the constants table referenced as K[i] (argument type lists of calls). */
  constants: unknown[];
}

type Place = { slot: number } | { offset: number };

/** Is the variable's address taken anywhere (then it must live in stack memory)? */
function addressTaken(fn: FuncObj): Set<VarObj> {
  const taken = new Set<VarObj>();
  const visitE = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.kind) {
      case 'addr':
      case 'decay':
        if (e.operand.kind === 'var' && e.operand.obj.kind === 'var') taken.add(e.operand.obj);
        visitE(e.operand);
        return;
      case 'builtin':
        // va_start(ap, last) writes ap through its address.
        if (e.args[0]?.kind === 'var' && e.args[0].obj.kind === 'var') taken.add(e.args[0].obj);
        e.args.forEach(visitE);
        return;
      default:
        for (const c of children(e)) visitE(c);
    }
  };
  forEachStmtExpr(fn.body, visitE);
  return taken;
}

function hasCall(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.kind === 'call') return true;
  return children(e).some(hasCall);
}

const is64 = (t: CType): boolean => (t.kind === 'int' && t.size === 8) || false;
const isFloat = (t: CType): boolean => t.kind === 'float';

/** JS expression normalising a number to integer type `t` (size ≤ 4). */
function norm(t: CType, x: string): string {
  if (t.kind === 'ptr') return x;
  if (t.kind === 'enum') return `(${x}) | 0`;
  if (t.kind !== 'int') return x;
  if (t.name === '_Bool') return `((${x}) !== 0 ? 1 : 0)`;
  switch (t.size) {
    case 1:
      return t.unsigned ? `((${x}) & 255)` : `(((${x}) << 24) >> 24)`;
    case 2:
      return t.unsigned ? `((${x}) & 65535)` : `(((${x}) << 16) >> 16)`;
    case 4:
      return t.unsigned ? `((${x}) >>> 0)` : `((${x}) | 0)`;
    default:
      return t.unsigned ? `BigInt.asUintN(64, ${x})` : `BigInt.asIntN(64, ${x})`;
  }
}

class Emitter {
  out: string[] = [];
  nextLabel = 0;
  stops: StopPoint[] = [];
  pcStop: number[] = [];
  curStop = -1;
  nslots = 0;
  frameSize = 0;
  place = new Map<VarObj, Place>();
  constants: unknown[] = [];
  breakTo: number[] = [];
  continueTo: number[] = [];
  labels = new Map<string, number>();
  switchCases: Map<Stmt, number>[] = [];

  constructor(
    readonly fn: FuncObj,
    readonly sym: Symbols,
  ) {}

  label(): number {
    return this.nextLabel++;
  }
  temps = 0;
  /** A fresh JS local for one use inside a statement (never live across a stop point). */
  temp(): string {
    return `t${this.temps++}`;
  }
  place_(n: number): void {
    this.out.push(`case ${n}:`);
    this.pcStop[n] = this.curStop;
  }
  jump(n: number): void {
    this.out.push(`pc = ${n}; continue;`);
  }
  line(code: string): void {
    this.out.push(code);
  }
  slot(): number {
    return this.nslots++;
  }
  konst(v: unknown): number {
    this.constants.push(v);
    return this.constants.length - 1;
  }

  /** A statement boundary: where the CPU may stop (breakpoint, step, preemption). */
  stop(pos: SourcePos, kind: StopPoint['kind'] = 'stmt'): void {
    const n = this.label();
    this.curStop = this.stops.length;
    this.stops.push({ pc: n, pos, kind });
    this.place_(n);
    // Unarmed cost: a register decrement and a flag test (bud, T and B are locals loaded at
    // every entry; st remembers the statement for fault reports). B marks armed statements.
    // The frame is brought up to date before trap() so the host's stop check sees the
    // statement and the variables (breakpoint conditions, stepping).
    this.line(`st = ${n}; if ((--bud < 0 || (T && B[${n}] === 1)) && (fr.pc = ${n}, @WB@, cpu.budget = bud, cpu.trap(fr, ${n}))) { return 1; }`);
  }

  allocStack(t: CType): number {
    const a = Math.max(1, t.align);
    this.frameSize = Math.ceil(this.frameSize / a) * a;
    const off = this.frameSize;
    this.frameSize += Math.max(t.size, 0);
    return off;
  }
}

/** Compiles `fn` (which has a body). */
export function generateFunction(fn: FuncObj, sym: Symbols): GeneratedFunction {
  const g = new Emitter(fn, sym);
  const taken = addressTaken(fn);
  const memoryResident = (v: VarObj): boolean =>
    taken.has(v) || v.type.kind === 'array' || isRecord(v.type) || !!v.type.volatile || v.name === '(compound literal)';
  const params: { place: ParamPlace; type: CType }[] = [];
  for (const p of fn.params) {
    const place: Place = memoryResident(p) ? { offset: g.allocStack(p.type) } : { slot: g.slot() };
    g.place.set(p, place);
    params.push({ place, type: p.type });
  }
  for (const v of fn.locals) {
    if (v.storage !== 'local') continue;
    g.place.set(v, memoryResident(v) ? { offset: g.allocStack(v.type) } : { slot: g.slot() });
  }
  g.stop(fn.pos, 'entry');
  if (fn.body) stmt(g, fn.body);
  g.stop(fn.endPos ?? fn.pos, 'exit');
  g.line(`cpu.budget = bud; cpu.rv = 0; return 0;`);
  // Slots live in JS locals (v0, v1, ...) while the function runs; they are loaded from the
  // frame on every (re)entry and written back only where the frame may be looked at later:
  // before a suspension, when a callee suspends, and when a fault unwinds it.
  const vars = Array.from({ length: g.nslots }, (_, i) => `v${i} = s[${i}]`).join(', ');
  const writeBack = Array.from({ length: g.nslots }, (_, i) => `s[${i}] = v${i}`).join(', ') || 'void 0';
  const body = g.out.join('\n').replaceAll('@WB@', writeBack);
  const temps = Array.from({ length: g.temps }, (_, i) => `t${i}`).join(', ');
  const source =
    `const s = fr.s; const m = cpu.mem;\n` +
    `let pc = fr.pc, x = 0, st = fr.pc, bud = cpu.budget${temps ? ', ' + temps : ''}${vars ? ', ' + vars : ''};\n` +
    `const T = F.traps, B = F.bp;\n` +
    `try {\nfor (;;) switch (pc) {\n${body}\ndefault: throw new Error('bad pc ' + pc);\n}\n} catch (e) { fr.pc = st; cpu.budget = bud; ${writeBack}; throw e; }`;
  return {
    source,
    nslots: g.nslots,
    frameSize: Math.ceil(g.frameSize / 16) * 16,
    params,
    variables: [...g.place].map(([v, place]) => ({ v, place })),
    stops: g.stops,
    pcStop: g.pcStop,
    npc: g.nextLabel,
    constants: g.constants,
  };
}

// ---------- statements ----------

function stmt(g: Emitter, s: Stmt): void {
  switch (s.kind) {
    case 'block':
      for (const b of s.body) stmt(g, b);
      return;
    case 'null':
      return;
    case 'expr':
      g.stop(s.pos);
      exprStmt(g, s.expr);
      return;
    case 'decl':
      for (const d of s.decls) {
        if (!d.init && d.obj.storage === 'local') continue;
        g.stop(s.pos);
        initLocal(g, d.obj, d.init);
      }
      return;
    case 'if': {
      g.stop(s.pos);
      const c = cond(g, s.cond);
      const els = g.label();
      const end = g.label();
      g.line(`if (!(${c})) { pc = ${s.else ? els : end}; continue; }`);
      stmt(g, s.then);
      if (s.else) {
        g.jump(end);
        g.place_(els);
        stmt(g, s.else);
      }
      g.place_(end);
      return;
    }
    case 'while': {
      const top = g.label();
      const end = g.label();
      g.jump(top);
      g.place_(top);
      g.stop(s.pos);
      const c = cond(g, s.cond);
      g.line(`if (!(${c})) { pc = ${end}; continue; }`);
      loopBody(g, s.body, end, top);
      g.jump(top);
      g.place_(end);
      return;
    }
    case 'do': {
      const top = g.label();
      const test = g.label();
      const end = g.label();
      g.place_(top);
      loopBody(g, s.body, end, test);
      g.place_(test);
      g.stop(s.cond.tok.expansion ? s.pos : { file: s.cond.tok.file, line: s.cond.tok.line, col: s.cond.tok.col });
      const c = cond(g, s.cond);
      g.line(`if (${c}) { pc = ${top}; continue; }`);
      g.place_(end);
      return;
    }
    case 'for': {
      if (s.init) stmt(g, s.init);
      const top = g.label();
      const next = g.label();
      const end = g.label();
      g.jump(top);
      g.place_(top);
      if (s.cond) {
        g.stop(s.pos);
        const c = cond(g, s.cond);
        g.line(`if (!(${c})) { pc = ${end}; continue; }`);
      }
      loopBody(g, s.body, end, next);
      g.place_(next);
      if (s.step) {
        g.stop(s.pos);
        exprStmt(g, s.step);
      }
      g.jump(top);
      g.place_(end);
      return;
    }
    case 'switch': {
      g.stop(s.pos);
      const v = value(g, s.cond);
      const end = g.label();
      const targets = new Map<Stmt, number>();
      for (const c of s.cases) targets.set(c, g.label());
      const dflt = s.defaultCase ? g.label() : end;
      if (s.defaultCase) targets.set(s.defaultCase, dflt);
      const t = g.slot();
      g.line(`v${t} = ${v};`);
      const lit = (x: bigint): string => (is64(s.cond.type) ? `${x}n` : `${x}`);
      const singles = s.cases.filter((c) => c.low === c.high);
      const ranges = s.cases.filter((c) => c.low !== c.high);
      g.line(`switch (v${t}) {`);
      for (const c of singles) g.line(`case ${lit(c.low)}: pc = ${targets.get(c)}; continue;`);
      g.line(`}`);
      for (const c of ranges) g.line(`if (v${t} >= ${lit(c.low)} && v${t} <= ${lit(c.high)}) { pc = ${targets.get(c)}; continue; }`);
      g.jump(dflt);
      g.switchCases.push(targets);
      g.breakTo.push(end);
      stmt(g, s.body);
      g.breakTo.pop();
      g.switchCases.pop();
      g.place_(end);
      return;
    }
    case 'case':
    case 'default': {
      const targets = g.switchCases[g.switchCases.length - 1];
      const n = targets?.get(s);
      if (n !== undefined) g.place_(n);
      stmt(g, s.body);
      return;
    }
    case 'label': {
      g.place_(labelOf(g, s.name));
      stmt(g, s.body);
      return;
    }
    case 'goto':
      g.stop(s.pos);
      g.jump(labelOf(g, s.name));
      return;
    case 'break':
      g.stop(s.pos);
      g.jump(g.breakTo[g.breakTo.length - 1]);
      return;
    case 'continue':
      g.stop(s.pos);
      g.jump(g.continueTo[g.continueTo.length - 1]);
      return;
    case 'return': {
      g.stop(s.pos);
      if (s.value && s.value.type.kind !== 'void' && g.fn.type.ret.kind !== 'void') {
        const v = value(g, s.value);
        if (isRecord(g.fn.type.ret)) g.line(`m.copy(fr.retBuf, ${v}, ${g.fn.type.ret.size}); cpu.rv = fr.retBuf;`);
        else g.line(`cpu.rv = ${v};`);
      } else {
        if (s.value) exprStmt(g, s.value);
        g.line(`cpu.rv = 0;`);
      }
      g.line(`cpu.budget = bud; return 0;`);
      return;
    }
  }
}

function labelOf(g: Emitter, name: string): number {
  let n = g.labels.get(name);
  if (n === undefined) {
    n = g.label();
    g.labels.set(name, n);
  }
  return n;
}

function loopBody(g: Emitter, body: Stmt, brk: number, cont: number): void {
  g.breakTo.push(brk);
  g.continueTo.push(cont);
  stmt(g, body);
  g.breakTo.pop();
  g.continueTo.pop();
}

function exprStmt(g: Emitter, e: Expr): void {
  const v = value(g, e);
  if (v !== '0' && v !== 'undefined') g.line(`${v};`);
}

/** A scalar condition as a JS boolean expression. */
function cond(g: Emitter, e: Expr): string {
  const v = value(g, e);
  if (e.type.kind === 'int' && e.type.size === 8) return `(${v}) !== 0n`;
  return `(${v}) !== 0`;
}

function initLocal(g: Emitter, v: VarObj, init: Initializer | undefined): void {
  if (v.storage === 'global') return; // static locals are initialized at load time
  const p = g.place.get(v);
  if (!p) return;
  if ('slot' in p) {
    const item = init?.items[init.items.length - 1];
    const val = item && item.kind === 'expr' ? value(g, item.expr) : is64(v.type) ? '0n' : '0';
    g.line(`v${p.slot} = ${val};`);
    return;
  }
  const base = `(fr.sp + ${p.offset})`;
  g.line(`m.fill(${base}, 0, ${v.type.size});`);
  for (const it of init?.items ?? []) {
    if (it.kind === 'bytes') {
      const k = g.konst(it.units);
      const size = it.charSize;
      g.line(`{ const u = K[${k}]; for (let i = 0; i < u.length; i++) m.${size === 1 ? 'writeU8' : size === 2 ? 'writeU16' : 'writeU32'}(${base} + ${it.offset} + i * ${size}, u[i]); }`);
      continue;
    }
    const val = value(g, it.expr);
    const addr = `${base} + ${it.offset}`;
    if (it.bitWidth !== undefined) g.line(storeBitfield(it.type, addr, it.bitOffset ?? 0, it.bitWidth, val) + ';');
    else g.line(store(it.type, addr, val) + ';');
  }
}

// ---------- expressions ----------

/**
 * The value of `e` as a JS expression, emitting call steps first when `e` contains calls.
 * Left operands are saved in slots before a call on the right, keeping left-to-right order.
 */
function value(g: Emitter, e: Expr): string {
  if (!hasCall(e)) return ex(g, e);
  switch (e.kind) {
    case 'call':
      return callStep(g, e);
    case 'logand':
    case 'logor': {
      const r = g.slot();
      const end = g.label();
      const l = cond(g, e.left);
      g.line(`v${r} = ${l} ? 1 : 0;`);
      g.line(`if (${e.kind === 'logand' ? '!' : ''}v${r}) { pc = ${end}; continue; }`);
      const rr = cond(g, e.right);
      g.line(`v${r} = ${rr} ? 1 : 0;`);
      g.jump(end);
      g.place_(end);
      return `v${r}`;
    }
    case 'cond': {
      const r = g.slot();
      const els = g.label();
      const end = g.label();
      const c = cond(g, e.cond);
      g.line(`if (!(${c})) { pc = ${els}; continue; }`);
      g.line(`v${r} = ${value(g, e.then)};`);
      g.jump(end);
      g.place_(els);
      g.line(`v${r} = ${value(g, e.else)};`);
      g.jump(end);
      g.place_(end);
      return `v${r}`;
    }
    case 'comma':
      exprStmt(g, e.left);
      return value(g, e.right);
    default: {
      // Evaluate the operands left to right into slots, then the operator on the slots.
      const kids = children(e);
      const saved = new Map<Expr, string>();
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        const later = kids.slice(i + 1).some(hasCall);
        if (!hasCall(k) && !later) break;
        if (isLvalueNode(e, i)) {
          // A register local or a named object has a fixed place: nothing to evaluate early.
          if (k.kind === 'var') continue;
          // Evaluate the address (not the value) of an lvalue operand before later calls.
          const a = g.slot();
          g.line(`v${a} = ${addrOfLvalue(g, k, true)};`);
          saved.set(k, `@v${a}`);
        } else {
          const t = g.slot();
          g.line(`v${t} = ${value(g, k)};`);
          saved.set(k, `v${t}`);
        }
      }
      return ex(g, e, saved);
    }
  }
}

/** Operand i of e is an lvalue whose address (not value) the operator needs. */
function isLvalueNode(e: Expr, i: number): boolean {
  return ((e.kind === 'assign' || e.kind === 'opassign') && i === 0) || e.kind === 'preinc' || e.kind === 'postinc' || e.kind === 'addr' || (e.kind === 'member' && isRecord(e.object.type));
}

function callStep(g: Emitter, e: Expr & { kind: 'call' }): string {
  // A direct call names its callee: the loader resolves it once (K[i].c); others go by address.
  const direct = e.callee.kind === 'decay' && e.callee.operand.kind === 'var' && e.callee.operand.obj.kind === 'func' ? e.callee.operand.obj : undefined;
  const target = g.slot();
  if (!direct) g.line(`v${target} = ${value(g, e.callee)};`);
  // Arguments are evaluated right to left, as gcc and MSVC do on x64 (the order is
  // unspecified in C, but programs in the wild depend on it).
  const args: string[] = new Array<string>(e.args.length);
  for (let i = e.args.length - 1; i >= 0; i--) {
    const t = g.slot();
    g.line(`v${t} = ${value(g, e.args[i])};`);
    args[i] = `v${t}`;
  }
  // One argument array per call site, refilled at each call: the callee copies the values
  // into its frame at once, so reuse is safe (recursion included) and allocates nothing.
  const argArray = g.konst(new Array<unknown>(e.args.length).fill(undefined).fill(0));
  const fill = args.map((a, i) => `K[${argArray}][${i}] = ${a}; `).join('');
  const types = g.konst(e.args.map((a) => a.type));
  let retBuf = '0';
  if (isRecord(e.type)) {
    const off = g.allocStack(e.type);
    retBuf = `fr.sp + ${off}`;
  }
  const resume = g.label();
  const invoke = direct
    ? `cpu.invoke(fr, K[${g.konst({ callee: direct, c: undefined })}].c, K[${argArray}], K[${types}], ${retBuf})`
    : `cpu.call(fr, v${target}, K[${argArray}], K[${types}], ${retBuf})`;
  g.line(`cpu.budget = bud; fr.pc = ${resume}; ${fill}if ((x = ${invoke}) !== 0) { @WB@; return x; } bud = cpu.budget;`);
  g.place_(resume);
  const r = g.slot();
  g.line(`v${r} = fr.rv;`);
  return `v${r}`;
}

/** Address expression of an lvalue (memory-resident object). */
function addrOfLvalue(g: Emitter, e: Expr, allowCalls = false, saved?: Map<Expr, string>): string {
  const pre = saved?.get(e);
  if (pre !== undefined) return pre.startsWith('@') ? pre.slice(1) : pre;
  switch (e.kind) {
    case 'var': {
      if (e.obj.kind === 'func') return `${g.sym.addressOfFunction(e.obj)}`;
      const v = e.obj;
      if (v.storage === 'global') return `${g.sym.addressOfGlobal(v)}`;
      const p = g.place.get(v);
      if (p && 'offset' in p) return `(fr.sp + ${p.offset})`;
      throw new Error(`internal: address of register variable ${v.name}`);
    }
    case 'deref':
      return allowCalls ? value(g, e.operand) : ex(g, e.operand, saved);
    case 'member':
      return `(${addrOfLvalue(g, e.object, allowCalls, saved)} + ${e.member.offset})`;
    case 'str':
      return `${g.sym.addressOfString(e)}`;
    case 'complit': {
      if (e.obj.storage === 'global') return `${g.sym.addressOfGlobal(e.obj)}`;
      const p = g.place.get(e.obj);
      if (p && 'offset' in p) return `(${initComplit(g, e.obj)}, fr.sp + ${p.offset})`;
      throw new Error('internal: compound literal without storage');
    }
    case 'call':
    case 'cond':
    case 'comma':
    case 'assign':
      // A struct value: expressions of record type evaluate to an address.
      return allowCalls ? value(g, e) : ex(g, e, saved);
    default:
      throw new Error(`internal: not an lvalue: ${e.kind}`);
  }
}

/** Initializes a compound literal in place (an expression with side effects, value 0). */
function initComplit(g: Emitter, v: VarObj): string {
  const p = g.place.get(v) as { offset: number };
  const base = `fr.sp + ${p.offset}`;
  const parts = [`m.fill(${base}, 0, ${v.type.size})`];
  for (const it of v.init?.items ?? []) {
    if (it.kind === 'bytes') {
      const k = g.konst(it.units);
      parts.push(`K[${k}].forEach((u, i) => m.${it.charSize === 1 ? 'writeU8' : it.charSize === 2 ? 'writeU16' : 'writeU32'}(${base} + ${it.offset} + i * ${it.charSize}, u))`);
    } else if (it.bitWidth !== undefined) parts.push(storeBitfield(it.type, `${base} + ${it.offset}`, it.bitOffset ?? 0, it.bitWidth, ex(g, it.expr)));
    else parts.push(store(it.type, `${base} + ${it.offset}`, ex(g, it.expr)));
  }
  return parts.join(', ');
}

function load(t: CType, addr: string): string {
  switch (t.kind) {
    case 'int':
    case 'enum':
      if (t.kind === 'int' && t.name === '_Bool') return `m.readU8(${addr})`;
      switch (t.size) {
        case 1:
          return t.kind === 'int' && t.unsigned ? `m.readU8(${addr})` : `m.readI8(${addr})`;
        case 2:
          return t.kind === 'int' && t.unsigned ? `m.readU16(${addr})` : `m.readI16(${addr})`;
        case 4:
          return t.kind === 'int' && t.unsigned ? `m.readU32(${addr})` : `m.readI32(${addr})`;
        default:
          return t.kind === 'int' && t.unsigned ? `m.readU64(${addr})` : `m.readI64(${addr})`;
      }
    case 'float':
      return t.size === 4 ? `m.readF32(${addr})` : `m.readF64(${addr})`;
    case 'ptr':
      return `m.readPtr(${addr})`;
    default:
      // arrays, structs, functions: the address is the value
      return addr;
  }
}

function store(t: CType, addr: string, v: string): string {
  switch (t.kind) {
    case 'int':
    case 'enum':
      switch (t.size) {
        case 1:
          return `m.writeU8(${addr}, ${v})`;
        case 2:
          return `m.writeU16(${addr}, ${v})`;
        case 4:
          return `m.writeU32(${addr}, ${v})`;
        default:
          return `m.writeU64(${addr}, ${v})`;
      }
    case 'float':
      return t.size === 4 ? `m.writeF32(${addr}, ${v})` : `m.writeF64(${addr}, ${v})`;
    case 'ptr':
      return `m.writePtr(${addr}, ${v})`;
    case 'struct':
    case 'union':
      return `m.copy(${addr}, ${v}, ${t.size})`;
    default:
      return `void 0`;
  }
}

function loadBitfield(t: CType, addr: string, off: number, width: number): string {
  const size = t.size;
  const signed = !(t.kind === 'int' && t.unsigned) && !(t.kind === 'int' && t.name === '_Bool');
  if (size === 8) {
    const unit = `m.readU64(${addr})`;
    return signed ? `BigInt.asIntN(${width}, ${unit} >> ${off}n)` : `BigInt.asUintN(${width}, ${unit} >> ${off}n)`;
  }
  const unit = size === 1 ? `m.readU8(${addr})` : size === 2 ? `m.readU16(${addr})` : `m.readU32(${addr})`;
  if (signed) return `((${unit} << ${32 - off - width}) >> ${32 - width})`;
  return width === 32 ? `(${unit} >>> 0)` : `((${unit} >>> ${off}) & ${2 ** width - 1})`;
}

function storeBitfield(t: CType, addr: string, off: number, width: number, v: string, a = 'a'): string {
  const size = t.size;
  // `a` names a JS local holding the unit's address (the caller assigns it first when needed).
  const head = addr === a ? '' : `${a} = ${addr}, `;
  if (size === 8) {
    const mask = ((1n << BigInt(width)) - 1n) << BigInt(off);
    return `(${head}m.writeU64(${a}, (m.readU64(${a}) & ~${mask}n) | ((BigInt.asUintN(64, ${v}) << ${off}n) & ${mask}n)))`;
  }
  const mask = (2 ** width - 1) * 2 ** off;
  const rd = size === 1 ? 'readU8' : size === 2 ? 'readU16' : 'readU32';
  const wr = size === 1 ? 'writeU8' : size === 2 ? 'writeU16' : 'writeU32';
  return `(${head}m.${wr}(${a}, (m.${rd}(${a}) & ${~mask >>> 0}) | (((${v}) << ${off}) & ${mask})))`;
}

/** Is `e` a scalar local kept in a slot? Returns the slot. */
function slotOf(g: Emitter, e: Expr): number | undefined {
  if (e.kind !== 'var' || e.obj.kind !== 'var' || e.obj.storage === 'global') return undefined;
  const p = g.place.get(e.obj);
  return p && 'slot' in p ? p.slot : undefined;
}

/** Reads an lvalue's current value. */
function readLvalue(g: Emitter, e: Expr, saved?: Map<Expr, string>): string {
  const sl = slotOf(g, e);
  if (sl !== undefined) return `v${sl}`;
  if (e.kind === 'member' && e.member.bitWidth !== undefined) {
    return loadBitfield(e.member.type, addrOfLvalue(g, e, false, saved), e.member.bitOffset ?? 0, e.member.bitWidth);
  }
  return load(e.type, addrOfLvalue(g, e, false, saved));
}

/** Writes an lvalue; `v` must be evaluated once. Returns an expression whose value is v. */
function writeLvalue(g: Emitter, e: Expr, v: string, saved?: Map<Expr, string>): string {
  const sl = slotOf(g, e);
  if (sl !== undefined) return `(v${sl} = ${v})`;
  const tv = g.temp();
  if (isRecord(e.type)) return `(${tv} = ${v}, m.copy(${addrOfLvalue(g, e, false, saved)}, ${tv}, ${e.type.size}), ${tv})`;
  if (e.kind === 'member' && e.member.bitWidth !== undefined) {
    const w = e.member.bitWidth;
    const t = e.member.type;
    // The value of the assignment is the bitfield's new value (truncated, sign-extended).
    const ta = g.temp();
    return `(${tv} = ${v}, ${storeBitfield(t, addrOfLvalue(g, e, false, saved), e.member.bitOffset ?? 0, w, tv, ta)}, ${truncBits(t, w, tv)})`;
  }
  return `(${tv} = ${v}, ${store(e.type, addrOfLvalue(g, e, false, saved), tv)}, ${tv})`;
}

/** The value a bitfield of type t and width w holds after storing `v`. */
function truncBits(t: CType, w: number, v: string): string {
  if (t.size === 8) return t.kind === 'int' && t.unsigned ? `BigInt.asUintN(${w}, ${v})` : `BigInt.asIntN(${w}, ${v})`;
  if (t.kind === 'int' && t.unsigned) return w === 32 ? `(${v} >>> 0)` : `((${v} & ${2 ** w - 1}) >>> 0)`;
  return `((${v} << ${32 - w}) >> ${32 - w})`;
}

function fconst(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return `${v}`;
}

/** A call-free expression (or one whose call-carrying operands were saved in slots). */
function ex(g: Emitter, e: Expr, saved?: Map<Expr, string>): string {
  const pre = saved?.get(e);
  if (pre !== undefined && !pre.startsWith('@')) return pre;
  const sub = (x: Expr): string => ex(g, x, saved);
  // Integer constant expressions (offsetof, CONTAINING_RECORD's offset, folded casts) become
  // literals instead of run-time conversions.
  if ((e.kind === 'cast' || e.kind === 'binary') && (e.type.kind === 'int' || e.type.kind === 'enum')) {
    const k = evalInteger(e);
    if (k !== undefined) return is64(e.type) ? `${k}n` : `${k}`;
  }
  switch (e.kind) {
    case 'num':
      return is64(e.type) ? `${e.value}n` : e.type.kind === 'ptr' ? `${fromUnsigned(e.value)}` : `${e.value}`;
    case 'fnum':
      return fconst(e.type.kind === 'float' && e.type.size === 4 ? Math.fround(e.value) : e.value);
    case 'str':
      return `${g.sym.addressOfString(e)}`;
    case 'var':
      if (e.obj.kind === 'func') return `${g.sym.addressOfFunction(e.obj)}`;
      return readLvalue(g, e, saved);
    case 'deref':
    case 'member':
      if (isRecord(e.type) || e.type.kind === 'array' || e.type.kind === 'func') return addrOfLvalue(g, e, false, saved);
      return readLvalue(g, e, saved);
    case 'complit':
      // (int){1} is an lvalue of type int: its value, not its address.
      if (isRecord(e.type) || e.type.kind === 'array') return addrOfLvalue(g, e, false, saved);
      return load(e.type, addrOfLvalue(g, e, false, saved));
    case 'decay':
      return addrOfLvalue(g, e.operand, false, saved);
    case 'addr':
      if (e.operand.type.kind === 'func' && e.operand.kind === 'var') return sub(e.operand);
      if (e.operand.kind === 'deref' && !saved?.has(e.operand)) return sub(e.operand.operand);
      return addrOfLvalue(g, e.operand, false, saved);
    case 'neg':
      if (is64(e.type)) return norm(e.type, `-(${sub(e.operand)})`);
      if (isFloat(e.type)) return `(-(${sub(e.operand)}))`;
      return norm(e.type, `-(${sub(e.operand)})`);
    case 'bitnot':
      return is64(e.type) ? norm(e.type, `~(${sub(e.operand)})`) : norm(e.type, `~(${sub(e.operand)})`);
    case 'lognot': {
      const t = e.operand.type;
      return `((${sub(e.operand)}) === ${is64(t) ? '0n' : '0'} ? 1 : 0)`;
    }
    case 'binary':
      return binary(g, e, sub, saved);
    case 'ptradd':
      return `(${sub(e.ptr)} ${e.op} ${indexNumber(e.index, sub(e.index), sub, saved)} * ${e.scale})`;
    case 'ptrdiff':
      return `BigInt(Math.trunc((${sub(e.left)} - ${sub(e.right)}) / ${e.scale}))`;
    case 'logand':
      return `((${truth(e.left, sub)}) && (${truth(e.right, sub)}) ? 1 : 0)`;
    case 'logor':
      return `((${truth(e.left, sub)}) || (${truth(e.right, sub)}) ? 1 : 0)`;
    case 'cond':
      return `((${truth(e.cond, sub)}) ? ${sub(e.then)} : ${sub(e.else)})`;
    case 'comma':
      return `(${sub(e.left)}, ${sub(e.right)})`;
    case 'cast':
      return convert(sub(e.operand), e.operand.type, e.type);
    case 'assign':
      return writeLvalue(g, e.target, sub(e.value), saved);
    case 'opassign':
      return opAssign(g, e, saved);
    case 'preinc':
    case 'postinc':
      return incDec(g, e, saved);
    case 'call':
      throw new Error('internal: call in a call-free expression');
    case 'builtin':
      return builtin(g, e, sub);
  }
}

function truth(e: Expr, sub: (x: Expr) => string): string {
  return is64(e.type) ? `(${sub(e)}) !== 0n` : `(${sub(e)}) !== 0`;
}

function binary(g: Emitter, e: Expr & { kind: 'binary' }, sub: (x: Expr) => string, saved?: Map<Expr, string>): string {
  const t = e.left.type; // operands share the converted type (shifts: the left's)
  const l = sub(e.left);
  const r = sub(e.right);
  const cmp = e.op === '==' || e.op === '!=' || e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=';
  if (cmp) {
    const op = e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op;
    // Pointers compare as unsigned addresses: kernel (negative) addresses sort above user ones.
    if (isPtrCompare(e)) return `(H.ucmp(${ptrOf(e.left, sub, saved)}, ${ptrOf(e.right, sub, saved)}) ${op} 0 ? 1 : 0)`;
    return `((${l}) ${op} (${r}) ? 1 : 0)`;
  }
  if (isFloat(t)) {
    const v = `(${l}) ${e.op} (${r})`;
    return t.size === 4 ? `Math.fround(${v})` : `(${v})`;
  }
  if (is64(t)) {
    const unsigned = t.kind === 'int' && t.unsigned;
    switch (e.op) {
      case '/':
      case '%':
        return `H.div64(${l}, ${r}, ${e.op === '%'}, ${unsigned})`;
      case '<<':
        return norm(t, `(${l}) << (BigInt(${r}) & 63n)`);
      case '>>':
        return norm(t, `(${l}) >> (BigInt(${r}) & 63n)`);
      default:
        return norm(t, `(${l}) ${e.op} (${r})`);
    }
  }
  const unsigned = t.kind === 'int' && t.unsigned;
  switch (e.op) {
    case '*':
      return norm(t, `Math.imul(${l}, ${r})`);
    case '/':
    case '%':
      return `H.div32(${l}, ${r}, ${e.op === '%'}, ${unsigned})`;
    case '<<':
      return norm(t, `(${l}) << (${numOf(e.right, r)})`);
    case '>>':
      return unsigned ? `((${l}) >>> (${numOf(e.right, r)}))` : `((${l}) >> (${numOf(e.right, r)}))`;
    default:
      return norm(t, `(${l}) ${e.op} (${r})`);
  }
}

/**
 * A pointer-arithmetic index as a JS number. The checker widens indexes to long long; when
 * the original is a 32-bit (or narrower) integer the number is exact as it is.
 */
function indexNumber(e: Expr, x: string, sub?: (x: Expr) => string, saved?: Map<Expr, string>): string {
  const k = evalInteger(e);
  if (k !== undefined) return `${BigInt.asIntN(64, k)}`;
  // Look through the widening cast unless the cast itself was evaluated early (it held a call).
  if (e.kind === 'cast' && !saved?.has(e) && !is64(e.operand.type) && e.operand.type.kind !== 'float' && sub) return sub(e.operand);
  return is64(e.type) ? `Number(${x})` : x;
}

function numOf(e: Expr, x: string): string {
  return is64(e.type) ? `Number(BigInt.asUintN(6, ${x}))` : x;
}

function isPtrCompare(e: Expr & { kind: 'binary' }): boolean {
  const fromPtr = (x: Expr): boolean => x.kind === 'cast' && x.operand.type.kind === 'ptr';
  return fromPtr(e.left) || fromPtr(e.right);
}

function ptrOf(e: Expr, sub: (x: Expr) => string, saved?: Map<Expr, string>): string {
  // An operand evaluated early (it held a call) is saved as its converted (bigint) value.
  if (saved?.has(e)) return `H.toPtr(${sub(e)})`;
  if (e.kind === 'cast' && e.operand.type.kind === 'ptr') return sub(e.operand);
  if (e.kind === 'cast' && e.operand.kind === 'num') return `${Number(e.operand.value)}`;
  return `H.toPtr(${sub(e)})`;
}

/** Conversion of JS value x from C type `from` to C type `to`. */
export function convert(x: string, from: CType, to: CType): string {
  if (to.kind === 'void') return `(${x}, 0)`;
  if (to.kind === 'int' && to.name === '_Bool') {
    if (is64(from)) return `((${x}) !== 0n ? 1 : 0)`;
    return `((${x}) !== 0 ? 1 : 0)`;
  }
  const fromInt = from.kind === 'int' || from.kind === 'enum';
  if (to.kind === 'float') {
    const v = is64(from) ? `Number(${x})` : x;
    return to.size === 4 ? `Math.fround(${v})` : `(${v})`;
  }
  if (to.kind === 'ptr') {
    if (from.kind === 'ptr') return x;
    if (is64(from)) return `H.toPtr(${x})`;
    // Unsigned and non-negative values are their own internal address; negative ones
    // sign-extend to high kernel addresses ((PVOID)-1).
    if (from.kind === 'int' && from.unsigned) return x;
    return `H.ptrFromInt(${x})`;
  }
  if (to.kind === 'int' || to.kind === 'enum') {
    if (from.kind === 'float') return `H.ftoi(${x}, ${to.size}, ${to.kind === 'int' && to.unsigned})`;
    if (is64(to)) {
      if (from.kind === 'ptr') return to.kind === 'int' && to.unsigned ? `H.toUnsigned(${x})` : `BigInt.asIntN(64, H.toUnsigned(${x}))`;
      if (is64(from)) return norm(to, x);
      return norm(to, `BigInt(${x})`);
    }
    if (is64(from)) return norm(to, `Number(BigInt.asIntN(32, ${x}))`);
    if (from.kind === 'ptr') return norm(to, `H.ptrLow32(${x})`);
    if (fromInt) return norm(to, x);
  }
  return x;
}

function opAssign(g: Emitter, e: Expr & { kind: 'opassign' }, saved?: Map<Expr, string>): string {
  const target = e.target;
  const tt = target.type;
  const v = ex(g, e.value, saved);
  if (e.scale > 0) {
    const sl = slotOf(g, target);
    const idx = indexNumber(e.value, v, (x) => ex(g, x, saved), saved);
    if (sl !== undefined) return `(v${sl} = v${sl} ${e.op} ${idx} * ${e.scale})`;
    const a = g.temp();
    const r = g.temp();
    return `(${a} = ${addrOfLvalue(g, target, false, saved)}, ${r} = m.readPtr(${a}) ${e.op} ${idx} * ${e.scale}, m.writePtr(${a}, ${r}), ${r})`;
  }
  // Compute in opType, convert back to the target's type.
  const opT = e.opType;
  const fakeBinary = (cur: string): string => {
    const cast = convert(cur, tt, opT);
    const bin: Expr = {
      kind: 'binary',
      op: e.op,
      left: { kind: 'num', value: 0n, type: opT, tok: e.tok },
      right: e.value,
      type: opT,
      tok: e.tok,
    };
    const code = binary(g, bin as Expr & { kind: 'binary' }, (x) => (x === bin.left ? cast : v));
    return convert(code, opT, tt);
  };
  const sl = slotOf(g, target);
  if (sl !== undefined) return `(v${sl} = ${fakeBinary(`v${sl}`)})`;
  const a = g.temp();
  const r = g.temp();
  if (target.kind === 'member' && target.member.bitWidth !== undefined) {
    const mm = target.member;
    const w = mm.bitWidth ?? 0;
    const cur = loadBitfield(mm.type, a, mm.bitOffset ?? 0, w);
    return `(${a} = ${addrOfLvalue(g, target, false, saved)}, ${r} = ${fakeBinary(cur)}, ${storeBitfield(mm.type, a, mm.bitOffset ?? 0, w, r, a)}, ${truncBits(mm.type, w, r)})`;
  }
  return `(${a} = ${addrOfLvalue(g, target, false, saved)}, ${r} = ${fakeBinary(load(tt, a))}, ${store(tt, a, r)}, ${r})`;
}

function incDec(g: Emitter, e: Expr & { kind: 'preinc' | 'postinc' }, saved?: Map<Expr, string>): string {
  const t = e.target.type;
  const post = e.kind === 'postinc';
  const step = (cur: string): string => {
    if (t.kind === 'ptr') return `${cur} + ${e.delta}`;
    if (t.kind === 'float') return t.size === 4 ? `Math.fround(${cur} + ${e.delta})` : `${cur} + ${e.delta}`;
    if (is64(t)) return norm(t, `${cur} + ${e.delta}n`);
    return norm(t, `${cur} + ${e.delta}`);
  };
  const sl = slotOf(g, e.target);
  if (sl !== undefined) {
    if (!post) return `(v${sl} = ${step(`v${sl}`)})`;
    const o = g.temp();
    return `(${o} = v${sl}, v${sl} = ${step(o)}, ${o})`;
  }
  const a = g.temp();
  const o = g.temp();
  const r = g.temp();
  if (e.target.kind === 'member' && e.target.member.bitWidth !== undefined) {
    const mm = e.target.member;
    const w = mm.bitWidth ?? 0;
    const cur = loadBitfield(mm.type, a, mm.bitOffset ?? 0, w);
    return `(${a} = ${addrOfLvalue(g, e.target, false, saved)}, ${o} = ${cur}, ${r} = ${step(o)}, ${storeBitfield(mm.type, a, mm.bitOffset ?? 0, w, r, a)}, ${post ? o : truncBits(mm.type, w, r)})`;
  }
  return `(${a} = ${addrOfLvalue(g, e.target, false, saved)}, ${o} = ${load(t, a)}, ${r} = ${step(o)}, ${store(t, a, r)}, ${post ? o : r})`;
}

function builtin(g: Emitter, e: Expr & { kind: 'builtin' }, sub: (x: Expr) => string): string {
  switch (e.name) {
    case 'va_start': {
      const ap = e.args[0];
      return store(ap.type, addrOfLvalue(g, ap), 'fr.va');
    }
    case 'va_end':
      return '0';
    case 'va_copy':
      return store(e.args[0].type, addrOfLvalue(g, e.args[0]), sub(e.args[1]));
    case 'va_arg': {
      const ap = e.args[0];
      const t = e.argType ?? e.type;
      const a = addrOfLvalue(g, ap);
      // Each argument takes an 8-byte slot; structs bigger than 8 bytes are passed by address.
      const byRef = isRecord(t) && !(t.size === 1 || t.size === 2 || t.size === 4 || t.size === 8);

      const ta = g.temp();
      const tp = g.temp();
      return `(${ta} = ${a}, ${tp} = m.readPtr(${ta}), m.writePtr(${ta}, ${tp} + 8), ${load(t, byRef ? `m.readPtr(${tp})` : tp)})`;
    }
    default:
      return '0';
  }
}

export type { Member };
