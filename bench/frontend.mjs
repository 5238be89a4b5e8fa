// Front-end benchmark: kdsim's C front end (preprocess + parse + check + layout) against
// `gcc -fsyntax-only` on the same generated driver-like source, measured in the same run.
//
//   npm run bench                       (builds dist/ first)
//   node bench/frontend.mjs [--units N] [--small-units N] [--runs N] [--keep] [--no-shared]
//
// Reports, for a large and a small translation unit (same header, fewer units), the best of
// N wall times of:
//   gcc    gcc -fsyntax-only -std=gnu11 -w -fms-extensions driver.c
//   kdsim  node dist/cli.js check driver.c --quiet        (whole process: includes Node start-up)
//   kdsim  node dist/cli.js check driver.c --stats        (the in-process compile time it prints)
// and lines/second (header lines included) plus the kdsim/gcc ratios, both raw and with
// start-up cancelled: (time(large) − time(small)) per compiler, as shared/bench/README.md
// recommends. The project's aim is kdsim ≤ 3× gcc. Generated files live in a temp directory.
// Optionally it also runs `kdsim check` on the shared benchmark programs (shared/bench/*.c).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countLines, generateDriver, generateHeader } from './gen-driver.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const SHARED_BENCH = join(root, '..', 'shared', 'bench');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`bad value for ${name}`);
    process.exit(2);
  }
  return v;
}
const UNITS = option('--units', 550);
const SMALL_UNITS = option('--small-units', 20);
const RUNS = option('--runs', 5);
const KEEP = process.argv.includes('--keep');
const SHARED = !process.argv.includes('--no-shared');

function haveGcc() {
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

function ensureBuilt() {
  if (existsSync(cli)) return;
  console.log('dist/cli.js missing: running node scripts/build.mjs');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0 || !existsSync(cli)) {
    console.error('build failed');
    process.exit(1);
  }
}

/** Runs `cmd args` once; returns wall ms and the process result. */
function timed(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, r };
}

/** Best of `runs` wall times; `check` validates the first result (exit status, output). */
function best(cmd, args, cwd, runs, check) {
  let min = Infinity;
  let first;
  for (let i = 0; i < runs; i++) {
    const { ms, r } = timed(cmd, args, cwd);
    if (i === 0) {
      first = r;
      check(r);
    }
    min = Math.min(min, ms);
  }
  return { ms: min, first };
}

/** Best in-process compile time reported by `kdsim check --stats` ("…, 123.4 ms)"). */
function bestStats(file, cwd, runs) {
  let min = Infinity;
  let line = '';
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [cli, 'check', file, '--stats'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const m = /,\s*([\d.]+) ms\)\s*$/m.exec(r.stdout);
    if (!m) return { ms: NaN, line: (r.stdout + r.stderr).trim().split('\n').slice(-1)[0] ?? '' };
    line = r.stdout.trim();
    min = Math.min(min, Number(m[1]));
  }
  return { ms: min, line };
}

function fmtMs(ms) {
  return Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a';
}
function rate(lines, ms) {
  return Number.isFinite(ms) && ms > 0 ? `${Math.round((lines / ms) * 1000).toLocaleString('en-US')} lines/s` : 'n/a';
}
function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a';
}

function firstLines(text, n) {
  return text.split('\n').filter(Boolean).slice(0, n).join('\n');
}

function main() {
  ensureBuilt();
  const gccOk = haveGcc();
  const dir = mkdtempSync(join(tmpdir(), 'kdsim-bench-frontend-'));
  try {
    const header = generateHeader();
    const large = generateDriver(UNITS);
    const small = generateDriver(SMALL_UNITS);
    writeFileSync(join(dir, 'driver_like.h'), header);
    writeFileSync(join(dir, 'large.c'), large);
    writeFileSync(join(dir, 'small.c'), small);
    const hLines = countLines(header);
    const lLines = countLines(large) + hLines;
    const sLines = countLines(small) + hLines;
    console.log(`kdsim front-end benchmark (best of ${RUNS}; node ${process.version}; files in ${dir}${KEEP ? ', kept' : ''})`);
    console.log(`  large: ${UNITS} units, ${lLines.toLocaleString('en-US')} lines (${hLines} of them driver_like.h), ${(large.length + header.length).toLocaleString('en-US')} bytes`);
    console.log(`  small: ${SMALL_UNITS} units, ${sLines.toLocaleString('en-US')} lines`);

    const gccArgs = (f) => ['-fsyntax-only', '-std=gnu11', '-w', '-fms-extensions', f];
    const gccCheck = (r) => {
      if (r.status !== 0) throw new Error(`gcc rejected the generated source:\n${firstLines(r.stderr, 10)}`);
    };
    let kdsimErrors = '';
    const kdsimCheck = (r) => {
      if (r.status !== 0) kdsimErrors = firstLines(r.stderr, 10) || `exit status ${r.status}`;
    };

    const res = {};
    for (const [name, file, lines] of [
      ['large', 'large.c', lLines],
      ['small', 'small.c', sLines],
    ]) {
      const gcc = gccOk ? best('gcc', gccArgs(file), dir, RUNS, gccCheck).ms : NaN;
      const kd = best(process.execPath, [cli, 'check', file, '--quiet'], dir, RUNS, kdsimCheck).ms;
      const stats = bestStats(file, dir, RUNS);
      res[name] = { gcc, kd, inproc: stats.ms, lines, statsLine: stats.line };
    }
    const node = best(process.execPath, ['-e', '0'], dir, RUNS, () => {}).ms;

    if (kdsimErrors) console.log(`\n  NOTE: kdsim reported errors on the generated source (timings may not be representative):\n${kdsimErrors.replace(/^/gm, '    ')}`);
    if (!gccOk) console.log('\n  gcc not found: gcc columns are n/a');

    const L = res.large;
    const S = res.small;
    console.log('');
    console.log(`  kdsim says (large): ${L.statsLine}`);
    console.log('');
    console.log('                                  large              small              large − small (start-up cancelled)');
    const row = (label, l, s, lines, dl) =>
      console.log(`  ${label.padEnd(30)}  ${fmtMs(l).padEnd(17)}  ${fmtMs(s).padEnd(17)}  ${fmtMs(l - s).padEnd(12)} ${rate(dl, l - s)}   [large: ${rate(lines, l)}]`);
    const dLines = L.lines - S.lines;
    row('gcc -fsyntax-only', L.gcc, S.gcc, L.lines, dLines);
    row('kdsim check (process)', L.kd, S.kd, L.lines, dLines);
    row('kdsim compile (in-process)', L.inproc, S.inproc, L.lines, dLines);
    console.log(`  ${'node -e 0 (start-up floor)'.padEnd(30)}  ${fmtMs(node)}`);
    console.log('');
    console.log(`  ratio kdsim/gcc, whole process, large file:        ${ratio(L.kd, L.gcc)}`);
    console.log(`  ratio kdsim/gcc, in-process compile vs gcc, large: ${ratio(L.inproc, L.gcc)}`);
    console.log(`  ratio kdsim/gcc, start-up cancelled (large−small): ${ratio(L.kd - S.kd, L.gcc - S.gcc)} (process), ${ratio(L.inproc - S.inproc, L.gcc - S.gcc)} (in-process)`);
    console.log('  aim: kdsim ≤ 3x gcc');

    if (SHARED) sharedPrograms();
  } finally {
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

/** `kdsim check` on shared/bench/*.c (hosted programs including <stdio.h>); skipped if absent. */
function sharedPrograms() {
  console.log('');
  if (!existsSync(SHARED_BENCH)) {
    console.log(`  shared benchmark programs: ${SHARED_BENCH} not found, skipped`);
    return;
  }
  const files = readdirSync(SHARED_BENCH).filter((f) => f.endsWith('.c')).sort();
  console.log(`  shared benchmark programs (${SHARED_BENCH}), kdsim check -DN=1000 vs gcc -fsyntax-only:`);
  for (const f of files) {
    const path = join(SHARED_BENCH, f);
    const kd = best(process.execPath, [cli, 'check', path, '-DN=1000', '--quiet'], SHARED_BENCH, 3, () => {});
    const gcc = haveGcc() ? best('gcc', ['-fsyntax-only', '-std=gnu11', '-w', '-DN=1000', path], SHARED_BENCH, 3, () => {}) : undefined;
    if (kd.first.status !== 0) {
      const why = firstLines(kd.first.stderr, 1) || `exit ${kd.first.status}`;
      console.log(`    ${f.padEnd(16)} kdsim: not checked cleanly (${why}) — skipped`);
      continue;
    }
    console.log(`    ${f.padEnd(16)} kdsim ${fmtMs(kd.ms).padEnd(10)} gcc ${gcc ? fmtMs(gcc.ms) : 'n/a'}  ratio ${gcc ? ratio(kd.ms, gcc.ms) : 'n/a'}`);
  }
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
