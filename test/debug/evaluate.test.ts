// The debugger's C expression evaluator (kernel-sim/debug/evaluate.ts) on a small driver
// compiled with <ntddk.h> and loaded into simulated memory; a frame of Walk() holds
// parameters and locals both in register-like slots and in stack memory.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, formatDiagnostic, MemoryFileHost } from '../../kernel-sim/c';
import type { Program, VarObj } from '../../kernel-sim/c/ast';
import { typeToString } from '../../kernel-sim/c/types';
import { loadSimulatedHeaders } from '../../node-host/files';
import { evaluate, type EvalScope, isTrue } from '../../kernel-sim/debug/evaluate';
import { hexAddress, type TypedValue, ValueReader } from '../../kernel-sim/debug/values';
import { type LoadedImage, loadProgram } from '../../kernel-sim/vm/loader';
import { Memory, toUnsigned } from '../../kernel-sim/vm/memory';
import type { Frame, Value } from '../../kernel-sim/vm/runtime';

const SOURCE = `#include <ntddk.h>

typedef struct _NODE {
    struct _NODE *Next;
    ULONG Value;
    union {
        ULONG Raw;
        struct { ULONG Low : 4; ULONG Mid : 12; ULONG High : 16; };
    };
    USHORT Counts[4];
} NODE, *PNODE;

typedef enum _COLOR { Red, Green = 5, Blue } COLOR;

NODE Nodes[3] = {
    { &Nodes[1], 10, { 0xABCDE123 }, { 1, 2, 3, 4 } },
    { &Nodes[2], 20 },
    { NULL, 30 },
};
PNODE Head = &Nodes[0];
ULONG Table[8] = { 10, 20, 30, 40, 50, 60, 70, 80 };
LONGLONG Big = -5;
double Ratio = 2.5;
KDPC Dpc;
PDEVICE_OBJECT Fdo;
COLOR Color = Blue;
char Name[8] = "kdsim";

static int Helper(int x) { return x + 1; }

VOID Walk(PNODE start, int n)
{
    static int Calls = 7;
    int i;
    PNODE cur = start;
    ULONG sum = 0;
    Calls++;
    for (i = 0; i < n; i++) { sum += cur->Value; cur = cur->Next; }
    Helper((int)sum);
    KeInsertQueueDpc(&Dpc, &i, NULL);
}

int Other(int Big) { return Big + (int)Head->Value; }
`;

/** Reader that remembers every address it was asked for (short-circuit must read nothing). */
class SpyReader extends ValueReader {
  readonly reads: number[] = [];
  override bytes(address: number, size: number): Uint8Array | undefined {
    this.reads.push(address);
    return super.bytes(address, size);
  }
}

let program: Program;
let mem: Memory;
let img: LoadedImage;
let reader: SpyReader;
let frame: Frame;
let stackBase: number;
let walk: EvalScope;
let fileScope: EvalScope;

function varsOf(fn: string): Map<string, VarObj> {
  const f = program.functions.find((x) => x.name === fn);
  assert.ok(f, fn);
  return new Map([...f.params, ...f.locals].map((v) => [v.name, v]));
}

function scopeWith(locals: Array<{ v: VarObj; tv: TypedValue }>): EvalScope {
  const globals = new Map<string, TypedValue>();
  for (const [v, address] of img.globals) globals.set(v.name, { type: v.type, loc: { kind: 'memory', address } });
  return {
    program,
    locals,
    global: (name) => globals.get(name),
    functionAddress: (name) => img.functions.get(name)?.address ?? img.natives.get(name)?.address,
    reader,
  };
}

function globalAddress(name: string): number {
  for (const [v, a] of img.globals) if (v.name === name) return a;
  assert.fail(name);
}

before(() => {
  const r = compile(['/drv/t.c'], { host: new MemoryFileHost({ '/drv/t.c': SOURCE }), simulatedHeaders: loadSimulatedHeaders(), includePaths: ['/drv'] });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  program = r.program;
  mem = new Memory({ size: 16 << 20 });
  img = loadProgram(program, mem, { KeInsertQueueDpc: { name: 'KeInsertQueueDpc', call: () => 1 } });
  const stack = mem.map('stack', 'stack', 4096);
  assert.ok(stack);
  stackBase = stack.start;
  reader = new SpyReader(mem, (a) => [...img.functions.values()].find((f) => f.address === a)?.name);
  const fn = img.functions.get('Walk');
  assert.ok(fn);
  // start, n and cur in slots; i and sum in stack memory (as if their address were taken).
  frame = { fn, pc: 0, s: [globalAddress('Nodes'), 2, globalAddress('Nodes') + 24], sp: stackBase, va: 0, rv: 0, retBuf: 0, act: 1 };
  mem.writeU32(stackBase, 1);
  mem.writeU32(stackBase + 4, 10);
  const v = varsOf('Walk');
  const slot = (name: string, s: number) => ({ v: v.get(name) as VarObj, tv: { type: (v.get(name) as VarObj).type, loc: { kind: 'slot' as const, frame, slot: s } } });
  const inMemory = (name: string, offset: number) => ({ v: v.get(name) as VarObj, tv: { type: (v.get(name) as VarObj).type, loc: { kind: 'memory' as const, address: stackBase + offset } } });
  walk = scopeWith([inMemory('sum', 4), slot('cur', 2), inMemory('i', 0), slot('start', 0), slot('n', 1)]);
  fileScope = scopeWith([]);
});

function ok(text: string, scope = walk, sideEffects = false): TypedValue {
  const r = evaluate(text, scope, { sideEffects });
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.message}`);
  return r.value;
}

/** The scalar value and its C type's spelling. */
function val(text: string, scope = walk, sideEffects = false): [Value | undefined, string] {
  const v = ok(text, scope, sideEffects);
  return [reader.scalar(v), typeToString(v.type)];
}

function fails(text: string, sideEffects = false, scope = walk): string {
  const r = evaluate(text, scope, { sideEffects });
  assert.ok(!r.ok, `${text} should fail`);
  return r.ok ? '' : r.message;
}

test('integer promotions, usual arithmetic conversions and constants (x64 LLP64)', () => {
  assert.deepEqual(val('7 / 2'), [3, 'int']);
  assert.deepEqual(val('-7 / 2'), [-3, 'int']);
  assert.deepEqual(val('-7 % 3'), [-1, 'int']);
  assert.deepEqual(val('(unsigned char)300'), [44, 'unsigned char']);
  assert.deepEqual(val('-1 < 1u'), [0, 'int'], 'int converts to unsigned int');
  assert.deepEqual(val('-1 < 1LL'), [1, 'int']);
  assert.deepEqual(val('1ULL << 40'), [1099511627776n, 'unsigned long long']);
  assert.deepEqual(val('0xFFFFFFFF + 1'), [0, 'unsigned int']);
  assert.deepEqual(val('0xFFFFFFFFLL + 1'), [4294967296n, 'long long']);
  assert.deepEqual(val('2147483647 + 1'), [-2147483648, 'int']);
  assert.deepEqual(val('(long)0x80000000'), [-2147483648, 'long'], 'long is 32-bit');
  assert.deepEqual(val('3000000000'), [3000000000, 'unsigned long'], 'MSVC: too big for long');
  assert.deepEqual(val("'A' + 1"), [66, 'int']);
  assert.deepEqual(val('(short)-1 == 0xFFFF'), [0, 'int']);
  assert.deepEqual(val('(unsigned short)-1 == 0xFFFF'), [1, 'int']);
  assert.deepEqual(val('-16 >> 2'), [-4, 'int']);
  assert.deepEqual(val('0x80000000u >> 4'), [134217728, 'unsigned int']);
  assert.deepEqual(val('~0u'), [4294967295, 'unsigned int']);
  assert.deepEqual(val('!5'), [0, 'int']);
  assert.deepEqual(val('070 + 0x10'), [72, 'int']);
  assert.deepEqual(val('sizeof(int) * 3'), [12n, 'unsigned long long'], 'size_t is 64-bit');
  assert.deepEqual(val('1 ? 2 : 3'), [2, 'int']);
  assert.deepEqual(val('0 ? 1 : 2.5'), [2.5, 'double']);
  assert.deepEqual(val('(1, 2)'), [2, 'int']);
  assert.deepEqual(val('1.5 + 1'), [2.5, 'double']);
  assert.deepEqual(val('(float)0.1'), [Math.fround(0.1), 'float']);
  assert.deepEqual(val('(int)-2.7'), [-2, 'int']);
  assert.deepEqual(val('1e3 / 8'), [125, 'double']);
  assert.deepEqual(val('0xfffff800`00001000 >> 32'), [0xfffff800n, 'unsigned long long'], 'WinDbg-style 64-bit constant');
});

test('variables in slots and in memory, 64-bit and floating-point globals', () => {
  assert.deepEqual(val('n'), [2, 'int']);
  assert.deepEqual(val('i'), [1, 'int']);
  assert.deepEqual(val('sum + n'), [12, 'unsigned long']);
  assert.deepEqual(val('Big'), [-5n, 'LONGLONG']);
  assert.deepEqual(val('Big * 2'), [-10n, 'long long']);
  assert.deepEqual(val('Big >> 1'), [-3n, 'long long']);
  assert.deepEqual(val('(ULONGLONG)Big'), [18446744073709551611n, 'ULONGLONG'], 'a cast keeps the typedef name it was written with');
  assert.deepEqual(val('(ULONG)Big'), [4294967291, 'ULONG']);
  assert.deepEqual(val('Ratio * 2'), [5, 'double']);
  assert.deepEqual(val('(int)Ratio'), [2, 'int']);
  assert.deepEqual(val('Ratio > 2'), [1, 'int']);
  assert.deepEqual(val('Calls'), [7, 'int'], 'a static local of the frame');
  const n = ok('n');
  assert.deepEqual(n.loc, { kind: 'slot', frame, slot: 1 }, 'an lvalue keeps its place');
  assert.deepEqual(ok('i').loc, { kind: 'memory', address: stackBase });
});

test('pointers, arrays, ->, anonymous unions and bitfields', () => {
  const nodes = globalAddress('Nodes');
  assert.deepEqual(val('Head->Next->Value'), [20, 'ULONG']);
  assert.deepEqual(val('start->Next->Next->Value'), [30, 'ULONG']);
  assert.deepEqual(val('cur->Value'), [20, 'ULONG'], 'cur is &Nodes[1]');
  assert.deepEqual(val('Head->Raw'), [0xabcde123, 'ULONG'], 'member of an anonymous union');
  assert.deepEqual(val('Head->Low'), [0x3, 'ULONG'], 'bitfield in an anonymous struct');
  assert.deepEqual(val('Head->Mid'), [0xe12, 'ULONG']);
  assert.deepEqual(val('Head->High'), [0xabcd, 'ULONG']);
  assert.deepEqual(ok('Head->Mid').bits, { offset: 4, width: 12 });
  assert.deepEqual(val('Nodes[0].Counts[2] + Head->Counts[3]'), [7, 'int'], 'USHORT promotes to int');
  assert.deepEqual(val('&Nodes[2] - &Nodes[0]'), [2n, 'long long']);
  assert.deepEqual(val('(char *)&Nodes[1] - (char *)Head'), [24n, 'long long']);
  assert.deepEqual(val('sizeof(NODE)'), [24n, 'unsigned long long']);
  assert.deepEqual(val('Head + 1 == &Nodes[1]'), [1, 'int']);
  assert.deepEqual(val('(Head + 2)->Value + Head[1].Value'), [50, 'unsigned long']);
  assert.deepEqual(val('*(Table + 3)'), [40, 'ULONG']);
  assert.deepEqual(val('Table[8 - 1]'), [80, 'ULONG']);
  assert.deepEqual(val('2[Table]'), [30, 'ULONG']);
  assert.deepEqual(val('&Table[2] == Table + 2'), [1, 'int']);
  assert.deepEqual(val('Name[1]'), [100, 'char']);
  assert.equal(reader.format(ok('Name')), '"kdsim"');
  assert.equal(reader.format(ok('*Name')), "107 'k'");
  assert.deepEqual(val('&Nodes[1]'), [nodes + 24, 'NODE *']);
  assert.deepEqual(val('(ULONG_PTR)&Nodes[1] - (ULONG_PTR)Nodes'), [24n, 'unsigned long long']);
  assert.deepEqual(val('(ULONG_PTR)Table'), [toUnsigned(globalAddress('Table')), 'ULONG_PTR'], 'the real 64-bit address');
  assert.deepEqual(val('(PULONG)(ULONG_PTR)Table == Table'), [1, 'int']);
  const node = ok('*Head');
  assert.equal(typeToString(node.type), 'struct _NODE');
  assert.deepEqual(node.loc, { kind: 'memory', address: nodes });
  assert.equal(reader.format(ok('Head->Counts')), '[4]');
  assert.deepEqual(ok('Head->Counts').loc, { kind: 'memory', address: nodes + 16 });
});

test('casts to typedef and tag pointer types; sizeof on WDK types; enum constants; functions', () => {
  assert.deepEqual(val('(PKDPC)&Dpc == &Dpc'), [1, 'int']);
  assert.deepEqual(val('(struct _NODE *)start == Head'), [1, 'int']);
  assert.deepEqual(val('((PNODE)(ULONG_PTR)&Nodes[2])->Value'), [30, 'ULONG']);
  assert.deepEqual(val('&((PDEVICE_OBJECT)0)->DeviceExtension'), [0x40, 'PVOID *'], 'offsetof by hand reads nothing');
  assert.deepEqual(val('sizeof(KDPC)'), [64n, 'unsigned long long']);
  assert.deepEqual(val('sizeof(DEVICE_OBJECT)'), [0x150n, 'unsigned long long']);
  assert.deepEqual(val('sizeof(struct _IRP)'), [0xd0n, 'unsigned long long']);
  assert.deepEqual(val('sizeof(LIST_ENTRY) + sizeof(KSPIN_LOCK) + sizeof(long) + sizeof(PVOID)'), [36n, 'unsigned long long']);
  assert.deepEqual(val('sizeof Nodes'), [72n, 'unsigned long long']);
  assert.deepEqual(val('sizeof Fdo->DeviceExtension'), [8n, 'unsigned long long'], 'sizeof does not evaluate (Fdo is NULL)');
  assert.deepEqual(val('Blue'), [6, 'int']);
  assert.deepEqual(val('Color == Blue'), [1, 'int']);
  assert.deepEqual(val('Green * 2'), [10, 'int']);
  assert.deepEqual(val('(COLOR)1'), [1, 'COLOR']);
  assert.deepEqual(val('NonPagedPoolNx'), [512, 'int'], 'a WDK enum constant');
  assert.deepEqual(val('sizeof(COLOR)'), [4n, 'unsigned long long']);
  const helper = ok('Helper');
  assert.equal(helper.type.kind, 'func');
  assert.deepEqual(helper.loc, { kind: 'memory', address: img.functions.get('Helper')?.address });
  assert.deepEqual(val('&Helper == Helper'), [1, 'int']);
  assert.deepEqual(val('(ULONG_PTR)KeInsertQueueDpc != 0'), [1, 'int'], 'a DDI has an address');
  assert.match(fails('IoCreateDevice'), /function 'IoCreateDevice' has no address/);
  assert.deepEqual(val('Fdo == NULL'), [1, 'int']);
  assert.deepEqual(val('TRUE + FALSE'), [1, 'int']);
});

test('&& || ?: evaluate only the side taken: the other side reads no memory', () => {
  reader.reads.length = 0;
  assert.deepEqual(val('0 && *(PULONG)0'), [0, 'int']);
  assert.deepEqual(val('1 || *(PULONG)0'), [1, 'int']);
  assert.deepEqual(val('Fdo && Fdo->DeviceExtension'), [0, 'int']);
  assert.deepEqual(val('Fdo ? Fdo->Flags : 7'), [7, 'unsigned long']);
  assert.deepEqual(val('Fdo != NULL && Fdo->Size == 3 || Head->Value == 10'), [1, 'int']);
  assert.deepEqual(
    reader.reads.filter((a) => a >= 0 && a < 0x1000),
    [],
    'nothing read near NULL',
  );
  assert.ok(reader.reads.length > 0, 'the spy sees the reads that were made');
});


test('errors are messages: unknown names, calls, syntax, types, unreadable memory', () => {
  assert.equal(fails('no_such_name + 1'), "'no_such_name' is not a variable, constant or function in this scope");
  // The program's macros are known: <ntddk.h>'s expand, an unknown name is just unknown.
  assert.equal(fails('NO_SUCH_MACRO'), "'NO_SUCH_MACRO' is not a variable, constant or function in this scope");
  assert.equal(fails('Helper(1)'), 'function calls are not evaluated by the debugger');
  assert.equal(fails('NoSuchFunction(1)'), 'function calls are not evaluated by the debugger');
  assert.equal(fails('1 +'), 'expected an expression before end of input');
  assert.equal(fails(''), 'expected an expression before end of input');
  assert.equal(fails('(1 + 2'), "expected ')' before end of input");
  assert.equal(fails('Head->Value;'), "unexpected ';' after the expression");
  assert.equal(fails('@n'), "stray '@' in the expression");
  assert.equal(fails('n @ 2'), "unexpected '@' after the expression");
  assert.equal(fails('Head->Nope'), "'struct _NODE' has no member 'Nope'");
  assert.match(fails('n->Next'), /member reference type 'int' is not a pointer/);
  assert.match(fails('*n'), /indirection requires pointer operand/);
  assert.match(fails('(PNODE)Ratio'), /pointer cannot be cast/);
  assert.equal(fails('1 / 0'), 'division by zero');
  assert.equal(fails('Big % (n - n)'), 'division by zero');
  assert.equal(fails('*(PULONG)0'), 'cannot read memory at 0x0000000000000000');
  assert.equal(fails('*(PULONG)0 + 1'), 'cannot read memory at 0x0000000000000000');
  assert.equal(fails('Head->Next->Next->Next->Value'), 'cannot read memory at 0x0000000000000008');
  assert.equal(fails('Fdo->Flags'), `cannot read memory at ${hexAddress(0x30)}`);
  assert.equal(fails('((PDEVICE_OBJECT)0)->DeviceExtension'), 'cannot read memory at 0x0000000000000040');
  assert.equal(fails('*Fdo'), 'cannot read memory at 0x0000000000000000');
  assert.equal(fails('"abc"'), 'string literals are not supported in debugger expressions');
  assert.equal(fails('&n'), "'n' is kept in a register by the simulator: it has no address");
  assert.match(fails('*(PVOID)Head'), /cannot show an object of type 'void'/);
});

test('names resolve in the frame: a parameter hides a global; file scope sees the global', () => {
  const other = varsOf('Other');
  const param = other.get('Big');
  assert.ok(param);
  mem.writeU32(stackBase + 8, 41);
  const otherFrame = scopeWith([{ v: param, tv: { type: param.type, loc: { kind: 'memory', address: stackBase + 8 } } }]);
  assert.deepEqual(val('Big + 1', otherFrame), [42, 'int']);
  assert.deepEqual(val('Big + 1', fileScope), [-4n, 'long long'], 'the same text in another scope is parsed again');
  // A variable the frame hands over as a bare value is that value; with neither, it is reported.
  assert.deepEqual(val('Big * 2', scopeWith([{ v: param, tv: { type: param.type, value: 21 } }])), [42, 'int']);
  assert.match(fails('&Big', true, scopeWith([{ v: param, tv: { type: param.type, value: 21 } }])), /not available in this frame/);
  assert.match(fails('Big', false, scopeWith([{ v: param, tv: { type: param.type } }])), /not available in this frame/);
  assert.match(fails('n', false, fileScope), /'n' is not a variable/);
  assert.deepEqual(val('Head->Next == &Nodes[1]', fileScope), [1, 'int']);
});

test('isTrue gives a condition\'s truth, undefined for what is not a readable scalar', () => {
  const t = (text: string): boolean | undefined => isTrue(ok(text), reader);
  assert.equal(t('n > 1'), true);
  assert.equal(t('Fdo'), false);
  assert.equal(t('Head'), true);
  assert.equal(t('Big'), true);
  assert.equal(t('Ratio - Ratio'), false);
  assert.equal(t('Table'), true);
  assert.equal(t('*Head'), undefined);
  assert.equal(isTrue({ type: ok('Head').type, loc: { kind: 'memory', address: 0 } }, reader), undefined);
});

// Last: it changes the machine the other tests read.
test('assignments and ++/-- only with side effects allowed; the writes stick', () => {
  assert.match(fails('Head->Value = 99'), /has side effects/);
  assert.match(fails('n++'), /has side effects/);
  assert.match(fails('0 && (sum = 1)'), /has side effects/, 'refused even on the untaken side');
  assert.deepEqual(val('Head->Value = 99', walk, true), [99, 'unsigned long']);
  assert.deepEqual(val('Nodes[0].Value'), [99, 'ULONG']);
  assert.deepEqual(val('sum += 5', walk, true), [15, 'unsigned long']);
  assert.equal(mem.readU32(stackBase + 4), 15);
  assert.deepEqual(val('n++', walk, true), [2, 'int'], 'postfix: the old value');
  assert.equal(frame.s[1], 3);
  assert.deepEqual(val('--n', walk, true), [2, 'int']);
  assert.deepEqual(val('cur = cur->Next', walk, true), [globalAddress('Nodes') + 48, 'struct _NODE *']);
  assert.equal(frame.s[2], globalAddress('Nodes') + 48);
  assert.deepEqual(val('cur -= 2', walk, true), [globalAddress('Nodes'), 'struct _NODE *']);
  assert.deepEqual(val('Head->Mid = 0xFFF + 2', walk, true), [1, 'unsigned long'], 'a bitfield keeps 12 bits');
  assert.deepEqual(val('Head->Raw'), [0xabcd0013, 'ULONG'], 'neighbouring bitfields untouched');
  assert.deepEqual(val('Ratio *= 2', walk, true), [5, 'double']);
  assert.deepEqual(val('Color = Green', walk, true), [5, 'enum _COLOR']);
  assert.deepEqual(val('(i = 3), i * 2', walk, true), [6, 'int']);
  assert.match(fails('++Table[0]'), /has side effects/);
  assert.deepEqual(val('Table[0]'), [10, 'ULONG'], 'a refused expression writes nothing');
  assert.deepEqual(val('++Table[0]', walk, true), [11, 'unsigned long']);
  assert.deepEqual(val('Big <<= 4', walk, true), [-80n, 'long long']);
  assert.match(fails('Table = 0', true), /array type .* is not assignable/);
  assert.match(fails('Blue = 1', true), /lvalue required/);
});
