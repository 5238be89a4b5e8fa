// Node-side file access for the front end, shared by the CLI, the debug adapter and the
// extension: the real file system and the simulated headers shipped in kernel-sim/include
// (dist/include once bundled).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FileHost, SimulatedHeaders } from '../kernel-sim/c/host';

export class NodeFileHost implements FileHost {
  readFile(path: string): Uint8Array | undefined {
    try {
      if (!statSync(path).isFile()) return undefined;
      return readFileSync(path);
    } catch {
      return undefined;
    }
  }
}

/** Directory of the simulated headers: next to the bundle, or in the source tree. */
export function simulatedIncludeDir(): string {
  const candidates = [join(__dirname, 'include'), join(__dirname, '..', 'kernel-sim', 'include'), join(__dirname, '..', 'dist', 'include')];
  for (const c of candidates) if (existsSync(join(c, 'wdm.h'))) return resolve(c);
  return resolve(candidates[1]);
}

/** Reads every header under `dir` (subfolders as "kdsim/x.h") into memory once. */
export function loadSimulatedHeaders(dir = simulatedIncludeDir()): SimulatedHeaders {
  const map = new Map<string, string>();
  const walk = (d: string, prefix: string): void => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const full = join(d, n);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${n}/`);
      else if (n.endsWith('.h')) map.set(`${prefix}${n}`, readFileSync(full, 'latin1'));
    }
  };
  walk(dir, '');
  return { get: (name) => map.get(name.replace(/\\/g, '/')) };
}
