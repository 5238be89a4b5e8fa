// Test harness: compile C driver sources (in memory) and run them on a Machine with a config
// built from a few overrides; the layouts come from <ntddk.h> compiled once.

import { compile, formatDiagnostic, MemoryFileHost } from '../../kernel-sim/c';
import type { Program } from '../../kernel-sim/c/ast';
import { kernelHeaderProgram, Machine, type RunResult } from '../../kernel-sim/machine';
import type { DeviceConfig, ProjectConfig, ScenarioConfig } from '../../kernel-sim/scenario/project-types';
import { loadSimulatedHeaders } from '../../node-host/files';

let layouts: Program | undefined;

export function headerProgram(): Program {
  if (!layouts) {
    layouts = kernelHeaderProgram(loadSimulatedHeaders());
  }
  return layouts;
}

export function genericDevice(over: Partial<DeviceConfig> = {}, irq: { vector?: number; mode?: 'levelSensitive' | 'latched'; affinity?: number } = {}): DeviceConfig {
  const vector = irq.vector ?? 0x91;
  return {
    id: 'dev0',
    model: 'generic',
    bus: 'pci',
    hardwareId: 'PCI\\VEN_1234&DEV_8A51',
    resources: [
      { type: 'memory', start: 0xfebf0000, length: 16 },
      { type: 'interrupt', vector, level: vector >> 4, affinity: irq.affinity ?? 3, mode: irq.mode ?? 'levelSensitive', shared: true },
    ],
    registers: {},
    params: { conversionTimeUs: 40 },
    ...over,
  };
}

export function config(over: { cpus?: number; devices?: DeviceConfig[]; scenario?: Partial<ScenarioConfig>; verifier?: boolean; delivery?: ProjectConfig['machine']['interruptDelivery'] } = {}): ProjectConfig {
  return {
    name: 'testdrv',
    sources: [],
    includePaths: [],
    defines: [],
    machine: {
      cpus: over.cpus ?? 1,
      seed: 1,
      timeIncrement: 156250,
      interruptDelivery: over.delivery ?? 'lowest-irql',
      memoryMiB: 128,
      cost: { statement: 1, ddiCall: 20, portIo: 1000, registerIo: 150, interruptEntry: 400, interruptExit: 200, dpcDispatch: 150, contextSwitch: 1500 },
    },
    devices: over.devices ?? [genericDevice()],
    scenario: { untilNs: 10_000_000, stimuli: [], expect: [], requests: [], ...over.scenario },
    verifier: { enabled: over.verifier ?? true, forceIrqlChecking: true, poolTracking: true, guidanceWarnings: true },
    watchdog: { dpcTimeLimitTicks: 1280, dpcWatchdogPeriodTicks: 7680, isrWarnUs: 25, dpcWarnUs: 100 },
  };
}

export interface Run extends RunResult {
  machine: Machine;
}

/** Compiles `files` (path → text; the first is the main source) and runs them. */
export function runDriver(files: Record<string, string>, cfg: ProjectConfig): Run {
  const host = new MemoryFileHost(files);
  const sources = Object.keys(files).filter((f) => f.endsWith('.c'));
  const r = compile(sources, { host, simulatedHeaders: loadSimulatedHeaders(), includePaths: ['/drv'] });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const m = Machine.create(cfg, r.program, headerProgram());
  if (!(m instanceof Machine)) throw new Error(m.message);
  return { ...m.run(), machine: m };
}
