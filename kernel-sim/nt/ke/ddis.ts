// Ke* DDIs: IRQL, spin locks, DPCs, interrupt synchronization, dispatcher objects and waits,
// timers, device queues, processor and time queries (KERNEL_MODEL §1–§4, §6). Argument-
// dependent IRQL rules are checked here; the plain "max IRQL" rules by the binder (nt/ddis.ts).

import { toUnsigned } from '../../vm/memory';
import type { CType } from '../../c/types';
import { BLOCKED, type Cpu, type NativeResult, type Value } from '../../vm/runtime';
import { big, i32, num, u32 } from '../ddi';
import type { Kernel } from '../kernel';
import { ptrT } from '../kernel';
import { EventNotificationObject, EventSynchronizationObject, SemaphoreObject, STATUS_TIMEOUT, TimerNotificationObject, TimerSynchronizationObject } from './dispatcher';
import { APC_LEVEL, DISPATCH_LEVEL, HIGH_LEVEL, type Prcb, SYNCH_LEVEL } from './prcb';

export type KDdi = (k: Kernel, a: Value[], t: CType[], cpu: Cpu) => NativeResult | void;

const U = (v: number): bigint => toUnsigned(Number.isNaN(v) ? 0 : v);

/** A LARGE_INTEGER argument: passed by value as a structure (its address arrives). */
export function largeArg(k: Kernel, v: Value, t: CType | undefined): bigint {
  if (t && (t.kind === 'union' || t.kind === 'struct')) return k.mem.readI64(num(v));
  return big(v);
}

/** KeLowerIrql's rules (§1.2): not above the current IRQL; not below DISPATCH inside a DPC. */
export function checkLower(k: Kernel, p: Prcb, to: number, what: string): void {
  if (to > p.irql || to > HIGH_LEVEL) {
    k.bugCheck(0xc4, 0x31n, BigInt(p.irql), BigInt(to), 0n, `${what} to IRQL ${to} from IRQL ${p.irql}: the new IRQL is higher than the current one`);
  }
  const inDpc = p.activity.length > 0 && p.activity[p.activity.length - 1].kind === 'dpc';
  if (inDpc && to < DISPATCH_LEVEL) {
    k.bugCheck(0xc4, 0x31n, BigInt(p.irql), BigInt(to), 1n, `${what} to IRQL ${to} inside the DPC routine ${p.activity[p.activity.length - 1].name}`);
  }
}

/** Lowers to `to` and lets pending DPCs/interrupts run inside the call (§1.2), then `then`. */
export function lowerThen(k: Kernel, p: Prcb, to: number, then: () => NativeResult): NativeResult {
  k.setIrql(p, to);
  return k.deliver(p, then);
}

function raise(k: Kernel, p: Prcb, to: number): number {
  const old = p.irql;
  if (to < old || to > HIGH_LEVEL) {
    // §1.2: raising to a lower IRQL (Verifier 0xC4 / 0x30; checked kernels 0x9).
    if (k.config.verifier.enabled) k.bugCheck(0xc4, 0x30n, BigInt(old), BigInt(to), 0n, `KeRaiseIrql to IRQL ${to} from IRQL ${old}`);
    k.bugCheck(0x09, BigInt(old), BigInt(to), 0n, 0n, `KeRaiseIrql to IRQL ${to} from IRQL ${old}`);
  }
  k.setIrql(p, to);
  return old;
}

/** Waits (§1.2, §5): zero timeout allowed at DISPATCH; from a DPC → 0xB8; else 0xC4/0x120-0x122. */
function checkWait(k: Kernel, p: Prcb, object: number, timeoutPtr: number, timeout: bigint | undefined): void {
  const zero = timeout === 0n;
  if (p.irql < DISPATCH_LEVEL || (p.irql === DISPATCH_LEVEL && zero)) return;
  const inDpc = p.activity.some((a) => a.kind === 'dpc');
  if (inDpc && p.irql === DISPATCH_LEVEL) {
    const t = p.current;
    k.bugCheck(0xb8, U(t.address), 0n, U(t.ctx.sp), 0n, `wait on ${k.symbolOrHex(object)} in the DPC routine ${p.activeRoutine?.name ?? ''}: a DPC cannot wait (it runs in an arbitrary thread, which cannot be switched out)`);
  }
  const sub = p.irql > DISPATCH_LEVEL ? 0x120n : timeoutPtr === 0 ? 0x121n : 0x122n;
  k.bugCheck(0xc4, sub, BigInt(p.irql), U(object), U(timeoutPtr), `KeWaitForSingleObject at IRQL ${p.irql} (${timeoutPtr === 0 ? 'infinite' : 'non-zero'} timeout)`);
}

function deadline(k: Kernel, timeout: bigint | undefined): number | undefined {
  if (timeout === undefined) return undefined;
  const now = k.nowNs();
  if (timeout <= 0n) return now + Number(-timeout) * 100;
  // Absolute: system time in 100 ns units since 1601.
  return Math.max(now, Number(timeout - k.bootSystemTime) * 100);
}

export function keDdis(): Record<string, KDdi> {
  const d: Record<string, KDdi> = {};

  // ---- IRQL (§1) ----
  d.KeGetCurrentIrql = (k) => k.cur.irql;
  d.KfRaiseIrql = (k, a) => raise(k, k.cur, num(a[0]) & 0xff);
  d.KeRaiseIrqlToDpcLevel = (k) => raise(k, k.cur, Math.max(DISPATCH_LEVEL, k.cur.irql > DISPATCH_LEVEL ? -1 : DISPATCH_LEVEL));
  d.KeRaiseIrqlToSynchLevel = (k) => raise(k, k.cur, SYNCH_LEVEL);
  d.KeLowerIrql = (k, a) => {
    const p = k.cur;
    const to = num(a[0]) & 0xff;
    checkLower(k, p, to, 'KeLowerIrql');
    return lowerThen(k, p, to, () => undefined);
  };

  // ---- spin locks (§4) ----
  d.KeInitializeSpinLock = (k, a) => k.locks.initialize(num(a[0]));
  d.KeAcquireSpinLockRaiseToDpc = (k, a) => {
    const p = k.cur;
    const lock = num(a[0]);
    if (p.irql > DISPATCH_LEVEL) k.bugCheck(0xc4, 0x42n, BigInt(p.irql), U(lock), 0n, `KeAcquireSpinLock at IRQL ${p.irql} (above DISPATCH_LEVEL)`);
    const old = raise(k, p, DISPATCH_LEVEL);
    return k.locks.acquire(p, lock, 'spin', () => old);
  };
  d.KeReleaseSpinLock = (k, a) => {
    const p = k.cur;
    const lock = num(a[0]);
    const old = num(a[1]) & 0xff;
    if (p.irql !== DISPATCH_LEVEL) k.bugCheck(0xc4, 0x32n, BigInt(p.irql), U(lock), 0n, `KeReleaseSpinLock(${k.symbolOrHex(lock)}) at IRQL ${p.irql}: it must be called at DISPATCH_LEVEL (released twice?)`);
    k.locks.release(p, lock, 'spin');
    checkLower(k, p, old, 'KeReleaseSpinLock');
    return lowerThen(k, p, old, () => undefined);
  };
  d.KeAcquireSpinLockAtDpcLevel = (k, a) => {
    const p = k.cur;
    const lock = num(a[0]);
    if (p.irql < DISPATCH_LEVEL) k.bugCheck(0xc4, 0x40n, BigInt(p.irql), U(lock), 0n, `KeAcquireSpinLockAtDpcLevel at IRQL ${p.irql} (below DISPATCH_LEVEL)`);
    return k.locks.acquire(p, lock, 'spin-dpc', () => undefined);
  };
  d.KeReleaseSpinLockFromDpcLevel = (k, a) => {
    const p = k.cur;
    const lock = num(a[0]);
    if (p.irql < DISPATCH_LEVEL) k.bugCheck(0xc4, 0x41n, BigInt(p.irql), U(lock), 0n, `KeReleaseSpinLockFromDpcLevel at IRQL ${p.irql} (below DISPATCH_LEVEL)`);
    k.locks.release(p, lock, 'spin-dpc');
    return undefined;
  };
  d.KeTryToAcquireSpinLockAtDpcLevel = (k, a) => {
    const p = k.cur;
    const lock = num(a[0]);
    if (p.irql < DISPATCH_LEVEL) k.bugCheck(0xc4, 0x40n, BigInt(p.irql), U(lock), 0n, 'KeTryToAcquireSpinLockAtDpcLevel below DISPATCH_LEVEL');
    return k.locks.tryAcquire(p, lock, 'spin-dpc') ? 1 : 0;
  };
  const qLock = (k: Kernel): number => k.layouts.offsetOf('KLOCK_QUEUE_HANDLE', 'LockQueue.Lock');
  const qOld = (k: Kernel): number => k.layouts.offsetOf('KLOCK_QUEUE_HANDLE', 'OldIrql');
  d.KeAcquireInStackQueuedSpinLock = (k, a) => {
    const p = k.cur;
    const lock = num(a[0]);
    const h = num(a[1]);
    if (p.irql > DISPATCH_LEVEL) k.bugCheck(0xc4, 0x42n, BigInt(p.irql), U(lock), 0n, `KeAcquireInStackQueuedSpinLock at IRQL ${p.irql}`);
    const old = raise(k, p, DISPATCH_LEVEL);
    return k.locks.acquire(p, lock, 'queued', () => {
      k.mem.writePtr(h + qLock(k), lock);
      k.mem.writeU8(h + qOld(k), old);
      return undefined;
    });
  };
  d.KeReleaseInStackQueuedSpinLock = (k, a) => {
    const p = k.cur;
    const h = num(a[0]);
    const lock = k.mem.readPtr(h + qLock(k));
    const old = k.mem.readU8(h + qOld(k));
    if (p.irql !== DISPATCH_LEVEL) k.bugCheck(0xc4, 0x35n, BigInt(p.irql), U(lock), BigInt(old), `KeReleaseInStackQueuedSpinLock at IRQL ${p.irql}`);
    k.locks.release(p, lock, 'queued');
    return lowerThen(k, p, old, () => undefined);
  };
  d.KeAcquireInStackQueuedSpinLockAtDpcLevel = (k, a) => {
    const p = k.cur;
    const lock = num(a[0]);
    if (p.irql < DISPATCH_LEVEL) k.bugCheck(0xc4, 0x40n, BigInt(p.irql), U(lock), 0n, 'KeAcquireInStackQueuedSpinLockAtDpcLevel below DISPATCH_LEVEL');
    return k.locks.acquire(p, lock, 'queued-dpc', () => {
      k.mem.writePtr(num(a[1]) + qLock(k), lock);
      return undefined;
    });
  };
  d.KeReleaseInStackQueuedSpinLockFromDpcLevel = (k, a) => {
    const p = k.cur;
    const lock = k.mem.readPtr(num(a[0]) + qLock(k));
    if (p.irql < DISPATCH_LEVEL) k.bugCheck(0xc4, 0x41n, BigInt(p.irql), U(lock), 0n, 'KeReleaseInStackQueuedSpinLockFromDpcLevel below DISPATCH_LEVEL');
    k.locks.release(p, lock, 'queued-dpc');
    return undefined;
  };

  // ---- DPCs (§2.3) ----
  d.KeInitializeDpc = (k, a) => k.dpcs.initialize(num(a[0]), num(a[1]), num(a[2]), false);
  d.KeInitializeThreadedDpc = (k, a) => k.dpcs.initialize(num(a[0]), num(a[1]), num(a[2]), true);
  d.KeInsertQueueDpc = (k, a) => (k.dpcs.insert(num(a[0]), num(a[1]), num(a[2])) ? 1 : 0);
  d.KeRemoveQueueDpc = (k, a) => (k.dpcs.remove(num(a[0])) ? 1 : 0);
  d.KeFlushQueuedDpcs = (k) => k.dpcs.flush();
  d.KeSetImportanceDpc = (k, a) => k.dpcs.setImportance(num(a[0]), num(a[1]) & 0xff);
  d.KeSetTargetProcessorDpc = (k, a) => {
    const n = num(a[1]) & 0xff;
    if (n < k.prcbs.length) k.dpcs.setTarget(num(a[0]), n);
    return undefined;
  };
  d.KeSetTargetProcessorDpcEx = (k, a) => {
    const pn = num(a[1]);
    const group = k.mem.readU16(pn);
    const n = k.mem.readU8(pn + 2);
    if (group !== 0 || n >= k.prcbs.length) return 0xc000000d; // STATUS_INVALID_PARAMETER
    k.dpcs.setTarget(num(a[0]), n);
    return 0;
  };
  d.KeIsExecutingDpc = (k) => (k.cur.activity.some((x) => x.kind === 'dpc') ? 1 : 0);
  d.KeQueryDpcWatchdogInformation = (k, a) => {
    const p = k.cur;
    const dpc = p.activity.find((x) => x.kind === 'dpc');
    if (!dpc) return 0xc0000001; // STATUS_UNSUCCESSFUL: only while a DPC runs
    const w = k.config.watchdog;
    const info = num(a[0]);
    const ticks = (ns: number): number => Math.floor(ns / k.tickNs);
    k.mem.writeU32(info, w.dpcTimeLimitTicks);
    k.mem.writeU32(info + 4, ticks(p.clock - dpc.startNs));
    k.mem.writeU32(info + 8, w.dpcWatchdogPeriodTicks);
    k.mem.writeU32(info + 12, ticks(p.clock - (p.dispatchSinceNs ?? p.clock)));
    k.mem.writeU32(info + 16, 0);
    return 0;
  };

  // ---- interrupt synchronization (§3.6) ----
  d.KeSynchronizeExecution = (k, a) => {
    const p = k.cur;
    const o = k.interrupts.objectAt(num(a[0]));
    if (!o) return k.bugCheck(0x1e, 0xc0000005n, 0n, 0n, U(num(a[0])), 'KeSynchronizeExecution with a pointer that is not a connected interrupt object');
    if (p.irql > o.syncIrql) k.bugCheck(0xc4, 0xe5n, BigInt(p.irql), 0n, 0n, `KeSynchronizeExecution at IRQL ${p.irql}, above the interrupt's SynchronizeIrql ${o.syncIrql}`);
    const old = p.irql;
    k.setIrql(p, o.syncIrql);
    return k.locks.acquire(p, o.actualLock, 'interrupt', () => {
      const depth = p.activity.length;
      return k.callC('nt!KeSynchronizeExecution', num(a[1]), [num(a[2])], [ptrT], (r) => {
        k.syncClock(p);
        p.activity.length = depth;
        k.locks.release(p, o.actualLock, 'interrupt', k.symbol(num(a[1])));
        return lowerThen(k, p, old, () => Number(r) & 0xff);
      });
    });
  };
  d.KeAcquireInterruptSpinLock = (k, a) => {
    const p = k.cur;
    const o = k.interrupts.objectAt(num(a[0]));
    if (!o) return k.bugCheck(0x1e, 0xc0000005n, 0n, 0n, U(num(a[0])), 'KeAcquireInterruptSpinLock with a pointer that is not a connected interrupt object');
    if (o.passive) k.bugCheck(0x13b, 1n, U(o.address), 0n, 0n, 'KeAcquireInterruptSpinLock on a passive-level interrupt object');
    const old = p.irql;
    if (o.syncIrql > p.irql) k.setIrql(p, o.syncIrql);
    return k.locks.acquire(p, o.actualLock, 'interrupt', () => old);
  };
  d.KeReleaseInterruptSpinLock = (k, a) => {
    const p = k.cur;
    const o = k.interrupts.objectAt(num(a[0]));
    if (!o) return k.bugCheck(0x1e, 0xc0000005n, 0n, 0n, U(num(a[0])), 'KeReleaseInterruptSpinLock with a pointer that is not a connected interrupt object');
    k.locks.release(p, o.actualLock, 'interrupt');
    return lowerThen(k, p, Math.min(p.irql, num(a[1]) & 0xff), () => undefined);
  };

  // ---- events, semaphores, waits ----
  d.KeInitializeEvent = (k, a) => k.disp.initHeader(num(a[0]), num(a[1]) === 1 ? EventSynchronizationObject : EventNotificationObject, num(a[2]) & 0xff ? 1 : 0, 0x18);
  d.KeSetEvent = (k, a) => {
    if (num(a[2]) & 0xff && k.cur.irql > APC_LEVEL) k.bugCheck(0xc4, 0x20016n, BigInt(k.cur.irql), U(num(a[0])), 0n, 'KeSetEvent with Wait = TRUE above APC_LEVEL');
    return k.disp.setSignalState(num(a[0]), 1);
  };
  d.KeClearEvent = (k, a) => void k.disp.setSignalState(num(a[0]), 0);
  d.KeResetEvent = (k, a) => k.disp.setSignalState(num(a[0]), 0);
  d.KeReadStateEvent = (k, a) => k.disp.signalState(num(a[0]));
  d.KeInitializeSemaphore = (k, a) => {
    k.disp.initHeader(num(a[0]), SemaphoreObject, i32(a[1]), 0x20);
    k.mem.writeU32(num(a[0]) + k.layouts.offsetOf('KSEMAPHORE', 'Limit'), i32(a[2]));
  };
  d.KeReleaseSemaphore = (k, a) => {
    const s = num(a[0]);
    const limit = k.mem.readI32(s + k.layouts.offsetOf('KSEMAPHORE', 'Limit'));
    const old = k.disp.signalState(s);
    const next = old + i32(a[2]);
    if (next > limit || i32(a[2]) <= 0) k.bugCheck(0x1e, 0xc0000047n, 0n, 0n, 0n, `KeReleaseSemaphore: count ${next} exceeds the limit ${limit} (STATUS_SEMAPHORE_LIMIT_EXCEEDED raised)`);
    k.disp.setSignalState(s, next);
    return old;
  };
  d.KeReadStateSemaphore = (k, a) => k.disp.signalState(num(a[0]));
  d.KeWaitForSingleObject = (k, a) => {
    const p = k.cur;
    const object = num(a[0]);
    const tp = num(a[4]);
    const timeout = tp === 0 ? undefined : k.mem.readI64(tp);
    checkWait(k, p, object, tp, timeout);
    if (timeout === 0n) return k.disp.tryConsume(object, true) ? 0 : STATUS_TIMEOUT;
    return k.disp.waitObjects([object], false, deadline(k, timeout), (s) => s);
  };
  d.KeWaitForMultipleObjects = (k, a) => {
    const p = k.cur;
    const count = u32(a[0]);
    const arr = num(a[1]);
    const objects = Array.from({ length: count }, (_, i) => k.mem.readPtr(arr + i * 8));
    const tp = num(a[6]);
    if (count > 3 && num(a[7]) === 0) k.bugCheck(0x0c, 0n, 0n, 0n, 0n, `KeWaitForMultipleObjects on ${count} objects without a wait block array`);
    if (count > 64) k.bugCheck(0x0c, 0n, 0n, 0n, 0n, `KeWaitForMultipleObjects on ${count} objects (MAXIMUM_WAIT_OBJECTS is 64)`);
    const timeout = tp === 0 ? undefined : k.mem.readI64(tp);
    checkWait(k, p, objects[0] ?? 0, tp, timeout);
    const waitAll = num(a[2]) === 0;
    if (timeout === 0n) {
      if (waitAll) return objects.every((o) => k.disp.tryConsume(o, false)) && objects.every((o) => k.disp.tryConsume(o, true)) ? 0 : STATUS_TIMEOUT;
      const i = objects.findIndex((o) => k.disp.tryConsume(o, true));
      return i >= 0 ? i : STATUS_TIMEOUT;
    }
    return k.disp.waitObjects(objects, waitAll, deadline(k, timeout), (s) => s);
  };
  d.KeDelayExecutionThread = (k, a) => {
    const interval = k.mem.readI64(num(a[2]));
    return k.disp.block('KeDelayExecutionThread', () => undefined, deadline(k, interval), () => 0);
  };

  // ---- timers (§2.7) ----
  d.KeInitializeTimer = (k, a) => initTimer(k, num(a[0]), TimerNotificationObject);
  d.KeInitializeTimerEx = (k, a) => initTimer(k, num(a[0]), num(a[1]) === 1 ? TimerSynchronizationObject : TimerNotificationObject);
  d.KeSetTimer = (k, a, t) => (k.disp.setTimer(num(a[0]), largeArg(k, a[1], t[1]), 0, num(a[2])) ? 1 : 0);
  d.KeSetTimerEx = (k, a, t) => (k.disp.setTimer(num(a[0]), largeArg(k, a[1], t[1]), i32(a[2]), num(a[3])) ? 1 : 0);
  d.KeCancelTimer = (k, a) => (k.disp.cancelTimer(num(a[0])) ? 1 : 0);
  d.KeReadStateTimer = (k, a) => (k.disp.signalState(num(a[0])) > 0 ? 1 : 0);

  // ---- device queues (used by IoStartPacket; drivers may call them too) ----
  d.KeInitializeDeviceQueue = (k, a) => k.io.deviceQueues.initialize(num(a[0]));
  d.KeInsertDeviceQueue = (k, a) => (k.io.deviceQueues.insert(num(a[0]), num(a[1]), undefined) ? 1 : 0);
  d.KeInsertByKeyDeviceQueue = (k, a) => (k.io.deviceQueues.insert(num(a[0]), num(a[1]), u32(a[2])) ? 1 : 0);
  d.KeRemoveDeviceQueue = (k, a) => k.io.deviceQueues.remove(num(a[0]), undefined);
  d.KeRemoveByKeyDeviceQueue = (k, a) => k.io.deviceQueues.remove(num(a[0]), u32(a[1]));
  d.KeRemoveEntryDeviceQueue = (k, a) => (k.io.deviceQueues.removeEntry(num(a[0]), num(a[1])) ? 1 : 0);

  // ---- processors, threads, time ----
  d.KeGetCurrentProcessorNumberEx = (k, a) => {
    const pn = num(a[0]);
    if (pn !== 0) {
      k.mem.writeU16(pn, 0);
      k.mem.writeU8(pn + 2, k.cur.number);
      k.mem.writeU8(pn + 3, 0);
    }
    return k.cur.number;
  };
  d.KeGetCurrentProcessorNumber = (k) => k.cur.number;
  d.KeQueryActiveProcessorCount = (k, a) => {
    if (num(a[0]) !== 0) k.mem.writeU64(num(a[0]), k.disp.allCpus());
    return k.prcbs.length;
  };
  d.KeQueryActiveProcessorCountEx = (k, a) => ((num(a[0]) & 0xffff) === 0 || (num(a[0]) & 0xffff) === 0xffff ? k.prcbs.length : 0);
  d.KeQueryActiveProcessors = (k) => k.disp.allCpus();
  d.KeGetCurrentThread = (k) => k.cur.current.address;
  d.PsGetCurrentThread = (k) => k.cur.current.address;
  d.PsGetCurrentThreadId = (k) => k.cur.current.id * 4;
  d.PsGetCurrentProcessId = () => 4; // the System process
  d.KeEnterCriticalRegion = (k) => void k.cur.current.criticalRegion++;
  d.KeLeaveCriticalRegion = (k) => void k.cur.current.criticalRegion--;
  d.KeSetPriorityThread = (k, a) => {
    const t = k.threads.find((x) => x.address === num(a[0]));
    if (!t) return 0;
    const old = t.priority;
    t.priority = i32(a[1]);
    return old;
  };
  d.KeQueryInterruptTime = (k) => k.interruptTime();
  d.KeQueryTickCount = (k, a) => void k.mem.writeU64(num(a[0]), BigInt(Math.floor(k.nowNs() / k.tickNs)));
  d.KeQueryTimeIncrement = (k) => k.config.machine.timeIncrement;
  d.KeQuerySystemTime = (k, a) => void k.mem.writeU64(num(a[0]), k.bootSystemTime + k.interruptTime());
  d.KeQuerySystemTimePrecise = (k, a) => void k.mem.writeU64(num(a[0]), k.bootSystemTime + k.interruptTime());
  d.KeQueryPerformanceCounter = (k, a, _t, cpu) => {
    // A 10 MHz counter (QueryPerformanceFrequency on current Windows), the same on every CPU.
    if (num(a[0]) !== 0) k.mem.writeU64(num(a[0]), 10_000_000n);
    const buf = cpu.nativeRetBuf;
    k.mem.writeU64(buf, k.interruptTime());
    return buf;
  };
  d.KeBugCheckEx = (k, a) => k.bugCheck(u32(a[0]), big(a[1]), big(a[2]), big(a[3]), big(a[4]), 'KeBugCheckEx called by the driver');
  d.KeBugCheck = (k, a) => k.bugCheck(u32(a[0]), 0n, 0n, 0n, 0n, 'KeBugCheck called by the driver');
  d.KeSetSystemAffinityThreadEx = (k, a) => {
    // Returns the previous system affinity (0 if none); at <= APC_LEVEL the thread runs on a
    // processor of the new set when the call returns (the scheduler moves it at once).
    const t = k.cur.current;
    const old = t.systemAffinity ?? 0n;
    const mask = big(a[0]) & k.disp.allCpus();
    if (mask === 0n) return old;
    t.systemAffinity = mask;
    t.affinity = mask;
    if (!((mask >> BigInt(k.cur.number)) & 1n)) k.requestReschedule();
    return old;
  };
  d.KeRevertToUserAffinityThreadEx = (k, a) => {
    const t = k.cur.current;
    const mask = big(a[0]) & k.disp.allCpus();
    t.systemAffinity = mask === 0n ? undefined : mask;
    t.affinity = mask === 0n ? k.disp.allCpus() : mask;
    if (!t.runsOn(k.cur.number)) k.requestReschedule();
    return undefined;
  };

  // ---- system threads ----
  d.PsCreateSystemThread = (k, a) => {
    const t = k.disp.createCThread(`driver thread (${k.symbol(num(a[5]))})`, num(a[5]), num(a[6]));
    if (num(a[0]) !== 0) k.mem.writePtr(num(a[0]), k.handles.create(t.address));
    return 0;
  };
  d.PsTerminateSystemThread = (k, a) => {
    const t = k.cur.current;
    k.disp.terminate(t, i32(a[0]));
    // The thread never returns: block it forever (its state is terminated, so it is never run again).
    return { reason: 'terminated', wait: true, poll: () => BLOCKED };
  };
  return d;
}

function initTimer(k: Kernel, timer: number, type: number): undefined {
  k.disp.initHeader(timer, type, 0, k.layouts.sizeOf('KTIMER'));
  k.disp.cancelTimer(timer);
  return undefined;
}
