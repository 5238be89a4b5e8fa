// The `kdsim` command line: check (compile only), exec (hosted C programs), run (driver projects).

import { runCheck } from './check';
import { runExec, type ExecIO } from './exec';
import { runRun } from './run';

const USAGE = `usage: kdsim <command> [options]

commands:
  check <file.c | kdsim.json | folder>... [-I dir] [-D NAME[=VALUE]] [-U NAME] [--quiet] [--stats]
        compile only; diagnostics as path:line:col: error|warning: message; exit 1 on errors;
        -E prints the preprocessed source instead
  exec <file.c>... [-I dir] [-D NAME[=VALUE]] [-- args]
        run a hosted C program's main with kdsim's C library; exit status = main's result
  run <kdsim.json | folder> [--until T] [--seed N] [--trace F.json] [--junit F.xml] [--json] [--restricted]
        run a driver project headless on the simulated kernel: DbgPrint output, bug checks as
        !analyze -v prints them, ISR/DPC statistics, expectations; exit 0 only if all held;
        --restricted does not load the project's JavaScript device modules (untrusted code)
  help  this text`;

export function main(argv: readonly string[], io: ExecIO): number {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'check':
      return runCheck(rest, io);
    case 'exec':
      return runExec(rest, io);
    case 'run':
      return runRun(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      io.err(`kdsim: unknown command '${cmd}'\n${USAGE}`);
      return 2;
  }
}

/** Runs the CLI on this process's arguments and sets its exit code. */
export function runFromProcess(): void {
  // A closed pipe (kdsim exec prog | head) ends output quietly, as C programs do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const io: ExecIO = {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    stdout: (b) => process.stdout.write(b),
    stderr: (b) => process.stderr.write(b),
  };
  let code: number;
  try {
    code = main(process.argv.slice(2), io);
  } catch (e) {
    // A thrown exception is a bug in kdsim, not in the user's input: say so plainly.
    io.err(`kdsim: internal error: ${(e as Error).stack ?? String(e)}`);
    code = 70;
  }
  process.exitCode = code;
}

if (require.main === module) runFromProcess();
