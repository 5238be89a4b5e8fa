// TraceRecorder: appends, capacity window, time queries over interleaved CPUs, rewind, JSON.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEvent } from '../../kernel-sim/trace/events';
import { TraceRecorder } from '../../kernel-sim/trace/recorder';

const print = (t: number, cpu: number, text = `${cpu}@${t}`): TraceEvent => ({ kind: 'dbgprint', t, cpu, text });
const texts = (events: readonly TraceEvent[]): string[] => events.map((e) => (e.kind === 'dbgprint' ? e.text : e.kind));

test('keeps every event by default, in recording order', () => {
  const r = new TraceRecorder();
  for (let i = 0; i < 1000; i++) r.record(print(i, i % 2));
  assert.equal(r.length, 1000);
  assert.equal(r.dropped, 0);
  assert.equal(r.events[0].t, 0);
  assert.equal(r.events[999].t, 999);
});

test('a capacity drops the oldest events and counts them', () => {
  const r = new TraceRecorder({ capacity: 3 });
  for (let i = 0; i < 10; i++) r.record(print(i, 0));
  assert.deepEqual(r.events.map((e) => e.t), [7, 8, 9]);
  assert.equal(r.dropped, 7);
  assert.equal(r.length, 3);
  const none = new TraceRecorder({ capacity: 0 });
  none.record(print(1, 0));
  assert.equal(none.length, 0);
  assert.equal(none.dropped, 1);
  assert.throws(() => new TraceRecorder({ capacity: -1 }), RangeError);
  assert.throws(() => new TraceRecorder({ capacity: 1.5 }), RangeError);
});

test('since and window sort interleaved CPUs by time, keeping ties in recording order', () => {
  const r = new TraceRecorder();
  // CPU 0 and CPU 1 each in order, but the simulator flushed CPU 1's slice late.
  for (const e of [print(10, 0, 'a'), print(20, 0, 'b'), print(30, 0, 'c'), print(5, 1, 'x'), print(20, 1, 'y'), print(35, 1, 'z')]) {
    r.record(e);
  }
  assert.deepEqual(texts(r.window(10, 30)), ['a', 'b', 'y']); // half-open: 30 excluded
  assert.deepEqual(texts(r.window(0, 100)), ['x', 'a', 'b', 'y', 'c', 'z']);
  assert.deepEqual(texts(r.since(20)), ['b', 'y', 'c', 'z']);
  assert.deepEqual(texts(r.events), ['a', 'b', 'c', 'x', 'y', 'z'], 'the stored order is untouched');
});

test('window queries on an ordered stream (binary search path)', () => {
  const r = new TraceRecorder();
  for (let i = 0; i < 100; i++) r.record(print(i * 10, 0));
  assert.deepEqual(r.window(95, 130).map((e) => e.t), [100, 110, 120]);
  assert.deepEqual(r.since(980).map((e) => e.t), [980, 990]);
  assert.deepEqual(r.window(2000, 3000), []);
});

test('snapshot/restore rewinds to the remembered length', () => {
  const r = new TraceRecorder();
  r.record(print(1, 0));
  r.record(print(2, 0));
  const s = r.snapshot();
  r.record(print(3, 0));
  r.record(print(4, 1));
  r.restore(s);
  assert.deepEqual(r.events.map((e) => e.t), [1, 2]);
  r.record(print(5, 0)); // recording continues from the restored point
  assert.deepEqual(r.events.map((e) => e.t), [1, 2, 5]);
  r.restore(s);
  assert.equal(r.length, 2);
  assert.equal(JSON.stringify(s), JSON.stringify(r.snapshot()), 'snapshots are plain data');
});

test('restore with a capacity: events evicted before the snapshot stay dropped', () => {
  const r = new TraceRecorder({ capacity: 4 });
  for (let i = 0; i < 6; i++) r.record(print(i, 0)); // retains 2..5
  const s = r.snapshot();
  for (let i = 6; i < 9; i++) r.record(print(i, 0)); // retains 5..8
  r.restore(s);
  assert.deepEqual(r.events.map((e) => e.t), [5]);
  assert.equal(r.dropped, 5);

  const early = new TraceRecorder({ capacity: 2 });
  early.record(print(0, 0));
  const s0 = early.snapshot();
  for (let i = 1; i < 6; i++) early.record(print(i, 0));
  early.restore(s0); // the one event before s0 was already evicted
  assert.equal(early.length, 0);
  assert.equal(early.dropped, 1);
});

test('clear empties the recorder and invalidates older snapshots', () => {
  const r = new TraceRecorder({ capacity: 2 });
  for (let i = 0; i < 5; i++) r.record(print(i, 0));
  const s = r.snapshot();
  r.clear();
  assert.equal(r.length, 0);
  assert.equal(r.dropped, 0);
  assert.throws(() => r.restore(s), RangeError);
  r.record(print(7, 0));
  assert.throws(() => r.restore({ epoch: r.snapshot().epoch, recorded: 5 }), RangeError, 'snapshot from the future');
});

test('toJSON is a stable, bigint-free document', () => {
  const r = new TraceRecorder({ cpus: 2 });
  // The same event built with two different key orders must serialise identically.
  r.record({ kind: 'isr-exit', t: 9, cpu: 1, vector: 0x51, routine: 'drv!Isr', interrupt: -8796093022208, claimed: true });
  r.record({ claimed: true, interrupt: -8796093022208, routine: 'drv!Isr', vector: 0x51, cpu: 1, t: 9, kind: 'isr-exit' });
  r.record({ kind: 'device', t: 10, device: 'nic0', what: 'irq' });
  const doc = r.toJSON();
  assert.equal(doc.format, 'kdsim-trace');
  assert.equal(doc.version, 1);
  assert.equal(doc.cpus, 2);
  assert.equal(doc.dropped, undefined);
  const [a, b, c] = doc.events.map((e) => JSON.stringify(e));
  assert.equal(a, b);
  assert.equal(a, '{"kind":"isr-exit","t":9,"cpu":1,"claimed":true,"interrupt":-8796093022208,"routine":"drv!Isr","vector":81}');
  assert.equal(c, '{"kind":"device","t":10,"device":"nic0","what":"irq"}');
  const text = JSON.stringify(r);
  assert.ok(text.startsWith('{"format":"kdsim-trace","version":1,"cpus":2,"events":['));
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(doc)));

  const capped = new TraceRecorder({ capacity: 1 });
  capped.record(print(1, 0));
  capped.record(print(2, 0));
  assert.deepEqual(capped.toJSON(), { format: 'kdsim-trace', version: 1, dropped: 1, events: [print(2, 0)] });
});
