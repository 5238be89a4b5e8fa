// The device library: model name (kdsim.json "model") → a constructor. The machine builds
// each project device through this table; an unknown name is a load-time error listing them.

import type { ResourceConfig } from '../scenario/project-types';
import type { DeviceModel } from './device';
import { GenericDevice } from './generic';
import { I8042, I8042_DEFAULTS } from './i8042';
import { Inport, INPORT_DEFAULTS } from './inport';
import { IntervalTimer } from './interval-timer';
import { PciRingDevice } from './pci-ring';
import { Uart16550, UART_DEFAULTS } from './uart16550';

export interface DeviceSpec {
  id: string;
  params: Readonly<Record<string, unknown>>;
  resources: readonly ResourceConfig[];
}

type Factory = (spec: DeviceSpec) => DeviceModel;

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

const generic: Factory = (s) =>
  new GenericDevice(s.id, {
    conversionTimeUs: num(s.params.conversionTimeUs, 10),
    errorEvery: num(s.params.errorEvery, 0),
    latched: s.resources.some((r) => r.type === 'interrupt' && r.mode === 'latched'),
  });

const MODELS: Record<string, Factory> = {
  generic,
  // The Sampler card of examples/dpcforisr is the generic register block.
  sampler: generic,
  'pci-ring': (s) => new PciRingDevice(s.id, { txTimeUs: num(s.params.txTimeUs, 5) }),
  i8042: (s) =>
    new I8042(s.id, {
      byteTimeUs: num(s.params.byteTimeUs, I8042_DEFAULTS.byteTimeUs),
      controllerUs: num(s.params.controllerUs, I8042_DEFAULTS.controllerUs),
      commandByte: num(s.params.commandByte, I8042_DEFAULTS.commandByte),
    }),
  uart16550: (s) =>
    new Uart16550(s.id, {
      baseBaud: num(s.params.baseBaud, UART_DEFAULTS.baseBaud),
      modemInputs: num(s.params.modemInputs, UART_DEFAULTS.modemInputs),
      loopbackIrq: s.params.loopbackIrq === true,
    }),
  inport: (s) => new Inport(s.id, { version: num(s.params.version, INPORT_DEFAULTS.version), clickMs: num(s.params.clickMs, INPORT_DEFAULTS.clickMs) }),
  'interval-timer': (s) => new IntervalTimer(s.id, { latched: s.resources.some((r) => r.type === 'interrupt' && r.mode === 'latched') }),
};

export function deviceModelNames(): string[] {
  return Object.keys(MODELS);
}

export function createDeviceModel(model: string, spec: DeviceSpec): DeviceModel {
  const f = Object.prototype.hasOwnProperty.call(MODELS, model) ? MODELS[model] : undefined;
  if (!f) throw new Error(`device '${spec.id}': unknown device model '${model}' (available: ${deviceModelNames().join(', ')})`);
  return f(spec);
}
