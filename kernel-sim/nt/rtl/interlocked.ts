// Interlocked operations (ex.h: compiler intrinsics in the WDK, routines here) and the
// ExInterlocked*List routines. The simulation runs one processor at a time and a DDI call
// never interleaves with another processor's statements, so each operation is atomic and a
// full barrier by construction. Misaligned operands work, as a LOCK-prefixed instruction on
// x64 does (split locks are slow, not faulting). Return values follow the WDK pages:
// Increment/Decrement give the new value; Exchange, ExchangeAdd, CompareExchange, Or, And and
// Xor give the original one.

import { big, type DdiImpl, type DdiTable, i32, type KernelServices, num } from '../ddi';
import { fromUnsigned, toUnsigned } from '../../vm/memory';
import type { Value } from '../../vm/runtime';
import { insertHead, insertTail, popEntry, pushEntry, removeHead } from './list-entry';

/**
 * The spin lock the ExInterlocked*List routines take around the list operation. The kernel
 * supplies its executive spin-lock implementation (KERNEL_MODEL §4); without hooks the lock
 * is only read, so a bad KSPIN_LOCK pointer still faults.
 */
export interface SpinLockHooks {
  acquire(lock: number): void;
  release(lock: number): void;
}

type Impl = (k: KernelServices, a: readonly Value[]) => Value | undefined;
const ddi = (call: Impl): DdiImpl => ({ call: (k, a) => call(k, a) });

/** A 32-bit read-modify-write: stores `op(old, operand)`; returns the new or the old value. */
function rmw32(op: (old: number, v: number) => number, returnNew: boolean): DdiImpl {
  return ddi((k, a) => {
    const p = num(a[0]);
    const old = k.mem.readI32(p);
    const next = op(old, i32(a[1])) | 0;
    k.mem.writeU32(p, next);
    return returnNew ? next : old;
  });
}

/** The same on a LONG64 (bigint values). */
function rmw64(op: (old: bigint, v: bigint) => bigint, returnNew: boolean): DdiImpl {
  return ddi((k, a) => {
    const p = num(a[0]);
    const old = k.mem.readI64(p);
    const next = BigInt.asIntN(64, op(old, BigInt.asIntN(64, big(a[1]))));
    k.mem.writeU64(p, next);
    return returnNew ? next : old;
  });
}

function interlockedOps(): DdiTable {
  return {
    InterlockedIncrement: rmw32((x) => x + 1, true),
    InterlockedDecrement: rmw32((x) => x - 1, true),
    InterlockedExchange: rmw32((_x, v) => v, false),
    InterlockedExchangeAdd: rmw32((x, v) => x + v, false),
    InterlockedOr: rmw32((x, v) => x | v, false),
    InterlockedAnd: rmw32((x, v) => x & v, false),
    InterlockedXor: rmw32((x, v) => x ^ v, false),
    InterlockedCompareExchange: ddi((k, a) => {
      const p = num(a[0]);
      const old = k.mem.readI32(p);
      if (old === i32(a[2])) k.mem.writeU32(p, i32(a[1]));
      return old;
    }),
    InterlockedIncrement64: rmw64((x) => x + 1n, true),
    InterlockedDecrement64: rmw64((x) => x - 1n, true),
    InterlockedExchange64: rmw64((_x, v) => v, false),
    InterlockedExchangeAdd64: rmw64((x, v) => x + v, false),
    InterlockedOr64: rmw64((x, v) => x | v, false),
    InterlockedAnd64: rmw64((x, v) => x & v, false),
    InterlockedXor64: rmw64((x, v) => x ^ v, false),
    InterlockedCompareExchange64: ddi((k, a) => {
      const p = num(a[0]);
      const old = k.mem.readI64(p);
      if (old === BigInt.asIntN(64, big(a[2]))) k.mem.writeU64(p, big(a[1]));
      return old;
    }),
    InterlockedExchangePointer: ddi((k, a) => {
      const p = num(a[0]);
      const old = k.mem.readPtr(p);
      k.mem.writePtr(p, num(a[1]));
      return old;
    }),
    // Compared as the stored 64-bit values, so a non-canonical pointer compares too.
    InterlockedCompareExchangePointer: ddi((k, a) => {
      const p = num(a[0]);
      const old = k.mem.readU64(p);
      if (old === toUnsigned(num(a[2]))) k.mem.writePtr(p, num(a[1]));
      return fromUnsigned(old);
    }),
    KeMemoryBarrier: ddi(() => undefined),
  };
}

/** The first entry the ExInterlocked*List routines report: NULL for the head (an empty list). */
const entryOrNull = (e: number, head: number): number => (e === head ? 0 : e);

function interlockedLists(hooks: SpinLockHooks | undefined): DdiTable {
  /** Runs `body` with the list's spin lock held. */
  const locked = (k: KernelServices, lock: number, body: () => number): number => {
    k.mem.readU64(lock); // the KSPIN_LOCK must be readable: a bad pointer faults here
    hooks?.acquire(lock);
    const r = body();
    hooks?.release(lock);
    return r;
  };
  return {
    ExInterlockedInsertHeadList: ddi((k, a) => {
      const head = num(a[0]);
      return locked(k, num(a[2]), () => entryOrNull(insertHead(k, head, num(a[1])), head));
    }),
    ExInterlockedInsertTailList: ddi((k, a) => {
      const head = num(a[0]);
      return locked(k, num(a[2]), () => entryOrNull(insertTail(k, head, num(a[1])), head));
    }),
    ExInterlockedRemoveHeadList: ddi((k, a) => {
      const head = num(a[0]);
      return locked(k, num(a[1]), () => entryOrNull(removeHead(k, head), head));
    }),
    ExInterlockedPushEntryList: ddi((k, a) => locked(k, num(a[2]), () => pushEntry(k, num(a[0]), num(a[1])))),
    ExInterlockedPopEntryList: ddi((k, a) => locked(k, num(a[1]), () => popEntry(k, num(a[0])))),
  };
}

/** The interlocked DDIs; `hooks` takes and releases the ExInterlocked*List spin locks. */
export function interlockedDdis(hooks?: SpinLockHooks): DdiTable {
  return { ...interlockedOps(), ...interlockedLists(hooks) };
}
