// Kernel objects as the debugger reads them from simulated memory. KPRCB.DpcData (KERNEL_MODEL
// §2.1–2.2): a queued KDPC's DpcData points at its processor's KDPC_DATA inside the PRCB, the
// queue is linked through DpcListEntry with its depth and count, ActiveDpc names the DPC
// running, and DpcData is NULL again before the routine runs. KINTERRUPT (§3.3): ServiceCount
// and IsrDpcStats count the ISR's runs; IsrActive is set while it runs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MachineDebugger } from '../../kernel-sim/debug/debugger';
import { loadProject } from '../../debug-adapter/load';

const EXAMPLE = join(resolve(__dirname, '..', '..'), 'examples', 'dpcforisr');
const SOURCE = join(EXAMPLE, 'driver.c');
const TEXT = readFileSync(SOURCE, 'utf8').split('\n');

function lineOf(marker: string, after: string): number {
  const from = TEXT.findIndex((l) => l.includes(after));
  return TEXT.findIndex((l, k) => k > from && l.includes(marker)) + 1;
}

test('a queued DPC is linked in its PRCB DpcData; ActiveDpc while it runs', () => {
  const r = loadProject(EXAMPLE);
  assert.ok(r.ok);
  const dbg = new MachineDebugger(r.machine, { module: r.config.name });
  const afterQueue = lineOf('return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
  const inDpc = lineOf('PSMP_EXTENSION ext', 'VOID SmpDpcForIsr(');
  dbg.breakpoints.setForFile(SOURCE, [{ line: afterQueue }, { line: inDpc }]);
  dbg.start(false);
  const o = dbg.advance(() => false);
  assert.equal(o.kind, 'stopped');
  const cpu = o.kind === 'stopped' ? o.stop.cpu : 0;
  const m = dbg.machine.k.mem;
  const p = dbg.machine.k.prcbs[cpu];
  const [dpc] = p.dpcQueue;
  assert.ok(dpc);
  const running = p.activity.find((a) => a.kind === 'isr')?.object;
  assert.ok(running);
  assert.equal(m.readU8(running + 0xb0 + 0x30), 1, 'KINTERRUPT.IsrDpcStats.IsrActive while the ISR runs');
  const data = p.address + 0x30c0;
  assert.equal(m.readPtr(dpc + 0x38), data, 'KDPC.DpcData → KPRCB.DpcData[DPC_NORMAL]');
  assert.equal(m.readPtr(data + 0x00), dpc + 0x08, 'DpcList.ListHead → the KDPC.DpcListEntry');
  assert.equal(m.readPtr(data + 0x08), dpc + 0x08, 'DpcList.LastEntry → the same (one queued)');
  assert.equal(m.readPtr(dpc + 0x08), 0, 'the last entry links nowhere');
  assert.equal(m.readU32(data + 0x18), 1, 'DpcQueueDepth');
  const count = m.readU32(data + 0x1c);
  assert.ok(count >= 1, 'DpcCount counts every DPC queued');
  assert.equal(dbg.machine.k.mem.peekBytes(data, 0x28)?.length, 0x28, 'KDPC_DATA lies in the PRCB, readable by the debugger');

  dbg.continue();
  const o2 = dbg.advance(() => false);
  assert.equal(o2.kind, 'stopped');
  assert.equal(o2.kind === 'stopped' ? o2.stop.cpu : -1, cpu);
  assert.equal(m.readPtr(dpc + 0x38), 0, 'DpcData is cleared before the routine runs');
  assert.equal(m.readPtr(data + 0x20), dpc, 'ActiveDpc');
  assert.equal(m.readU32(data + 0x18), 0);
  assert.equal(m.readPtr(data + 0x00), 0);

  // The ISR that queued it ran once on this processor's interrupt object.
  const objects = [...dbg.machine.k.interrupts.objects.values()];
  const ran = objects.filter((o) => o.serviceCount > 0);
  assert.ok(ran.length >= 1);
  for (const o of objects) {
    assert.equal(m.readU32(o.address + 0x74), o.serviceCount, 'KINTERRUPT.ServiceCount');
    assert.equal(m.readU64(o.address + 0xb0 + 0x10), BigInt(o.serviceCount), 'KINTERRUPT.IsrDpcStats.IsrCount');
    assert.equal(m.readU8(o.address + 0xb0 + 0x30), 0, 'no ISR is running');
  }
});
