// LIST_ENTRY {Flink @0, Blink @8} and SINGLE_LIST_ENTRY {Next @0} operations over simulated
// memory, for the ExInterlocked*List routines. Like the inline versions in kdsim/rtl.h (and
// the WDK's unless NO_KERNEL_LIST_ENTRY_CHECKS), a double-linked operation first checks the
// neighbours' back links and fails fast on corruption: bug check 0x139
// KERNEL_SECURITY_CHECK_FAILURE with P1 = 3 (FAST_FAIL_CORRUPT_LIST_ENTRY).

import type { KernelServices } from '../ddi';

export const LIST_FLINK = 0;
export const LIST_BLINK = 8;
export const SINGLE_LIST_NEXT = 0;

const KERNEL_SECURITY_CHECK_FAILURE = 0x139;
const FAST_FAIL_CORRUPT_LIST_ENTRY = 3n;

function corrupt(k: KernelServices): never {
  return k.bugCheck(KERNEL_SECURITY_CHECK_FAILURE, FAST_FAIL_CORRUPT_LIST_ENTRY, 0n, 0n, 0n);
}

const flink = (k: KernelServices, e: number): number => k.mem.readPtr(e + LIST_FLINK);
const blink = (k: KernelServices, e: number): number => k.mem.readPtr(e + LIST_BLINK);

/** InsertHeadList; returns the previous first entry, or the head itself if the list was empty. */
export function insertHead(k: KernelServices, head: number, entry: number): number {
  const next = flink(k, head);
  if (blink(k, next) !== head) corrupt(k);
  k.mem.writePtr(entry + LIST_FLINK, next);
  k.mem.writePtr(entry + LIST_BLINK, head);
  k.mem.writePtr(next + LIST_BLINK, entry);
  k.mem.writePtr(head + LIST_FLINK, entry);
  return next;
}

/** InsertTailList; returns the previous last entry, or the head itself if the list was empty. */
export function insertTail(k: KernelServices, head: number, entry: number): number {
  const prev = blink(k, head);
  if (flink(k, prev) !== head) corrupt(k);
  k.mem.writePtr(entry + LIST_FLINK, head);
  k.mem.writePtr(entry + LIST_BLINK, prev);
  k.mem.writePtr(prev + LIST_FLINK, entry);
  k.mem.writePtr(head + LIST_BLINK, entry);
  return prev;
}

/** RemoveHeadList; on an empty list returns the head itself and changes nothing. */
export function removeHead(k: KernelServices, head: number): number {
  const entry = flink(k, head);
  if (entry === head) return head;
  const next = flink(k, entry);
  if (blink(k, entry) !== head || blink(k, next) !== entry) corrupt(k);
  k.mem.writePtr(head + LIST_FLINK, next);
  k.mem.writePtr(next + LIST_BLINK, head);
  return entry;
}

/** PushEntryList; returns the previous first entry (NULL if the list was empty). */
export function pushEntry(k: KernelServices, head: number, entry: number): number {
  const first = k.mem.readPtr(head + SINGLE_LIST_NEXT);
  k.mem.writePtr(entry + SINGLE_LIST_NEXT, first);
  k.mem.writePtr(head + SINGLE_LIST_NEXT, entry);
  return first;
}

/** PopEntryList; returns the removed entry (NULL if the list was empty). */
export function popEntry(k: KernelServices, head: number): number {
  const first = k.mem.readPtr(head + SINGLE_LIST_NEXT);
  if (first !== 0) k.mem.writePtr(head + SINGLE_LIST_NEXT, k.mem.readPtr(first + SINGLE_LIST_NEXT));
  return first;
}
