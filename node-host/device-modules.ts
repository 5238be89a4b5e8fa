// Loads the JavaScript device modules a project names (DeviceConfig.modulePath) for the
// machine. A module is code the project brings, so it runs only when the caller trusts the
// project: the CLI does unless given --restricted (the extension passes VS Code's workspace trust).

import { createRequire } from 'node:module';
import type { CreateDevice } from '../kernel-sim/devices/user-module';
import type { ProjectConfig } from '../kernel-sim/scenario/project-types';

export interface LoadedModules {
  modules: Map<string, CreateDevice>;
  /** One message per module that could not be loaded (the run must not start). */
  errors: string[];
}

export function loadDeviceModules(config: ProjectConfig, trusted: boolean): LoadedModules {
  const modules = new Map<string, CreateDevice>();
  const errors: string[] = [];
  const requireFrom = createRequire(__filename);
  for (const d of config.devices) {
    const path = d.modulePath;
    if (path === undefined || modules.has(path)) continue;
    if (!trusted) {
      errors.push(`device '${d.id}': device module ${d.model} not loaded: device modules run only in a trusted workspace (run without --restricted to allow it)`);
      continue;
    }
    let exported: unknown;
    try {
      // A fresh copy each run: an edited module takes effect without restarting the host.
      delete requireFrom.cache[requireFrom.resolve(path)];
      exported = requireFrom(path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      errors.push(`device '${d.id}': cannot load device module ${d.model}: ${err.code === 'MODULE_NOT_FOUND' ? `no such file ${path}` : firstLine(err)}`);
      continue;
    }
    const create = (exported as { createDevice?: unknown } | null)?.createDevice;
    if (typeof create !== 'function') {
      errors.push(`device '${d.id}': device module ${d.model} does not export a createDevice(spec) function`);
      continue;
    }
    modules.set(path, (spec) => (create as (s: typeof spec) => unknown)(spec));
  }
  return { modules, errors };
}

function firstLine(e: Error): string {
  return `${e.name}: ${e.message.split('\n')[0]}`;
}
