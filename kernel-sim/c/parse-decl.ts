// Declarations (C11 6.7) with the MSVC/WDK extensions drivers are written in:
// __int8..__int64, __declspec(...), __forceinline, calling conventions, __unaligned,
// __attribute__((...)), anonymous struct/union members, function typedef declarations.

import type { DeclAttributes, FuncObj, Initializer, VarObj } from './ast';
import { constExpr } from './parse-expr';
import { initializer } from './parse-init';
import { type ParserState, SyntaxPanic, describe, skipGroup } from './parse-state';
import { type Token, TokenKind } from './token';
import { layoutRecord, type MemberDecl } from './layout';
import { interpretAttribute, type RawAttribute } from './attributes';
import {
  type CType,
  type CallConv,
  type EnumType,
  type FunctionType,
  type Param,
  type Qualifiers,
  type RecordType,
  arrayOf,
  boolType,
  charType,
  compatible,
  decayParam,
  doubleType,
  floatType,
  funcType,
  intType,
  isComplete,
  isInteger,
  isRecord,
  ldoubleType,
  llongType,
  longType,
  newRecordId,
  pointerTo,
  qualify,
  scharType,
  shortType,
  typeToString,
  ucharType,
  uintType,
  ullongType,
  ulongType,
  ushortType,
  voidType,
  completeTag,
  withAlignment,
  withTypedefName,
} from './types';

export type Storage = 'typedef' | 'extern' | 'static' | 'auto' | 'register' | undefined;

export interface DeclSpec {
  type: CType;
  storage: Storage;
  inline: boolean;
  attrs: DeclAttributes;
  /** __declspec(align(N)) / _Alignas. */
  align: number;
  callConv: CallConv | undefined;
  tok: Token;
}

const TYPE_KEYWORDS = new Set([
  'void', '_Bool', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '__signed__', '__signed',
  '__int8', '__int16', '__int32', '__int64', 'struct', 'union', 'enum', 'const', 'volatile', 'restrict', '__restrict',
  '__restrict__', '__unaligned', '_Alignas', '__declspec', '__attribute__', '__attribute', 'typedef', 'extern', 'static',
  'auto', 'register', 'inline', '__inline', '__inline__', '__forceinline', '_Noreturn', '__stdcall', '__cdecl',
  '__fastcall', '__vectorcall', '_stdcall', '_cdecl', '__ptr64', '__ptr32', '__w64', '__extension__', '__const',
  '__volatile__', '__volatile', '_Thread_local', '__thread', '_Atomic',
]);
// (_Generic is an expression keyword, handled in parse-expr.)

const CALL_CONVS: Record<string, CallConv> = {
  __stdcall: 'stdcall',
  _stdcall: 'stdcall',
  __cdecl: 'cdecl',
  _cdecl: 'cdecl',
  __fastcall: 'fastcall',
  __vectorcall: 'vectorcall',
};

/** Can `tok` begin a declaration (a type name, specifier or qualifier)? */
export function isTypenameStart(p: ParserState, tok: Token): boolean {
  if (tok.kind !== TokenKind.Identifier) return false;
  return TYPE_KEYWORDS.has(tok.text) || p.isTypedefName(tok);
}

export function emptyAttrs(): DeclAttributes {
  return { irql: [] };
}

// ---------- declaration specifiers ----------

interface SpecCounts {
  void: number;
  bool: number;
  char: number;
  short: number;
  int: number;
  long: number;
  float: number;
  double: number;
  signed: number;
  unsigned: number;
}

// declspec = (storage-class | type-specifier | type-qualifier | function-specifier | attribute)+
export function declspec(p: ParserState, allowStorage: boolean): DeclSpec {
  const tok = p.tok;
  const counts: SpecCounts = { void: 0, bool: 0, char: 0, short: 0, int: 0, long: 0, float: 0, double: 0, signed: 0, unsigned: 0 };
  let other: CType | undefined;
  let seenAny = false;
  let lastSpec = tok;
  const q: Qualifiers = {};
  const spec: DeclSpec = { type: intType, storage: undefined, inline: false, attrs: emptyAttrs(), align: 0, callConv: undefined, tok };

  for (;;) {
    const t = p.tok;
    if (t.kind !== TokenKind.Identifier) break;
    const s = t.text;
    switch (s) {
      case 'typedef':
      case 'extern':
      case 'static':
      case 'auto':
      case 'register':
        p.next();
        if (!allowStorage) p.error(t, `storage class '${s}' not allowed here`);
        else if (spec.storage && spec.storage !== s) p.error(t, 'multiple storage classes in declaration specifiers');
        spec.storage = s;
        continue;
      case '_Thread_local':
      case '__thread':
        p.next();
        continue;
      case 'inline':
      case '__inline':
      case '__inline__':
      case '__forceinline':
        p.next();
        spec.inline = true;
        continue;
      case '_Noreturn':
        p.next();
        spec.attrs.noreturn = true;
        continue;
      case 'const':
      case '__const':
        p.next();
        q.const = true;
        continue;
      case 'volatile':
      case '__volatile__':
      case '__volatile':
        p.next();
        q.volatile = true;
        continue;
      case 'restrict':
      case '__restrict':
      case '__restrict__':
        p.next();
        q.restrict = true;
        continue;
      case '__unaligned':
        p.next();
        q.unaligned = true;
        continue;
      case '_Atomic':
        p.fail(t, "'_Atomic' is not supported");
        break;
      case '__ptr64':
      case '__ptr32':
      case '__w64':
      case '__extension__':
        p.next();
        continue;
      case '__declspec':
      case '__attribute__':
      case '__attribute':
        applyAttributes(p, parseAttributes(p), spec);
        continue;
      case '_Alignas': {
        p.next();
        p.expect('(');
        if (isTypenameStart(p, p.tok)) spec.align = Math.max(spec.align, typeName(p).align);
        else spec.align = Math.max(spec.align, Number(constExpr(p, 'alignment')));
        p.expect(')');
        continue;
      }
    }
    const cc = CALL_CONVS[s];
    if (cc) {
      p.next();
      spec.callConv = cc;
      continue;
    }
    // Type specifiers.
    if (s === 'struct' || s === 'union') {
      if (seenAny || other) p.error(t, 'two or more data types in declaration specifiers');
      other = recordSpecifier(p);
      continue;
    }
    if (s === 'enum') {
      if (seenAny || other) p.error(t, 'two or more data types in declaration specifiers');
      other = enumSpecifier(p);
      continue;
    }
    if (!seenAny && !other && p.isTypedefName(t)) {
      p.next();
      const e = p.lookup(s);
      if (e && e.kind === 'typedef') {
        other = e.type;
        // A function declared through a function typedef inherits its annotations (sal.h).
        if (e.attrs) spec.attrs = mergeAttrs(spec.attrs, e.attrs);
        if (e.type.kind === 'func' && !spec.attrs.functionClass) spec.attrs.functionClass = s;
      }
      continue;
    }
    let handled = true;
    switch (s) {
      case 'void':
        counts.void++;
        break;
      case '_Bool':
        counts.bool++;
        break;
      case 'char':
      case '__int8':
        counts.char++;
        break;
      case 'short':
      case '__int16':
        counts.short++;
        break;
      case 'int':
      case '__int32':
        counts.int++;
        break;
      case 'long':
        counts.long++;
        break;
      case '__int64':
        counts.long += 2;
        break;
      case 'float':
        counts.float++;
        break;
      case 'double':
        counts.double++;
        break;
      case 'signed':
      case '__signed__':
      case '__signed':
        counts.signed++;
        break;
      case 'unsigned':
        counts.unsigned++;
        break;
      default:
        handled = false;
    }
    if (!handled) break;
    p.next();
    if (other) p.error(t, 'two or more data types in declaration specifiers');
    seenAny = true;
    lastSpec = t;
  }

  if (other) spec.type = other;
  else if (seenAny) spec.type = basicType(p, counts, lastSpec);
  else {
    if (p.tok.kind === TokenKind.Identifier && !isTypenameStart(p, p.tok) && p.peek().kind === TokenKind.Identifier) {
      p.fail(p.tok, `unknown type name '${p.tok.text}'`);
    }
    // C89 implicit int survives in old code as `main() { ... }` at file scope.
    const implicitIntFunction = p.atFileScope && tok.kind === TokenKind.Identifier && p.isAt(1, '(');
    if (spec.storage === undefined && !spec.inline && !q.const && !q.volatile && tok === p.tok && !implicitIntFunction) {
      p.fail(tok, `expected declaration specifiers before ${describe(tok)}`);
    }
    p.warning(tok, 'type specifier missing, defaults to int');
    spec.type = intType;
  }
  spec.type = qualify(spec.type, q);
  // __declspec(align(N)) before a struct raises the struct's own alignment (and so its size).
  if (spec.align > spec.type.align && isRecord(spec.type) && spec.type.complete) spec.type = withAlignment(spec.type, spec.align);
  return spec;
}

function basicType(p: ParserState, c: SpecCounts, tok: Token): CType {
  const bad = (): CType => {
    p.error(tok, 'invalid combination of type specifiers');
    return intType;
  };
  if (c.signed && c.unsigned) return bad();
  const sign = c.signed + c.unsigned;
  if (sign > 1 || c.void > 1 || c.bool > 1 || c.char > 1 || c.short > 1 || c.int > 1 || c.float > 1 || c.double > 1) return bad();
  const main = c.void + c.bool + c.char + c.short + c.float + c.double;
  if (c.void) return main === 1 && !c.int && !c.long && !sign ? voidType : bad();
  if (c.bool) return main === 1 && !c.int && !c.long && !sign ? boolType : bad();
  if (c.float) return main === 1 && !c.int && !c.long && !sign ? floatType : bad();
  if (c.double) {
    if (main !== 1 || c.int || sign) return bad();
    return c.long === 0 ? doubleType : c.long === 1 ? ldoubleType : bad();
  }
  if (c.char) {
    if (main !== 1 || c.int || c.long) return bad();
    return c.unsigned ? ucharType : c.signed ? scharType : charType;
  }
  if (c.short) {
    if (main !== 1 || c.long) return bad();
    return c.unsigned ? ushortType : shortType;
  }
  if (c.long === 0) return c.unsigned ? uintType : intType;
  if (c.long === 1) return c.unsigned ? ulongType : longType;
  if (c.long === 2) return c.unsigned ? ullongType : llongType;
  return bad();
}

// ---------- attributes: __declspec(...) and __attribute__((...)) ----------

function parseAttributes(p: ParserState): RawAttribute[] {
  const kw = p.next();
  const out: RawAttribute[] = [];
  const gnu = kw.text !== '__declspec';
  p.expect('(');
  if (gnu) p.expect('(');
  while (!p.is(')')) {
    if (p.atEOF()) p.fail(kw, `unterminated ${kw.text}`);
    const nameTok = p.next();
    const args: Token[][] = [];
    if (p.is('(')) {
      p.next();
      let cur: Token[] = [];
      let depth = 0;
      for (;;) {
        const t = p.tok;
        if (t.kind === TokenKind.EOF) p.fail(kw, `unterminated ${kw.text}`);
        if (depth === 0 && (p.is(')') || p.is(','))) {
          args.push(cur);
          cur = [];
          if (p.is(')')) break;
          p.next();
          continue;
        }
        if (p.is('(')) depth++;
        if (p.is(')')) depth--;
        cur.push(p.next());
      }
      p.expect(')');
    }
    out.push({ name: nameTok.text.replace(/^__(.*)__$/, '$1'), tok: nameTok, args, declspec: !gnu });
    if (gnu) p.consume(',');
  }
  p.expect(')');
  if (gnu) p.expect(')');
  return out;
}

function applyAttributes(p: ParserState, raw: RawAttribute[], spec: { attrs: DeclAttributes; align: number }): void {
  for (const a of raw) {
    const align = interpretAttribute(p, a, spec.attrs);
    if (align > 0) spec.align = Math.max(spec.align, align);
  }
}

/** Attributes after a declarator or between tokens where they may appear; ignored if absent. */
function trailingAttributes(p: ParserState, attrs: DeclAttributes): number {
  let align = 0;
  while (p.is('__attribute__') || p.is('__attribute') || p.is('__declspec')) {
    const holder = { attrs, align: 0 };
    applyAttributes(p, parseAttributes(p), holder);
    align = Math.max(align, holder.align);
  }
  return align;
}

// ---------- struct / union / enum ----------

// struct-or-union-specifier = ("struct" | "union") attribute* ident? ("{" struct-declaration* "}")?
function recordSpecifier(p: ParserState): RecordType {
  const kwTok = p.next();
  const kind = kwTok.text as 'struct' | 'union';
  const attrs = emptyAttrs();
  let align = trailingAttributes(p, attrs);
  let tagTok: Token | undefined;
  if (p.tok.kind === TokenKind.Identifier && !p.is('{')) tagTok = p.next();
  align = Math.max(align, trailingAttributes(p, attrs));

  if (!p.is('{')) {
    if (!tagTok) p.fail(p.tok, `expected identifier or '{' after '${kind}'`);
    const existing = p.lookupTag(tagTok.text);
    // `struct T;` alone declares a new incomplete type in this scope.
    const declOnly = p.is(';');
    if (existing && !(declOnly && !p.scope.tags.has(tagTok.text))) {
      if (existing.kind !== kind) p.error(tagTok, `use of '${tagTok.text}' with tag type that does not match previous declaration`);
      return existing as RecordType;
    }
    const r = newRecord(p.unit, kind, tagTok.text, p.posOf(tagTok));
    p.declareTag(tagTok.text, r);
    return r;
  }

  let r: RecordType;
  if (tagTok) {
    const existing = p.scope.tags.get(tagTok.text);
    if (existing && existing.kind === kind && !existing.complete) r = existing;
    else {
      if (existing) p.error(tagTok, `redefinition of '${kind} ${tagTok.text}'`);
      r = newRecord(p.unit, kind, tagTok.text, p.posOf(tagTok));
      p.declareTag(tagTok.text, r);
    }
  } else {
    r = newRecord(p.unit, kind, undefined, p.posOf(kwTok));
  }
  p.syncPragmas();
  const pack = p.pack;
  const open = p.next();
  p.enter(open);
  const decls = structMembers(p, r);
  p.leave();
  align = Math.max(align, trailingAttributes(p, attrs));
  const l = layoutRecord(kind, decls, pack, align);
  if (l.size > 0x7fffffff) p.error(kwTok, `${kind} is too large (more than 0x7fffffff bytes)`);
  r.members = l.members;
  r.size = l.size;
  r.align = l.align;
  if (align > 0) r.requiredAlign = align;
  else if (decls.some((d) => d.type.requiredAlign)) r.requiredAlign = Math.max(...decls.map((d) => d.type.requiredAlign ?? 0));
  completeTag(r);
  if (pack) r.pack = pack;
  return r;
}

function newRecord(unit: number, kind: 'struct' | 'union', tag: string | undefined, pos: RecordType['pos']): RecordType {
  return { kind, tag, members: [], complete: false, size: -1, align: 1, id: newRecordId(), unit, pos };
}

// struct-declaration = declspec (declarator (":" const-expr)? ("," ...)*)? ";"
function structMembers(p: ParserState, r: RecordType): MemberDecl[] {
  const decls: MemberDecl[] = [];
  const names = new Set<string>();
  const addName = (name: string, tok: Token): void => {
    if (names.has(name)) p.error(tok, `duplicate member '${name}'`);
    names.add(name);
  };
  while (!p.consume('}')) {
    if (p.atEOF()) p.fail(p.tok, `expected '}' at end of ${r.kind} definition`);
    const start = p.pos;
    try {
      if (p.is('_Static_assert') || p.is('static_assert')) {
        staticAssert(p);
        continue;
      }
      if (p.consume(';')) continue;
      const spec = declspec(p, false);
      if (p.consume(';')) {
        // Anonymous struct/union member (C11; MSVC also allows a tagged one).
        if (isRecord(spec.type)) {
          decls.push({ name: undefined, type: spec.type, pos: p.posOf(spec.tok) });
          for (const m of spec.type.members) if (m.name) addName(m.name, spec.tok);
        } else {
          p.warning(spec.tok, 'declaration does not declare anything');
        }
        continue;
      }
      for (;;) {
        let d: Declarator = { name: undefined, type: spec.type, attrs: spec.attrs };
        if (!p.is(':')) d = declarator(p, spec.type, 'named');
        const memberAlign = Math.max(spec.align, d.align ?? 0, trailingAttributes(p, emptyAttrs()));
        if (memberAlign > d.type.align) d = { ...d, type: withAlignment(d.type, memberAlign) };
        let bitWidth: number | undefined;
        if (p.consume(':')) {
          const wt = p.tok;
          const w = constExpr(p, 'bit-field width');
          bitWidth = checkBitfield(p, d, w, wt);
        }
        if (d.type.kind === 'func') p.error(d.name ?? spec.tok, `field '${d.name?.text ?? ''}' declared as a function`);
        else if (!isComplete(d.type) && !(d.type.kind === 'array' && d.type.length === undefined)) {
          p.error(d.name ?? spec.tok, `field '${d.name?.text ?? ''}' has incomplete type '${typeToString(d.type)}'`);
        }
        if (d.name) addName(d.name.text, d.name);
        decls.push({ name: d.name?.text, type: d.type, bitWidth, pos: p.posOf(d.name ?? spec.tok) });
        if (!p.consume(',')) break;
      }
      p.expect(';', 'at end of member declaration');
    } catch (x) {
      if (!(x instanceof SyntaxPanic) || x.fatal) throw x;
      if (!x.resynced) skipTo(p, start, [';'], '}');
    }
  }
  // A flexible array member must be last.
  decls.forEach((d, i) => {
    if (d.type.kind === 'array' && d.type.length === undefined && i !== decls.length - 1 && r.kind === 'struct') {
      p.diags.at('error', d.pos ?? p.posOf(p.tok), 'flexible array member not at end of struct');
    }
  });
  return decls;
}

function checkBitfield(p: ParserState, d: Declarator, w: bigint, tok: Token): number {
  const t = d.type;
  if (!isInteger(t)) {
    p.error(tok, `bit-field '${d.name?.text ?? ''}' has invalid type '${typeToString(t)}'`);
    return 1;
  }
  if (w < 0n) {
    p.error(tok, `negative width in bit-field '${d.name?.text ?? ''}'`);
    return 1;
  }
  if (w > BigInt(t.size * 8)) {
    p.error(tok, `width of '${d.name?.text ?? ''}' exceeds its type`);
    return t.size * 8;
  }
  if (w === 0n && d.name) {
    p.error(tok, `zero width for bit-field '${d.name.text}'`);
    return 1;
  }
  return Number(w);
}

// enum-specifier = "enum" ident? ("{" enum-list? "}")?
function enumSpecifier(p: ParserState): EnumType {
  const kw = p.next();
  trailingAttributes(p, emptyAttrs());
  let tagTok: Token | undefined;
  if (p.tok.kind === TokenKind.Identifier && !p.is('{')) tagTok = p.next();
  if (p.consume(':')) p.fail(p.tok, 'enum with a fixed underlying type is not supported');
  if (!p.is('{')) {
    if (!tagTok) p.fail(p.tok, "expected identifier or '{' after 'enum'");
    const existing = p.lookupTag(tagTok.text);
    if (existing) {
      if (existing.kind !== 'enum') p.error(tagTok, `use of '${tagTok.text}' with tag type that does not match previous declaration`);
      return existing as EnumType;
    }
    // MSVC accepts a forward-declared enum (its type is int).
    const e: EnumType = { kind: 'enum', tag: tagTok.text, complete: false, id: newRecordId(), unit: p.unit, size: 4, align: 4, pos: p.posOf(tagTok) };
    p.declareTag(tagTok.text, e);
    return e;
  }
  let e: EnumType;
  const existing = tagTok ? p.scope.tags.get(tagTok.text) : undefined;
  if (existing && existing.kind === 'enum' && !existing.complete) e = existing;
  else {
    if (existing && tagTok) p.error(tagTok, `redefinition of 'enum ${tagTok.text}'`);
    e = { kind: 'enum', tag: tagTok?.text, complete: false, id: newRecordId(), unit: p.unit, size: 4, align: 4, pos: p.posOf(tagTok ?? kw) };
    if (tagTok) p.declareTag(tagTok.text, e);
  }
  const open = p.next();
  p.enter(open);
  let value = 0n;
  while (!p.consume('}')) {
    const nameTok = p.next();
    if (nameTok.kind !== TokenKind.Identifier) p.fail(nameTok, `expected identifier in enumerator list before ${describe(nameTok)}`);
    trailingAttributes(p, emptyAttrs());
    if (p.consume('=')) value = constExpr(p, `enumerator value for '${nameTok.text}'`);
    if (value > 0xffffffffn || value < -0x80000000n) p.warning(nameTok, `enumerator value for '${nameTok.text}' is out of range of int`);
    const prev = p.scope.names.get(nameTok.text);
    if (prev) p.error(nameTok, `redefinition of enumerator '${nameTok.text}'`);
    // Enumeration constants have type int (MSVC truncates larger values the same way).
    p.declare(nameTok.text, { kind: 'enum', value: BigInt.asIntN(32, value), type: intType });
    value = BigInt.asIntN(32, value) + 1n;
    if (!p.consume(',')) {
      p.expect('}', 'at end of enumerator list');
      break;
    }
  }
  p.leave();
  completeTag(e);
  return e;
}

// ---------- declarators ----------

export interface Declarator {
  name: Token | undefined;
  type: CType;
  attrs: DeclAttributes;
  /** Parameter objects' names/positions when the declarator's outermost derivation is a function. */
  params?: Param[];
  callConv?: CallConv;
  /** __declspec(align(N)) / __attribute__((aligned(N))) written inside the declarator. */
  align?: number;
}

type DeclMode = 'named' | 'abstract' | 'either';

// declarator = pointer* ("(" declarator ")" | ident)? type-suffix
export function declarator(p: ParserState, base: CType, mode: DeclMode): Declarator {
  const attrs = emptyAttrs();
  let type = base;
  let callConv: CallConv | undefined;
  let align = 0;
  for (;;) {
    if (p.is('*')) {
      p.next();
      type = pointerTo(type);
      const q = pointerQualifiers(p, attrs);
      type = qualify(type, q);
      continue;
    }
    const cc = p.tok.kind === TokenKind.Identifier ? CALL_CONVS[p.tok.text] : undefined;
    if (cc) {
      p.next();
      callConv = cc;
      continue;
    }
    if (p.is('__attribute__') || p.is('__attribute') || p.is('__declspec')) {
      align = Math.max(align, trailingAttributes(p, attrs));
      continue;
    }
    if (p.is('__ptr64') || p.is('__ptr32') || p.is('const') || p.is('volatile')) {
      p.next();
      continue;
    }
    break;
  }

  if (p.is('(') && isNestedDeclarator(p, mode)) {
    const open = p.next();
    p.enter(open);
    const innerStart = p.pos;
    skipBalanced(p, open);
    const outer = typeSuffix(p, type, callConv, attrs);
    const after = p.pos;
    p.pos = innerStart;
    const inner = declarator(p, outer.type, mode);
    p.expect(')');
    p.pos = after;
    p.leave();
    return { ...inner, attrs: mergeAttrs(attrs, inner.attrs), callConv: inner.callConv ?? callConv, align: Math.max(align, inner.align ?? 0) };
  }

  let name: Token | undefined;
  if (p.tok.kind === TokenKind.Identifier && mode !== 'abstract' && !TYPE_KEYWORDS.has(p.tok.text)) {
    name = p.next();
  } else if (mode === 'named') {
    p.fail(p.tok, `expected identifier or '(' before ${describe(p.tok)}`);
  }
  align = Math.max(align, trailingAttributes(p, attrs));
  const s = typeSuffix(p, type, callConv, attrs);
  return { name, type: s.type, attrs, params: s.params, callConv, align };
}

function pointerQualifiers(p: ParserState, attrs: DeclAttributes): Qualifiers {
  const q: Qualifiers = {};
  for (;;) {
    const s = p.tok.text;
    if (p.tok.kind !== TokenKind.Identifier) return q;
    if (s === 'const' || s === '__const') q.const = true;
    else if (s === 'volatile' || s === '__volatile__') q.volatile = true;
    else if (s === 'restrict' || s === '__restrict' || s === '__restrict__') q.restrict = true;
    else if (s === '__unaligned') q.unaligned = true;
    else if (s === '__ptr64' || s === '__ptr32' || s === '__w64') {
      /* pointer size modifiers: every pointer is 64-bit here */
    } else if (s === '__attribute__' || s === '__attribute' || s === '__declspec') {
      trailingAttributes(p, attrs);
      continue;
    } else return q;
    p.next();
  }
}

/** After '(' in a declarator: a nested declarator rather than a parameter list? */
function isNestedDeclarator(p: ParserState, mode: DeclMode): boolean {
  const t = p.peek();
  if (t.text === '*' || t.text === '(' || t.text === '[' || t.text === '^') return t.kind === TokenKind.Punct;
  if (t.kind !== TokenKind.Identifier) return false;
  if (CALL_CONVS[t.text] || t.text === '__attribute__' || t.text === '__declspec' || t.text === '__attribute') return true;
  if (mode === 'abstract') return false;
  return !isTypenameStart(p, t);
}

function skipBalanced(p: ParserState, open: Token): void {
  let depth = 1;
  while (depth > 0) {
    if (p.atEOF()) p.fail(open, "expected ')' to match this '('");
    if (p.is('(')) depth++;
    else if (p.is(')')) depth--;
    p.next();
  }
}

// type-suffix = "(" func-params | "[" array-dimensions "]" type-suffix | ε
function typeSuffix(p: ParserState, base: CType, callConv: CallConv | undefined, attrs: DeclAttributes): { type: CType; params?: Param[] } {
  if (p.is('(')) {
    const open = p.next();
    p.enter(open);
    const ft = functionParams(p, base, open);
    p.leave();
    if (callConv) ft.callConv = callConv;
    trailingAttributes(p, attrs);
    if (base.kind === 'func') p.error(open, 'function cannot return a function type');
    if (base.kind === 'array') p.error(open, 'function cannot return an array type');
    return { type: ft, params: ft.params };
  }
  if (p.is('[')) {
    const open = p.next();
    // `T a[const 3]` in a parameter: the qualifiers go to the pointer it adjusts to (C11 6.7.6.3p7).
    const ptrQuals: Qualifiers = {};
    while (p.is('static') || p.is('const') || p.is('volatile') || p.is('restrict') || p.is('__restrict')) {
      const q = p.next().text;
      if (q === 'const') ptrQuals.const = true;
      else if (q === 'volatile') ptrQuals.volatile = true;
      else if (q !== 'static') ptrQuals.restrict = true;
    }
    let length: number | undefined;
    if (!p.is(']')) {
      const lt = p.tok;
      const n = constExpr(p, 'array size');
      if (n < 0n) p.error(lt, 'size of array is negative');
      else if (n > 0x7fffffffn) p.error(lt, 'size of array is too large');
      else length = Number(n);
    }
    p.expect(']');
    p.enter(open);
    const inner = typeSuffix(p, base, callConv, attrs);
    p.leave();
    if (inner.type.kind === 'func') p.error(open, 'declaration of an array of functions');
    else if (!isComplete(inner.type)) p.error(open, `array has incomplete element type '${typeToString(inner.type)}'`);
    // MSVC's limit for one object is 0x7fffffff bytes (C2148); it also keeps sizes exact.
    else if (length !== undefined && inner.type.size * length > 0x7fffffff) {
      p.error(open, 'size of array is too large (more than 0x7fffffff bytes)');
      length = 1;
    }
    const arr = arrayOf(inner.type, length);
    if (ptrQuals.const || ptrQuals.volatile || ptrQuals.restrict) arr.paramQuals = ptrQuals;
    return { type: arr };
  }
  return { type: base };
}

// func-params = ("void" | param ("," param)* ("," "...")?)? ")"
function functionParams(p: ParserState, ret: CType, open: Token): FunctionType {
  if (p.consume(')')) return funcType(ret, [], false, true);
  if (p.is('void') && p.isAt(1, ')')) {
    p.next();
    p.next();
    return funcType(ret, [], false);
  }
  // K&R identifier list: `f(a, b)` with names that are not types.
  if (p.tok.kind === TokenKind.Identifier && !isTypenameStart(p, p.tok) && (p.isAt(1, ',') || p.isAt(1, ')'))) {
    p.error(p.tok, 'old-style (K&R) parameter lists are not supported; declare parameter types in the prototype');
    skipKandRDefinition(p, open);
  }
  const params: Param[] = [];
  let variadic = false;
  for (;;) {
    if (p.consume('...')) {
      variadic = true;
      break;
    }
    const spec = declspec(p, true);
    if (spec.storage && spec.storage !== 'register') p.error(spec.tok, 'invalid storage class for a parameter');
    const d = declarator(p, spec.type, 'either');
    let t = d.type;
    if (t.kind === 'void') {
      p.error(d.name ?? spec.tok, "'void' must be the only parameter");
      t = intType;
    }
    t = decayParam(t);
    const irql = [...spec.attrs.irql, ...d.attrs.irql];
    const prm: Param = { name: d.name?.text, type: t, pos: d.name ? p.posOf(d.name) : p.posOf(spec.tok) };
    if (irql.length > 0) prm.irql = irql;
    params.push(prm);
    if (!p.consume(',')) break;
  }
  if (params.length === 0 && variadic) p.error(open, "ISO C requires a named parameter before '...'");
  p.expect(')', 'at end of parameter list');
  return funcType(ret, params, variadic);
}

/** After a K&R identifier list: skip it, the parameter declarations and the body, once. */
function skipKandRDefinition(p: ParserState, open: Token): never {
  p.pos = p.tokens.indexOf(open);
  skipGroup(p);
  if (p.consume(';')) throw new SyntaxPanic(false, true);
  // The parameter declarations (`int a; char *b;`) run up to the body.
  while (!p.atEOF() && !p.is('{')) p.next();
  if (p.is('{')) skipGroup(p);
  throw new SyntaxPanic(false, true);
}

function mergeAttrs(a: DeclAttributes, b: DeclAttributes): DeclAttributes {
  const m: DeclAttributes = { ...a, ...b, irql: [...a.irql, ...b.irql] };
  if (a.dispatchTypes || b.dispatchTypes) m.dispatchTypes = [...(a.dispatchTypes ?? []), ...(b.dispatchTypes ?? [])];
  if (a.sal || b.sal) m.sal = [...(a.sal ?? []), ...(b.sal ?? [])];
  return m;
}

// type-name = declspec abstract-declarator
export function typeName(p: ParserState): CType {
  const spec = declspec(p, false);
  return declarator(p, spec.type, 'abstract').type;
}

// ---------- declarations ----------

export function staticAssert(p: ParserState): void {
  const kw = p.next();
  p.expect('(');
  const t = p.tok;
  const v = constExpr(p, 'static assertion expression');
  let msg = '';
  if (p.consume(',')) {
    while (p.tok.kind === TokenKind.String) msg += p.next().text.replace(/^[LuU8]*"|"$/g, '');
  }
  p.expect(')');
  p.expect(';');
  if (v === 0n) p.error(t, `static assertion failed${msg ? `: "${msg}"` : ''}`);
  void kw;
}

export function declareImplicitFunction(p: ParserState, tok: Token): FuncObj {
  p.warning(tok, `implicit declaration of function '${tok.text}'`);
  const fn = functionObject(p, tok.text, funcType(intType, [], false, true), false, emptyAttrs(), tok);
  // Visible from here to the end of the file, as C89 implicit declarations were.
  p.scopes[0].names.set(tok.text, { kind: 'var', obj: fn });
  return fn;
}

function functionObject(p: ParserState, name: string, type: FunctionType, isStatic: boolean, attrs: DeclAttributes, tok: Token): FuncObj {
  const local = p.table.unitLocal.get(name);
  const existing = local?.kind === 'func' ? local : p.table.functions.get(name);
  if (existing) {
    if (!compatible(existing.type, type)) {
      p.error(tok, `conflicting types for '${name}' ('${typeToString(type)}' vs '${typeToString(existing.type)}')`);
    } else if (existing.type.noPrototype && !type.noPrototype) {
      existing.type = type;
    }
    mergeInto(existing.attrs, attrs);
    return existing;
  }
  const fn: FuncObj = {
    kind: 'func',
    name,
    type,
    isStatic,
    isInline: false,
    params: [],
    locals: [],
    body: undefined,
    pos: p.posOf(tok),
    endPos: undefined,
    id: p.newId(),
    attrs,
    hasVarargs: false,
  };
  // Internal linkage: a static function is private to its translation unit.
  if (isStatic) p.table.unitLocal.set(name, fn);
  else p.table.functions.set(name, fn);
  p.table.functionList.push(fn);
  return fn;
}

function mergeInto(into: DeclAttributes, from: DeclAttributes): void {
  for (const a of from.irql) if (!into.irql.some((b) => b.kind === a.kind && b.args.join() === a.args.join())) into.irql.push(a);
  if (from.functionClass && !into.functionClass) into.functionClass = from.functionClass;
  if (from.dllimport) into.dllimport = true;
  if (from.noreturn) into.noreturn = true;
  if (from.section) into.section = from.section;
  if (from.dispatchTypes?.length) into.dispatchTypes = [...(into.dispatchTypes ?? []), ...from.dispatchTypes];
  if (from.sal?.length) into.sal = [...(into.sal ?? []), ...from.sal];
}

export type DeclParser = ParserState;

/**
 * One declaration at file or block scope (after declspec). Returns the function whose body
 * follows when this is a function definition, with its declarator; else undefined after ';'.
 * Locals with initializers are appended to `locals` for the caller's DeclStmt.
 */
export function declaration(
  p: DeclParser,
  spec: DeclSpec,
  locals: { obj: VarObj; init: Initializer | undefined }[] | undefined,
): { fn: FuncObj; decl: Declarator } | undefined {
  if (p.consume(';')) {
    if (!isRecord(spec.type) && spec.type.kind !== 'enum') p.warning(spec.tok, 'declaration does not declare anything');
    return undefined;
  }
  let first = true;
  for (;;) {
    const d = declarator(p, spec.type, 'named');
    const nameTok = d.name as Token;
    const attrs = mergeAttrs(spec.attrs, d.attrs);
    const extraAlign = trailingAttributes(p, attrs);
    if (spec.callConv && d.type.kind === 'func' && !d.type.callConv) d.type = { ...d.type, callConv: spec.callConv };

    if (spec.storage === 'typedef') {
      declareTypedef(p, nameTok, d.type, attrs);
    } else if (d.type.kind === 'func') {
      if (d.type.ret.kind === 'func' || d.type.ret.kind === 'array') p.error(nameTok, `'${nameTok.text}' declared as function returning a ${d.type.ret.kind === 'func' ? 'function' : 'array'}`);
      const isStatic = spec.storage === 'static';
      if (!p.atFileScope && isStatic) p.error(nameTok, `invalid storage class for function '${nameTok.text}'`);
      const fn = functionObject(p, nameTok.text, d.type, isStatic, attrs, nameTok);
      if (spec.inline) fn.isInline = true;
      p.declare(nameTok.text, { kind: 'var', obj: fn });
      if (first && p.is('{')) {
        if (!p.atFileScope) p.fail(p.tok, 'function definition is not allowed here');
        return { fn, decl: d };
      }
    } else {
      variable(p, spec, d, nameTok, attrs, Math.max(spec.align, extraAlign, d.align ?? 0), locals);
    }
    first = false;
    if (!p.consume(',')) break;
  }
  p.expect(';', 'after declaration');
  return undefined;
}

function declareTypedef(p: ParserState, nameTok: Token, type: CType, attrs: DeclAttributes): void {
  const prev = p.scope.names.get(nameTok.text);
  const named = withTypedefName(type, nameTok.text);
  if (prev) {
    if (prev.kind !== 'typedef') p.error(nameTok, `'${nameTok.text}' redeclared as different kind of symbol`);
    else if (!compatible(prev.type, type, false)) p.error(nameTok, `conflicting types for typedef '${nameTok.text}'`);
    return;
  }
  const keep = attrs.irql.length > 0 || attrs.functionClass || attrs.sal?.length || attrs.dispatchTypes?.length;
  p.declare(nameTok.text, keep ? { kind: 'typedef', type: named, attrs } : { kind: 'typedef', type: named });
}

function variable(
  p: DeclParser,
  spec: DeclSpec,
  d: Declarator,
  nameTok: Token,
  attrs: DeclAttributes,
  align: number,
  locals: { obj: VarObj; init: Initializer | undefined }[] | undefined,
): void {
  const name = nameTok.text;
  const fileScope = p.atFileScope;
  const isExtern = spec.storage === 'extern';
  const isStatic = spec.storage === 'static';
  let type = d.type;
  if (align > type.align) type = withAlignment(type, align);
  if (type.kind === 'void') p.error(nameTok, `variable '${name}' declared void`);

  let obj: VarObj;
  const prevHere = p.scope.names.get(name);
  if (fileScope || isExtern) {
    const local = p.table.unitLocal.get(name);
    const prevGlobal = local?.kind === 'var' ? local : p.table.globals.get(name);
    if (prevHere && prevHere.kind !== 'var') p.error(nameTok, `'${name}' redeclared as different kind of symbol`);
    if (prevGlobal) {
      obj = prevGlobal;
      if (!compatible(obj.type, type)) p.error(nameTok, `conflicting types for '${name}' ('${typeToString(type)}' vs '${typeToString(obj.type)}')`);
      else if (obj.type.kind === 'array' && obj.type.length === undefined && type.kind === 'array' && type.length !== undefined) obj.type = type;
      if (!isExtern) obj.isExtern = false;
      mergeInto(obj.attrs, attrs);
    } else {
      obj = newVar(p, name, type, 'global', nameTok, attrs);
      obj.isStatic = isStatic;
      obj.isExtern = isExtern;
      if (isStatic) p.table.unitLocal.set(name, obj);
      else p.table.globals.set(name, obj);
      p.table.globalList.push(obj);
    }
  } else {
    if (prevHere) p.error(nameTok, `redefinition of '${name}'`);
    obj = newVar(p, name, type, isStatic ? 'global' : 'local', nameTok, attrs);
    obj.isStatic = isStatic;
    obj.owner = p.fn?.fn;
    if (isStatic) p.table.globalList.push(obj);
    else p.fn?.fn.locals.push(obj);
  }
  p.declare(name, { kind: 'var', obj });

  if (p.is('=')) {
    const eq = p.next();
    if (isExtern && !fileScope) p.error(eq, `'${name}' has both 'extern' and initializer`);
    if (obj.storage === 'global' && obj.defined && obj.init) p.error(nameTok, `redefinition of '${name}'`);
    const r = initializer(p, obj, obj.type, obj.storage === 'global');
    obj.type = r.type;
    obj.init = r.init;
    obj.defined = true;
    if (isExtern) obj.isExtern = false;
  } else if (!isExtern) {
    obj.defined = true;
  }
  if (obj.storage === 'local' && !isComplete(obj.type)) p.error(nameTok, `variable '${name}' has incomplete type '${typeToString(obj.type)}'`);
  if (locals && obj.storage === 'local') locals.push({ obj, init: obj.init });
}

export function newVar(p: ParserState, name: string, type: CType, storage: VarObj['storage'], tok: Token, attrs: DeclAttributes): VarObj {
  return { kind: 'var', name, type, storage, isStatic: false, isExtern: false, defined: false, init: undefined, pos: p.posOf(tok), id: p.newId(), attrs };
}

/** Skips to just after one of `stops` (or before `end`) at nesting depth 0, making progress. */
export function skipTo(p: ParserState, start: number, stops: string[], end: string): void {
  if (p.pos === start) p.next();
  let depth = 0;
  while (!p.atEOF()) {
    if (depth === 0 && p.is(end)) return;
    if (p.is('(') || p.is('[') || p.is('{')) depth++;
    else if (p.is(')') || p.is(']') || p.is('}')) {
      if (depth === 0) {
        p.next();
        return;
      }
      depth--;
      if (depth === 0 && p.tok.text === '}' && stops.includes('}')) {
        p.next();
        return;
      }
    } else if (depth === 0 && stops.includes(p.tok.text) && p.tok.kind === TokenKind.Punct) {
      p.next();
      return;
    }
    p.next();
  }
}

