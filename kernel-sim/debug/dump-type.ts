// `dt`: a type's layout as WinDbg prints it (`   +0x018 DeferredRoutine  : Ptr64 void`), and
// with an address the members' values read from simulated memory. Types are the WDK's from
// the simulated headers (KDPC, IRP, DEVICE_OBJECT...) and the driver's own typedefs and tags,
// all from the driver's checked program.

import { type CType, type EnumType, isRecord, type Member, type RecordType, tagRoot, typeToString } from '../c/types';
import { fromUnsigned } from '../vm/memory';
import { type CommandContext, type CommandResult, done, fail, Peek, resolveAddress, symbolAt, tick } from './command-util';

/** Kernel types drivers see as opaque, shown through the layout kdsim gives them. */
const ALIASES: Record<string, string> = { _KINTERRUPT: 'KDSIM_KINTERRUPT', KINTERRUPT: 'KDSIM_KINTERRUPT' };

export interface NamedType {
  type: CType;
  /** "nt!_KDPC", "dpcforisr!_SMP_EXTENSION". */
  label: string;
}

/**
 * A type by the name WinDbg users give it: KDPC, _KDPC, nt!_KDPC, dpcforisr!SMP_EXTENSION;
 * with `anyCase`, also kdpc or _device_object (dt is case-insensitive).
 */
export function findType(ctx: CommandContext, text: string, anyCase = true): NamedType | undefined {
  const program = ctx.dbg.machine.program;
  const name = text.includes('!') ? text.slice(text.indexOf('!') + 1) : text;
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const exact = (n: string): CType | undefined => program.typedefs.get(n) ?? program.tags.get(n);
  const lower = name.toLowerCase();
  let t = exact(ALIASES[name] ?? name);
  if (!t && anyCase) {
    const hit = [...program.typedefs.keys(), ...program.tags.keys()].find((n) => n.toLowerCase() === lower);
    t = hit !== undefined ? exact(hit) : undefined;
  }
  if (!t) return undefined;
  // A pointer typedef (PKDPC) shows what it points to.
  if (t.kind === 'ptr' && isRecord(t.base)) t = t.base;
  return { type: t, label: labelOf(ctx, t, name) };
}

function labelOf(ctx: CommandContext, t: CType, fallback: string): string {
  const rec = isRecord(t) || t.kind === 'enum' ? tagRoot(t as RecordType | EnumType) : undefined;
  const system = rec?.pos ? rec.pos.file.system : true;
  const module = system ? 'nt' : ctx.dbg.machine.config.name;
  return `${module}!${rec?.tag ?? t.typedefName ?? fallback}`;
}

/** WinDbg's spelling of a member type: UChar, Uint4B, Ptr64 _DEVICE_OBJECT, [4] Ptr64 Void, _LIST_ENTRY. */
export function winType(t: CType): string {
  switch (t.kind) {
    case 'void':
      return 'Void';
    case 'int': {
      if (t.name === '_Bool') return 'Bool';
      if (t.size === 1) return t.unsigned ? 'UChar' : 'Char';
      return `${t.unsigned ? 'Uint' : 'Int'}${t.size}B`;
    }
    case 'float':
      return t.size === 4 ? 'Float' : 'Double';
    case 'ptr':
      if (t.base.kind === 'func') return `Ptr64 ${t.base.ret.kind === 'void' ? 'void' : typeToString(t.base.ret)}`;
      return `Ptr64 ${winType(t.base)}`;
    case 'array':
      return `[${t.length ?? 0}] ${winType(t.base)}`;
    case 'struct':
    case 'union':
    case 'enum': {
      const r = tagRoot(t);
      return r.tag ?? t.typedefName ?? '<unnamed-tag>';
    }
    case 'func':
      return typeToString(t);
  }
}

type Field = Member & { name: string };

/** Members as `dt` lists them: anonymous structs and unions flattened into their parent. */
function fieldsOf(t: RecordType): Field[] {
  const out: Field[] = [];
  const walk = (r: RecordType, base: number): void => {
    for (const m of tagRoot(r).members) {
      if (m.name === undefined) {
        if (isRecord(m.type)) walk(m.type, base + m.offset);
        continue;
      }
      out.push({ ...m, offset: base + m.offset, name: m.name });
    }
  };
  walk(t, 0);
  return out;
}

/** `dt [-r[depth]] <type> [address|expr]`, or `dt <expr>` for a variable's type and value. */
export function dtCommand(ctx: CommandContext, args: string): CommandResult {
  const usage = 'usage: dt [-r[depth]] <type> [address | C expression]   (e.g. dt KDPC Dpc, dt _IRP Irp, dt -r1 SMP_EXTENSION ext)';
  let rest = args.trim();
  let depth = 0;
  for (let m = /^-(\w+)\s*/.exec(rest); m; m = /^-(\w+)\s*/.exec(rest)) {
    const r = /^r(\d*)$/.exec(m[1]);
    if (!r) return fail(`dt: unknown option -${m[1]}\n${usage}`);
    depth = r[1] === '' ? 1 : Math.min(Number(r[1]), 8);
    rest = rest.slice(m[0].length);
  }
  if (rest === '') return fail(usage);
  const first = rest.split(/\s+/)[0];
  const d = new Dumper(ctx, depth);
  // An exact type name wins; then a variable (`dt Irp` is the IRP at Irp); then any-case type names.
  const named = findType(ctx, first, false) ?? (ctx.dbg.evaluate(rest, ctx.frame).ok ? undefined : findType(ctx, first));
  if (named) {
    const exprText = rest.slice(first.length).trim();
    if (exprText === '') return done([named.label, ...d.layout(named.type, 1)].join('\n'));
    const r = resolveAddress(ctx, exprText);
    if (!r.ok) return fail(r.message);
    if (!new Peek(ctx.dbg.machine.k.mem).bytes(r.address, 1)) return fail(`Cannot read memory at ${tick(r.address)} (unmapped, or device registers)`);
    return done(d.object(named, r.address));
  }
  // Not a type: a variable or expression (`dt ext`, `dt *Irp`), shown with its own type.
  const r = ctx.dbg.evaluate(rest, ctx.frame);
  if (!r.ok) return fail(`dt: no type named '${first}', and '${rest}' is not an expression here (${r.message})\n${usage}`);
  let t = r.value.type;
  let address = r.value.loc?.kind === 'memory' ? r.value.loc.address : undefined;
  if (t.kind === 'ptr' && isRecord(t.base)) {
    const p = ctx.dbg.reader.scalar(r.value);
    if (p === undefined) return fail(`cannot read ${rest}`);
    address = Number(p);
    t = t.base;
  }
  if (isRecord(t) && address !== undefined) {
    if (!new Peek(ctx.dbg.machine.k.mem).bytes(address, 1)) return fail(`Cannot read memory at ${tick(address)} (unmapped, or device registers)`);
    return done(d.object({ type: t, label: labelOf(ctx, t, rest) }, address));
  }
  return done(`${rest} : ${winType(t)}  ${ctx.dbg.reader.format(r.value)}`);
}

class Dumper {
  private readonly peek: Peek;

  constructor(
    private readonly ctx: CommandContext,
    /** Nested structures expanded this many levels (-r). */
    private readonly depth: number,
  ) {
    this.peek = new Peek(ctx.dbg.machine.k.mem);
  }

  object(named: NamedType, address: number): string {
    const size = Math.max(1, named.type.size);
    const head = `${named.label} at ${tick(address)}${this.peek.bytes(address, size) ? '' : ' (partly unreadable)'}`;
    if (!isRecord(named.type)) return `${head}\n   ${winType(named.type)} ${this.value(named.type, address)}`;
    return [head, ...this.members(named.type, address, 1)].join('\n');
  }

  /** The layout only (no address). */
  layout(t: CType, level: number): string[] {
    if (!isRecord(t)) return [`   ${winType(t)} (size 0x${Math.max(0, t.size).toString(16)})`];
    const fields = fieldsOf(t);
    const width = Math.max(0, ...fields.map((f) => f.name.length));
    const out: string[] = [];
    for (const f of fields) {
      out.push(`${pad(level)}+0x${f.offset.toString(16).padStart(3, '0')} ${f.name.padEnd(width)} : ${bitText(f) ?? winType(f.type)}`);
      if (level <= this.depth && isRecord(f.type)) out.push(...this.layout(f.type, level + 1));
    }
    return out;
  }

  private members(t: RecordType, address: number, level: number): string[] {
    const fields = fieldsOf(t);
    const width = Math.max(0, ...fields.map((f) => f.name.length));
    const out: string[] = [];
    for (const f of fields) {
      const at = address + f.offset;
      const value = f.bitWidth !== undefined ? this.bits(f, at) : this.value(f.type, at);
      out.push(`${pad(level)}+0x${f.offset.toString(16).padStart(3, '0')} ${f.name.padEnd(width)} : ${value}`);
      if (level <= this.depth && isRecord(f.type)) out.push(...this.members(f.type, at, level + 1));
    }
    return out;
  }

  private bits(f: Field, at: number): string {
    const size = f.type.size > 0 ? f.type.size : 4;
    const b = this.peek.bytes(at, size);
    if (!b) return '??';
    let raw = 0n;
    for (let i = size - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(b[i]);
    const w = f.bitWidth ?? 1;
    const v = (raw >> BigInt(f.bitOffset ?? 0)) & ((1n << BigInt(w)) - 1n);
    return `0y${v.toString(2).padStart(w, '0')}`;
  }

  /** One member's value, WinDbg's way. */
  private value(t: CType, at: number): string {
    switch (t.kind) {
      case 'int':
      case 'enum':
        return this.integer(t, at);
      case 'float': {
        const b = this.peek.bytes(at, t.size);
        if (!b) return '??';
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        return String(t.size === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true));
      }
      case 'ptr':
        return this.pointer(t.base, at);
      case 'array': {
        const n = t.length ?? 0;
        if (t.base.kind === 'int' && t.base.size === 1) return `[${n}] ${this.chars(at, n)}`;
        if (n === 0 || t.base.size <= 0) return `[${n}] ${winType(t.base)}`;
        const first = isRecord(t.base) ? winType(t.base) : this.value(t.base, at);
        return `[${n}] ${first}`;
      }
      case 'struct':
      case 'union':
        return this.record(t, at);
      case 'void':
      case 'func':
        return winType(t);
    }
  }

  private integer(t: CType, at: number): string {
    const size = t.size > 0 ? t.size : 4;
    const b = this.peek.bytes(at, size);
    if (!b) return '??';
    let raw = 0n;
    for (let i = size - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(b[i]);
    const signed = t.kind === 'enum' || (t.kind === 'int' && !t.unsigned);
    const v = signed ? BigInt.asIntN(size * 8, raw) : raw;
    // WinDbg: negative signed values in decimal (0n-1), enums in decimal, others in hex.
    if (t.kind === 'enum') return `0n${v}`;
    if (v < 0n) return `0n${v}`;
    return v === 0n ? '0' : `0x${v.toString(16)}`;
  }

  private pointer(base: CType, at: number): string {
    const v = this.peek.u64(at);
    if (v === undefined) return '??';
    if (v === 0n) return '(null)';
    const p = fromUnsigned(v);
    const text = `0x${tick(p)}`;
    if (base.kind === 'func') return `${text} ${symbolAt(this.ctx.dbg, p) ?? ''}`.trimEnd();
    if (base.kind === 'int' && base.size === 1) return `${text}  ${this.chars(p, 64)}`;
    if (base.kind === 'int' && base.size === 2 && /^(WCHAR|wchar_t)$/.test(base.typedefName ?? '')) return `${text}  ${this.wchars(p, 64)}`;
    return `${text} ${winType(base)}`;
  }

  /** A char array or string as WinDbg quotes it. */
  private chars(at: number, max: number): string {
    let s = '';
    for (let i = 0; i < max; i++) {
      const b = this.peek.u8(at + i);
      if (b === undefined) return i === 0 ? '??' : `"${s}"`;
      if (b === 0) break;
      s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    return `"${s}"`;
  }

  /** A wide string (PWSTR, PWCH) as WinDbg quotes it. */
  private wchars(at: number, max: number): string {
    let s = '';
    for (let i = 0; i < max; i++) {
      const c = this.peek.u16(at + i * 2);
      if (c === undefined) return i === 0 ? '??' : `"${s}"`;
      if (c === 0) break;
      s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    }
    return `"${s}"`;
  }

  /** An embedded structure: its type name, with the summary WinDbg gives some of them. */
  private record(t: RecordType, at: number): string {
    const name = winType(t);
    if (name === '_LIST_ENTRY') {
      const f = this.peek.u64(at);
      const b = this.peek.u64(at + 8);
      if (f === undefined || b === undefined) return `${name} ??`;
      return `${name} [ 0x${tick(fromUnsigned(f))} - 0x${tick(fromUnsigned(b))} ]`;
    }
    if (name === '_UNICODE_STRING') {
      const s = this.peek.unicode(at);
      return s === undefined ? `${name} ??` : `${name} ${JSON.stringify(s)}`;
    }
    if (name === '_LARGE_INTEGER' || name === '_ULARGE_INTEGER') {
      const v = this.peek.u64(at);
      return v === undefined ? `${name} ??` : `${name} 0x${v.toString(16)}`;
    }
    return name;
  }
}

function pad(level: number): string {
  return '   '.repeat(level);
}

function bitText(f: Field): string | undefined {
  if (f.bitWidth === undefined) return undefined;
  return `Pos ${f.bitOffset ?? 0}, ${f.bitWidth} Bit${f.bitWidth === 1 ? '' : 's'}`;
}

/** Type names for completion after `dt`: the driver's own first, then the WDK's structures. */
export function typeNames(ctx: CommandContext): string[] {
  const program = ctx.dbg.machine.program;
  const own: string[] = [];
  const wdk: string[] = [];
  const add = (name: string, t: CType): void => {
    if (!isRecord(t) && !(t.kind === 'ptr' && isRecord(t.base))) return;
    const r = tagRoot((isRecord(t) ? t : (t as { base: RecordType }).base) as RecordType);
    (r.pos && !r.pos.file.system ? own : wdk).push(name);
  };
  for (const [n, t] of program.typedefs) add(n, t);
  for (const [n, t] of program.tags) add(n, t);
  return [...new Set([...own.sort(), ...wdk.sort()])];
}
