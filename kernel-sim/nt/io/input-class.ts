// The keyboard and mouse class drivers (kbdclass / mouclass) as far as a port driver sees them:
// a class device object, the CONNECT_DATA sent down with IOCTL_INTERNAL_KEYBOARD_CONNECT /
// IOCTL_INTERNAL_MOUSE_CONNECT (kbdmou.h), and the class service callback the port driver calls
// from its DPC with a run of KEYBOARD_INPUT_DATA / MOUSE_INPUT_DATA packets. The callback
// records every packet, consumes them all and reports the count, as kbdclass does when its
// queue has room.
//
// IRQL: the callback is documented for DISPATCH_LEVEL. kbdclass takes its queue's spin lock with
// KeAcquireSpinLockAtDpcLevel (below DISPATCH: Verifier's 0xC4/0x40) and completes its pending
// read IRP with IoCompleteRequest (above DISPATCH: the IRQL rule of that DDI), so a port driver
// calling it from its ISR or at PASSIVE_LEVEL is caught the way Verifier would catch it.

import type { NativeResult, Value } from '../../vm/runtime';
import type { ClassPacket } from '../../scenario/expect';
import { INPUT_PACKETS, normalizeField } from '../../scenario/input-packets';
import type { InputClass } from '../../scenario/project-types';
import { checkIrql, DISPATCH_LEVEL, spinLockAtDpcViolation } from '../../verifier/irql-rules';
import { hex, type Kernel } from '../kernel';

/** kbdmou.h: CTL_CODE(FILE_DEVICE_KEYBOARD / FILE_DEVICE_MOUSE, 0x0080, METHOD_NEITHER, FILE_ANY_ACCESS). */
export const IOCTL_INTERNAL_KEYBOARD_CONNECT = 0x000b0203;
export const IOCTL_INTERNAL_MOUSE_CONNECT = 0x000f0203;
/** sizeof(CONNECT_DATA) on x64: two pointers. */
export const CONNECT_DATA_SIZE = 16;

const CLASS = {
  keyboard: { driver: 'kbdclass', device: 'KeyboardClass', callback: 'kbdclass!KeyboardClassServiceCallback', deviceType: 0x0b, ioctl: IOCTL_INTERNAL_KEYBOARD_CONNECT },
  mouse: { driver: 'mouclass', device: 'PointerClass', callback: 'mouclass!MouseClassServiceCallback', deviceType: 0x0f, ioctl: IOCTL_INTERNAL_MOUSE_CONNECT },
} as const;

interface Connection {
  inputClass: InputClass;
  /** Project device id of the stack it sits on. */
  device: string;
  classDevice: number;
  /** The class driver's queue lock (kbdclass's DEVICE_EXTENSION.SpinLock): named in bug checks. */
  lock: number;
}

export class InputClassDrivers {
  readonly packets: ClassPacket[] = [];
  private readonly drivers = new Map<InputClass, { driver: number; callback: number; units: number }>();
  /** Class device object → its connection. */
  private readonly connections = new Map<number, Connection>();

  constructor(private readonly k: Kernel) {}

  /** A class device object for `device`'s stack and the CONNECT_DATA to send down. */
  prepareConnect(inputClass: InputClass, device: string): { ioctl: number; connectData: number } {
    const k = this.k;
    const c = CLASS[inputClass];
    let d = this.drivers.get(inputClass);
    if (!d) {
      const driver = k.io.createDriverObject(c.driver);
      const callback = k.registerNative(c.callback, (_cpu, args) => this.serviceCallback(inputClass, args));
      d = { driver, callback, units: 0 };
      this.drivers.set(inputClass, d);
    }
    const classDevice = k.io.createDevice(d.driver, 0x40, `\\Device\\${c.device}${d.units++}`, c.deviceType, 0, false);
    const lock = k.allocateSystem(8, 'Clas');
    this.connections.set(classDevice, { inputClass, device, classDevice, lock });
    const connectData = k.allocateSystem(CONNECT_DATA_SIZE, 'Clas');
    k.mem.writePtr(connectData, classDevice);
    k.mem.writePtr(connectData + 8, d.callback);
    return { ioctl: c.ioctl, connectData };
  }

  /** VOID ClassService(PDEVICE_OBJECT, PVOID InputDataStart, PVOID InputDataEnd, PULONG InputDataConsumed). */
  private serviceCallback(inputClass: InputClass, args: Value[]): NativeResult {
    const k = this.k;
    const p = k.cur;
    k.syncClock(p);
    k.charge(k.cost.ddiCall);
    const c = CLASS[inputClass];
    const deviceObject = Number(args[0]);
    const start = Number(args[1]);
    const end = Number(args[2]);
    const consumedPtr = Number(args[3]);
    const conn = this.connections.get(deviceObject);
    if (!conn || conn.inputClass !== inputClass) {
      k.note(`${c.callback}:device`, `${c.callback} was called with DeviceObject ${hex(deviceObject)}, not the ClassDeviceObject of the CONNECT_DATA the ${c.driver} connect request gave; the real class driver would use a wrong device extension`);
    }
    // A bug check raised here shows the class callback as the top frame, like a DDI.
    k.inDdi = c.callback;
    if (k.config.verifier.enabled) {
      const v = p.irql < DISPATCH_LEVEL ? spinLockAtDpcViolation(true, p.irql, conn?.lock ?? 0) : checkIrql('IofCompleteRequest', p.irql);
      if (v) k.bugCheck(v.code, v.args[0], v.args[1], v.args[2], v.args[3], `${c.callback} (the class service callback) called at IRQL ${p.irql}; it must be called at DISPATCH_LEVEL, normally from the port driver's DPC`);
    } else if (p.irql !== DISPATCH_LEVEL) {
      k.note(`${c.callback}:irql`, `${c.callback} called at IRQL ${p.irql}; class service callbacks run at DISPATCH_LEVEL`);
    }
    const layout = INPUT_PACKETS[inputClass];
    const bytes = end - start;
    let count = 0;
    if (bytes < 0 || bytes % layout.size !== 0) {
      k.note(`${c.callback}:range`, `${c.callback}: InputDataEnd - InputDataStart is ${bytes} bytes, not a multiple of sizeof(${layout.type}) (${layout.size}); nothing was consumed`);
    } else {
      count = bytes / layout.size;
      const m = k.mem;
      for (let i = 0; i < count; i++) {
        const at = start + i * layout.size;
        const fields: Record<string, number> = {};
        for (const f of layout.fields) fields[f.name] = normalizeField(f, f.size === 2 ? m.readU16(at + f.offset) : m.readU32(at + f.offset));
        this.packets.push({ inputClass, device: conn?.device ?? '?', atNs: p.clock, cpu: p.number, fields });
      }
    }
    // Writing through a bad pointer faults here, in the caller's context, as in kbdclass.
    k.mem.writeU32(consumedPtr, count);
    k.inDdi = undefined;
    return undefined;
  }
}
