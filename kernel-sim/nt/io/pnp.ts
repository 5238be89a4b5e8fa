// The simulator plays the PnP manager and the requesting applications: DriverEntry, AddDevice
// with a PDO per project device, IRP_MN_START_DEVICE with raw and translated resources, the
// scenario's IRPs (create/close/read/write/ioctl) from their own threads, and at the end
// IRP_MN_QUERY_REMOVE_DEVICE, IRP_MN_REMOVE_DEVICE and DriverUnload, with a pool leak report.

import { toUnsigned } from '../../vm/memory';
import type { ProjectConfig, RequestConfig } from '../../scenario/project-types';
import type { LoadedImage } from '../../vm/loader';
import type { NativeResult } from '../../vm/runtime';
import { type Kernel, ptrT } from '../kernel';
import { tagText } from '../ex/pool';
import { CONNECT_DATA_SIZE, IOCTL_INTERNAL_KEYBOARD_CONNECT } from './input-class';
import { IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL, IRP_MJ_PNP, IRP_MJ_READ, IRP_MJ_WRITE, type IrpCompletion, STATUS_PENDING } from './irp';

export interface RequestResult {
  index: number;
  major: RequestConfig['major'];
  issuedAtNs: number;
  completed: boolean;
  status?: number;
  information?: number;
  completedAtNs?: number;
  /** Bytes returned (read / ioctl output). */
  data?: number[];
  /** What the dispatch routine returned. */
  returned?: number;
}

const STATUS_NOT_SUPPORTED = 0xc00000bb;
const DO_BUFFERED_IO = 0x4;
const DO_DIRECT_IO = 0x10;
const METHOD_BUFFERED = 0;
const METHOD_IN_DIRECT = 1;
const METHOD_OUT_DIRECT = 2;
const MDL_SOURCE_IS_NONPAGED_POOL = 0x4;
const MDL_PAGES_LOCKED = 0x2;

export class PnpManager {
  driverObject = 0;
  readonly pdos: number[] = [];
  readonly requests: RequestResult[] = [];
  leaks: { tag: string; size: number; address: string }[] = [];
  started = false;
  finished = false;
  driverEntryStatus: number | undefined;

  constructor(
    private readonly k: Kernel,
    private readonly config: ProjectConfig,
    private readonly image: LoadedImage,
  ) {}

  /** Boot: a system thread loads the driver and starts every device. */
  start(): void {
    const k = this.k;
    this.driverObject = k.io.createDriverObject(this.config.name);
    const L = k.layouts;
    const entry = this.image.functions.get('DriverEntry');
    if (!entry) return;
    k.mem.writePtr(this.driverObject + L.offsetOf('DRIVER_OBJECT', 'DriverInit'), entry.address);
    const registryPath = k.io.makeUnicode(`\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\${this.config.name}`);
    k.disp.createThread('PnP manager (driver load)', 12, k.disp.allCpus(), () =>
      k.callC('nt!IopLoadDriver', entry.address, [this.driverObject, registryPath], [ptrT, ptrT], (r) => {
        this.driverEntryStatus = Number(r) | 0;
        k.debugPrint(`kdsim: DriverEntry returned 0x${(this.driverEntryStatus >>> 0).toString(16).toUpperCase().padStart(8, '0')}\n`, 0, 0);
        if (this.driverEntryStatus < 0) return undefined;
        return this.addDevices(0);
      }),
    );
  }

  private addDevices(i: number): NativeResult {
    const k = this.k;
    const L = k.layouts;
    const m = k.mem;
    if (i >= this.config.devices.length) {
      this.started = true;
      return undefined;
    }
    const cfg = this.config.devices[i];
    const pdo = k.io.createDevice(k.io.busDriver, 0, `\\Device\\KDSIM_${cfg.id}`, 0x2a /* FILE_DEVICE_BUS_EXTENDER */, 0, true);
    const info = k.io.devices.get(pdo);
    if (info) {
      info.config = cfg;
      info.deviceIndex = i;
    }
    m.writeU32(pdo + L.offsetOf('DEVICE_OBJECT', 'Flags'), 0);
    this.pdos.push(pdo);
    const ext = m.readPtr(this.driverObject + L.offsetOf('DRIVER_OBJECT', 'DriverExtension'));
    const addDevice = m.readPtr(ext + L.offsetOf('DRIVER_EXTENSION', 'AddDevice'));
    if (addDevice === 0) return this.addDevices(i + 1); // a legacy (non-PnP) driver
    return k.callC('nt!PnpCallAddDevice', addDevice, [this.driverObject, pdo], [ptrT, ptrT], (r) => {
      if ((Number(r) | 0) < 0) {
        k.debugPrint(`kdsim: AddDevice for ${cfg.id} failed with 0x${(Number(r) >>> 0).toString(16).toUpperCase()}\n`, 0, 0);
        return this.addDevices(i + 1);
      }
      const raw = k.io.buildResources(cfg, false);
      const translated = k.io.buildResources(cfg, true);
      return this.sendPnp(pdo, 0 /* IRP_MN_START_DEVICE */, (irp) => {
        const sl = k.io.irps.nextLocation(irp);
        m.writePtr(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.StartDevice.AllocatedResources'), raw);
        m.writePtr(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.StartDevice.AllocatedResourcesTranslated'), translated);
      }, (c) => {
        k.debugPrint(`kdsim: IRP_MN_START_DEVICE for ${cfg.id} completed with 0x${(c.status >>> 0).toString(16).toUpperCase().padStart(8, '0')}\n`, 0, 0);
        if ((c.status | 0) < 0) return this.addDevices(i + 1);
        return this.connectClassDrivers(pdo, cfg, 0, () => this.addDevices(i + 1));
      });
    });
  }

  /**
   * The input class drivers above a started keyboard/mouse port device: each sends its connect
   * request (kbdmou.h, METHOD_NEITHER: the CONNECT_DATA in Type3InputBuffer) down the stack, as
   * kbdclass / mouclass do when their device starts.
   */
  private connectClassDrivers(pdo: number, cfg: ProjectConfig['devices'][number], n: number, then: () => NativeResult): NativeResult {
    const k = this.k;
    const classes = cfg.classDriver ?? [];
    if (n >= classes.length) return then();
    const L = k.layouts;
    const m = k.mem;
    const { ioctl, connectData } = k.inputClass.prepareConnect(classes[n], cfg.id);
    const top = k.io.topOf(pdo);
    const irp = k.io.irps.allocate(m.readI8(top + L.offsetOf('DEVICE_OBJECT', 'StackSize')));
    const sl = k.io.irps.nextLocation(irp);
    m.writeU8(sl, IRP_MJ_INTERNAL_DEVICE_CONTROL);
    m.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.IoControlCode'), ioctl);
    m.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.InputBufferLength'), CONNECT_DATA_SIZE);
    m.writePtr(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.Type3InputBuffer'), connectData);
    m.writePtr(irp + k.io.irps.o('thread'), k.cur.current.address);
    const name = ioctl === IOCTL_INTERNAL_KEYBOARD_CONNECT ? 'IOCTL_INTERNAL_KEYBOARD_CONNECT' : 'IOCTL_INTERNAL_MOUSE_CONNECT';
    const caller = ioctl === IOCTL_INTERNAL_KEYBOARD_CONNECT ? 'kbdclass!KeyboardSendConnectRequest' : 'mouclass!MouseSendConnectRequest';
    return this.sendAndWait(caller, top, irp, (c) => {
      k.debugPrint(`kdsim: ${name} for ${cfg.id} completed with 0x${(c.status >>> 0).toString(16).toUpperCase().padStart(8, '0')}\n`, 0, 0);
      k.pool.free(irp, undefined);
      return this.connectClassDrivers(pdo, cfg, n + 1, then);
    });
  }

  /** Sends a PnP IRP to the top of the PDO's stack and waits for it to complete. */
  private sendPnp(pdo: number, minor: number, fill: (irp: number) => void, then: (c: IrpCompletion) => NativeResult): NativeResult {
    const k = this.k;
    const m = k.mem;
    const top = k.io.topOf(pdo);
    const irp = k.io.irps.allocate(m.readI8(top + k.layouts.offsetOf('DEVICE_OBJECT', 'StackSize')));
    const sl = k.io.irps.nextLocation(irp);
    m.writeU8(sl, IRP_MJ_PNP);
    m.writeU8(sl + 1, minor);
    m.writeU32(irp + k.io.irps.o('status'), STATUS_NOT_SUPPORTED); // PnP IRPs start "not supported"
    fill(irp);
    return this.sendAndWait('nt!IopSynchronousCall', top, irp, then);
  }

  /**
   * Sends an IRP and blocks the current thread until it completes. `completed` runs at the
   * moment of completion (the waiting thread may not run again before the run ends, e.g.
   * during removal); `then` runs when the thread resumes.
   */
  /**
   * `caller` names the system code that sends it, as the stack shows it below nt!IofCallDriver
   * (nt!IopSynchronousServiceTail for a read, nt!IopSynchronousCall for a PnP IRP...).
   */
  private sendAndWait(caller: string, device: number, irp: number, then: (c: IrpCompletion, returned: number) => NativeResult, cancelAfterNs?: number, completed?: (c: IrpCompletion) => void): NativeResult {
    const k = this.k;
    let done: IrpCompletion | undefined;
    k.io.irps.onComplete.set(irp, (c) => {
      done = c;
      completed?.(c);
    });
    return k.callC(caller, k.ioCallDriverNative, [device, irp], [ptrT, ptrT], (r) => {
      const returned = Number(r) | 0;
      if (returned === STATUS_PENDING || !done) {
        const deadline = cancelAfterNs !== undefined ? k.nowNs() + cancelAfterNs : undefined;
        return k.disp.block('IRP completion', () => (done ? 0 : undefined), deadline, () => {
          if (done) return then(done, returned);
          // Timed out: cancel it and wait for the completion the cancel routine makes.
          return k.callC('nt!IoCancelIrp', k.cancelIrpNative(), [irp], [ptrT], () =>
            k.disp.block('IRP completion after IoCancelIrp', () => (done ? 0 : undefined), k.nowNs() + 1e9, () => (done ? then(done, returned) : then({ status: STATUS_PENDING, information: 0n, atNs: k.nowNs() }, returned))),
          );
        });
      }
      return then(done, returned);
    });
  }

  /** A scenario request: a thread (the "application") sends the IRP and waits for it. */
  startRequest(index: number, atNs: number): void {
    const k = this.k;
    const rq = this.config.scenario.requests[index];
    const result: RequestResult = { index, major: rq.major, issuedAtNs: atNs, completed: false };
    this.requests.push(result);
    k.disp.createThread(`request #${index} (${rq.major})`, 9, k.disp.allCpus(), () => {
      // The request goes to the top of the named device's stack (default: the first device).
      const di = rq.device !== undefined ? this.config.devices.findIndex((d) => d.id === rq.device) : 0;
      const pdo = this.pdos[Math.max(0, di)];
      const fdo = pdo !== undefined ? k.io.topOf(pdo) : 0;
      if (!this.started || fdo === 0) {
        result.status = 0xc000000e; // STATUS_NO_SUCH_DEVICE
        return undefined;
      }
      const irp = this.buildRequestIrp(fdo, rq);
      const record = (c: IrpCompletion): void => {
        result.completed = c.status !== STATUS_PENDING;
        result.status = c.status;
        result.information = Number(c.information);
        result.completedAtNs = c.atNs;
        // The I/O manager copies data back unless the status is an error (NT_ERROR): warnings
        // such as STATUS_BUFFER_OVERFLOW still return the partial data.
        if (irp.out !== 0 && c.status >>> 0 < 0xc0000000) result.data = Array.from(k.mem.readBytes(irp.out, Math.min(Number(c.information), irp.outLength)));
      };
      return this.sendAndWait(
        'nt!IopSynchronousServiceTail',
        fdo,
        irp.irp,
        (c, returned) => {
          if (result.completedAtNs === undefined) record(c);
          result.returned = returned >>> 0;
          // The I/O manager frees what it allocated for the request (IoFreeIrp and the rest).
          for (const a of irp.owned) k.pool.free(a, undefined);
          return undefined;
        },
        rq.cancelAfterNs,
        record,
      );
    });
  }

  private buildRequestIrp(fdo: number, rq: RequestConfig): { irp: number; out: number; outLength: number; owned: number[] } {
    const k = this.k;
    const m = k.mem;
    const L = k.layouts;
    const irp = k.io.irps.allocate(m.readI8(fdo + L.offsetOf('DEVICE_OBJECT', 'StackSize')));
    const sl = k.io.irps.nextLocation(irp);
    const flags = m.readU32(fdo + L.offsetOf('DEVICE_OBJECT', 'Flags'));
    const len = rq.length ?? 0;
    const input = rq.data ?? [];
    const major = { create: IRP_MJ_CREATE, close: IRP_MJ_CLOSE, read: IRP_MJ_READ, write: IRP_MJ_WRITE, ioctl: IRP_MJ_DEVICE_CONTROL, 'internal-ioctl': IRP_MJ_INTERNAL_DEVICE_CONTROL }[rq.major];
    m.writeU8(sl, major);
    const file = k.allocateSystem(L.sizeOf('FILE_OBJECT'), 'File');
    const owned = [irp, file];
    m.writeU16(file, 5);
    m.writePtr(file + L.offsetOf('FILE_OBJECT', 'DeviceObject'), fdo);
    m.writePtr(sl + L.offsetOf('IO_STACK_LOCATION', 'FileObject'), file);
    m.writePtr(irp + L.offsetOf('IRP', 'Tail.Overlay.OriginalFileObject'), file);
    m.writePtr(irp + k.io.irps.o('thread'), k.cur.current.address);
    let out = 0;
    let outLength = 0;
    const buffer = (n: number): number => {
      const b = k.allocateSystem(Math.max(1, n), 'IoBf');
      owned.push(b);
      m.writeBytes(b, input.slice(0, n));
      return b;
    };
    // An MDL for a locked-down buffer (kdsim buffers live in nonpaged system space).
    const describeWithMdl = (b: number, n: number): number => {
      const mdl = k.allocateSystem(L.sizeOf('MDL') + 8 * (Math.ceil(n / 4096) + 1), 'Mdl ');
      owned.push(mdl);
      m.writePtr(mdl + L.offsetOf('MDL', 'StartVa'), b - (b & 0xfff));
      m.writeU32(mdl + L.offsetOf('MDL', 'ByteOffset'), b & 0xfff);
      m.writeU32(mdl + L.offsetOf('MDL', 'ByteCount'), n);
      m.writeU16(mdl + L.offsetOf('MDL', 'MdlFlags'), MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL);
      m.writePtr(mdl + L.offsetOf('MDL', 'MappedSystemVa'), b);
      return mdl;
    };
    if (major === IRP_MJ_READ || major === IRP_MJ_WRITE) {
      m.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.Read.Length'), len);
      const b = buffer(len);
      if (flags & DO_DIRECT_IO) m.writePtr(irp + L.offsetOf('IRP', 'MdlAddress'), describeWithMdl(b, len));
      else if (flags & DO_BUFFERED_IO) m.writePtr(irp + k.io.irps.o('systemBuffer'), b);
      else m.writePtr(irp + L.offsetOf('IRP', 'UserBuffer'), b);
      if (major === IRP_MJ_READ) {
        out = b;
        outLength = len;
      }
    } else if (major === IRP_MJ_DEVICE_CONTROL || major === IRP_MJ_INTERNAL_DEVICE_CONTROL) {
      const code = rq.ioctl ?? 0;
      const inLen = input.length;
      m.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.IoControlCode'), code);
      m.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.InputBufferLength'), inLen);
      m.writeU32(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.OutputBufferLength'), len);
      // The transfer type is the IOCTL code's low two bits (CTL_CODE's Method), as the I/O
      // manager decodes it: where the input and output buffers go depends on it.
      const method = code & 3;
      if (method === METHOD_BUFFERED) {
        // One system buffer for input and output.
        const b = buffer(Math.max(inLen, len));
        m.writePtr(irp + k.io.irps.o('systemBuffer'), b);
        out = b;
      } else if (method === METHOD_IN_DIRECT || method === METHOD_OUT_DIRECT) {
        // Input buffered in SystemBuffer; the output buffer described by an MDL.
        if (inLen > 0) m.writePtr(irp + k.io.irps.o('systemBuffer'), buffer(inLen));
        if (len > 0) {
          const b = k.allocateSystem(len, 'IoBf');
          owned.push(b);
          if (method === METHOD_IN_DIRECT) m.writeBytes(b, input.slice(0, len));
          m.writePtr(irp + L.offsetOf('IRP', 'MdlAddress'), describeWithMdl(b, len));
          out = b;
        }
      } else {
        // METHOD_NEITHER: the caller's own buffers, unprobed.
        const inBuf = buffer(inLen);
        m.writePtr(sl + L.offsetOf('IO_STACK_LOCATION', 'Parameters.DeviceIoControl.Type3InputBuffer'), inBuf);
        const b = k.allocateSystem(Math.max(1, len), 'IoBf');
        owned.push(b);
        m.writePtr(irp + L.offsetOf('IRP', 'UserBuffer'), b);
        out = b;
      }
      outLength = len;
    }
    return { irp, out, outLength, owned };
  }

  /** End of the scenario: remove the devices, unload the driver, report leaks. */
  /** Things that did not happen that should have (reported as the run's error). */
  readonly problems: string[] = [];

  startShutdown(atNs: number): void {
    const k = this.k;
    const when = `${(atNs / 1e6).toFixed(3)} ms`;
    if (this.driverEntryStatus === undefined) this.problems.push(`DriverEntry had not returned when the scenario ended at ${when}`);
    else if (this.driverEntryStatus >= 0 && !this.started && this.config.devices.length > 0) this.problems.push(`the device stack had not started (AddDevice / IRP_MN_START_DEVICE still in progress) when the scenario ended at ${when}`);
    k.disp.createThread('PnP manager (remove)', 12, k.disp.allCpus(), () => this.removeDevices(0));
  }

  private removeDevices(i: number): NativeResult {
    const k = this.k;
    if (!this.started || i >= this.pdos.length) return this.unload();
    const pdo = this.pdos[i];
    return this.sendPnp(pdo, 1 /* IRP_MN_QUERY_REMOVE_DEVICE */, () => undefined, () =>
      this.sendPnp(pdo, 2 /* IRP_MN_REMOVE_DEVICE */, () => undefined, () => {
        void k;
        return this.removeDevices(i + 1);
      }),
    );
  }

  private unload(): NativeResult {
    const k = this.k;
    const unload = k.mem.readPtr(this.driverObject + k.layouts.offsetOf('DRIVER_OBJECT', 'DriverUnload'));
    const done = (): NativeResult => {
      this.leaks = k.pool.leaks().map((b) => ({ tag: tagText(b.tag), size: b.size, address: `0x${toUnsigned(b.address).toString(16)}` }));
      if (this.config.verifier.poolTracking) {
        for (const l of this.leaks) k.debugPrint(`kdsim: pool leak at unload: ${l.size} bytes tagged '${l.tag}' at ${l.address}\n`, 0, 0);
      }
      this.finished = true;
      return undefined;
    };
    if (unload === 0 || this.driverEntryStatus === undefined || this.driverEntryStatus < 0) return done();
    return k.callC('nt!IopUnloadDriver', unload, [this.driverObject], [ptrT], () => done());
  }
}
