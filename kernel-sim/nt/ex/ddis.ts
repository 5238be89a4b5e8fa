// Ex* and debugging DDIs: pool (with Verifier's IRQL rules, §5.2), fast mutexes, DbgBreakPoint,
// RtlAssert, PAGED_CODE's check, __fastfail.

import { toUnsigned } from '../../vm/memory';
import { isPagedPoolType, poolAllocViolation, poolFreeViolation } from '../../verifier/irql-rules';
import { big, num, u32 } from '../ddi';
import type { Kernel } from '../kernel';
import type { KDdi } from '../ke/ddis';
import { APC_LEVEL } from '../ke/prcb';
import { lowerThen } from '../ke/ddis';

const POOL_FLAG_UNINITIALIZED = 0x2n;
const POOL_FLAG_NON_PAGED = 0x40n;
const POOL_FLAG_NON_PAGED_EXECUTE = 0x80n;
const POOL_FLAG_PAGED = 0x100n;
const POOL_FLAG_RAISE_ON_FAILURE = 0x20n;

function violation(k: Kernel, v: ReturnType<typeof poolAllocViolation>): void {
  if (v && k.config.verifier.enabled) k.bugCheck(v.code, v.args[0], v.args[1], v.args[2], v.args[3], v.message);
}

/** Unhandled breakpoint with no kernel debugger: KMODE_EXCEPTION_NOT_HANDLED (0x80000003). */
/** A breakpoint exception: the debugger takes it if one is attached, else 0x1E (no debugger). */
function breakpoint(k: Kernel, what: string, kind: 'break' | 'assert' = 'break'): undefined {
  if (k.debugHooks?.onBreakpoint(kind, what)) return undefined;
  return k.bugCheck(0x1e, 0x80000003n, 0n, 0n, 0n, `${what} with no kernel debugger attached`);
}

export function exDdis(): Record<string, KDdi> {
  const d: Record<string, KDdi> = {};
  d.ExAllocatePool2 = (k, a) => {
    const flags = big(a[0]);
    const size = num(a[1]);
    const tag = u32(a[2]);
    const paged = (flags & POOL_FLAG_PAGED) !== 0n;
    if (!paged && (flags & (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE)) === 0n) {
      k.bugCheck(0xc2, 0x9bn, flags, BigInt(size), 0n, 'ExAllocatePool2 without POOL_FLAG_PAGED or POOL_FLAG_NON_PAGED');
    }
    // BAD_POOL_CALLER 0x9B: P2 = pool type (the flags), P3 = bytes requested, P4 = caller.
    if (tag === 0) k.bugCheck(0xc2, 0x9bn, flags, BigInt(size), 0n, 'ExAllocatePool2 with a zero tag');
    violation(k, poolAllocViolation(k.cur.irql, paged ? 1 : 0, size));
    const p = k.allocatePool(paged ? 'paged' : 'nonpaged', size, tag);
    if (p === 0 && flags & POOL_FLAG_RAISE_ON_FAILURE) k.bugCheck(0x1e, 0xc000009an, 0n, 0n, 0n, 'ExAllocatePool2 failed with POOL_FLAG_RAISE_ON_FAILURE');
    if (p !== 0 && flags & POOL_FLAG_UNINITIALIZED) k.mem.fill(p, 0xcd, size); // garbage, as uninitialized pool is
    return p;
  };
  d.ExAllocatePoolWithTag = (k, a) => {
    const type = num(a[0]);
    const size = num(a[1]);
    violation(k, poolAllocViolation(k.cur.irql, type, size));
    const p = k.allocatePool(isPagedPoolType(type) ? 'paged' : 'nonpaged', size, u32(a[2]));
    if (p !== 0) k.mem.fill(p, 0xcd, Math.max(0, size)); // ExAllocatePoolWithTag does not zero
    return p;
  };
  const free = (k: Kernel, p: number, tag: number | undefined): void => {
    if (p === 0) k.bugCheck(0xc2, 0x46n, 0n, 0n, 0n, 'ExFreePool(NULL)');
    const b = k.pool.blockAt(p);
    violation(k, poolFreeViolation(k.cur.irql, b?.kind === 'paged' ? 1 : 0, p));
    k.freePool(p, tag);
  };
  d.ExFreePoolWithTag = (k, a) => free(k, num(a[0]), u32(a[1]));
  d.ExFreePool = (k, a) => free(k, num(a[0]), undefined);

  // Fast mutexes: held at APC_LEVEL; contention waits (KERNEL_MODEL §6 / ex.h layout).
  const fm = (k: Kernel, f: string): number => k.layouts.offsetOf('FAST_MUTEX', f);
  const take = (k: Kernel, m: number): boolean => {
    if ((k.mem.readI32(m + fm(k, 'Count')) & 1) === 0) return false;
    k.mem.writeU32(m + fm(k, 'Count'), 0);
    k.mem.writePtr(m + fm(k, 'Owner'), k.cur.current.address);
    return true;
  };
  d.ExAcquireFastMutex = (k, a) => {
    const m = num(a[0]);
    const p = k.cur;
    const old = p.irql;
    if (old > APC_LEVEL) k.bugCheck(0xc4, 0x33n, BigInt(old), toUnsigned(m), 0n, `ExAcquireFastMutex at IRQL ${old}; it requires <= APC_LEVEL`);
    if (k.mem.readPtr(m + fm(k, 'Owner')) === p.current.address && (k.mem.readI32(m + fm(k, 'Count')) & 1) === 0) {
      k.bugCheck(0xc4, 0x33n, BigInt(old), toUnsigned(m), 0n, 'ExAcquireFastMutex on a fast mutex the thread already owns (fast mutexes are not recursive)');
    }
    k.setIrql(p, APC_LEVEL);
    const done = (): undefined => {
      k.mem.writeU32(m + fm(k, 'OldIrql'), old);
      return undefined;
    };
    if (take(k, m)) return done();
    k.mem.writeU32(m + fm(k, 'Contention'), k.mem.readU32(m + fm(k, 'Contention')) + 1);
    return k.disp.block(`fast mutex ${k.symbolOrHex(m)}`, () => (take(k, m) ? 0 : undefined), undefined, () => done());
  };
  d.ExTryToAcquireFastMutex = (k, a) => {
    const m = num(a[0]);
    const p = k.cur;
    const old = p.irql;
    if (!take(k, m)) return 0;
    k.setIrql(p, APC_LEVEL);
    k.mem.writeU32(m + fm(k, 'OldIrql'), old);
    return 1;
  };
  d.ExReleaseFastMutex = (k, a) => {
    const m = num(a[0]);
    const p = k.cur;
    if (p.irql !== APC_LEVEL) k.bugCheck(0xc4, 0x34n, BigInt(p.irql), toUnsigned(m), 0n, `ExReleaseFastMutex at IRQL ${p.irql}; it must be called at APC_LEVEL`);
    const old = k.mem.readU32(m + fm(k, 'OldIrql'));
    k.mem.writePtr(m + fm(k, 'Owner'), 0);
    k.mem.writeU32(m + fm(k, 'Count'), 1);
    k.disp.dirty = true;
    return lowerThen(k, p, old, () => undefined);
  };

  // Debugging.
  d.DbgBreakPoint = (k) => breakpoint(k, 'DbgBreakPoint');
  d.DbgBreakPointWithStatus = (k) => breakpoint(k, 'DbgBreakPointWithStatus');
  d.RtlAssert = (k, a) => {
    const str = (p: number): string => (p === 0 ? '' : new TextDecoder('latin1').decode(k.mem.readCString(p, 4096)));
    const msg = str(num(a[3]));
    k.debugPrint(`\n*** Assertion failed: ${msg}${str(num(a[0]))}\n***   Source File: ${str(num(a[1]))}, line ${u32(a[2])}\n\n`, 101, 0);
    return breakpoint(k, `ASSERT(${str(num(a[0]))}) failed at ${str(num(a[1]))}:${u32(a[2])}, and the assertion breakpoint was hit`, 'assert');
  };
  d.KdsimPagedCode = (k) => {
    const irql = k.cur.irql;
    if (irql <= APC_LEVEL) return undefined;
    k.debugPrint(`EX: Pageable code called at IRQL ${irql}\n`, 101, 0);
    return breakpoint(k, `PAGED_CODE() assertion: pageable code called at IRQL ${irql}`, 'assert');
  };
  d.__fastfail = (k, a) => k.bugCheck(0x139, BigInt(u32(a[0])), 0n, 0n, 0n, `__fastfail(${u32(a[0])})`);
  return d;
}
