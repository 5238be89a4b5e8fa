// Kernel benchmark: the first example's full interrupt cycle — read IRP → IoStartPacket →
// StartIo (CONTROL START) → ISR (SmpInterruptService, IoRequestDpc) → SmpDpcForIsr
// (IoStartNextPacket, IoCompleteRequest) — on a 1-CPU kdsim Machine, against the same
// driver source compiled with gcc -O2 over a minimal native kernel (bench/native), measured
// in the same run.
//
//   npm run bench:kernel
//   node bench/kernel.mjs [--runs N] [--kdsim-n SMALL,LARGE] [--gcc-n SMALL,LARGE]
//
// kdsim: examples/dpcforisr/kdsim.json with 1 CPU, conversionTimeUs 1, and N reads of 4 bytes
// all issued at 1 ms (bench/kernel-sim-run.ts, in-process; only Machine.run() is timed, so
// compiling is excluded; boot and removal are included and cancel below).
// gcc -O2: bench/native/harness.c + wdm-stubs.c + examples/dpcforisr/driver.c, compiled like
// test/c/headers-gcc.test.ts compiles the simulated headers; whole-process wall time.
// Cost per interrupt = (best time at the large N − best time at the small N) / ΔN, so
// start-up, driver load, warm-up and teardown cancel (../shared/bench/README.md). Ratios
// only: the machine is shared and noisy. Both sides must complete every read (else exit 1).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = join(root, 'examples', 'dpcforisr');
const NATIVE = join(root, 'bench', 'native');
const INCLUDE = join(root, 'kernel-sim', 'include');
const PRELUDE = join(root, 'test', 'c', 'fixtures', 'headers', 'gcc-prelude.h');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = process.argv[i + 1] ?? '';
  const parts = v.split(',').map(Number);
  if (parts.length !== fallback.length || !parts.every((x) => Number.isInteger(x) && x > 0)) {
    console.error(`bad value for ${name}: ${v}`);
    process.exit(2);
  }
  return parts;
}
const [RUNS] = option('--runs', [3]);
const KDSIM_N = option('--kdsim-n', [100, 1000]);
const GCC_N = option('--gcc-n', [100_000, 4_000_000]);

// The headers-gcc flags (LP64 host reading LLP64 headers), plus native-prelude.h, which makes
// FORCEINLINE helpers static so that every translation unit has its own copy.
const GCC_FLAGS = [
  '-O2',
  '-std=gnu11',
  '-fms-extensions',
  '-mms-bitfields',
  '-fshort-wchar',
  '-fno-builtin',
  '-nostdinc',
  `-I${INCLUDE}`,
  '-include',
  PRELUDE,
  '-include',
  join(NATIVE, 'native-prelude.h'),
  `-I${EXAMPLE}`,
  `-I${NATIVE}`,
  '-Wall',
  '-Wextra',
  '-Wno-attributes',
  '-Wno-unknown-pragmas',
  '-Wno-multichar',
];
const GCC_SOURCES = [join(NATIVE, 'harness.c'), join(NATIVE, 'wdm-stubs.c'), join(EXAMPLE, 'driver.c')];

function fail(why) {
  console.error(`bench/kernel: ${why}`);
  process.exit(1);
}

function gccVersion() {
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

/** Best wall time of RUNS runs of the native harness at n; checks what it prints. */
function bestNative(exe, n) {
  let ms = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(exe, [String(n)], { encoding: 'utf8' });
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) fail(`native harness ${n} failed (status ${r.status}): ${r.stderr || r.stdout}`);
    const got = Object.fromEntries([...r.stdout.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], BigInt(m[2])]));
    const N = BigInt(n);
    if (got.reads !== N || got.interrupts !== N || got.failed !== 0n || got.checksum !== (N * (N + 1n)) / 2n) {
      fail(`native harness ${n}: expected ${n} reads, ${n} interrupts and checksum ${(N * (N + 1n)) / 2n}; got: ${r.stdout.trim()}`);
    }
    ms = Math.min(ms, t);
  }
  return ms;
}

/** kdsim at both sizes in one process (bench/kernel-sim-run.ts); best in-process Machine.run() times. */
function kdsimRuns() {
  const args = ['--expose-gc', '--import', 'tsx', join(root, 'bench', 'kernel-sim-run.ts'), KDSIM_N.join(','), '--runs', String(RUNS), '--warmup', '1'];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) fail(`kdsim run failed (status ${r.status}):\n${r.stderr || r.stdout}`);
  let out;
  try {
    out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    fail(`kdsim run printed no result:\n${r.stdout}${r.stderr}`);
  }
  for (const s of out.sizes) {
    if (!s.ok) fail(`kdsim at N=${s.n}: ${s.problems.join('; ')}`);
  }
  return out;
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');
const perSecond = (ns) => (ns > 0 ? 1e9 / ns : NaN);

const gcc = gccVersion();
console.log(`kdsim kernel benchmark: examples/dpcforisr, read(4 bytes) → StartIo → ISR → DpcForIsr → IoCompleteRequest, 1 CPU`);
console.log(`(best of ${RUNS}; node ${process.version}; ${gcc ?? 'gcc not found'}); cost per interrupt from large − small N`);

const k = kdsimRuns();
const [ks, kl] = k.sizes;
const kns = ((kl.bestMs - ks.bestMs) * 1e6) / (kl.n - ks.n);
const simNsPerIrq = (kl.simSpanNs - ks.simSpanNs) / (kl.n - ks.n);

let gns = NaN;
if (gcc) {
  const tmp = mkdtempSync(join(tmpdir(), 'kdsim-bench-kernel-'));
  try {
    const exe = join(tmp, 'harness');
    const r = spawnSync('gcc', [...GCC_FLAGS, '-o', exe, ...GCC_SOURCES], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(exe)) fail(`gcc could not build the native harness:\n${r.stderr}`);
    if (r.stderr.trim()) console.log(`  (gcc warnings:\n${r.stderr.trim().replace(/^/gm, '    ')})`);
    const g = GCC_N.map((n) => bestNative(exe, n));
    gns = ((g[1] - g[0]) * 1e6) / (GCC_N[1] - GCC_N[0]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

console.log(`  ${''.padEnd(24)}  ${'N small/large'.padEnd(18)}${'ns/interrupt'.padStart(14)}   ${'interrupts/host s'.padStart(17)}`);
const row = (label, n, ns) => console.log(`  ${label.padEnd(24)}  ${n.map((x) => fmt(x)).join('/').padEnd(18)}${fmt(ns, ns < 1000 ? 1 : 0).padStart(14)}   ${fmt(perSecond(ns)).padStart(17)}`);
if (gcc) row('gcc -O2 (native)', GCC_N, gns);
row(`kdsim (${k.cpus} CPU${k.verifier ? ', verifier' : ''})`, KDSIM_N, kns);
console.log(`  kdsim simulated: ${fmt(simNsPerIrq / 1000, 2)} µs per interrupt cycle; ${fmt((simNsPerIrq / kns) * 1000, 2)} ms simulated per host second (${fmt(simNsPerIrq / kns, 4)}x real time)`);
console.log(`  kdsim runs (ms, Machine.run only): N=${ks.n}: ${ks.runsMs.join(' ')}; N=${kl.n}: ${kl.runsMs.join(' ')}`);
if (!(kns > 0) || (gcc && !(gns > 0))) console.log('  NOTE: a large − small difference is not positive (noise): rerun with more --runs or larger N');
if (gcc) {
  console.log(`  ratio kdsim/gcc: ${fmt(kns / gns, 0)}x`);
} else {
  console.log('  gcc not found: no native measurement and no ratio (install gcc to compare)');
}
