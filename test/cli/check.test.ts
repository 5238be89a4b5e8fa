// `kdsim check` end to end through the built CLI bundle (dist/cli.js, made by npm run build).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function kdsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdsim-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('the CLI bundle exists (npm test builds it first)', () => {
  assert.ok(existsSync(cli), `${cli} is missing: run npm run build`);
});

test('check: clean file exits 0 and prints a summary', () => {
  const dir = tempDir({ 'a.c': 'int add(int a, int b) { return a + b; }\n' });
  const r = kdsim('check', join(dir, 'a.c'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /0 errors, 0 warnings \(1 functions defined/);
});

test('check: errors print path:line:col and exit 1', () => {
  const dir = tempDir({ 'bad.c': 'int f(void)\n{\n  return x;\n}\n' });
  const r = kdsim('check', join(dir, 'bad.c'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`${join(dir, 'bad.c').replace(/[/.]/g, '\\$&')}:3:10: error: use of undeclared identifier 'x'`));
});

test('check: -I and -D are honoured; warnings alone still exit 0', () => {
  const dir = tempDir({ 'm.c': '#include "cfg.h"\nint v = LIMIT;\nint g(void) { return h(); }\n', 'inc/cfg.h': '#define LIMIT VALUE\n' });
  const r = kdsim('check', join(dir, 'm.c'), '-I', join(dir, 'inc'), '-DVALUE=3');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /m\.c:3:22: warning: implicit declaration of function 'h'/);
});

test('check: a missing file and a bad option are usage errors (exit 2)', () => {
  assert.equal(kdsim('check', '/nonexistent/x.c').code, 2);
  assert.equal(kdsim('check', '--bogus').code, 2);
  assert.equal(kdsim('frobnicate').code, 2);
});

test('check: accepts a project folder with kdsim.json', () => {
  const dir = tempDir({
    'kdsim.json': JSON.stringify({ name: 't', sources: ['src/d.c'], includePaths: ['include'], defines: { FEATURE: 1 } }),
    'src/d.c': '#include "d.h"\n#if FEATURE\nint on = ON;\n#endif\n',
    'include/d.h': '#define ON 1\n',
  });
  const r = kdsim('check', dir);
  assert.equal(r.code, 0, r.stderr);
});

test('check: the bundled example driver compiles cleanly with the simulated WDK headers', () => {
  const r = kdsim('check', join(root, 'examples', 'dpcforisr'));
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
});

test('check -E prints the preprocessed source', () => {
  const dir = tempDir({ 'e.c': '#define SQR(x) ((x) * (x))\nint v = SQR(3);\n' });
  const r = kdsim('check', '-E', join(dir, 'e.c'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /int v = \(\(3\) \* \(3\)\);/);
});
