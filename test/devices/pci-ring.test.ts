// The PCI ring device driven through its registers the way a driver does, with a fake host
// that runs scheduled events in time order and records line levels, MSI pulses and outputs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTROL_ENABLE,
  CONTROL_RESET,
  DESC_DONE,
  DESC_ERROR,
  DESC_OWNED,
  DESC_SIZE,
  INT_ERROR,
  INT_RX_DONE,
  INT_TX_DONE,
  MSI_ENABLE,
  PciRingDevice,
  REG_CONTROL,
  REG_ID,
  REG_INT_MASK,
  REG_INT_STATUS,
  REG_MSI_CONTROL,
  REG_RING_SIZE,
  REG_RX_DOORBELL,
  REG_RX_HEAD,
  REG_RX_MISSED,
  REG_TX_DOORBELL,
  REG_TX_HEAD,
  RING_ID,
  RX_DESC_BASE,
  TX_DESC_BASE,
} from '../../kernel-sim/devices/pci-ring';
import { FakeHost } from './fake-host';

function setup(txTimeUs = 10): { dev: PciRingDevice; host: FakeHost; rd: (o: number) => number; wr: (o: number, v: number) => void } {
  const dev = new PciRingDevice('ring0', { txTimeUs });
  // INTx is line 0; MSI mode sends messages 0-2 (RX_DONE, TX_DONE, ERROR) as pulses.
  const host = new FakeHost(dev, { lineCount: 1, pulseCount: 3 });
  return { dev, host, rd: (o) => dev.read(0, o, 4), wr: (o, v) => dev.write(0, o, 4, v) };
}

function txDesc(wr: (o: number, v: number) => void, i: number, length: number, d0: number, d1: number): void {
  const b = TX_DESC_BASE + i * DESC_SIZE;
  wr(b + 0, length);
  wr(b + 8, d0);
  wr(b + 12, d1);
  wr(b + 4, DESC_OWNED);
}

function rxArm(wr: (o: number, v: number) => void, i: number): void {
  wr(RX_DESC_BASE + i * DESC_SIZE + 4, DESC_OWNED);
}

test('power-on registers and ID', () => {
  const { rd, dev } = setup();
  assert.equal(rd(REG_ID), RING_ID);
  assert.equal(dev.read(0, REG_ID + 2, 2), RING_ID >>> 16);
  assert.equal(rd(REG_RING_SIZE), 16);
  assert.equal(rd(REG_CONTROL), 0);
  assert.equal(rd(0x800 + 0x200), 0, 'unused offsets read 0');
  const names = dev.registers().map((r) => r.name);
  assert.ok(names.includes('INT_STATUS') && names.includes('RX[0].FLAGS') && names.includes('TX[3].DATA1'));
});

test('TX sends two descriptors, txTimeUs apart, with length-limited bytes', () => {
  const { host, rd, wr } = setup(10);
  wr(REG_CONTROL, CONTROL_ENABLE);
  wr(REG_INT_MASK, INT_TX_DONE);
  txDesc(wr, 0, 3, 0x44332211, 0x88776655);
  txDesc(wr, 1, 8, 0x04030201, 0x08070605);
  host.t = 1000;
  wr(REG_TX_DOORBELL, 1);
  host.run(10_999);
  assert.equal(host.outputs.length, 0, 'nothing before the first descriptor time');
  host.run(11_000);
  assert.deepEqual(host.outputs, [{ atNs: 11_000, kind: 'tx', data: [0x11, 0x22, 0x33] }]);
  assert.equal(rd(REG_TX_HEAD), 1);
  assert.equal(rd(TX_DESC_BASE + 4), DESC_DONE, 'DONE set, OWNED cleared');
  assert.equal(rd(TX_DESC_BASE + DESC_SIZE + 4), DESC_OWNED, 'second still owned');
  assert.equal(rd(REG_INT_STATUS), INT_TX_DONE);
  host.run(50_000);
  assert.deepEqual(host.outputs[1], { atNs: 21_000, kind: 'tx', data: [1, 2, 3, 4, 5, 6, 7, 8] });
  assert.equal(host.outputs.length, 2);
  assert.equal(rd(REG_TX_HEAD), 2);
  assert.equal(rd(TX_DESC_BASE + DESC_SIZE + 4), DESC_DONE);
  // The level line rose at the first completion and stays up until INT_STATUS is cleared.
  assert.deepEqual(host.lines(), [{ atNs: 11_000, level: true }]);
});

test('TX waits for ENABLE, and a length above 8 is a descriptor error', () => {
  const { host, rd, wr } = setup(5);
  txDesc(wr, 0, 9, 1, 2);
  wr(REG_TX_DOORBELL, 0);
  host.run(100_000);
  assert.equal(host.outputs.length, 0, 'disabled device sends nothing');
  wr(REG_CONTROL, CONTROL_ENABLE);
  host.run(200_000);
  assert.equal(host.outputs.length, 0);
  assert.equal(rd(TX_DESC_BASE + 4), DESC_DONE | DESC_ERROR);
  assert.equal(rd(REG_INT_STATUS), INT_TX_DONE | INT_ERROR);
  assert.equal(rd(REG_TX_HEAD), 1);
});

test('RX fills owned descriptors, then reports no buffer', () => {
  const { dev, host, rd, wr } = setup();
  wr(REG_CONTROL, CONTROL_ENABLE);
  wr(REG_INT_MASK, INT_RX_DONE | INT_ERROR);
  rxArm(wr, 0);
  rxArm(wr, 1);
  wr(REG_RX_DOORBELL, 1);
  dev.act('receive', { data: [0xde, 0xad, 0xbe, 0xef, 0x01] });
  assert.equal(rd(RX_DESC_BASE + 0), 5);
  assert.equal(rd(RX_DESC_BASE + 4), DESC_DONE);
  assert.equal(rd(RX_DESC_BASE + 8), 0xefbeadde);
  assert.equal(rd(RX_DESC_BASE + 12), 0x01);
  assert.equal(rd(REG_RX_HEAD), 1);
  assert.equal(rd(REG_INT_STATUS), INT_RX_DONE);
  dev.stimulate(0x12345678);
  assert.equal(rd(RX_DESC_BASE + DESC_SIZE + 0), 4);
  assert.equal(rd(RX_DESC_BASE + DESC_SIZE + 8), 0x12345678);
  assert.equal(rd(RX_DESC_BASE + DESC_SIZE + 12), 0);
  assert.equal(rd(REG_RX_HEAD), 2);
  // No descriptor left: dropped, counted, ERROR raised.
  dev.act('receive', { data: [1] });
  assert.equal(rd(REG_RX_HEAD), 2);
  assert.equal(rd(REG_RX_MISSED), 1);
  assert.equal(rd(REG_INT_STATUS), INT_RX_DONE | INT_ERROR);
  // Owned but not yet announced by the doorbell is not available either.
  rxArm(wr, 2);
  dev.act('receive', { data: [2] });
  assert.equal(rd(REG_RX_MISSED), 2);
  wr(REG_RX_DOORBELL, 2);
  dev.act('receive', { data: [3] });
  assert.equal(rd(REG_RX_HEAD), 3);
  assert.equal(rd(RX_DESC_BASE + 2 * DESC_SIZE + 8), 3);
  assert.throws(() => dev.act('shake', {}), /receive/);
  assert.throws(() => dev.act('receive', { data: [256] }), /byte/);
  assert.deepEqual(host.pulses, []);
});

test('INT_STATUS is write-1-to-clear and the line follows status & mask', () => {
  const { dev, host, rd, wr } = setup();
  wr(REG_CONTROL, CONTROL_ENABLE);
  rxArm(wr, 0);
  rxArm(wr, 1);
  wr(REG_RX_DOORBELL, 1);
  dev.stimulate(1);
  assert.equal(rd(REG_INT_STATUS), INT_RX_DONE, 'causes latch while masked');
  assert.equal(host.lineLog.length, 0, 'masked: no line');
  wr(REG_INT_MASK, INT_RX_DONE);
  assert.deepEqual(host.lines().map((l) => l.level), [true], 'unmasking a pending cause asserts');
  dev.act('receive', { data: [] }); // a zero-length frame into descriptor 1
  dev.act('receive', { data: [9] }); // none left: ERROR (masked)
  assert.equal(rd(REG_INT_STATUS), INT_RX_DONE | INT_ERROR);
  wr(REG_INT_STATUS, INT_ERROR);
  assert.equal(rd(REG_INT_STATUS), INT_RX_DONE, 'only the written 1s clear');
  assert.deepEqual(host.lines().map((l) => l.level), [true]);
  wr(REG_INT_STATUS, 0);
  assert.equal(rd(REG_INT_STATUS), INT_RX_DONE, 'writing 0 changes nothing');
  wr(REG_INT_STATUS, INT_RX_DONE);
  assert.equal(rd(REG_INT_STATUS), 0);
  assert.deepEqual(host.lines().map((l) => l.level), [true, false]);
  // A byte write clears too.
  dev.stimulate(2); // no buffer → ERROR, masked
  dev.write(0, REG_INT_STATUS, 1, INT_ERROR);
  assert.equal(rd(REG_INT_STATUS), 0);
  // Masking a pending cause drops the line.
  wr(REG_INT_MASK, INT_ERROR);
  dev.stimulate(3);
  assert.deepEqual(host.lines().map((l) => l.level), [true, false, true]);
  wr(REG_INT_MASK, 0);
  assert.deepEqual(host.lines().map((l) => l.level), [true, false, true, false]);
  assert.deepEqual(host.pulses, []);
});

test('MSI: one message per new cause with its index, no line activity', () => {
  const { dev, host, rd, wr } = setup(10);
  wr(REG_MSI_CONTROL, MSI_ENABLE);
  wr(REG_CONTROL, CONTROL_ENABLE);
  wr(REG_INT_MASK, INT_RX_DONE | INT_TX_DONE | INT_ERROR);
  rxArm(wr, 0);
  rxArm(wr, 1);
  wr(REG_RX_DOORBELL, 1);
  dev.stimulate(1);
  assert.deepEqual(host.pulses, [{ atNs: 0, index: 0 }]);
  dev.stimulate(2);
  assert.equal(host.pulses.length, 1, 'RX_DONE still pending: no new edge');
  wr(REG_INT_STATUS, INT_RX_DONE);
  dev.stimulate(3); // no buffer
  assert.deepEqual(host.pulses.map((p) => p.index), [0, 2]);
  txDesc(wr, 0, 1, 0xaa, 0);
  wr(REG_TX_DOORBELL, 0);
  host.run(10_000);
  assert.deepEqual(host.pulses.at(-1), { atNs: 10_000, index: 1 });
  assert.deepEqual(host.outputs.map((o) => o.data), [[0xaa]]);
  assert.deepEqual(host.lineLog, [], 'the line never moves in MSI mode');
  assert.equal(rd(REG_INT_STATUS), INT_TX_DONE | INT_ERROR);
});

test('switching from line to MSI drops the line and messages the pending causes', () => {
  const { dev, host, wr } = setup();
  wr(REG_CONTROL, CONTROL_ENABLE);
  wr(REG_INT_MASK, INT_ERROR);
  dev.stimulate(1); // no buffer → ERROR
  assert.deepEqual(host.lines().map((l) => l.level), [true]);
  wr(REG_MSI_CONTROL, MSI_ENABLE);
  assert.deepEqual(host.lines().map((l) => l.level), [true, false]);
  assert.deepEqual(host.pulses.map((p) => p.index), [2]);
});

test('RESET returns to power-on state and cancels a send in flight', () => {
  const { dev, host, rd, wr } = setup(10);
  wr(REG_CONTROL, CONTROL_ENABLE);
  wr(REG_INT_MASK, INT_ERROR | INT_TX_DONE);
  wr(REG_RING_SIZE, 8);
  assert.equal(rd(REG_RING_SIZE), 16, 'RING_SIZE is fixed while enabled');
  dev.stimulate(1); // ERROR → line high
  txDesc(wr, 0, 2, 0x1234, 0);
  wr(REG_TX_DOORBELL, 0);
  host.run(5_000);
  wr(REG_CONTROL, CONTROL_RESET | CONTROL_ENABLE);
  assert.deepEqual(host.lines().map((l) => l.level), [true, false]);
  assert.equal(rd(REG_CONTROL), 0, 'ENABLE in the RESET write is ignored');
  for (const reg of [REG_INT_STATUS, REG_INT_MASK, REG_RX_DOORBELL, REG_RX_HEAD, REG_TX_DOORBELL, REG_TX_HEAD, REG_MSI_CONTROL, REG_RX_MISSED]) {
    assert.equal(rd(reg), 0, `register 0x${reg.toString(16)} after reset`);
  }
  assert.equal(rd(REG_RING_SIZE), 16);
  assert.equal(rd(TX_DESC_BASE + 4), 0, 'descriptor memory cleared');
  // The completion scheduled before the reset does nothing, even once re-enabled.
  wr(REG_CONTROL, CONTROL_ENABLE);
  host.run(100_000);
  assert.deepEqual(host.outputs, []);
  assert.equal(rd(REG_TX_HEAD), 0);
  // RING_SIZE: only powers of two up to 64, while disabled; indices wrap at it.
  wr(REG_CONTROL, 0);
  wr(REG_RING_SIZE, 3);
  assert.equal(rd(REG_RING_SIZE), 16);
  wr(REG_RING_SIZE, 128);
  assert.equal(rd(REG_RING_SIZE), 16);
  wr(REG_RING_SIZE, 2);
  assert.equal(rd(REG_RING_SIZE), 2);
  wr(REG_RX_DOORBELL, 5);
  assert.equal(rd(REG_RX_DOORBELL), 1);
});

test('indices wrap around a small ring', () => {
  const { dev, host, rd, wr } = setup(1);
  wr(REG_RING_SIZE, 2);
  wr(REG_CONTROL, CONTROL_ENABLE);
  for (let round = 0; round < 3; round++) {
    const i = round & 1;
    rxArm(wr, i);
    wr(REG_RX_DOORBELL, i);
    dev.act('receive', { data: [round] });
    assert.equal(rd(RX_DESC_BASE + i * DESC_SIZE + 8), round);
    txDesc(wr, i, 1, round, 0);
    wr(REG_TX_DOORBELL, i);
    host.run(host.t + 1000);
  }
  assert.equal(rd(REG_RX_HEAD), 1);
  assert.equal(rd(REG_TX_HEAD), 1);
  assert.equal(rd(REG_RX_MISSED), 0);
  assert.deepEqual(host.outputs.map((o) => o.data), [[0], [1], [2]]);
});

test('snapshot/restore round-trips plain data', () => {
  const { dev, host, rd, wr } = setup(10);
  wr(REG_CONTROL, CONTROL_ENABLE);
  wr(REG_INT_MASK, INT_TX_DONE);
  txDesc(wr, 0, 1, 0x55, 0);
  wr(REG_TX_DOORBELL, 0);
  const snap = dev.snapshot();
  const copy: unknown = JSON.parse(JSON.stringify(snap));
  host.run(10_000);
  assert.equal(rd(REG_TX_HEAD), 1);
  dev.restore(copy);
  assert.equal(rd(REG_TX_HEAD), 0);
  assert.equal(rd(TX_DESC_BASE + 4), DESC_OWNED);
  assert.equal(rd(REG_INT_STATUS), 0);
  // The host replays the still-pending event after restoring (its queue is snapshotted too).
  host.t = 0;
  host.schedule(10_000, 'tx', (copy as { generation: number }).generation);
  host.run(10_000);
  assert.equal(rd(REG_TX_HEAD), 1);
  assert.equal(host.outputs.length, 2);
  // Mutating the device after a snapshot leaves the snapshot alone.
  assert.equal((snap.txMem as number[])[1], DESC_OWNED);
});
