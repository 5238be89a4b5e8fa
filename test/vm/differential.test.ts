// Differential corpus for the C execution engine: every test/vm/programs/*.c runs under gcc
// (the reference) and under `kdsim exec`; stdout and the exit status must be identical.
//
// Per program, gcc side (the test is skipped when gcc is missing):
//   - portability lint (corpus.ts): no `long`, portable printf directives, allowed headers,
//     no unsuffixed decimal literal above INT_MAX;
//   - reference build `gcc -std=gnu11 -O0 -w -fno-builtin`, run twice: same output both times,
//     exit status 0..100, non-empty printable-ASCII output, and only the C library functions of
//     LIBRARY_FUNCTIONS (nm -u of the executable);
//   - format check `-m64 -Wall -Werror=format -Werror=implicit-function-declaration`;
//   - programs that declare bit-fields are built again with -mms-bitfields (MSVC record
//     layout): the output must not change;
//   - KDSIM_VM_STRICT=1 adds: the format check with x86_64-w64-mingw32-gcc (a true LLP64
//     compiler) when installed, gcc reading kdsim's own hosted headers (kernel-sim/include),
//     and an -O2 -fsanitize=undefined,address build whose output must not change.
// kdsim side: `node dist/cli.js exec <file>`. While `exec` is not a known command (exit 2,
// "unknown command 'exec'") the front end compiles the program in process (no errors, no
// warnings) and the program's test is marked skipped after the gcc side passed.
//
// Programs are checked a few at a time (describe concurrency). Environment: KDSIM_VM_JOBS
// (parallel programs), KDSIM_VM_FILTER (name substring), KDSIM_VM_EXEC_TIMEOUT_MS, KDSIM_VM_CLI
// (another kdsim CLI bundle instead of dist/cli.js).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, test } from 'node:test';
import { loadSimulatedHeaders, NodeFileHost } from '../../node-host/files';
import { compile, formatDiagnostic } from '../../kernel-sim/c';
import { AREAS, declaresBitFields, GLIBC_ALIASES, LIBRARY_FUNCTIONS, lint, listPrograms, type Program } from './corpus';
import {
  available,
  compileOrThrow,
  FORMAT_CHECK_FLAGS,
  isPlainText,
  KDSIM_HEADERS_PRELUDE,
  KDSIM_INCLUDE,
  kdsimHeadersFlags,
  libraryCalls,
  MINGW,
  MS_LAYOUT_FLAGS,
  REFERENCE_FLAGS,
  ROOT,
  runProgram,
  SANITIZER_FLAGS,
} from './gcc';
import { describeEnd, run, type ProcResult } from './proc';

const CLI = process.env.KDSIM_VM_CLI ?? join(ROOT, 'dist', 'cli.js');
const HAS_GCC = available('gcc');
const STRICT = process.env.KDSIM_VM_STRICT === '1';
const HAS_MINGW = STRICT && HAS_GCC && available(MINGW);
const FILTER = process.env.KDSIM_VM_FILTER ?? '';
const JOBS = Number(process.env.KDSIM_VM_JOBS) || Math.max(2, Math.min(4, availableParallelism()));
const EXEC_LIMITS = { timeoutMs: Number(process.env.KDSIM_VM_EXEC_TIMEOUT_MS) || 120_000, maxOutputBytes: 1 << 20 };
const NOT_IMPLEMENTED = 'kdsim exec not implemented yet';

const ALL = listPrograms();
const PROGRAMS = ALL.filter((p) => p.name.includes(FILTER));

let scratch = '';
function workDir(): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'kdsim-vm-'));
    writeFileSync(join(scratch, 'kdsim-prelude.h'), KDSIM_HEADERS_PRELUDE);
  }
  return scratch;
}
after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const headers = loadSimulatedHeaders(KDSIM_INCLUDE);

function ended(r: ProcResult): string {
  return `${describeEnd(r)}${r.stderr ? `; stderr:\n${r.stderr.slice(0, 2000)}` : ''}`;
}

/** Builds with `flags` and runs the program once. */
async function buildAndRun(p: Program, flags: readonly string[], suffix: string): Promise<ProcResult> {
  const exe = join(workDir(), `${p.name}.${suffix}`);
  await compileOrThrow('gcc', [...flags, '-o', exe, p.file], `build (${suffix})`);
  return runProgram(exe);
}

interface Reference {
  stdout: string;
  status: number;
}

/** Everything on the gcc side; returns the reference output and status. */
async function gccSide(p: Program): Promise<Reference> {
  const dir = workDir();
  const exe = join(dir, `${p.name}.ref`);
  // Runs beside the build; its failure is collected here and reported after the run checks.
  const formatCheck = compileOrThrow('gcc', ['-m64', ...FORMAT_CHECK_FLAGS, p.file], 'format check (gcc, LP64 glibc)').then(
    () => undefined,
    (e: unknown) => e,
  );
  await compileOrThrow('gcc', [...REFERENCE_FLAGS, '-o', exe, p.file], 'reference build');

  const unknown = (await libraryCalls(exe)).map((s) => GLIBC_ALIASES[s] ?? s).filter((s) => !LIBRARY_FUNCTIONS.includes(s));
  assert.deepEqual(unknown, [], 'calls library functions outside LIBRARY_FUNCTIONS (test/vm/corpus.ts, README): the engine would have to provide them');

  const first = await runProgram(exe);
  const second = await runProgram(exe);
  assert.ok(first.status !== null && !first.timedOut && !first.overflow, `reference run: ${ended(first)}`);
  const status = first.status;
  assert.ok(status >= 0 && status <= 100, `exit status ${status} outside 0..100 (keep statuses small and non-negative)`);
  assert.equal(second.stdout, first.stdout, 'reference output differs between two runs (uninitialized memory? addresses?)');
  assert.equal(second.status, status, 'reference exit status differs between two runs');
  assert.ok(isPlainText(first.stdout), 'output must be printable ASCII, tabs and newlines');
  assert.ok(first.stdout.length > 0, 'the program prints nothing');
  const formatError = await formatCheck;
  if (formatError) throw formatError;

  if (declaresBitFields(p.source)) {
    const ms = await buildAndRun(p, MS_LAYOUT_FLAGS, 'ms');
    assert.equal(ms.stdout, first.stdout, 'output changes under -mms-bitfields (MSVC layout): the program depends on bit-field layout');
    assert.equal(ms.status, status, 'exit status changes under -mms-bitfields');
  }
  if (STRICT) {
    const checks = [compileOrThrow('gcc', [...kdsimHeadersFlags(join(dir, 'kdsim-prelude.h')), p.file], "gcc with kdsim's hosted headers (kernel-sim/include)")];
    if (HAS_MINGW) checks.push(compileOrThrow(MINGW, [...FORMAT_CHECK_FLAGS, p.file], `format check (${MINGW}, LLP64)`));
    await Promise.all(checks);
    const san = await buildAndRun(p, SANITIZER_FLAGS, 'san');
    assert.equal(san.stderr, '', `sanitizer report:\n${san.stderr.slice(0, 4000)}`);
    assert.equal(san.stdout, first.stdout, 'output changes under -O2 with sanitizers (undefined behaviour?)');
    assert.equal(san.status, status, 'exit status changes under -O2 with sanitizers');
  }
  return { stdout: first.stdout, status };
}

/** Without an engine: kdsim's front end at least compiles the program cleanly (in process). */
function frontEnd(p: Program): void {
  const r = compile([p.file], { host: new NodeFileHost(), simulatedHeaders: headers });
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), [], 'kdsim front end diagnostics');
}

test('corpus: at least 160 programs, every name starts with a known area, every area present', () => {
  assert.ok(ALL.length >= 160, `only ${ALL.length} programs`);
  const unnamed = ALL.filter((p) => p.area === undefined).map((p) => p.name);
  assert.deepEqual(unnamed, [], `program names must start with one of: ${AREAS.join('_ ')}_`);
  const missing = AREAS.filter((a) => !ALL.some((p) => p.area === a));
  assert.deepEqual(missing, [], 'areas without programs');
});

describe('differential: gcc vs kdsim exec', { concurrency: JOBS }, () => {
  for (const p of PROGRAMS) {
    it(p.name, async (t) => {
      assert.deepEqual(lint(p.source), [], 'portability lint (test/vm/README.md)');
      if (!HAS_GCC) {
        t.skip('gcc not found: no reference output');
        return;
      }
      const ref = await gccSide(p);
      if (!existsSync(CLI)) {
        frontEnd(p);
        t.skip(`${CLI} is missing (npm run build)`);
        return;
      }
      const r = await run(process.execPath, [CLI, 'exec', p.file], { cwd: ROOT, ...EXEC_LIMITS });
      if (r.status === 2 && r.stderr.includes("unknown command 'exec'")) {
        frontEnd(p);
        t.skip(NOT_IMPLEMENTED);
        return;
      }
      assert.ok(!r.timedOut && !r.overflow && r.status !== null, `kdsim exec ${ended(r)}`);
      assert.equal(r.stdout, ref.stdout, `stdout differs (actual = kdsim exec, expected = gcc); kdsim ${ended(r)}`);
      assert.equal(r.status, ref.status, `exit status differs (actual = kdsim exec, expected = gcc); kdsim stderr:\n${r.stderr.slice(0, 2000)}`);
    });
  }
});
