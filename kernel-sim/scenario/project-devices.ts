// kdsim.json "devices": each simulated device, its hardware resources (what the PnP manager
// hands the driver in IRP_MN_START_DEVICE) and cross-device conflicts.

import { Checker, child, closest, type JsonObject } from './check';
import type { DeviceConfig, InputClass, ResourceConfig } from './project-types';
import { hex, parseBigNumber } from './values';
import { join } from '../c/path';
import { deviceModelNames } from '../devices/index';

const DEVICE_KEYS = ['id', 'model', 'bus', 'hardwareId', 'resources', 'registers', 'params', 'classDriver'] as const;
const INPUT_CLASSES = ['keyboard', 'mouse'] as const;
const RANGE_KEYS = ['type', 'start', 'length'] as const;
const INTERRUPT_KEYS = ['type', 'vector', 'level', 'affinity', 'mode', 'shared', 'message'] as const;
const BUSES = ['pci', 'isa', 'root'] as const;
const RESOURCE_TYPES = ['port', 'memory', 'interrupt'] as const;
const MODES = ['levelSensitive', 'latched'] as const;

export const DEVICE_ID_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Device interrupts use vectors 0x30..0xFF; their IRQL (DIRQL) is vector >> 4, 3..12. */
export const MIN_DEVICE_VECTOR = 0x30;
export const MAX_DEVICE_VECTOR = 0xff;
export const MIN_DIRQL = 3;
export const MAX_DIRQL = 12;
/** Highest simulated physical address + 1 (52-bit physical address space). */
const PHYS_LIMIT = 2 ** 52;

type Interrupt = Extract<ResourceConfig, { type: 'interrupt' }>;

/** Mask with one bit per CPU. */
export function allCpusMask(cpus: number): bigint {
  return (1n << BigInt(cpus)) - 1n;
}

/** Devices read so far, with the JSON pointer of each kept resource (for conflicts). */
interface ReadDevice {
  d: DeviceConfig;
  path: string;
  resourcePaths: string[];
}

export interface DevicesResult {
  devices: DeviceConfig[];
  /** Ids of devices that declare an interrupt resource (valid or not: avoids cascades). */
  interruptIds: Set<string>;
}

/** `dir`: the project folder, against which device module paths are resolved. */
export function readDevices(c: Checker, v: unknown, cpus: number, dir = '.'): DevicesResult {
  const list = c.array(v, '/devices') ?? [];
  const read: ReadDevice[] = [];
  const interruptIds = new Set<string>();
  list.forEach((raw, i) => {
    const path = child('/devices', i);
    const r = readDevice(c, raw, path, cpus, dir);
    if (!r) return;
    read.push(r);
    const resources = asObject(raw).resources;
    if (Array.isArray(resources) && resources.some((x) => asObject(x).type === 'interrupt')) interruptIds.add(r.d.id);
  });
  checkConflicts(c, read);
  return { devices: read.map((x) => x.d), interruptIds };
}

function readDevice(c: Checker, raw: unknown, path: string, cpus: number, dir: string): ReadDevice | undefined {
  if (raw === undefined) return undefined;
  const o = c.object(raw, path, DEVICE_KEYS, 'a device');
  if (!o) return undefined;
  c.require(o, 'id', path, 'a name the scenario uses to refer to the device');
  const id = c.string(o.id, child(path, 'id'), { pattern: DEVICE_ID_RE, patternHint: 'a valid id (letters, digits, _ . -, not starting with a digit)' });
  const model = c.string(o.model, child(path, 'model'), { nonEmpty: true }) ?? 'generic';
  const modulePath = readModel(c, model, child(path, 'model'), dir);
  const bus = c.oneOf(o.bus, child(path, 'bus'), BUSES) ?? 'pci';
  const hardwareId = c.string(o.hardwareId, child(path, 'hardwareId'), { nonEmpty: true }) ?? defaultHardwareId(bus, model);
  const resources: ResourceConfig[] = [];
  const resourcePaths: string[] = [];
  const rlistPath = child(path, 'resources');
  (c.array(o.resources, rlistPath) ?? []).forEach((r, i) => {
    const res = readResource(c, r, child(rlistPath, i), bus, cpus);
    if (!res) return;
    resources.push(res);
    resourcePaths.push(child(rlistPath, i));
  });
  const registers = readRegisters(c, o.registers, child(path, 'registers'), resources);
  const params = c.object(o.params, child(path, 'params'), Object.keys(asObject(o.params))) ?? {};
  const classDriver = readClassDrivers(c, o.classDriver, child(path, 'classDriver'));
  if (id === undefined) return undefined;
  const d: DeviceConfig = { id, model, bus, hardwareId, resources, registers, params };
  if (classDriver) d.classDriver = classDriver;
  if (modulePath) d.modulePath = modulePath;
  return { d, path, resourcePaths };
}

/**
 * A library model name, or the relative path of a JavaScript device module ("./devices/x.js"):
 * returns the module's absolute path. Modules are CommonJS (loaded synchronously by the host).
 */
function readModel(c: Checker, model: string, path: string, dir: string): string | undefined {
  if (/^\.\.?\//.test(model)) {
    if (!/\.c?js$/.test(model)) {
      c.error(path, `a device module must be a CommonJS file ending in .js or .cjs, not '${model}'`);
      return undefined;
    }
    return join(dir, model);
  }
  const names = deviceModelNames();
  if (!names.includes(model)) {
    const guess = closest(model, names);
    c.error(path, `unknown device model '${model}'${guess ? ` (did you mean '${guess}'?)` : ''}; library models: ${names.join(', ')}; or a module path such as "./devices/my-device.js"`);
  }
  return undefined;
}

/** "keyboard", "mouse" or a list of them (an i8042 stack serves both). */
function readClassDrivers(c: Checker, v: unknown, path: string): InputClass[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  const out: InputClass[] = [];
  list.forEach((x, i) => {
    const cls = c.oneOf(x, Array.isArray(v) ? child(path, i) : path, INPUT_CLASSES);
    if (cls === undefined) return;
    if (out.includes(cls)) c.warn(Array.isArray(v) ? child(path, i) : path, `'${cls}' is listed twice`);
    else out.push(cls);
  });
  return out.length > 0 ? out : undefined;
}

function defaultHardwareId(bus: DeviceConfig['bus'], model: string): string {
  return `${bus.toUpperCase()}\\KDSIM_${model.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

function asObject(v: unknown): JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
}

function readResource(c: Checker, raw: unknown, path: string, bus: DeviceConfig['bus'], cpus: number): ResourceConfig | undefined {
  // The members allowed depend on the type, so look at it before checking the rest.
  const t = asObject(raw).type;
  const keys = t === 'interrupt' ? INTERRUPT_KEYS : t === 'port' || t === 'memory' ? RANGE_KEYS : [...RANGE_KEYS, ...INTERRUPT_KEYS.slice(1)];
  const what = t === 'interrupt' ? 'an interrupt resource' : t === 'port' || t === 'memory' ? `a ${t} resource` : 'a resource';
  const shape = c.object(raw, path, keys, what);
  if (!shape) return undefined;
  if (!c.require(shape, 'type', path, "'port', 'memory' or 'interrupt'")) return undefined;
  const type = c.oneOf(shape.type, child(path, 'type'), RESOURCE_TYPES);
  if (type === undefined) return undefined;
  if (type === 'interrupt') return readInterrupt(c, shape, path, bus, cpus);
  c.require(shape, 'start', path, `first ${type === 'port' ? 'I/O port' : 'physical address'} of the range`);
  c.require(shape, 'length', path, 'size of the range in bytes');
  const limit = type === 'port' ? 0x10000 : PHYS_LIMIT;
  const start = c.int(shape.start, child(path, 'start'), { min: type === 'memory' ? 1 : 0, max: limit - 1 });
  const length = c.int(shape.length, child(path, 'length'), { min: 1, max: limit });
  if (start === undefined || length === undefined) return undefined;
  if (start + length > limit) {
    c.error(child(path, 'length'), `the range ${hex(start)}..${hex(start + length - 1)} goes past the end of the ${type === 'port' ? 'I/O port space (0xFFFF)' : 'physical address space'}`);
    return undefined;
  }
  return { type, start, length };
}

function readInterrupt(c: Checker, o: JsonObject, path: string, bus: DeviceConfig['bus'], cpus: number): Interrupt | undefined {
  c.require(o, 'vector', path, 'the interrupt vector, e.g. "0x91"');
  const vector = c.int(o.vector, child(path, 'vector'), { min: MIN_DEVICE_VECTOR, max: MAX_DEVICE_VECTOR });
  const givenLevel = c.int(o.level, child(path, 'level'), { min: MIN_DIRQL, max: MAX_DIRQL });
  const message = c.bool(o.message, child(path, 'message')) ?? false;
  const givenMode = c.oneOf(o.mode, child(path, 'mode'), MODES);
  const givenShared = c.bool(o.shared, child(path, 'shared'));
  const affinityMask = readAffinity(c, o.affinity, child(path, 'affinity'), cpus);

  let level = givenLevel;
  if (vector !== undefined) {
    const implied = vector >> 4;
    if (givenLevel === undefined && (implied < MIN_DIRQL || implied > MAX_DIRQL)) {
      c.error(child(path, 'vector'), `vector ${hex(vector)} maps to IRQL ${implied}, outside the device IRQLs ${MIN_DIRQL}..${MAX_DIRQL}: use a vector in 0x30..0xCF`);
    } else if (givenLevel !== undefined && givenLevel !== implied) {
      c.warn(child(path, 'level'), `on x64 the IRQL of vector ${hex(vector)} is ${implied} (vector >> 4), not ${givenLevel}`);
    }
    level ??= implied;
  }
  if (message && bus !== 'pci') c.error(child(path, 'message'), 'message-signalled interrupts (MSI) exist only on PCI devices');
  if (message && givenMode === 'levelSensitive') c.error(child(path, 'mode'), "message-signalled interrupts are edge-triggered: use 'latched'");
  if (message && givenShared === true) c.warn(child(path, 'shared'), 'a message-signalled interrupt is never shared');
  const mode = givenMode ?? (bus === 'pci' && !message ? 'levelSensitive' : 'latched');
  const shared = givenShared ?? (bus === 'pci' && !message);

  if (vector === undefined || level === undefined || level < MIN_DIRQL || level > MAX_DIRQL || affinityMask === undefined) return undefined;
  return { type: 'interrupt', vector, level, affinity: Number(affinityMask), affinityMask, mode, shared, message };
}

function readAffinity(c: Checker, v: unknown, path: string, cpus: number): bigint | undefined {
  const all = allCpusMask(cpus);
  if (v === undefined) return all;
  const mask = parseBigNumber(v);
  if (mask === undefined || mask < 0n || mask >= 1n << 64n) {
    c.error(path, 'must be a 64-bit processor mask, as a number or a hex string such as "0x3"');
    return undefined;
  }
  if ((mask & all) === 0n) {
    c.error(path, `selects no existing processor (the machine has ${cpus} CPU${cpus === 1 ? '' : 's'}: mask ${hex(all)})`);
    return undefined;
  }
  if ((mask & ~all) !== 0n) c.warn(path, `bits above CPU ${cpus - 1} are ignored (the machine has ${cpus} CPU${cpus === 1 ? '' : 's'})`);
  return mask & all;
}

function readRegisters(c: Checker, v: unknown, path: string, resources: ResourceConfig[]): Record<string, number> {
  const o = c.object(v, path, Object.keys(asObject(v)));
  const out: Record<string, number> = {};
  if (!o) return out;
  let span = 0;
  for (const r of resources) if (r.type !== 'interrupt') span = Math.max(span, r.length);
  for (const [name, raw] of Object.entries(o)) {
    const p = child(path, name);
    if (name.trim() === '') c.error(p, 'register names must not be empty', 'key');
    const off = c.int(raw, p, { min: 0, max: 0xffffffff });
    if (off === undefined) continue;
    if (span === 0) c.warn(p, 'the device has no memory or port range for this register to live in');
    else if (off >= span) c.warn(p, `offset ${hex(off)} lies beyond the device's register ranges (largest is ${span} bytes)`);
    out[name] = off;
  }
  return out;
}

// Two devices cannot decode the same addresses; a vector is shared only if every user agrees.
function checkConflicts(c: Checker, devices: ReadDevice[]): void {
  const firstById = new Map<string, string>();
  const ranges: Array<{ type: string; start: number; end: number; id: string }> = [];
  const vectors = new Map<number, { r: Interrupt; id: string }>();
  for (const { d, path, resourcePaths } of devices) {
    const first = firstById.get(d.id);
    if (first !== undefined) c.error(child(path, 'id'), `duplicate device id '${d.id}' (already used by ${first})`);
    else firstById.set(d.id, path);
    d.resources.forEach((r, i) => {
      const rpath = resourcePaths[i];
      if (r.type === 'interrupt') {
        const prev = vectors.get(r.vector);
        if (!prev) {
          vectors.set(r.vector, { r, id: d.id });
          return;
        }
        const vpath = child(rpath, 'vector');
        const v = hex(r.vector);
        if (r.message || prev.r.message) c.error(vpath, `vector ${v} is already used by device '${prev.id}'; message-signalled vectors cannot be shared`);
        else if (!r.shared || !prev.r.shared) c.error(vpath, `vector ${v} is already used by device '${prev.id}' and is not shared by both (set "shared": true on each)`);
        else if (r.mode !== prev.r.mode) c.error(child(rpath, 'mode'), `vector ${v} is ${prev.r.mode} for device '${prev.id}': a shared line has one trigger mode`);
        else if (r.level !== prev.r.level) c.error(child(rpath, 'level'), `vector ${v} has IRQL ${prev.r.level} for device '${prev.id}': a shared line has one IRQL`);
        return;
      }
      const end = r.start + r.length;
      for (const o of ranges) {
        if (o.type === r.type && r.start < o.end && o.start < end) {
          const whose = o.id === d.id ? 'another range of this device' : `device '${o.id}'`;
          c.error(child(rpath, 'start'), `${r.type} range ${hex(r.start)}..${hex(end - 1)} overlaps ${whose} (${hex(o.start)}..${hex(o.end - 1)})`);
        }
      }
      ranges.push({ type: r.type, start: r.start, end, id: d.id });
    });
  }
}

/** For "unknown device" messages: the closest declared id. */
export function suggestDevice(id: string, ids: readonly string[]): string {
  const g = closest(id, ids);
  if (g) return ` (did you mean '${g}'?)`;
  return ids.length ? ` (declared: ${ids.map((x) => `'${x}'`).join(', ')})` : ' (the project declares no devices)';
}
