// Parser and checker: declarations, statements, expressions, initializers, typing, positions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileText, fn, global, messages, record, statements, typedef } from './front-end-util';
import { typeToString } from '../../kernel-sim/c/types';
import { compile, MemoryFileHost } from '../../kernel-sim/c';
import type { Expr } from '../../kernel-sim/c/ast';
import { evalInteger } from '../../kernel-sim/c/consteval';

function ok(src: string, files: Record<string, string> = {}): ReturnType<typeof compileText> {
  const r = compileText(src, files);
  assert.deepEqual(messages(r, 'error'), [], 'unexpected errors');
  return r;
}

function firstReturn(r: ReturnType<typeof compileText>, name: string): Expr {
  const s = statements(fn(r, name)).find((x) => x.kind === 'return');
  assert.ok(s && s.kind === 'return' && s.value);
  return s.value;
}

test('basic and MSVC integer types have LLP64 sizes', () => {
  const r = ok(`
    _Static_assert(sizeof(char) == 1 && sizeof(short) == 2 && sizeof(int) == 4, "");
    _Static_assert(sizeof(long) == 4 && sizeof(long long) == 8 && sizeof(void *) == 8, "");
    _Static_assert(sizeof(__int8) == 1 && sizeof(__int16) == 2 && sizeof(__int32) == 4 && sizeof(__int64) == 8, "");
    _Static_assert(sizeof(unsigned __int64) == 8 && sizeof(long double) == 8 && sizeof(double) == 8, "");
    _Static_assert(_Alignof(long long) == 8 && __alignof(short) == 2, "");
    _Static_assert((char)-1 < 0, "plain char is signed");
    typedef unsigned __int64 ULONG64;
  `);
  assert.equal(typeToString(typedef(r, 'ULONG64')), 'ULONG64');
});

test('integer constants get MSVC LLP64 types', () => {
  const r = ok(`
    _Static_assert(sizeof(2147483647) == 4, "int");
    _Static_assert(sizeof(2147483648) == 4 && 2147483648 > 0, "unsigned long (MSVC)");
    _Static_assert(sizeof(4294967296) == 8, "long long");
    _Static_assert(sizeof(0xFFFFFFFF) == 4 && 0xFFFFFFFF > 0, "unsigned int");
    _Static_assert(sizeof(1ui64) == 8 && sizeof(1i64) == 8 && sizeof(1ULL) == 8 && sizeof(1L) == 4, "suffixes");
    _Static_assert('tPnI' == 0x74506E49, "multi-char");
    _Static_assert(-1 / 2 == 0 && -7 % 3 == -1 && (1u << 31) == 0x80000000u, "arith");
    _Static_assert((unsigned char)300 == 44 && (signed char)200 == -56, "wrap");
    _Static_assert(-1 < 0u == 0, "usual arithmetic conversions");
    _Static_assert(sizeof(L'x') == 2, "wchar_t");
  `);
  assert.ok(r.ok);
});

test('declarators: pointers, arrays, function pointers, abstract declarators', () => {
  const r = ok(`
    int *a[3];
    int (*b)[3];
    int (*(*c)(int))(char);
    void (__stdcall *d)(void);
    typedef int (__cdecl *CMP)(const void *, const void *);
    int e = sizeof(int (*)[4]) + sizeof(char *[5]);
  `);
  assert.equal(typeToString(global(r, 'a').type), 'int *[3]');
  assert.equal(typeToString(global(r, 'b').type), 'int (*)[3]');
  assert.equal(typeToString(global(r, 'c').type), 'int (*(*)(int))(char)');
  assert.equal(global(r, 'a').type.size, 24);
  assert.equal(global(r, 'b').type.size, 8);
  const cmp = typedef(r, 'CMP');
  assert.equal(cmp.kind, 'ptr');
});

test('function declared through a function typedef, then defined', () => {
  const r = ok(`
    typedef unsigned char BOOLEAN;
    typedef struct _KINTERRUPT *PKINTERRUPT;
    typedef BOOLEAN KSERVICE_ROUTINE(PKINTERRUPT Interrupt, void *ServiceContext);
    typedef KSERVICE_ROUTINE *PKSERVICE_ROUTINE;
    KSERVICE_ROUTINE MyIsr;
    PKSERVICE_ROUTINE g = MyIsr;
    BOOLEAN MyIsr(PKINTERRUPT Interrupt, void *Context) { (void)Interrupt; return Context != 0; }
  `);
  const f = fn(r, 'MyIsr');
  assert.ok(f.body);
  assert.equal(f.attrs.functionClass, 'KSERVICE_ROUTINE');
  assert.deepEqual(f.params.map((p) => p.name), ['Interrupt', 'Context']);
});

test('conflicting definition of a typedef-declared function is an error', () => {
  const r = compileText(`
    typedef int ROUTINE(int a);
    ROUTINE R;
    int R(char *p) { return 0; }
  `);
  assert.match(messages(r, 'error').join('\n'), /main\.c:4:9: error: conflicting types for 'R'/);
});

test('anonymous struct and union members are reachable and laid out', () => {
  const r = ok(`
    typedef union _LARGE_INTEGER {
      struct { unsigned int LowPart; int HighPart; };
      struct { unsigned int LowPart; int HighPart; } u;
      long long QuadPart;
    } LARGE_INTEGER;
    struct S { int tag; union { int i; char *p; }; struct { short a, b; }; };
    int f(LARGE_INTEGER *li, struct S *s) { return li->HighPart + li->u.LowPart + s->i + s->b; }
  `);
  const s = record(r, 'S');
  assert.equal(s.size, 24);
  assert.equal(typedef(r, 'LARGE_INTEGER').size, 8);
});

test('bitfields follow MSVC unit rules', () => {
  const r = ok(`
    struct A { char a; int b : 3; int c : 5; short d : 2; char e; };
    struct B { unsigned int x : 31; unsigned int y : 2; };
    struct C { int a : 4; int : 0; int b : 4; };
    struct D { char a : 4; long long b : 4; };
  `);
  assert.equal(record(r, 'A').size, 12);
  assert.deepEqual(record(r, 'A').members.map((m) => [m.name, m.offset, m.bitOffset]), [
    ['a', 0, undefined],
    ['b', 4, 0],
    ['c', 4, 3],
    ['d', 8, 0],
    ['e', 10, undefined],
  ]);
  assert.equal(record(r, 'B').size, 8);
  assert.equal(record(r, 'C').size, 8);
  assert.equal(record(r, 'D').size, 16);
});

test('#pragma pack changes member alignment', () => {
  const r = ok(`
    #pragma pack(push, 4)
    struct P { int a; long long b; };
    #pragma pack(pop)
    struct Q { int a; long long b; };
    #pragma pack(1)
    struct R { char a; int b; };
    #pragma pack()
  `);
  assert.equal(record(r, 'P').size, 12);
  assert.equal(record(r, 'Q').size, 16);
  assert.equal(record(r, 'R').size, 5);
});

test('initializers: nested, designated, brace elision, strings, open arrays', () => {
  const r = ok(`
    struct P { int x, y; };
    struct L { struct P a, b; int n[3]; };
    int arr[] = { 1, 2, [6] = 7, 8 };
    char s[] = "abc";
    char t[8] = { "xy" };
    unsigned short w[] = L"wide";
    struct L l = { { 1, 2 }, .b.y = 5, .n = { [2] = 9 } };
    struct L elided = { 1, 2, 3, 4, 5, 6, 7 };
    struct P pts[] = { 1, 2, 3, 4, 5 };
    int *ptr = &arr[2];
    union U { int i; char c[4]; } u = { .c = { 1, 2 } };
  `);
  assert.equal(global(r, 'arr').type.size, 8 * 4);
  assert.equal(global(r, 's').type.size, 4);
  assert.equal(global(r, 'w').type.size, 10);
  assert.equal(global(r, 'pts').type.size, 3 * 8);
  const el = global(r, 'elided').init!.items;
  assert.deepEqual(
    el.map((i) => [i.offset, i.kind === 'expr' ? evalInteger(i.expr) : null]),
    [[0, 1n], [4, 2n], [8, 3n], [12, 4n], [16, 5n], [20, 6n], [24, 7n]],
  );
  const l = global(r, 'l').init!.items;
  assert.deepEqual(
    l.map((i) => [i.offset, i.kind === 'expr' ? evalInteger(i.expr) : null]),
    [[0, 1n], [4, 2n], [12, 5n], [24, 9n]],
  );
});

test('non-constant static initializer is an error', () => {
  const r = compileText(`int f(void); int x = f();`);
  assert.match(messages(r, 'error').join('\n'), /main\.c:1:22: error: initializer element is not a compile-time constant/);
});

test('compound literals and casts', () => {
  const r = ok(`
    struct P { int x, y; };
    int f(void) { struct P *p = &(struct P){ 1, 2 }; return p->y + ((int[]){ 4, 5 })[1]; }
  `);
  assert.equal(fn(r, 'f').locals.filter((v) => v.name === '(compound literal)').length, 2);
});

test('statements: switch with fallthrough and labels in cases, goto, loops', () => {
  const r = ok(`
    int f(int n) {
      int acc = 0;
      switch (n) {
      case 0:
        acc++;
      case 1: {
        again:
        acc += 2;
        if (acc < 10) goto again;
        break;
      }
      case 2 ... 4:
        do { acc--; } while (acc > 0);
        /* fallthrough */
      default:
        for (int i = 0; i < n; i++) { if (i & 1) continue; acc ^= i; }
      }
      while (acc > 100) acc >>= 1;
      return acc;
    }
  `);
  const kinds = statements(fn(r, 'f')).map((s) => s.kind);
  for (const k of ['switch', 'case', 'label', 'goto', 'do', 'for', 'while', 'default', 'break', 'continue']) assert.ok(kinds.includes(k as never), k);
  const sw = statements(fn(r, 'f')).find((s) => s.kind === 'switch');
  assert.ok(sw && sw.kind === 'switch');
  assert.equal(sw.cases.length, 3);
  assert.ok(sw.defaultCase);
});

test('expression typing: usual conversions, pointer arithmetic, comparisons', () => {
  const r = ok(`
    unsigned char uc; short sh; unsigned u; long long ll; double d; int *p; int a[4];
    long long f1(void) { return p - a; }
    int f2(void) { return uc + sh; }
    unsigned f3(void) { return u + 1; }
    double f4(void) { return ll * d; }
  `);
  const diff = firstReturn(r, 'f1');
  assert.equal(diff.kind === 'cast' ? diff.operand.kind : diff.kind, 'ptrdiff');
  const add = firstReturn(r, 'f2');
  assert.equal(add.kind, 'binary');
  assert.equal(typeToString(add.type), 'int');
});

test('CONTAINING_RECORD and FIELD_OFFSET fold to constants', () => {
  const r = ok(`
    typedef struct _LIST_ENTRY { struct _LIST_ENTRY *Flink, *Blink; } LIST_ENTRY;
    typedef struct _PKT { int Id; LIST_ENTRY Link; } PKT;
    #define FIELD_OFFSET(type, field) ((long)(long long)&(((type *)0)->field))
    #define CONTAINING_RECORD(address, type, field) ((type *)((char *)(address) - (unsigned long long)(&((type *)0)->field)))
    _Static_assert(FIELD_OFFSET(PKT, Link) == 8, "offset");
    _Static_assert(__builtin_offsetof(PKT, Link.Blink) == 16, "nested offsetof");
    PKT *from(LIST_ENTRY *e) { return CONTAINING_RECORD(e, PKT, Link); }
  `);
  assert.ok(fn(r, 'from').body);
});

test('statement positions map through macros to the invocation line', () => {
  const r = ok(`int g;
#define BUMP(x) \\
  do { (x)++; } while (0)
void f(void)
{
  BUMP(g);
  g = 2;
}
`);
  const lines = statements(fn(r, 'f'))
    .filter((s) => s.kind !== 'block')
    .map((s) => s.pos.line);
  assert.deepEqual(lines, [6, 6, 7]);
  assert.ok(lines.includes(7));
  assert.equal(fn(r, 'f').endPos?.line, 8);
});

test('diagnostics in a macro expansion carry an expansion note', () => {
  const r = compileText(`#define USE(v) ((v)->missing)
struct S { int a; };
int f(struct S *s) { return USE(s); }
`);
  const all = messages(r, 'error').join('\n');
  assert.match(all, /main\.c:3:29: error: 'struct S' has no member named 'missing'/);
  assert.match(all, /note: in expansion of macro 'USE'/);
});

test('SAL IRQL annotations are recovered from attributes', () => {
  const r = ok(`
    __attribute__((kdsim_irql("requires_max", 2))) void KeSetEventLike(void);
    __attribute__((kdsim_irql("raises", NewIrql))) void Raise(unsigned char NewIrql);
    __attribute__((kdsim_irql_requires(2))) void Dpc(void);
    __declspec(code_seg("PAGE")) void Paged(void) {}
  `);
  assert.deepEqual(fn(r, 'KeSetEventLike').attrs.irql, [{ kind: 'requires_max', args: [2n] }]);
  assert.deepEqual(fn(r, 'Dpc').attrs.irql, [{ kind: 'requires', args: [2n] }]);
  assert.deepEqual(fn(r, 'Raise').attrs.irql, [{ kind: 'raises', args: [], names: ['NewIrql'] }]);
  assert.equal(fn(r, 'Paged').attrs.section, 'PAGE');
});

test('#pragma alloc_text puts functions in the PAGE section', () => {
  const r = ok(`
    void AddDevice(void);
    #pragma alloc_text(PAGE, AddDevice)
    void AddDevice(void) {}
  `);
  assert.equal(fn(r, 'AddDevice').attrs.section, 'PAGE');
});

test('varargs builtins and __FUNCTION__', () => {
  const r = ok(`
    typedef char *va_list;
    int sum(int n, ...) { va_list ap; int s = 0; __builtin_va_start(ap, n); while (n--) s += __builtin_va_arg(ap, int); __builtin_va_end(ap); return s; }
    const char *name(void) { return __FUNCTION__; }
  `);
  assert.equal(fn(r, 'sum').hasVarargs, true);
  const v = firstReturn(r, 'name');
  const str = v.kind === 'cast' || v.kind === 'decay' ? v.operand : v;
  assert.equal(str.kind, 'str');
});

test('multiple translation units share functions; statics stay private', () => {
  const r = compileText(`static int helper(void) { return 1; } int api(void) { return helper(); }`);
  assert.ok(r.ok);
});

test('recovers after a syntax error and reports a later one', () => {
  const r = compileText(`
int f(void) { int x = ; return 0; }
int g(void) { return y; }
int h(void) { return 1; }
`);
  const errs = messages(r, 'error');
  assert.equal(errs.length, 2, errs.join('\n'));
  assert.match(errs[0], /main\.c:2:23: error: expected expression before ';'/);
  assert.match(errs[1], /main\.c:3:22: error: use of undeclared identifier 'y'/);
  assert.ok(fn(r, 'h').body);
});

test('includes resolve relative to the file, then -I', () => {
  const r = ok(`#include "a.h"\n#include <b.h>\nint z = A + B;`, { 'a.h': '#define A 1', 'inc/b.h': '#define B 2' });
  assert.equal(evalInteger((global(r, 'z').init!.items[0] as { expr: Expr }).expr), 3n);
});

test('a typedef or qualified use of a struct declared before its body sees the completed type', () => {
  const r = ok(`
    typedef struct _KDPC KDPC, *PKDPC;
    typedef const struct _KDPC *PCKDPC;
    struct _KDPC { unsigned char Type; void *DeferredContext; };
    int f(PCKDPC d, KDPC *k) { return sizeof(KDPC) + (d->Type == k->Type); }
    KDPC g;
  `);
  assert.equal(typedef(r, 'KDPC').size, 16);
  assert.equal(global(r, 'g').type.size, 16);
});

test('two translation units including the same header: shared struct types and inline helpers', () => {
  const header = `
    #pragma once
    typedef struct _LIST_ENTRY { struct _LIST_ENTRY *Flink, *Blink; } LIST_ENTRY, *PLIST_ENTRY;
    typedef enum { ModeA, ModeB } MODE;
    void Use(PLIST_ENTRY e, MODE m);
    __forceinline int IsListEmpty(const LIST_ENTRY *h) { return h->Flink == h; }
  `;
  const host = new MemoryFileHost({ '/p/h.h': header, '/p/a.c': '#include "h.h"\nint a(LIST_ENTRY *e) { return IsListEmpty(e); }', '/p/b.c': '#include "h.h"\nint b(LIST_ENTRY *e) { Use(e, ModeB); return IsListEmpty(e); }' });
  const r = compile(['/p/a.c', '/p/b.c'], { host, simulatedHeaders: { get: () => undefined } });
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  assert.equal(r.program.functions.filter((f) => f.name === 'IsListEmpty').length, 1);
});

test('the same non-inline function defined in two units is a redefinition', () => {
  const host = new MemoryFileHost({ '/p/a.c': 'int f(void) { return 1; }', '/p/b.c': 'int f(void) { return 2; }' });
  const r = compile(['/p/a.c', '/p/b.c'], { host, simulatedHeaders: { get: () => undefined } });
  assert.match(r.diagnostics.map((d) => `${d.path}:${d.line}:${d.col}: ${d.message}`).join('\n'), /\/p\/b\.c:1:5: redefinition of 'f'/);
});

test('_Generic selects by the controlling expression type after lvalue conversion', () => {
  const r = ok(`
    #define KIND(x) _Generic((x), int: 1, unsigned: 2, char *: 3, const char *: 4, default: 0)
    char buf[2]; const int ci = 1; float f;
    _Static_assert(KIND(ci) == 1 && KIND(1u) == 2 && KIND(buf) == 3 && KIND((const char *)buf) == 4 && KIND(f) == 0, "");
  `);
  assert.ok(r.ok);
  const bad = compileText('int x = _Generic(1.0, int: 1);');
  assert.match(messages(bad, 'error').join('\n'), /not compatible with any generic association/);
});

test('C89 implicit int for a function definition at file scope is a warning', () => {
  const r = compileText('main() { return 0; }');
  assert.deepEqual(messages(r, 'error'), []);
  assert.match(messages(r, 'warning').join('\n'), /type specifier missing, defaults to int/);
});

test('a type declared in an if/while/switch condition does not leak out (C99 6.8.4p3)', () => {
  const r = ok(`
    enum { in = 0 };
    int f(void) { if (sizeof(enum { in = 1 })) {} while (sizeof(enum { in = 2 }) == 0) {} return in; }
    _Static_assert(sizeof(int) == 4, "");
  `);
  assert.ok(fn(r, 'f').body);
});

test('floating comparisons are arithmetic constant expressions in static initializers', () => {
  const r = ok('static int e1 = -1.0 < 0.0; int e2 = !0.0; int e3 = (int)(1.5 < 2.0) + 2;');
  assert.equal(evalInteger((global(r, 'e1').init!.items[0] as { expr: Expr }).expr), 1n);
});
