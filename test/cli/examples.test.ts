// Every example project in examples/ (each kdsim.json, and variants named *.kdsim.json) runs its
// scenario with every expectation holding: the buggy examples expect their bug checks, the others
// expect none. A new example is covered by being added, with no test to write.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runRun } from '../../cli/run';

const root = join(__dirname, '..', '..');

function projects(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...projects(p));
    else if (name === 'kdsim.json' || name.endsWith('.kdsim.json')) out.push(p);
  }
  return out;
}

const all = projects(join(root, 'examples'));

test('the examples folder has projects', () => {
  assert.ok(all.length >= 8, `found ${all.length}`);
});

for (const file of all) {
  test(`example ${relative(root, file)}: every expectation holds`, () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runRun([file], { out: (l) => out.push(l), err: (l) => err.push(l) });
    const summary = out.at(-1) ?? '';
    assert.equal(code, 0, `${out.filter((l) => /^(FAIL| {5}happened)/.test(l)).join('\n')}\n${err.join('\n')}\n${summary}`);
    assert.match(summary, / 0 failed/);
  });
}
