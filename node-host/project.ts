// Reading the parts of kdsim.json the front end needs (sources, include paths, defines).
// The full project schema arrives with the scenario layer; unknown fields are left alone.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface ProjectSources {
  projectFile: string;
  sources: string[];
  includePaths: string[];
  defines: Array<[string, string | undefined]>;
}

/** If `input` is a kdsim.json or a folder holding one, returns its sources; else undefined. */
export function readProjectSources(input: string): ProjectSources | { error: string } | undefined {
  let file = input;
  if (existsSync(input) && statSync(input).isDirectory()) file = join(input, 'kdsim.json');
  if (!file.endsWith('.json')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { error: `${file}: cannot read project file: ${(e as Error).message}` };
  }
  if (typeof json !== 'object' || json === null) return { error: `${file}: project file must be a JSON object` };
  const o = json as Record<string, unknown>;
  const base = dirname(resolve(file));
  const strings = (v: unknown, what: string): string[] | { error: string } => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return { error: `${file}: '${what}' must be an array of strings` };
    return v as string[];
  };
  const sources = strings(o.sources, 'sources');
  if ('error' in sources) return sources;
  if (sources.length === 0) return { error: `${file}: 'sources' lists no C files` };
  const includes = strings(o.includePaths, 'includePaths');
  if ('error' in includes) return includes;
  const defines: Array<[string, string | undefined]> = [];
  if (o.defines !== undefined) {
    if (typeof o.defines !== 'object' || o.defines === null || Array.isArray(o.defines)) return { error: `${file}: 'defines' must be an object of NAME: value` };
    for (const [k, v] of Object.entries(o.defines as Record<string, unknown>)) {
      defines.push([k, v === null || v === true ? undefined : String(v)]);
    }
  }
  return {
    projectFile: file,
    sources: sources.map((s) => join(base, s)),
    includePaths: includes.map((s) => join(base, s)),
    defines,
  };
}
