// Every DDI the simulated headers declare is simulated (ARCHITECTURE decision 5), and a driver
// calling a function nobody defines is refused at load time with its name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../kernel-sim/machine';
import { allDdis } from '../../kernel-sim/nt/index';
import { compile, MemoryFileHost } from '../../kernel-sim/c';
import { loadSimulatedHeaders } from '../../node-host/files';
import { config, headerProgram } from './harness';
import { DDI_IRQL } from '../../kernel-sim/verifier/irql-rules';
import type { Kernel } from '../../kernel-sim/nt/kernel';

test('every function the kernel headers declare without a body is a simulated DDI with an IRQL rule', () => {
  const declared = headerProgram()
    .functions.filter((f) => !f.body)
    .map((f) => f.name);
  assert.ok(declared.length > 250, `${declared.length} declarations`);
  const table = allDdis({} as Kernel);
  const missing = declared.filter((n) => !(n in table));
  assert.deepEqual(missing, [], 'declared but not simulated');
  const noRule = declared.filter((n) => !(n in DDI_IRQL));
  assert.deepEqual(noRule, [], 'declared without an IRQL rule');
});

test('a call to a function defined nowhere is a load-time error naming it', () => {
  const src = '#include <ntddk.h>\nNTSTATUS IoMadeUpRoutine(PVOID);\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { UNREFERENCED_PARAMETER(r); return IoMadeUpRoutine(d); }\n';
  const r = compile(['/drv/d.c'], { host: new MemoryFileHost({ '/drv/d.c': src }), simulatedHeaders: loadSimulatedHeaders() });
  assert.ok(r.ok);
  const m = Machine.create(config({ devices: [] }), r.program, headerProgram());
  assert.ok(!(m instanceof Machine));
  assert.deepEqual(m.missing, ['IoMadeUpRoutine']);
  assert.match(m.message, /IoMadeUpRoutine/);
});
