// Typed values as the debugger sees them: where a C object lives (simulated memory or a
// frame's register-like slot), how to read it without side effects (never a device
// register, never a fault), how to show it and what it expands to. Shared by the Variables
// view, hover/watch/REPL evaluation and setVariable.

import { type CType, isRecord, type Member, type RecordType, typeToString } from '../c/types';
import { fromUnsigned, type Memory, toUnsigned } from '../vm/memory';
import type { Frame, Value } from '../vm/runtime';

/** Where an lvalue lives. Slots hold what the compiled code keeps out of memory. */
export type Location = { kind: 'memory'; address: number } | { kind: 'slot'; frame: Frame; slot: number };

/** A C value: an lvalue (with a location) or an rvalue (a computed scalar). */
export interface TypedValue {
  type: CType;
  loc?: Location;
  value?: Value;
  /** A bitfield member: its bits inside the storage unit at `loc`. */
  bits?: { offset: number; width: number };
}

export interface NamedValue {
  name: string;
  tv: TypedValue;
  /** The C expression that denotes it, relative to the parent's (for "Copy as Expression"). */
  expr: string;
}

export interface FormatOptions {
  hex?: boolean;
}

/** Elements shown at once for an array or a pointer's target; more are paged. */
export const ARRAY_PREVIEW = 100;

export function typeLabel(t: CType): string {
  return typeToString(t);
}

/** Reads and writes typed values in simulated memory on the debugger's terms. */
export class ValueReader {
  /** Untyped (PVOID) members the driver always casts to one type: shown as that type. */
  castMembers: ReadonlyMap<Member, CType> = new Map();

  constructor(
    private readonly mem: Memory,
    private readonly symbolOf: (address: number) => string | undefined,
  ) {}

  private member(loc: { kind: 'memory'; address: number }, m: Member & { origin: Member }): TypedValue {
    const tv = memberValue(loc, m);
    const cast = this.castMembers.get(m.origin);
    if (cast) tv.type = cast;
    return tv;
  }

  /** The bytes of an object in memory, or undefined when unreadable. */
  bytes(address: number, size: number): Uint8Array | undefined {
    return this.mem.peekBytes(address, size);
  }

  /** The scalar value (integers, pointers as internal addresses, floats), undefined when unreadable. */
  scalar(tv: TypedValue): Value | undefined {
    if (tv.value !== undefined) return tv.value;
    const loc = tv.loc;
    if (!loc) return undefined;
    if (loc.kind === 'slot') return loc.frame.s[loc.slot];
    const t = tv.type;
    const size = tv.bits ? storageSize(t) : t.size;
    const b = this.bytes(loc.address, size);
    if (!b) return undefined;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (t.kind === 'float') return t.size === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true);
    if (t.kind === 'ptr') return fromUnsigned(dv.getBigUint64(0, true));
    if (t.kind !== 'int' && t.kind !== 'enum') return undefined;
    const unsigned = t.kind === 'int' ? t.unsigned : false;
    let v: bigint;
    if (size === 1) v = BigInt(unsigned ? dv.getUint8(0) : dv.getInt8(0));
    else if (size === 2) v = BigInt(unsigned ? dv.getUint16(0, true) : dv.getInt16(0, true));
    else if (size === 4) v = BigInt(unsigned ? dv.getUint32(0, true) : dv.getInt32(0, true));
    else v = unsigned ? dv.getBigUint64(0, true) : dv.getBigInt64(0, true);
    if (tv.bits) {
      const raw = BigInt.asUintN(size * 8, v) >> BigInt(tv.bits.offset);
      v = unsigned ? BigInt.asUintN(tv.bits.width, raw) : BigInt.asIntN(tv.bits.width, raw);
    }
    return t.size === 8 ? v : Number(v);
  }

  /** The text shown for a value (VS Code's Variables view and hovers). */
  format(tv: TypedValue, opts: FormatOptions = {}): string {
    const t = tv.type;
    switch (t.kind) {
      case 'int':
      case 'enum': {
        const v = this.scalar(tv);
        if (v === undefined) return '<unreadable>';
        return formatInteger(t, v, opts);
      }
      case 'float': {
        const v = this.scalar(tv);
        return v === undefined ? '<unreadable>' : String(Number(v));
      }
      case 'ptr': {
        const v = this.scalar(tv);
        if (v === undefined) return '<unreadable>';
        return this.formatPointer(t.base, Number(v));
      }
      case 'array': {
        if (isCharType(t.base) && tv.loc?.kind === 'memory') {
          const s = this.cString(tv.loc.address, t.length ?? 64);
          if (s !== undefined) return JSON.stringify(s);
        }
        return `[${t.length ?? '?'}]`;
      }
      case 'struct':
      case 'union':
        return this.recordPreview(tv);
      case 'func':
        return tv.loc?.kind === 'memory' ? `${hexAddress(tv.loc.address)} ${this.symbolOf(tv.loc.address) ?? ''}`.trim() : '<function>';
      case 'void':
        return 'void';
    }
  }

  /** What a value expands to in the Variables view. */
  children(tv: TypedValue, expr: string, start = 0, count = ARRAY_PREVIEW): NamedValue[] {
    const t = tv.type;
    if (isRecord(t)) {
      if (tv.loc?.kind !== 'memory') return [];
      return membersOf(t).map((m) => ({ name: m.name, tv: this.member(tv.loc as { kind: 'memory'; address: number }, m), expr: this.castExpr(m, `${paren(expr)}.${m.name}`) }));
    }
    if (t.kind === 'array') {
      if (tv.loc?.kind !== 'memory' || t.base.size <= 0) return [];
      const n = t.length ?? 0;
      const out: NamedValue[] = [];
      for (let i = start; i < Math.min(n, start + count); i++) {
        out.push({ name: `[${i}]`, tv: { type: t.base, loc: { kind: 'memory', address: tv.loc.address + i * t.base.size } }, expr: `${paren(expr)}[${i}]` });
      }
      return out;
    }
    if (t.kind === 'ptr') {
      const p = this.scalar(tv);
      if (p === undefined || Number(p) === 0 || t.base.kind === 'void' || t.base.kind === 'func' || t.base.size <= 0) return [];
      const target: TypedValue = { type: t.base, loc: { kind: 'memory', address: Number(p) } };
      // A pointer to a structure opens on the structure's members, as WinDbg and VS Code do.
      if (isRecord(t.base)) {
        if (!this.bytes(Number(p), 1)) return [];
        return membersOf(t.base).map((m) => ({ name: m.name, tv: this.member({ kind: 'memory', address: Number(p) }, m), expr: this.castExpr(m, `${paren(expr)}->${m.name}`) }));
      }
      return [{ name: `*${expr}`, tv: target, expr: `*${paren(expr)}` }];
    }
    return [];
  }

  /** A member shown as the type the driver casts it to is named with that cast (for watch and "Copy as Expression"). */
  private castExpr(m: Member & { origin: Member }, expr: string): string {
    const cast = this.castMembers.get(m.origin);
    return cast ? `((${typeToString(cast)})${expr})` : expr;
  }

  /** Whether a value expands, and how many indexed children (arrays) it has. */
  shape(tv: TypedValue): { expandable: boolean; indexed?: number } {
    const t = tv.type;
    if (isRecord(t)) return { expandable: tv.loc?.kind === 'memory' && t.members.length > 0 };
    if (t.kind === 'array') return { expandable: tv.loc?.kind === 'memory' && (t.length ?? 0) > 0, indexed: t.length ?? 0 };
    if (t.kind === 'ptr') {
      const p = this.scalar(tv);
      return { expandable: p !== undefined && Number(p) !== 0 && t.base.kind !== 'void' && t.base.kind !== 'func' && t.base.size > 0 };
    }
    return { expandable: false };
  }

  /** The address behind a value, for memoryReference (objects in memory, and pointers' targets). */
  memoryReference(tv: TypedValue): number | undefined {
    if (tv.type.kind === 'ptr') {
      const p = this.scalar(tv);
      return p !== undefined && Number(p) !== 0 ? Number(p) : undefined;
    }
    return tv.loc?.kind === 'memory' ? tv.loc.address : undefined;
  }

  /** Stores a scalar; false when the location cannot be written. */
  store(tv: TypedValue, v: Value): boolean {
    const t = tv.type;
    const loc = tv.loc;
    if (!loc) return false;
    if (loc.kind === 'slot') {
      loc.frame.s[loc.slot] = normalize(t, v);
      return true;
    }
    if (t.kind === 'float') {
      const b = new Uint8Array(t.size);
      const dv = new DataView(b.buffer);
      if (t.size === 4) dv.setFloat32(0, Number(v), true);
      else dv.setFloat64(0, Number(v), true);
      return this.mem.pokeBytes(loc.address, b);
    }
    if (t.kind !== 'int' && t.kind !== 'enum' && t.kind !== 'ptr') return false;
    const size = tv.bits ? storageSize(t) : t.size;
    let raw = t.kind === 'ptr' ? toUnsigned(Number(v)) : BigInt.asUintN(size * 8, BigInt(v));
    if (tv.bits) {
      const old = this.bytes(loc.address, size);
      if (!old) return false;
      let cur = 0n;
      for (let i = size - 1; i >= 0; i--) cur = (cur << 8n) | BigInt(old[i]);
      const mask = ((1n << BigInt(tv.bits.width)) - 1n) << BigInt(tv.bits.offset);
      raw = (cur & ~mask) | ((raw << BigInt(tv.bits.offset)) & mask);
    }
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) out[i] = Number((raw >> BigInt(8 * i)) & 0xffn);
    return this.mem.pokeBytes(loc.address, out);
  }

  /** A NUL-terminated string at `address` (at most `max` bytes), undefined when unreadable. */
  cString(address: number, max: number): string | undefined {
    let s = '';
    for (let i = 0; i < max; i++) {
      const b = this.bytes(address + i, 1);
      if (!b) return i === 0 ? undefined : s;
      if (b[0] === 0) return s;
      s += String.fromCharCode(b[0]);
    }
    return s;
  }

  private formatPointer(base: CType, p: number): string {
    const hex = hexAddress(p);
    if (p === 0) return 'NULL';
    if (base.kind === 'func') {
      const sym = this.symbolOf(p);
      return sym ? `${hex} ${sym}` : hex;
    }
    if (isCharType(base)) {
      const s = this.cString(p, 64);
      return s !== undefined ? `${hex} ${JSON.stringify(s)}` : hex;
    }
    return hex;
  }

  private recordPreview(tv: TypedValue): string {
    const t = tv.type as RecordType;
    if (tv.loc?.kind !== 'memory') return '{...}';
    if (!this.bytes(tv.loc.address, Math.max(1, t.size))) return '<unreadable>';
    const parts: string[] = [];
    for (const m of membersOf(t)) {
      if (parts.length >= 4) {
        parts.push('...');
        break;
      }
      const mv = memberValue(tv.loc, m);
      const k = m.type.kind;
      const text = k === 'struct' || k === 'union' ? '{...}' : k === 'array' ? `[${(m.type as { length?: number }).length ?? '?'}]` : this.format(mv);
      parts.push(`${m.name}=${text}`);
    }
    return `{${parts.join(', ')}}`;
  }
}

/** Members as the user names them: anonymous struct/union members flattened. */
export function membersOf(t: RecordType): Array<Member & { name: string; origin: Member }> {
  const out: Array<Member & { name: string; origin: Member }> = [];
  const walk = (r: RecordType, base: number): void => {
    for (const m of r.members) {
      if (m.name === undefined) {
        if (isRecord(m.type)) walk(m.type, base + m.offset);
        continue;
      }
      out.push({ ...m, offset: base + m.offset, name: m.name, origin: m });
    }
  };
  walk(t, 0);
  return out;
}

export function memberValue(loc: { kind: 'memory'; address: number }, m: Member): TypedValue {
  const tv: TypedValue = { type: m.type, loc: { kind: 'memory', address: loc.address + m.offset } };
  if (m.bitWidth !== undefined) tv.bits = { offset: m.bitOffset ?? 0, width: m.bitWidth };
  return tv;
}

export function hexAddress(p: number): string {
  return `0x${toUnsigned(p).toString(16).padStart(16, '0')}`;
}

export function formatInteger(t: CType, v: Value, opts: FormatOptions = {}): string {
  const size = t.size > 0 ? t.size : 4;
  const unsigned = t.kind === 'int' && t.unsigned;
  const big = BigInt(v);
  const n = unsigned ? BigInt.asUintN(size * 8, big) : BigInt.asIntN(size * 8, big);
  if (opts.hex) return `0x${BigInt.asUintN(size * 8, big).toString(16)}`;
  if (t.kind === 'int' && t.name === 'char') {
    const c = Number(BigInt.asUintN(8, n));
    const shown = c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
    return `${n} '${shown}'`;
  }
  return n.toString();
}

function isCharType(t: CType): boolean {
  return t.kind === 'int' && t.name === 'char';
}

function storageSize(t: CType): number {
  return t.size > 0 ? t.size : 4;
}

function paren(expr: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(expr) || /^[A-Za-z_][\w.[\]>-]*$/.test(expr) ? expr : `(${expr})`;
}

/** A scalar as the compiled code keeps it in a slot (numbers; 64-bit integers as bigint). */
function normalize(t: CType, v: Value): Value {
  if (t.kind === 'float') return Number(v);
  if (t.kind === 'ptr') return Number(v);
  if (t.kind === 'int' || t.kind === 'enum') {
    const unsigned = t.kind === 'int' && t.unsigned;
    const bits = (t.size > 0 ? t.size : 4) * 8;
    const b = unsigned ? BigInt.asUintN(bits, BigInt(v)) : BigInt.asIntN(bits, BigInt(v));
    return bits === 64 ? b : Number(b);
  }
  return v;
}
