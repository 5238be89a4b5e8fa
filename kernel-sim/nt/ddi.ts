// The contract between the simulated kernel and the DDIs implemented in TypeScript
// (ARCHITECTURE decision 5): a DDI is a function bound by name to the declaration in the
// simulated headers; it gets the kernel's services and the C arguments.

import type { CType } from '../c/types';
import type { Memory } from '../vm/memory';
import type { Cpu, NativeResult, Value } from '../vm/runtime';

/** Pool types as the DDIs see them (KERNEL_MODEL §6, ExAllocatePool2 / ExAllocatePoolWithTag). */
export type PoolKind = 'nonpaged' | 'paged';

/** What a DDI implementation may ask of the kernel. Implemented by nt/kernel.ts. */
export interface KernelServices {
  readonly mem: Memory;
  /** IRQL of the processor running the caller. */
  irql(): number;
  /** Number of the processor running the caller. */
  processorNumber(): number;
  /** Active processors. */
  processorCount(): number;
  /** Simulated time of the calling processor, in nanoseconds since boot. */
  nowNs(): number;
  /** Charges simulated time to the calling processor (busy work, e.g. a copy). */
  charge(ns: number): void;
  /** DbgPrint output (already formatted, without filtering). */
  debugPrint(text: string, componentId: number, level: number): void;
  /** Raises a bug check: stops the machine (never returns). */
  bugCheck(code: number, p1: bigint, p2: bigint, p3: bigint, p4: bigint): never;
  /** Allocates pool (zero-filled); 0 when exhausted. `tag` is the 4-byte tag as a ULONG. */
  allocatePool(kind: PoolKind, size: number, tag: number): number;
  /** Frees pool; faults/bug-checks like Windows on a bad or double free. */
  freePool(address: number, tag: number | undefined): void;
}

/** One DDI: `call` returns the C result, or a CallBack / Pending request (vm/runtime.ts). */
export interface DdiImpl {
  call(k: KernelServices, args: Value[], argTypes: CType[], cpu: Cpu): NativeResult;
}

export type DdiTable = Record<string, DdiImpl>;

/** Argument helpers: C values arrive as numbers (ints, pointers) or bigints (64-bit ints). */
export function num(v: Value | undefined): number {
  return typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : (v ?? 0);
}
export function u32(v: Value | undefined): number {
  return typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : (v ?? 0) >>> 0;
}
export function i32(v: Value | undefined): number {
  return typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : (v ?? 0) | 0;
}
export function big(v: Value | undefined): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(v ?? 0));
}
