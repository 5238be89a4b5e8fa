// The run-time library DDIs (kernel-sim/nt/rtl): string.h, counted strings, interlocked
// operations and lists, DbgPrint. Each DDI is called directly with pointer arguments into a
// simulated memory, through a small fake of the kernel's services.

import { test, describe, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { DdiTable, KernelServices, PoolKind } from '../../kernel-sim/nt/ddi';
import { rtlDdis } from '../../kernel-sim/nt/rtl';
import { poolTag } from '../../kernel-sim/nt/rtl/pool-tag';
import { interlockedDdis } from '../../kernel-sim/nt/rtl/interlocked';
import { Memory, type Region } from '../../kernel-sim/vm/memory';
import { Cpu, type Value } from '../../kernel-sim/vm/runtime';

const STATUS_SUCCESS = 0;
const STATUS_BUFFER_OVERFLOW = 0x80000005 | 0;
const STATUS_INVALID_PARAMETER = 0xc000000d | 0;
const STATUS_BUFFER_TOO_SMALL = 0xc0000023 | 0;
const STATUS_NAME_TOO_LONG = 0xc0000106 | 0;

class BugCheck extends Error {
  constructor(
    readonly code: number,
    readonly p1: bigint,
  ) {
    super(`bug check 0x${code.toString(16)}`);
  }
}

/** A bump allocator over one region. */
class Bump {
  private next: number;
  constructor(private readonly r: Region) {
    this.next = r.start;
  }
  alloc(size: number, align = 16): number {
    const a = Math.ceil((this.next - this.r.start) / align) * align + this.r.start;
    if (a + size > this.r.start + this.r.size) return 0;
    this.next = a + size;
    return a;
  }
}

interface Allocation {
  kind: PoolKind;
  size: number;
  tag: number;
}

class FakeKernel implements KernelServices {
  readonly prints: { text: string; componentId: number; level: number }[] = [];
  readonly allocations = new Map<number, Allocation>();
  readonly freed: number[] = [];
  level = 0;
  charged = 0;
  private readonly pool: Bump;

  constructor(
    readonly mem: Memory,
    poolRegion: Region,
  ) {
    this.pool = new Bump(poolRegion);
  }
  irql(): number {
    return this.level;
  }
  processorNumber(): number {
    return 0;
  }
  processorCount(): number {
    return 1;
  }
  nowNs(): number {
    return this.charged;
  }
  charge(ns: number): void {
    this.charged += ns;
  }
  debugPrint(text: string, componentId: number, level: number): void {
    this.prints.push({ text, componentId, level });
  }
  bugCheck(code: number, p1: bigint): never {
    throw new BugCheck(code, p1);
  }
  allocatePool(kind: PoolKind, size: number, tag: number): number {
    const a = this.pool.alloc(size);
    if (a !== 0) {
      this.mem.fill(a, 0, size);
      this.allocations.set(a, { kind, size, tag });
    }
    return a;
  }
  freePool(address: number): void {
    assert.ok(this.allocations.has(address), 'freePool of a block the pool did not allocate');
    this.allocations.delete(address);
    this.freed.push(address);
  }
}

let mem: Memory;
let k: FakeKernel;
let data: Bump;
let cpu: Cpu;
let ddis: DdiTable;

beforeEach(() => {
  mem = new Memory({ size: 16 << 20 });
  const dataRegion = mem.map('test data', 'other', 4 << 20);
  const poolRegion = mem.map('pool', 'pool', 1 << 20);
  const stack = mem.map('stack', 'stack', 64 << 10);
  assert.ok(dataRegion && poolRegion && stack);
  data = new Bump(dataRegion);
  k = new FakeKernel(mem, poolRegion);
  cpu = new Cpu({ mem, callables: new Map(), activations: 0 }, stack);
  ddis = rtlDdis();
});

function call(name: string, ...args: Value[]): Value | undefined {
  const impl = ddis[name];
  assert.ok(impl, `no DDI ${name}`);
  const r = impl.call(k, args, [], cpu);
  assert.ok(typeof r !== 'object', `${name} asked for a call-back`);
  return r;
}

// ---- simulated-memory helpers --------------------------------------------------------------

function wstr(s: string, extraUnits = 0): number {
  const p = data.alloc((s.length + 1 + extraUnits) * 2);
  for (let i = 0; i < s.length; i++) mem.writeU16(p + 2 * i, s.charCodeAt(i));
  mem.writeU16(p + 2 * s.length, 0);
  return p;
}
function cstr(s: string, extra = 0): number {
  const p = data.alloc(s.length + 1 + extra);
  mem.writeBytes(p, [...Array.from(s, (c) => c.charCodeAt(0) & 0xff), 0]);
  return p;
}
function readW(p: number, units?: number): string {
  let s = '';
  for (let i = 0; units === undefined || i < units; i++) {
    const u = mem.readU16(p + 2 * i);
    if (units === undefined && u === 0) break;
    s += String.fromCharCode(u);
  }
  return s;
}
function readA(p: number): string {
  return String.fromCharCode(...mem.readCString(p));
}
/** A UNICODE_STRING / ANSI_STRING {Length, MaximumLength, Buffer}. */
function counted(length: number, maximumLength: number, buffer: number): number {
  const p = data.alloc(16, 8);
  mem.writeU16(p, length);
  mem.writeU16(p + 2, maximumLength);
  mem.writePtr(p + 8, buffer);
  return p;
}
/** A UNICODE_STRING over a fresh buffer of `max` bytes holding `text`. */
function ustr(text: string, max = (text.length + 1) * 2): number {
  const buf = data.alloc(Math.max(max, 2));
  for (let i = 0; i < text.length; i++) mem.writeU16(buf + 2 * i, text.charCodeAt(i));
  return counted(text.length * 2, max, buf);
}
function fields(p: number): { length: number; max: number; buffer: number } {
  return { length: mem.readU16(p), max: mem.readU16(p + 2), buffer: mem.readPtr(p + 8) };
}

// ---- counted strings -----------------------------------------------------------------------

describe('RtlInit*String', () => {
  test('RtlInitUnicodeString sets byte lengths without and with the terminator', () => {
    const s = wstr('Hello');
    const u = counted(0xaaaa, 0xbbbb, 0);
    assert.equal(call('RtlInitUnicodeString', u, s), undefined);
    assert.deepEqual(fields(u), { length: 10, max: 12, buffer: s });
  });

  test('RtlInitUnicodeString(NULL) gives 0/0/NULL', () => {
    const u = counted(7, 9, wstr('x'));
    call('RtlInitUnicodeString', u, 0);
    assert.deepEqual(fields(u), { length: 0, max: 0, buffer: 0 });
  });

  test('a string over 0xFFFC bytes is cut to 0xFFFC/0xFFFE; the Ex form fails with STATUS_NAME_TOO_LONG', () => {
    const long = wstr('a'.repeat(40000));
    const u = counted(0, 0, 0);
    call('RtlInitUnicodeString', u, long);
    assert.deepEqual(fields(u), { length: 0xfffc, max: 0xfffe, buffer: long });
    const v = counted(1, 2, 0);
    assert.equal(call('RtlInitUnicodeStringEx', v, long), STATUS_NAME_TOO_LONG);
    assert.deepEqual(fields(v), { length: 1, max: 2, buffer: 0 });
    const limit = wstr('b'.repeat(0x7ffe));
    assert.equal(call('RtlInitUnicodeStringEx', v, limit), STATUS_SUCCESS);
    assert.deepEqual(fields(v), { length: 0xfffc, max: 0xfffe, buffer: limit });
  });

  test('RtlInitAnsiString counts bytes', () => {
    const s = cstr('abc');
    const a = counted(0, 0, 0);
    call('RtlInitAnsiString', a, s);
    assert.deepEqual(fields(a), { length: 3, max: 4, buffer: s });
    call('RtlInitAnsiString', a, 0);
    assert.deepEqual(fields(a), { length: 0, max: 0, buffer: 0 });
  });
});

describe('copy and append', () => {
  test('RtlCopyUnicodeString copies what fits and terminates when there is room', () => {
    const src = ustr('abcdef');
    const dst = ustr('', 8);
    mem.fill(fields(dst).buffer, 0xee, 8);
    call('RtlCopyUnicodeString', dst, src);
    assert.equal(fields(dst).length, 8);
    assert.equal(readW(fields(dst).buffer, 4), 'abcd');
    const roomy = ustr('', 20);
    call('RtlCopyUnicodeString', roomy, src);
    assert.equal(fields(roomy).length, 12);
    assert.equal(readW(fields(roomy).buffer), 'abcdef');
    call('RtlCopyUnicodeString', roomy, 0);
    assert.equal(fields(roomy).length, 0);
  });

  test('RtlAppendUnicodeToString: fills exactly, then STATUS_BUFFER_TOO_SMALL leaves the destination alone', () => {
    const dst = ustr('abc', 10);
    const buf = fields(dst).buffer;
    assert.equal(call('RtlAppendUnicodeToString', dst, wstr('de')), STATUS_SUCCESS);
    assert.equal(fields(dst).length, 10);
    assert.equal(readW(buf, 5), 'abcde');
    assert.equal(call('RtlAppendUnicodeToString', dst, wstr('x')), STATUS_BUFFER_TOO_SMALL);
    assert.equal(fields(dst).length, 10);
    assert.equal(readW(buf, 5), 'abcde');
    assert.equal(call('RtlAppendUnicodeToString', dst, 0), STATUS_SUCCESS);
  });

  test('RtlAppendUnicodeStringToString appends a NUL when there is room', () => {
    const dst = ustr('ab', 12);
    mem.fill(fields(dst).buffer + 4, 0xee, 8);
    assert.equal(call('RtlAppendUnicodeStringToString', dst, ustr('cd')), STATUS_SUCCESS);
    assert.equal(fields(dst).length, 8);
    assert.equal(readW(fields(dst).buffer), 'abcd');
    assert.equal(call('RtlAppendUnicodeStringToString', dst, ustr('efg')), STATUS_BUFFER_TOO_SMALL);
    assert.equal(fields(dst).length, 8);
  });
});

describe('comparison', () => {
  test('RtlEqualUnicodeString, case-sensitive and not (Latin-1 upcase)', () => {
    const a = ustr('Héllo wörld ÿ');
    const b = ustr('HÉLLO WÖRLD Ÿ');
    assert.equal(call('RtlEqualUnicodeString', a, b, 1), 1);
    assert.equal(call('RtlEqualUnicodeString', a, b, 0), 0);
    assert.equal(call('RtlEqualUnicodeString', a, a, 0), 1);
    assert.equal(call('RtlEqualUnicodeString', ustr('abc'), ustr('abcd'), 1), 0);
  });

  test('RtlCompareUnicodeString returns the unit difference, else the length difference', () => {
    assert.ok(Number(call('RtlCompareUnicodeString', ustr('abc'), ustr('abd'), 0)) < 0);
    assert.equal(call('RtlCompareUnicodeString', ustr('abc'), ustr('ab'), 0), 2);
    assert.equal(call('RtlCompareUnicodeString', ustr('ABC'), ustr('abc'), 1), 0);
    assert.ok(Number(call('RtlCompareUnicodeString', ustr('ABC'), ustr('abc'), 0)) < 0);
  });

  test('RtlCompareMemory counts equal leading bytes', () => {
    assert.equal(call('RtlCompareMemory', cstr('abcdef'), cstr('abcxef'), 6n), 3n);
    assert.equal(call('RtlCompareMemory', cstr('abc'), cstr('abc'), 3n), 3n);
  });
});

describe('conversions', () => {
  test('RtlUnicodeStringToAnsiString allocates paged pool, converts to code page 1252; RtlFreeAnsiString frees', () => {
    const a = counted(0, 0, 0);
    assert.equal(call('RtlUnicodeStringToAnsiString', a, ustr('Grüße €\u4e00'), 1), STATUS_SUCCESS);
    const f = fields(a);
    assert.equal(f.length, 8);
    assert.equal(f.max, 9);
    assert.deepEqual([...mem.readBytes(f.buffer, 9)], [0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x80, 0x3f, 0]);
    assert.deepEqual(k.allocations.get(f.buffer), { kind: 'paged', size: 9, tag: poolTag('Strg') });
    call('RtlFreeAnsiString', a);
    assert.deepEqual(k.freed, [f.buffer]);
    assert.deepEqual(fields(a), { length: 0, max: 0, buffer: 0 });
  });

  test('RtlUnicodeStringToAnsiString into a small buffer truncates with STATUS_BUFFER_OVERFLOW', () => {
    const buf = data.alloc(4);
    const a = counted(0, 4, buf);
    assert.equal(call('RtlUnicodeStringToAnsiString', a, ustr('abcdef'), 0), STATUS_BUFFER_OVERFLOW);
    assert.equal(fields(a).length, 3);
    assert.equal(readA(buf), 'abc');
    const none = counted(0, 0, 0);
    assert.equal(call('RtlUnicodeStringToAnsiString', none, ustr('x'), 0), STATUS_BUFFER_OVERFLOW);
  });

  test('RtlAnsiStringToUnicodeString, allocated and into a buffer', () => {
    const src = cstr('h\xe9\x80');
    const ansi = counted(3, 4, src);
    const u = counted(0, 0, 0);
    assert.equal(call('RtlAnsiStringToUnicodeString', u, ansi, 1), STATUS_SUCCESS);
    assert.deepEqual({ length: fields(u).length, max: fields(u).max }, { length: 6, max: 8 });
    assert.equal(readW(fields(u).buffer), 'hé€');
    call('RtlFreeUnicodeString', u);
    assert.deepEqual(fields(u), { length: 0, max: 0, buffer: 0 });
    assert.equal(k.allocations.size, 0);
    const small = ustr('', 6);
    assert.equal(call('RtlAnsiStringToUnicodeString', small, ansi, 0), STATUS_BUFFER_OVERFLOW);
    const fits = ustr('', 8);
    assert.equal(call('RtlAnsiStringToUnicodeString', fits, ansi, 0), STATUS_SUCCESS);
    assert.equal(readW(fields(fits).buffer), 'hé€');
  });

  test('RtlIntegerToUnicodeString in bases 0, 2, 8, 10, 16', () => {
    const cases: [number, number, string][] = [
      [1234, 0, '1234'],
      [255, 16, 'FF'],
      [8, 8, '10'],
      [5, 2, '101'],
      [0xffffffff, 10, '4294967295'],
      [0, 16, '0'],
    ];
    for (const [value, base, text] of cases) {
      const u = ustr('', 40);
      assert.equal(call('RtlIntegerToUnicodeString', value, base, u), STATUS_SUCCESS, `${value} base ${base}`);
      assert.equal(fields(u).length, text.length * 2);
      assert.equal(readW(fields(u).buffer), text);
    }
    assert.equal(call('RtlIntegerToUnicodeString', 10, 7, ustr('', 40)), STATUS_INVALID_PARAMETER);
    assert.equal(call('RtlIntegerToUnicodeString', 1234, 10, ustr('', 8)), STATUS_BUFFER_OVERFLOW);
  });

  test('RtlUnicodeStringToInteger: blanks, sign, prefixes, bases, empty string', () => {
    const out = data.alloc(4);
    const parse = (text: string, base: number): [Value | undefined, number] => {
      mem.writeU32(out, 0xdeadbeef);
      const r = call('RtlUnicodeStringToInteger', ustr(text), base, out);
      return [r, mem.readU32(out)];
    };
    assert.deepEqual(parse('123', 10), [STATUS_SUCCESS, 123]);
    assert.deepEqual(parse('  -345', 10), [STATUS_SUCCESS, -345 >>> 0]);
    assert.deepEqual(parse('xyz', 10), [STATUS_SUCCESS, 0]);
    assert.deepEqual(parse('+678abc', 10), [STATUS_SUCCESS, 678]);
    assert.deepEqual(parse('+678abc', 16), [STATUS_SUCCESS, 0x678abc]);
    assert.deepEqual(parse('0x1F', 0), [STATUS_SUCCESS, 0x1f]);
    assert.deepEqual(parse('0b101', 0), [STATUS_SUCCESS, 5]);
    assert.deepEqual(parse('0o17', 0), [STATUS_SUCCESS, 15]);
    assert.deepEqual(parse('12', 3), [STATUS_INVALID_PARAMETER, 0xdeadbeef]);
    assert.deepEqual(parse('', 10), [STATUS_INVALID_PARAMETER, 0xdeadbeef]);
  });
});

// ---- interlocked -----------------------------------------------------------------------------

describe('interlocked operations', () => {
  test('32-bit: return values as documented, wrap-around', () => {
    const p = data.alloc(8) + 1; // misaligned is fine on x64
    mem.writeU32(p, 0x7fffffff);
    assert.equal(call('InterlockedIncrement', p), -0x80000000);
    assert.equal(mem.readI32(p), -0x80000000);
    assert.equal(call('InterlockedDecrement', p), 0x7fffffff);
    assert.equal(call('InterlockedExchange', p, 5), 0x7fffffff);
    assert.equal(call('InterlockedExchangeAdd', p, 10), 5);
    assert.equal(mem.readI32(p), 15);
    assert.equal(call('InterlockedCompareExchange', p, 99, 14), 15);
    assert.equal(mem.readI32(p), 15);
    assert.equal(call('InterlockedCompareExchange', p, 99, 15), 15);
    assert.equal(mem.readI32(p), 99);
    mem.writeU32(p, 0b1100);
    assert.equal(call('InterlockedOr', p, 0b0011), 0b1100);
    assert.equal(call('InterlockedAnd', p, 0b0110), 0b1111);
    assert.equal(call('InterlockedXor', p, 0b0101), 0b0110);
    assert.equal(mem.readI32(p), 0b0011);
    mem.writeU32(p, 0);
    assert.equal(call('InterlockedDecrement', p), -1);
    assert.equal(mem.readU32(p), 0xffffffff);
  });

  test('64-bit: bigint values and wrap-around', () => {
    const p = data.alloc(8);
    mem.writeU64(p, (1n << 63n) - 1n);
    assert.equal(call('InterlockedIncrement64', p), -(1n << 63n));
    assert.equal(call('InterlockedExchangeAdd64', p, 1n), -(1n << 63n));
    assert.equal(call('InterlockedExchange64', p, 7n), -(1n << 63n) + 1n);
    assert.equal(call('InterlockedCompareExchange64', p, 8n, 7n), 7n);
    assert.equal(mem.readI64(p), 8n);
    assert.equal(call('InterlockedOr64', p, 1n), 8n);
    assert.equal(call('InterlockedAnd64', p, 1n), 9n);
    assert.equal(call('InterlockedXor64', p, 3n), 1n);
    assert.equal(call('InterlockedDecrement64', p), 1n);
  });

  test('pointers', () => {
    const slot = data.alloc(8);
    const x = data.alloc(16);
    const y = data.alloc(16);
    mem.writePtr(slot, x);
    assert.equal(call('InterlockedExchangePointer', slot, y), x);
    assert.equal(mem.readPtr(slot), y);
    assert.equal(call('InterlockedCompareExchangePointer', slot, 0, x), y);
    assert.equal(mem.readPtr(slot), y);
    assert.equal(call('InterlockedCompareExchangePointer', slot, 0, y), y);
    assert.equal(mem.readPtr(slot), 0);
    assert.equal(call('KeMemoryBarrier'), undefined);
  });
});

describe('ExInterlocked lists', () => {
  const entry = (): number => data.alloc(16);
  const listHead = (): number => {
    const h = entry();
    mem.writePtr(h, h);
    mem.writePtr(h + 8, h);
    return h;
  };

  test('insert head/tail return the previous first/last entry (NULL when empty); remove returns NULL when empty', () => {
    const held: string[] = [];
    ddis = interlockedDdis({ acquire: (l) => held.push(`+${l}`), release: (l) => held.push(`-${l}`) });
    const head = listHead();
    const lock = data.alloc(8);
    const [a, b, c] = [entry(), entry(), entry()];
    assert.equal(call('ExInterlockedInsertTailList', head, a, lock), 0);
    assert.equal(call('ExInterlockedInsertTailList', head, b, lock), a);
    assert.equal(call('ExInterlockedInsertHeadList', head, c, lock), a);
    // order: c, a, b (forward and backward links agree)
    assert.equal(mem.readPtr(head), c);
    assert.equal(mem.readPtr(c), a);
    assert.equal(mem.readPtr(a), b);
    assert.equal(mem.readPtr(b), head);
    assert.equal(mem.readPtr(head + 8), b);
    assert.equal(mem.readPtr(b + 8), a);
    assert.equal(call('ExInterlockedRemoveHeadList', head, lock), c);
    assert.equal(call('ExInterlockedRemoveHeadList', head, lock), a);
    assert.equal(call('ExInterlockedRemoveHeadList', head, lock), b);
    assert.equal(call('ExInterlockedRemoveHeadList', head, lock), 0);
    assert.equal(mem.readPtr(head), head);
    assert.equal(held.length, 14);
    assert.deepEqual(held.slice(0, 2), [`+${lock}`, `-${lock}`]);
  });

  test('push/pop on a singly linked list', () => {
    const head = entry();
    mem.writePtr(head, 0);
    const lock = data.alloc(8);
    const [x, y] = [entry(), entry()];
    assert.equal(call('ExInterlockedPushEntryList', head, x, lock), 0);
    assert.equal(call('ExInterlockedPushEntryList', head, y, lock), x);
    assert.equal(call('ExInterlockedPopEntryList', head, lock), y);
    assert.equal(call('ExInterlockedPopEntryList', head, lock), x);
    assert.equal(call('ExInterlockedPopEntryList', head, lock), 0);
  });

  test('a corrupted list fails fast: bug check 0x139 / 3', () => {
    const head = listHead();
    const lock = data.alloc(8);
    const a = entry();
    call('ExInterlockedInsertTailList', head, a, lock);
    mem.writePtr(a + 8, 0x1234); // a->Blink no longer points to head
    assert.throws(
      () => call('ExInterlockedRemoveHeadList', head, lock),
      (e: unknown) => e instanceof BugCheck && e.code === 0x139 && e.p1 === 3n,
    );
  });
});

// ---- DbgPrint --------------------------------------------------------------------------------

describe('DbgPrint', () => {
  test('formats %d %wZ %ws %Z and sends DbgPrint as DPFLTR_DEFAULT_ID / DPFLTR_INFO_LEVEL', () => {
    const us = ustr('Dev\u00e9');
    const as = counted(3, 4, cstr('abc'));
    assert.equal(call('DbgPrint', cstr('n=%d u=%wZ w=%ws a=%Z %-4s|\n'), -42, us, wstr('wide'), as, cstr('x')), STATUS_SUCCESS);
    assert.deepEqual(k.prints, [{ text: 'n=-42 u=Devé w=wide a=abc x   |\n', componentId: 101, level: 3 }]);
  });

  test('DbgPrintEx passes its component and level; vDbgPrintEx reads a va_list', () => {
    call('DbgPrintEx', 77, 0, cstr('%s %u\n'), cstr('err'), -1);
    const ap = data.alloc(16, 8);
    mem.writeU64(ap, 0x1234n);
    mem.writePtr(ap + 8, cstr('va'));
    call('vDbgPrintEx', 77, 2, cstr('%x %s\n'), ap);
    assert.deepEqual(k.prints, [
      { text: 'err 4294967295\n', componentId: 77, level: 0 },
      { text: '1234 va\n', componentId: 77, level: 2 },
    ]);
  });

  test('one call sends at most 512 bytes; a longer message ends in a newline', () => {
    call('DbgPrint', cstr('%s'), cstr('a'.repeat(600)));
    call('DbgPrint', cstr('%s'), cstr('b'.repeat(512)));
    assert.equal(k.prints[0].text, 'a'.repeat(511) + '\n');
    assert.equal(k.prints[1].text, 'b'.repeat(512));
  });

  test('Unicode formats above PASSIVE_LEVEL print, plus a verifier warning line', () => {
    k.level = 2;
    call('DbgPrint', cstr('%wZ\n'), ustr('dpc'));
    assert.equal(k.prints.length, 2);
    assert.equal(k.prints[0].text, 'dpc\n');
    assert.match(k.prints[1].text, /^kdsim verifier warning: DbgPrint used the Unicode format %wZ at IRQL 2/);
    k.prints.length = 0;
    call('DbgPrint', cstr('%Z %s %d\n'), counted(1, 1, cstr('a')), cstr('b'), 3);
    assert.deepEqual(k.prints.map((p) => p.text), ['a b 3\n']);
    k.level = 0;
    call('DbgPrint', cstr('%ws\n'), wstr('ok'));
    assert.deepEqual(k.prints.map((p) => p.text), ['a b 3\n', 'ok\n']);
  });

  test('floating-point formats are printed with a warning (DbgPrint does not support them)', () => {
    call('DbgPrintEx', 77, 3, cstr('%.1f\n'), 1.5);
    assert.equal(k.prints[0].text, '1.5\n');
    assert.match(k.prints[1].text, /^kdsim verifier warning: DbgPrintEx used the floating-point format %\.1f/);
    assert.deepEqual([k.prints[1].componentId, k.prints[1].level], [77, 0]);
  });
});

// ---- string.h --------------------------------------------------------------------------------

describe('string.h', () => {
  test('wide string functions', () => {
    const s = wstr('hello world', 20);
    assert.equal(call('wcslen', s), 11n);
    assert.equal(call('wcsnlen', s, 4n), 4n);
    assert.equal(call('wcschr', s, 0x6f), s + 8);
    assert.equal(call('wcsrchr', s, 0x6f), s + 14);
    assert.equal(call('wcschr', s, 0), s + 22);
    assert.equal(call('wcschr', s, 0x7a), 0);
    assert.equal(call('wcsstr', s, wstr('wor')), s + 12);
    assert.equal(call('wcsstr', s, wstr('xyz')), 0);
    assert.equal(call('wcscmp', wstr('abc'), wstr('abd')), -1);
    assert.equal(call('wcscmp', wstr('abc'), wstr('abc')), 0);
    assert.equal(call('wcsncmp', wstr('abcx'), wstr('abcy'), 3n), 0);
    assert.equal(call('_wcsicmp', wstr('HeLLo'), wstr('hello')), 0);
    const d = wstr('', 20);
    assert.equal(call('wcscpy', d, wstr('ab')), d);
    assert.equal(call('wcscat', d, wstr('cd')), d);
    assert.equal(readW(d), 'abcd');
    mem.fill(d, 0xee, 12);
    call('wcsncpy', d, wstr('xy'), 5n);
    assert.equal(readW(d, 6), 'xy\0\0\0\uEEEE');
  });

  test('narrow functions, strtok, _strdup (nonpaged pool), strerror', () => {
    assert.equal(call('strlen', cstr('abc')), 3n);
    assert.equal(call('_stricmp', cstr('ABC'), cstr('abd')), -1);
    assert.equal(call('_strnicmp', cstr('ABCx'), cstr('abcy'), 3n), 0);
    const s = cstr('a,,b;c');
    const delims = cstr(',;');
    const tokens: string[] = [];
    for (let t = Number(call('strtok', s, delims)); t !== 0; t = Number(call('strtok', 0, delims))) tokens.push(readA(t));
    assert.deepEqual(tokens, ['a', 'b', 'c']);
    const dup = Number(call('_strdup', cstr('copy me')));
    assert.equal(readA(dup), 'copy me');
    assert.deepEqual(k.allocations.get(dup), { kind: 'nonpaged', size: 8, tag: poolTag('Sdup') });
    assert.equal(call('_strdup', 0), 0);
    const msg = Number(call('strerror', 22));
    assert.equal(readA(msg), 'Invalid argument');
    assert.equal(readA(Number(call('strerror', 9999))), 'Unknown error');
    assert.throws(() => mem.writeU8(msg, 0)); // the messages are read-only
  });

  test('memcpy charges 0.1 ns per byte touched', () => {
    const a = data.alloc(1000);
    const b = data.alloc(1000);
    mem.fill(a, 7, 1000);
    assert.equal(call('memcpy', b, a, 1000n), b);
    assert.equal(mem.compare(a, b, 1000), 0);
    assert.ok(Math.abs(k.charged - 200) < 1e-9, `charged ${k.charged}`);
    assert.equal(call('memchr', a, 7, 1000n), a);
    assert.equal(call('memcmp', a, b, 1000n), 0);
  });
});
