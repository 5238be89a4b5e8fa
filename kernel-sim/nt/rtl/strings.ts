// The C string and memory functions ntoskrnl exports to drivers (string.h; RtlCopyMemory and
// friends are macros over them). The implementations are the C library's (vm/crt/cstring.ts);
// here they charge simulated time for the bytes they touch (cost.ts) and get their kernel
// resources: _strdup's memory comes from nonpaged pool, strerror's text from a static page.

import type { DdiImpl, DdiTable, KernelServices } from '../ddi';
import { type Meter, type StrtokState, strdup, stringFunctions, strtok } from '../../vm/crt/cstring';
import type { Value } from '../../vm/runtime';
import { chargeBytes } from './cost';
import { poolTag } from './pool-tag';

/** Pool tag of _strdup's copies ('Sdup' in a pool dump). */
export const STRDUP_TAG = poolTag('Sdup');

/** The kernel C library's state: plain data the kernel may snapshot with the machine. */
export interface CrtState {
  /** strtok's saved position (per thread in the CRT; one for the whole kernel here). */
  strtok: StrtokState;
  /** Address of strerror's read-only message page once mapped (0 before). */
  strerrorPage: number;
}

export function newCrtState(): CrtState {
  return { strtok: { next: 0 }, strerrorPage: 0 };
}

/** The C library's messages (MSVC's _sys_errlist, errno 0..42); others are "Unknown error". */
const ERRNO_TEXT = [
  'No error', 'Operation not permitted', 'No such file or directory', 'No such process', 'Interrupted function call',
  'Input/output error', 'No such device or address', 'Arg list too long', 'Exec format error', 'Bad file descriptor',
  'No child processes', 'Resource temporarily unavailable', 'Not enough space', 'Permission denied', 'Bad address',
  'Unknown error', 'Resource device', 'File exists', 'Improper link', 'No such device',
  'Not a directory', 'Is a directory', 'Invalid argument', 'Too many open files in system', 'Too many open files',
  'Inappropriate I/O control operation', 'Unknown error', 'File too large', 'No space left on device', 'Invalid seek',
  'Read-only file system', 'Too many links', 'Broken pipe', 'Domain error', 'Result too large',
  'Unknown error', 'Resource deadlock avoided', 'Unknown error', 'Filename too long', 'No locks available',
  'Function not implemented', 'Directory not empty', 'Illegal byte sequence',
];
const UNKNOWN_ERROR = ERRNO_TEXT.length; // index of "Unknown error" in the page's table
const STRERROR_REGION = 'crt strerror messages';
const enc = new TextEncoder();

/**
 * The message page: every text NUL-terminated, laid out in ERRNO_TEXT order plus a final
 * "Unknown error"; returns the address of each. Mapped read-only on first use, like the
 * CRT's .rdata (a driver that writes through strerror's result faults).
 */
function messageTable(k: KernelServices, state: CrtState): number[] {
  const texts = [...ERRNO_TEXT, 'Unknown error'];
  const offsets: number[] = [];
  let size = 0;
  for (const t of texts) {
    offsets.push(size);
    size += t.length + 1;
  }
  // After a snapshot restore the page may be gone again: map it anew then.
  if (state.strerrorPage === 0 || k.mem.regionOf(state.strerrorPage)?.name !== STRERROR_REGION) {
    const r = k.mem.map(STRERROR_REGION, 'other', size);
    if (!r) throw new Error('kdsim: simulated memory exhausted mapping strerror messages');
    k.mem.writeBytes(r.start, Uint8Array.from(texts.flatMap((t) => [...enc.encode(t), 0])));
    k.mem.protect(r, true);
    state.strerrorPage = r.start;
  }
  return offsets.map((o) => state.strerrorPage + o);
}

/** The string.h DDIs. `state` holds strtok's position and strerror's page. */
export function stringDdis(state: CrtState = newCrtState()): DdiTable {
  const meter: Meter = { bytes: 0 };
  /** Runs one C library function and charges the bytes it touched. */
  const metered = (f: (k: KernelServices, a: readonly Value[]) => Value): DdiImpl => ({
    call: (k, a) => {
      meter.bytes = 0;
      const r = f(k, a);
      chargeBytes(k, meter.bytes);
      return r;
    },
  });
  const table: DdiTable = {};
  for (const [name, f] of Object.entries(stringFunctions)) {
    table[name] = metered((k, a) => f(k.mem, a, meter));
  }
  table.strtok = metered((k, a) => strtok(k.mem, a, state.strtok, meter));
  table._strdup = metered((k, a) => strdup(k.mem, a, (size) => k.allocatePool('nonpaged', size, STRDUP_TAG), meter));
  table.strerror = {
    call: (k, a) => {
      const addresses = messageTable(k, state);
      const e = Number(a[0] ?? 0) | 0;
      return addresses[e >= 0 && e < ERRNO_TEXT.length ? e : UNKNOWN_ERROR];
    },
  };
  return table;
}
