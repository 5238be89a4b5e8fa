// The interval timer driven through its registers as a driver does, with a fake host that
// runs scheduled events in time order and records line levels and pulses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTROL_ENABLE,
  CONTROL_INT_ENABLE,
  CONTROL_PERIODIC,
  IntervalTimer,
  REG_CONTROL,
  REG_COUNT,
  REG_PERIOD_US,
  REG_STATUS,
  STATUS_EXPIRED,
} from '../../kernel-sim/devices/interval-timer';
import { FakeHost } from './fake-host';

const US = 1000;

function setup(latched = false): { dev: IntervalTimer; host: FakeHost } {
  const dev = new IntervalTimer('t0', { latched });
  // One interrupt: line 0 when level-triggered, pulse 0 when latched.
  return { dev, host: new FakeHost(dev, { lineCount: 1, pulseCount: 1 }) };
}

test('one-shot: expires once after PERIOD_US and clears ENABLE', () => {
  const { dev, host } = setup();
  dev.write(0, REG_PERIOD_US, 4, 100);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_INT_ENABLE);
  host.run(99 * US);
  assert.equal(dev.read(0, REG_STATUS, 4), 0);
  host.run(100 * US);
  assert.equal(dev.read(0, REG_STATUS, 4), STATUS_EXPIRED);
  assert.equal(dev.read(0, REG_COUNT, 4), 1);
  assert.equal(dev.read(0, REG_CONTROL, 4) & CONTROL_ENABLE, 0);
  host.run(1000 * US);
  assert.equal(dev.read(0, REG_COUNT, 4), 1);
  assert.deepEqual(host.lines(), [{ atNs: 100 * US, level: true }]);
});

test('periodic: expires every PERIOD_US, COUNT counts expirations', () => {
  const { dev, host } = setup();
  dev.write(0, REG_PERIOD_US, 4, 250);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_PERIODIC);
  host.run(999 * US);
  assert.equal(dev.read(0, REG_COUNT, 4), 3);
  host.run(1000 * US);
  assert.equal(dev.read(0, REG_COUNT, 4), 4);
  // COUNT is read-only.
  dev.write(0, REG_COUNT, 4, 0);
  assert.equal(dev.read(0, REG_COUNT, 4), 4);
  assert.equal(dev.read(0, REG_CONTROL, 4), CONTROL_ENABLE | CONTROL_PERIODIC);
});

test('STATUS.EXPIRED is write-1-to-clear; writing 0 or other bytes leaves it', () => {
  const { dev, host } = setup();
  dev.write(0, REG_PERIOD_US, 4, 10);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE);
  host.run(10 * US);
  assert.equal(dev.read(0, REG_STATUS, 4), STATUS_EXPIRED);
  dev.write(0, REG_STATUS, 4, 0);
  dev.write(0, REG_STATUS + 1, 1, 0xff);
  assert.equal(dev.read(0, REG_STATUS, 4), STATUS_EXPIRED);
  dev.write(0, REG_STATUS, 1, STATUS_EXPIRED);
  assert.equal(dev.read(0, REG_STATUS, 4), 0);
});

test('level line follows EXPIRED && INT_ENABLE', () => {
  const { dev, host } = setup();
  dev.write(0, REG_PERIOD_US, 4, 10);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_PERIODIC);
  host.run(10 * US);
  // Expired but masked: line low.
  assert.equal(host.lineLog.length, 0);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_PERIODIC | CONTROL_INT_ENABLE);
  assert.equal(host.level(), true);
  // Masking drops the line with EXPIRED still set.
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_PERIODIC);
  assert.equal(host.level(), false);
  assert.equal(dev.read(0, REG_STATUS, 4), STATUS_EXPIRED);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_PERIODIC | CONTROL_INT_ENABLE);
  assert.equal(host.level(), true);
  // Acknowledge: line drops; next expiration raises it again.
  dev.write(0, REG_STATUS, 4, STATUS_EXPIRED);
  assert.equal(host.level(), false);
  host.run(host.t + 10 * US);
  assert.equal(host.level(), true);
});

test('latched mode pulses on each rising edge only', () => {
  const { dev, host } = setup(true);
  dev.write(0, REG_PERIOD_US, 4, 10);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_PERIODIC | CONTROL_INT_ENABLE);
  host.run(30 * US);
  // EXPIRED never acknowledged: one edge for three expirations.
  assert.deepEqual(host.pulseTimes(), [10 * US]);
  dev.write(0, REG_STATUS, 4, STATUS_EXPIRED);
  host.run(40 * US);
  assert.deepEqual(host.pulseTimes(), [10 * US, 40 * US]);
  assert.equal(host.lineLog.length, 0);
});

test('disabling cancels the pending expiration; re-enabling restarts the interval', () => {
  const { dev, host } = setup();
  dev.write(0, REG_PERIOD_US, 4, 100);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_PERIODIC | CONTROL_INT_ENABLE);
  host.run(50 * US);
  dev.write(0, REG_CONTROL, 4, CONTROL_INT_ENABLE);
  host.run(500 * US);
  assert.equal(dev.read(0, REG_COUNT, 4), 0);
  dev.write(0, REG_CONTROL, 4, CONTROL_ENABLE | CONTROL_INT_ENABLE);
  host.run(599 * US);
  assert.equal(dev.read(0, REG_COUNT, 4), 0);
  host.run(600 * US);
  assert.equal(dev.read(0, REG_COUNT, 4), 1);
  assert.deepEqual(host.lines(), [{ atNs: 600 * US, level: true }]);
});

test('stimulate expires now; snapshot/restore are plain data', () => {
  const { dev, host } = setup();
  dev.write(0, REG_CONTROL, 4, CONTROL_INT_ENABLE);
  host.t = 5 * US;
  dev.stimulate(undefined);
  assert.equal(dev.read(0, REG_COUNT, 4), 1);
  assert.equal(host.level(), true);
  const snap = JSON.parse(JSON.stringify(dev.snapshot())) as unknown;
  dev.write(0, REG_STATUS, 4, STATUS_EXPIRED);
  dev.restore(snap);
  assert.equal(dev.read(0, REG_STATUS, 4), STATUS_EXPIRED);
  assert.deepEqual(
    dev.registers().map((r) => [r.name, r.value]),
    [
      ['CONTROL', CONTROL_INT_ENABLE],
      ['PERIOD_US', 0],
      ['STATUS', STATUS_EXPIRED],
      ['COUNT', 1],
    ],
  );
});
