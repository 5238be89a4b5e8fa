// Bug check catalogue (KERNEL_MODEL §5.1 plus the pool / Verifier codes a driver test hits)
// and the per-case meaning of the four parameters, as `!analyze -v` prints them.
// Descriptions are one or two sentences in the spirit of the debugger's paragraph.

import { BAD_POOL_HEADER_SUBCODES, C1_SUBCODES, C2_SUBCODES, C9_SUBCODES, c4SubCode, ddiRuleName, type SubCode } from './subcodes';
import { irqlName } from './irql-rules';

export interface BugCheckInfo {
  code: number;
  name: string;
  description: string;
  /** Generic meaning of P1..P4 ('' when the parameter is undocumented). */
  args: [string, string, string, string];
}

export type ArgTexts = [string, string, string, string];
export type BugCheckParams = [bigint, bigint, bigint, bigint];

const RSV = 'reserved';
const SEE_P1 = 'depends on Arg1';

function entry(code: number, name: string, description: string, args: ArgTexts): [number, BugCheckInfo] {
  return [code, { code, name, description, args }];
}

/** Every bug check kdsim can raise, keyed by code. */
export const BUG_CHECKS: Readonly<Record<number, BugCheckInfo>> = Object.fromEntries([
  entry(0x08, 'IRQL_NOT_DISPATCH_LEVEL',
    'An operation that requires IRQL = DISPATCH_LEVEL was attempted at another IRQL.',
    ['', '', '', '']),
  entry(0x09, 'IRQL_NOT_GREATER_OR_EQUAL',
    'The IRQL was expected to be at or above a level but was lower; debug kernels raise this when KeRaiseIrql is asked to go down.',
    ['current IRQL (kdsim)', 'requested IRQL (kdsim)', '', '']),
  entry(0x0a, 'IRQL_NOT_LESS_OR_EQUAL',
    'Kernel code touched a pageable or invalid address at an IRQL too high for a page fault to be serviced (DISPATCH_LEVEL or above). ' +
    'A bad pointer handed to a kernel routine is the usual cause; an address below 0x1000 is most likely a NULL dereference.',
    ['memory referenced', 'IRQL', 'bitfield: bit 0 0=read 1=write, bit 3 execute', 'address which referenced memory']),
  entry(0x0f, 'SPIN_LOCK_ALREADY_OWNED',
    'A processor tried to acquire a spin lock it already owns. On a free build this spins forever; the recursive acquire is the bug.',
    ['address of the spin lock (kdsim; Windows documents no parameters)', '', '', '']),
  entry(0x10, 'SPIN_LOCK_NOT_OWNED',
    'A spin lock was released by a processor that does not own it.',
    ['address of the spin lock (kdsim; Windows documents no parameters)', '', '', '']),
  entry(0x19, 'BAD_POOL_HEADER',
    'A pool header is corrupt, usually because a driver wrote outside its allocation or freed a block twice.',
    ['type of corruption', SEE_P1, SEE_P1, SEE_P1]),
  entry(0x1e, 'KMODE_EXCEPTION_NOT_HANDLED',
    'A kernel-mode program raised an exception that no handler caught. The exception address usually points at the driver and function at fault.',
    ['exception code that was not handled', 'address where the exception occurred', 'parameter 0 of the exception', 'parameter 1 of the exception']),
  entry(0x3d, 'INTERRUPT_EXCEPTION_NOT_HANDLED',
    'An exception was raised while an interrupt service routine was running and nothing handled it.',
    ['exception record (if available)', 'context record (if available)', '0', '0']),
  entry(0x44, 'MULTIPLE_IRP_COMPLETE_REQUESTS',
    'A driver called IoCompleteRequest for an IRP that was already completed, so two code paths both believe they own it.',
    ['address of the IRP', RSV, RSV, RSV]),
  entry(0x48, 'CANCEL_STATE_IN_COMPLETED_IRP',
    'An IRP was cancelled after it had been completed: its Cancel routine ran (or was still set) when the IRP no longer belonged to the driver.',
    ['address of the IRP', 'address of the cancel routine', RSV, RSV]),
  entry(0x4a, 'IRQL_GT_ZERO_AT_SYSTEM_SERVICE',
    'A thread returned to user mode from a system call at an IRQL above PASSIVE_LEVEL.',
    ['address of the system function', 'IRQL at the time of the return', '0', '0']),
  entry(0x50, 'PAGE_FAULT_IN_NONPAGED_AREA',
    'Invalid system memory was referenced: the address is not backed by any page (freed, never mapped, or not canonical). ' +
    'This fails at every IRQL; a use-after-free or a stale mapping is the usual cause.',
    ['memory referenced', 'x64: 0 = read, 2 = write, 0x10 = execute', 'address which referenced memory (if known)', 'fault type']),
  entry(0xd5, 'DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL',
    'The driver referenced memory it had already freed. Driver Verifier\'s special pool keeps freed blocks unmapped, so a use after free faults at the first access.',
    ['memory referenced', '0 = read, 1 = write', 'address that referenced the memory (if known)', RSV]),
  entry(0xd6, 'DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION',
    'The driver accessed memory beyond the end of its pool allocation. Driver Verifier\'s special pool places each block at the end of a page followed by a guard page, so an overrun faults at once.',
    ['memory referenced', '0 = read, 1 = write', 'address that referenced the memory (if known)', RSV]),
  entry(0x7e, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED',
    'A system thread (DriverEntry, AddDevice, a work item or a driver-created thread) raised an exception that no handler caught.',
    ['exception code that was not handled', 'address where the exception occurred', 'exception record address', 'context record address']),
  entry(0x7f, 'UNEXPECTED_KERNEL_MODE_TRAP',
    'The processor raised a trap the kernel does not allow or cannot handle in kernel mode, such as a divide error or a double fault from a kernel stack overflow.',
    ['trap number', RSV, RSV, RSV]),
  entry(0x8e, 'KERNEL_MODE_EXCEPTION_NOT_HANDLED',
    'A kernel-mode program raised an exception that no handler caught.',
    ['exception code that was not handled', 'address where the exception occurred', 'trap frame', RSV]),
  entry(0x101, 'CLOCK_WATCHDOG_TIMEOUT',
    'A secondary processor did not take an expected clock interrupt within the allotted interval: it is hung with interrupts off or at an IRQL at or above CLOCK_LEVEL.',
    ['clock interrupt time-out interval, in nominal clock ticks', '0', 'address of the PRCB of the unresponsive processor', 'index of the hung processor']),
  entry(0x102, 'DPC_WATCHDOG_TIMEOUT',
    'The DPC watchdog found a DPC or ISR (running between DISPATCH_LEVEL and CLOCK_LEVEL) that did not finish in time.',
    ['time-out interval, in ticks', 'address of the PRCB of the hung processor', RSV, RSV]),
  entry(0x11b, 'DRIVER_RETURNED_HOLDING_CANCEL_LOCK',
    'A driver\'s Cancel routine returned without releasing the cancel spin lock (IoReleaseCancelSpinLock).',
    ['address of the IRP (may no longer be valid)', 'address of the Cancel routine', RSV, RSV]),
  entry(0x133, 'DPC_WATCHDOG_VIOLATION',
    'The DPC watchdog fired: a single DPC or ISR ran past its time allotment, or the processor stayed at DISPATCH_LEVEL or above for too long in total.',
    ['0 = single DPC/ISR timeout, 1 = cumulative timeout', SEE_P1, SEE_P1, SEE_P1]),
  entry(0x13b, 'PASSIVE_INTERRUPT_ERROR',
    'The interrupt spin lock of a passive-level interrupt object was requested; passive-level interrupts are synchronized with an event instead.',
    ['1 = interrupt spin lock requested on a passive-level interrupt object', 'address of the KINTERRUPT', RSV, RSV]),
  entry(0xb8, 'ATTEMPTED_SWITCH_FROM_DPC',
    'A wait, yield or process attach was attempted from a DPC routine. DPCs run at DISPATCH_LEVEL in an arbitrary thread and must never cause a context switch.',
    ['original thread', 'new thread', 'stack address of the original thread', RSV]),
  entry(0xc1, 'SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION',
    'Special pool caught a driver writing outside its allocation (an overrun or underrun) or freeing special pool incorrectly.',
    ['address the driver tried to free', RSV, '0', 'type of violation']),
  entry(0xc2, 'BAD_POOL_CALLER',
    'The current thread made a bad pool request: wrong IRQL, a double free, a bad address, or a zero-byte allocation.',
    ['type of violation', SEE_P1, SEE_P1, SEE_P1]),
  entry(0xc4, 'DRIVER_VERIFIER_DETECTED_VIOLATION',
    'Driver Verifier caught a verified driver breaking a kernel rule (wrong IRQL, lock misuse, pool misuse, ...). Arg1 selects the violation; the other arguments depend on it.',
    ['type of violation', SEE_P1, SEE_P1, SEE_P1]),
  entry(0xc7, 'TIMER_OR_DPC_INVALID',
    'A kernel timer or DPC was found where it must not be, typically in memory being freed or in a driver being unloaded while still queued.',
    ['type of problem', SEE_P1, SEE_P1, SEE_P1]),
  entry(0xc8, 'IRQL_UNEXPECTED_VALUE',
    'The processor\'s IRQL is not what it should be at this point: a routine (an ISR, an APC or a callout) returned at a different IRQL than it was called at.',
    ['(CurrentIrql << 16) | (ExpectedIrql << 8) | UniqueValue', SEE_P1, SEE_P1, SEE_P1]),
  entry(0xc9, 'DRIVER_VERIFIER_IOMANAGER_VIOLATION',
    'Driver Verifier\'s I/O verification caught a driver misusing IRPs or the I/O manager. Arg1 selects the violation.',
    ['type of violation', SEE_P1, SEE_P1, SEE_P1]),
  entry(0xce, 'DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS',
    'A driver unloaded without cancelling timers, DPCs, worker threads or other pending operations that still point into its image.',
    ['memory referenced', '0 = read, 1 = write', 'address which referenced memory', RSV]),
  entry(0xd1, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL',
    'A driver touched a pageable or invalid address at an IRQL too high for a page fault to be serviced (DISPATCH_LEVEL or above). ' +
    'Typical causes are paged pool or PAGE-section code used from a DPC or ISR, and bad or NULL pointers.',
    ['memory referenced', 'IRQL', 'bitfield: bit 0 0=read 1=write, bit 3 execute', 'address which referenced memory']),
  entry(0xd3, 'DRIVER_PORTION_MUST_BE_NONPAGED',
    'The system touched pageable memory at too high an IRQL because a driver marked code or data pageable that must stay resident.',
    ['memory referenced', 'IRQL', 'value 0 = read operation, 1 = write operation', 'address which referenced memory']),
  entry(0xe1, 'WORKER_THREAD_RETURNED_AT_BAD_IRQL',
    'A work item routine returned at IRQL DISPATCH_LEVEL or above; it must return at the IRQL it was called at (PASSIVE_LEVEL).',
    ['address of the worker routine', 'IRQL the routine returned at', 'work item parameter', 'address of the work item']),
  entry(0xe2, 'MANUALLY_INITIATED_CRASH',
    'The crash was requested on purpose (keyboard crash sequence, NMI button, or a debugger command).',
    ['', '', '', '']),
  entry(0xf2, 'HARDWARE_INTERRUPT_STORM',
    'The kernel detected an interrupt storm: a level-triggered interrupt line stayed asserted and no ISR dismissed it (an ISR returned FALSE for its own device, or TRUE without quieting it).',
    ['address of the ISR (first in the chain)', 'ISR context', 'address of the KINTERRUPT', '1 = not chained, 2 = chained']),
]);

const UNKNOWN_NAME = 'UNKNOWN_BUGCHECK_CODE';

/** Symbolic name of a bug check code (`UNKNOWN_BUGCHECK_CODE` when kdsim does not know it). */
export function bugCheckName(code: number): string {
  return BUG_CHECKS[code]?.name ?? UNKNOWN_NAME;
}

// ---- per-case argument texts ---------------------------------------------------------------

/** Lower 32 bits (sub-codes and small enums) of a parameter. */
function small(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

function hex(n: number): string {
  return `0x${n.toString(16).toUpperCase()}`;
}

function withNote(text: string, note: string | undefined): string {
  return note ? `${text} (${note})` : text;
}

function fromSubCode(selector: string, s: SubCode | undefined, fallback: string): [string, string, string, string] {
  if (!s) return [`${selector}: ${fallback}`, '', '', ''];
  return [s.what, s.args[0], s.args[1], s.args[2]];
}

const ACCESS_BITS: Readonly<Record<number, string>> = { 0: '0 = read', 1: '1 = write', 2: '2 = execute', 8: '8 = execute' };
/** Access type in an access violation's ExceptionInformation[0]. */
const AV_ACCESS: Readonly<Record<number, string>> = { 0: 'read', 1: 'write', 8: 'execute' };
const X64_FAULT_ACCESS: Readonly<Record<number, string>> = { 0: 'read', 1: 'write (before Windows 10 1507)', 2: 'write', 0x10: 'execute' };
const FAULT_TYPES: Readonly<Record<number, string>> = {
  0: 'freed or invalid PTE',
  2: 'not-present page table',
  3: 'session address from the wrong session',
  4: 'non-canonical virtual address',
  0xf: 'kernel-mode access to a user-mode address',
};
const TRAPS: Readonly<Record<number, string>> = {
  0: 'divide error', 1: 'debug', 3: 'breakpoint', 4: 'overflow', 5: 'bound', 6: 'invalid opcode',
  7: 'no math coprocessor', 8: 'double fault (often a kernel stack overflow)', 0xa: 'invalid TSS',
  0xb: 'segment not present', 0xc: 'stack fault', 0xd: 'general protection fault', 0xe: 'page fault',
  0x10: 'x87 floating-point error', 0x11: 'alignment check', 0x12: 'machine check', 0x13: 'SIMD floating-point error',
};
/** NTSTATUS exception codes a driver can raise or fault into. */
export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  0x80000002: 'STATUS_DATATYPE_MISALIGNMENT',
  0x80000003: 'STATUS_BREAKPOINT (breakpoint with no debugger attached)',
  0x80000004: 'STATUS_SINGLE_STEP',
  0xc0000005: 'STATUS_ACCESS_VIOLATION',
  0xc000001d: 'STATUS_ILLEGAL_INSTRUCTION',
  0xc0000094: 'STATUS_INTEGER_DIVIDE_BY_ZERO',
  0xc0000095: 'STATUS_INTEGER_OVERFLOW',
  0xc0000096: 'STATUS_PRIVILEGED_INSTRUCTION',
  0xc00000fd: 'STATUS_STACK_OVERFLOW',
  0xc0000409: 'STATUS_STACK_BUFFER_OVERRUN (__fastfail)',
};
const C7_TYPES: Readonly<Record<number, ArgTexts>> = {
  0: ['a timer object is in a range being freed', 'address of the timer', 'start of the range', 'end of the range'],
  1: ['a DPC object is in a range being freed', 'address of the DPC', 'start of the range', 'end of the range'],
  2: ['a DPC routine is in a range being freed', 'address of the DPC routine', 'start of the range', 'end of the range'],
  3: ['a DPC object has an invalid processor number', 'address of the DPC', 'processor number', 'number of processors'],
  4: ['a DPC routine changed the APC disable count', 'address of the DPC routine', 'APC disable count before', 'APC disable count after'],
  5: ['a timer DPC routine changed the APC disable count', 'address of the DPC routine', 'APC disable count before', 'APC disable count after'],
};
const C8_UNIQUE: Readonly<Record<number, [string, string, string, string]>> = {
  0: ['APC', 'APC KernelRoutine', 'address of the APC', 'APC NormalRoutine'],
  1: ['APC', 'APC KernelRoutine', 'address of the APC', 'APC NormalRoutine'],
  2: ['callout routine', 'address of the callout routine', 'callout parameter', RSV],
  3: ['interrupt ServiceRoutine', 'address of the ISR', 'address of the KINTERRUPT', RSV],
  0xfe: ['APC disable check', '1 if APCs are disabled', RSV, RSV],
};

function irqlText(n: number): string {
  return `${n} (${irqlName(n)})`;
}

function exceptionArgs(base: ArgTexts, p: BugCheckParams, accessInP3: boolean): ArgTexts {
  const code = small(p[0]);
  const out: ArgTexts = [withNote(base[0], EXCEPTION_NAMES[code]), base[1], base[2], base[3]];
  // For an access violation the exception information is (access type, address accessed).
  if (accessInP3 && code === 0xc0000005) {
    const access = small(p[2]);
    out[2] = withNote('parameter 0 of the exception: 0 = read, 1 = write, 8 = execute', AV_ACCESS[access]);
    out[3] = 'parameter 1 of the exception: address that was accessed';
  }
  return out;
}

type Explainer = (base: ArgTexts, p: BugCheckParams) => ArgTexts;

const EXPLAINERS: Readonly<Record<number, Explainer>> = {
  // §5.1 0xA / 0xD1 / 0xD3: P3 bit field, P1 < 0x1000 ⇒ NULL dereference.
  0x0a: pageFaultAtIrql,
  0xd1: pageFaultAtIrql,
  0xd3: pageFaultAtIrql,
  0x19: (b, p) => fromSubCode(b[0], BAD_POOL_HEADER_SUBCODES[small(p[0])], 'unlisted corruption type'),
  0x1e: (b, p) => exceptionArgs(b, p, true),
  0x7e: (b, p) => exceptionArgs(b, p, false),
  0x8e: (b, p) => exceptionArgs(b, p, false),
  0x50: (b, p) => [
    b[0],
    withNote(b[1], X64_FAULT_ACCESS[small(p[1])]),
    b[2],
    withNote(b[3], FAULT_TYPES[small(p[3])]),
  ],
  0x7f: (b, p) => [withNote(b[0], TRAPS[small(p[0])]), b[1], b[2], b[3]],
  0x133: (b, p) => {
    const kind = small(p[0]);
    if (kind === 0) {
      return ['A single DPC or ISR exceeded its time allotment; the stack shows which one.', 'DPC time count (in ticks)',
        'DPC time allotment (in ticks)', 'nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK with details of this timeout (0 if none)'];
    }
    if (kind === 1) {
      return ['The processor spent too long in total at IRQL DISPATCH_LEVEL or above (many DPCs, or a stuck spin lock).',
        'watchdog period (in ticks)', 'nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK with details of this timeout', RSV];
    }
    return b;
  },
  0xc1: (b, p) => {
    const s = C1_SUBCODES[small(p[3])];
    return s ? [s.args[0], s.args[1], s.args[2], withNote(b[3], s.what)] : b;
  },
  0xc2: (b, p) => fromSubCode(b[0], C2_SUBCODES[small(p[0])], 'unlisted pool violation'),
  0xc4: (b, p) => fromSubCode(b[0], c4SubCode(small(p[0])), 'unlisted Driver Verifier violation'),
  0xc9: (b, p) => fromSubCode(b[0], C9_SUBCODES[small(p[0])], 'unlisted I/O verification violation'),
  0xc7: (b, p) => {
    const t = C7_TYPES[small(p[0])];
    return t ? [`${small(p[0])}: ${t[0]}`, t[1], t[2], t[3]] : b;
  },
  0xc8: (b, p) => {
    const v = small(p[0]);
    const cur = (v >>> 16) & 0xff;
    const expected = (v >>> 8) & 0xff;
    const unique = v & 0xff;
    const u = C8_UNIQUE[unique];
    const decoded = `${b[0]}: current ${irqlText(cur)}, expected ${irqlText(expected)}, UniqueValue ${hex(unique)}${u ? ` (${u[0]})` : ''}`;
    return u ? [decoded, u[1], u[2], u[3]] : [decoded, '', '', ''];
  },
  0xf2: (b, p) => {
    const chained = small(p[3]);
    return [b[0], b[1], b[2], withNote(b[3], chained === 1 ? 'not chained' : chained === 2 ? 'chained' : undefined)];
  },
};

function pageFaultAtIrql(b: ArgTexts, p: BugCheckParams): ArgTexts {
  const addr = BigInt.asUintN(64, p[0]);
  const access = small(p[2]);
  const irql = small(p[1]);
  return [
    withNote(b[0], addr < 0x1000n ? 'below 0x1000: likely a NULL pointer dereference' : undefined),
    withNote(b[1], irqlName(irql)),
    withNote(b[2], ACCESS_BITS[access]),
    b[3],
  ];
}

/** Per-argument text for this specific bug check (sub-codes decoded, values interpreted). */
export function explainArgs(code: number, p: BugCheckParams): ArgTexts {
  const info = BUG_CHECKS[code];
  const base: ArgTexts = info ? [...info.args] : ['', '', '', ''];
  const explain = EXPLAINERS[code];
  return explain ? explain(base, p) : base;
}

// ---- WinDbg-style output (KERNEL_MODEL §7: `!analyze -v`, `.bugcheck`) --------------------

export interface BugCheckReport {
  code: number;
  args: BugCheckParams;
  cpu: number;
  irql: number;
  /** Simulated time of the crash, nanoseconds since boot. */
  timeNs: number;
  /** Routine that faulted or made the offending call (`Func`, `drv!Func` or `Func+0x1a`). */
  routine?: string;
  source?: { path: string; line: number; column: number; text?: string };
  /** Call stack, innermost frame first, already symbolized (`drv!Func+0x1a`). */
  stack: string[];
  /** Module blamed (`mydrv` or `mydrv.sys`); what WinDbg keeps in KiBugCheckDriver. */
  driver?: string;
  /** Why kdsim raised it, in one line (the rule that fired). */
  reason?: string;
}

/** A 64-bit value as WinDbg prints it in `Arg1:` lines: 16 lowercase hex digits. */
export function hex64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}

/** A 64-bit value with WinDbg's backtick between the halves (`fffff808`add27150`). */
export function hex64Tick(v: bigint): string {
  const h = hex64(v);
  return `${h.slice(0, 8)}\`${h.slice(8)}`;
}

/** `.bugcheck` output: the code as 8 hex digits, then the four parameters. */
export function formatBugCheckLine(code: number, args: BugCheckParams): string {
  const c = (code >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `Bugcheck code ${c}\nArguments ${args.map(hex64Tick).join(' ')}`;
}

const WIDTH = 79;
const BANNER = [
  '*'.repeat(WIDTH),
  `*${' '.repeat(WIDTH - 2)}*`,
  `*${' '.repeat(24)}Bugcheck Analysis${' '.repeat(WIDTH - 2 - 24 - 17)}*`,
  `*${' '.repeat(WIDTH - 2)}*`,
  '*'.repeat(WIDTH),
];

/** Word-wraps a paragraph at the debugger's 79 columns. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (line && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function moduleName(driver: string): string {
  return driver.replace(/\.sys$/i, '');
}

interface Blame {
  symbol?: string;
  module?: string;
}

/** SYMBOL_NAME / MODULE_NAME: the named driver routine, else the first non-kernel frame. */
function blame(r: BugCheckReport): Blame {
  const driver = r.driver ? moduleName(r.driver) : undefined;
  if (r.routine) {
    if (r.routine.includes('!')) return { symbol: r.routine, module: r.routine.slice(0, r.routine.indexOf('!')) };
    const module = driver ?? 'nt';
    return { symbol: `${module}!${r.routine}`, module };
  }
  const frame = r.stack.find((f) => f.includes('!') && !f.startsWith('nt!')) ?? r.stack[0];
  if (frame?.includes('!')) return { symbol: frame, module: frame.slice(0, frame.indexOf('!')) };
  return { symbol: frame, module: driver };
}

/** Which parameter carries the sub-type WinDbg folds into the bucket name. */
const BUCKET_SUBTYPE_ARG: Readonly<Record<number, number>> = {
  0x19: 0, 0x1e: 0, 0x7f: 0, 0x133: 0, 0xc2: 0, 0xc4: 0, 0xc7: 0, 0xc9: 0, 0xc1: 3,
};

function bucketId(r: BugCheckReport, symbol: string | undefined): string {
  let prefix = hex(r.code);
  const sub = BUCKET_SUBTYPE_ARG[r.code];
  if (sub !== undefined) {
    const v = small(r.args[sub]);
    const rule = r.code === 0xc4 ? ddiRuleName(v) : undefined;
    prefix += `_${rule ?? v.toString(16).toUpperCase()}`;
  }
  const fn = symbol ? symbol.replace(/\+.*$/, '') : 'UNKNOWN';
  return `${prefix}_${fn}`;
}

/** READ_ADDRESS / WRITE_ADDRESS, as the debugger restates the faulting access. */
function accessLine(r: BugCheckReport): string | undefined {
  const [p1, p2, p3] = r.args;
  if (r.code === 0x0a || r.code === 0xd1 || r.code === 0xd3) {
    if ((small(p3) & 8) !== 0) return undefined;
    return `${(small(p3) & 1) !== 0 ? 'WRITE' : 'READ'}_ADDRESS:  ${hex64(p1)}`;
  }
  if (r.code === 0xd5 || r.code === 0xd6) return `${small(p2) === 1 ? 'WRITE' : 'READ'}_ADDRESS:  ${hex64(p1)}`;
  if (r.code === 0x50) {
    const a = small(p2);
    if (a === 0x10) return undefined;
    return `${a === 1 || a === 2 ? 'WRITE' : 'READ'}_ADDRESS:  ${hex64(p1)}`;
  }
  return undefined;
}

function sourceBlock(src: NonNullable<BugCheckReport['source']>): string[] {
  const out = [
    `FAULTING_SOURCE_LINE:  ${src.path}`, '',
    `FAULTING_SOURCE_FILE:  ${src.path}`, '',
    `FAULTING_SOURCE_LINE_NUMBER:  ${src.line}`, '',
  ];
  if (src.text !== undefined) {
    out.push('FAULTING_SOURCE_CODE:  ', `>${String(src.line).padStart(5)}: ${src.text.replace(/\s+$/, '')}`, '');
  }
  return out;
}

/** A `!analyze -v`-style report for one bug check. */
export function formatAnalyze(r: BugCheckReport): string {
  const info = BUG_CHECKS[r.code];
  const texts = explainArgs(r.code, r.args);
  const codeHex = (r.code >>> 0).toString(16);
  const out: string[] = [...BANNER, ''];
  if (info) {
    out.push(`${info.name} (${codeHex})`, ...wrap(info.description));
  } else {
    out.push(`Unknown bugcheck code (${codeHex})`, 'Unknown bugcheck description');
  }
  out.push('Arguments:');
  r.args.forEach((v, i) => out.push(texts[i] ? `Arg${i + 1}: ${hex64(v)}, ${texts[i]}` : `Arg${i + 1}: ${hex64(v)}`));
  out.push('', 'Debugging Details:', '------------------', '');
  out.push(`BUGCHECK_CODE:  ${codeHex}`, '');
  r.args.forEach((v, i) => out.push(`BUGCHECK_P${i + 1}: ${BigInt.asUintN(64, v).toString(16)}`, ''));
  const access = accessLine(r);
  if (access) out.push(access, '');
  out.push('PROCESS_NAME:  System', '');
  out.push(`CURRENT_IRQL:  ${r.irql}`, '');
  out.push(`PROCESSOR:  ${r.cpu}`, '');
  out.push(`SIMULATION_TIME:  ${(r.timeNs / 1e6).toFixed(6)} ms since boot`, '');
  out.push('STACK_TEXT:  ');
  r.stack.forEach((f, i) => out.push(`${String(i).padStart(2, '0')} ${f}`));
  if (r.stack.length === 0) out.push('(no frames)');
  out.push('', '');
  if (r.source) out.push(...sourceBlock(r.source), '');
  const { symbol, module } = blame(r);
  if (symbol) out.push(`SYMBOL_NAME:  ${symbol}`, '');
  if (module) {
    out.push(`MODULE_NAME: ${module}`, '');
    out.push(`IMAGE_NAME:  ${module === 'nt' ? 'ntkrnlmp.exe' : `${module}.sys`}`, '');
  }
  out.push(`FAILURE_BUCKET_ID:  ${bucketId(r, symbol)}`, '');
  if (r.reason) out.push(`SIMULATION_NOTE:  ${r.reason.replace(/\s*\n\s*/g, ' ')}`, '');
  out.push('Followup:     MachineOwner', '---------', '');
  return out.join('\n');
}
