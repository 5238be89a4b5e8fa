// Execution-engine benchmark: ../shared/bench/*.c under `kdsim exec` (with a breakpoint armed,
// so stop points are live) against gcc -O2, measured in the same run.
//
//   npm run bench:vm            (builds dist/ first)
//   node bench/vm.mjs [--runs N]
//
// Cost per iteration = (best time at the large N − best time at the small N) / ΔN, so process
// start-up, compilation and warm-up cancel out (../shared/bench/README.md). Ratios only: the
// machine is shared and noisy.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const benchDir = join(root, '..', 'shared', 'bench');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

// [file, kdsim small/large N, gcc small/large N (gcc needs far more iterations to measure),
//  breakpoint line text (a statement executed never or once)]
const BENCHES = [
  ['bench1_ring.c', [100_000, 1_000_000], [1_000_000, 20_000_000], 'ext->Dropped++;'],
  ['bench2_list.c', [200_000, 2_000_000], [1_000_000, 20_000_000], 'printf("%u\\n", sum);'],
  ['bench3_fib.c', [2_000_000, 20_000_000], [10_000_000, 200_000_000], 'printf("%u\\n", b);'],
];

function best(cmd, args) {
  let t = Infinity;
  let out = '';
  for (let i = 0; i < RUNS; i++) {
    const s = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - s) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    out = r.stdout;
    t = Math.min(t, ms);
  }
  return { ms: t, out };
}

if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (!existsSync(benchDir)) {
  console.log(`no ${benchDir}: nothing to run`);
  process.exit(0);
}
const tmp = mkdtempSync(join(tmpdir(), 'kdsim-bench-vm-'));
console.log(`kdsim engine benchmark (best of ${RUNS}; node ${process.version}); ns per iteration from large − small N`);
console.log('  program          gcc -O2        kdsim exec      ratio   (breakpoint armed at)');
for (const [file, kn, gn, bpText] of BENCHES) {
  const src = join(benchDir, file);
  const lines = readFileSync(src, 'utf8').split('\n');
  const bpLine = lines.findIndex((l) => l.includes(bpText)) + 1;
  const exes = gn.map((n) => {
    const exe = join(tmp, `${file}.${n}`);
    const r = spawnSync('gcc', ['-O2', `-DN=${n}`, '-o', exe, src], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return exe;
  });
  const g = exes.map((exe) => best(exe, []));
  const k = kn.map((n) => best(process.execPath, [cli, 'exec', src, `-DN=${n}`, '--break', `${file}:${bpLine}`]));
  // Same program, same N: the outputs must agree.
  const ref = spawnSync('gcc', ['-O2', `-DN=${kn[1]}`, '-o', join(tmp, `${file}.ref`), src]);
  if (ref.status === 0 && best(join(tmp, `${file}.ref`), []).out !== k[1].out) throw new Error(`${file}: kdsim output differs from gcc`);
  const per = (r, n) => ((r[1].ms - r[0].ms) * 1e6) / (n[1] - n[0]);
  const gns = per(g, gn);
  const kns = per(k, kn);
  console.log(`  ${file.padEnd(15)} ${gns.toFixed(2).padStart(8)} ns   ${kns.toFixed(1).padStart(10)} ns   ${(kns / gns).toFixed(1).padStart(6)}x   (line ${bpLine})`);
}
