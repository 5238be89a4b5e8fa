// The execution engine on small programs: exact C semantics, faults with source lines,
// suspension at every statement with snapshot/restore giving identical results.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, formatDiagnostic, MemoryFileHost } from '../../kernel-sim/c';
import { loadSimulatedHeaders } from '../../node-host/files';
import { loadProgram } from '../../kernel-sim/vm/loader';
import { Memory } from '../../kernel-sim/vm/memory';
import { Cpu, ProgramExit, type StopReason, type Value } from '../../kernel-sim/vm/runtime';
import { Heap, hostedLibrary } from '../../kernel-sim/vm/crt/hosted';

const headers = loadSimulatedHeaders();

interface Run {
  out: string[];
  result: StopReason;
  cpu: Cpu;
  mem: Memory;
}

/** Compiles `src` and prepares main; natives: out(long long), outd(double), exit(int). */
function prepare(src: string): { cpu: Cpu; mem: Memory; out: string[] } {
  const prelude = 'void out(long long v); void outd(double d); void outs(const char *s); void exit(int);\n';
  const r = compile(['/t/main.c'], { host: new MemoryFileHost({ '/t/main.c': prelude + src }), simulatedHeaders: headers });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  const mem = new Memory({ size: 16 << 20 });
  const stack = mem.map('stack', 'stack', 256 << 10);
  assert.ok(stack);
  const out: string[] = [];
  const img = loadProgram(r.program, mem, {
    out: { name: 'out', call: (_c, a) => void out.push(String(a[0])) },
    outd: { name: 'outd', call: (_c, a) => void out.push(Number(a[0]).toPrecision(17)) },
    outs: { name: 'outs', call: (c, a) => void out.push(new TextDecoder().decode(c.mem.readCString(Number(a[0])))) },
    exit: {
      name: 'exit',
      call: (_c, a) => {
        throw new ProgramExit(Number(a[0]));
      },
    },
  });
  const main = img.functions.get('main');
  assert.ok(main, 'main');
  const cpu = new Cpu(img.prog, stack);
  cpu.enter(main, [], []);
  return { cpu, mem, out };
}

function run(src: string): Run {
  const p = prepare(src);
  return { ...p, result: p.cpu.run() };
}

function values(src: string): string[] {
  const r = run(src);
  assert.equal(r.result.kind, 'returned', JSON.stringify(r.result, (_k, v: Value) => (typeof v === 'bigint' ? `${v}` : v)));
  return r.out;
}

test('32-bit integer arithmetic wraps and converts like x64', () => {
  assert.deepEqual(
    values(`int main(void) {
      int i = 0x7fffffff; unsigned u = 0; short s = -1; unsigned char c = 200; signed char sc = 100;
      out(i + 1 > 0 ? 1 : 0);           /* (wraps on x64) */
      out(u - 1);
      out((unsigned short)s);
      out(c + c);
      out((signed char)(sc + sc));
      out(-7 / 2); out(-7 % 2); out(7u / 2u); out(0xffffffffu % 10u);
      out(1 << 31); out(-16 >> 2); out(0x80000000u >> 4);
      out(-1 < 0u); out((int)3000000000u);
      out(5 * -3); out(65536 * 65536);
      return 0; }`),
    ['0', '4294967295', '65535', '400', '-56', '-3', '-1', '3', '5', '-2147483648', '-4', '134217728', '0', '-1294967296', '-15', '0'],
  );
});

test('64-bit arithmetic, LARGE_INTEGER-style unions and conversions', () => {
  assert.deepEqual(
    values(`
      typedef union { struct { unsigned int Low; int High; }; long long Quad; } LI;
      int main(void) {
        long long a = 0x7fffffffffffffffLL; unsigned long long b = 0;
        LI li; li.Quad = -2;
        out(a + 1); out(b - 1); /* out() takes long long */ out(a / -3); out(a % 1000); out((unsigned long long)-1 >> 60);
        out(li.Low); out(li.High); li.High = 5; out(li.Quad);
        out((int)0x123456789LL); out((long long)-5 * 3000000000LL);
        out((unsigned int)-1 + 1ULL);
        return 0; }`),
    ['-9223372036854775808', '-1', '-3074457345618258602', '807', '15', '4294967294', '-1', '25769803774', '591751049', '-15000000000', '4294967296'],
  );
});

test('structs, bitfields, arrays, pointers and CONTAINING_RECORD', () => {
  assert.deepEqual(
    values(`
      #include <wdm.h>
      typedef struct _PKT { ULONG Id; LIST_ENTRY Link; struct { unsigned a : 3, b : 5; int s : 4; } f; } PKT;
      struct V { int x, y; };
      struct V add(struct V a, struct V b) { struct V r = { a.x + b.x, a.y + b.y }; return r; }
      int main(void) {
        PKT pk[3]; LIST_ENTRY head; int i; struct V v = { 1, 2 }, w;
        InitializeListHead(&head);
        for (i = 0; i < 3; i++) { pk[i].Id = 10 + i; InsertTailList(&head, &pk[i].Link); }
        for (PLIST_ENTRY e = head.Flink; e != &head; e = e->Flink) out(CONTAINING_RECORD(e, PKT, Link)->Id);
        pk[0].f.a = 9; pk[0].f.b = 31; pk[0].f.s = 7; pk[0].f.s++;
        out(pk[0].f.a); out(pk[0].f.b); out(pk[0].f.s);
        w = add(v, v); w = add(w, v);
        out(w.x); out(w.y);
        out(&pk[2] - &pk[0]); out((char *)&pk[1] - (char *)&pk[0]); /* 4 + 4 pad + 16 + one 4-byte bitfield unit (MSVC) */
        return 0; }`),
    ['10', '11', '12', '1', '31', '-8', '3', '6', '2', '32'],
  );
});

test('function pointers, recursion, switch with fallthrough, goto', () => {
  assert.deepEqual(
    values(`
      static int twice(int x) { return 2 * x; }
      static int sq(int x) { return x * x; }
      int (*ops[2])(int) = { twice, sq };
      int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
      int classify(int c) { int r = 0; switch (c) { case 1: r += 1; case 2: r += 2; break; case 3 ... 5: r = 35; break; default: r = -1; } return r; }
      int main(void) {
        int i = 0, n = 0;
        out(ops[0](5) + ops[1](5)); out(((int (*)(int))ops[1])(7));
        out(fib(20));
        out(classify(1)); out(classify(2)); out(classify(4)); out(classify(9));
      again:
        n += i++;
        if (i < 5) goto again;
        out(n);
        return 0; }`),
    ['35', '49', '6765', '3', '2', '35', '-1', '10'],
  );
});

test('varargs with va_list over ints, long long and double', () => {
  assert.deepEqual(
    values(`
      #include <stdarg.h>
      double sum(int n, ...) { va_list ap; double s = 0; int i; va_start(ap, n);
        for (i = 0; i < n; i++) { int k = va_arg(ap, int); if (k == 1) s += va_arg(ap, long long); else s += va_arg(ap, double); }
        va_end(ap); return s; }
      int main(void) { outd(sum(3, 1, 5000000000LL, 2, 0.25, 1, -1LL)); return 0; }`),
    ['4999999999.2500000'],
  );
});

test('floating point: float rounding, conversions, static initializers', () => {
  assert.deepEqual(
    values(`
      double g = 1.0 / 3; float gf = 0.1f;
      int main(void) { float f = 16777216.0f; f += 1.0f; double d = 1e300;
        outd(g); outd(gf); outd(f); out((int)-2.7); out((unsigned)3.9); outd(d * 10); outd((float)d);
        return 0; }`),
    ['0.33333333333333331', '0.10000000149011612', '16777216.000000000', '-2', '3', (1e300 * 10).toPrecision(17), 'Infinity'],
  );
});

test('globals with designated initializers, strings and addresses of globals', () => {
  assert.deepEqual(
    values(`
      struct S { int a; const char *name; int *p; } table[] = { { 1, "one", 0 }, [2] = { .name = "three", .a = 3 } };
      int x = 42; int *px = &x; char buf[8] = "hey";
      int main(void) { outs(table[0].name); outs(table[2].name); out(table[2].a); out(*px); outs(buf); out(sizeof table / sizeof table[0]); return 0; }`),
    ['one', 'three', '3', '42', 'hey', '3'],
  );
});

test('main returning a value, and exit()', () => {
  const r = run('int main(void) { return 7; }');
  assert.deepEqual(r.result, { kind: 'returned', value: 7 });
  const e = run('int f(void) { exit(9); return 0; } int main(void) { f(); return 1; }');
  assert.deepEqual(e.result, { kind: 'exit', status: 9 });
});

function faultOf(src: string): { kind: string; message: string; line: number | undefined } {
  const r = run(src);
  assert.equal(r.result.kind, 'fault');
  if (r.result.kind !== 'fault') throw new Error('unreachable');
  return { kind: r.result.fault.kind, message: r.result.fault.message, line: r.result.fault.pos?.line };
}

test('faults: NULL dereference, wild pointer, divide by zero, stack overflow — with the source line', () => {
  const nul = faultOf('int main(void)\n{\n  int *p = 0;\n  return *p;\n}\n');
  assert.equal(nul.kind, 'memory');
  assert.match(nul.message, /read of 4 bytes at 0000000000000000: null/);
  assert.equal(nul.line, 5); // line 1 of the test source is the prelude
  const wild = faultOf('int main(void)\n{\n  int *p = (int *)0x12345678abcdULL;\n  *p = 1;\n  return 0;\n}\n');
  assert.match(wild.message, /write of 4 bytes at 000012345678abcd: unmapped/);
  assert.equal(wild.line, 5);
  const div = faultOf('int z;\nint main(void)\n{\n  return 10 / z;\n}\n');
  assert.equal(div.kind, 'divide');
  assert.equal(div.line, 5);
  const so = faultOf('int down(int n) { int pad[64]; pad[0] = n; return down(n + 1) + pad[0]; }\nint main(void) { return down(0); }\n');
  assert.equal(so.kind, 'stack-overflow');
});

test('an infinite loop is stopped by the statement budget, not hung', () => {
  const p = prepare('int main(void) { volatile int x = 0; for (;;) x++; return 0; }');
  p.cpu.budget = 100000;
  const r = p.cpu.run();
  assert.equal(r.kind, 'suspended');
});

test('stop at every statement, snapshot, restore, resume: identical results', () => {
  const src = `
    struct N { int v; struct N *next; };
    static int depth(struct N *n) { return n ? 1 + depth(n->next) : 0; }
    long long mix(long long h, int v) { return h * 31 + v; }
    int main(void) {
      struct N nodes[6]; int i; long long h = 7;
      for (i = 0; i < 6; i++) { nodes[i].v = i * i; nodes[i].next = i < 5 ? &nodes[i + 1] : 0; }
      for (i = 0; i < 6; i++) h = mix(h, nodes[i].v);
      out(h); out(depth(&nodes[0]));
      switch (depth(&nodes[2])) { case 4: out(4); default: out(99); }
      return (int)(h & 0x7f);
    }`;
  const reference = run(src);
  assert.equal(reference.result.kind, 'returned');

  const p = prepare(src);
  let steps = 0;
  let result: StopReason;
  for (;;) {
    p.cpu.budget = 0; // suspend at the next statement
    result = p.cpu.run();
    if (result.kind !== 'suspended') break;
    steps++;
    // Snapshot, disturb, restore: the run must not notice.
    const memSnap = p.mem.snapshot();
    const cpuSnap = p.cpu.snapshot();
    p.mem.fill(memSnap.regions[0].start, 0xcc, 64);
    p.cpu.restore(cpuSnap);
    p.mem.restore(memSnap);
  }
  assert.ok(steps > 60, `stopped ${steps} times`);
  assert.deepEqual(result, reference.result);
  assert.deepEqual(p.out, reference.out);
});

test('a native calling back into C (qsort) suspends and resumes inside the callback, with snapshots', () => {
  const src = `
    #include <stdlib.h>
    static int calls;
    static int cmp(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; calls++; return (x > y) - (x < y); }
    int main(void) {
      int v[7] = { 5, -1, 9, 3, 3, 0, -7 }, i;
      qsort(v, 7, sizeof v[0], cmp);
      for (i = 0; i < 7; i++) out(v[i]);
      out(calls);
      return 0;
    }`;
  const setup = (): { cpu: Cpu; mem: Memory; out: string[] } => {
    const r = compile(['/t/q.c'], { host: new MemoryFileHost({ '/t/q.c': 'void out(long long v);\n' + src }), simulatedHeaders: headers });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
    const mem = new Memory({ size: 16 << 20 });
    const stack = mem.map('stack', 'stack', 256 << 10)!;
    const heap = new Heap(mem, mem.map('heap', 'heap', 1 << 20)!);
    const out: string[] = [];
    const lib = hostedLibrary({ stdout: () => undefined, stderr: () => undefined }, heap);
    lib.out = { name: 'out', call: (_c, a) => void out.push(String(a[0])) };
    const img = loadProgram(r.program, mem, lib);
    const cpu = new Cpu(img.prog, stack);
    cpu.enter(img.functions.get('main')!, [], []);
    return { cpu, mem, out };
  };
  const ref = setup();
  const refResult = ref.cpu.run();
  assert.deepEqual(ref.out.slice(0, 7), ['-7', '-1', '0', '3', '3', '5', '9']);

  const p = setup();
  let insideCallback = 0;
  let result: StopReason;
  for (;;) {
    p.cpu.budget = 0;
    result = p.cpu.run();
    if (result.kind !== 'suspended') break;
    if (p.cpu.frames.some((f) => f.fn.name === 'qsort') && result.frame.fn.name === 'cmp') insideCallback++;
    const snap = { m: p.mem.snapshot(), c: p.cpu.snapshot() };
    p.cpu.restore(snap.c);
    p.mem.restore(snap.m);
  }
  assert.ok(insideCallback > 10, `suspended ${insideCallback} times inside the comparator under qsort`);
  assert.deepEqual(result, refResult);
  assert.deepEqual(p.out, ref.out);
});

test('scalar compound literals are values; argument side effects run right to left like x64 compilers', () => {
  assert.deepEqual(
    values(`
      static int calls;
      static int f(int n) { calls++; return n * 2; }
      static long long pair(int a, int b, int c) { return a * 10000LL + b * 100 + c; }
      int main(void) { int a = (int){7}; double d = (double){2.5}; int *p = &(int){5};
        out(a); outd(d); out(*p);
        out(pair(calls, f(3), calls));
        return 0; }`),
    ['7', '2.5000000000000000', '5', '10600'],
  );
});

test('an interrupt-style activation runs to completion on top of a suspended one, which then resumes unchanged', () => {
  const src = `
    static volatile int shared;
    static int isrCount;
    int Isr(int vector) { isrCount++; shared += vector; return 1; }
    int main(void) {
      int i, acc = 0;
      for (i = 0; i < 20; i++) acc += i * 3 + shared;
      out(acc); out(isrCount); out(shared);
      return 0;
    }`;
  const interrupted = (): string[] => {
    const q = prepare(src);
    q.cpu.budget = 30;
    q.cpu.run();
    const b = q.cpu.frames.length;
    const f = [...q.cpu.prog.callables.values()].find((c) => c.name === 'Isr');
    assert.ok(f && 'code' in f);
    q.cpu.budget = Number.MAX_SAFE_INTEGER;
    q.cpu.enter(f, [5], []);
    q.cpu.run(b);
    q.cpu.run();
    return q.out;
  };
  const p = prepare(src);
  // Run main until it is inside its loop, then take an "interrupt" there.
  p.cpu.budget = 30;
  const first = p.cpu.run();
  assert.equal(first.kind, 'suspended');
  const base = p.cpu.frames.length;
  const isr = (p.cpu.prog.callables.get([...p.cpu.prog.callables.keys()].find((a) => p.cpu.prog.callables.get(a)?.name === 'Isr') as number));
  assert.ok(isr && 'code' in isr);
  p.cpu.budget = Number.MAX_SAFE_INTEGER;
  p.cpu.enter(isr, [5], []);
  const isrResult = p.cpu.run(base);
  assert.deepEqual(isrResult, { kind: 'returned', value: 1 });
  assert.equal(p.cpu.frames.length, base, 'the interrupted frames are still there');
  const end = p.cpu.run();
  assert.equal(end.kind, 'returned');
  // The ISR's effect is visible to the rest of the loop, as a real interrupt's would be.
  assert.equal(p.out[1], '1');
  assert.equal(p.out[2], '5');
  // acc = 3 * (0 + ... + 19) = 570, plus 5 for each iteration after the interrupt.
  const extra = Number(p.out[0]) - 570;
  assert.ok(extra > 0 && extra < 100 && extra % 5 === 0, `acc ${p.out[0]}`);
  // Deterministic: the same interruption point gives the same run.
  assert.deepEqual(interrupted(), p.out);
});
