// The THS-1 temperature sensor of examples/user-device, a device model a project brings as a
// JavaScript module: loaded with require (as the CLI loads it) and driven through its
// registers with a fake host that runs scheduled events in time order, checking what its
// datasheet (the module's header comment) promises.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DeviceModel } from '../../kernel-sim/devices/device';
import type { DeviceSpec } from '../../kernel-sim/devices/index';
import { missingMethods } from '../../kernel-sim/devices/user-module';
import { FakeHost } from './fake-host';

interface ThermalModule {
  createDevice(spec: DeviceSpec): DeviceModel & Required<Pick<DeviceModel, 'act'>>;
  REG_ID: number;
  REG_CONTROL: number;
  REG_STATUS: number;
  REG_TEMPERATURE: number;
  REG_HIGH_LIMIT: number;
  REG_LOW_LIMIT: number;
  REG_HYSTERESIS: number;
  DEVICE_ID: number;
  CONTROL_ENABLE: number;
  CONTROL_CONTINUOUS: number;
  CONTROL_INT_ENABLE_SHIFT: number;
  CONTROL_RESET: number;
  STATUS_DATA_READY: number;
  STATUS_ALERT_HIGH: number;
  STATUS_ALERT_LOW: number;
  STATUS_BUSY: number;
  STATUS_HIGH: number;
  STATUS_LOW: number;
}

const MODULE = join(__dirname, '..', '..', 'examples', 'user-device', 'devices', 'thermal-sensor.js');
const ths = createRequire(__filename)(MODULE) as ThermalModule;
const {
  REG_ID,
  REG_CONTROL,
  REG_STATUS,
  REG_TEMPERATURE,
  REG_HIGH_LIMIT,
  REG_LOW_LIMIT,
  REG_HYSTERESIS,
  CONTROL_ENABLE,
  CONTROL_CONTINUOUS,
  CONTROL_INT_ENABLE_SHIFT,
  CONTROL_RESET,
  STATUS_DATA_READY,
  STATUS_ALERT_HIGH,
  STATUS_ALERT_LOW,
  STATUS_BUSY,
  STATUS_HIGH,
  STATUS_LOW,
} = ths;

const INT_DATA_READY = STATUS_DATA_READY << CONTROL_INT_ENABLE_SHIFT;
const INT_ALERT_HIGH = STATUS_ALERT_HIGH << CONTROL_INT_ENABLE_SHIFT;
const INT_ALERT_LOW = STATUS_ALERT_LOW << CONTROL_INT_ENABLE_SHIFT;
const MS = 1_000_000;

function setup(params: Record<string, unknown> = {}, mode: 'levelSensitive' | 'latched' = 'levelSensitive') {
  const dev = ths.createDevice({
    id: 'ths0',
    params,
    resources: [
      { type: 'memory', start: 0xfebf1000n, length: 32 },
      { type: 'interrupt', vector: 0x91, level: 9, affinity: 3, mode, shared: true },
    ] as unknown as DeviceSpec['resources'],
  });
  // The one interrupt resource: line 0 when level-sensitive, pulse 0 when latched.
  const host = new FakeHost(dev, { lineCount: 1, pulseCount: 1 });
  const reg = (offset: number): number => dev.read(0, offset, 4);
  const signed = (offset: number): number => dev.read(0, offset, 4) | 0;
  const write = (offset: number, value: number): void => dev.write(0, offset, 4, value);
  return { dev, host, reg, signed, write };
}

test('the module exports createDevice returning every DeviceModel method', () => {
  const { dev } = setup();
  assert.deepEqual(missingMethods(dev), []);
  assert.equal(dev.model, 'thermal-sensor');
  assert.equal(typeof dev.act, 'function');
});

test('power-on values: ID "THS1", limits 80 / 0 degC, hysteresis 2 degC, nothing converted', () => {
  const { reg, dev } = setup();
  assert.equal(reg(REG_ID), 0x54485331);
  assert.equal(reg(REG_ID), ths.DEVICE_ID);
  assert.equal(reg(REG_CONTROL), 0);
  assert.equal(reg(REG_STATUS), 0);
  assert.equal(reg(REG_TEMPERATURE), 0);
  assert.equal(reg(REG_HIGH_LIMIT), 80 * 16);
  assert.equal(reg(REG_LOW_LIMIT), 0);
  assert.equal(reg(REG_HYSTERESIS), 2 * 16);
  assert.equal(reg(0x1c), 0);
  // Byte and word reads see the addressed bytes.
  assert.equal(dev.read(0, REG_ID, 1), 0x31);
  assert.equal(dev.read(0, REG_ID + 2, 2), 0x5448);
});

test('read-only registers ignore writes', () => {
  const { reg, write } = setup();
  write(REG_ID, 0);
  write(REG_TEMPERATURE, 0x123);
  write(0x1c, 0xffff_ffff);
  assert.equal(reg(REG_ID), 0x54485331);
  assert.equal(reg(REG_TEMPERATURE), 0);
  assert.equal(reg(0x1c), 0);
});

test('one-shot: a conversion ends on the next oscillator tick after a full conversion time, then ENABLE clears', () => {
  const { host, reg, write } = setup({ conversionMs: 1 });
  host.run(0.3 * MS);
  write(REG_CONTROL, CONTROL_ENABLE);
  assert.equal(reg(REG_STATUS), STATUS_BUSY);
  // Enabled at 0.3 ms: the conversion starts on the 1 ms tick and ends at 2 ms.
  host.run(2 * MS - 1);
  assert.equal(reg(REG_STATUS), STATUS_BUSY);
  assert.equal(reg(REG_TEMPERATURE), 0);
  host.run(2 * MS);
  assert.equal(reg(REG_STATUS), STATUS_DATA_READY);
  assert.equal(reg(REG_TEMPERATURE), 25 * 16);
  assert.equal(reg(REG_CONTROL) & CONTROL_ENABLE, 0);
  host.run(10 * MS);
  assert.equal(host.queue.length, 0);
  // ENABLE again: another single conversion, ending on a tick.
  host.run(10.5 * MS);
  write(REG_CONTROL, CONTROL_ENABLE);
  host.run(12 * MS);
  assert.equal(reg(REG_STATUS) & STATUS_BUSY, 0);
  assert.deepEqual(host.traces.filter((t) => t.startsWith('conversion')), ['conversion: 25.0000 degC', 'conversion: 25.0000 degC']);
});

test('continuous: a result every conversionMs, on the oscillator ticks', () => {
  const { dev, host, reg, write } = setup({ conversionMs: 2, initialCelsius: 30 });
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS);
  const results: number[] = [];
  for (let t = 1; t <= 10; t++) {
    host.run(t * MS);
    if (reg(REG_STATUS) & STATUS_DATA_READY) {
      results.push(t);
      write(REG_STATUS, STATUS_DATA_READY);
    }
  }
  assert.deepEqual(results, [2, 4, 6, 8, 10]);
  assert.equal(reg(REG_TEMPERATURE), 30 * 16);
  assert.equal(reg(REG_CONTROL), CONTROL_ENABLE | CONTROL_CONTINUOUS);
  assert.equal((dev.snapshot() as { conversions: number }).conversions, 5);
});

test('clearing ENABLE abandons the conversion in progress', () => {
  const { host, reg, write } = setup();
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS);
  host.run(1 * MS);
  assert.equal(reg(REG_TEMPERATURE), 400);
  host.run(1.5 * MS);
  write(REG_CONTROL, CONTROL_CONTINUOUS);
  assert.equal(reg(REG_STATUS) & STATUS_BUSY, 0);
  write(REG_STATUS, STATUS_DATA_READY);
  host.run(5 * MS);
  assert.equal(reg(REG_STATUS), 0);
});

test('STATUS: causes are write-1-to-clear, state bits are read-only, narrow writes touch their bytes only', () => {
  const { dev, host, reg, write } = setup();
  write(REG_HIGH_LIMIT, 20 * 16);
  write(REG_CONTROL, CONTROL_ENABLE);
  host.run(1 * MS);
  assert.equal(reg(REG_STATUS), STATUS_DATA_READY | STATUS_ALERT_HIGH | STATUS_HIGH);
  write(REG_STATUS, 0);
  dev.write(0, REG_STATUS + 1, 1, 0xff);  // the byte holding BUSY/HIGH/LOW: read-only
  assert.equal(reg(REG_STATUS), STATUS_DATA_READY | STATUS_ALERT_HIGH | STATUS_HIGH);
  dev.write(0, REG_STATUS, 1, STATUS_ALERT_HIGH);
  assert.equal(reg(REG_STATUS), STATUS_DATA_READY | STATUS_HIGH);
  write(REG_STATUS, 0xffff_ffff);
  assert.equal(reg(REG_STATUS), STATUS_HIGH);
});

test('level INT follows (STATUS & CONTROL.INT_ENABLE) != 0', () => {
  const { host, reg, write } = setup();
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS | INT_ALERT_HIGH);
  host.run(1 * MS);
  // DATA_READY is pending but not enabled.
  assert.equal(reg(REG_STATUS) & STATUS_DATA_READY, STATUS_DATA_READY);
  assert.equal(host.lineLog.length, 0);
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS | INT_ALERT_HIGH | INT_DATA_READY);
  assert.equal(host.level(), true);
  // The acknowledgement drops the line until the next result.
  host.run(1.5 * MS);
  write(REG_STATUS, STATUS_DATA_READY);
  assert.equal(host.level(), false);
  host.run(2 * MS);
  assert.equal(host.level(), true);
  // Masking the cause drops it too.
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS);
  assert.equal(host.level(), false);
  assert.deepEqual(
    host.lines().map((l) => [l.atNs / MS, l.level]),
    [
      [1, true],
      [1.5, false],
      [2, true],
      [2, false],
    ],
  );
});

test('latched INT: one edge each time an enabled cause appears', () => {
  const { host, write } = setup({}, 'latched');
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS | INT_DATA_READY);
  host.run(3 * MS);
  // Not acknowledged: the output stays asserted, so only the first result makes an edge.
  assert.deepEqual(host.pulseTimes(), [1 * MS]);
  write(REG_STATUS, STATUS_DATA_READY);
  host.run(4 * MS);
  assert.deepEqual(host.pulseTimes(), [1 * MS, 4 * MS]);
  assert.equal(host.lineLog.length, 0);
});

test('temperature registers: 1/16 degC two\'s complement, sign-extended, saturating to 12 bits', () => {
  const { dev, host, reg, signed, write } = setup();
  write(REG_HIGH_LIMIT, 0xffff);                // -1/16 degC
  assert.equal(reg(REG_HIGH_LIMIT), 0xffff_ffff);
  write(REG_HIGH_LIMIT, 0x7fff);                // beyond +127.9375: saturates
  assert.equal(reg(REG_HIGH_LIMIT), 0x7ff);
  write(REG_LOW_LIMIT, 0x8000);                 // beyond -128: saturates
  assert.equal(signed(REG_LOW_LIMIT), -2048);
  write(REG_LOW_LIMIT, 0x1234_ff60);            // bits 31:16 are ignored: -10 degC
  assert.equal(signed(REG_LOW_LIMIT), -160);
  dev.write(0, REG_LOW_LIMIT, 1, 0x50);         // low byte only: 0xFF50 = -11 degC
  assert.equal(signed(REG_LOW_LIMIT), -176);
  write(REG_HYSTERESIS, 0xffff);
  assert.equal(reg(REG_HYSTERESIS), 0xfff);

  dev.act('set', { celsius: -5.5 });
  write(REG_CONTROL, CONTROL_ENABLE);
  host.run(1 * MS);
  assert.equal(reg(REG_TEMPERATURE), 0xffff_ffa8);
  dev.act('set', { celsius: 200 });
  write(REG_CONTROL, CONTROL_ENABLE);
  host.run(2 * MS);
  assert.equal(reg(REG_TEMPERATURE), 0x7ff);
  // Results round to the nearest 1/16 degC.
  dev.act('set', { celsius: 25.03 });
  write(REG_CONTROL, CONTROL_ENABLE);
  host.run(3 * MS);
  assert.equal(reg(REG_TEMPERATURE), 400);
});

test('high alert: one per excursion, the HIGH state clears only below HIGH_LIMIT - HYSTERESIS', () => {
  const { dev, host, reg, write } = setup();
  write(REG_HIGH_LIMIT, 50 * 16);
  write(REG_HYSTERESIS, 4 * 16);
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS | INT_ALERT_HIGH);
  const at = (celsius: number, t: number): number => {
    dev.act('set', { celsius });
    host.run(t * MS);
    return reg(REG_STATUS) & (STATUS_ALERT_HIGH | STATUS_HIGH);
  };
  assert.equal(at(49.9375, 1), 0);
  assert.equal(at(50, 2), STATUS_ALERT_HIGH | STATUS_HIGH);
  assert.equal(host.level(), true);
  write(REG_STATUS, STATUS_ALERT_HIGH);
  assert.equal(host.level(), false);
  // Still hot, then inside the hysteresis band: no new alert, HIGH stays.
  assert.equal(at(55, 3), STATUS_HIGH);
  assert.equal(at(48, 4), STATUS_HIGH);
  assert.equal(at(46, 5), STATUS_HIGH);
  // Below 50 - 4: the excursion is over.
  assert.equal(at(45.9375, 6), 0);
  // A new excursion alerts again.
  assert.equal(at(50.5, 7), STATUS_ALERT_HIGH | STATUS_HIGH);
  assert.equal(host.level(), true);
});

test('low alert: at or below LOW_LIMIT, clears above LOW_LIMIT + HYSTERESIS', () => {
  const { dev, host, reg, write } = setup();
  write(REG_LOW_LIMIT, 10 * 16);
  write(REG_HYSTERESIS, 2 * 16);
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS | INT_ALERT_LOW);
  const at = (celsius: number, t: number): number => {
    dev.act('set', { celsius });
    host.run(t * MS);
    return reg(REG_STATUS) & (STATUS_ALERT_LOW | STATUS_LOW);
  };
  assert.equal(at(10.0625, 1), 0);
  assert.equal(at(10, 2), STATUS_ALERT_LOW | STATUS_LOW);
  assert.equal(host.level(), true);
  write(REG_STATUS, STATUS_ALERT_LOW);
  assert.equal(at(-20, 3), STATUS_LOW);
  assert.equal(at(12, 4), STATUS_LOW);
  assert.equal(at(12.0625, 5), 0);
  assert.equal(host.level(), false);
});

test('ramp: the die temperature moves linearly over simulated time, then stays', () => {
  const { dev, host, signed, write } = setup();
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS);
  host.run(5 * MS);
  dev.act('ramp', { to: 60, overMs: 16 });
  const seen: number[] = [];
  for (let t = 6; t <= 23; t++) {
    host.run(t * MS);
    seen.push(signed(REG_TEMPERATURE) / 16);
  }
  // 35 degC over 16 ms: 2.1875 degC per ms, exact in 1/16 degC.
  assert.deepEqual(seen.slice(0, 4), [27.1875, 29.375, 31.5625, 33.75]);
  assert.equal(seen[11], 51.25); // 17 ms
  assert.deepEqual(seen.slice(15), [60, 60, 60]);
  // A ramp replaces a ramp in progress, starting from where the die is.
  dev.act('ramp', { to: 0, overMs: 10 });
  host.run(28 * MS);
  assert.equal(signed(REG_TEMPERATURE) / 16, 30);
  dev.act('ramp', { to: 40, overMs: 0 });
  host.run(29 * MS);
  assert.equal(signed(REG_TEMPERATURE) / 16, 40);
});

test('the same project gives the same results: noise comes from host.random()', () => {
  const results = (randoms: number[]): number[] => {
    const { host, signed, write } = setup({ noiseCelsius: 1 });
    host.randoms = [...randoms];
    write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS);
    const out: number[] = [];
    for (let t = 1; t <= 3; t++) {
      host.run(t * MS);
      out.push(signed(REG_TEMPERATURE));
    }
    return out;
  };
  // random() 0 -> -1 degC, 0.5 -> 0, 0.75 -> +0.5 degC.
  assert.deepEqual(results([0, 0.5, 0.75]), [24 * 16, 25 * 16, 25.5 * 16]);
  assert.deepEqual(results([0, 0.5, 0.75]), results([0, 0.5, 0.75]));
});

test('CONTROL.RESET: power-on registers, conversion abandoned, INT dropped; the die keeps its temperature', () => {
  const { dev, host, reg, write } = setup();
  write(REG_HIGH_LIMIT, 20 * 16);
  dev.act('set', { celsius: 33 });
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS | INT_DATA_READY);
  host.run(1.5 * MS);
  assert.equal(host.level(), true);
  write(REG_CONTROL, CONTROL_RESET);
  assert.equal(host.level(), false);
  assert.equal(reg(REG_CONTROL), 0);
  assert.equal(reg(REG_STATUS), 0);
  assert.equal(reg(REG_TEMPERATURE), 0);
  assert.equal(reg(REG_HIGH_LIMIT), 80 * 16);
  host.run(5 * MS);
  assert.equal(reg(REG_STATUS), 0);
  write(REG_CONTROL, CONTROL_ENABLE);
  host.run(6 * MS);
  assert.equal(reg(REG_TEMPERATURE), 33 * 16);
});

test('scenario stimulus: a result now, optionally at a given die temperature', () => {
  const { dev, reg, signed } = setup();
  dev.stimulate(undefined);
  assert.equal(reg(REG_STATUS), STATUS_DATA_READY);
  assert.equal(reg(REG_TEMPERATURE), 400);
  dev.stimulate(0xffa8); // -5.5 degC
  assert.equal(signed(REG_TEMPERATURE), -88);
  assert.equal(reg(REG_STATUS), STATUS_DATA_READY | STATUS_LOW | STATUS_ALERT_LOW);
});

test('registers() names every register for the debugger', () => {
  const { dev, host, write } = setup();
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS);
  host.run(1 * MS);
  assert.deepEqual(
    dev.registers().map((r) => [r.name, r.offset, r.size, r.value, r.resource]),
    [
      ['ID', 0x00, 4, 0x54485331, 0],
      ['CONTROL', 0x04, 4, 0x3, 0],
      ['STATUS', 0x08, 4, STATUS_DATA_READY | STATUS_BUSY, 0],
      ['TEMPERATURE', 0x0c, 4, 400, 0],
      ['HIGH_LIMIT', 0x10, 4, 1280, 0],
      ['LOW_LIMIT', 0x14, 4, 0, 0],
      ['HYSTERESIS', 0x18, 4, 32, 0],
    ],
  );
});

test('snapshot is plain data, and restore (with the host queue) replays the same future', () => {
  const { dev, host, reg, write } = setup();
  write(REG_CONTROL, CONTROL_ENABLE | CONTROL_CONTINUOUS | INT_ALERT_HIGH);
  write(REG_HIGH_LIMIT, 40 * 16);
  host.run(2.5 * MS);
  dev.act('ramp', { to: 45, overMs: 10 });
  const snap = dev.snapshot();
  assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
  const queue = host.queue.map((e) => ({ ...e }));
  const t0 = host.t;

  const run = (): number[] => {
    const out: number[] = [];
    for (let t = 3; t <= 14; t++) {
      host.run(t * MS);
      out.push(reg(REG_TEMPERATURE), reg(REG_STATUS));
    }
    return out;
  };
  const first = run();
  assert.ok(reg(REG_STATUS) & STATUS_ALERT_HIGH);
  // The snapshot did not change with the device.
  assert.equal((snap as { conversions: number }).conversions, 2);

  dev.restore(snap);
  host.queue = queue;
  host.t = t0;
  assert.equal(reg(REG_STATUS) & STATUS_ALERT_HIGH, 0);
  assert.deepEqual(run(), first);
  // Restoring twice from the same snapshot works: restore copied it.
  dev.restore(snap);
  assert.equal((dev.snapshot() as { conversions: number }).conversions, 2);
});

test('actions and parameters are checked: errors say what is accepted', () => {
  const { dev } = setup();
  assert.throws(() => dev.act('heat', {}), /unknown action 'heat' \(thermal-sensor accepts: set \{celsius\}, ramp \{to, overMs\}\)/);
  assert.throws(() => dev.act('set', { celsius: 'hot' }), /'celsius' must be a temperature in degC/);
  assert.throws(() => dev.act('ramp', { to: 30 }), /'overMs' must be the duration in ms/);
  assert.throws(() => dev.act('ramp', { to: 30, overMs: -1 }), /'overMs' must be 0 or more/);
  assert.throws(() => setup({ conversionMs: 0 }), /params.conversionMs must be a conversion time in ms greater than 0, not 0/);
  assert.throws(() => setup({ initialCelsius: '25' }), /params.initialCelsius must be a temperature/);
  assert.throws(() => setup({ noiseCelsius: -1 }), /params.noiseCelsius must be a noise amplitude/);
});
