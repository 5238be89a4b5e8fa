// The record a re-execution keeps (kernel-sim/debug/replay.ts): bounded to the latest
// statements, in order, and saying when its start was dropped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notAfter, type Seen, StatementLog } from '../../kernel-sim/debug/replay';

const at = (n: number): Seen => ({ at: n, t: n, cpu: 0, thread: 1, depth: 1, act: 1, line: n, file: 'x.c', fn: 'f', pc: 0, bpHit: false });

test('a statement log keeps the latest statements in order and says when it dropped the oldest', () => {
  const log = new StatementLog(4);
  for (let i = 0; i < 7; i++) log.push(at(i));
  assert.equal(log.dropped, false);
  assert.deepEqual(log.seen.map((x) => x.at), [0, 1, 2, 3, 4, 5, 6]);
  log.push(at(7));
  assert.equal(log.dropped, true);
  assert.deepEqual(log.seen.map((x) => x.at), [4, 5, 6, 7]);
  for (let i = 8; i < 100; i++) log.push(at(i));
  assert.ok(log.seen.length < 8);
  assert.equal(log.seen[log.seen.length - 1].at, 99);
  assert.ok(log.seen.every((x, i) => i === 0 || log.seen[i - 1].at < x.at));
});

test('positions: between slices comes before the statement at the same count', () => {
  assert.ok(notAfter({ at: 5, boundary: true }, { at: 5, boundary: false }));
  assert.ok(!notAfter({ at: 5, boundary: false }, { at: 5, boundary: true }));
  assert.ok(notAfter({ at: 4, boundary: false }, { at: 5, boundary: true }));
  assert.ok(notAfter({ at: 5, boundary: false }, { at: 5, boundary: false }));
});
