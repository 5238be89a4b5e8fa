// Sub-code tables of the bug checks whose Parameter 1 (0xC1: Parameter 4) selects the kind of
// failure: what each sub-code means and what its other parameters hold. Texts follow the
// bug-check reference pages (KERNEL_MODEL §5.2 for 0xC4), reworded to one line each.

export interface SubCode {
  /** One-line description of the violation (what `!analyze` prints for the selecting parameter). */
  what: string;
  /** Meaning of the three other parameters, in order (for 0xC4: P2, P3, P4). */
  args: [string, string, string];
}

const sc = (what: string, a: string, b: string, c: string): SubCode => ({ what, args: [a, b, c] });

const IRQL = 'current IRQL';
const RSV = 'reserved';
const MDL = 'address of the MDL';
const FLAGS = 'MDL flags';
const POOL_DV = ' (Pool Tracking only)';
const LOCKDEP = ' (Deadlock Detection)';

/** Driver Verifier 0xC4 sub-codes (§5.2 plus the rest of the 0xC4 reference table up to 0x140). */
export const C4_SUBCODES: Readonly<Record<number, SubCode>> = {
  // Pool (§5.2).
  0x00: sc('The driver requested a zero-byte pool allocation.', IRQL, 'pool type', 'number of bytes requested'),
  0x01: sc('The driver allocated paged pool at IRQL > APC_LEVEL.', IRQL, 'pool type', 'size of the allocation, in bytes'),
  0x02: sc('The driver allocated nonpaged pool at IRQL > DISPATCH_LEVEL.', IRQL, 'pool type', 'size of the allocation, in bytes'),
  0x10: sc('The driver freed an address that no allocation returned.', 'bad address', '0', '0'),
  0x11: sc('The driver freed paged pool at IRQL > APC_LEVEL.', IRQL, 'pool type', 'address of the pool block'),
  0x12: sc('The driver freed nonpaged pool at IRQL > DISPATCH_LEVEL.', IRQL, 'pool type', 'address of the pool block'),
  0x13: sc('The driver freed pool that was already freed.', RSV, 'address of the pool header', 'pool header contents'),
  0x14: sc('The driver freed pool that was already freed.', RSV, 'address of the pool header', 'pool header contents'),
  0x15: sc('The driver freed pool that still contains an active timer.', 'address of the timer', 'pool type', 'address of the pool block being freed'),
  0x16: sc('The driver freed pool at a bad address, or passed bad parameters to a memory routine.', RSV, 'pool address', '0'),

  // IRQL, spin locks, mutexes (§1.2, §4).
  0x30: sc('KeRaiseIrql was given an IRQL lower than the current one or above HIGH_LEVEL (uninitialized variable?).', IRQL, 'requested IRQL', '0'),
  0x31: sc('KeLowerIrql was given an IRQL higher than the current one or above HIGH_LEVEL, or one invalid inside a DPC routine.', IRQL, 'requested IRQL', '0 = new IRQL is bad, 1 = new IRQL is invalid inside a DPC routine'),
  0x32: sc('KeReleaseSpinLock was called at an IRQL other than DISPATCH_LEVEL (a double release?).', IRQL, 'address of the spin lock', '0'),
  0x33: sc('The driver acquired a fast mutex at IRQL > APC_LEVEL.', IRQL, 'address of the fast mutex', '0'),
  0x34: sc('The driver released a fast mutex at an IRQL other than APC_LEVEL.', IRQL, 'address of the fast mutex', '0'),
  0x35: sc('The kernel released a spin lock at an IRQL other than DISPATCH_LEVEL.', IRQL, 'address of the spin lock', 'old IRQL'),
  0x36: sc('The kernel released a queued spin lock at an IRQL other than DISPATCH_LEVEL.', IRQL, 'spin lock number', 'old IRQL'),
  0x37: sc('The driver acquired a resource without disabling APCs.', IRQL, 'thread APC disable count', 'address of the resource'),
  0x38: sc('The driver released a resource without APCs disabled.', IRQL, 'thread APC disable count', 'address of the resource'),
  0x39: sc('The driver acquired a mutex "unsafe" at an IRQL other than APC_LEVEL.', IRQL, 'thread APC disable count', 'address of the mutex'),
  0x3a: sc('The driver released a mutex "unsafe" at an IRQL other than APC_LEVEL.', IRQL, 'thread APC disable count', 'address of the mutex'),
  0x3b: sc('KeWaitXxx was called at IRQL >= DISPATCH_LEVEL.', IRQL, 'address of the object waited on', 'timeout'),
  0x3c: sc('ObReferenceObjectByHandle was given a bad handle.', 'handle', 'object type', '0'),
  0x3d: sc('The driver passed a bad (unaligned) resource to ExAcquireResourceExclusive.', '0', '0', 'address of the resource'),
  0x3e: sc('KeLeaveCriticalRegion was called by a thread that is not in a critical region.', '0', '0', '0'),
  0x3f: sc('The driver referenced or dereferenced an object whose reference count is zero.', 'address of the object', 'new reference count (-1: dereference, 1: reference)', '0'),
  0x40: sc('KeAcquireSpinLockAtDpcLevel was called at IRQL < DISPATCH_LEVEL.', IRQL, 'address of the spin lock', '0'),
  0x41: sc('KeReleaseSpinLockFromDpcLevel was called at IRQL < DISPATCH_LEVEL.', IRQL, 'address of the spin lock', '0'),
  0x42: sc('KeAcquireSpinLock was called at IRQL > DISPATCH_LEVEL.', IRQL, 'address of the spin lock', '0'),

  // Pool tracking (written past the end, leaks on unload).
  0x51: sc(`The driver freed memory after writing past the end of the allocation${POOL_DV}.`, 'base address of the allocation', 'address of the reference beyond the allocation', 'number of charged bytes'),
  0x52: sc(`The driver freed memory after writing past the end of the allocation${POOL_DV}.`, 'base address of the allocation', RSV, 'number of charged bytes'),
  0x53: sc(`The driver freed memory after writing past the end of the allocation${POOL_DV}.`, 'base address of the allocation', RSV, RSV),
  0x54: sc(`The driver freed memory after writing past the end of the allocation${POOL_DV}.`, 'base address of the allocation', RSV, RSV),
  0x59: sc(`The driver freed memory after writing past the end of the allocation${POOL_DV}.`, 'base address of the allocation', RSV, RSV),
  0x60: sc(`The driver is unloading without freeing its pool allocations${POOL_DV}.`, 'bytes allocated from paged pool', 'bytes allocated from nonpaged pool', 'number of allocations not freed'),
  0x61: sc(`A driver thread allocated pool while the driver was unloading${POOL_DV}.`, 'bytes allocated from paged pool', 'bytes allocated from nonpaged pool', 'number of allocations not freed'),
  0x62: sc(`The driver is unloading without freeing its pool allocations${POOL_DV}.`, 'name of the driver', RSV, 'number of allocations not freed (paged and nonpaged)'),

  // MDLs and mappings.
  0x70: sc('MmProbeAndLockPages was called at IRQL > DISPATCH_LEVEL.', IRQL, MDL, 'access mode'),
  0x71: sc('MmProbeAndLockProcessPages was called at IRQL > DISPATCH_LEVEL.', IRQL, MDL, 'address of the process'),
  0x72: sc('MmProbeAndLockSelectedPages was called at IRQL > DISPATCH_LEVEL.', IRQL, MDL, 'address of the process'),
  0x73: sc('MmMapIoSpace was called at IRQL > DISPATCH_LEVEL.', IRQL, 'physical address', 'number of bytes'),
  0x74: sc('MmMapLockedPages (kernel mode) was called at IRQL > DISPATCH_LEVEL.', IRQL, MDL, 'access mode'),
  0x75: sc('MmMapLockedPages (user mode) was called at IRQL > APC_LEVEL.', IRQL, MDL, 'access mode'),
  0x76: sc('MmMapLockedPagesSpecifyCache (kernel mode) was called at IRQL > DISPATCH_LEVEL.', IRQL, MDL, 'access mode'),
  0x77: sc('MmMapLockedPagesSpecifyCache (user mode) was called at IRQL > APC_LEVEL.', IRQL, MDL, 'access mode'),
  0x78: sc('MmUnlockPages was called at IRQL > DISPATCH_LEVEL.', IRQL, MDL, '0'),
  0x79: sc('MmUnmapLockedPages (kernel mode) was called at IRQL > DISPATCH_LEVEL.', IRQL, 'virtual address being unmapped', MDL),
  0x7a: sc('MmUnmapLockedPages (user mode) was called at IRQL > APC_LEVEL.', IRQL, 'virtual address being unmapped', MDL),
  0x7b: sc('MmUnmapIoSpace was called at too high an IRQL.', IRQL, 'virtual address being unmapped', 'number of bytes'),
  0x7c: sc('MmUnlockPages was given an MDL whose pages were never locked.', MDL, FLAGS, '0'),
  0x7d: sc('MmUnlockPages was given an MDL whose pages come from nonpaged pool.', MDL, FLAGS, '0'),
  0x7e: sc('MmAllocatePagesForMdl(Ex) or MmFreePagesFromMdl was called at IRQL > DISPATCH_LEVEL.', IRQL, 'DISPATCH_LEVEL', '0'),
  0x7f: sc('MmBuildMdlForNonPagedPool was given an MDL whose pages are from paged pool.', IRQL, MDL, FLAGS),
  0x80: sc('KeSetEvent was called at IRQL > DISPATCH_LEVEL.', IRQL, 'address of the event', '0'),
  0x81: sc('The driver called MmMapLockedPages (use MmMapLockedPagesSpecifyCache with BugCheckOnFailure = FALSE).', MDL, FLAGS, '0'),
  0x82: sc('MmMapLockedPagesSpecifyCache was called with BugCheckOnFailure = TRUE.', MDL, FLAGS, '0'),
  0x83: sc('MmMapIoSpace was called for pages that are not locked down.', 'start of the physical range', 'number of bytes', 'first page frame that is not locked'),
  0x85: sc('MmMapLockedPages was called for an MDL whose pages are not locked down.', MDL, 'number of pages to map', 'first page frame that is not locked'),
  0x89: sc('An MDL not marked as I/O contains non-memory pages.', MDL, 'pointer to the non-memory page in the MDL', 'the non-memory page number'),
  0x91: sc('The driver switched stacks in an unsupported way (use KeExpandKernelStackAndCallout).', RSV, RSV, RSV),
  0xa0: sc('Disk integrity checking found a CRC error on a sector.', 'IRP of the read or write', 'lower device object', 'sector number'),
  0xa1: sc('Disk integrity checking found a CRC error on a sector (asynchronously).', 'copy of the completed IRP', 'lower device object', 'sector number'),
  0xa2: sc('Disk integrity checking found mismatched checksum copies (possibly a paging error).', 'IRP or a copy of it', 'lower device object', 'sector number'),
  0xb0: sc('MmProbeAndLockPages was given an MDL with incorrect flags.', MDL, FLAGS, 'incorrect MDL flags'),
  0xb1: sc('MmProbeAndLockProcessPages was given an MDL with incorrect flags.', MDL, FLAGS, 'incorrect MDL flags'),
  0xb2: sc('MmMapLockedPages was given an MDL with incorrect flags (already mapped, or not locked).', MDL, FLAGS, 'incorrect MDL flags'),
  0xb3: sc('MmMapLockedPages was given an MDL missing a required flag.', MDL, FLAGS, 'missing MDL flags (one was expected)'),
  0xb4: sc('MmUnlockPages was called for a partial MDL.', MDL, FLAGS, 'unexpected partial-MDL flag'),
  0xb8: sc('IoFreeMdl was called while the MDL\'s pages are still mapped.', MDL, FLAGS, RSV),

  // I/O manager and dispatch routines.
  0xc0: sc('IoCallDriver was called with interrupts disabled.', 'address of the IRP', RSV, RSV),
  0xc1: sc('A dispatch routine returned with interrupts disabled.', 'address of the dispatch routine', RSV, RSV),
  0xc2: sc('A Fast I/O routine was called with interrupts disabled.', RSV, RSV, RSV),
  0xc3: sc('A Fast I/O routine returned with interrupts disabled.', 'address of the Fast I/O routine', RSV, RSV),
  0xc5: sc('A dispatch routine changed the thread\'s APC disable count.', 'address of the dispatch routine', 'current APC disable count', 'APC disable count before the call'),
  0xc6: sc('A Fast I/O routine changed the thread\'s APC disable count.', 'address of the Fast I/O routine', 'current APC disable count', 'APC disable count before the call'),
  0xca: sc('The driver re-initialized a lookaside list.', 'address of the lookaside list', RSV, RSV),
  0xcb: sc('The driver deleted an uninitialized lookaside list.', 'address of the lookaside list', RSV, RSV),
  0xcc: sc('The driver freed pool that contains an active lookaside list.', 'address of the lookaside list', 'start of the pool allocation', 'size of the pool allocation'),
  0xcd: sc('The driver created a lookaside list with too small a block size.', 'address of the lookaside list', 'block size requested', 'minimum supported block size'),
  0xd0: sc('The driver re-initialized an ERESOURCE.', 'address of the ERESOURCE', RSV, RSV),
  0xd1: sc('The driver deleted an uninitialized ERESOURCE.', 'address of the ERESOURCE', RSV, RSV),
  0xd2: sc('The driver freed pool that contains an active ERESOURCE.', 'address of the ERESOURCE', 'start of the pool allocation', 'size of the pool allocation'),
  0xd5: sc('IoReleaseRemoveLock was called with a tag that does not match the IoAcquireRemoveLock tag.', 'address of the remove lock', 'tag passed to the release', RSV),
  0xd6: sc('IoReleaseRemoveLockAndWait was called with a tag that does not match the IoAcquireRemoveLock tag.', 'address of the remove lock', 'tag passed to the release', 'tag of the previous acquire'),
  0xd7: sc('The driver re-initialized a remove lock.', 'remove lock used internally by Driver Verifier', 'remove lock specified by the driver', RSV),
  0xda: sc('The driver is unloading without deregistering its WMI callback.', 'start address of the driver', 'address of the WMI callback', RSV),
  0xdb: sc('A device object was deleted without deregistering it from WMI.', 'address of the device object', RSV, RSV),
  0xdc: sc('EtwUnregister was given an invalid RegHandle.', RSV, RSV, RSV),
  0xdd: sc('The driver is unloading without calling EtwUnregister.', 'address of the EtwRegister call', 'start address of the driver', 'ETW RegHandle'),
  0xdf: sc('A synchronization object is in session address space.', 'address of the synchronization object', RSV, RSV),
  0xe0: sc('A kernel routine was given a user-mode address.', 'user-mode address', 'size of the range, in bytes', RSV),
  0xe1: sc('A synchronization object has an invalid or pageable address.', 'address of the synchronization object', RSV, RSV),
  0xe2: sc('A kernel-mode IRP contains a user-mode address.', 'address of the IRP', 'user-mode address in the IRP', RSV),
  0xe3: sc('A ZwXxx routine was given a user-mode address.', 'address of the call', 'user-mode address passed', RSV),
  0xe4: sc('A ZwXxx routine was given a malformed UNICODE_STRING.', 'address of the call', 'address of the UNICODE_STRING', RSV),
  0xe5: sc('A kernel API was called at the wrong IRQL.', IRQL, RSV, RSV),
  0xe6: sc('A ZwXxx routine was called above PASSIVE_LEVEL or with special kernel APCs disabled.', 'address of the call in the driver', IRQL, 'special kernel APCs disabled count'),
  0xea: sc('The driver acquired a pushlock with APCs enabled.', IRQL, 'thread APC disable count', 'address of the pushlock'),
  0xeb: sc('The driver released a pushlock with APCs enabled.', IRQL, 'thread APC disable count', 'address of the pushlock'),
  0xf0: sc('memcpy was called with overlapping source and destination buffers.', 'destination buffer', 'source buffer', 'number of bytes'),
  0xf5: sc('ObReferenceObjectByHandle was given a NULL handle.', 'the NULL handle', 'object type', RSV),
  0xf6: sc('The driver referenced a user-mode handle as a kernel handle.', 'handle', 'address of the current process', 'address in the driver'),
  0xf7: sc('The driver made a user-mode reference to a kernel handle in the System process.', 'handle', 'object type', 'access mode'),
  0xfa: sc('An IoCompletion routine returned at a different IRQL than it was called at.', 'address of the completion routine', 'IRQL before the call', 'IRQL after the call'),
  0xfb: sc('An IoCompletion routine changed the thread\'s APC disable count.', 'address of the completion routine', 'current APC disable count', 'APC disable count before the call'),
  0x105: sc('The driver freed an IRP with ExFreePool instead of IoFreeIrp.', 'address of the IRP', RSV, RSV),
  0x10a: sc('The driver charged pool quota to the Idle process.', RSV, RSV, RSV),
  0x10b: sc('The driver charged pool quota from a DPC routine (the process context is arbitrary there).', '0', '0', '0'),

  // ISR contract (§3.4) and waits (§1.2).
  0x110: sc('The ISR corrupted the extended (FP/XSAVE) thread context.', 'address of the ISR', 'extended context saved before the ISR', 'extended context saved after the ISR'),
  0x111: sc('The ISR returned at a different IRQL than it was called at.', 'address of the ISR', 'IRQL before the ISR', 'IRQL after the ISR'),
  0x115: sc('Shutdown has taken longer than 20 minutes (possible deadlock).', 'thread responsible for the shutdown', RSV, RSV),
  0x11a: sc('KeEnterCriticalRegion was called at IRQL > APC_LEVEL.', IRQL, '0', '0'),
  0x11b: sc('KeLeaveCriticalRegion was called at IRQL > APC_LEVEL.', IRQL, '0', '0'),
  0x120: sc('A thread waited at IRQL > DISPATCH_LEVEL.', 'IRQL (Windows: address of the IRQL value)', 'address of the object waited on', 'address of the timeout value'),
  0x121: sc('A thread waited at DISPATCH_LEVEL with a NULL (infinite) timeout.', 'IRQL (Windows: address of the IRQL value)', 'address of the object waited on', 'address of the timeout value'),
  0x122: sc('A thread waited at DISPATCH_LEVEL with a non-zero timeout.', 'IRQL (Windows: address of the IRQL value)', 'address of the object waited on', 'address of the timeout value'),
  0x123: sc('A UserMode wait was made on an object that lives on the kernel stack.', 'address of the object waited on', RSV, RSV),
  0x130: sc('A work item is in session address space.', 'address of the work item', RSV, RSV),
  0x131: sc('A work item is in pageable memory (the kernel uses work items at DISPATCH_LEVEL).', 'address of the work item', RSV, RSV),
  0x135: sc('A cancelled IRP was not completed in the expected time.', 'address of the IRP', 'milliseconds allowed between IoCancelIrp and completion', RSV),
  0x13a: sc('ExFreePool: a pool-tracking value is corrupt.', 'address of the pool block being freed', 'incorrect value', 'address of the incorrect value'),
  0x13b: sc('ExFreePool: a pool-tracking value is corrupt.', 'address of the pool block being freed', 'address of the incorrect value', 'pointer to the incorrect memory page'),
  0x13c: sc('ExFreePool: a pool-tracking value is corrupt.', 'address of the pool block being freed', 'incorrect value', 'address of the incorrect value'),
  0x13d: sc('ExFreePool: a pool-tracking value is corrupt.', 'address of the pool block being freed', 'address of the incorrect value', 'value that was expected'),
  0x13e: sc('ExFreePool was given a block address different from the one Driver Verifier tracks.', 'block address passed by the caller', 'block address tracked by Driver Verifier', 'pointer to the tracked address'),
  0x13f: sc('ExFreePool freed a different number of bytes than Driver Verifier tracks.', 'address of the pool block being freed', 'number of bytes being freed', 'pointer to the tracked byte count'),
  0x140: sc('A non-locked MDL was built from pageable or tradable memory.', IRQL, MDL, 'virtual address of the MDL'),

  // Deadlock detection (§4: 0x1001 lock order, 0x1003 release order, 0x1004 wrong thread).
  0x1000: sc(`Self-deadlock: the thread acquired a lock it already holds${LOCKDEP}.`, 'address of the lock', RSV, RSV),
  0x1001: sc(`Deadlock: a lock hierarchy (acquisition order) violation${LOCKDEP}; see !deadlock.`, 'address of the lock that closed the cycle', RSV, RSV),
  0x1002: sc(`A lock was acquired without being initialized${LOCKDEP}.`, 'address of the lock', RSV, RSV),
  0x1003: sc(`Locks were released in the wrong order${LOCKDEP}.`, 'address of the lock being released', 'address of the lock that should be released first', RSV),
  0x1004: sc(`A lock was released by a thread other than the one that acquired it${LOCKDEP}.`, 'address of the lock', 'thread that acquired it', 'current thread'),
  0x1005: sc(`A lock was initialized more than once${LOCKDEP}.`, 'address of the lock', RSV, RSV),
  0x1006: sc(`Deadlock detection found an inconsistent lock state${LOCKDEP}.`, 'address of the lock', RSV, RSV),
  0x1007: sc(`A lock was released before it was acquired${LOCKDEP}.`, 'address of the lock', RSV, RSV),
  0x1008: sc('A lock was acquired with an API that does not match its type.', 'address of the lock', 'Driver Verifier internal data', 'Driver Verifier internal data'),
  0x1009: sc('A lock was released with an API that does not match its type.', 'address of the lock', 'Driver Verifier internal data', 'Driver Verifier internal data'),
  0x100a: sc('A thread terminated while owning a lock.', 'address of the owner thread', 'Driver Verifier internal data', RSV),
  0x100b: sc('A lock was deleted while a thread still owns it.', 'address of the lock', 'address of the owner thread', 'Driver Verifier internal data'),
};

// DDI compliance rules (§5.2): P1 is the rule ID. Names known from the rule pages; the rest
// of 0x20002–0x20025 are IRQL rules too and are reported generically.
const DDI_RULES: Readonly<Record<number, [string, string]>> = {
  0x20002: ['IrqlApcLte', 'certain routines called only at IRQL <= APC_LEVEL'],
  0x20003: ['IrqlDispatch', 'certain routines called only at IRQL = DISPATCH_LEVEL'],
  0x20004: ['IrqlExAllocatePool', 'ExAllocatePoolWithTag(Priority) called only at IRQL <= DISPATCH_LEVEL'],
  0x20005: ['IrqlExApcLte1', 'ExAcquireFastMutex and ExTryToAcquireFastMutex called only at IRQL <= APC_LEVEL'],
  0x20006: ['IrqlExApcLte2', 'certain executive routines called only at IRQL <= APC_LEVEL'],
  0x20007: ['IrqlExApcLte3', 'certain executive routines called only at IRQL <= APC_LEVEL'],
  0x20008: ['IrqlExPassive', 'certain executive routines called only at PASSIVE_LEVEL'],
  0x20009: ['IrqlIoApcLte', 'certain I/O manager routines called only at IRQL <= APC_LEVEL'],
  0x2000a: ['IrqlIoPassive1', 'certain I/O manager routines called only at PASSIVE_LEVEL'],
  0x2000b: ['IrqlIoPassive2', 'certain I/O manager routines called only at PASSIVE_LEVEL'],
  0x2000c: ['IrqlIoPassive3', 'certain I/O manager routines called only at PASSIVE_LEVEL'],
  0x2000d: ['IrqlIoPassive4', 'certain I/O manager routines called only at PASSIVE_LEVEL'],
  0x2000e: ['IrqlIoPassive5', 'certain I/O manager routines called only at PASSIVE_LEVEL'],
  0x2000f: ['IrqlKeApcLte1', 'certain kernel routines called only at IRQL <= APC_LEVEL'],
  0x20010: ['IrqlKeApcLte2', 'certain kernel routines called only at IRQL <= APC_LEVEL'],
  0x20011: ['IrqlKeDispatchLte', 'certain kernel routines called only at IRQL <= DISPATCH_LEVEL'],
  0x20015: ['IrqlKeReleaseSpinLock', 'KeReleaseSpinLock called only at IRQL = DISPATCH_LEVEL'],
  0x20016: ['IrqlKeSetEvent', 'KeSetEvent called at IRQL <= DISPATCH_LEVEL with Wait = FALSE, <= APC_LEVEL with Wait = TRUE'],
  0x20019: ['IrqlMmApcLte', 'certain memory manager routines called only at IRQL <= APC_LEVEL'],
  0x2001a: ['IrqlMmDispatch', 'MmFreeContiguousMemory called only at IRQL = DISPATCH_LEVEL'],
  0x2001b: ['IrqlObPassive', 'ObReferenceObjectByHandle called only at PASSIVE_LEVEL'],
  0x2001c: ['IrqlPsPassive', 'certain process and thread routines called only at PASSIVE_LEVEL'],
  0x2001d: ['IrqlReturn', 'a routine returns at the IRQL its annotations require'],
  0x2001e: ['IrqlRtlPassive', 'RtlDeleteRegistryValue called only at PASSIVE_LEVEL'],
  0x2001f: ['IrqlZwPassive', 'ZwClose called only at PASSIVE_LEVEL'],
  0x20022: ['IrqlIoDispatch', 'certain I/O manager routines called only at IRQL = DISPATCH_LEVEL'],
  0x40003: ['CriticalRegions', 'KeEnterCriticalRegion and KeLeaveCriticalRegion calls are paired'],
  0x40006: ['QueuedSpinLock', 'queued spin locks are acquired and released in pairs'],
  0x40007: ['QueuedSpinLockRelease', 'KeReleaseInStackQueuedSpinLock strictly alternates with the acquire'],
  0x40009: ['SpinLock', 'KeAcquireSpinLock and KeReleaseSpinLock calls strictly alternate'],
  0x4000b: ['SpinlockRelease', 'KeReleaseSpinLock follows a matching KeAcquireSpinLock(RaiseToDpc)'],
  0x4000e: ['GuardedRegions', 'KeEnterGuardedRegion and KeLeaveGuardedRegion calls are paired'],
};

/** The DDI compliance rule named by a 0xC4 P1, if P1 is a rule ID. */
export function ddiRuleName(p1: number): string | undefined {
  return DDI_RULES[p1]?.[0];
}

function isRuleId(p1: number): boolean {
  return (p1 >= 0x20002 && p1 <= 0x20025) || (p1 >= 0x40000 && p1 <= 0x4ffff);
}

/** Meaning of a 0xC4 sub-code; undefined for codes the reference does not list. */
export function c4SubCode(p1: number): SubCode | undefined {
  const known = C4_SUBCODES[p1];
  if (known) return known;
  if (!isRuleId(p1)) return undefined;
  const [name, rule] = DDI_RULES[p1] ?? [undefined, undefined];
  const id = name ? `ID of the '${name}' rule that was violated` : 'ID of the DDI compliance rule that was violated';
  // Windows 8.1 rules (IrqlReturn and the 0x4xxxx family) point at !ruleinfo state;
  // IrqlIoDispatch leaves P3/P4 unused; the Windows 8 IRQL rules pass an optional state pointer.
  const stateful = p1 === 0x2001d || p1 >= 0x40000;
  const p3 = stateful ? 'address of internal rule state (second argument to !ruleinfo)' : p1 === 0x20022 ? 'reserved (unused)' : 'optional pointer to the rule state variable(s)';
  const p4 = stateful ? 'address of supplemental states (third argument to !ruleinfo)' : 'reserved (unused)';
  const what = name ? `${id}: ${rule}.` : `${id} (DDI compliance checking).`;
  return { what, args: ['pointer to the string describing the violated rule condition', p3, p4] };
}

/** 0xC2 BAD_POOL_CALLER: P1 selects the problem. */
export const C2_SUBCODES: Readonly<Record<number, SubCode>> = {
  0x00: sc('The current thread requested a zero-byte allocation.', '0', 'pool type', 'pool tag'),
  0x01: sc('The pool header is corrupt.', 'pointer to the pool header', 'first part of the pool header contents', '0'),
  0x02: sc('The pool header is corrupt.', 'pointer to the pool header', 'first part of the pool header contents', '0'),
  0x04: sc('The pool header is corrupt.', 'pointer to the pool header', 'first part of the pool header contents', '0'),
  0x06: sc('The current thread freed pool that was already freed.', RSV, 'pointer to the pool header', 'pool header contents'),
  0x07: sc('The current thread freed pool that was already freed.', RSV, 'pool header contents', 'address of the block being freed'),
  0x08: sc('The current thread allocated pool at an invalid IRQL.', IRQL, 'pool type', 'size of the allocation, in bytes'),
  0x09: sc('The current thread freed pool at an invalid IRQL.', IRQL, 'pool type', 'address of the pool'),
  0x0a: sc('The current thread freed pool with the wrong pool tag.', 'address of the pool', 'tag used by the allocator', 'tag used by the free'),
  0x40: sc('The current thread freed kernel pool at a user-mode address.', 'starting address', 'start of system address space', '0'),
  0x41: sc('The current thread freed a nonpaged pool address that is not allocated.', 'starting address', 'physical page frame', 'highest physical page frame'),
  0x42: sc('The current thread freed an address that was never in any pool.', 'address being freed', '0', '0'),
  0x43: sc('The current thread freed an address that was never in any pool.', 'address being freed', '0', '0'),
  0x44: sc('The current thread freed a nonpaged pool address that is not allocated.', 'starting address', RSV, '0'),
  0x46: sc('The current thread freed an invalid pool address.', 'starting address', '0', '0'),
  0x50: sc('The current thread freed a paged pool address that is not allocated.', 'starting address', 'offset in pages from the start of paged pool', 'size of paged pool, in bytes'),
  0x99: sc('The current thread freed pool at an invalid address (or with a corrupt header).', 'address being freed', '0', '0'),
};

/** 0x19 BAD_POOL_HEADER: P1 selects the corruption found. */
export const BAD_POOL_HEADER_SUBCODES: Readonly<Record<number, SubCode>> = {
  0x03: sc('The pool free list is corrupt.', 'pool entry being checked', 'read-back flink of the free list', 'read-back blink of the free list'),
  0x05: sc('Two adjacent pool entries have headers that contradict each other.', 'one of the pool entries', RSV, 'the other pool entry'),
  0x20: sc('A pool block header size is corrupt.', 'pool entry being checked', 'next pool entry', RSV),
  0x21: sc('The data following the pool block being freed is corrupt (the caller overran the block).', 'pointer to the block being freed', 'number of bytes allocated', 'corrupted value found'),
  0x22: sc('The address being freed is invalid.', 'address being freed', RSV, RSV),
};

/** 0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION: P1 selects the I/O rule broken. */
export const C9_SUBCODES: Readonly<Record<number, SubCode>> = {
  0x01: sc('The driver freed an object whose type is not IO_TYPE_IRP.', 'address of the object', '0', '0'),
  0x02: sc('The driver freed an IRP that is still associated with a thread.', 'address of the IRP', '0', '0'),
  0x03: sc('IoCallDriver was given an object whose type is not IO_TYPE_IRP.', 'address of the device object', 'address of the object', '0'),
  0x04: sc('IoCallDriver was given an invalid device object.', 'address of the device object', '0', '0'),
  0x05: sc('The IRQL changed across a call to a dispatch routine.', 'address of the device object', 'IRQL before the call', 'IRQL after the call'),
  0x06: sc('IoCompleteRequest was called with STATUS_PENDING (or -1) as the IRP status.', 'IRP status', 'address of the IRP', '0'),
  0x07: sc('IoCompleteRequest was called while a cancel routine was still set.', 'address of the cancel routine', 'address of the IRP', '0'),
};

/** 0xC1 SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION: P4 selects the problem; these are P1..P3. */
export const C1_SUBCODES: Readonly<Record<number, SubCode>> = {
  0x20: sc('The driver freed pool that was not allocated.', 'address the driver tried to free', RSV, '0'),
  0x21: sc('The driver freed a bad address.', 'address the driver tried to free', 'bytes requested', 'bytes calculated'),
  0x22: sc('The driver freed a bad address.', 'address the driver tried to free', 'address where bits are corrupted', RSV),
  0x23: sc('The driver freed an address, but nearby bytes in the same page are corrupt.', 'address the driver tried to free', 'address where bits are corrupted', RSV),
  0x24: sc('The driver freed an address, but bytes after the end of the allocation were overwritten.', 'address the driver tried to free', 'address where bits are corrupted', RSV),
  0x30: sc('The driver allocated special pool at an incorrect IRQL.', IRQL, 'pool type', 'number of bytes'),
  0x31: sc('The driver freed special pool at an incorrect IRQL.', IRQL, 'pool type', 'address the driver tried to free'),
};
