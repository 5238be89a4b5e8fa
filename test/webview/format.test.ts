// How the Kernel View writes times, ticks and addresses (plain functions, no browser needed).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtAddress, fmtNs, fmtTick, fmtTime, irqlClass, plural } from '../../webview/format';

test('durations in the largest readable unit', () => {
  assert.equal(fmtNs(575), '575 ns');
  assert.equal(fmtNs(1500), '1.5 µs');
  assert.equal(fmtNs(25_000), '25 µs');
  assert.equal(fmtNs(1_042_188), '1.042 ms');
  assert.equal(fmtNs(210_002_370), '210 ms');
  assert.equal(fmtNs(2.5e9), '2.5 s');
});

test('clocks to the nanosecond, ticks with the decimals their step needs', () => {
  assert.equal(fmtTime(1_209_190), '1.20919 ms');
  assert.equal(fmtTime(123_456_789), '123.456789 ms');
  assert.equal(fmtTick(6_084_500, 500, 6_086_000), '6.0845 ms');
  assert.equal(fmtTick(6_085_000, 500, 6_086_000), '6.0850 ms');
  assert.equal(fmtTick(2_000_000, 1_000_000, 10_000_000), '2 ms');
  assert.equal(fmtTick(1_040_000, 20_000, 1_209_000), '1.04 ms');
});

test('addresses as WinDbg shows them, IRQL colour classes', () => {
  assert.equal(fmtAddress('0xfffff8000004bdc0'), 'fffff800`0004bdc0');
  assert.equal(fmtAddress('0x0'), '0');
  assert.equal(fmtAddress('0x1234'), '1234');
  assert.deepEqual([0, 1, 2, 9, 12, 15].map(irqlClass), ['irql-passive', 'irql-apc', 'irql-dispatch', 'irql-device', 'irql-high', 'irql-high']);
});

test('counts read as English: one interrupt, two interrupts', () => {
  assert.equal(plural(1, 'interrupt'), '1 interrupt');
  assert.equal(plural(0, 'interrupt'), '0 interrupts');
  assert.equal(plural(3, 'DPC'), '3 DPCs');
});
