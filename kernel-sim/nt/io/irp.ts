// IRPs (KERNEL_MODEL §6): allocation, IoCallDriver, completion with the stack of completion
// routines (STATUS_MORE_PROCESSING_REQUIRED stops it, pending propagates up), the device
// queue behind IoStartPacket / IoStartNextPacket, and cancellation.

import { toUnsigned } from '../../vm/memory';
import type { NativeResult, Value } from '../../vm/runtime';
import { type Kernel, ptrT } from '../kernel';
import { DISPATCH_LEVEL } from '../ke/prcb';

export const IRP_MJ_CREATE = 0x00;
export const IRP_MJ_CLOSE = 0x02;
export const IRP_MJ_READ = 0x03;
export const IRP_MJ_WRITE = 0x04;
export const IRP_MJ_DEVICE_CONTROL = 0x0e;
export const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
export const IRP_MJ_POWER = 0x16;
export const IRP_MJ_PNP = 0x1b;
export const SL_PENDING_RETURNED = 0x01;
export const SL_INVOKE_ON_CANCEL = 0x20;
export const SL_INVOKE_ON_SUCCESS = 0x40;
export const SL_INVOKE_ON_ERROR = 0x80;
export const STATUS_PENDING = 0x103;
export const STATUS_MORE_PROCESSING_REQUIRED = 0xc0000016;
export const STATUS_CANCELLED = 0xc0000120;
const IO_TYPE_IRP = 6;

/** What the originator of an IRP (the simulated I/O manager) learns when it completes. */
export interface IrpCompletion {
  status: number;
  information: bigint;
  atNs: number;
}

export class Irps {
  readonly irpSize: number;
  readonly slSize: number;
  private readonly off: Record<string, number>;
  /** IRPs fully completed (a second IoCompleteRequest is 0x44). */
  readonly completed = new Set<number>();
  /** Originator callbacks for IRPs the kernel built (scenario requests, PnP). */
  readonly onComplete = new Map<number, (c: IrpCompletion) => void>();

  constructor(private readonly k: Kernel) {
    const L = k.layouts;
    this.irpSize = L.sizeOf('IRP');
    this.slSize = L.sizeOf('IO_STACK_LOCATION');
    const f = (t: string, p: string): number => L.offsetOf(t, p);
    this.off = {
      type: f('IRP', 'Type'),
      size: f('IRP', 'Size'),
      flags: f('IRP', 'Flags'),
      status: f('IRP', 'IoStatus.Status'),
      info: f('IRP', 'IoStatus.Information'),
      pendingReturned: f('IRP', 'PendingReturned'),
      stackCount: f('IRP', 'StackCount'),
      currentLocation: f('IRP', 'CurrentLocation'),
      cancel: f('IRP', 'Cancel'),
      cancelIrql: f('IRP', 'CancelIrql'),
      cancelRoutine: f('IRP', 'CancelRoutine'),
      userEvent: f('IRP', 'UserEvent'),
      userIosb: f('IRP', 'UserIosb'),
      currentSl: f('IRP', 'Tail.Overlay.CurrentStackLocation'),
      listEntry: f('IRP', 'Tail.Overlay.ListEntry'),
      dqEntry: f('IRP', 'Tail.Overlay.DeviceQueueEntry'),
      thread: f('IRP', 'Tail.Overlay.Thread'),
      systemBuffer: f('IRP', 'AssociatedIrp.SystemBuffer'),
      slMajor: f('IO_STACK_LOCATION', 'MajorFunction'),
      slMinor: f('IO_STACK_LOCATION', 'MinorFunction'),
      slControl: f('IO_STACK_LOCATION', 'Control'),
      slDevice: f('IO_STACK_LOCATION', 'DeviceObject'),
      slFile: f('IO_STACK_LOCATION', 'FileObject'),
      slRoutine: f('IO_STACK_LOCATION', 'CompletionRoutine'),
      slContext: f('IO_STACK_LOCATION', 'Context'),
      devDriver: f('DEVICE_OBJECT', 'DriverObject'),
      drvMajor: f('DRIVER_OBJECT', 'MajorFunction'),
      drvStartIo: f('DRIVER_OBJECT', 'DriverStartIo'),
      devCurrentIrp: f('DEVICE_OBJECT', 'CurrentIrp'),
      devQueue: f('DEVICE_OBJECT', 'DeviceQueue'),
    };
  }

  o(name: string): number {
    return this.off[name];
  }

  /** IoAllocateIrp / IoInitializeIrp: header then StackSize locations; current = one past the last. */
  allocate(stackSize: number): number {
    const size = this.irpSize + stackSize * this.slSize;
    const irp = this.k.allocateSystem(size, 'Irp ');
    this.initialize(irp, size, stackSize);
    return irp;
  }

  initialize(irp: number, size: number, stackSize: number): void {
    const m = this.k.mem;
    m.fill(irp, 0, size);
    m.writeU16(irp + this.off.type, IO_TYPE_IRP);
    m.writeU16(irp + this.off.size, size);
    m.writeU8(irp + this.off.stackCount, stackSize);
    m.writeU8(irp + this.off.currentLocation, stackSize + 1);
    m.writePtr(irp + this.off.currentSl, irp + this.irpSize + stackSize * this.slSize);
    const le = irp + this.k.layouts.offsetOf('IRP', 'ThreadListEntry');
    m.writePtr(le, le);
    m.writePtr(le + 8, le);
    this.completed.delete(irp);
  }

  /** The stack location the next driver will see (what callers fill before IoCallDriver). */
  nextLocation(irp: number): number {
    return this.k.mem.readPtr(irp + this.off.currentSl) - this.slSize;
  }

  currentLocation(irp: number): number {
    return this.k.mem.readPtr(irp + this.off.currentSl);
  }

  /** IofCallDriver: step to the next location, find the dispatch routine, call it. */
  callDriver(device: number, irp: number): NativeResult {
    const k = this.k;
    const m = k.mem;
    const loc = m.readI8(irp + this.off.currentLocation) - 1;
    if (loc <= 0) {
      // NO_MORE_IRP_STACK_LOCATIONS: the IRP was allocated with too few locations.
      k.bugCheck(0x35, toUnsigned(irp), 0n, 0n, 0n, `IoCallDriver to ${k.symbolOrHex(device)} with no stack location left (IRP allocated with too small a StackSize)`);
    }
    m.writeU8(irp + this.off.currentLocation, loc);
    const sl = m.readPtr(irp + this.off.currentSl) - this.slSize;
    m.writePtr(irp + this.off.currentSl, sl);
    m.writePtr(sl + this.off.slDevice, device);
    const major = m.readU8(sl + this.off.slMajor);
    const driver = m.readPtr(device + this.off.devDriver);
    const bus = k.io.busDispatch(device, irp, major, m.readU8(sl + this.off.slMinor));
    k.trace.record({ kind: 'irp-start', t: k.cur.clock, cpu: k.cur.number, irp, major, minor: m.readU8(sl + this.off.slMinor), device });
    if (bus !== undefined) return bus;
    const routine = m.readPtr(driver + this.off.drvMajor + major * 8);
    if (routine === 0 || k.io.isInvalidRequestRoutine(routine)) return this.completeWith(irp, 0xc0000010); // STATUS_INVALID_DEVICE_REQUEST
    const before = k.cur.irql;
    return k.callC('nt!IofCallDriver', routine, [device, irp], [ptrT, ptrT], (r) => {
      if (k.cur.irql !== before) {
        // Verifier: a dispatch routine must return at the IRQL it was called at (rule IrqlReturn).
        k.bugCheck(0xc4, 0x2001dn, 0n, BigInt(before), BigInt(k.cur.irql), `dispatch routine ${k.symbol(routine)} returned at IRQL ${k.cur.irql}; it was called at IRQL ${before}`);
      }
      return Number(r) | 0;
    });
  }

  /** Completes an IRP the I/O manager itself fails (no dispatch routine). */
  completeWith(irp: number, status: number): NativeResult {
    this.k.mem.writeU32(irp + this.off.status, status >>> 0);
    this.k.mem.writeU64(irp + this.off.info, 0n);
    return this.complete(irp, () => status | 0);
  }

  /**
   * IoCompleteRequest: walk up the stack locations calling completion routines (each in the
   * location of the driver below the one that set it), propagate "pending returned", stop on
   * STATUS_MORE_PROCESSING_REQUIRED; at the top, tell the originator and signal UserEvent.
   */
  complete(irp: number, then: () => NativeResult): NativeResult {
    const k = this.k;
    const m = k.mem;
    if (this.completed.has(irp)) {
      k.bugCheck(0x44, toUnsigned(irp), 0x1d64n, 0n, 0n, `IoCompleteRequest called twice for IRP ${k.symbolOrHex(irp)}`);
    }
    if (m.readI32(irp + this.off.status) === STATUS_PENDING) {
      // DRIVER_VERIFIER_IOMANAGER_VIOLATION 0xC9 / 0x...: completing with STATUS_PENDING.
      k.bugCheck(0xc9, 0x20an, toUnsigned(irp), 0n, 0n, 'IoCompleteRequest with IoStatus.Status = STATUS_PENDING');
    }
    if (m.readPtr(irp + this.off.cancelRoutine) !== 0 && k.config.verifier.enabled) {
      k.bugCheck(0xc9, 0x210n, toUnsigned(irp), 0n, 0n, 'IoCompleteRequest on an IRP that still has a cancel routine set');
    }
    const stackCount = m.readI8(irp + this.off.stackCount);
    const step = (): NativeResult => {
      const loc = m.readI8(irp + this.off.currentLocation);
      if (loc > stackCount) return this.finish(irp, then);
      const sl = m.readPtr(irp + this.off.currentSl);
      const control = m.readU8(sl + this.off.slControl);
      m.writeU8(irp + this.off.pendingReturned, control & SL_PENDING_RETURNED);
      const routine = m.readPtr(sl + this.off.slRoutine);
      const context = m.readPtr(sl + this.off.slContext);
      // Move up to the caller's location.
      m.writeU8(irp + this.off.currentLocation, loc + 1);
      m.writePtr(irp + this.off.currentSl, sl + this.slSize);
      const status = m.readI32(irp + this.off.status);
      const cancelled = m.readU8(irp + this.off.cancel) !== 0;
      const invoke = routine !== 0 && ((status >= 0 && control & SL_INVOKE_ON_SUCCESS) || (status < 0 && control & SL_INVOKE_ON_ERROR) || (cancelled && control & SL_INVOKE_ON_CANCEL));
      if (!invoke) {
        if (m.readU8(irp + this.off.pendingReturned) && loc + 1 <= stackCount) {
          const up = sl + this.slSize;
          m.writeU8(up + this.off.slControl, m.readU8(up + this.off.slControl) | SL_PENDING_RETURNED);
        }
        return step();
      }
      const device = loc + 1 <= stackCount ? m.readPtr(sl + this.slSize + this.off.slDevice) : 0;
      const before = k.cur.irql;
      return k.callC('nt!IopfCompleteRequest', routine, [device, irp, context], [ptrT, ptrT, ptrT], (r) => {
        if (k.cur.irql !== before) {
          k.bugCheck(0xc4, 0xfan, toUnsigned(routine), BigInt(before), BigInt(k.cur.irql), `completion routine ${k.symbol(routine)} returned at IRQL ${k.cur.irql}`);
        }
        if ((Number(r) | 0) === (STATUS_MORE_PROCESSING_REQUIRED | 0)) return then();
        return step();
      });
    };
    return step();
  }

  private finish(irp: number, then: () => NativeResult): NativeResult {
    const k = this.k;
    const m = k.mem;
    this.completed.add(irp);
    const status = m.readI32(irp + this.off.status);
    const information = m.readU64(irp + this.off.info);
    k.trace.record({ kind: 'irp-complete', t: k.cur.clock, cpu: k.cur.number, irp, status: status >>> 0, information: Number(information) });
    const iosb = m.readPtr(irp + this.off.userIosb);
    if (iosb !== 0) {
      m.writeU32(iosb, status >>> 0);
      m.writeU64(iosb + 8, information);
    }
    const ev = m.readPtr(irp + this.off.userEvent);
    if (ev !== 0) k.disp.setSignalState(ev, 1);
    const cb = this.onComplete.get(irp);
    k.disp.dirty = true;
    if (cb) {
      this.onComplete.delete(irp);
      cb({ status: status >>> 0, information, atNs: k.cur.clock });
    }
    return then();
  }

  // ---- device queue & StartIo ----------------------------------------------------------------

  /** IoStartPacket: StartIo now (at DISPATCH) if the device is idle, else queue by key. */
  startPacket(device: number, irp: number, key: number | undefined, cancel: number): NativeResult {
    const k = this.k;
    const m = k.mem;
    const p = k.cur;
    const old = p.irql;
    if (old < DISPATCH_LEVEL) k.setIrql(p, DISPATCH_LEVEL);
    if (cancel !== 0) m.writePtr(irp + this.off.cancelRoutine, cancel);
    const queued = k.io.deviceQueues.insert(device + this.off.devQueue, irp + this.off.dqEntry, key);
    const lower = (): NativeResult => {
      k.setIrql(p, old);
      return k.deliver(p, () => undefined);
    };
    if (queued) return lower();
    return this.callStartIo(device, irp, lower);
  }

  /** IoStartNextPacket(ByKey): the next queued IRP goes to StartIo, or the device becomes idle. */
  startNextPacket(device: number, key: number | undefined): NativeResult {
    const k = this.k;
    const m = k.mem;
    m.writePtr(device + this.off.devCurrentIrp, 0);
    const entry = k.io.deviceQueues.remove(device + this.off.devQueue, key);
    if (entry === 0) return undefined;
    return this.callStartIo(device, entry - this.off.dqEntry, () => undefined);
  }

  private callStartIo(device: number, irp: number, then: () => NativeResult): NativeResult {
    const k = this.k;
    const m = k.mem;
    m.writePtr(device + this.off.devCurrentIrp, irp);
    const driver = m.readPtr(device + this.off.devDriver);
    const startIo = m.readPtr(driver + this.off.drvStartIo);
    if (startIo === 0) {
      k.bugCheck(0xc9, 0x1n, toUnsigned(device), toUnsigned(irp), 0n, 'IoStartPacket on a device whose driver has no DriverStartIo');
    }
    return k.callC('nt!IoStartPacket', startIo, [device, irp], [ptrT, ptrT], () => then());
  }

  // ---- cancellation --------------------------------------------------------------------------

  /** IoCancelIrp: mark cancelled; call the cancel routine holding the cancel spin lock. */
  cancel(irp: number): NativeResult {
    const k = this.k;
    const m = k.mem;
    const p = k.cur;
    const old = p.irql;
    if (old < DISPATCH_LEVEL) k.setIrql(p, DISPATCH_LEVEL);
    return k.locks.acquire(p, k.io.cancelLock, 'cancel', () => {
      m.writeU8(irp + this.off.cancel, 1);
      const routine = m.readPtr(irp + this.off.cancelRoutine);
      m.writePtr(irp + this.off.cancelRoutine, 0);
      if (routine === 0) {
        k.locks.release(p, k.io.cancelLock, 'cancel');
        k.setIrql(p, old);
        return 0;
      }
      m.writeU8(irp + this.off.cancelIrql, old);
      const device = m.readPtr(this.currentLocation(irp) + this.off.slDevice);
      const args: Value[] = [device, irp];
      return k.callC('nt!IoCancelIrp', routine, args, [ptrT, ptrT], () => {
        if (k.locks.held(k.io.cancelLock)?.cpu === p.number) {
          k.bugCheck(0x11b, toUnsigned(irp), toUnsigned(routine), 0n, 0n, `cancel routine ${k.symbol(routine)} returned holding the cancel spin lock`);
        }
        if (p.irql !== old) k.setIrql(p, old);
        return 1;
      });
    });
  }
}
