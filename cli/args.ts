// Argument parsing shared by the kdsim subcommands (compiler-style -I/-D/-U flags).

export interface FrontEndArgs {
  inputs: string[];
  includePaths: string[];
  defines: Array<[string, string | undefined]>;
  undefines: string[];
  flags: Set<string>;
  /** Arguments after `--` (for `kdsim exec`). */
  rest: string[];
  errors: string[];
}

/** Parses `file... [-I dir] [-Idir] [-D N[=V]] [-U N] [--flag]... [-- args]`. */
export function parseFrontEndArgs(argv: readonly string[], knownFlags: readonly string[]): FrontEndArgs {
  const out: FrontEndArgs = { inputs: [], includePaths: [], defines: [], undefines: [], flags: new Set(), rest: [], errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    const opt = /^-([IDU])(.*)$/.exec(a);
    if (opt) {
      const value = opt[2] !== '' ? opt[2] : argv[++i];
      if (value === undefined) {
        out.errors.push(`missing argument to '-${opt[1]}'`);
        break;
      }
      if (opt[1] === 'I') out.includePaths.push(value);
      else if (opt[1] === 'U') out.undefines.push(value);
      else {
        const eq = value.indexOf('=');
        out.defines.push(eq < 0 ? [value, undefined] : [value.slice(0, eq), value.slice(eq + 1)]);
      }
      continue;
    }
    if (a.startsWith('-') && a !== '-') {
      if (knownFlags.includes(a)) out.flags.add(a);
      else out.errors.push(`unknown option '${a}'`);
      continue;
    }
    out.inputs.push(a);
  }
  return out;
}
