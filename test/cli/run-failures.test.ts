// A failed expectation says what was expected, what happened instead and at what simulated time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRun } from '../../cli/run';

const example = join(__dirname, '..', '..', 'examples', 'dpcforisr');

function runWith(expect: unknown[]): { code: number; out: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'kdsim-fail-'));
  cpSync(example, dir, { recursive: true });
  const project = JSON.parse(readFileSync(join(dir, 'kdsim.json'), 'utf8')) as { scenario: { expect: unknown[] } };
  project.scenario.expect = expect;
  writeFileSync(join(dir, 'kdsim.json'), JSON.stringify(project));
  const out: string[] = [];
  const code = runRun([dir], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out };
}

test('failed expectations print expected, happened and when', () => {
  const r = runWith([
    { irpCompletes: 0, within: '1us' },
    { maxDuration: '100ns', routine: 'SmpInterruptService' },
    { dbgPrint: '^Sampler', max: 0 },
    { maxDpcQueueDepth: 0 },
    { irpCompletes: 1, data: [1, 2, 3, 4] },
  ]);
  assert.equal(r.code, 1);
  const text = r.out.join('\n');
  assert.match(text, /^FAIL expected: request 0 completes within 1us\n {5}happened: completed with STATUS_SUCCESS \(0x00000000\) after [\d.]+us \(limit 1us\) \(at [\d.]+ ms simulated\)$/m);
  assert.match(text, /^FAIL expected: SmpInterruptService never runs longer than 100ns\n {5}happened: longest run [\d.]+ns \(at [\d.]+ ms simulated\)$/m);
  assert.match(text, /^FAIL expected: no DPC queue holds more than 0 DPCs\n {5}happened: deepest queue: 1 DPC on CPU \d \(at [\d.]+ ms simulated\)$/m);
  assert.match(text, /^FAIL expected: request 1 completes returning \[01 02 03 04\]\n {5}happened: completed .* \(returned \[[0-9A-F ]+\], expected \[01 02 03 04\] \(first difference at byte 0: 0x[0-9A-F]+ instead of 0x1\)\) \(at [\d.]+ ms simulated\)$/m);
  assert.match(text, /^FAIL expected: DbgPrint matching \/\^Sampler\/ at most 0 times\n {5}happened: \d+ matching messages; first: "Sampler: .*" \(at [\d.]+ ms simulated\)$/m);
  assert.match(r.out.at(-1) ?? '', / 1 passed, 5 failed$/);
});
