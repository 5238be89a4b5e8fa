// Struct/union/bit-field layout: kdsim against gcc -mms-bitfields (MSVC's x64 record layout,
// ARCHITECTURE.md decision 2). Every group of declarations is laid out by both compilers and
// compared type by type: sizeof, _Alignof, each member's offset, each bit-field's bit mask.
// Then kdsim's own constant evaluation of sizeof/_Alignof/__builtin_offsetof/FIELD_OFFSET is
// checked against the same gcc numbers, and a few Windows sizes against their known values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, formatDiagnostic, MemoryFileHost } from '../../kernel-sim/c';
import {
  compareLayouts,
  gccLayouts,
  GCC_SIDE_MACROS,
  KDSIM_SIDE_MACROS,
  kdsimType,
  memberPaths,
  WINDOWS_PRELUDE,
  type Layouts,
} from '../helpers/gcc-layout';
import { GROUPS, MIXED, NESTED, PACK, PLAIN, UNIONS, WINDOWS } from './layout-cases';

test('the corpus covers at least 60 types', () => {
  const n = GROUPS.reduce((k, g) => k + g.types.length, 0);
  assert.ok(n >= 60, `only ${n} types`);
});

for (const g of GROUPS) {
  test(`layout vs gcc -mms-bitfields: ${g.name}`, async (t) => {
    const c = compareLayouts(g.decls, g.types);
    await t.test('kdsim compiles the declarations without errors', () => {
      const errors = c.compile.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d));
      assert.deepEqual(errors, []);
    });
    if (!c.gcc.ok) {
      if ('skip' in c.gcc) {
        t.skip(c.gcc.skip);
        return;
      }
      assert.fail(c.gcc.error);
    }
    const gcc: Layouts = c.gcc.layouts;
    const gccErrors = c.gcc.errors;
    for (const name of g.types) {
      await t.test(name, () => {
        if (gccErrors[name]) assert.fail(`gcc could not compile the probe for the member paths kdsim reported:\n${gccErrors[name]}`);
        assert.deepEqual(c.kdsim[name], gcc[name], `layout of ${name} differs (actual = kdsim, expected = gcc -mms-bitfields)`);
      });
    }
  });
}

// ---- kdsim's constant evaluation of sizeof / _Alignof / offsetof, against gcc's numbers ----

/** Appends `enum { kd_N = expr, ... };` blocks to the declarations, one constant per fact. */
function constProbe(program: Parameters<typeof kdsimType>[0], types: readonly string[]): { text: string; expect: Map<string, { type: string; what: string; form: string }> } {
  const lines: string[] = [];
  const expect = new Map<string, { type: string; what: string; form: string }>();
  let n = 0;
  const add = (expr: string, type: string, what: string, form = what): void => {
    const name = `kd_const_${n++}`;
    lines.push(`enum { ${name} = ${expr} };`);
    expect.set(name, { type, what, form });
  };
  for (const type of types) {
    const t = kdsimType(program, type);
    if (!t) continue;
    add(`sizeof(${type})`, type, 'size');
    add(`_Alignof(${type})`, type, 'align');
    for (const m of memberPaths(t)) {
      if (m.bitfield) continue;
      add(`__builtin_offsetof(${type}, ${m.path})`, type, m.path, 'offsetof');
      // FIELD_OFFSET as the WDK spells it: the address of a member of a null pointer.
      add(`(LONG)(LONG_PTR)&(((${type} *)0)->${m.path})`, type, m.path, 'FIELD_OFFSET');
    }
  }
  return { text: lines.join('\n'), expect };
}

for (const g of [PLAIN, NESTED, UNIONS, PACK, WINDOWS, MIXED]) {
  test(`constant evaluation (sizeof, _Alignof, __builtin_offsetof, FIELD_OFFSET) vs gcc: ${g.name}`, (t) => {
    const first = compareLayouts(g.decls, g.types);
    if (!first.gcc.ok) {
      if ('skip' in first.gcc) return t.skip(first.gcc.skip);
      assert.fail(first.gcc.error);
    }
    const gcc = first.gcc.layouts;
    const probe = constProbe(first.compile.program, g.types);
    const text = KDSIM_SIDE_MACROS + WINDOWS_PRELUDE + g.decls + '\n' + probe.text + '\n';
    const r = compile(['/c/probe.c'], { host: new MemoryFileHost({ '/c/probe.c': text }), simulatedHeaders: { get: () => undefined } });
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d));
    const wrong: string[] = [];
    for (const [name, { type, what, form }] of probe.expect) {
      const want = gcc[type] ? (what === 'size' ? gcc[type].size : what === 'align' ? gcc[type].align : gcc[type].members[what]) : undefined;
      const got = r.program.enumConstants.get(name);
      if (got === undefined || Number(got) !== want) wrong.push(`${form === what ? what : `${form}(${type}, ${what})`} of ${type}: kdsim ${got ?? 'no value'}, gcc ${String(want)}`);
    }
    assert.deepEqual({ errors: errors.slice(0, 10), wrong: wrong.slice(0, 20) }, { errors: [], wrong: [] });
  });
}

// ---- sizes the LLP64 model fixes (no gcc needed: gcc on Linux is LP64) ----

test('LLP64 scalar sizes: long is 4 bytes, long double is 8 (MSVC), pointers 8', () => {
  const src = `
typedef long L; typedef unsigned long UL; typedef long double LD; typedef long long LL; typedef void *P;
typedef short S; typedef int I; typedef float F; typedef double D; typedef _Bool B; typedef char C;
enum { SZ_LONG = sizeof(long), SZ_LD = sizeof(long double), AL_LD = _Alignof(long double), SZ_PTR = sizeof(void *),
       SZ_SIZE = sizeof(sizeof(int)), SZ_DIFF = sizeof((char *)0 - (char *)0), SZ_1L = sizeof(1L), SZ_ENUM = sizeof(enum { X_ }) };
_Static_assert(sizeof(long) == 4, "long is 4 bytes");
_Static_assert(sizeof(unsigned long) == 4, "unsigned long is 4 bytes");
_Static_assert(sizeof(long double) == 8, "long double is double");
_Static_assert(sizeof(long long) == 8, "");
_Static_assert(sizeof(void *) == 8, "");
struct WithLong { char c; long l; long double ld; };
_Static_assert(sizeof(struct WithLong) == 16, "");
`;
  const r = compile(['/c/llp64.c'], { host: new MemoryFileHost({ '/c/llp64.c': src }), simulatedHeaders: { get: () => undefined } });
  assert.deepEqual(r.diagnostics.map((d) => formatDiagnostic(d)), []);
  const size = (n: string): number => r.program.typedefs.get(n)?.size ?? -1;
  assert.deepEqual(
    { L: size('L'), UL: size('UL'), LD: size('LD'), LL: size('LL'), P: size('P'), S: size('S'), I: size('I'), F: size('F'), D: size('D'), B: size('B'), C: size('C') },
    { L: 4, UL: 4, LD: 8, LL: 8, P: 8, S: 2, I: 4, F: 4, D: 8, B: 1, C: 1 },
  );
  const k = (n: string): number => Number(r.program.enumConstants.get(n) ?? -1n);
  assert.deepEqual(
    { SZ_LONG: k('SZ_LONG'), SZ_LD: k('SZ_LD'), AL_LD: k('AL_LD'), SZ_PTR: k('SZ_PTR'), SZ_SIZE: k('SZ_SIZE'), SZ_DIFF: k('SZ_DIFF'), SZ_1L: k('SZ_1L'), SZ_ENUM: k('SZ_ENUM') },
    { SZ_LONG: 4, SZ_LD: 8, AL_LD: 8, SZ_PTR: 8, SZ_SIZE: 8, SZ_DIFF: 8, SZ_1L: 4, SZ_ENUM: 4 },
  );
  const wl = r.program.tags.get('WithLong');
  assert.ok(wl && wl.kind === 'struct');
  assert.deepEqual(wl.members.map((m) => [m.name, m.offset]), [['c', 0], ['l', 4], ['ld', 8]]);
});

test('Windows sizes known from the WDK (x64), checked by _Static_assert inside kdsim', () => {
  const asserts = `
_Static_assert(sizeof(LIST_ENTRY) == 0x10, "LIST_ENTRY");
_Static_assert(sizeof(SINGLE_LIST_ENTRY) == 8, "SINGLE_LIST_ENTRY");
_Static_assert(sizeof(LARGE_INTEGER) == 8, "LARGE_INTEGER");
_Static_assert(sizeof(KDPC) == 0x40, "KDPC");
_Static_assert(__builtin_offsetof(KDPC, DeferredRoutine) == 0x18, "KDPC.DeferredRoutine");
_Static_assert(__builtin_offsetof(KDPC, Number) == 2, "KDPC.Number");
_Static_assert(sizeof(IO_STATUS_BLOCK) == 0x10, "IO_STATUS_BLOCK");
_Static_assert(__builtin_offsetof(IO_STATUS_BLOCK, Information) == 8, "IO_STATUS_BLOCK.Information");
_Static_assert(sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR) == 0x14, "CM_PARTIAL_RESOURCE_DESCRIPTOR");
_Static_assert(__builtin_offsetof(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Affinity) == 0xc, "CM_PARTIAL_RESOURCE_DESCRIPTOR.u.Interrupt.Affinity");
_Static_assert(_Alignof(CM_PARTIAL_RESOURCE_DESCRIPTOR) == 4, "pack(4)");
_Static_assert(sizeof(WAIT_CONTEXT_BLOCK) == 0x48, "WAIT_CONTEXT_BLOCK");
_Static_assert(sizeof(KDEVICE_QUEUE) == 0x28, "KDEVICE_QUEUE");
_Static_assert(sizeof(KEVENT) == 0x18, "KEVENT");
_Static_assert(sizeof(DEVICE_OBJECT) == 0x150, "DEVICE_OBJECT");
_Static_assert(_Alignof(DEVICE_OBJECT) == 16, "DEVICE_OBJECT align");
_Static_assert(__builtin_offsetof(DEVICE_OBJECT, DeviceExtension) == 0x40, "DEVICE_OBJECT.DeviceExtension");
_Static_assert(__builtin_offsetof(DEVICE_OBJECT, Dpc) == 0xc8, "DEVICE_OBJECT.Dpc");
_Static_assert(__builtin_offsetof(DEVICE_OBJECT, DeviceLock) == 0x118, "DEVICE_OBJECT.DeviceLock");
_Static_assert(__builtin_offsetof(DEVICE_OBJECT, DeviceObjectExtension) == 0x138, "DEVICE_OBJECT.DeviceObjectExtension");
`;
  const src = KDSIM_SIDE_MACROS + WINDOWS_PRELUDE + WINDOWS.decls + asserts;
  const r = compile(['/c/win.c'], { host: new MemoryFileHost({ '/c/win.c': src }), simulatedHeaders: { get: () => undefined } });
  assert.deepEqual(r.diagnostics.map((d) => formatDiagnostic(d)), []);
  // The same assertions hold under gcc (so the expected numbers are right, not just agreed on).
  const g = gccLayouts(GCC_SIDE_MACROS + WINDOWS_PRELUDE + WINDOWS.decls + asserts, []);
  if (!g.ok && 'error' in g) assert.fail(g.error);
});

// gcc is no oracle here: under #pragma pack it lets the pack value cap an aligned(N) member,
// while MSVC lets __declspec(align(N)) win ("unless overridden with __declspec(align(#)), the
// alignment of a scalar structure member is the minimum of its size and the current packing",
// MSVC docs, align (C++)). Expected values follow MSVC's documented /Zp1 example.
test('MSVC: __declspec(align(N)) on a member overrides #pragma pack (documented /Zp1 example)', () => {
  const src = `
#pragma pack(push, 1)
struct S { char a; short b; double c; __declspec(align(32)) double d; char e; double f; };
#pragma pack(pop)
struct __declspec(align(16)) A16 { int a; };
#pragma pack(push, 1)
struct P { char c; struct A16 x; };
#pragma pack(pop)
`;
  const r = compile(['/c/msalign.c'], { host: new MemoryFileHost({ '/c/msalign.c': src }), simulatedHeaders: { get: () => undefined } });
  assert.deepEqual(r.diagnostics.map((d) => formatDiagnostic(d)), []);
  const lay = (tag: string): { size: number; align: number; offsets: Record<string, number> } => {
    const t = r.program.tags.get(tag);
    assert.ok(t && t.kind === 'struct', tag);
    return { size: t.size, align: t.align, offsets: Object.fromEntries(t.members.map((m) => [m.name ?? '?', m.offset])) };
  };
  assert.deepEqual(lay('S'), { size: 64, align: 32, offsets: { a: 0, b: 1, c: 3, d: 32, e: 40, f: 41 } });
  // A member whose type carries __declspec(align(16)) keeps that alignment inside pack(1).
  assert.deepEqual(lay('P'), { size: 32, align: 16, offsets: { c: 0, x: 16 } });
});

test('sizeof/_Static_assert on layouts inside kdsim: a false assertion is reported', () => {
  const src = `struct S { char c; int i; };\n_Static_assert(sizeof(struct S) == 5, "packed?");\n`;
  const r = compile(['/c/sa.c'], { host: new MemoryFileHost({ '/c/sa.c': src }), simulatedHeaders: { get: () => undefined } });
  assert.equal(r.ok, false);
  const d = r.diagnostics.find((x) => x.severity === 'error');
  assert.ok(d, 'an error');
  assert.equal(d.line, 2);
  assert.match(d.message, /packed\?/);
});
