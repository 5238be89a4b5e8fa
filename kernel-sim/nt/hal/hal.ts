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
    return this.models[w.device].read(w.resource, port - w.start, size);
  }

  portWrite(port: number, size: 1 | 2 | 4, value: number): void {
    this.k.charge(this.k.cost.portIo);
    const w = this.ports.find((x) => port >= x.start && port + size <= x.start + x.length);
    if (w) this.models[w.device].write(w.resource, port - w.start, size, value);
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
        if (n === 8) return BigInt(model.read(w.resource, base + offset, 4)) | (BigInt(model.read(w.resource, base + offset + 4, 4)) << 32n);
        return BigInt(model.read(w.resource, base + offset, n));
      },
      write: (offset, n, v) => {
        k.charge(k.cost.registerIo);
        if (n === 8) {
          model.write(w.resource, base + offset, 4, Number(v & 0xffffffffn));
          model.write(w.resource, base + offset + 4, 4, Number(v >> 32n));
        } else model.write(w.resource, base + offset, n, Number(v & 0xffffffffn));
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
