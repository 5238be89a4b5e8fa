// `kdsim exec` end to end through dist/cli.js: output, exit status, arguments, faults, breakpoints.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function program(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdsim-exec-'));
  const file = join(dir, 'p.c');
  writeFileSync(file, src);
  return file;
}

function kdsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('exec runs main: printf output and main’s return value as the exit status', () => {
  const f = program('#include <stdio.h>\nint main(void) { printf("%d %s %5.2f|%-4x|\\n", 42, "ok", 3.14159, 255); return 7; }\n');
  const r = kdsim('exec', f);
  assert.equal(r.stdout, '42 ok  3.14|ff  |\n');
  assert.equal(r.code, 7);
});

test('exec passes arguments after -- to main, and -D defines', () => {
  const f = program('#include <stdio.h>\nint main(int argc, char **argv) { for (int i = 1; i < argc; i++) puts(argv[i]); return argc * VALUE; }\n');
  const r = kdsim('exec', f, '-DVALUE=10', '--', 'alpha', 'beta');
  assert.equal(r.stdout, 'alpha\nbeta\n');
  assert.equal(r.code, 30);
});

test('exec: exit() and a failed assert', () => {
  assert.equal(kdsim('exec', program('#include <stdlib.h>\nint main(void) { exit(3); }\n')).code, 3);
  const a = kdsim('exec', program('#include <assert.h>\nint main(void) { int x = 1;\n  assert(x == 2);\n  return 0; }\n'));
  assert.notEqual(a.code, 0);
  assert.match(a.stderr, /Assertion failed: x == 2, file .*p\.c, line 3/);
});

test('exec: a NULL dereference ends the run with a fault report naming the source line', () => {
  const f = program('int main(void)\n{\n  int *p = 0;\n  return *p;\n}\n');
  const r = kdsim('exec', f);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /p\.c:4:3: fault: read of 4 bytes at 0000000000000000: null \(in main\)/);
});

test('exec: unbounded recursion is a stack overflow, not a hang or a crash', () => {
  const f = program('int down(int n) { volatile int pad[32]; pad[0] = n; return down(n + 1) + pad[0]; }\nint main(void) { return down(0); }\n');
  const r = kdsim('exec', f);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /fault: stack overflow/);
});

test('exec: compile errors are reported and the program does not run', () => {
  const r = kdsim('exec', program('int main(void) { return y; }\n'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /p\.c:1:25: error: use of undeclared identifier 'y'/);
});

test('exec --break reports each hit and goes on', () => {
  const f = program('#include <stdio.h>\nint main(void) {\n  int s = 0;\n  for (int i = 0; i < 3; i++)\n    s += i;\n  printf("%d\\n", s);\n  return 0;\n}\n');
  const r = kdsim('exec', f, '--break', 'p.c:5');
  assert.equal(r.stdout, '3\n');
  assert.equal((r.stderr.match(/breakpoint at .*p\.c:5/g) ?? []).length, 3);
});

test('exec: math.h exact operations match the C library bit for bit', () => {
  const f = program('#include <stdio.h>\n#include <math.h>\nint main(void) { printf("%.17g %.17g %.17g %.17g %.17g %.17g %.17g\\n", sqrt(2.0), floor(-2.5), ceil(2.1), round(2.5), round(-2.5), round(0.49999999999999994), fmod(7.5, 2.0)); return 0; }\n');
  const r = kdsim('exec', f);
  assert.equal(r.stdout, '1.4142135623730951 -3 3 3 -3 0 1.5\n');
});

test('exec: _Generic, const array parameters and scalar compound literals', () => {
  const f = program('#include <stdio.h>\nstatic int g(const int a[const 2]) { return a[0] + a[1]; }\n#define K(x) _Generic((x), int: 1, const int: 2, default: 3)\nint main(void) { const int c = 0; printf("%d %d %d\\n", K(c), g((int[]){4, 5}), (int){6}); return 0; }\n');
  const r = kdsim('exec', f);
  assert.equal(r.stdout, '1 9 6\n', r.stderr);
});
