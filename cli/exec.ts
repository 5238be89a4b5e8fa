// `kdsim exec <file.c>... [-I dir] [-D N[=V]] [-U N] [-- args]`: compile and run a hosted C
// program's main with kdsim's C library; exit status = main's return value
// (ARCHITECTURE.md, Interfaces). A fault ends the run with a report naming the source line.

import { resolve } from 'node:path';
import { compile, formatDiagnostic } from '../kernel-sim/c';
import { runHosted } from '../kernel-sim/vm/hosted-run';
import { parseFrontEndArgs } from './args';
import type { CliIO } from './check';
import { loadSimulatedHeaders, NodeFileHost } from '../node-host/files';

export interface ExecIO extends CliIO {
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
}

export function runExec(argv: readonly string[], io: ExecIO): number {
  // --break FILE:LINE (repeatable): report each hit on stderr and go on.
  const breakpoints: { path: string; line: number }[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (argv[i] === '--break') {
      const m = /^(.*):(\d+)$/.exec(argv[i + 1] ?? '');
      if (!m) {
        io.err('kdsim exec: --break takes FILE:LINE');
        return 2;
      }
      breakpoints.push({ path: m[1], line: Number(m[2]) });
      i++;
      continue;
    }
    rest.push(argv[i]);
  }
  const args = parseFrontEndArgs(rest, []);
  if (args.errors.length > 0 || args.inputs.length === 0) {
    for (const e of args.errors) io.err(`kdsim exec: ${e}`);
    io.err('usage: kdsim exec <file.c>... [-I dir] [-D NAME[=VALUE]] [-U NAME] [--break FILE:LINE] [-- args]');
    return 2;
  }
  const host = new NodeFileHost();
  for (const s of args.inputs) {
    if (!host.readFile(s)) {
      io.err(`kdsim exec: ${s}: no such file`);
      return 2;
    }
  }
  const r = compile(args.inputs, {
    host,
    simulatedHeaders: loadSimulatedHeaders(),
    includePaths: args.includePaths.map((p) => resolve(p)),
    defines: [['__KDSIM_HOSTED__', '1'], ...args.defines],
    undefines: args.undefines,
  });
  for (const d of r.diagnostics) if (d.severity === 'error') io.err(formatDiagnostic(d));
  if (!r.ok) return 1;
  const result = runHosted(
    r.program,
    { stdout: io.stdout, stderr: io.stderr },
    { args: args.rest, breakpoints, onBreak: (where) => io.err(`kdsim: breakpoint at ${where}`) },
  );
  if (result.fault) {
    const f = result.fault;
    const where = f.pos ? `${f.pos.file.path}:${f.pos.line}:${f.pos.col}: ` : '';
    io.err(`${where}fault: ${f.message}${f.functionName ? ` (in ${f.functionName})` : ''}`);
    return result.status || 1;
  }
  return result.status & 0xff;
}
