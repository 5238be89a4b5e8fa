// The simulated WDK headers and the example driver through kdsim's own front end: they compile
// without a diagnostic, their layout asserts hold under our layout engine, and the SAL IRQL
// annotations survive to the declarations the kernel binds DDIs to.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compile, formatDiagnostic, MemoryFileHost } from '../../kernel-sim/c';
import { loadSimulatedHeaders, NodeFileHost } from '../../node-host/files';
import type { RecordType } from '../../kernel-sim/c/types';

const headers = loadSimulatedHeaders();
const root = join(__dirname, '..', '..');

function compileSource(src: string): ReturnType<typeof compile> {
  return compile(['/t/main.c'], { host: new MemoryFileHost({ '/t/main.c': src }), simulatedHeaders: headers });
}

function record(r: ReturnType<typeof compile>, typedefName: string): RecordType {
  const t = r.program.typedefs.get(typedefName);
  assert.ok(t && (t.kind === 'struct' || t.kind === 'union'), `${typedefName} is a struct`);
  return t;
}

for (const h of ['wdm.h', 'ntddk.h', 'ntifs.h']) {
  test(`${h} compiles cleanly`, () => {
    const r = compileSource(`#include <${h}>\n`);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  });
}

test('kernel object layouts match KERNEL_MODEL (x64)', () => {
  const r = compileSource('#include <wdm.h>\n');
  const kdpc = record(r, 'KDPC');
  assert.equal(kdpc.size, 0x40);
  const off = (rec: RecordType, name: string): number => {
    const m = rec.members.find((x) => x.name === name);
    assert.ok(m, name);
    return m.offset;
  };
  assert.equal(off(kdpc, 'DeferredRoutine'), 0x18);
  assert.equal(off(kdpc, 'SystemArgument1'), 0x28);
  assert.equal(off(kdpc, 'DpcData'), 0x38);
  assert.equal(record(r, 'LIST_ENTRY').size, 16);
  assert.equal(record(r, 'CM_PARTIAL_RESOURCE_DESCRIPTOR').size, 0x14);
  const dev = record(r, 'DEVICE_OBJECT');
  assert.ok(off(dev, 'Dpc') > off(dev, 'DeviceQueue'), 'Dpc follows DeviceQueue');
});

test('a wrong layout assertion is caught by our layout engine', () => {
  const r = compileSource('#include <wdm.h>\nC_ASSERT(sizeof(KDPC) == 0x48);\n');
  assert.ok(!r.ok);
  assert.match(r.diagnostics.map(formatDiagnostic).join('\n'), /main\.c:2:1: error: size of array is negative/);
});

test('DDI declarations carry their IRQL requirements (KERNEL_MODEL §6)', () => {
  const r = compileSource('#include <wdm.h>\n');
  const ddi = (name: string): { kind: string; args: bigint[] }[] => {
    const f = r.program.functions.find((x) => x.name === name);
    assert.ok(f, name);
    return f.attrs.irql.map((a) => ({ kind: a.kind, args: a.args }));
  };
  assert.deepEqual(ddi('IoConnectInterrupt'), [{ kind: 'requires_max', args: [0n] }]);
  assert.ok(ddi('KeAcquireSpinLockRaiseToDpc').some((a) => a.kind === 'requires_max' && a.args[0] === 2n));
  assert.ok(ddi('KeFlushQueuedDpcs').some((a) => a.kind === 'requires_max' && a.args[0] === 0n));
  assert.ok(ddi('IofCompleteRequest').some((a) => a.kind === 'requires_max' && a.args[0] === 2n));
});

test('the example driver compiles cleanly; its routines inherit their function classes', () => {
  const dir = join(root, 'examples', 'dpcforisr');
  const r = compile([join(dir, 'driver.c')], { host: new NodeFileHost(), simulatedHeaders: headers, includePaths: [dir] });
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  const isr = r.program.functions.find((f) => f.name === 'SmpInterruptService');
  const dpc = r.program.functions.find((f) => f.name === 'SmpDpcForIsr');
  assert.ok(isr?.body && dpc?.body);
  assert.equal(isr.attrs.functionClass, 'KSERVICE_ROUTINE');
  assert.equal(dpc.attrs.functionClass, 'IO_DPC_ROUTINE');
  assert.ok(dpc.attrs.irql.some((a) => a.kind === 'requires' && a.args[0] === 2n), 'DpcForIsr runs at DISPATCH_LEVEL');
  const paged = r.program.functions.filter((f) => f.attrs.section === 'PAGE').map((f) => f.name);
  assert.ok(paged.includes('SmpAddDevice'), `PAGE functions: ${paged.join(', ')}`);
});
