// The HAL's view of devices: I/O ports and memory-mapped registers routed to device models,
// MmMapIoSpace, and KeStallExecutionProcessor (a busy wait that costs simulated time and lets
// interrupts in, KERNEL_MODEL §6). Every port/register access costs simulated time.

import { toUnsigned } from '../../vm/memory';
import type { DeviceModel } from '../../devices/device';
import type { ResourceConfig } from '../../scenario/project-types';
import { BLOCKED, type NativeResult } from '../../vm/runtime';
import { big, num, u32 } from '../ddi';
import type { Kernel } from '../kernel';
import type { KDdi } from '../ke/ddis';
import { largeArg } from '../ke/ddis';

interface Window {
  device: number;
  resource: number;
  start: number;
  length: number;
}

export class Hal {
  readonly ports: Window[] = [];
  readonly memory: Window[] = [];
  /** MmMapIoSpace mappings: VA → region (for MmUnmapIoSpace). */
  private readonly mappings = new Map<number, ReturnType<Kernel['mem']['mapMmio']>>();

  constructor(
    private readonly k: Kernel,
    readonly models: DeviceModel[],
  ) {}

  addResources(device: number, resources: ResourceConfig[]): void {
    resources.forEach((r, i) => {
      if (r.type === 'port') this.ports.push({ device, resource: i, start: r.start, length: r.length });
      else if (r.type === 'memory') this.memory.push({ device, resource: i, start: r.start, length: r.length });
    });
  }

  portRead(port: number, size: 1 | 2 | 4): number {
    this.k.charge(this.k.cost.portIo);
    const w = this.ports.find((x) => port >= x.start && port + size <= x.start + x.length);
    if (!w) return size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff; // nobody decodes it: the bus floats high
    const v = this.models[w.device].read(w.resource, port - w.start, size);
    this.traceAccess(w.device, w.resource, port - w.start, size, v, false);
    return v;
  }

  portWrite(port: number, size: 1 | 2 | 4, value: number): void {
    this.k.charge(this.k.cost.portIo);
    const w = this.ports.find((x) => port >= x.start && port + size <= x.start + x.length);
    if (!w) return;
    this.models[w.device].write(w.resource, port - w.start, size, value);
    this.traceAccess(w.device, w.resource, port - w.start, size, value, true);
  }

  /** Register names by device: "resource:offset" → name(s), from the model and the project file. */
  private readonly names: Array<Map<string, string> | undefined> = [];

  /** Records a register access in the trace, named where the model or kdsim.json names it. */
  private traceAccess(device: number, resource: number, offset: number, size: number, value: number, write: boolean): void {
    const k = this.k;
    let names = this.names[device];
    if (!names) {
      names = new Map();
      const add = (key: string, name: string): void => {
        const had = names?.get(key);
        if (had === undefined) names?.set(key, name);
        else if (!had.split('/').includes(name)) names?.set(key, `${had}/${name}`);
      };
      for (const r of this.models[device].registers()) if (!r.internal) add(`${r.resource}:${r.offset}`, r.name);
      // kdsim.json register names apply to the device's first register window.
      const cfg = k.config.devices[device];
      const first = cfg ? cfg.resources.findIndex((r) => r.type !== 'interrupt') : -1;
      for (const [name, off] of Object.entries(cfg?.registers ?? {})) add(`${first}:${off}`, name);
      this.names[device] = names;
    }
    const p = k.cur;
    const name = this.models[device].accessName?.(resource, offset, write) ?? names.get(`${resource}:${offset}`);
    k.trace.record({ kind: 'register', t: p.clock, cpu: p.number, device: k.deviceName(device), resource, offset, size, value: value >>> 0, write, ...(name === undefined ? {} : { name }) });
  }

  /** MmMapIoSpace: a VA window whose accesses go to the device owning that physical range. */
  mapIoSpace(phys: number, size: number): number {
    const k = this.k;
    const w = this.memory.find((x) => phys >= x.start && phys + size <= x.start + x.length);
    if (!w || size === 0) return 0;
    const pageOff = phys & 0xfff;
    const model = this.models[w.device];
    const base = phys - w.start - pageOff;
    const region = k.mem.mapMmio(`device registers ${k.deviceName(w.device)} @ 0x${phys.toString(16)}`, size + pageOff, {
      read: (offset, n) => {
        k.charge(k.cost.registerIo);
        const at = base + offset;
        if (n === 8) {
          const lo = model.read(w.resource, at, 4);
          const hi = model.read(w.resource, at + 4, 4);
          this.traceAccess(w.device, w.resource, at, 4, lo, false);
          this.traceAccess(w.device, w.resource, at + 4, 4, hi, false);
          return BigInt(lo >>> 0) | (BigInt(hi >>> 0) << 32n);
        }
        const v = model.read(w.resource, at, n);
        this.traceAccess(w.device, w.resource, at, n, v, false);
        return BigInt(v >>> 0);
      },
      write: (offset, n, v) => {
        k.charge(k.cost.registerIo);
        const at = base + offset;
        if (n === 8) {
          const lo = Number(v & 0xffffffffn);
          const hi = Number((v >> 32n) & 0xffffffffn);
          model.write(w.resource, at, 4, lo);
          this.traceAccess(w.device, w.resource, at, 4, lo, true);
          model.write(w.resource, at + 4, 4, hi);
          this.traceAccess(w.device, w.resource, at + 4, 4, hi, true);
        } else {
          const x = Number(v & 0xffffffffn);
          model.write(w.resource, at, n, x);
          this.traceAccess(w.device, w.resource, at, n, x, true);
        }
      },
    });
    if (!region) return 0;
    this.mappings.set(region.start + pageOff, region);
    return region.start + pageOff;
  }

  unmapIoSpace(va: number): void {
    const r = this.mappings.get(va);
    if (!r) return;
    this.mappings.delete(va);
    this.k.mem.unmap(r);
  }
}

const SIZES: Record<string, 1 | 2 | 4 | 8> = { UCHAR: 1, USHORT: 2, ULONG: 4, ULONG64: 8 };

export function halDdis(): Record<string, KDdi> {
  const d: Record<string, KDdi> = {};
  for (const [suffix, size] of Object.entries(SIZES)) {
    const read = (k: Kernel, a: number): number | bigint => {
      const m = k.mem;
      return size === 1 ? m.readU8(a) : size === 2 ? m.readU16(a) : size === 4 ? m.readU32(a) : m.readU64(a);
    };
    const write = (k: Kernel, a: number, v: number | bigint): void => {
      const m = k.mem;
      if (size === 1) m.writeU8(a, Number(v));
      else if (size === 2) m.writeU16(a, Number(v));
      else if (size === 4) m.writeU32(a, Number(v));
      else m.writeU64(a, big(v));
    };
    // Registers: plain memory accesses (the MMIO window routes them and charges the time).
    d[`READ_REGISTER_${suffix}`] = (k, a) => read(k, num(a[0]));
    d[`WRITE_REGISTER_${suffix}`] = (k, a) => write(k, num(a[0]), a[1]);
    d[`READ_REGISTER_BUFFER_${suffix}`] = (k, a) => {
      for (let i = 0; i < u32(a[2]); i++) write(k, num(a[1]) + i * size, read(k, num(a[0])));
      return undefined;
    };
    d[`WRITE_REGISTER_BUFFER_${suffix}`] = (k, a) => {
      for (let i = 0; i < u32(a[2]); i++) write(k, num(a[0]), read(k, num(a[1]) + i * size));
      return undefined;
    };
    if (size === 8) continue;
    d[`READ_PORT_${suffix}`] = (k, a) => k.hal.portRead(portOf(a[0]), size);
    d[`WRITE_PORT_${suffix}`] = (k, a) => k.hal.portWrite(portOf(a[0]), size, u32(a[1]));
    d[`READ_PORT_BUFFER_${suffix}`] = (k, a) => {
      for (let i = 0; i < u32(a[2]); i++) write(k, num(a[1]) + i * size, k.hal.portRead(portOf(a[0]), size));
      return undefined;
    };
    d[`WRITE_PORT_BUFFER_${suffix}`] = (k, a) => {
      for (let i = 0; i < u32(a[2]); i++) k.hal.portWrite(portOf(a[0]), size, Number(read(k, num(a[1]) + i * size)));
      return undefined;
    };
  }
  d.MmMapIoSpace = (k, a, t) => k.hal.mapIoSpace(Number(largeArg(k, a[0], t[0])), num(a[1]));
  d.MmMapIoSpaceEx = (k, a, t) => k.hal.mapIoSpace(Number(largeArg(k, a[0], t[0])), num(a[1]));
  d.MmUnmapIoSpace = (k, a) => k.hal.unmapIoSpace(num(a[0]));
  d.MmGetPhysicalAddress = (k, a, _t, cpu) => {
    // Simulated RAM is identity-mapped above 4 GiB (never colliding with device BARs).
    const pa = 0x1_0000_0000n + toUnsigned(num(a[0])) % 0x1_0000_0000n;
    k.mem.writeU64(cpu.nativeRetBuf, pa);
    return cpu.nativeRetBuf;
  };
  d.KeStallExecutionProcessor = (k, a) => stall(k, u32(a[0]));
  return d;
}

/** Port numbers arrive as pointers (PUCHAR Port): the low 16 bits are the I/O address. */
function portOf(v: number | bigint | undefined): number {
  return Number(BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(num(v)))) & 0xffff;
}

/** A busy wait of `us` µs: interrupts are taken meanwhile; the scheduler jumps the clock. */
export function stall(k: Kernel, us: number): NativeResult {
  const until = k.nowNs() + us * 1000;
  if (us >= 50) {
    const inDpc = k.cur.activity.some((a) => a.kind === 'dpc');
    const limit = inDpc ? 100 : 50;
    const where = k.cur.activeRoutine?.name ?? k.cur.current.name;
    k.guidance(`stall:${where}`, us * 1000, limit * 1000 - 1, () => `KeStallExecutionProcessor(${us}) in ${where} (guidance: under ${limit} µs${inDpc ? ' in a DPC' : ''})`);
  }
  return { reason: `KeStallExecutionProcessor(${us})`, label: 'nt!KeStallExecutionProcessor', untilNs: until, poll: () => (k.cur.clock >= until ? undefined : BLOCKED) };
}
