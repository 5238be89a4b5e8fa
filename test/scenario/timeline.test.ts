// Stimulus expansion (deterministic for a seed) and the seeded PRNG behind it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandStimuli } from '../../kernel-sim/scenario/timeline';
import { Random, deriveSeed } from '../../kernel-sim/scenario/random';
import type { Stimulus } from '../../kernel-sim/scenario/project-types';

test('interrupt, periodic and burst stimuli expand to their exact times', () => {
  const stimuli: Stimulus[] = [
    { kind: 'periodic', device: 'a', startNs: 1000, periodNs: 500, count: 3 },
    { kind: 'interrupt', device: 'b', atNs: 1500, data: 7 },
    { kind: 'burst', device: 'a', atNs: 1500, count: 2, spacingNs: 0 },
  ];
  assert.deepEqual(expandStimuli(stimuli, 1), [
    { atNs: 1000, device: 'a', source: 0 },
    { atNs: 1500, device: 'a', source: 0 },
    { atNs: 1500, device: 'b', data: 7, source: 1 },
    { atNs: 1500, device: 'a', source: 2 },
    { atNs: 1500, device: 'a', source: 2 },
    { atNs: 2000, device: 'a', source: 0 },
  ]);
});

test('random stimuli: count times in [start, end), sorted, deterministic for a seed', () => {
  const s: Stimulus[] = [{ kind: 'random', device: 'd', startNs: 1000, endNs: 2000, count: 200 }];
  const a = expandStimuli(s, 5);
  assert.equal(a.length, 200);
  for (const e of a) assert.ok(e.atNs >= 1000 && e.atNs < 2000 && Number.isInteger(e.atNs), String(e.atNs));
  for (let i = 1; i < a.length; i++) assert.ok(a[i - 1].atNs <= a[i].atNs);
  assert.deepEqual(expandStimuli(s, 5), a, 'same seed, same times');
  assert.notDeepEqual(expandStimuli(s, 6), a, 'another machine seed, other times');
  // Spread over the window, not clumped (a loose check: both halves get a fair share).
  const low = a.filter((e) => e.atNs < 1500).length;
  assert.ok(low > 60 && low < 140, `low half got ${low} of 200`);
});

test("a random stimulus's own seed overrides the machine seed", () => {
  const s: Stimulus[] = [{ kind: 'random', device: 'd', startNs: 0, endNs: 1e6, count: 20, seed: 77 }];
  assert.deepEqual(expandStimuli(s, 1), expandStimuli(s, 2));
});

test('random stimuli do not repeat each other, and adding one does not reshuffle the rest', () => {
  const r: Stimulus = { kind: 'random', device: 'd', startNs: 0, endNs: 1e9, count: 10 };
  const two = expandStimuli([r, r], 3);
  const first = two.filter((e) => e.source === 0).map((e) => e.atNs);
  const second = two.filter((e) => e.source === 1).map((e) => e.atNs);
  assert.notDeepEqual(first, second);
  const alone = expandStimuli([r], 3).map((e) => e.atNs);
  assert.deepEqual(first, alone);
});

test('a degenerate random window yields its start', () => {
  assert.deepEqual(
    expandStimuli([{ kind: 'random', device: 'd', startNs: 5, endNs: 5, count: 2 }], 1).map((e) => e.atNs),
    [5, 5],
  );
});

test('Random: reproducible, snapshot and restore continue the same sequence', () => {
  const a = new Random(12345);
  const b = new Random(12345);
  const seqA = Array.from({ length: 10 }, () => a.nextU32());
  assert.deepEqual(
    Array.from({ length: 10 }, () => b.nextU32()),
    seqA,
  );
  for (const x of seqA) assert.ok(Number.isInteger(x) && x >= 0 && x <= 0xffffffff);
  const snap = a.snapshot();
  assert.ok(snap.every((w) => typeof w === 'number'));
  const next = [a.nextU32(), a.nextFloat(), a.intBelow(10)];
  const c = Random.fromSnapshot(snap);
  assert.deepEqual([c.nextU32(), c.nextFloat(), c.intBelow(10)], next);
  a.restore(snap);
  assert.deepEqual([a.nextU32(), a.nextFloat(), a.intBelow(10)], next);
  // A snapshot is a copy, not a view of the live state.
  const s2 = a.snapshot();
  a.nextU32();
  assert.notDeepEqual(a.snapshot(), s2);
});

test('Random: different seeds differ, including seeds above 2^32 and zero', () => {
  const first = (seed: number): number[] => {
    const r = new Random(seed);
    return [r.nextU32(), r.nextU32()];
  };
  const seeds = [0, 1, 2, 2 ** 32, 2 ** 32 + 1, 2 ** 40, Number.MAX_SAFE_INTEGER];
  const seen = new Set(seeds.map((s) => first(s).join(',')));
  assert.equal(seen.size, seeds.length);
  assert.notEqual(first(0).join(','), '0,0');
  assert.notEqual(deriveSeed(1, 0), deriveSeed(1, 1));
  assert.notEqual(deriveSeed(1, 0), deriveSeed(2, 0));
});

test('Random: nextFloat in [0, 1), intBelow in range and roughly uniform', () => {
  const r = new Random(9);
  const buckets = new Array<number>(6).fill(0);
  for (let i = 0; i < 6000; i++) {
    const f = r.nextFloat();
    assert.ok(f >= 0 && f < 1);
    const k = r.intBelow(6);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 6);
    buckets[k]++;
  }
  for (const b of buckets) assert.ok(b > 800 && b < 1200, `bucket ${b}`);
  assert.equal(r.intBelow(1), 0);
  assert.ok(r.intBelow(2 ** 32) < 2 ** 32);
  assert.throws(() => r.intBelow(0), RangeError);
  assert.throws(() => r.intBelow(1.5), RangeError);
  assert.throws(() => r.intBelow(2 ** 32 + 1), RangeError);
  assert.throws(() => r.restore([0, 0, 0, 0]), RangeError);
  assert.throws(() => r.restore([1, 2, 3, -1]), RangeError);
});
