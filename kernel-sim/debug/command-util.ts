// Shared pieces of the Debug Console's WinDbg-style commands: the context a command runs in,
// WinDbg's number and address syntax, side-effect-free reads of kernel objects through their
// header layouts (Memory.peekBytes only: never a device register, never a fault), symbols.

import { hex } from '../nt/kernel';
import type { Memory } from '../vm/memory';
import { fromUnsigned } from '../vm/memory';
import type { Frame } from '../vm/runtime';
import type { MachineDebugger } from './debugger';
import type { TypedValue } from './values';

export interface CommandContext {
  dbg: MachineDebugger;
  /** The selected processor. */
  cpu: number;
  /** The selected stack frame: expressions are evaluated in its scope. */
  frame?: Frame;
}

export type CommandResult = { ok: true; text: string } | { ok: false; message: string };

export const done = (text: string): CommandResult => ({ ok: true, text });
export const fail = (message: string): CommandResult => ({ ok: false, message });

/** An address as WinDbg prints 64-bit values: fffff800`0003bd80. */
export const tick = (address: number): string => hex(address);
export const tick64 = (v: bigint): string => hex(v);
/** A 64-bit value that could not be read. */
export const UNREADABLE64 = '????????`????????';

export function hex8(v: number | undefined): string {
  return v === undefined ? '????????' : (v >>> 0).toString(16).padStart(8, '0');
}

export function hex2(v: number): string {
  return (v & 0xff).toString(16).padStart(2, '0');
}

/**
 * A number in WinDbg's syntax (default radix 16): 1f, 0x1f, 0n31, 0y11111, 0t37, with
 * backticks allowed between digit groups (fffff800`00001000).
 */
export function parseNumber(text: string): bigint | undefined {
  const t = text.trim().replace(/`/g, '');
  const m = /^(0[xntyXNTY])?([0-9a-fA-F]+)$/.exec(t);
  if (!m) return undefined;
  const radix = { x: 16, n: 10, t: 8, y: 2 }[(m[1] ?? '0x')[1].toLowerCase() as 'x' | 'n' | 't' | 'y'];
  const digits = m[2].toLowerCase();
  const valid = radix === 16 ? /^[0-9a-f]+$/ : radix === 10 ? /^[0-9]+$/ : radix === 8 ? /^[0-7]+$/ : /^[01]+$/;
  if (!valid.test(digits)) return undefined;
  let v = 0n;
  for (const c of digits) v = v * BigInt(radix) + BigInt(parseInt(c, 16));
  return BigInt.asUintN(64, v);
}

/** A processor number argument (WinDbg reads it in hex, like every number). */
export function parseCpu(ctx: CommandContext, arg: string | undefined): number | CommandResult {
  if (arg === undefined || arg === '') return ctx.cpu;
  const n = parseNumber(arg);
  const count = ctx.dbg.cpus.length;
  if (n === undefined || n >= BigInt(count)) return fail(`Cannot get PRCB address for processor ${arg} (this machine has processors 0-${count - 1})`);
  return Number(n);
}

export type Resolved = { ok: true; address: number; tv?: TypedValue } | { ok: false; message: string };

/**
 * An address argument: a number in WinDbg's syntax (fffff800`0003bd80, 0x..., 0n...) or a C
 * expression in the selected frame (DeviceObject, &ext->Dpc, Irp->Tail.Overlay.ListEntry.Flink).
 * A pointer gives its value, an integer its value as an address, an object in memory its address.
 */
export function resolveAddress(ctx: CommandContext, text: string): Resolved {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'an address or a C expression is needed' };
  const number = parseNumber(t);
  // A word made of hex letters only ("add", "cafe") may be a variable: the variable wins.
  const maybeName = /^[a-fA-F]+$/.test(t);
  if (number !== undefined && !maybeName) return addressOfNumber(number, t);
  const r = ctx.dbg.evaluate(t, ctx.frame);
  if (!r.ok) {
    if (number !== undefined) return addressOfNumber(number, t);
    return { ok: false, message: r.message };
  }
  const a = addressOfValue(ctx.dbg, r.value);
  return a === undefined ? { ok: false, message: `'${t}' is not an address (nor a pointer, nor an object in memory)` } : { ok: true, address: a, tv: r.value };
}

function addressOfNumber(v: bigint, text: string): Resolved {
  const a = fromUnsigned(v);
  return Number.isNaN(a) ? { ok: false, message: `${text} is not a canonical x64 address` } : { ok: true, address: a };
}

/** The address a value denotes, or undefined (a float, an unreadable pointer, a slot-held struct). */
export function addressOfValue(dbg: MachineDebugger, tv: TypedValue): number | undefined {
  const t = tv.type;
  if (t.kind === 'ptr') {
    const v = dbg.reader.scalar(tv);
    return v === undefined ? undefined : Number(v);
  }
  if (t.kind === 'int' || t.kind === 'enum') {
    const v = dbg.reader.scalar(tv);
    if (v === undefined) return undefined;
    const a = fromUnsigned(BigInt.asUintN(64, BigInt(v)));
    return Number.isNaN(a) ? undefined : a;
  }
  return tv.loc?.kind === 'memory' ? tv.loc.address : undefined;
}

/** Side-effect-free reads of simulated memory (undefined where the debugger cannot read). */
export class Peek {
  constructor(private readonly mem: Memory) {}

  bytes(a: number, n: number): Uint8Array | undefined {
    return this.mem.peekBytes(a, n);
  }
  private view(a: number, n: number): DataView | undefined {
    const b = this.mem.peekBytes(a, n);
    return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : undefined;
  }
  u8(a: number): number | undefined {
    return this.view(a, 1)?.getUint8(0);
  }
  i8(a: number): number | undefined {
    return this.view(a, 1)?.getInt8(0);
  }
  u16(a: number): number | undefined {
    return this.view(a, 2)?.getUint16(0, true);
  }
  u32(a: number): number | undefined {
    return this.view(a, 4)?.getUint32(0, true);
  }
  u64(a: number): bigint | undefined {
    return this.view(a, 8)?.getBigUint64(0, true);
  }
  /** A pointer stored in memory, as an internal address. */
  ptr(a: number): number | undefined {
    const v = this.u64(a);
    return v === undefined ? undefined : fromUnsigned(v);
  }
  /** A UNICODE_STRING's text (Length bytes of UTF-16 at Buffer). */
  unicode(us: number): string | undefined {
    const len = this.u16(us);
    const buf = this.ptr(us + 8);
    if (len === undefined || buf === undefined) return undefined;
    const b = this.bytes(buf, Math.min(len, 1024));
    if (!b) return undefined;
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b[i] | (b[i + 1] << 8));
    return s;
  }
}

/** Typed field reads of one kernel object, with offsets from the simulated headers. */
export class KObject {
  private readonly peek: Peek;

  constructor(
    private readonly ctx: CommandContext,
    readonly typeName: string,
    readonly address: number,
  ) {
    this.peek = new Peek(ctx.dbg.machine.k.mem);
  }

  at(path: string): number {
    return this.address + this.ctx.dbg.machine.k.layouts.offsetOf(this.typeName, path);
  }
  u8(path: string): number | undefined {
    return this.peek.u8(this.at(path));
  }
  i8(path: string): number | undefined {
    return this.peek.i8(this.at(path));
  }
  u16(path: string): number | undefined {
    return this.peek.u16(this.at(path));
  }
  u32(path: string): number | undefined {
    return this.peek.u32(this.at(path));
  }
  u64(path: string): bigint | undefined {
    return this.peek.u64(this.at(path));
  }
  ptr(path: string): number | undefined {
    return this.peek.ptr(this.at(path));
  }
  unicode(path: string): string | undefined {
    return this.peek.unicode(this.at(path));
  }
}

/** A pointer read from memory, printed WinDbg's way (or ?'s). */
export function ptrText(p: number | undefined): string {
  return p === undefined ? UNREADABLE64 : tick(p);
}

const nativeSymbols = new WeakMap<object, Map<number, string>>();

/** The symbol of a code address: dpcforisr!SmpDpcForIsr, nt!KeInsertQueueDpc, nt!IopInvalidDeviceRequest. */
export function symbolAt(dbg: MachineDebugger, address: number): string | undefined {
  const m = dbg.machine;
  const driverFn = m.k.hooks.symbolOf(address);
  if (driverFn) return `${m.config.name}!${driverFn}`;
  let natives = nativeSymbols.get(m);
  if (!natives) {
    natives = new Map();
    for (const [name, f] of m.image.natives) natives.set(f.address, name);
    nativeSymbols.set(m, natives);
  }
  const ddi = natives.get(address);
  if (ddi) return `nt!${ddi}`;
  // Routines the kernel registered itself (completion routines, IopInvalidDeviceRequest).
  const own = m.k.symbol(address);
  if (address !== 0 && own !== hex(address)) return own.includes('!') ? own : `nt!${own}`;
  return undefined;
}

/** The address and its symbol: "fffff800`00001040 dpcforisr!SmpDpcForIsr". */
export function codeText(dbg: MachineDebugger, address: number | undefined): string {
  if (address === undefined) return UNREADABLE64;
  const s = symbolAt(dbg, address);
  return s ? `${tick(address)} ${s}` : tick(address);
}

export { irqlName } from './cpu-names';

/** Splits an argument string on blanks (expressions with blanks are joined back by the command). */
export function words(args: string): string[] {
  return args.trim() === '' ? [] : args.trim().split(/\s+/);
}

/** Names of the set bits of `flags` from a table; unknown bits as hex. */
export function flagNames(flags: number, table: ReadonlyArray<readonly [number, string]>): string {
  const out: string[] = [];
  let rest = flags >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) !== 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) out.push(`Unknown flags 0x${hex8(rest)}`);
  return out.join(', ');
}

/** Simulated nanoseconds as "12.345 us" / "1.043 ms". */
export function duration(ns: number): string {
  if (Math.abs(ns) < 1_000_000) return `${(ns / 1000).toFixed(3)} us`;
  return `${(ns / 1_000_000).toFixed(3)} ms`;
}
