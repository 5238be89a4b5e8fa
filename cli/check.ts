// `kdsim check <file.c | kdsim.json | folder>... [-I dir] [-D N[=V]] [-U N]`:
// compile only; compiler-style diagnostics; exit 1 if any error (ARCHITECTURE.md, Interfaces).

import { resolve } from 'node:path';
import { compile, formatDiagnostic } from '../kernel-sim/c';
import { DiagnosticBag } from '../kernel-sim/c/diagnostics';
import { preprocess, tokensToText } from '../kernel-sim/c/preprocessor';
import { parseFrontEndArgs } from './args';
import { loadSimulatedHeaders, NodeFileHost } from '../node-host/files';
import { readProjectSources } from '../node-host/project';

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export function runCheck(argv: readonly string[], io: CliIO): number {
  const args = parseFrontEndArgs(argv, ['--quiet', '-q', '--stats', '-E']);
  if (args.errors.length > 0) {
    for (const e of args.errors) io.err(`kdsim check: ${e}`);
    return 2;
  }
  if (args.inputs.length === 0) {
    io.err('usage: kdsim check <file.c | kdsim.json | folder>... [-I dir] [-D NAME[=VALUE]] [-U NAME]');
    return 2;
  }
  const sources: string[] = [];
  const includePaths = [...args.includePaths];
  const defines = [...args.defines];
  for (const input of args.inputs) {
    const proj = readProjectSources(input);
    if (proj && 'error' in proj) {
      io.err(proj.error);
      return 2;
    }
    if (proj) {
      sources.push(...proj.sources);
      includePaths.push(...proj.includePaths);
      defines.push(...proj.defines);
    } else sources.push(input);
  }
  const host = new NodeFileHost();
  for (const s of sources) {
    if (!host.readFile(s)) {
      io.err(`kdsim check: ${s}: no such file`);
      return 2;
    }
  }
  if (args.flags.has('-E')) return printPreprocessed(sources, includePaths, defines, args.undefines, io);
  const started = performance.now();
  const r = compile(sources, {
    host,
    simulatedHeaders: loadSimulatedHeaders(),
    includePaths: includePaths.map((p) => resolve(p)),
    defines,
    undefines: args.undefines,
  });
  const ms = performance.now() - started;
  for (const d of r.diagnostics) io.err(formatDiagnostic(d));
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
  if (!args.flags.has('--quiet') && !args.flags.has('-q')) {
    const defined = r.program.functions.filter((f) => f.body).length;
    const lines = r.program.files.reduce((n, f) => n + countLines(f.text), 0);
    io.out(
      `${sources.join(' ')}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` +
        ` (${defined} functions defined, ${r.program.files.length} files, ${lines} lines` +
        (args.flags.has('--stats') ? `, ${ms.toFixed(1)} ms` : '') +
        ')',
    );
  }
  return errors > 0 ? 1 : 0;
}

/** `-E`: the preprocessed token stream of each source, as gcc -E -P lays it out. */
function printPreprocessed(
  sources: string[],
  includePaths: string[],
  defines: Array<[string, string | undefined]>,
  undefines: string[],
  io: CliIO,
): number {
  let errors = 0;
  for (const src of sources) {
    const diags = new DiagnosticBag();
    const r = preprocess(
      src,
      { host: new NodeFileHost(), simulatedHeaders: loadSimulatedHeaders(), includePaths: includePaths.map((p) => resolve(p)), defines, undefines },
      diags,
    );
    io.out(tokensToText(r.tokens));
    for (const d of diags.items) io.err(formatDiagnostic(d));
    errors += diags.errorCount;
  }
  return errors > 0 ? 1 : 0;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
