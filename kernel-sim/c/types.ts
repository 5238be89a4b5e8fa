// C types for x64 LLP64 (ARCHITECTURE decision 2): char 1, short 2, int 4, long 4,
// long long 8, pointers 8, long double = double (MSVC), plain char signed (MSVC).

import type { SourcePos } from './token';

export interface Qualifiers {
  const?: boolean;
  volatile?: boolean;
  restrict?: boolean;
  unaligned?: boolean;
}

interface TypeBase extends Qualifiers {
  /** Size in bytes; -1 while incomplete (void, incomplete struct/array, function). */
  size: number;
  align: number;
  /** The typedef name this type was reached through, for messages ("PKDPC"). */
  typedefName?: string;
  /**
   * Alignment demanded by __declspec(align(N)) (on the type or the member): unlike natural
   * alignment, #pragma pack cannot lower it (MSVC).
   */
  requiredAlign?: number;
}

export type IntName = '_Bool' | 'char' | 'short' | 'int' | 'long' | 'long long';

export interface VoidType extends TypeBase {
  kind: 'void';
}
export interface IntType extends TypeBase {
  kind: 'int';
  name: IntName;
  unsigned: boolean;
  /** Plain `char` (distinct type from signed char and unsigned char). */
  plainChar?: boolean;
}
export interface FloatType extends TypeBase {
  kind: 'float';
  name: 'float' | 'double' | 'long double';
}
export interface PointerType extends TypeBase {
  kind: 'ptr';
  base: CType;
}
export interface ArrayType extends TypeBase {
  kind: 'array';
  base: CType;
  /** Element count; undefined for `T x[]` (incomplete / flexible member). */
  length: number | undefined;
  /** Qualifiers written inside the brackets of a parameter (`a[const 3]`). */
  paramQuals?: Qualifiers;
}
export interface Param {
  name: string | undefined;
  type: CType;
  pos?: SourcePos;
  /** SAL IRQL annotations on the parameter (`_IRQL_restores_ KIRQL NewIrql`). */
  irql?: { kind: string; args: bigint[]; names?: string[] }[];
}
export type CallConv = 'cdecl' | 'stdcall' | 'fastcall' | 'vectorcall';
export interface FunctionType extends TypeBase {
  kind: 'func';
  ret: CType;
  params: Param[];
  variadic: boolean;
  /** Declared without a prototype: `int f();` accepts any arguments. */
  noPrototype: boolean;
  callConv?: CallConv;
}
export interface Member {
  /** undefined for an anonymous struct/union member or an unnamed bitfield. */
  name: string | undefined;
  type: CType;
  /** Byte offset of the member (of its storage unit for a bitfield). */
  offset: number;
  /** Bitfields: width, and bit position inside the storage unit starting at `offset`. */
  bitWidth?: number;
  bitOffset?: number;
  pos?: SourcePos;
}
export interface RecordType extends TypeBase {
  kind: 'struct' | 'union';
  tag: string | undefined;
  members: Member[];
  complete: boolean;
  /** `#pragma pack(n)` / `__declspec(align)` in force when the body was laid out. */
  pack?: number;
  /** Unique identity: within one translation unit, compatible only if the same object. */
  id: number;
  /** Translation unit that declared it: across units, the same tag means the same type (C11 6.2.7). */
  unit?: number;
  pos?: SourcePos;
  /** On a variant (qualified or typedef-labelled copy): the defining object. */
  root?: RecordType;
  /** On the defining object: its variants, updated when the body is seen. */
  variants?: RecordType[];
}
export interface EnumType extends TypeBase {
  kind: 'enum';
  tag: string | undefined;
  complete: boolean;
  id: number;
  unit?: number;
  pos?: SourcePos;
  root?: EnumType;
  variants?: EnumType[];
}

export type CType = VoidType | IntType | FloatType | PointerType | ArrayType | FunctionType | RecordType | EnumType;

function int(name: IntName, size: number, unsigned: boolean, plainChar = false): IntType {
  return plainChar
    ? { kind: 'int', name, size, align: size, unsigned, plainChar }
    : { kind: 'int', name, size, align: size, unsigned };
}

// Canonical unqualified types; qualified variants are copies (see qualify).
export const voidType: VoidType = { kind: 'void', size: -1, align: 1 };
export const boolType = int('_Bool', 1, true);
export const charType = int('char', 1, false, true);
export const scharType = int('char', 1, false);
export const ucharType = int('char', 1, true);
export const shortType = int('short', 2, false);
export const ushortType = int('short', 2, true);
export const intType = int('int', 4, false);
export const uintType = int('int', 4, true);
export const longType = int('long', 4, false);
export const ulongType = int('long', 4, true);
export const llongType = int('long long', 8, false);
export const ullongType = int('long long', 8, true);
export const floatType: FloatType = { kind: 'float', name: 'float', size: 4, align: 4 };
export const doubleType: FloatType = { kind: 'float', name: 'double', size: 8, align: 8 };
export const ldoubleType: FloatType = { kind: 'float', name: 'long double', size: 8, align: 8 };
/** size_t / ptrdiff_t on x64. */
export const sizeType = ullongType;
export const ptrdiffType = llongType;

let nextRecordId = 1;
export function newRecordId(): number {
  return nextRecordId++;
}

export function pointerTo(base: CType): PointerType {
  return { kind: 'ptr', base, size: 8, align: 8 };
}

export function arrayOf(base: CType, length: number | undefined): ArrayType {
  const size = length === undefined || base.size < 0 ? -1 : base.size * length;
  const t: ArrayType = { kind: 'array', base, length, size, align: base.align };
  if (base.requiredAlign) t.requiredAlign = base.requiredAlign;
  return t;
}

export function funcType(ret: CType, params: Param[], variadic: boolean, noPrototype = false): FunctionType {
  return { kind: 'func', ret, params, variadic, noPrototype, size: -1, align: 1 };
}

export function isInteger(t: CType): t is IntType | EnumType {
  return t.kind === 'int' || t.kind === 'enum';
}
export function isArithmetic(t: CType): boolean {
  return t.kind === 'int' || t.kind === 'enum' || t.kind === 'float';
}
export function isScalar(t: CType): boolean {
  return isArithmetic(t) || t.kind === 'ptr';
}
export function isRecord(t: CType): t is RecordType {
  return t.kind === 'struct' || t.kind === 'union';
}
export function isComplete(t: CType): boolean {
  return t.size >= 0;
}

export function hasQualifiers(t: CType): boolean {
  return !!(t.const || t.volatile || t.restrict || t.unaligned);
}

/**
 * A variant of `t` (qualified, or labelled with a typedef name). Variants of a struct, union
 * or enum are plain copies registered with their defining object, so completing the type later
 * (a typedef of a struct declared before its body) updates every variant (see completeTag).
 */
function variant(t: CType, own: Partial<TypeBase>): CType {
  if (t.kind === 'struct' || t.kind === 'union' || t.kind === 'enum') {
    const root = tagRoot(t);
    const { variants: _shared, ...fields } = t;
    const v = { ...fields, ...own, root } as RecordType | EnumType;
    ((root.variants ??= []) as (RecordType | EnumType)[]).push(v);
    return v;
  }
  return { ...t, ...own } as CType;
}

/** The defining object of a struct/union/enum. */
export function tagRoot<T extends RecordType | EnumType>(t: T): T {
  return (t.root as T | undefined) ?? t;
}

/** Completes a struct/union/enum and every variant made of it before its body was seen. */
export function completeTag(root: RecordType | EnumType): void {
  root.complete = true;
  for (const v of root.variants ?? []) {
    v.complete = true;
    v.size = Math.max(v.size, root.size);
    if (v.align < root.align) v.align = root.align;
    if (root.requiredAlign) v.requiredAlign = Math.max(v.requiredAlign ?? 0, root.requiredAlign);
    if (v.kind !== 'enum' && root.kind !== 'enum') {
      v.members = root.members;
      if (root.pack) v.pack = root.pack;
    }
  }
}

const qualifiedCache = new WeakMap<CType, (CType | undefined)[]>();

/** A variant of `t` with qualifiers added (merged with those it has); memoized per type. */
export function qualify(t: CType, q: Qualifiers): CType {
  const bits = (q.const ? 1 : 0) | (q.volatile ? 2 : 0) | (q.restrict ? 4 : 0) | (q.unaligned ? 8 : 0);
  if (bits === 0) return t;
  // Qualifying an array type qualifies its elements (C11 6.7.3p9).
  if (t.kind === 'array') {
    const a = arrayOf(qualify(t.base, q), t.length);
    if (t.typedefName) a.typedefName = t.typedefName;
    if (t.align > a.align) a.align = t.align;
    return a;
  }
  let row = qualifiedCache.get(t);
  if (!row) qualifiedCache.set(t, (row = []));
  const hit = row[bits];
  if (hit) return hit;
  const own: Partial<TypeBase> = {};
  if (q.const) own.const = true;
  if (q.volatile) own.volatile = true;
  if (q.restrict) own.restrict = true;
  if (q.unaligned) own.unaligned = true;
  return (row[bits] = variant(t, own));
}

const unqualifiedCache = new WeakMap<CType, CType>();

/** The same type without top-level qualifiers (and without the typedef label); memoized. */
export function unqualified(t: CType): CType {
  if (!hasQualifiers(t) && !t.typedefName) return t;
  if (t.kind === 'struct' || t.kind === 'union' || t.kind === 'enum') return tagRoot(t);
  let c = unqualifiedCache.get(t);
  if (c) return c;
  c = { ...t } as CType;
  delete c.const;
  delete c.volatile;
  delete c.restrict;
  delete c.unaligned;
  delete c.typedefName;
  unqualifiedCache.set(t, c);
  return c;
}

export function withTypedefName(t: CType, name: string): CType {
  return variant(t, { typedefName: name });
}

/** A variant of `t` with a stronger alignment (__declspec(align)); records also round their size. */
export function withAlignment(t: CType, align: number): CType {
  if (align <= t.align && align <= (t.requiredAlign ?? 0)) return t;
  const own: Partial<TypeBase> = { align: Math.max(align, t.align), requiredAlign: Math.max(align, t.requiredAlign ?? 0) };
  if ((t.kind === 'struct' || t.kind === 'union') && t.size >= 0) own.size = Math.ceil(t.size / align) * align;
  return variant(t, own);
}

/** C11 6.2.7 compatible types (qualifiers at the top level ignored by the caller's choice). */
export function compatible(a: CType, b: CType, ignoreTopQualifiers = true): boolean {
  if (a === b) return true;
  if (!ignoreTopQualifiers && (!!a.const !== !!b.const || !!a.volatile !== !!b.volatile)) return false;
  switch (a.kind) {
    case 'void':
      return b.kind === 'void';
    case 'int':
      if (b.kind === 'enum') return a.name === 'int' && !a.unsigned; // enum's compatible type is int
      return b.kind === 'int' && a.name === b.name && a.unsigned === b.unsigned && !!a.plainChar === !!b.plainChar;
    case 'float':
      return b.kind === 'float' && a.name === b.name;
    case 'ptr':
      return b.kind === 'ptr' && compatible(a.base, b.base, false);
    case 'array':
      return (
        b.kind === 'array' &&
        compatible(a.base, b.base, false) &&
        (a.length === undefined || b.length === undefined || a.length === b.length)
      );
    case 'func': {
      if (b.kind !== 'func' || !compatible(a.ret, b.ret)) return false;
      if (a.noPrototype || b.noPrototype) return true;
      if (a.variadic !== b.variadic || a.params.length !== b.params.length) return false;
      return a.params.every((p, i) => compatible(decayParam(p.type), decayParam(b.params[i].type)));
    }
    case 'struct':
    case 'union':
      return b.kind === a.kind && sameTag(a, b);
    case 'enum':
      if (b.kind === 'int') return b.name === 'int' && !b.unsigned;
      return b.kind === 'enum' && sameTag(a, b);
  }
}

function sameTag(a: RecordType | EnumType, b: RecordType | EnumType): boolean {
  if (a.id === b.id) return true;
  if (a.unit === b.unit) return false;
  if (a.tag !== undefined || b.tag !== undefined) return a.tag === b.tag;
  // Untagged types from two units: the typedef that names them (every enum is an int).
  return a.kind === 'enum' || (a.typedefName !== undefined && a.typedefName === b.typedefName);
}

/** Parameter adjustment (C11 6.7.6.3): arrays become pointers, functions become pointers. */
export function decayParam(t: CType): CType {
  if (t.kind === 'array') return t.paramQuals ? qualify(pointerTo(t.base), t.paramQuals) : pointerTo(t.base);
  if (t.kind === 'func') return pointerTo(t);
  return t;
}

/** Integer conversion rank (C11 6.3.1.1). */
export function intRank(t: IntType | EnumType): number {
  if (t.kind === 'enum') return 3;
  switch (t.name) {
    case '_Bool':
      return 0;
    case 'char':
      return 1;
    case 'short':
      return 2;
    case 'int':
      return 3;
    case 'long':
      return 4;
    case 'long long':
      return 5;
  }
}

/** Integer promotion (C11 6.3.1.1p2): anything narrower than int becomes int. */
export function promote(t: CType): CType {
  if (t.kind === 'enum') return intType;
  if (t.kind === 'int' && t.size < 4) return intType;
  if (t.kind === 'int') return t.unsigned ? canonicalInt(t.name, true) : canonicalInt(t.name, false);
  return t;
}

export function canonicalInt(name: IntName, unsigned: boolean): IntType {
  switch (name) {
    case '_Bool':
      return boolType;
    case 'char':
      return unsigned ? ucharType : scharType;
    case 'short':
      return unsigned ? ushortType : shortType;
    case 'int':
      return unsigned ? uintType : intType;
    case 'long':
      return unsigned ? ulongType : longType;
    case 'long long':
      return unsigned ? ullongType : llongType;
  }
}

/** Usual arithmetic conversions (C11 6.3.1.8) of two arithmetic operand types. */
export function usualArithmetic(a: CType, b: CType): CType {
  if (a.kind === 'float' || b.kind === 'float') {
    // long double is double on MSVC x64, but keeps its name.
    const rank = (t: CType): number => (t.kind === 'float' ? (t.name === 'float' ? 1 : t.name === 'double' ? 2 : 3) : 0);
    const r = Math.max(rank(a), rank(b));
    return r === 1 ? floatType : r === 2 ? doubleType : ldoubleType;
  }
  const pa = promote(a) as IntType;
  const pb = promote(b) as IntType;
  if (pa.name === pb.name && pa.unsigned === pb.unsigned) return canonicalInt(pa.name, pa.unsigned);
  if (pa.unsigned === pb.unsigned) return intRank(pa) >= intRank(pb) ? pa : pb;
  const [u, s] = pa.unsigned ? [pa, pb] : [pb, pa];
  if (intRank(u) >= intRank(s)) return canonicalInt(u.name, true);
  if (s.size > u.size) return canonicalInt(s.name, false);
  return canonicalInt(s.name, true);
}

/** Spelling of a type for diagnostics, e.g. "PKDPC" or "struct _KDPC *". */
export function typeToString(t: CType): string {
  if (t.typedefName) return qualPrefix(t) + t.typedefName;
  return declToString(t, '');
}

function qualPrefix(t: CType): string {
  let s = '';
  if (t.const) s += 'const ';
  if (t.volatile) s += 'volatile ';
  return s;
}

function declToString(t: CType, inner: string): string {
  if (t.typedefName) return `${qualPrefix(t)}${t.typedefName}${inner ? ' ' + inner : ''}`;
  switch (t.kind) {
    case 'void':
    case 'int':
    case 'float':
    case 'struct':
    case 'union':
    case 'enum':
      return `${qualPrefix(t)}${baseName(t)}${inner ? ' ' + inner : ''}`;
    case 'ptr': {
      let q = '*';
      if (t.const) q += 'const';
      if (t.volatile) q += (q.length > 1 ? ' ' : '') + 'volatile';
      const wrapped = t.base.kind === 'array' || t.base.kind === 'func' ? `(${q}${inner})` : q + inner;
      return declToString(t.base, wrapped);
    }
    case 'array':
      return declToString(t.base, `${inner}[${t.length ?? ''}]`);
    case 'func': {
      const ps = t.params.map((p) => typeToString(p.type));
      if (t.variadic) ps.push('...');
      if (!t.noPrototype && ps.length === 0) ps.push('void');
      return declToString(t.ret, `${inner}(${ps.join(', ')})`);
    }
  }
}

function baseName(t: CType): string {
  switch (t.kind) {
    case 'void':
      return 'void';
    case 'int':
      if (t.name === '_Bool') return '_Bool';
      if (t.name === 'char') return t.plainChar ? 'char' : t.unsigned ? 'unsigned char' : 'signed char';
      return (t.unsigned ? 'unsigned ' : '') + t.name;
    case 'float':
      return t.name;
    case 'struct':
    case 'union':
    case 'enum':
      return `${t.kind} ${t.tag ?? '<anonymous>'}`;
    default:
      return '?';
  }
}
