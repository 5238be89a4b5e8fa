// Device models a project brings as JavaScript modules ("model": "./devices/x.js" in kdsim.json).
// The host loads the module (only in a trusted workspace: it is arbitrary code) and hands over
// its createDevice; this file checks that what it returns implements DeviceModel and guards every
// call, so a throwing or ill-typed module ends the run with an error naming the device and the
// module instead of taking the simulator down.

import type { DeviceHost, DeviceModel, RegisterView } from './device';
import type { DeviceSpec } from './index';

/** A device module misbehaved (threw, or returned something of the wrong type): ends the run. */
export class DeviceModuleError extends Error {}

/** What a device module exports: `exports.createDevice = (spec) => model`. */
export type CreateDevice = (spec: DeviceSpec) => unknown;

const REQUIRED = ['attach', 'read', 'write', 'onEvent', 'stimulate', 'registers', 'snapshot', 'restore'] as const;

/** The methods `created` lacks (empty when it is a usable DeviceModel). */
export function missingMethods(created: unknown): string[] {
  if (typeof created !== 'object' || created === null) return [...REQUIRED];
  const o = created as Record<string, unknown>;
  return REQUIRED.filter((m) => typeof o[m] !== 'function');
}

/** Calls the module's createDevice and wraps the result; throws DeviceModuleError when unusable. */
export function createUserDevice(modulePath: string, create: CreateDevice, spec: DeviceSpec): DeviceModel {
  const where = `device '${spec.id}' (${modulePath})`;
  let created: unknown;
  try {
    created = create(spec);
  } catch (e) {
    throw new DeviceModuleError(`${where}: createDevice threw: ${describeError(e)}`);
  }
  const missing = missingMethods(created);
  if (missing.length > 0) {
    throw new DeviceModuleError(`${where}: createDevice must return an object with the DeviceModel methods; missing: ${missing.join(', ')}`);
  }
  return new GuardedDevice(where, created as DeviceModel);
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class GuardedDevice implements DeviceModel {
  readonly model: string;

  constructor(
    private readonly where: string,
    private readonly inner: DeviceModel,
  ) {
    const m = (inner as { model?: unknown }).model;
    this.model = typeof m === 'string' && m !== '' ? m : 'user module';
  }

  private call<T>(method: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof DeviceModuleError) throw e;
      throw new DeviceModuleError(`${this.where}: ${method} threw: ${describeError(e)}`);
    }
  }

  attach(host: DeviceHost): void {
    this.call('attach', () => this.inner.attach(host));
  }

  read(resource: number, offset: number, size: 1 | 2 | 4): number {
    const v: unknown = this.call('read', () => this.inner.read(resource, offset, size));
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DeviceModuleError(`${this.where}: read(${resource}, 0x${offset.toString(16)}, ${size}) returned ${typeof v === 'number' ? v : typeof v}, not a number`);
    }
    // The bus carries `size` bytes: whatever else the module returned is cut off.
    return size === 4 ? v >>> 0 : v & (size === 2 ? 0xffff : 0xff);
  }

  write(resource: number, offset: number, size: 1 | 2 | 4, value: number): void {
    this.call('write', () => this.inner.write(resource, offset, size, value));
  }

  onEvent(kind: string, data: number | undefined): void {
    this.call('onEvent', () => this.inner.onEvent(kind, data));
  }

  stimulate(data: number | undefined): void {
    this.call('stimulate', () => this.inner.stimulate(data));
  }

  act(action: string, args: Readonly<Record<string, unknown>>): void {
    const act = this.inner.act;
    // Errors here are the scenario's (an unknown action): the machine reports them as such.
    if (typeof act !== 'function') throw new Error(`the module has no scenario actions ('${action}' cannot be done)`);
    act.call(this.inner, action, args);
  }

  registers(): RegisterView[] {
    const v: unknown = this.call('registers', () => this.inner.registers());
    if (!Array.isArray(v)) throw new DeviceModuleError(`${this.where}: registers() must return an array of { name, offset, size, value, resource }`);
    return v.filter((r): r is RegisterView => typeof r === 'object' && r !== null && typeof (r as RegisterView).name === 'string' && typeof (r as RegisterView).value === 'number');
  }

  accessName(resource: number, offset: number, write: boolean): string | undefined {
    const inner = this.inner;
    if (!inner.accessName) return undefined;
    const v: unknown = this.call('accessName', () => inner.accessName?.(resource, offset, write));
    return typeof v === 'string' ? v : undefined;
  }

  snapshot(): unknown {
    return this.call('snapshot', () => this.inner.snapshot());
  }

  restore(s: unknown): void {
    this.call('restore', () => this.inner.restore(s));
  }
}
