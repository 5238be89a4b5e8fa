// Differential test of the execution engine: every program in test/vm/programs is compiled
// by gcc and run, then run by `kdsim exec`; stdout and exit status must be identical.
// Skipped when gcc is absent. Programs avoid LP64/LLP64 differences (see README.md there).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const dir = join(__dirname, 'programs');
const programs = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
const hasGcc = spawnSync('gcc', ['--version']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'kdsim-diff-'));

/** Programs whose meaning differs between gcc's LP64 and kdsim's MSVC LLP64 model, with why. */
const DATA_MODEL_DIFFERENCES: Record<string, string> = {
  'int_const_expr.c': 'an unsuffixed 2147483648 is unsigned long (4 bytes) under MSVC, long (8 bytes) under gcc LP64',
};

interface Outcome {
  stdout: string;
  status: number;
}

async function outcome(cmd: string, args: string[]): Promise<Outcome> {
  try {
    const r = await run(cmd, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 });
    return { stdout: r.stdout, status: 0 };
  } catch (e) {
    const x = e as { stdout?: string; code?: number | string; killed?: boolean; stderr?: string };
    if (x.killed) return { stdout: `${x.stdout ?? ''}<timeout>`, status: -1 };
    return { stdout: x.stdout ?? '', status: typeof x.code === 'number' ? x.code : -1 };
  }
}

async function viaGcc(file: string): Promise<Outcome> {
  const exe = join(tmp, file.replace(/\.c$/, ''));
  await run('gcc', ['-std=gnu11', '-O0', '-w', '-fno-builtin', '-o', exe, join(dir, file)]);
  return outcome(exe, []);
}

async function viaKdsim(file: string): Promise<Outcome> {
  return outcome(process.execPath, [cli, 'exec', join(dir, file)]);
}

// Two programs at a time (2 cores); results are awaited by the per-program tests below.
const results = new Map<string, Promise<[Outcome, Outcome]>>();
if (hasGcc) {
  let next = 0;
  const waiting = new Map<string, (v: [Outcome, Outcome]) => void>();
  for (const f of programs) results.set(f, new Promise((res) => waiting.set(f, res)));
  const worker = async (): Promise<void> => {
    while (next < programs.length) {
      const f = programs[next++];
      const both = await Promise.all([viaGcc(f), viaKdsim(f)]);
      waiting.get(f)?.(both);
    }
  };
  void Promise.all([worker(), worker()]);
}

test('the corpus has at least 150 programs', () => {
  assert.ok(programs.length >= 150, `${programs.length} programs`);
});

for (const f of programs) {
  const why = DATA_MODEL_DIFFERENCES[f];
  test(`kdsim exec ${f} = gcc`, { skip: !hasGcc ? 'gcc not installed' : why ? `data model: ${why}` : false }, async () => {
    const [g, k] = await (results.get(f) as Promise<[Outcome, Outcome]>);
    assert.equal(k.stdout, g.stdout, 'stdout');
    assert.equal(k.status, g.status, 'exit status');
  });
}
