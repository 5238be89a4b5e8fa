// IRQL requirements of the DDIs the simulated headers declare (KERNEL_MODEL §6, §4, §2.3,
// §3.6), and the Driver Verifier violations a wrong-IRQL call produces (§1.2, §5.2).
// Pure data + functions: nt/ asks "may this DDI run here?" before running it, and calls the
// argument-aware builders below for the cases one number cannot decide.

export const PASSIVE_LEVEL = 0;
export const APC_LEVEL = 1;
export const DISPATCH_LEVEL = 2;
/** Highest device IRQL (§1.1: treat 3–12 as the legal DIRQL range). */
export const DIRQL_MAX = 12;
export const SYNCH_LEVEL = 12;
export const CLOCK_LEVEL = 13;
export const IPI_LEVEL = 14;
export const HIGH_LEVEL = 15;

/** Bug check code used for every API-level violation (§5.2). */
export const DRIVER_VERIFIER_DETECTED_VIOLATION = 0xc4;
export const ATTEMPTED_SWITCH_FROM_DPC = 0xb8;
/** 0xC4 sub-code "kernel API called at the wrong IRQL", for DDIs without a dedicated one. */
export const C4_WRONG_IRQL = 0xe5;

export interface IrqlRule {
  /** Highest IRQL the caller may run at. */
  max: number;
  /** Lowest IRQL the caller must already be at (DISPATCH-only DDIs). */
  min?: number;
  /** The documented requirement, as the WDK page states it. */
  doc: string;
  /** A dedicated 0xC4 sub-code (§5.2) when Verifier has one for this DDI. */
  violation?: { p1: number };
}

export type BugCheckArgs = [bigint, bigint, bigint, bigint];

export interface Violation {
  code: number;
  args: BugCheckArgs;
  message: string;
}

// Rule shapes. Most DDIs fall in one of these documented classes.
const rule = (max: number, doc: string, p1?: number, min?: number): IrqlRule => {
  const r: IrqlRule = { max, doc };
  if (min !== undefined) r.min = min;
  if (p1 !== undefined) r.violation = { p1 };
  return r;
};
const anyLevel = (): IrqlRule => rule(HIGH_LEVEL, 'Any level');
const passive = (p1?: number): IrqlRule => rule(PASSIVE_LEVEL, 'PASSIVE_LEVEL', p1);
const leApc = (p1?: number): IrqlRule => rule(APC_LEVEL, '<= APC_LEVEL', p1);
const leDispatch = (p1?: number): IrqlRule => rule(DISPATCH_LEVEL, '<= DISPATCH_LEVEL', p1);
const atDispatch = (p1?: number): IrqlRule => rule(DISPATCH_LEVEL, 'DISPATCH_LEVEL', p1, DISPATCH_LEVEL);
const geDispatch = (p1?: number): IrqlRule => rule(HIGH_LEVEL, '>= DISPATCH_LEVEL', p1, DISPATCH_LEVEL);
const leDirql = (doc = '<= DIRQL'): IrqlRule => rule(DIRQL_MAX, doc);

/** Applies one rule to many names (register/port accessors, C library, Interlocked*). */
function each(names: string[], make: () => IrqlRule): Record<string, IrqlRule> {
  const out: Record<string, IrqlRule> = {};
  for (const n of names) out[n] = make();
  return out;
}

const SIZES = ['UCHAR', 'USHORT', 'ULONG', 'ULONG64'];
const PORT_SIZES = ['UCHAR', 'USHORT', 'ULONG'];
const HAL_ACCESSORS = [
  ...SIZES.flatMap((s) => [`READ_REGISTER_${s}`, `READ_REGISTER_BUFFER_${s}`, `WRITE_REGISTER_${s}`, `WRITE_REGISTER_BUFFER_${s}`]),
  ...PORT_SIZES.flatMap((s) => [`READ_PORT_${s}`, `READ_PORT_BUFFER_${s}`, `WRITE_PORT_${s}`, `WRITE_PORT_BUFFER_${s}`]),
];

// Hosted C library routines have no IRQL of their own: they touch only the memory they are
// given, so the paging rules (§1.2) decide, not the call itself.
const C_LIBRARY = [
  'memcpy', 'memmove', 'memset', 'memcmp', 'memchr', 'strlen', 'strnlen', 'strcpy', 'strncpy', 'strcat',
  'strncat', 'strcmp', 'strncmp', 'strchr', 'strrchr', 'strstr', 'strspn', 'strcspn', 'strpbrk', 'strtok',
  'strerror', '_strdup', '_stricmp', '_strnicmp', 'wcslen', 'wcsnlen', 'wcscpy', 'wcsncpy', 'wcscat',
  'wcscmp', 'wcsncmp', 'wcschr', 'wcsrchr', 'wcsstr', '_wcsicmp', '__fastfail',
];

const INTERLOCKED = ['', '64'].flatMap((w) =>
  ['Increment', 'Decrement', 'Exchange', 'ExchangeAdd', 'CompareExchange', 'Or', 'And', 'Xor'].map((op) => `Interlocked${op}${w}`),
);

/**
 * Documented req.irql of every DDI the simulated headers declare. Built without a prototype
 * so a lookup of e.g. "toString" finds nothing.
 */
export const DDI_IRQL: Readonly<Record<string, IrqlRule>> = Object.assign(Object.create(null) as Record<string, IrqlRule>, {
  // §1.2 / §6: raise and lower are legal anywhere; their *arguments* are checked by
  // raiseIrqlViolation / lowerIrqlViolation (0xC4/0x30, 0x31).
  KeGetCurrentIrql: anyLevel(),
  KfRaiseIrql: rule(HIGH_LEVEL, 'Any level (NewIrql >= current)', 0x30),
  KeLowerIrql: rule(HIGH_LEVEL, 'Any level (NewIrql <= current, from the matching raise)', 0x31),
  KeRaiseIrqlToDpcLevel: leDispatch(),
  KeRaiseIrqlToSynchLevel: rule(SYNCH_LEVEL, '<= SYNCH_LEVEL'),

  // §4 spin locks. KeAcquireSpinLock is a macro over KeAcquireSpinLockRaiseToDpc on x64.
  KeInitializeSpinLock: anyLevel(),
  KeAcquireSpinLockRaiseToDpc: leDispatch(0x42),
  KeReleaseSpinLock: atDispatch(0x32),
  KeAcquireSpinLockAtDpcLevel: geDispatch(0x40),
  // Documented as DISPATCH_LEVEL, but it must accept whatever IRQL the matching AtDpcLevel
  // acquire did, so only the lower bound (0x41) is enforced.
  KeReleaseSpinLockFromDpcLevel: rule(HIGH_LEVEL, 'DISPATCH_LEVEL', 0x41, DISPATCH_LEVEL),
  KeTryToAcquireSpinLockAtDpcLevel: geDispatch(),
  KeAcquireInStackQueuedSpinLock: leDispatch(),
  KeReleaseInStackQueuedSpinLock: atDispatch(),
  KeAcquireInStackQueuedSpinLockAtDpcLevel: geDispatch(),
  KeReleaseInStackQueuedSpinLockFromDpcLevel: geDispatch(),

  // §2.3 DPC objects.
  KeInitializeDpc: anyLevel(),
  KeInitializeThreadedDpc: anyLevel(),
  KeInsertQueueDpc: anyLevel(),
  KeRemoveQueueDpc: anyLevel(),
  KeFlushQueuedDpcs: passive(),
  KeSetImportanceDpc: anyLevel(),
  KeSetTargetProcessorDpc: anyLevel(),
  KeSetTargetProcessorDpcEx: anyLevel(),
  KeIsExecutingDpc: anyLevel(),
  // §2.3: only meaningful inside a DPC (STATUS_UNSUCCESSFUL elsewhere), so no lower bound.
  KeQueryDpcWatchdogInformation: rule(DISPATCH_LEVEL, 'DISPATCH_LEVEL'),

  // §3.6 synchronising with the ISR: legal up to the interrupt's SynchronizeIrql.
  KeSynchronizeExecution: leDirql('<= DIRQL (the interrupt\'s SynchronizeIrql)'),
  KeAcquireInterruptSpinLock: leDirql('<= DIRQL (the interrupt\'s SynchronizeIrql)'),
  KeReleaseInterruptSpinLock: leDirql('DIRQL (the interrupt\'s SynchronizeIrql)'),

  // §6 dispatcher objects. KeSetEvent/KeReleaseSemaphore with Wait=TRUE need <= APC_LEVEL:
  // see setEventViolation.
  KeInitializeEvent: anyLevel(),
  KeSetEvent: rule(DISPATCH_LEVEL, '<= DISPATCH_LEVEL (Wait=TRUE: <= APC_LEVEL)', 0x80),
  KeClearEvent: leDispatch(),
  KeResetEvent: leDispatch(),
  KeReadStateEvent: leDispatch(),
  KeInitializeSemaphore: anyLevel(),
  KeReleaseSemaphore: rule(DISPATCH_LEVEL, '<= DISPATCH_LEVEL (Wait=TRUE: <= APC_LEVEL)'),
  KeReadStateSemaphore: leDispatch(),
  // §6: <= DISPATCH only with a zero timeout; the timeout is checked by waitViolation.
  KeWaitForSingleObject: rule(DISPATCH_LEVEL, '<= DISPATCH_LEVEL (DISPATCH_LEVEL only with a zero timeout)'),
  KeWaitForMultipleObjects: rule(DISPATCH_LEVEL, '<= DISPATCH_LEVEL (DISPATCH_LEVEL only with a zero timeout)'),
  KeDelayExecutionThread: leApc(),

  // §6 timers.
  KeInitializeTimer: leDispatch(),
  KeInitializeTimerEx: leDispatch(),
  KeSetTimer: leDispatch(),
  KeSetTimerEx: leDispatch(),
  KeCancelTimer: leDispatch(),
  KeReadStateTimer: leDispatch(),

  // Device queues (StartIo machinery): insert/remove are DISPATCH-only per the WDK pages.
  KeInitializeDeviceQueue: leDispatch(),
  KeInsertDeviceQueue: atDispatch(),
  KeInsertByKeyDeviceQueue: atDispatch(),
  KeRemoveDeviceQueue: atDispatch(),
  KeRemoveByKeyDeviceQueue: atDispatch(),
  KeRemoveEntryDeviceQueue: leDispatch(),

  // Processor and thread queries.
  KeGetCurrentProcessorNumberEx: anyLevel(),
  KeGetCurrentProcessorNumber: anyLevel(),
  KeQueryActiveProcessorCount: anyLevel(),
  KeQueryActiveProcessorCountEx: anyLevel(),
  KeQueryActiveProcessors: anyLevel(),
  KeGetCurrentThread: anyLevel(),
  KeEnterCriticalRegion: leApc(0x11a),
  KeLeaveCriticalRegion: leApc(0x11b),
  KeSetPriorityThread: passive(),
  KeSetSystemAffinityThreadEx: leApc(),
  KeRevertToUserAffinityThreadEx: leApc(),
  PsGetCurrentThread: anyLevel(),
  PsGetCurrentProcessId: anyLevel(),
  PsGetCurrentThreadId: anyLevel(),
  PsGetVersion: passive(),
  PsCreateSystemThread: passive(),
  PsTerminateSystemThread: passive(),

  // §6 time.
  KeQueryInterruptTime: anyLevel(),
  KeQueryTickCount: anyLevel(),
  KeQueryTimeIncrement: anyLevel(),
  KeQuerySystemTime: anyLevel(),
  KeQuerySystemTimePrecise: anyLevel(),
  KeQueryPerformanceCounter: anyLevel(),
  KeStallExecutionProcessor: anyLevel(),

  KeBugCheckEx: anyLevel(),
  KeBugCheck: anyLevel(),
  ...each(C_LIBRARY, anyLevel),

  // Rtl string helpers: the Init/Copy/Append family works on caller buffers (<= DISPATCH if
  // resident); conversions and case-insensitive compares use pageable tables (PASSIVE).
  RtlCompareMemory: anyLevel(),
  RtlInitUnicodeString: leDispatch(),
  RtlInitAnsiString: leDispatch(),
  RtlCopyUnicodeString: leDispatch(),
  RtlAppendUnicodeStringToString: leDispatch(),
  RtlAppendUnicodeToString: leDispatch(),
  RtlEqualUnicodeString: passive(),
  RtlCompareUnicodeString: passive(),
  RtlUnicodeStringToAnsiString: passive(),
  RtlAnsiStringToUnicodeString: passive(),
  RtlFreeUnicodeString: passive(),
  RtlFreeAnsiString: passive(),
  RtlIntegerToUnicodeString: passive(),
  RtlUnicodeStringToInteger: passive(),

  // §1.2 / §6: DbgPrint is allowed up to DIRQL (above it the debugger's IPIs can deadlock).
  DbgPrint: leDirql(),
  DbgPrintEx: leDirql(),
  vDbgPrintEx: leDirql(),
  DbgBreakPoint: anyLevel(),
  DbgBreakPointWithStatus: anyLevel(),
  RtlAssert: anyLevel(),
  // PAGED_CODE(): the routine lives in a pageable section (§1.2: no paging above APC_LEVEL).
  KdsimPagedCode: leApc(),

  // §6 pool; the pool type decides the rest (poolAllocViolation / poolFreeViolation).
  ExAllocatePool2: leDispatch(0x02),
  ExAllocatePoolWithTag: leDispatch(0x02),
  ExFreePoolWithTag: leDispatch(0x12),
  ExFreePool: leDispatch(0x12),
  ExAcquireFastMutex: leApc(0x33),
  ExTryToAcquireFastMutex: leApc(0x33),
  ExReleaseFastMutex: rule(APC_LEVEL, 'APC_LEVEL', 0x34, APC_LEVEL),
  ExGetPreviousMode: anyLevel(),

  ...each(INTERLOCKED, anyLevel),
  InterlockedExchangePointer: anyLevel(),
  InterlockedCompareExchangePointer: anyLevel(),
  KeMemoryBarrier: anyLevel(),
  // §4: "Any level (see remarks)" — they raise internally while holding the supplied lock.
  ...each(['ExInterlockedInsertHeadList', 'ExInterlockedInsertTailList', 'ExInterlockedRemoveHeadList',
    'ExInterlockedPushEntryList', 'ExInterlockedPopEntryList'], anyLevel),

  // Memory manager (§5.2 0x70–0x7B give the dedicated sub-codes).
  MmBuildMdlForNonPagedPool: leDispatch(),
  MmProbeAndLockPages: rule(DISPATCH_LEVEL, '<= DISPATCH_LEVEL (<= APC_LEVEL for pageable buffers)', 0x70),
  MmUnlockPages: leDispatch(0x78),
  MmMapLockedPagesSpecifyCache: rule(DISPATCH_LEVEL, '<= DISPATCH_LEVEL (UserMode: <= APC_LEVEL)', 0x76),
  MmUnmapLockedPages: rule(DISPATCH_LEVEL, '<= DISPATCH_LEVEL (UserMode: <= APC_LEVEL)', 0x79),
  MmMapIoSpace: leDispatch(0x73),
  MmMapIoSpaceEx: leDispatch(),
  MmUnmapIoSpace: leDispatch(0x7b),
  MmGetPhysicalAddress: anyLevel(),
  MmIsAddressValid: leDispatch(),
  MmLockPagableDataSection: leApc(),
  MmUnlockPagableImageSection: leApc(),

  // §6 I/O manager.
  IofCompleteRequest: leDispatch(),
  IofCallDriver: leDispatch(),
  IoForwardIrpSynchronously: passive(),
  IoStartPacket: leDispatch(),
  IoStartNextPacket: atDispatch(),
  IoStartNextPacketByKey: leDispatch(),
  IoAcquireCancelSpinLock: leDispatch(),
  IoReleaseCancelSpinLock: atDispatch(),
  IoCancelIrp: leDispatch(),
  IoCreateDevice: leApc(),
  IoDeleteDevice: leApc(),
  IoAttachDeviceToDeviceStack: leDispatch(),
  IoDetachDevice: passive(),
  IoCreateSymbolicLink: passive(),
  IoDeleteSymbolicLink: passive(),
  IoGetDeviceObjectPointer: passive(),
  IoGetAttachedDeviceReference: leDispatch(),
  IoGetDeviceProperty: passive(),
  IoInvalidateDeviceRelations: leDispatch(),
  IoInvalidateDeviceState: leDispatch(),
  IoRegisterDeviceInterface: passive(),
  IoSetDeviceInterfaceState: passive(),
  IoIsWdmVersionAvailable: anyLevel(),
  IoGetCurrentProcess: leDispatch(),
  // §3.1, §3.6: connecting and disconnecting interrupts is PASSIVE-only.
  IoConnectInterrupt: passive(),
  IoConnectInterruptEx: passive(),
  IoDisconnectInterrupt: passive(),
  IoDisconnectInterruptEx: passive(),
  IoAllocateIrp: leDispatch(),
  IoFreeIrp: leDispatch(),
  IoReuseIrp: leDispatch(),
  IoInitializeIrp: leDispatch(),
  IoBuildDeviceIoControlRequest: passive(),
  IoBuildSynchronousFsdRequest: passive(),
  IoAllocateMdl: leDispatch(),
  IoFreeMdl: leDispatch(),
  IoAllocateWorkItem: leDispatch(),
  IoQueueWorkItem: leDispatch(),
  IoQueueWorkItemEx: leDispatch(),
  IoFreeWorkItem: leDispatch(),
  IoInitializeTimer: passive(),
  IoStartTimer: leDispatch(),
  IoStopTimer: leDispatch(),
  IoInitializeRemoveLockEx: passive(),
  IoAcquireRemoveLockEx: leDispatch(),
  IoReleaseRemoveLockEx: leDispatch(),
  IoReleaseRemoveLockAndWaitEx: passive(),
  PoStartNextPowerIrp: leDispatch(),
  PoCallDriver: leDispatch(),
  PoSetPowerState: leDispatch(),
  PoRequestPowerIrp: leDispatch(),

  // §6 HAL: register and port accessors work at any IRQL (the ISR's bread and butter).
  ...each(HAL_ACCESSORS, anyLevel),

  ObReferenceObjectByHandle: passive(),
  ObReferenceObjectByPointer: leDispatch(),
  ObfReferenceObject: leDispatch(),
  ObfDereferenceObject: leDispatch(),
  ZwClose: passive(),
} satisfies Record<string, IrqlRule>);

/** The rule for a DDI, or undefined when the table has none. */
export function ddiRule(ddi: string): IrqlRule | undefined {
  return Object.prototype.hasOwnProperty.call(DDI_IRQL, ddi) ? DDI_IRQL[ddi] : undefined;
}

/** WinDbg's name for an IRQL on x64 (§1.1). */
export function irqlName(n: number): string {
  switch (n) {
    case PASSIVE_LEVEL: return 'PASSIVE_LEVEL';
    case APC_LEVEL: return 'APC_LEVEL';
    case DISPATCH_LEVEL: return 'DISPATCH_LEVEL';
    case SYNCH_LEVEL: return 'SYNCH_LEVEL';
    case CLOCK_LEVEL: return 'CLOCK_LEVEL';
    case IPI_LEVEL: return 'IPI_LEVEL';
    case HIGH_LEVEL: return 'HIGH_LEVEL';
    default: return n > DISPATCH_LEVEL && n < SYNCH_LEVEL ? 'DIRQL' : `invalid IRQL ${n}`;
  }
}

function at(irql: number): string {
  return `IRQL ${irql} (${irqlName(irql)})`;
}

function big(v: number | bigint): bigint {
  return typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt.asUintN(64, BigInt(Math.trunc(v)));
}

function c4(p1: number, p2: number | bigint, p3: number | bigint, p4: number | bigint, message: string): Violation {
  return { code: DRIVER_VERIFIER_DETECTED_VIOLATION, args: [big(p1), big(p2), big(p3), big(p4)], message };
}

/**
 * The plain max/min rule: undefined when `irql` satisfies the DDI's documented requirement
 * (or the DDI has no rule). Violations use the DDI's dedicated 0xC4 sub-code with P2 = the
 * current IRQL, else the generic 0xE5 (§5.2); the other parameters need the DDI's arguments,
 * which the builders below take.
 */
export function checkIrql(ddi: string, irql: number): Violation | undefined {
  const r = ddiRule(ddi);
  if (!r) return undefined;
  if (irql <= r.max && (r.min === undefined || irql >= r.min)) return undefined;
  const p1 = r.violation?.p1 ?? C4_WRONG_IRQL;
  return c4(p1, irql, 0, 0, `${ddi} called at ${at(irql)}; it requires ${r.doc}`);
}

/** KeRaiseIrql/KfRaiseIrql: the new IRQL must be >= current and <= HIGH_LEVEL (§1.2, 0x30). */
export function raiseIrqlViolation(cur: number, req: number): Violation | undefined {
  if (req >= cur && req <= HIGH_LEVEL) return undefined;
  const why = req > HIGH_LEVEL ? 'above HIGH_LEVEL' : 'lower than the current IRQL';
  return c4(0x30, cur, req, 0, `KeRaiseIrql to IRQL ${req} from ${at(cur)}: the new IRQL is ${why}`);
}

/**
 * KeLowerIrql: the new IRQL must be <= current and <= HIGH_LEVEL (P4 = 0); inside a DPC
 * routine it must not drop below DISPATCH_LEVEL (P4 = 1) (§1.2, 0x31).
 */
export function lowerIrqlViolation(cur: number, req: number, inDpc: boolean): Violation | undefined {
  if (req > cur || req > HIGH_LEVEL) {
    const why = req > HIGH_LEVEL ? 'above HIGH_LEVEL' : 'higher than the current IRQL';
    return c4(0x31, cur, req, 0, `KeLowerIrql to IRQL ${req} from ${at(cur)}: the new IRQL is ${why}`);
  }
  if (inDpc && req < DISPATCH_LEVEL) {
    return c4(0x31, cur, req, 1, `KeLowerIrql to ${at(req)} inside a DPC routine, which must stay at DISPATCH_LEVEL`);
  }
  return undefined;
}

/** KeReleaseSpinLock must run at DISPATCH_LEVEL; anything else is usually a double release (§4, 0x32). */
export function releaseSpinLockViolation(cur: number, lock: number | bigint): Violation | undefined {
  if (cur === DISPATCH_LEVEL) return undefined;
  return c4(0x32, cur, lock, 0, `KeReleaseSpinLock called at ${at(cur)}; it requires DISPATCH_LEVEL (double release?)`);
}

/** KeAcquireSpinLockAtDpcLevel (0x40) / KeReleaseSpinLockFromDpcLevel (0x41) below DISPATCH_LEVEL (§4). */
export function spinLockAtDpcViolation(acquire: boolean, cur: number, lock: number | bigint): Violation | undefined {
  if (cur >= DISPATCH_LEVEL) return undefined;
  const ddi = acquire ? 'KeAcquireSpinLockAtDpcLevel' : 'KeReleaseSpinLockFromDpcLevel';
  return c4(acquire ? 0x40 : 0x41, cur, lock, 0, `${ddi} called at ${at(cur)}; it requires DISPATCH_LEVEL or above`);
}

/** KeAcquireSpinLock above DISPATCH_LEVEL would *lower* the IRQL on release (§4, 0x42). */
export function acquireSpinLockAboveDispatch(cur: number, lock: number | bigint): Violation | undefined {
  if (cur <= DISPATCH_LEVEL) return undefined;
  return c4(0x42, cur, lock, 0, `KeAcquireSpinLock called at ${at(cur)}; it requires <= DISPATCH_LEVEL`);
}

/**
 * KeWaitForSingleObject / KeWaitForMultipleObjects (§1.2, §6, §5.1 0xB8, §5.2 0x120–0x122).
 * `timeoutPtr` is the Timeout pointer (0 = NULL = wait forever); `timeout` is *Timeout when the
 * pointer is not NULL (omitted = treated as non-zero). A zero timeout never blocks, so it is
 * legal at DISPATCH_LEVEL and inside a DPC. A blocking wait from a DPC routine is the context
 * switch 0xB8 reports (thread arguments unknown here: 0). Otherwise Verifier's 0xC4 sub-codes
 * apply; Windows passes the *address* of the IRQL in P2, kdsim passes the IRQL itself.
 */
export function waitViolation(
  cur: number,
  object: number | bigint,
  timeoutPtr: number | bigint,
  inDpc: boolean,
  timeout?: bigint,
): Violation | undefined {
  const isNull = big(timeoutPtr) === 0n;
  const zero = !isNull && timeout === 0n;
  if (zero && cur <= DISPATCH_LEVEL) return undefined;
  if (inDpc && !zero) {
    return {
      code: ATTEMPTED_SWITCH_FROM_DPC,
      args: [0n, 0n, 0n, 0n],
      message: `a wait with ${isNull ? 'no (infinite)' : 'a non-zero'} timeout from a DPC routine would switch threads`,
    };
  }
  if (cur < DISPATCH_LEVEL) return undefined;
  if (cur > DISPATCH_LEVEL) {
    return c4(0x120, cur, object, timeoutPtr, `wait on a dispatcher object at ${at(cur)}; waits require <= DISPATCH_LEVEL`);
  }
  if (isNull) {
    return c4(0x121, cur, object, timeoutPtr, 'wait at DISPATCH_LEVEL with a NULL (infinite) timeout; only a zero timeout is allowed there');
  }
  return c4(0x122, cur, object, timeoutPtr, 'wait at DISPATCH_LEVEL with a non-zero timeout; only a zero timeout is allowed there');
}

/** KeSetEvent: <= DISPATCH_LEVEL (0xC4/0x80); with Wait=TRUE <= APC_LEVEL (DDI rule IrqlKeSetEvent, 0x20016). */
export function setEventViolation(cur: number, event: number | bigint, wait: boolean): Violation | undefined {
  if (cur > DISPATCH_LEVEL) return c4(0x80, cur, event, 0, `KeSetEvent called at ${at(cur)}; it requires <= DISPATCH_LEVEL`);
  if (wait && cur > APC_LEVEL) {
    return c4(0x20016, 0, 0, 0, `KeSetEvent with Wait=TRUE called at ${at(cur)}; Wait=TRUE requires <= APC_LEVEL`);
  }
  return undefined;
}

/** POOL_TYPE values the pool checks need (wdm.h). Session (+32) and NX (+512) variants share the base's pageability. */
export const POOL_TYPE = { NonPagedPool: 0, PagedPool: 1, NonPagedPoolNx: 512 } as const;

/** True for PagedPool, PagedPoolCacheAligned and their session variants. */
export function isPagedPoolType(poolType: number): boolean {
  const base = poolType & 0x1f;
  return base === 1 || base === 5;
}

/** ExAllocatePool*: paged above APC_LEVEL (0x01), nonpaged above DISPATCH_LEVEL (0x02), zero bytes (0x00) (§5.2). */
export function poolAllocViolation(cur: number, poolType: number, size: number | bigint): Violation | undefined {
  const paged = isPagedPoolType(poolType);
  if (paged && cur > APC_LEVEL) {
    return c4(0x01, cur, poolType, size, `paged pool allocation at ${at(cur)}; paged pool requires <= APC_LEVEL`);
  }
  if (!paged && cur > DISPATCH_LEVEL) {
    return c4(0x02, cur, poolType, size, `nonpaged pool allocation at ${at(cur)}; it requires <= DISPATCH_LEVEL`);
  }
  if (big(size) === 0n) return c4(0x00, cur, poolType, 0, 'zero-byte pool allocation');
  return undefined;
}

/** ExFreePool*: paged memory above APC_LEVEL (0x11), nonpaged above DISPATCH_LEVEL (0x12) (§5.2). */
export function poolFreeViolation(cur: number, poolType: number, addr: number | bigint): Violation | undefined {
  const paged = isPagedPoolType(poolType);
  if (paged && cur > APC_LEVEL) {
    return c4(0x11, cur, poolType, addr, `paged pool freed at ${at(cur)}; paged pool requires <= APC_LEVEL`);
  }
  if (!paged && cur > DISPATCH_LEVEL) {
    return c4(0x12, cur, poolType, addr, `nonpaged pool freed at ${at(cur)}; it requires <= DISPATCH_LEVEL`);
  }
  return undefined;
}
