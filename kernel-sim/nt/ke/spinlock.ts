// Spin locks (KERNEL_MODEL §4): ownership tracked per lock address, contention modelled by
// spinning (the acquiring processor burns simulated time until the holder releases), and the
// misuse Windows (with Verifier) detects turned into its bug checks.

import { toUnsigned } from '../../vm/memory';
import type { LockKind } from '../../trace/events';
import { BLOCKED, type NativeResult } from '../../vm/runtime';
import type { Kernel } from '../kernel';
import type { Prcb } from './prcb';

export interface LockOwner {
  cpu: number;
  kind: LockKind;
  /** Depth of the processor's activity stack at acquisition: a DPC/ISR must not return above it. */
  depth: number;
  sinceNs: number;
}

const LOCK_GUIDANCE_NS = 25_000;

/** Simulated time one unsuccessful spin iteration costs (a pause + re-read of the lock). */
export const SPIN_NS = 100;

export class SpinLocks {
  readonly owners = new Map<number, LockOwner>();
  /** Processors spinning, by lock (the Kernel View and !running show them). */
  readonly waiters = new Map<number, Set<number>>();

  constructor(private readonly k: Kernel) {}

  /** Takes the lock if free. Re-acquiring a lock this processor holds is a certain deadlock. */
  tryAcquire(p: Prcb, lock: number, kind: LockKind): boolean {
    const o = this.owners.get(lock);
    if (o) {
      if (o.cpu === p.number) {
        // §4: recursive acquire spins forever on one CPU; Verifier / checked kernels report 0xF.
        this.k.bugCheck(0x0f, toUnsigned(lock), 0n, 0n, 0n, `spin lock ${this.k.symbolOrHex(lock)} acquired again on processor ${p.number}, which already holds it`);
      }
      return false;
    }
    this.k.mem.writeU32(lock, 1); // bit 0 set while held, as on x64
    this.owners.set(lock, { cpu: p.number, kind, depth: p.activity.length, sinceNs: p.clock });
    if (this.waiters.size > 0) this.waiters.get(lock)?.delete(p.number);
    this.k.trace.record({ kind: 'lock-acquire', t: p.clock, cpu: p.number, lock, how: kind });
    return true;
  }

  /** Acquires, spinning while another processor holds it, then continues with `then`. */
  acquire(p: Prcb, lock: number, kind: LockKind, then: () => NativeResult): NativeResult {
    if (this.tryAcquire(p, lock, kind)) return then();
    let set = this.waiters.get(lock);
    if (!set) this.waiters.set(lock, (set = new Set()));
    set.add(p.number);
    return {
      reason: `spinning on lock ${this.k.symbolOrHex(lock)}`,
      label: 'nt!KxWaitForSpinLockAndAcquire',
      spinOn: lock,
      poll: () => (this.tryAcquire(this.k.cur, lock, kind) ? then() : BLOCKED),
    };
  }

  /** Releases; a lock this processor does not hold is 0x10 SPIN_LOCK_NOT_OWNED (§4). */
  /** `where` names the holder when the processor's activity no longer does (the ISR that just returned). */
  release(p: Prcb, lock: number, kind: LockKind, where?: string): void {
    const o = this.owners.get(lock);
    if (!o || o.cpu !== p.number) {
      this.k.bugCheck(0x10, toUnsigned(lock), 0n, 0n, 0n, o ? `spin lock released on processor ${p.number} but held by processor ${o.cpu}` : 'spin lock released that is not held');
    }
    this.owners.delete(lock);
    this.k.mem.writeU32(lock, 0);
    if (p.clock - o.sinceNs > LOCK_GUIDANCE_NS) this.guidance(p, lock, kind, p.clock - o.sinceNs, where);
    this.k.trace.record({ kind: 'lock-release', t: p.clock, cpu: p.number, lock, how: kind });
  }

  /** §1.2 guidance: a spin lock should be held at most 25 µs (checked only past the limit: hot path). */
  private guidance(p: Prcb, lock: number, kind: LockKind, ns: number, holder?: string): void {
    const where = holder ?? p.activeRoutine?.name ?? p.current.name;
    this.k.guidance(`lock:${kind}:${where}`, ns, LOCK_GUIDANCE_NS, (n) => `${kind} spin lock ${this.k.symbolOrHex(lock)} held ${(n / 1000).toFixed(1)} µs in ${where} (guidance: at most 25 µs)`);
  }

  held(lock: number): LockOwner | undefined {
    return this.owners.get(lock);
  }

  /** Locks this processor acquired at activity depth ≥ `depth` (still held when a DPC/ISR returns). */
  heldSince(p: Prcb, depth: number): number[] {
    const out: number[] = [];
    for (const [lock, o] of this.owners) if (o.cpu === p.number && o.depth >= depth) out.push(lock);
    return out;
  }

  /** KeInitializeSpinLock: the lock word becomes 0 (and is no longer held). */
  initialize(lock: number): void {
    this.k.mem.writeU64(lock, 0n);
    this.owners.delete(lock);
  }
}
