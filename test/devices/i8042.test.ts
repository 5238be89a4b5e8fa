// The 8042 keyboard controller, PS/2 keyboard and PS/2 mouse against their documented
// behaviour, driven through ports 0x60 (resource 0) and 0x64 (resource 1) as a driver does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I8042, I8042_DEFAULTS, ST_AUXB, ST_OBF, ST_SYS } from '../../kernel-sim/devices/i8042';
import { FakeHost, type FakeHostOptions } from './fake-host';

const DATA = 0;
const CMD = 1;
/** Two edge-triggered interrupts, IRQ 1 (keyboard, pulse 0) and IRQ 12 (mouse, pulse 1); no level line. */
const IRQS: FakeHostOptions = { lineCount: 0, pulseCount: 2 };

function setup(commandByte = I8042_DEFAULTS.commandByte): { dev: I8042; host: FakeHost } {
  const dev = new I8042('kbc', { ...I8042_DEFAULTS, commandByte });
  const host = new FakeHost(dev, IRQS);
  return { dev, host };
}

/** Everything the controller puts in its output buffer until idle, read as a polling driver. */
function drain(dev: I8042, host: FakeHost): number[] {
  const out: number[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    if (dev.read(CMD, 0, 1) & ST_OBF) out.push(dev.read(DATA, 0, 1));
    else if (!host.step()) break;
  }
  return out;
}

function ctrl(dev: I8042, host: FakeHost, cmd: number, data?: number): number[] {
  dev.write(CMD, 0, 1, cmd);
  if (data !== undefined) dev.write(DATA, 0, 1, data);
  return drain(dev, host);
}

function kbd(dev: I8042, host: FakeHost, ...bytes: number[]): number[] {
  for (const b of bytes) dev.write(DATA, 0, 1, b);
  return drain(dev, host);
}

function aux(dev: I8042, host: FakeHost, ...bytes: number[]): number[] {
  const out: number[] = [];
  for (const b of bytes) {
    dev.write(CMD, 0, 1, 0xd4);
    dev.write(DATA, 0, 1, b);
    out.push(...drain(dev, host));
  }
  return out;
}

test('controller self-test and interface tests', () => {
  const { dev, host } = setup();
  assert.deepEqual(ctrl(dev, host, 0xaa), [0x55]);
  assert.deepEqual(ctrl(dev, host, 0xab), [0x00]);
  assert.deepEqual(ctrl(dev, host, 0xa9), [0x00]);
});

test('command byte read/write, SYS flag and enable/disable commands', () => {
  const { dev, host } = setup(0x47);
  assert.deepEqual(ctrl(dev, host, 0x20), [0x47]);
  assert.ok(dev.read(CMD, 0, 1) & ST_SYS);
  ctrl(dev, host, 0x60, 0x20);
  assert.deepEqual(ctrl(dev, host, 0x20), [0x20]);
  assert.equal(dev.read(CMD, 0, 1) & ST_SYS, 0);
  ctrl(dev, host, 0xa8);
  ctrl(dev, host, 0xad);
  assert.deepEqual(ctrl(dev, host, 0x20), [0x10]);
  ctrl(dev, host, 0xae);
  ctrl(dev, host, 0xa7);
  assert.deepEqual(ctrl(dev, host, 0x20), [0x20]);
  const regs = dev.registers();
  assert.equal(regs.find((r) => r.name === 'COMMAND_BYTE')?.value, 0x20);
  // registers() has no side effects: the status is unchanged.
  assert.equal(regs.find((r) => r.name === 'STATUS')?.value, dev.read(CMD, 0, 1));
});

test('D2/D3 write the output buffer as keyboard / aux data', () => {
  const { dev, host } = setup(0x03);
  dev.write(CMD, 0, 1, 0xd3);
  dev.write(DATA, 0, 1, 0x5a);
  while (!(dev.read(CMD, 0, 1) & ST_OBF)) host.step();
  assert.ok(dev.read(CMD, 0, 1) & ST_AUXB);
  assert.equal(dev.read(DATA, 0, 1), 0x5a);
  assert.deepEqual(host.pulses.map((p) => p.index), [1]);
  assert.deepEqual(ctrl(dev, host, 0xd2, 0x33), [0x33]);
  assert.deepEqual(host.pulses.map((p) => p.index), [1, 0]);
});

test('keyboard reset, LEDs, echo, identify, scan code set, unknown command', () => {
  const { dev, host } = setup(0x07); // translation off
  const t0 = host.t;
  assert.deepEqual(kbd(dev, host, 0xff), [0xfa, 0xaa]);
  assert.ok(host.t - t0 >= 2 * I8042_DEFAULTS.byteTimeUs * 1000, 'each PS/2 byte takes its time');
  assert.deepEqual(kbd(dev, host, 0xed), [0xfa]);
  assert.deepEqual(kbd(dev, host, 0x05), [0xfa]);
  assert.deepEqual(host.outputs.map(({ kind, data }) => ({ kind, data })), [{ kind: 'leds', data: [5] }]);
  assert.deepEqual(kbd(dev, host, 0xee), [0xee]);
  assert.deepEqual(kbd(dev, host, 0xf2), [0xfa, 0xab, 0x83]);
  assert.deepEqual(kbd(dev, host, 0xf0, 0x00), [0xfa, 0xfa, 0x02]);
  assert.deepEqual(kbd(dev, host, 0xf3, 0x20), [0xfa, 0xfa]);
  assert.deepEqual(kbd(dev, host, 0x42), [0xfe]);
  assert.deepEqual(kbd(dev, host, 0xf5), [0xfa]);
  dev.act('type', { keys: 'a' });
  assert.deepEqual(drain(dev, host), [], 'scanning disabled by F5');
  assert.deepEqual(kbd(dev, host, 0xf4), [0xfa]);
});

test('identify and scan code set replies are translated like key codes', () => {
  const { dev, host } = setup(0x45);
  assert.deepEqual(kbd(dev, host, 0xf2), [0xfa, 0xab, 0x41]);
  assert.deepEqual(kbd(dev, host, 0xf0, 0x00), [0xfa, 0xfa, 0x41]);
});

test('typing "Hi" gives set 1 with translation and set 2 without', () => {
  const on = setup(0x45);
  on.dev.act('type', { keys: 'Hi' });
  assert.deepEqual(drain(on.dev, on.host), [0x2a, 0x23, 0xa3, 0xaa, 0x17, 0x97]);
  const off = setup(0x05);
  off.dev.act('type', { keys: 'Hi' });
  assert.deepEqual(drain(off.dev, off.host), [0x12, 0x33, 0xf0, 0x33, 0xf0, 0x12, 0x43, 0xf0, 0x43]);
});

test('extended keys carry E0; keys by name and set 1 scan code; set 1 from the keyboard', () => {
  const { dev, host } = setup(0x05);
  dev.act('key', { name: 'Left' });
  assert.deepEqual(drain(dev, host), [0xe0, 0x6b, 0xe0, 0xf0, 0x6b]);
  dev.act('key', { name: 'Enter', down: true });
  assert.deepEqual(drain(dev, host), [0x5a]);
  dev.act('key', { scan: 0x1c, down: false });
  assert.deepEqual(drain(dev, host), [0xf0, 0x5a]);
  ctrl(dev, host, 0x60, 0x45);
  dev.act('key', { name: 'Left' });
  assert.deepEqual(drain(dev, host), [0xe0, 0x4b, 0xe0, 0xcb]);
  kbd(dev, host, 0xf0, 0x01);
  ctrl(dev, host, 0x60, 0x05);
  dev.act('key', { name: 'F1' });
  assert.deepEqual(drain(dev, host), [0x3b, 0xbb]);
  assert.throws(() => dev.act('key', { name: 'Nope' }), /unknown key/);
  assert.throws(() => dev.act('fly', {}), /type, key, move, click/);
});

test('IRQ 1 pulses only when enabled in the command byte', () => {
  const { dev, host } = setup(0x44);
  dev.act('type', { keys: 'a' });
  assert.equal(drain(dev, host).length, 2);
  assert.equal(host.pulses.length, 0);
  ctrl(dev, host, 0x60, 0x45);
  dev.act('type', { keys: 'a' });
  assert.deepEqual(drain(dev, host), [0x1e, 0x9e]);
  assert.deepEqual(host.pulses.map((p) => p.index), [0, 0]);
  // Keyboard clock disabled (AD): the bytes wait until AE.
  ctrl(dev, host, 0xad);
  dev.act('type', { keys: 'a' });
  assert.deepEqual(drain(dev, host), []);
  assert.deepEqual(ctrl(dev, host, 0xae), [0x1e, 0x9e]);
});

test('mouse reset, defaults, status request, IRQ 12 and AUXB', () => {
  const { dev, host } = setup(0x47);
  assert.deepEqual(aux(dev, host, 0xff), [0xfa, 0xaa, 0x00]);
  assert.deepEqual(host.pulses.map((p) => p.index), [1, 1, 1]);
  assert.deepEqual(aux(dev, host, 0xf2), [0xfa, 0x00]);
  assert.deepEqual(aux(dev, host, 0xe8, 0x03, 0xe7), [0xfa, 0xfa, 0xfa]);
  assert.deepEqual(aux(dev, host, 0xe9), [0xfa, 0x10, 0x03, 100]);
  assert.deepEqual(aux(dev, host, 0xf6, 0xe9), [0xfa, 0xfa, 0x00, 0x02, 100]);
  assert.deepEqual(aux(dev, host, 0x12), [0xfe]);
  // AUXB set while a mouse byte is in the output buffer.
  dev.write(CMD, 0, 1, 0xd4);
  dev.write(DATA, 0, 1, 0xf4);
  while (!(dev.read(CMD, 0, 1) & ST_OBF)) host.step();
  assert.ok(dev.read(CMD, 0, 1) & ST_AUXB);
  assert.equal(dev.read(DATA, 0, 1), 0xfa);
  assert.equal(dev.read(CMD, 0, 1) & (ST_AUXB | ST_OBF), 0);
});

test('3-byte packets with sign and overflow bits; clicks', () => {
  const { dev, host } = setup(0x47);
  aux(dev, host, 0xff, 0xf4);
  dev.act('move', { dx: 5, dy: -3 }); // right and up on screen
  assert.deepEqual(drain(dev, host), [0x08, 5, 3]);
  dev.act('move', { dx: -5, dy: 3 }); // left and down: both sign bits
  assert.deepEqual(drain(dev, host), [0x38, 0xfb, 0xfd]);
  dev.act('move', { dx: 300, dy: 0 });
  assert.deepEqual(drain(dev, host), [0x48, 0xff, 0x00]);
  dev.act('click', { button: 'left' });
  assert.deepEqual(drain(dev, host), [0x09, 0, 0, 0x08, 0, 0]);
  dev.act('click', { button: 'right', down: true });
  assert.deepEqual(drain(dev, host), [0x0a, 0, 0]);
});

test('IntelliMouse detection and 4-byte wheel packets', () => {
  const { dev, host } = setup(0x47);
  aux(dev, host, 0xff);
  assert.deepEqual(aux(dev, host, 0xf3, 200, 0xf3, 100, 0xf3, 80), [0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa]);
  assert.deepEqual(aux(dev, host, 0xf2), [0xfa, 0x03]);
  aux(dev, host, 0xf4);
  dev.act('move', { dx: 1, dy: 0, wheel: 1 });
  assert.deepEqual(drain(dev, host), [0x08, 1, 0, 0xff]);
  dev.act('move', { dx: 0, dy: 0, wheel: -2 });
  assert.deepEqual(drain(dev, host), [0x08, 0, 0, 0x02]);
  // A reset returns to ID 0.
  aux(dev, host, 0xff);
  assert.deepEqual(aux(dev, host, 0xf2), [0xfa, 0x00]);
});

test('keyboard bytes go first; snapshot/restore as plain data', () => {
  const { dev, host } = setup(0x47);
  aux(dev, host, 0xf4);
  // Fill the output buffer, then queue mouse and keyboard data behind it.
  dev.write(CMD, 0, 1, 0xd2);
  dev.write(DATA, 0, 1, 0x77);
  while (!(dev.read(CMD, 0, 1) & ST_OBF)) host.step();
  dev.act('move', { dx: 1, dy: 0 });
  dev.act('type', { keys: 'a' });
  const snap = JSON.parse(JSON.stringify(dev.snapshot())) as unknown;
  const first = drain(dev, host);
  assert.deepEqual(first, [0x77, 0x1e, 0x9e, 0x08, 1, 0]);
  const other = new I8042('kbc2', I8042_DEFAULTS);
  const h2 = new FakeHost(other, IRQS);
  other.restore(snap);
  assert.deepEqual(drain(other, h2), first);
});
