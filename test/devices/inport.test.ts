// The Microsoft InPort bus mouse driven through its address/data/ID ports (resource 0,
// offsets 0/1/2) the way NT's inport.sys and Linux's inport.c do, with a fake host that runs
// scheduled events in time order and records interrupt pulses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  INPORT_ID_CODE,
  INPORT_REG_MODE,
  INPORT_REG_STATUS,
  INPORT_REG_X,
  INPORT_REG_Y,
  INPORT_RESET,
  Inport,
  MODE_DATA_INT_ENABLE,
  MODE_HOLD,
  MODE_TIMER_INT_ENABLE,
  STATUS_BUTTON1_LEFT,
  STATUS_BUTTON2_MIDDLE,
  STATUS_BUTTON3_RIGHT,
  STATUS_MOVEMENT,
} from '../../kernel-sim/devices/inport';
import { FakeHost } from './fake-host';

const ADDR = 0;
const DATA = 1;
const ID = 2;
const MS = 1_000_000;

function setup(): { dev: Inport; host: FakeHost } {
  const dev = new Inport('mouse0');
  // One edge-triggered ISA IRQ (pulse 0); the InPort drives no level line.
  return { dev, host: new FakeHost(dev, { lineCount: 0, pulseCount: 1 }) };
}

function writeReg(dev: Inport, index: number, value: number): void {
  dev.write(0, ADDR, 1, index);
  dev.write(0, DATA, 1, value);
}

function readReg(dev: Inport, index: number): number {
  dev.write(0, ADDR, 1, index);
  return dev.read(0, DATA, 1);
}

/** What an ISR does: HOLD, read status/X/Y (signed), release HOLD. */
function sample(dev: Inport, mode: number): { status: number; x: number; y: number } {
  writeReg(dev, INPORT_REG_MODE, mode | MODE_HOLD);
  const status = readReg(dev, INPORT_REG_STATUS);
  const x = (readReg(dev, INPORT_REG_X) << 24) >> 24;
  const y = (readReg(dev, INPORT_REG_Y) << 24) >> 24;
  writeReg(dev, INPORT_REG_MODE, mode);
  return { status, x, y };
}

test('identification register alternates 0xDE and the version', () => {
  const { dev } = setup();
  const a = dev.read(0, ID, 1);
  const b = dev.read(0, ID, 1);
  const c = dev.read(0, ID, 1);
  assert.equal(a, INPORT_ID_CODE);
  assert.notEqual(b, INPORT_ID_CODE);
  assert.equal(c, INPORT_ID_CODE);
  assert.equal(dev.read(0, ID, 1), b);
  // registers() shows the next ID value without consuming it.
  const before = dev.registers().find((r) => r.name.startsWith('ID'))?.value;
  dev.registers();
  assert.equal(before, INPORT_ID_CODE);
  assert.equal(dev.read(0, ID, 1), INPORT_ID_CODE);
});

test('HOLD latches X/Y/buttons into the data registers and clears the counters', () => {
  const { dev } = setup();
  dev.act('move', { dx: 5, dy: -3 });
  dev.act('click', { button: 'left', down: true });
  // Before a hold the data registers still show the previous (empty) latch.
  assert.equal(readReg(dev, INPORT_REG_X), 0);
  const s1 = sample(dev, 0);
  assert.deepEqual(s1, { status: STATUS_BUTTON1_LEFT | STATUS_MOVEMENT, x: 5, y: -3 });
  // Movement after the latch accumulates into fresh counters.
  dev.act('move', { dx: 1, dy: 1 });
  writeReg(dev, INPORT_REG_MODE, MODE_HOLD);
  // While held, new motion does not disturb the latched values.
  dev.act('move', { dx: 7, dy: 7 });
  assert.equal(readReg(dev, INPORT_REG_X), 1);
  assert.equal(readReg(dev, INPORT_REG_Y), 1);
  writeReg(dev, INPORT_REG_MODE, 0);
  const s2 = sample(dev, 0);
  assert.deepEqual(s2, { status: STATUS_BUTTON1_LEFT | STATUS_MOVEMENT, x: 7, y: 7 });
  // No motion since: MOVEMENT clear, X/Y zero, buttons still reported.
  const s3 = sample(dev, 0);
  assert.deepEqual(s3, { status: STATUS_BUTTON1_LEFT, x: 0, y: 0 });
  // The mode register reads back.
  writeReg(dev, INPORT_REG_MODE, 0x02 | MODE_DATA_INT_ENABLE);
  assert.equal(readReg(dev, INPORT_REG_MODE), 0x02 | MODE_DATA_INT_ENABLE);
});

test('counters are signed 8-bit and clamp instead of wrapping', () => {
  const { dev } = setup();
  dev.act('move', { dx: 100, dy: -100 });
  dev.act('move', { dx: 100, dy: -100 });
  assert.deepEqual(sample(dev, 0), { status: STATUS_MOVEMENT, x: 127, y: -128 });
  dev.act('move', { dx: 1000, dy: 0 });
  dev.act('move', { dx: -10, dy: 0 });
  assert.equal(sample(dev, 0).x, 117);
});

test('buttons appear in STATUS (left 0x04, middle 0x02, right 0x01)', () => {
  const { dev, host } = setup();
  dev.act('click', { button: 'right', down: true });
  dev.act('click', { button: 'middle', down: true });
  assert.equal(sample(dev, 0).status, STATUS_BUTTON3_RIGHT | STATUS_BUTTON2_MIDDLE);
  dev.act('click', { button: 'right', down: false });
  assert.equal(sample(dev, 0).status, STATUS_BUTTON2_MIDDLE);
  dev.act('click', { button: 'middle', down: false });
  // A plain click holds the button down for clickMs (100 ms) so that holds see it.
  dev.act('click', { button: 'left' });
  host.run(50 * MS);
  assert.equal(sample(dev, 0).status, STATUS_BUTTON1_LEFT);
  host.run(100 * MS);
  assert.equal(sample(dev, 0).status, 0);
  assert.throws(() => dev.act('click', { button: 'fourth' }), /button/);
  assert.throws(() => dev.act('wiggle', {}), /move, click/);
});

test('interrupt rate: periodic pulses at the MODE rate while enabled', () => {
  const { dev, host } = setup();
  // NT inport.sys: rate 50 Hz set at init with interrupts off, then DATA_INTERRUPT_ENABLE.
  writeReg(dev, INPORT_REG_MODE, 0x02);
  host.run(100 * MS);
  assert.deepEqual(host.pulseTimes(), []);
  writeReg(dev, INPORT_REG_MODE, 0x02 | MODE_DATA_INT_ENABLE);
  host.run(200 * MS);
  assert.deepEqual(host.pulseTimes(), [120, 140, 160, 180, 200].map((ms) => ms * MS));
  // An ISR's HOLD toggling does not disturb the period.
  sample(dev, 0x02 | MODE_DATA_INT_ENABLE);
  host.run(240 * MS);
  assert.equal(host.pulses.length, 7);
  // 200 Hz: every 5 ms from the mode write.
  host.pulses = [];
  writeReg(dev, INPORT_REG_MODE, 0x04 | MODE_DATA_INT_ENABLE);
  host.run(260 * MS);
  assert.equal(host.pulses.length, 4);
  assert.equal(host.pulseTimes()[0], 245 * MS);
  // Disabling stops them (stale ticks ignored).
  host.pulses = [];
  writeReg(dev, INPORT_REG_MODE, 0x04);
  host.run(400 * MS);
  assert.deepEqual(host.pulseTimes(), []);
  assert.deepEqual(host.lineLog, []);
});

test("Linux's Microsoft variant: TIMER_INTERRUPT_ENABLE with rate 1 (30 Hz) on, rate 0 off", () => {
  const { dev, host } = setup();
  writeReg(dev, INPORT_REG_MODE, MODE_TIMER_INT_ENABLE | 0x01);
  host.run(100 * MS);
  assert.deepEqual(host.pulseTimes(), [33_333_333, 66_666_666, 99_999_999]);
  writeReg(dev, INPORT_REG_MODE, MODE_TIMER_INT_ENABLE);
  host.run(300 * MS);
  assert.equal(host.pulses.length, 3);
});

test('rate 6 (0 Hz, INTR high) gives one edge; reset turns interrupts off', () => {
  const { dev, host } = setup();
  writeReg(dev, INPORT_REG_MODE, 0x06 | MODE_DATA_INT_ENABLE);
  host.run(100 * MS);
  assert.deepEqual(host.pulseTimes(), [0]);
  writeReg(dev, INPORT_REG_MODE, 0x02 | MODE_DATA_INT_ENABLE);
  dev.act('move', { dx: 3, dy: 0 });
  dev.write(0, ADDR, 1, INPORT_RESET);
  host.run(300 * MS);
  assert.deepEqual(host.pulseTimes(), [0]);
  assert.equal(readReg(dev, INPORT_REG_MODE), 0);
  assert.deepEqual(sample(dev, 0), { status: 0, x: 0, y: 0 });
});

test('snapshot/restore round-trip as plain data; registers() has no side effects', () => {
  const { dev } = setup();
  dev.act('move', { dx: -4, dy: 9 });
  writeReg(dev, INPORT_REG_MODE, MODE_HOLD | 0x02);
  const snap = JSON.parse(JSON.stringify(dev.snapshot())) as unknown;
  const regs = dev.registers();
  assert.deepEqual(dev.registers(), regs);
  writeReg(dev, INPORT_REG_MODE, 0);
  dev.act('move', { dx: 50, dy: 50 });
  dev.restore(snap);
  assert.equal(readReg(dev, INPORT_REG_X), 0xfc);
  assert.equal(readReg(dev, INPORT_REG_Y), 9);
  assert.equal(readReg(dev, INPORT_REG_MODE), MODE_HOLD | 0x02);
});

test('accessName: the data port is named by the internal register the address register selects', () => {
  const { dev } = setup();
  dev.write(0, 0, 1, INPORT_REG_MODE);
  assert.equal(dev.accessName(0, 1), 'DATA [7 MODE]');
  dev.write(0, 0, 1, INPORT_REG_X);
  assert.equal(dev.accessName(0, 1), 'DATA [1 DATA X]');
  assert.equal(dev.accessName(0, 0), undefined, 'the address register keeps the name registers() gives');
});
