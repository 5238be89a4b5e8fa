// Builds the kernel's components and binds every DDI by name (ARCHITECTURE decision 5): each
// call syncs the processor's clock, charges the DDI's cost, applies the DDI's IRQL rule from
// the verifier's table (KERNEL_MODEL §6), runs, and then lets pending interrupts and DPCs in.

import { checkIrql } from '../verifier/irql-rules';
import type { NativeImpl } from '../vm/loader';
import { toUnsigned } from '../vm/memory';
import { type CompiledFunction, isRequest, type NativeRequest, type NativeResult } from '../vm/runtime';
import type { DdiTable } from './ddi';
import { exDdis } from './ex/ddis';
import { Pool } from './ex/pool';
import { halDdis } from './hal/hal';
import { InputClassDrivers } from './io/input-class';
import { ioDdis, IoManager } from './io/iomgr';
import type { Kernel } from './kernel';
import { type KDdi, keDdis } from './ke/ddis';
import { Dpcs } from './ke/dpc';
import { DISPATCH_LEVEL } from './ke/prcb';
import { Interrupts } from './ke/interrupt';
import { SpinLocks } from './ke/spinlock';
import { rtlDdis } from './rtl';

/** DDIs that check their IRQL rules themselves, with the arguments the bug check needs. */
const SELF_CHECKED = new Set([
  'KfRaiseIrql',
  'KeLowerIrql',
  'KeRaiseIrqlToDpcLevel',
  'KeAcquireSpinLockRaiseToDpc',
  'KeReleaseSpinLock',
  'KeAcquireSpinLockAtDpcLevel',
  'KeReleaseSpinLockFromDpcLevel',
  'KeTryToAcquireSpinLockAtDpcLevel',
  'KeAcquireInStackQueuedSpinLock',
  'KeReleaseInStackQueuedSpinLock',
  'KeAcquireInStackQueuedSpinLockAtDpcLevel',
  'KeReleaseInStackQueuedSpinLockFromDpcLevel',
  'KeWaitForSingleObject',
  'KeWaitForMultipleObjects',
  'KeSynchronizeExecution',
  'KeAcquireInterruptSpinLock',
  'KeReleaseInterruptSpinLock',
  'IoAcquireCancelSpinLock',
  'IoReleaseCancelSpinLock',
  'ExAllocatePool2',
  'ExAllocatePoolWithTag',
  'ExFreePool',
  'ExFreePoolWithTag',
  'ExAcquireFastMutex',
  'KdsimPagedCode',
  'ExReleaseFastMutex',
]);

/** DDIs that can make a thread ready: the scheduler looks again right after them. */
const MAY_READY = new Set([
  'KeSetEvent',
  'KeReleaseSemaphore',
  'KeInsertQueueDpc',
  'IoQueueWorkItem',
  'IoQueueWorkItemEx',
  'PsCreateSystemThread',
  'ExReleaseFastMutex',
  'IofCompleteRequest',
  'KeSetTimer',
  'KeSetTimerEx',
  'IoReleaseRemoveLockEx',
]);

export function createComponents(k: Kernel): void {
  k.pool = new Pool(k);
  k.locks = new SpinLocks(k);
  k.dpcs = new Dpcs(k);
  k.interrupts = new Interrupts(k);
  k.io = new IoManager(k);
  k.inputClass = new InputClassDrivers(k);
}

/** Every simulated DDI, by name. */
export function allDdis(k: Kernel): Record<string, KDdi> {
  const table: Record<string, KDdi> = { ...keDdis(), ...ioDdis(), ...halDdis(), ...exDdis() };
  const rtl: DdiTable = rtlDdis({
    spinLocks: {
      acquire: (lock: number) => void k.locks.tryAcquire(k.cur, lock, 'spin'),
      release: (lock: number) => k.locks.release(k.cur, lock, 'spin'),
    },
  });
  for (const [name, impl] of Object.entries(rtl)) table[name] = (kk, a, t, cpu) => impl.call(kk, a, t, cpu);
  return table;
}

/** The natives the loader binds to the driver's declarations. */
export function bindDdis(k: Kernel): Record<string, NativeImpl> {
  const out: Record<string, NativeImpl> = {};
  for (const [name, impl] of Object.entries(allDdis(k))) {
    const selfChecked = SELF_CHECKED.has(name);
    const mayReady = MAY_READY.has(name);
    out[name] = {
      name,
      call: (cpu, args, types) => {
        const p = k.cur;
        k.syncClock(p);
        k.charge(k.cost.ddiCall);
        if (!selfChecked && k.config.verifier.enabled) {
          const v = checkIrql(name, p.irql);
          if (v) k.bugCheck(v.code, v.args[0], v.args[1], v.args[2], v.args[3], v.message);
        }
        k.inDdi = name;
        const r = impl(k, args, types, cpu) ?? undefined;
        k.inDdi = undefined;
        // A DDI that raised IRQL (KeAcquireSpinLock...) returns into its caller's next instruction.
        const caller = cpu.frames[cpu.frames.length - 1];
        if (!isRequest(r) && caller) faultIfPageable(k, caller.fn, false);
        if (mayReady) k.requestReschedule();
        return finish(k, r);
      },
    };
  }
  return out;
}

/**
 * Verifier's Force IRQL checking trims pageable memory whenever IRQL is raised (KERNEL_MODEL
 * §5.2): code in the PAGE section that is entered, or continues, at ≥ DISPATCH_LEVEL faults
 * on its next instruction fetch → 0xD1 with Arg3 = 8 (execute) and Arg4 = the code address.
 */
export function faultIfPageable(k: Kernel, fn: CompiledFunction, entering: boolean): void {
  if (fn.obj.attrs.section !== 'PAGE' || k.cur.irql < DISPATCH_LEVEL || !k.config.verifier.enabled || !k.config.verifier.forceIrqlChecking) return;
  const what = entering ? `called at IRQL ${k.cur.irql}` : `still running at IRQL ${k.cur.irql} (raised inside it)`;
  k.bugCheck(0xd1, toUnsigned(fn.address), BigInt(k.cur.irql), 8n, toUnsigned(fn.address), `pageable (PAGE section) routine ${fn.name} ${what}`);
}

/** After a DDI (or each step of its chain): deliver what became deliverable on this processor. */
function finish(k: Kernel, r: NativeResult): NativeResult {
  if (isRequest(r)) return wrap(k, r);
  const p = k.cur;
  return k.hasDeliverable(p) ? k.deliver(p, () => r) : r;
}

function wrap(k: Kernel, req: NativeRequest): NativeRequest {
  if ('poll' in req) {
    const poll = req.poll;
    return {
      ...req,
      poll: () => {
        const r = poll();
        return typeof r === 'symbol' ? r : finish(k, r);
      },
    };
  }
  return { ...req, then: (v) => finish(k, req.then(v)) };
}
