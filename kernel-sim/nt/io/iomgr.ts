// The I/O manager: DRIVER_OBJECT and DEVICE_OBJECTs in simulated memory, device stacks over
// a simulated PDO (the "kdsimbus" bus driver completes the PnP IRPs that reach it), the
// resources of IRP_MN_START_DEVICE, and the Io* DDIs.

import { toUnsigned } from '../../vm/memory';
import type { DeviceConfig } from '../../scenario/project-types';
import type { NativeResult } from '../../vm/runtime';
import { big, i32, num, u32 } from '../ddi';
import { type Kernel, ptrT } from '../kernel';
import type { KDdi } from '../ke/ddis';
import { largeArg } from '../ke/ddis';
import { DISPATCH_LEVEL } from '../ke/prcb';
import { LevelSensitive, Latched } from '../ke/interrupt';
import { DeviceQueues } from './device-queue';
import { IRP_MJ_PNP, IRP_MJ_POWER, Irps, STATUS_PENDING } from './irp';

const IO_TYPE_DRIVER = 4;
const IO_TYPE_DEVICE = 3;
const DO_DEVICE_INITIALIZING = 0x80;
const DO_DEVICE_HAS_NAME = 0x40;
const STATUS_SUCCESS = 0;
const STATUS_OBJECT_NAME_COLLISION = 0xc0000035;
const STATUS_INVALID_PARAMETER = 0xc000000d;
const STATUS_BUFFER_TOO_SMALL = 0xc0000023;
const STATUS_NOT_SUPPORTED = 0xc00000bb;

export interface DeviceInfo {
  address: number;
  name: string | undefined;
  driver: number;
  pdo: boolean;
  /** For a PDO: the project device it stands for. */
  config?: DeviceConfig;
  deviceIndex?: number;
}

export class IoManager {
  readonly irps: Irps;
  readonly deviceQueues: DeviceQueues;
  readonly devices = new Map<number, DeviceInfo>();
  readonly drivers = new Map<number, string>();
  readonly symbolicLinks = new Map<string, string>();
  readonly interfaces: string[] = [];
  cancelLock = 0;
  busDriver = 0;
  /** Native routine addresses of the bus driver's dispatch (never called as C). */
  private readonly invalidRequest = new Set<number>();

  constructor(private readonly k: Kernel) {
    this.irps = new Irps(k);
    this.deviceQueues = new DeviceQueues(k);
  }

  init(): void {
    this.cancelLock = this.k.allocateSystem(8, 'Canc');
    this.busDriver = this.createDriverObject('kdsimbus');
  }

  isInvalidRequestRoutine(a: number): boolean {
    return this.invalidRequest.has(a);
  }

  /** Reads a UNICODE_STRING as text. */
  unicode(us: number): string {
    if (us === 0) return '';
    const m = this.k.mem;
    const len = m.readU16(us);
    const buf = m.readPtr(us + 8);
    let s = '';
    for (let i = 0; i < len / 2; i++) s += String.fromCharCode(m.readU16(buf + i * 2));
    return s;
  }

  /** Writes a counted wide string into fresh system memory; returns a UNICODE_STRING address. */
  makeUnicode(text: string): number {
    const m = this.k.mem;
    const us = this.k.allocateSystem(16 + text.length * 2 + 2, 'Ustr');
    const buf = us + 16;
    for (let i = 0; i < text.length; i++) m.writeU16(buf + i * 2, text.charCodeAt(i));
    m.writeU16(us, text.length * 2);
    m.writeU16(us + 2, text.length * 2 + 2);
    m.writePtr(us + 8, buf);
    return us;
  }

  createDriverObject(name: string): number {
    const k = this.k;
    const L = k.layouts;
    const m = k.mem;
    const size = L.sizeOf('DRIVER_OBJECT');
    const drv = k.allocateSystem(size + L.sizeOf('DRIVER_EXTENSION'), 'Driv');
    const ext = drv + size;
    m.writeU16(drv + L.offsetOf('DRIVER_OBJECT', 'Type'), IO_TYPE_DRIVER);
    m.writeU16(drv + L.offsetOf('DRIVER_OBJECT', 'Size'), size);
    m.writePtr(drv + L.offsetOf('DRIVER_OBJECT', 'DriverExtension'), ext);
    m.writePtr(ext + L.offsetOf('DRIVER_EXTENSION', 'DriverObject'), drv);
    const us = this.makeUnicode(`\\Driver\\${name}`);
    m.copy(drv + L.offsetOf('DRIVER_OBJECT', 'DriverName'), us, 16);
    // Every major function starts at IopInvalidDeviceRequest (STATUS_INVALID_DEVICE_REQUEST).
    const invalid = k.registerNative('nt!IopInvalidDeviceRequest', () => undefined);
    this.invalidRequest.add(invalid);
    for (let i = 0; i <= 0x1b; i++) m.writePtr(drv + L.offsetOf('DRIVER_OBJECT', 'MajorFunction') + i * 8, invalid);
    this.drivers.set(drv, name);
    return drv;
  }

  /** IoCreateDevice: DEVICE_OBJECT + zeroed extension in nonpaged memory, linked to its driver. */
  createDevice(driver: number, extSize: number, name: string | undefined, type: number, characteristics: number, pdo: boolean): number {
    const k = this.k;
    const L = k.layouts;
    const m = k.mem;
    const size = L.sizeOf('DEVICE_OBJECT');
    const extOff = Math.ceil(size / 16) * 16;
    const dobjExt = extOff + Math.ceil(extSize / 16) * 16;
    const dev = k.allocateSystem(dobjExt + L.sizeOf('DEVOBJ_EXTENSION'), 'Devi');
    const f = (p: string): number => dev + L.offsetOf('DEVICE_OBJECT', p);
    m.writeU16(f('Type'), IO_TYPE_DEVICE);
    m.writeU16(f('Size'), extOff + extSize);
    m.writePtr(f('DriverObject'), driver);
    const first = driver + L.offsetOf('DRIVER_OBJECT', 'DeviceObject');
    m.writePtr(f('NextDevice'), m.readPtr(first));
    m.writePtr(first, dev);
    m.writeU32(f('Flags'), DO_DEVICE_INITIALIZING | (name !== undefined ? DO_DEVICE_HAS_NAME : 0));
    m.writeU32(f('Characteristics'), characteristics);
    m.writePtr(f('DeviceExtension'), extSize > 0 ? dev + extOff : 0);
    m.writeU32(f('DeviceType'), type);
    m.writeU8(f('StackSize'), 1);
    this.deviceQueues.initialize(f('DeviceQueue'));
    k.disp.initHeader(f('DeviceLock'), 1, 1, 0x18);
    m.writePtr(f('DeviceObjectExtension'), dev + dobjExt);
    m.writePtr(dev + dobjExt + L.offsetOf('DEVOBJ_EXTENSION', 'DeviceObject'), dev);
    this.devices.set(dev, { address: dev, name, driver, pdo });
    return dev;
  }

  deleteDevice(dev: number): void {
    const k = this.k;
    const L = k.layouts;
    const m = k.mem;
    const info = this.devices.get(dev);
    if (!info) k.bugCheck(0x1e, 0xc0000005n, 0n, 0n, toUnsigned(dev), 'IoDeleteDevice of an address that is not a device object');
    const driver = m.readPtr(dev + L.offsetOf('DEVICE_OBJECT', 'DriverObject'));
    // Unlink from the driver's list.
    let link = driver + L.offsetOf('DRIVER_OBJECT', 'DeviceObject');
    for (let d = m.readPtr(link); d !== 0; link = d + L.offsetOf('DEVICE_OBJECT', 'NextDevice'), d = m.readPtr(link)) {
      if (d === dev) {
        m.writePtr(link, m.readPtr(d + L.offsetOf('DEVICE_OBJECT', 'NextDevice')));
        break;
      }
    }
    this.devices.delete(dev);
    k.pool.free(dev, undefined);
  }

  /** The device at the top of `dev`'s stack. */
  topOf(dev: number): number {
    const off = this.k.layouts.offsetOf('DEVICE_OBJECT', 'AttachedDevice');
    let d = dev;
    for (let up = this.k.mem.readPtr(d + off); up !== 0; up = this.k.mem.readPtr(d + off)) d = up;
    return d;
  }

  /** The PDO's bus driver: completes PnP and power IRPs that reach the bottom of the stack. */
  busDispatch(device: number, irp: number, major: number, minor: number): NativeResult | undefined {
    const info = this.devices.get(device);
    if (!info?.pdo) return undefined;
    const m = this.k.mem;
    const statusOff = this.irps.o('status');
    let status = m.readI32(irp + statusOff);
    if (major === IRP_MJ_PNP) {
      // START (0), QUERY_REMOVE (1), REMOVE (2), CANCEL_REMOVE (3), STOP (4), QUERY_STOP (5),
      // CANCEL_STOP (6), SURPRISE_REMOVAL (0x17) succeed at the bus; other minors keep the status.
      if ([0, 1, 2, 3, 4, 5, 6, 0x17].includes(minor)) status = STATUS_SUCCESS;
    } else if (major === IRP_MJ_POWER) status = STATUS_SUCCESS;
    else status = 0xc0000010 | 0;
    m.writeU32(irp + statusOff, status >>> 0);
    return this.irps.complete(irp, () => status);
  }

  /** The raw and translated CM_RESOURCE_LISTs of a project device (IRP_MN_START_DEVICE). */
  buildResources(cfg: DeviceConfig, translated: boolean): number {
    const k = this.k;
    const m = k.mem;
    const L = k.layouts;
    const descSize = L.sizeOf('CM_PARTIAL_RESOURCE_DESCRIPTOR');
    const n = cfg.resources.length;
    const listOff = L.offsetOf('CM_RESOURCE_LIST', 'List');
    const partialOff = L.offsetOf('CM_FULL_RESOURCE_DESCRIPTOR', 'PartialResourceList');
    const descOff = L.offsetOf('CM_PARTIAL_RESOURCE_LIST', 'PartialDescriptors');
    const size = listOff + partialOff + descOff + Math.max(1, n) * descSize;
    const list = k.allocateSystem(size, 'PnPr');
    m.writeU32(list, 1);
    const full = list + listOff;
    m.writeU32(full, cfg.bus === 'pci' ? 5 : cfg.bus === 'isa' ? 1 : 0); // InterfaceType: PCIBus 5, Isa 1, Internal 0
    m.writeU32(full + 4, 0);
    const partial = full + partialOff;
    m.writeU16(partial, 1);
    m.writeU16(partial + 2, 1);
    m.writeU32(partial + 4, n);
    cfg.resources.forEach((r, i) => {
      const d = partial + descOff + i * descSize;
      const u = d + L.offsetOf('CM_PARTIAL_RESOURCE_DESCRIPTOR', 'u');
      if (r.type === 'port') {
        m.writeU8(d, 1); // CmResourceTypePort
        m.writeU8(d + 1, 1); // CmResourceShareDeviceExclusive
        m.writeU16(d + 2, 0x0001 | 0x0004); // CM_RESOURCE_PORT_IO | CM_RESOURCE_PORT_10_BIT_DECODE
        m.writeU64(u, BigInt(r.start));
        m.writeU32(u + 8, r.length);
      } else if (r.type === 'memory') {
        m.writeU8(d, 3); // CmResourceTypeMemory
        m.writeU8(d + 1, 1);
        m.writeU16(d + 2, 0); // CM_RESOURCE_MEMORY_READ_WRITE
        m.writeU64(u, BigInt(r.start));
        m.writeU32(u + 8, r.length);
      } else {
        m.writeU8(d, 2); // CmResourceTypeInterrupt
        m.writeU8(d + 1, r.shared ? 3 : 1); // Shared : DeviceExclusive
        m.writeU16(d + 2, r.mode === 'latched' ? 1 : 0); // CM_RESOURCE_INTERRUPT_LATCHED : LEVEL_SENSITIVE
        if (r.message) m.writeU16(d + 2, m.readU16(d + 2) | 0x2); // CM_RESOURCE_INTERRUPT_MESSAGE
        // Raw: the bus-relative line (vector - 0x30 as an IRQ); translated: DIRQL, IDT vector.
        // A raw message interrupt is u.MessageInterrupt.Raw {USHORT Reserved; USHORT MessageCount;
        // ULONG Vector; KAFFINITY Affinity}: kdsim gives each message its own descriptor.
        if (r.message && !translated) m.writeU32(u, 1 << 16);
        else m.writeU32(u, translated ? r.level : Math.max(0, r.vector - 0x30));
        m.writeU32(u + 4, translated ? r.vector : Math.max(0, r.vector - 0x30));
        m.writeU64(u + 8, (r.affinityMask ?? BigInt(r.affinity)));
      }
    });
    return list;
  }

  /** Interrupt resources of a PDO (IoConnectInterruptEx LINE_BASED / MESSAGE_BASED). */
  interruptsOfPdo(pdo: number): { vector: number; level: number; affinity: bigint; mode: number; shared: boolean; message: boolean }[] {
    const cfg = this.devices.get(pdo)?.config;
    if (!cfg) return [];
    const out = [];
    for (const r of cfg.resources) {
      if (r.type === 'interrupt') out.push({ vector: r.vector, level: r.level, affinity: (r.affinityMask ?? BigInt(r.affinity)), mode: r.mode === 'latched' ? Latched : LevelSensitive, shared: r.shared, message: !!r.message });
    }
    return out;
  }
}

export function ioDdis(): Record<string, KDdi> {
  const d: Record<string, KDdi> = {};
  d.IoCreateDevice = (k, a) => {
    const name = num(a[2]) !== 0 ? k.io.unicode(num(a[2])) : undefined;
    if (name && [...k.io.devices.values()].some((x) => x.name === name)) {
      k.mem.writePtr(num(a[6]), 0); // _Outptr_result_nullonfailure_
      return STATUS_OBJECT_NAME_COLLISION;
    }
    const dev = k.io.createDevice(num(a[0]), u32(a[1]), name, u32(a[3]), u32(a[4]), false);
    k.mem.writePtr(num(a[6]), dev);
    return STATUS_SUCCESS;
  };
  d.IoDeleteDevice = (k, a) => k.io.deleteDevice(num(a[0]));
  d.IoAttachDeviceToDeviceStack = (k, a) => {
    const L = k.layouts;
    const m = k.mem;
    const src = num(a[0]);
    const top = k.io.topOf(num(a[1]));
    m.writePtr(top + L.offsetOf('DEVICE_OBJECT', 'AttachedDevice'), src);
    m.writeU8(src + L.offsetOf('DEVICE_OBJECT', 'StackSize'), m.readI8(top + L.offsetOf('DEVICE_OBJECT', 'StackSize')) + 1);
    return top;
  };
  d.IoDetachDevice = (k, a) => void k.mem.writePtr(num(a[0]) + k.layouts.offsetOf('DEVICE_OBJECT', 'AttachedDevice'), 0);
  d.IoGetAttachedDeviceReference = (k, a) => k.io.topOf(num(a[0]));
  d.IoCreateSymbolicLink = (k, a) => {
    const link = k.io.unicode(num(a[0]));
    if (k.io.symbolicLinks.has(link)) return STATUS_OBJECT_NAME_COLLISION;
    k.io.symbolicLinks.set(link, k.io.unicode(num(a[1])));
    return STATUS_SUCCESS;
  };
  d.IoDeleteSymbolicLink = (k, a) => (k.io.symbolicLinks.delete(k.io.unicode(num(a[0]))) ? STATUS_SUCCESS : 0xc0000034);
  d.IoRegisterDeviceInterface = (k, a) => {
    const name = `\\??\\KDSIM#${k.io.interfaces.length}#{interface}`;
    k.io.interfaces.push(name);
    if (num(a[3]) !== 0) {
      const us = k.io.makeUnicode(name);
      k.mem.copy(num(a[3]), us, 16);
    }
    return STATUS_SUCCESS;
  };
  d.IoSetDeviceInterfaceState = () => STATUS_SUCCESS;
  d.IoIsWdmVersionAvailable = (_k, a) => ((num(a[0]) & 0xff) < 6 || ((num(a[0]) & 0xff) === 6 && (num(a[1]) & 0xff) <= 0x30) ? 1 : 0);
  d.IoInvalidateDeviceRelations = () => undefined;
  d.IoInvalidateDeviceState = () => undefined;
  d.IoGetCurrentProcess = (k) => k.systemProcess;
  d.IoGetDeviceProperty = (k, a) => {
    const info = k.io.devices.get(num(a[0]));
    const prop = u32(a[1]);
    if (!info?.pdo || !info.config) return STATUS_INVALID_PARAMETER;
    // DevicePropertyHardwareID (1) / CompatibleIDs (2): REG_MULTI_SZ; DeviceDescription (0): REG_SZ.
    let text: string;
    if (prop === 1) text = `${info.config.hardwareId}\0\0`;
    else if (prop === 2) text = '\0\0';
    else if (prop === 0) text = `${info.config.id}\0`;
    else return 0xc00000f0; // STATUS_INVALID_PARAMETER_2
    const bytes = text.length * 2;
    k.mem.writeU32(num(a[4]), bytes);
    if (u32(a[2]) < bytes) return STATUS_BUFFER_TOO_SMALL;
    for (let i = 0; i < text.length; i++) k.mem.writeU16(num(a[3]) + i * 2, text.charCodeAt(i));
    return STATUS_SUCCESS;
  };
  d.IoGetDeviceObjectPointer = () => 0xc0000034; // STATUS_OBJECT_NAME_NOT_FOUND: no other drivers exist

  // ---- IRPs ----
  d.IoAllocateIrp = (k, a) => k.io.irps.allocate(num(a[0]) & 0xff);
  d.IoFreeIrp = (k, a) => k.pool.free(num(a[0]), undefined);
  d.IoInitializeIrp = (k, a) => k.io.irps.initialize(num(a[0]), u32(a[1]) & 0xffff, num(a[2]) & 0xff);
  d.IoReuseIrp = (k, a) => {
    const irp = num(a[0]);
    const m = k.mem;
    const count = m.readI8(irp + k.io.irps.o('stackCount'));
    k.io.irps.initialize(irp, m.readU16(irp + k.io.irps.o('size')), count);
    m.writeU32(irp + k.io.irps.o('status'), u32(a[1]));
    return undefined;
  };
  d.IofCallDriver = (k, a) => k.io.irps.callDriver(num(a[0]), num(a[1]));
  d.PoCallDriver = (k, a) => k.io.irps.callDriver(num(a[0]), num(a[1]));
  d.IofCompleteRequest = (k, a) => {
    const p = k.cur;
    const held = [...k.locks.owners.entries()].filter(([l, o]) => o.cpu === p.number && l !== k.io.cancelLock);
    if (held.length > 0 && k.config.verifier.enabled) {
      // §6: never call IoCompleteRequest while holding a spin lock (it may call completion routines).
      k.bugCheck(0xc4, 0x40009n, 0n, toUnsigned(held[0][0]), 0n, `IoCompleteRequest while holding spin lock ${k.symbolOrHex(held[0][0])}`);
    }
    return k.io.irps.complete(num(a[0]), () => undefined);
  };
  d.IoStartPacket = (k, a) => k.io.irps.startPacket(num(a[0]), num(a[1]), num(a[2]) !== 0 ? k.mem.readU32(num(a[2])) : undefined, num(a[3]));
  d.IoStartNextPacket = (k, a) => k.io.irps.startNextPacket(num(a[0]), undefined);
  d.IoStartNextPacketByKey = (k, a) => k.io.irps.startNextPacket(num(a[0]), u32(a[2]));
  d.IoCancelIrp = (k, a) => k.io.irps.cancel(num(a[0]));
  d.IoAcquireCancelSpinLock = (k, a) => {
    const p = k.cur;
    const old = p.irql;
    if (old > DISPATCH_LEVEL) k.bugCheck(0xc4, 0x42n, BigInt(old), toUnsigned(k.io.cancelLock), 0n, `IoAcquireCancelSpinLock at IRQL ${old}`);
    k.setIrql(p, DISPATCH_LEVEL);
    return k.locks.acquire(p, k.io.cancelLock, 'cancel', () => {
      k.mem.writeU8(num(a[0]), old);
      return undefined;
    });
  };
  d.IoReleaseCancelSpinLock = (k, a) => {
    const p = k.cur;
    if (p.irql !== DISPATCH_LEVEL) k.bugCheck(0xc4, 0x32n, BigInt(p.irql), toUnsigned(k.io.cancelLock), 0n, `IoReleaseCancelSpinLock at IRQL ${p.irql}`);
    k.locks.release(p, k.io.cancelLock, 'cancel');
    k.setIrql(p, num(a[0]) & 0xff);
    return k.deliver(p, () => undefined);
  };

  // ---- interrupts (§3.1, §3.2) ----
  d.IoConnectInterrupt = (k, a) => {
    const r = k.interrupts.connect({
      routine: num(a[1]),
      messageRoutine: 0,
      messageIndex: 0,
      context: num(a[2]),
      spinLock: num(a[3]),
      vector: u32(a[4]),
      irql: num(a[5]) & 0xff,
      syncIrql: num(a[6]) & 0xff,
      mode: num(a[7]),
      share: (num(a[8]) & 0xff) !== 0,
      affinity: big(a[9]),
    });
    if ('status' in r) return r.status;
    k.mem.writePtr(num(a[0]), r.set);
    return STATUS_SUCCESS;
  };
  d.IoConnectInterruptEx = (k, a) => connectEx(k, num(a[0]));
  d.IoDisconnectInterrupt = (k, a) => void k.interrupts.disconnect(num(a[0]));
  d.IoDisconnectInterruptEx = (k, a) => {
    // Version says what ConnectionContext is: the KINTERRUPT (fully specified / line based) or
    // the IO_INTERRUPT_MESSAGE_INFO table (message based), whose every entry is disconnected.
    const p = num(a[0]);
    const L = k.layouts;
    const context = k.mem.readPtr(p + L.offsetOf('IO_DISCONNECT_INTERRUPT_PARAMETERS', 'ConnectionContext'));
    if (k.mem.readU32(p) === 3) {
      const count = k.mem.readU32(context + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO', 'MessageCount'));
      const first = context + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO', 'MessageInfo');
      const size = L.sizeOf('IO_INTERRUPT_MESSAGE_INFO_ENTRY');
      for (let i = 0; i < count; i++) k.interrupts.disconnect(k.mem.readPtr(first + i * size + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO_ENTRY', 'InterruptObject')));
    } else k.interrupts.disconnect(context);
    return undefined;
  };

  // ---- work items, IoTimer ----
  d.IoAllocateWorkItem = (k, a) => {
    const item = k.allocatePool('nonpaged', 0x58, 0x49576f49); // 'IoWI'
    if (item !== 0) k.mem.writePtr(item, num(a[0]));
    return item;
  };
  d.IoFreeWorkItem = (k, a) => k.pool.free(num(a[0]), undefined);
  d.IoQueueWorkItem = (k, a) => k.disp.queueWorkItem({ item: num(a[0]), routine: num(a[1]), context: num(a[3]), device: k.mem.readPtr(num(a[0])), ex: false });
  d.IoQueueWorkItemEx = (k, a) => k.disp.queueWorkItem({ item: num(a[0]), routine: num(a[1]), context: num(a[3]), device: k.mem.readPtr(num(a[0])), ex: true });
  d.IoInitializeTimer = (k, a) => {
    k.ioTimers.set(num(a[0]), { routine: num(a[1]), context: num(a[2]), running: false });
    return STATUS_SUCCESS;
  };
  d.IoStartTimer = (k, a) => k.startIoTimer(num(a[0]), true);
  d.IoStopTimer = (k, a) => k.startIoTimer(num(a[0]), false);

  // ---- remove locks ----
  const rl = (k: Parameters<KDdi>[0], field: string): number => k.layouts.offsetOf('IO_REMOVE_LOCK_COMMON_BLOCK', field);
  d.IoInitializeRemoveLockEx = (k, a) => {
    const lock = num(a[0]);
    k.mem.fill(lock, 0, u32(a[4]));
    k.mem.writeU32(lock + rl(k, 'IoCount'), 1);
    k.disp.initHeader(lock + rl(k, 'RemoveEvent'), 1, 0, 0x18);
    return undefined;
  };
  d.IoAcquireRemoveLockEx = (k, a) => {
    const lock = num(a[0]);
    const c = k.mem.readI32(lock + rl(k, 'IoCount')) + 1;
    k.mem.writeU32(lock + rl(k, 'IoCount'), c);
    if (k.mem.readU8(lock + rl(k, 'Removed'))) {
      release(k, lock);
      return 0xc0000056; // STATUS_DELETE_PENDING
    }
    return STATUS_SUCCESS;
  };
  const release = (k: Parameters<KDdi>[0], lock: number): void => {
    const c = k.mem.readI32(lock + rl(k, 'IoCount')) - 1;
    k.mem.writeU32(lock + rl(k, 'IoCount'), c);
    if (c < 0) k.bugCheck(0xc4, 0xd6n, toUnsigned(lock), 0n, 0n, 'IoReleaseRemoveLock more often than acquired');
    if (c === 0) k.disp.setSignalState(lock + rl(k, 'RemoveEvent'), 1);
  };
  d.IoReleaseRemoveLockEx = (k, a) => release(k, num(a[0]));
  d.IoReleaseRemoveLockAndWaitEx = (k, a) => {
    const lock = num(a[0]);
    k.mem.writeU8(lock + rl(k, 'Removed'), 1);
    release(k, lock); // the initial reference
    release(k, lock); // the caller's own
    return k.disp.waitObjects([lock + rl(k, 'RemoveEvent')], false, undefined, () => undefined);
  };

  // ---- power (minimal: the bus completes power IRPs) ----
  d.PoStartNextPowerIrp = () => undefined;
  d.PoSetPowerState = (_k, a) => num(a[2]);
  d.PoRequestPowerIrp = () => STATUS_NOT_SUPPORTED;

  // ---- objects and handles ----
  d.ObReferenceObjectByHandle = (k, a) => {
    const obj = k.handles.get(num(a[0]));
    if (obj === undefined) return 0xc0000008; // STATUS_INVALID_HANDLE
    if (num(a[4]) !== 0) k.mem.writePtr(num(a[4]), obj);
    return STATUS_SUCCESS;
  };
  d.ObReferenceObjectByPointer = () => STATUS_SUCCESS;
  d.ObfReferenceObject = (_k, a) => BigInt(num(a[0]) !== 0 ? 1 : 0);
  d.ObfDereferenceObject = (_k, a) => BigInt(num(a[0]) !== 0 ? 0 : 0);
  d.ZwClose = (k, a) => (k.handles.close(num(a[0])) ? STATUS_SUCCESS : 0xc0000008);
  d.ExGetPreviousMode = () => 0;
  d.PsGetVersion = (k, a) => {
    if (num(a[0]) !== 0) k.mem.writeU32(num(a[0]), 10);
    if (num(a[1]) !== 0) k.mem.writeU32(num(a[1]), 0);
    if (num(a[2]) !== 0) k.mem.writeU32(num(a[2]), 19045);
    return 0;
  };

  // ---- IRP builders ----
  d.IoBuildDeviceIoControlRequest = (k, a) => {
    const dev = num(a[1]);
    const irp = k.io.irps.allocate(k.mem.readI8(dev + k.layouts.offsetOf('DEVICE_OBJECT', 'StackSize')));
    const sl = k.io.irps.nextLocation(irp);
    const L = k.layouts;
    k.mem.writeU8(sl, (num(a[7]) & 0xff) !== 0 ? 0x0f : 0x0e);
    k.mem.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.IoControlCode'), u32(a[0]));
    k.mem.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.InputBufferLength'), u32(a[3]));
    k.mem.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.OutputBufferLength'), u32(a[5]));
    k.mem.writePtr(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.Type3InputBuffer'), num(a[2]));
    k.mem.writePtr(irp + k.io.irps.o('systemBuffer'), num(a[2]) || num(a[4]));
    k.mem.writePtr(irp + L.offsetOf('IRP', 'UserBuffer'), num(a[4]));
    k.mem.writePtr(irp + k.io.irps.o('userEvent'), num(a[8]));
    k.mem.writePtr(irp + k.io.irps.o('userIosb'), num(a[9]));
    return irp;
  };
  d.IoBuildSynchronousFsdRequest = (k, a, t) => {
    const dev = num(a[1]);
    const irp = k.io.irps.allocate(k.mem.readI8(dev + k.layouts.offsetOf('DEVICE_OBJECT', 'StackSize')));
    const sl = k.io.irps.nextLocation(irp);
    const L = k.layouts;
    k.mem.writeU8(sl, num(a[0]) & 0xff);
    k.mem.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.Read.Length'), u32(a[3]));
    if (num(a[4]) !== 0) k.mem.writeU64(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.Read.ByteOffset'), largeArg(k, k.mem.readI64(num(a[4])), t[4]));
    k.mem.writePtr(irp + k.io.irps.o('systemBuffer'), num(a[2]));
    k.mem.writePtr(irp + L.offsetOf('IRP', 'UserBuffer'), num(a[2]));
    k.mem.writePtr(irp + k.io.irps.o('userEvent'), num(a[5]));
    k.mem.writePtr(irp + k.io.irps.o('userIosb'), num(a[6]));
    return irp;
  };
  d.IoForwardIrpSynchronously = (k, a) => {
    const dev = num(a[0]);
    const irp = num(a[1]);
    const m = k.mem;
    const cur = k.io.irps.currentLocation(irp);
    const next = cur - k.io.irps.slSize;
    m.copy(next, cur, k.layouts.offsetOf('IO_STACK_LOCATION', 'CompletionRoutine'));
    m.writeU8(next + k.layouts.offsetOf('IO_STACK_LOCATION', 'Control'), 0);
    const ev = k.allocateSystem(0x18, 'FwdE');
    k.disp.initHeader(ev, 0, 0, 0x18);
    // The completion routine signals the event and stops completion (STATUS_MORE_PROCESSING_REQUIRED).
    m.writePtr(next + k.layouts.offsetOf('IO_STACK_LOCATION', 'CompletionRoutine'), k.forwardCompletion);
    m.writePtr(next + k.layouts.offsetOf('IO_STACK_LOCATION', 'Context'), ev);
    m.writeU8(next + k.layouts.offsetOf('IO_STACK_LOCATION', 'Control'), 0xe0);
    return k.callC('nt!IoForwardIrpSynchronously', k.ioCallDriverNative, [dev, irp], [ptrT, ptrT], (r) => {
      const wait = (Number(r) | 0) === STATUS_PENDING ? k.disp.waitObjects([ev], false, undefined, () => undefined) : undefined;
      const done = (): NativeResult => 1;
      return wait === undefined ? done() : wait;
    });
  };

  // ---- MDLs ----
  d.IoAllocateMdl = (k, a) => {
    const va = num(a[0]);
    const len = u32(a[1]);
    const pages = Math.ceil(((va & 0xfff) + len) / 0x1000) || 1;
    const size = k.layouts.sizeOf('MDL') + pages * 8;
    const mdl = k.allocatePool('nonpaged', size, 0x206c644d); // 'Mdl '
    if (mdl === 0) return 0;
    const L = k.layouts;
    k.mem.writeU16(mdl + L.offsetOf('MDL', 'Size'), size);
    k.mem.writePtr(mdl + L.offsetOf('MDL', 'StartVa'), va - (va & 0xfff));
    k.mem.writeU32(mdl + L.offsetOf('MDL', 'ByteOffset'), va & 0xfff);
    k.mem.writeU32(mdl + L.offsetOf('MDL', 'ByteCount'), len);
    if (num(a[4]) !== 0 && (num(a[2]) & 0xff) === 0) k.mem.writePtr(num(a[4]) + k.layouts.offsetOf('IRP', 'MdlAddress'), mdl);
    return mdl;
  };
  d.IoFreeMdl = (k, a) => k.pool.free(num(a[0]), undefined);
  const mdlFlags = (k: Parameters<KDdi>[0], mdl: number, set: number): void => {
    const o = k.layouts.offsetOf('MDL', 'MdlFlags');
    k.mem.writeU16(mdl + o, k.mem.readU16(mdl + o) | set);
  };
  const mdlVa = (k: Parameters<KDdi>[0], mdl: number): number => k.mem.readPtr(mdl + k.layouts.offsetOf('MDL', 'StartVa')) + k.mem.readU32(mdl + k.layouts.offsetOf('MDL', 'ByteOffset'));
  d.MmBuildMdlForNonPagedPool = (k, a) => {
    mdlFlags(k, num(a[0]), 0x4);
    k.mem.writePtr(num(a[0]) + k.layouts.offsetOf('MDL', 'MappedSystemVa'), mdlVa(k, num(a[0])));
    return undefined;
  };
  d.MmProbeAndLockPages = (k, a) => mdlFlags(k, num(a[0]), 0x2);
  d.MmUnlockPages = (k, a) => mdlFlags(k, num(a[0]), 0);
  d.MmMapLockedPagesSpecifyCache = (k, a) => {
    const va = mdlVa(k, num(a[0]));
    mdlFlags(k, num(a[0]), 0x1);
    k.mem.writePtr(num(a[0]) + k.layouts.offsetOf('MDL', 'MappedSystemVa'), va);
    return va;
  };
  d.MmUnmapLockedPages = () => undefined;
  d.MmIsAddressValid = (k, a) => {
    try {
      k.mem.readU8(num(a[0]));
      return 1;
    } catch {
      return 0;
    }
  };
  d.MmLockPagableDataSection = (_k, a) => num(a[0]);
  d.MmUnlockPagableImageSection = () => undefined;
  void i32;
  return d;
}

/** IoConnectInterruptEx (§3.2): FULLY_SPECIFIED, LINE_BASED, MESSAGE_BASED (falls back to line). */
function connectEx(k: Parameters<KDdi>[0], params: number): number {
  const m = k.mem;
  const L = k.layouts;
  const version = m.readU32(params);
  const f = (p: string): number => params + L.offsetOf('IO_CONNECT_INTERRUPT_PARAMETERS', p);
  if (version === 1 || version === 4) {
    const r = k.interrupts.connect({
      routine: m.readPtr(f('FullySpecified.ServiceRoutine')),
      messageRoutine: 0,
      messageIndex: 0,
      context: m.readPtr(f('FullySpecified.ServiceContext')),
      spinLock: m.readPtr(f('FullySpecified.SpinLock')),
      vector: m.readU32(f('FullySpecified.Vector')),
      irql: m.readU8(f('FullySpecified.Irql')),
      syncIrql: m.readU8(f('FullySpecified.SynchronizeIrql')),
      mode: m.readU32(f('FullySpecified.InterruptMode')),
      share: m.readU8(f('FullySpecified.ShareVector')) !== 0,
      affinity: m.readU64(f('FullySpecified.ProcessorEnableMask')),
    });
    if (m.readU64(f('FullySpecified.ProcessorEnableMask')) === 0n) return 0xc00000f9; // STATUS_INVALID_PARAMETER_10
    if ('status' in r) return r.status;
    m.writePtr(m.readPtr(f('FullySpecified.InterruptObject')), r.set);
    return STATUS_SUCCESS;
  }
  if (version !== 2 && version !== 3) return 0xc00000ef; // STATUS_INVALID_PARAMETER_1
  const pdoField = version === 2 ? 'LineBased.PhysicalDeviceObject' : 'MessageBased.PhysicalDeviceObject';
  const pdo = m.readPtr(f(pdoField));
  if (pdo === 0) return STATUS_INVALID_PARAMETER;
  const res = k.io.interruptsOfPdo(pdo);
  const messages = res.filter((r) => r.message);
  if (version === 3 && messages.length > 0) {
    // MSI: one KINTERRUPT per message; the table goes to ConnectionContext.
    const entrySize = L.sizeOf('IO_INTERRUPT_MESSAGE_INFO_ENTRY');
    const infoOff = L.offsetOf('IO_INTERRUPT_MESSAGE_INFO', 'MessageInfo');
    const table = k.allocateSystem(infoOff + entrySize * messages.length, 'IntM');
    m.writeU8(table, Math.max(...messages.map((x) => x.level)));
    m.writeU32(table + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO', 'MessageCount'), messages.length);
    for (let i = 0; i < messages.length; i++) {
      const r = messages[i];
      const c = k.interrupts.connect({
        routine: 0,
        messageRoutine: m.readPtr(f('MessageBased.MessageServiceRoutine')),
        messageIndex: i,
        context: m.readPtr(f('MessageBased.ServiceContext')),
        spinLock: m.readPtr(f('MessageBased.SpinLock')),
        vector: r.vector,
        irql: r.level,
        syncIrql: Math.max(r.level, m.readU8(f('MessageBased.SynchronizeIrql'))),
        mode: Latched,
        share: false,
        affinity: r.affinity,
      });
      if ('status' in c) return c.status;
      const e = table + infoOff + i * entrySize;
      m.writePtr(e + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO_ENTRY', 'InterruptObject'), c.set);
      m.writeU32(e + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO_ENTRY', 'Vector'), r.vector);
      m.writeU8(e + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO_ENTRY', 'Irql'), r.level);
      m.writeU32(e + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO_ENTRY', 'Mode'), Latched);
      m.writeU64(e + L.offsetOf('IO_INTERRUPT_MESSAGE_INFO_ENTRY', 'TargetProcessorSet'), r.affinity);
    }
    m.writePtr(m.readPtr(f('MessageBased.ConnectionContext')), table);
    return STATUS_SUCCESS;
  }
  const line = res.find((r) => !r.message);
  if (!line) return 0xc0000225; // STATUS_NOT_FOUND
  const routine = version === 2 ? m.readPtr(f('LineBased.ServiceRoutine')) : m.readPtr(f('MessageBased.FallBackServiceRoutine'));
  const base = version === 2 ? 'LineBased' : 'MessageBased';
  const r = k.interrupts.connect({
    routine,
    messageRoutine: 0,
    messageIndex: 0,
    context: m.readPtr(f(`${base}.ServiceContext`)),
    spinLock: m.readPtr(f(`${base}.SpinLock`)),
    vector: line.vector,
    irql: line.level,
    syncIrql: Math.max(line.level, m.readU8(f(`${base}.SynchronizeIrql`))),
    mode: line.mode,
    share: line.shared,
    affinity: line.affinity,
  });
  if ('status' in r) return r.status;
  m.writePtr(m.readPtr(f(version === 2 ? 'LineBased.InterruptObject' : 'MessageBased.ConnectionContext')), r.set);
  if (version === 3) m.writeU32(params, 2); // fell back to LINE_BASED: Version says so
  return STATUS_SUCCESS;
}
