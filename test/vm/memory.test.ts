// The simulated address space: canonical signed addresses, checked accesses, faults, MMIO, snapshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARENA_BASE, Memory, MemoryFault, PAGE_SIZE, fromUnsigned, toUnsigned, type MmioHandler } from '../../kernel-sim/vm/memory';

function faultOf(f: () => unknown): MemoryFault {
  try {
    f();
  } catch (e) {
    if (e instanceof MemoryFault) return e;
    throw e;
  }
  assert.fail('expected a MemoryFault');
}

test('kernel addresses are exact signed numbers and convert to unsigned 64-bit', () => {
  assert.equal(toUnsigned(ARENA_BASE), 0xfffff80000000000n);
  assert.equal(fromUnsigned(0xfffff80000001234n), ARENA_BASE + 0x1234);
  assert.equal(fromUnsigned(0x10n), 16);
  assert.ok(Number.isNaN(fromUnsigned(0x0000900000000000n)), 'non-canonical');
});

test('little-endian typed reads and writes of every width', () => {
  const m = new Memory({ size: 1 << 20 });
  const r = m.map('data', 'image', 64)!;
  m.writeU32(r.start, 0x11223344);
  assert.equal(m.readU8(r.start), 0x44);
  assert.equal(m.readU16(r.start + 2), 0x1122);
  m.writeU8(r.start + 8, 0xff);
  assert.equal(m.readI8(r.start + 8), -1);
  assert.equal(m.readU8(r.start + 8), 255);
  m.writeU16(r.start + 10, 0x8000);
  assert.equal(m.readI16(r.start + 10), -32768);
  m.writeU32(r.start + 12, -1);
  assert.equal(m.readU32(r.start + 12), 0xffffffff);
  assert.equal(m.readI32(r.start + 12), -1);
  m.writeU64(r.start + 16, -2n);
  assert.equal(m.readU64(r.start + 16), 0xfffffffffffffffen);
  assert.equal(m.readI64(r.start + 16), -2n);
  m.writeF64(r.start + 24, 1.5);
  assert.equal(m.readF64(r.start + 24), 1.5);
  m.writeF32(r.start + 32, 0.1);
  assert.equal(m.readF32(r.start + 32), Math.fround(0.1));
  m.writePtr(r.start + 40, r.start);
  assert.equal(m.readU64(r.start + 40), toUnsigned(r.start));
  assert.equal(m.readPtr(r.start + 40), r.start);
  // unaligned
  m.writeU32(r.start + 49, 0xcafebabe);
  assert.equal(m.readU32(r.start + 49), 0xcafebabe);
});

test('NULL, unmapped, guard, read-only and non-canonical accesses fault with the right kind', () => {
  const m = new Memory({ size: 1 << 20 });
  const stack = m.map('CPU 0 stack', 'stack', 2 * PAGE_SIZE)!;
  const rdata = m.map('.rdata', 'image', 16, true)!;
  assert.equal(faultOf(() => m.readU32(0)).kind, 'null');
  assert.equal(faultOf(() => m.readU32(8)).address, 8n);
  // the page below a stack is its guard page: a stack overflow
  const below = faultOf(() => m.writeU64(stack.start - 8, 1n));
  assert.equal(below.kind, 'guard');
  assert.equal(below.near, stack);
  assert.equal(below.write, true);
  assert.match(below.message, /write of 8 bytes at fffff80000000ff8: guard \(guard page of CPU 0 stack\)/);
  assert.equal(faultOf(() => m.writeU8(rdata.start, 1)).kind, 'read-only');
  assert.equal(m.readU8(rdata.start), 0);
  assert.equal(faultOf(() => m.readU8(NaN)).kind, 'non-canonical');
  assert.equal(faultOf(() => m.readU8(ARENA_BASE + (1 << 20) + 5)).kind, 'unmapped');
  // an access straddling the end of a region into its guard faults as a whole
  assert.equal(faultOf(() => m.readU32(rdata.start + rdata.size - 2)).kind, 'guard');
});

test('unmapped regions fault afterwards (use after free)', () => {
  const m = new Memory({ size: 1 << 20 });
  const r = m.map('pool block', 'pool', 32)!;
  m.writeU32(r.start, 7);
  m.unmap(r);
  assert.ok(faultOf(() => m.readU32(r.start)) instanceof MemoryFault);
});

test('block copy is memmove; fill and compare', () => {
  const m = new Memory({ size: 1 << 20 });
  const r = m.map('buf', 'heap', 64)!;
  m.writeBytes(r.start, [1, 2, 3, 4, 5, 6, 7, 8]);
  m.copy(r.start + 2, r.start, 6);
  assert.deepEqual([...m.readBytes(r.start, 8)], [1, 2, 1, 2, 3, 4, 5, 6]);
  m.fill(r.start + 16, 0xab, 4);
  assert.equal(m.readU32(r.start + 16), 0xabababab);
  assert.equal(m.compare(r.start, r.start + 2, 2), 0);
  assert.equal(m.compare(r.start, r.start + 16, 1), -1);
  m.writeBytes(r.start + 32, [104, 105, 0]);
  assert.deepEqual([...m.readCString(r.start + 32)], [104, 105]);
});

test('MMIO windows dispatch to the device with offset and size', () => {
  const m = new Memory({ size: 1 << 20 });
  const log: string[] = [];
  let status = 0x5n;
  const dev: MmioHandler = {
    read: (off, size) => {
      log.push(`r${size}@${off}`);
      return off === 0 ? status : 0n;
    },
    write: (off, size, v) => {
      log.push(`w${size}@${off}=${v}`);
      if (off === 0) status &= ~v;
    },
  };
  const regs = m.mapMmio('sampler0 BAR0', 16, dev)!;
  assert.equal(m.readU32(regs.start), 5);
  m.writeU32(regs.start, 1);
  assert.equal(m.readU32(regs.start), 4);
  assert.deepEqual(log, ['r4@0', 'w4@0=1', 'r4@0']);
});

test('snapshot and restore bring memory and the page table back exactly', () => {
  const m = new Memory({ size: 1 << 20 });
  const a = m.map('a', 'pool', 16)!;
  m.writeU32(a.start, 1);
  const snap = m.snapshot();
  m.writeU32(a.start, 2);
  const b = m.map('b', 'pool', 16)!;
  m.writeU32(b.start, 3);
  m.unmap(a);
  m.restore(snap);
  assert.equal(m.readU32(a.start), 1);
  assert.ok(faultOf(() => m.readU32(b.start)) instanceof MemoryFault, 'b did not exist at the snapshot');
  const c = m.map('c', 'pool', 16)!;
  assert.equal(c.start, b.start, 'allocation resumes where it was: deterministic re-execution');
});

test('the arena reports exhaustion instead of throwing', () => {
  const m = new Memory({ size: 4 * PAGE_SIZE });
  assert.ok(m.map('one', 'pool', PAGE_SIZE));
  assert.equal(m.map('too big', 'pool', 8 * PAGE_SIZE), undefined);
});
