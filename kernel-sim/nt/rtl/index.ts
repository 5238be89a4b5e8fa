// The run-time library's DDIs (string.h, counted strings, interlocked operations, DbgPrint)
// as one table for the kernel to bind by name.

import type { DdiTable } from '../ddi';
import { dbgPrintDdis } from './dbgprint';
import { interlockedDdis, type SpinLockHooks } from './interlocked';
import { type CrtState, newCrtState, stringDdis } from './strings';
import { unicodeDdis } from './unicode';

export type { CrtState, SpinLockHooks };
export { newCrtState };

export interface RtlOptions {
  /** Takes and releases the ExInterlocked*List spin locks (the kernel's executive spin locks). */
  spinLocks?: SpinLockHooks;
  /** The C library's state (strtok, strerror), for the kernel to keep with its snapshots. */
  crt?: CrtState;
}

export function rtlDdis(options: RtlOptions = {}): DdiTable {
  return {
    ...stringDdis(options.crt),
    ...unicodeDdis(),
    ...interlockedDdis(options.spinLocks),
    ...dbgPrintDdis(),
  };
}
