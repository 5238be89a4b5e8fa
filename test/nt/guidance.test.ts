// Performance guidance (KERNEL_MODEL §1.2): an ISR over 25 µs, a DPC over 100 µs, a spin lock
// held over 25 µs and a long KeStallExecutionProcessor are reported as warnings, not bug checks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { irq, run } from './drivers';

test('a DPC that stalls 150 µs and an ISR that stalls 30 µs are reported once each, with counts', () => {
  const r = run(
    {
      isr: `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    KeStallExecutionProcessor(30);
    IoRequestDpc(fdo, NULL, NULL);
    return TRUE;`,
      dpc: `
    KeStallExecutionProcessor(75);
    KeStallExecutionProcessor(75);`,
    },
    { scenario: { stimuli: [irq(1_000_000), irq(2_000_000)] } },
  );
  assert.equal(r.bugCheck, undefined);
  const texts = r.warnings.map((w) => w.text);
  const isr = r.warnings.find((w) => w.text.startsWith('ISR '));
  const dpc = r.warnings.find((w) => w.text.startsWith('DPC routine '));
  assert.ok(isr && /ran 3\d\.\d µs \(guidance: at most 25 µs\)/.test(isr.text), texts.join('\n'));
  assert.ok(dpc && /ran 15\d\.\d µs \(guidance: at most 100 µs\)/.test(dpc.text), texts.join('\n'));
  assert.equal(isr.count, 2);
  assert.equal(dpc.count, 2);
  assert.ok(!texts.some((t) => t.startsWith('KeStallExecutionProcessor')), 'stalls of 30 and 75 µs are within their guidance');
  // The interrupt spin lock the kernel holds around the ISR is charged to the ISR, not to the
  // code the interrupt preempted.
  const lock = r.warnings.find((w) => w.text.startsWith('interrupt spin lock'));
  assert.ok(lock && / held 3\d\.\d µs in \w*Isr\w* \(guidance: at most 25 µs\)/.test(lock.text), texts.join('\n'));
});

test('a stall of 60 µs outside a DPC is over the 50 µs guidance', () => {
  const r = run({ start: 'KeStallExecutionProcessor(60);' }, {});
  assert.ok(r.warnings.some((w) => /KeStallExecutionProcessor\(60\).*under 50 µs/.test(w.text)), r.warnings.map((w) => w.text).join('\n'));
});
