// Loads a kdsim project for a debug session: reads and validates kdsim.json, applies the
// launch overrides, compiles the driver with the simulated headers, loads device modules
// (trusted workspaces only) and creates the Machine. Every problem comes back as a
// positioned diagnostic (the extension shows them in the Problems panel), never a throw.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadDeviceModules } from '../node-host/device-modules';
import { loadSimulatedHeaders, NodeFileHost } from '../node-host/files';
import { compile } from '../kernel-sim/c';
import { kernelHeaderProgram, Machine } from '../kernel-sim/machine';
import { parseProject } from '../kernel-sim/scenario/project';
import type { ProjectConfig } from '../kernel-sim/scenario/project-types';

export interface LaunchOverrides {
  cpus?: number;
  seed?: number;
  verifier?: boolean;
  /** Device modules are code: only a trusted workspace runs them. */
  trusted?: boolean;
}

export interface LoadDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  path?: string;
  line?: number;
  column?: number;
}

export type LoadResult =
  | {
      ok: true;
      machine: Machine;
      config: ProjectConfig;
      diagnostics: LoadDiagnostic[];
      projectFile: string;
      /** A fresh machine for the same compiled program and configuration (time travel re-executes on it). */
      recreate: () => Machine;
    }
  | { ok: false; message: string; diagnostics: LoadDiagnostic[] };

export function loadProject(project: string, overrides: LaunchOverrides = {}): LoadResult {
  const file = existsSync(project) && statSync(project).isDirectory() ? join(project, 'kdsim.json') : project;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { ok: false, message: `cannot read the project file ${file}`, diagnostics: [] };
  }
  const parsed = parseProject(text, dirname(resolve(file)));
  const diagnostics: LoadDiagnostic[] = parsed.errors.map((e) => ({
    severity: e.severity ?? 'error',
    message: `${e.path ? `${e.path}: ` : ''}${e.message}`,
    path: resolve(file),
    ...(e.line !== undefined ? { line: e.line, column: e.column ?? 1 } : {}),
  }));
  const config = parsed.config;
  if (!config || diagnostics.some((d) => d.severity === 'error')) return { ok: false, message: `${basename(file)} has errors`, diagnostics };
  if (overrides.cpus !== undefined) config.machine.cpus = overrides.cpus;
  if (overrides.seed !== undefined) config.machine.seed = overrides.seed;
  if (overrides.verifier !== undefined) config.verifier.enabled = overrides.verifier;

  const headers = loadSimulatedHeaders();
  const r = compile(config.sources, { host: new NodeFileHost(), simulatedHeaders: headers, includePaths: config.includePaths, defines: config.defines });
  for (const d of r.diagnostics) diagnostics.push({ severity: d.severity === 'error' ? 'error' : 'warning', message: d.message, path: d.path, line: d.line, column: d.col });
  if (!r.ok) return { ok: false, message: `the driver does not compile (${r.diagnostics.filter((d) => d.severity === 'error').length} errors)`, diagnostics };
  const modules = loadDeviceModules(config, overrides.trusted ?? true);
  for (const e of modules.errors) diagnostics.push({ severity: 'error', message: e, path: resolve(file) });
  if (modules.errors.length > 0) return { ok: false, message: modules.errors[0], diagnostics };
  const layouts = kernelHeaderProgram(headers);
  const pristine = structuredClone(config);
  const machine = Machine.create(config, r.program, layouts, { deviceModules: modules.modules });
  if (!(machine instanceof Machine)) return { ok: false, message: `cannot load the driver: ${machine.message}`, diagnostics };
  // Compiling is the slow part of loading: a re-created machine reuses the checked program.
  const recreate = (): Machine => {
    const again = Machine.create(structuredClone(pristine), r.program, layouts, { deviceModules: modules.modules });
    if (!(again instanceof Machine)) throw new Error(`cannot re-create the machine: ${again.message}`);
    return again;
  };
  return { ok: true, machine, config, diagnostics, projectFile: resolve(file), recreate };
}
