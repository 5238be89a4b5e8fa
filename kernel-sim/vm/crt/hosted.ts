// The minimal C library of `kdsim exec`: stdio output, string.h, stdlib (heap, exit, abort,
// conversions), assert — as natives over simulated memory. Output goes to the host's sinks.

import type { CType } from '../../c/types';
import type { Memory, Region } from '../memory';
import { toUnsigned } from '../memory';
import { type CallBack, type Cpu, FaultSignal, type NativeResult, ProgramExit, type Value } from '../runtime';
import type { NativeImpl } from '../loader';
import { type Meter, type StrtokState, strdup, stringFunctions, strtok } from './cstring';
import { type FormatResult, formatPrintf, type PrintfArgs, toBuffer } from './printf';
import { argsFromValues, argsFromVaList } from './printf-args';

export interface HostedIO {
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
}

/** A first-fit heap over one region; every block keeps its size in a 16-byte header. */
export class Heap {
  private top: number;
  private readonly free = new Map<number, number>(); // address → size (payload)

  constructor(
    private readonly mem: Memory,
    private readonly region: Region,
  ) {
    this.top = region.start + 16;
  }

  alloc(size: number): number {
    const n = Math.max(16, Math.ceil(size / 16) * 16);
    for (const [a, s] of this.free) {
      if (s >= n) {
        this.free.delete(a);
        return a;
      }
    }
    const a = this.top;
    if (a + n + 16 > this.region.start + this.region.size) return 0;
    this.mem.writeU64(a - 8, BigInt(n));
    this.top = a + n + 16;
    return a;
  }

  sizeOf(a: number): number {
    return Number(this.mem.readU64(a - 8));
  }

  release(a: number): void {
    if (a === 0) return;
    if (a < this.region.start || a >= this.top || this.free.has(a)) {
      throw new FaultSignal({ kind: 'abort', message: `free() of a pointer the heap did not allocate (or freed twice): 0x${toUnsigned(a).toString(16)}` });
    }
    this.free.set(a, this.sizeOf(a));
  }
}

// Hosted programs are compared with gcc on Linux: glibc's formatting (the 'gnu' dialect),
// with LLP64's 32-bit `long`. An unreadable %s pointer faults like the real read would.
function format(cpu: Cpu, fmt: number, args: PrintfArgs): FormatResult {
  return formatPrintf(cpu.mem.readCString(fmt), args, 'gnu');
}

/** printf's return value: the length, or -1 for an invalid format (glibc). */
function emit(sink: (b: Uint8Array) => void, r: FormatResult): number {
  sink(r.bytes);
  return r.errorKind === 'format' ? -1 : r.length;
}

/** sprintf/snprintf: C99 truncation with a terminator; returns the full length. */
function putBounded(m: Memory, buf: number, n: number, r: FormatResult): number {
  const b = toBuffer(r, n, 'c99');
  if (b.write.length > 0) m.writeBytes(buf, b.write);
  return b.returns;
}

const enc = new TextEncoder();
const voidPtr: CType = { kind: 'ptr', base: { kind: 'void', size: -1, align: 1 }, size: 8, align: 8 };
const STDERR = 0x102;

/** The natives of the hosted C library, bound by name. */
export function hostedLibrary(io: HostedIO, heap: Heap): Record<string, NativeImpl> {
  const lib: Record<string, NativeImpl> = {};
  const def = (name: string, call: (cpu: Cpu, a: Value[], t: CType[]) => NativeResult): void => {
    lib[name] = { name, call };
  };
  const n = (v: Value | undefined): number => Number(v ?? 0);
  let randState = 1;

  // ---- stdio ---- (FILE * values are opaque handles: 0x100 + index of stdin/stdout/stderr)
  def('__acrt_iob_func', (_cpu, a) => 0x100 + (n(a[0]) & 3));
  const stream = (f: Value | undefined): ((b: Uint8Array) => void) => (n(f) === STDERR ? io.stderr : io.stdout);
  def('printf', (cpu, a) => emit(io.stdout, format(cpu, n(a[0]), argsFromValues(cpu.mem, a, 1))));
  def('vprintf', (cpu, a) => emit(io.stdout, format(cpu, n(a[0]), argsFromVaList(cpu.mem, n(a[1])))));
  def('fprintf', (cpu, a) => emit(stream(a[0]), format(cpu, n(a[1]), argsFromValues(cpu.mem, a, 2))));
  def('vfprintf', (cpu, a) => emit(stream(a[0]), format(cpu, n(a[1]), argsFromVaList(cpu.mem, n(a[2])))));
  def('sprintf', (cpu, a) => putBounded(cpu.mem, n(a[0]), 0x7fffffff, format(cpu, n(a[1]), argsFromValues(cpu.mem, a, 2))));
  def('vsprintf', (cpu, a) => putBounded(cpu.mem, n(a[0]), 0x7fffffff, format(cpu, n(a[1]), argsFromVaList(cpu.mem, n(a[2])))));
  def('snprintf', (cpu, a) => putBounded(cpu.mem, n(a[0]), n(a[1]), format(cpu, n(a[2]), argsFromValues(cpu.mem, a, 3))));
  def('vsnprintf', (cpu, a) => putBounded(cpu.mem, n(a[0]), n(a[1]), format(cpu, n(a[2]), argsFromVaList(cpu.mem, n(a[3])))));
  def('puts', (cpu, a) => {
    io.stdout(cpu.mem.readCString(n(a[0])));
    io.stdout(enc.encode('\n'));
    return 0;
  });
  def('putchar', (_cpu, a) => {
    io.stdout(Uint8Array.of(n(a[0]) & 0xff));
    return n(a[0]) & 0xff;
  });
  def('fputs', (cpu, a) => {
    stream(a[1])(cpu.mem.readCString(n(a[0])));
    return 0;
  });
  def('fputc', (_cpu, a) => {
    stream(a[1])(Uint8Array.of(n(a[0]) & 0xff));
    return n(a[0]) & 0xff;
  });
  def('putc', lib.fputc.call);
  def('fflush', () => 0);

  // ---- string.h ---- (shared with the kernel's exports: crt/cstring.ts)
  const meter: Meter = { bytes: 0 }; // hosted runs charge no time: the count is unused
  for (const [name, f] of Object.entries(stringFunctions)) def(name, (cpu, a) => f(cpu.mem, a, meter));
  const strtokState: StrtokState = { next: 0 };
  def('strtok', (cpu, a) => strtok(cpu.mem, a, strtokState, meter));
  def('_strdup', (cpu, a) => strdup(cpu.mem, a, (size) => heap.alloc(size), meter));

  // ---- stdlib.h ----
  def('malloc', (_cpu, a) => heap.alloc(n(a[0])));
  def('calloc', (cpu, a) => {
    const size = n(a[0]) * n(a[1]);
    const p = heap.alloc(size);
    if (p) cpu.mem.fill(p, 0, size);
    return p;
  });
  def('realloc', (cpu, a) => {
    const old = n(a[0]);
    const size = n(a[1]);
    if (old === 0) return heap.alloc(size);
    const p = heap.alloc(size);
    if (p) cpu.mem.copy(p, old, Math.min(size, heap.sizeOf(old)));
    heap.release(old);
    return p;
  });
  def('free', (_cpu, a) => {
    heap.release(n(a[0]));
    return undefined;
  });
  def('exit', (_cpu, a) => {
    throw new ProgramExit(n(a[0]) | 0);
  });
  def('abort', () => {
    io.stderr(enc.encode('abort() called\n'));
    throw new ProgramExit(3);
  });
  def('_assert', (cpu, a) => {
    const msg = new TextDecoder().decode(cpu.mem.readCString(n(a[0])));
    const file = new TextDecoder().decode(cpu.mem.readCString(n(a[1])));
    io.stderr(enc.encode(`Assertion failed: ${msg}, file ${file}, line ${n(a[2])}\n`));
    throw new ProgramExit(3);
  });
  def('abs', (_cpu, a) => Math.abs(n(a[0])) | 0);
  def('labs', (_cpu, a) => Math.abs(n(a[0])) | 0);
  def('llabs', (_cpu, a) => {
    const v = BigInt(a[0] ?? 0);
    return BigInt.asIntN(64, v < 0n ? -v : v);
  });
  // strtol family: optional blanks and sign; base 0 picks 8/10/16 from the prefix; the
  // "0x" prefix is skipped only for bases 0 and 16; *endptr gets the first unused character.
  const parse = (cpu: Cpu, a: Value[], base0: number, unsigned: boolean, bits: 32 | 64): Value => {
    const p = n(a[0]);
    const str = cpu.mem.readCString(p);
    let i = 0;
    while (str[i] === 32 || (str[i] >= 9 && str[i] <= 13)) i++;
    let neg = false;
    if (str[i] === 43 || str[i] === 45) neg = str[i++] === 45;
    let base = base0;
    const hexDigit = (c: number | undefined): boolean => c !== undefined && ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102));
    if ((base === 0 || base === 16) && str[i] === 48 && (str[i + 1] | 32) === 120 && hexDigit(str[i + 2])) {
      i += 2;
      base = 16;
    } else if (base === 0) base = str[i] === 48 ? 8 : 10;
    let v = 0n;
    const start = i;
    for (; i < str.length; i++) {
      const c = str[i];
      const d = c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 122 ? (c | 32) - 87 : 99;
      if (d >= base) break;
      v = v * BigInt(base) + BigInt(d);
    }
    if (neg) v = -v;
    const end = a[1] !== undefined ? n(a[1]) : 0;
    if (end) cpu.mem.writePtr(end, i > start ? p + i : p);
    const r = unsigned ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
    return bits === 64 ? r : Number(r);
  };
  def('atoi', (cpu, a) => parse(cpu, [a[0]], 10, false, 32));
  def('atol', (cpu, a) => parse(cpu, [a[0]], 10, false, 32));
  def('atoll', (cpu, a) => parse(cpu, [a[0]], 10, false, 64));
  def('strtol', (cpu, a) => parse(cpu, a, n(a[2]), false, 32));
  def('strtoul', (cpu, a) => parse(cpu, a, n(a[2]), true, 32));
  def('strtoll', (cpu, a) => parse(cpu, a, n(a[2]), false, 64));
  def('strtoull', (cpu, a) => parse(cpu, a, n(a[2]), true, 64));
  // ---- math.h ---- Exact operations (sqrt, fabs, floor, ceil, trunc, fmod, round) match any
  // C library bit for bit; the transcendental ones use the JS engine's (within an ulp or so).
  const math1: Record<string, (x: number) => number> = {
    fabs: Math.abs, sqrt: Math.sqrt, floor: Math.floor, ceil: Math.ceil, trunc: Math.trunc,
    // Half away from zero; x - trunc(x) is exact, so 0.49999999999999994 rounds to 0.
    round: (x) => {
      const t = Math.trunc(x);
      return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
    },
    exp: Math.exp, log: Math.log, log10: Math.log10, sin: Math.sin, cos: Math.cos, tan: Math.tan,
    asin: Math.asin, acos: Math.acos, atan: Math.atan,
  };
  for (const [name, f] of Object.entries(math1)) {
    def(name, (_cpu, a) => f(Number(a[0])));
    def(`${name}f`, (_cpu, a) => Math.fround(f(Number(a[0]))));
  }
  const fmod = (x: number, y: number): number => x % y; // JS % on doubles is C's fmod
  def('fmod', (_cpu, a) => fmod(Number(a[0]), Number(a[1])));
  def('fmodf', (_cpu, a) => Math.fround(fmod(Number(a[0]), Number(a[1]))));
  def('pow', (_cpu, a) => Math.pow(Number(a[0]), Number(a[1])));
  def('powf', (_cpu, a) => Math.fround(Math.pow(Number(a[0]), Number(a[1]))));
  def('atan2', (_cpu, a) => Math.atan2(Number(a[0]), Number(a[1])));
  def('hypot', (_cpu, a) => Math.hypot(Number(a[0]), Number(a[1])));

  // qsort: a stable insertion sort whose comparisons are call-backs into C, so a breakpoint in
  // the comparator stops and resumes like any C code. Each step captures only constants
  // (the sort's position lives in i/j and simulated memory), so snapshots stay exact.
  def('qsort', (cpu, a) => {
    const base = n(a[0]);
    const count = n(a[1]);
    const size = n(a[2]);
    const cmp = n(a[3]);
    if (count < 2 || size <= 0) return undefined;
    const tmp = heap.alloc(size);
    const m = cpu.mem;
    const at = (k: number): number => base + k * size;
    const startRow = (i: number): NativeResult => {
      if (i >= count) {
        heap.release(tmp);
        return undefined;
      }
      m.copy(tmp, at(i), size);
      return compareAt(i, i - 1);
    };
    const place = (i: number, j: number): NativeResult => {
      m.copy(at(j + 1), tmp, size);
      return startRow(i + 1);
    };
    const compareAt = (i: number, j: number): NativeResult => {
      if (j < 0) return place(i, j);
      const req: CallBack = {
        callBack: cmp,
        args: [at(j), tmp],
        argTypes: [voidPtr, voidPtr],
        then: (r) => {
          if (Number(r) > 0) {
            m.copy(at(j + 1), at(j), size);
            return compareAt(i, j - 1);
          }
          return place(i, j);
        },
      };
      return req;
    };
    return startRow(1);
  });
  // rand(): MSVC's LCG, so runs are deterministic and match Windows builds.
  def('srand', (_cpu, a) => {
    randState = n(a[0]) >>> 0;
    return undefined;
  });
  def('rand', () => {
    randState = (Math.imul(randState, 214013) + 2531011) >>> 0;
    return (randState >>> 16) & 0x7fff;
  });
  return lib;
}
