// Loads a checked Program into simulated memory: lays out the image (.data/.bss for globals,
// .rdata for string literals, an address per function), applies static initializers, and
// compiles every function body to its resumable JavaScript state machine.

import type { Expr, FuncObj, Program as CProgram, StrExpr, VarObj } from '../c/ast';
import { evalConst, evalFloat } from '../c/consteval';
import { children, forEachStmtExpr } from '../c/ast-walk';
import { type GeneratedFunction, generateFunction, type Symbols } from './codegen';
import { ARENA_BASE, Memory, fromUnsigned, pointerFromInt, toUnsigned, type Region } from './memory';
import { type Callable, type CompiledFunction, FaultSignal, type NativeFunction, type Program, storeValue } from './runtime';

/** Run-time helpers the generated code calls as H.*. */
export const helpers = {
  div32(a: number, b: number, rem: boolean, unsigned: boolean): number {
    if (b === 0) throw divideFault();
    if (unsigned) return rem ? (a >>> 0) % (b >>> 0) >>> 0 : Math.trunc((a >>> 0) / (b >>> 0)) >>> 0;
    // INT_MIN / -1 traps on x64 (#DE) as division by zero does.
    if (a === -2147483648 && b === -1) throw divideFault();
    return rem ? (a % b) | 0 : Math.trunc(a / b) | 0;
  },
  div64(a: bigint, b: bigint, rem: boolean, unsigned: boolean): bigint {
    if (b === 0n) throw divideFault();
    if (!unsigned && a === -(1n << 63n) && b === -1n) throw divideFault();
    const r = rem ? a % b : a / b;
    return unsigned ? BigInt.asUintN(64, r) : BigInt.asIntN(64, r);
  },
  /** Unsigned order of two canonical addresses (signed numbers): -1, 0 or 1. */
  ucmp(a: number, b: number): number {
    if (a === b) return 0;
    if (a < 0 !== b < 0) return a < 0 ? 1 : -1;
    return a < b ? -1 : 1;
  },
  toPtr(v: bigint | number): number {
    return typeof v === 'bigint' ? fromUnsigned(v) : v;
  },
  ptrFromInt(v: number): number {
    return pointerFromInt(v);
  },
  toUnsigned(p: number): bigint {
    return toUnsigned(p);
  },
  /** Low 32 bits of a pointer's real address ((ULONG)(ULONG_PTR)p). */
  ptrLow32(p: number): number {
    if (p >= ARENA_BASE && p < 0) return p - ARENA_BASE; // the window's real low word
    if (p >= 0 && p < 2 ** 32) return p;
    return Number(BigInt.asUintN(32, toUnsigned(p)));
  },
  /** float → integer as cvttsd2si: out of range or NaN gives the "integer indefinite" value. */
  ftoi(x: number, size: number, unsigned: boolean): number | bigint {
    const t = Math.trunc(x);
    if (size === 8) {
      // MSVC converts to unsigned 64-bit over the whole range [0, 2^64).
      if (unsigned && Number.isFinite(t) && t >= 0 && t < 2 ** 64) return BigInt(t);
      if (!Number.isFinite(t) || Math.abs(t) >= 2 ** 63) return unsigned ? 1n << 63n : -(1n << 63n);
      return unsigned ? BigInt.asUintN(64, BigInt(t)) : BigInt(t);
    }
    if (!Number.isFinite(t) || t >= 2 ** 31 * (unsigned ? 2 : 1) || t < -(2 ** 31)) return unsigned ? 0 : -2147483648;
    if (size === 4) return unsigned ? t >>> 0 : t | 0;
    if (size === 2) return unsigned ? t & 0xffff : (t << 16) >> 16;
    return unsigned ? t & 0xff : (t << 24) >> 24;
  },
};

function divideFault(): FaultSignal {
  return new FaultSignal({ kind: 'divide', message: 'integer divide error (divide by zero or overflow): trap 0 (#DE)' });
}

export interface LoadedImage {
  prog: Program;
  functions: Map<string, CompiledFunction>;
  natives: Map<string, NativeFunction>;
  globals: Map<VarObj, number>;
  image: Region;
  /** Functions called by the program that neither C nor the natives define. */
  missing: string[];
}

export type NativeImpl = Omit<NativeFunction, 'address'>;

/**
 * Lays out and compiles `program`. `natives` supplies functions without a C body (the C
 * library, DDIs). Static initializers that fault (they should not) are reported as thrown.
 */
type CodeFactory = (F: CompiledFunction, K: unknown[], H: typeof helpers) => CompiledFunction['code'];

/**
 * Generated code per function, kept with the program: a machine loaded again from the same
 * program at the same image address (time travel re-creates machines) skips code generation
 * and compiling, and its functions share the JIT's feedback with the earlier machines'.
 */
const generated = new WeakMap<FuncObj, { imageBase: number; gen: GeneratedFunction; factory: CodeFactory }>();

export function loadProgram(program: CProgram, mem: Memory, natives: Record<string, NativeImpl>): LoadedImage {
  const globals = new Map<VarObj, number>();
  const strings = new Map<StrExpr, number>();
  const fnAddr = new Map<FuncObj, number>();
  const callables = new Map<number, Callable>();

  // One walk over every expression (function bodies and initializers): the string literals
  // to place in .rdata, and the functions the program refers to.
  const seen = new Set<StrExpr>();
  const allStrings: StrExpr[] = [];
  const referenced = new Set<FuncObj>();
  const collect = (e: Expr): void => {
    if (e.kind === 'str' && !seen.has(e)) {
      seen.add(e);
      allStrings.push(e);
    } else if (e.kind === 'var' && e.obj.kind === 'func') referenced.add(e.obj);
    for (const c of children(e)) collect(c);
  };
  for (const g of program.globals) g.init?.items.forEach((i) => i.kind === 'expr' && collect(i.expr));
  for (const f of program.functions) {
    if (!f.body) continue;
    forEachStmtExpr(f.body, collect);
    for (const l of f.locals) l.init?.items.forEach((i) => i.kind === 'expr' && collect(i.expr));
  }

  // Image layout: text (function addresses, 16 bytes apart), rdata (strings), data.
  const textSize = Math.max(16, program.functions.length * 16);
  let rdataSize = 0;
  for (const s of allStrings) rdataSize += Math.ceil((s.units.length * s.charSize) / 8) * 8;
  let dataSize = 0;
  const dataObjs = program.globals.filter((g) => (!g.isExtern || g.defined) && g.type.size >= 0);
  for (const g of dataObjs) dataSize = align(dataSize, Math.max(g.type.align, 1)) + Math.max(g.type.size, 1);
  const total = textSize + rdataSize + dataSize + 64;
  const image = mem.map('driver image', 'image', total);
  if (!image) throw new Error('simulated memory too small for the program image');

  let cursor = image.start;
  for (const f of program.functions) {
    fnAddr.set(f, cursor);
    cursor += 16;
  }
  cursor = align(cursor, 16);
  for (const s of allStrings) {
    strings.set(s, cursor);
    const put = s.charSize === 1 ? mem.writeU8.bind(mem) : s.charSize === 2 ? mem.writeU16.bind(mem) : mem.writeU32.bind(mem);
    s.units.forEach((u, i) => put(cursor + i * s.charSize, u));
    cursor += Math.ceil((s.units.length * s.charSize) / 8) * 8;
  }
  for (const g of dataObjs) {
    cursor = align(cursor, Math.max(g.type.align, 1));
    globals.set(g, cursor);
    cursor += Math.max(g.type.size, 1);
  }

  const sym: Symbols = {
    addressOfGlobal: (v) => {
      const a = globals.get(v);
      if (a === undefined) throw new FaultSignal({ kind: 'unimplemented', message: `'${v.name}' is declared but never defined` });
      return a;
    },
    addressOfFunction: (f) => fnAddr.get(f) ?? 0,
    addressOfString: (s) => strings.get(s) ?? 0,
  };

  // Static initializers (the object was zero-filled by map()).
  for (const g of dataObjs) {
    const base = globals.get(g) as number;
    for (const it of g.init?.items ?? []) {
      if (it.kind === 'bytes') {
        it.units.forEach((u, i) => storeValue(mem, base + it.offset + i * it.charSize, it.charSize === 1 ? u8 : it.charSize === 2 ? u16 : u32, u));
        continue;
      }
      const v = staticValue(it.expr, it.type, sym);
      if (it.bitWidth !== undefined) {
        const unitType = it.type;
        const a = base + it.offset;
        const size = unitType.size;
        const cur = size === 8 ? mem.readU64(a) : BigInt(size === 4 ? mem.readU32(a) : size === 2 ? mem.readU16(a) : mem.readU8(a));
        const mask = ((1n << BigInt(it.bitWidth)) - 1n) << BigInt(it.bitOffset ?? 0);
        const nv = (cur & ~mask) | ((BigInt.asUintN(64, BigInt(v)) << BigInt(it.bitOffset ?? 0)) & mask);
        storeValue(mem, a, unitType, size === 8 ? nv : Number(nv));
      } else {
        storeValue(mem, base + it.offset, it.type, v);
      }
    }
  }

  // Compile every function with a body.
  const functions = new Map<string, CompiledFunction>();
  const allConstants: unknown[] = [];
  for (const f of program.functions) {
    if (!f.body) continue;
    let known = generated.get(f);
    if (!known || known.imageBase !== image.start) {
      let gen: GeneratedFunction;
      try {
        gen = generateFunction(f, sym);
      } catch (e) {
        // A construct the code generator cannot handle is reported, never thrown at the user.
        if (e instanceof FaultSignal) throw e;
        throw new FaultSignal({ kind: 'unimplemented', message: `cannot compile '${f.name}': ${(e as Error).message}`, pos: f.pos, functionName: f.name });
      }
      // The generated code sees its own descriptor (F), its constants (K) and helpers (H).
      const factory = new Function('F', 'K', 'H', `return function ${safeName(f.name)}(cpu, fr) {\n${gen.source}\n};`) as CodeFactory;
      known = { imageBase: image.start, gen, factory };
      generated.set(f, known);
    }
    const { gen, factory } = known;
    // Call sites are resolved per machine (each has its own callables); the rest is shared.
    const constants = gen.constants.map((k) => (k && typeof k === 'object' && 'callee' in k ? { ...k } : k));
    const cf: CompiledFunction = {
      obj: f,
      name: f.name,
      address: fnAddr.get(f) as number,
      code: () => 0,
      nslots: gen.nslots,
      zeroSlots: zeroSlots(gen.nslots),
      paramSlots: gen.params.map((p) => ('slot' in p.place ? p.place.slot : -1)),
      pool: [],
      frameSize: gen.frameSize,
      params: gen.params,
      variables: gen.variables,
      traps: false,
      bp: new Uint8Array(gen.npc),
      stops: gen.stops,
      pcStop: gen.pcStop,
      source: gen.source,
    };
    cf.code = factory(cf, constants, helpers);
    allConstants.push(...constants);
    functions.set(f.name, cf);
    callables.set(cf.address, cf);
  }

  // Natives for declared functions without a body.
  const nativeMap = new Map<string, NativeFunction>();
  const missing: string[] = [];
  for (const f of program.functions) {
    if (f.body) continue;
    const impl = natives[f.name];
    const address = fnAddr.get(f) as number;
    if (impl) {
      const nf: NativeFunction = { ...impl, address };
      nativeMap.set(f.name, nf);
      callables.set(address, nf);
    } else if (referenced.has(f)) {
      missing.push(f.name);
      callables.set(address, {
        name: f.name,
        address,
        call: () => {
          throw new FaultSignal({ kind: 'unimplemented', message: `call to '${f.name}', which is declared but has no definition` });
        },
      });
    }
  }
  // Direct calls: resolve each call site's callee once.
  for (const k of allConstants) {
    if (k && typeof k === 'object' && 'callee' in k) {
      const site = k as { callee: FuncObj; c: Callable | undefined };
      site.c = callables.get(fnAddr.get(site.callee) as number);
    }
  }
  return { prog: { mem, callables, activations: 0 }, functions, natives: nativeMap, globals, image, missing };
}

const u8 = { kind: 'int', name: 'char', unsigned: true, size: 1, align: 1 } as const;
const u16 = { kind: 'int', name: 'short', unsigned: true, size: 2, align: 2 } as const;
const u32 = { kind: 'int', name: 'int', unsigned: true, size: 4, align: 4 } as const;

function staticValue(e: Expr, t: Expr['type'], sym: Symbols): number | bigint {
  if (t.kind === 'float') return evalFloat(e);
  const c = evalConst(e);
  let base = 0;
  if (c.base) {
    if (c.base.kind === 'var') base = sym.addressOfGlobal(c.base);
    else if (c.base.kind === 'func') base = sym.addressOfFunction(c.base);
    else base = sym.addressOfString(c.base);
  }
  if (t.kind === 'ptr') return base + Number(BigInt.asIntN(64, c.offset));
  if (t.kind === 'int' && t.size === 8) return c.base ? BigInt.asUintN(64, toUnsigned(base) + c.offset) : c.offset;
  return c.base ? Number(BigInt.asUintN(32, toUnsigned(base) + c.offset)) : Number(c.offset);
}

/**
 * A zeroed slot template whose elements kind is already generic: slots hold small integers,
 * addresses (doubles) and bigints, and starting generic avoids an elements-kind transition
 * in every activation's copy.
 */
function zeroSlots(n: number): number[] {
  const z: unknown[] = new Array<unknown>(n).fill(undefined);
  return z.fill(0) as number[];
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function safeName(n: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(n) ? `c_${n}` : 'c_fn';
}


