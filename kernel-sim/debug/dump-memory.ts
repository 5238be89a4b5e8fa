// db / dw / dd / dq: memory in WinDbg's display format, 16 bytes a line (db adds the ASCII
// column). Memory is read only through Memory.peekBytes: device registers and unmapped pages
// show as ?? and are never touched.

import type { MachineDebugger } from './debugger';
import { type CommandContext, type CommandResult, done, fail, Peek, parseNumber, resolveAddress, tick } from './command-util';

export type DumpCommand = 'db' | 'dw' | 'dd' | 'dq';

const UNIT: Record<DumpCommand, 1 | 2 | 4 | 8> = { db: 1, dw: 2, dd: 4, dq: 8 };
/** WinDbg's default: 128 bytes. */
const DEFAULT_BYTES = 0x80;
/** Most a single dump shows (WinDbg refuses big ranges too). */
const MAX_BYTES = 0x10000;

/** Where the last dump ended, per debugger: a bare `db` goes on from there, as in WinDbg. */
const nextAddress = new WeakMap<MachineDebugger, number>();

export function dumpCommand(ctx: CommandContext, cmd: DumpCommand, args: string): CommandResult {
  const unit = UNIT[cmd];
  const usage = `usage: ${cmd} <address | C expression> [L<count>]   (count of ${unit === 1 ? 'bytes' : `${unit}-byte units`}, hex by default: L10 = 16, L0n10 = 10)`;
  const w = args.trim().split(/\s+/).filter((x) => x !== '');
  let count = DEFAULT_BYTES / unit;
  const last = w[w.length - 1];
  const lc = last !== undefined ? /^[lL](\?)?(.+)$/.exec(last) : null;
  if (lc) {
    const n = parseNumber(lc[2]);
    if (n === undefined || n === 0n) return fail(`${cmd}: bad count '${last}'\n${usage}`);
    if (n * BigInt(unit) > BigInt(MAX_BYTES)) return fail(`${cmd}: range error: ${last} asks for more than 0x${MAX_BYTES.toString(16)} bytes at once`);
    count = Number(n);
    w.pop();
  }
  let address: number;
  if (w.length === 0) {
    const next = nextAddress.get(ctx.dbg);
    if (next === undefined) return fail(usage);
    address = next;
  } else {
    const r = resolveAddress(ctx, w.join(' '));
    if (!r.ok) return fail(`${cmd}: ${r.message}\n${usage}`);
    address = r.address;
  }
  nextAddress.set(ctx.dbg, address + count * unit);
  return done(dumpLines(new Peek(ctx.dbg.machine.k.mem), address, count, unit).join('\n'));
}

function dumpLines(peek: Peek, address: number, count: number, unit: 1 | 2 | 4 | 8): string[] {
  const perLine = 16 / unit;
  const lines: string[] = [];
  for (let i = 0; i < count; i += perLine) {
    const n = Math.min(perLine, count - i);
    const at = address + i * unit;
    const cells: string[] = [];
    let ascii = '';
    for (let j = 0; j < n; j++) {
      const b = peek.bytes(at + j * unit, unit);
      cells.push(b ? cellText(b) : unitUnreadable(unit));
      if (unit === 1) ascii += b ? printable(b[0]) : '?';
    }
    if (unit === 1) {
      // db: a dash between the 8th and 9th bytes; the ASCII column stays aligned on a short line.
      const hexPart = cells.map((c, j) => (j === 8 ? `-${c}` : j === 0 ? c : ` ${c}`)).join('');
      lines.push(`${tick(at)}  ${hexPart.padEnd(47)}  ${ascii}`);
    } else lines.push(`${tick(at)}  ${cells.join(' ')}`);
  }
  return lines;
}

function cellText(b: Uint8Array): string {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  const h = v.toString(16).padStart(b.length * 2, '0');
  return b.length === 8 ? `${h.slice(0, 8)}\`${h.slice(8)}` : h;
}

function unitUnreadable(unit: number): string {
  return unit === 8 ? '????????`????????' : '??'.repeat(unit);
}

function printable(c: number): string {
  return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
}
