// IRQL rule table (KERNEL_MODEL §6) and the Verifier violations wrong-IRQL calls produce (§1.2, §4, §5.2).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DDI_IRQL,
  POOL_TYPE,
  acquireSpinLockAboveDispatch,
  checkIrql,
  ddiRule,
  irqlName,
  isPagedPoolType,
  lowerIrqlViolation,
  poolAllocViolation,
  poolFreeViolation,
  raiseIrqlViolation,
  releaseSpinLockViolation,
  setEventViolation,
  spinLockAtDpcViolation,
  waitViolation,
} from '../../kernel-sim/verifier/irql-rules';

/** Every DDI the simulated headers declare (the verifier must know each one's IRQL). */
const DECLARED = `
KeGetCurrentIrql KfRaiseIrql KeLowerIrql KeRaiseIrqlToDpcLevel KeRaiseIrqlToSynchLevel KeInitializeSpinLock
KeAcquireSpinLockRaiseToDpc KeReleaseSpinLock KeAcquireSpinLockAtDpcLevel KeReleaseSpinLockFromDpcLevel
KeTryToAcquireSpinLockAtDpcLevel KeAcquireInStackQueuedSpinLock KeReleaseInStackQueuedSpinLock
KeAcquireInStackQueuedSpinLockAtDpcLevel KeReleaseInStackQueuedSpinLockFromDpcLevel KeInitializeDpc
KeInitializeThreadedDpc KeInsertQueueDpc KeRemoveQueueDpc KeFlushQueuedDpcs KeSetTargetProcessorDpcEx
KeIsExecutingDpc KeQueryDpcWatchdogInformation KeSynchronizeExecution KeAcquireInterruptSpinLock
KeReleaseInterruptSpinLock KeInitializeEvent KeSetEvent KeClearEvent KeResetEvent KeReadStateEvent
KeInitializeSemaphore KeReleaseSemaphore KeReadStateSemaphore KeWaitForSingleObject KeWaitForMultipleObjects
KeDelayExecutionThread KeInitializeTimer KeInitializeTimerEx KeSetTimer KeSetTimerEx KeCancelTimer
KeReadStateTimer KeInitializeDeviceQueue KeInsertDeviceQueue KeInsertByKeyDeviceQueue KeRemoveDeviceQueue
KeRemoveByKeyDeviceQueue KeRemoveEntryDeviceQueue KeGetCurrentProcessorNumberEx KeGetCurrentProcessorNumber
KeQueryActiveProcessorCount KeQueryActiveProcessorCountEx KeQueryActiveProcessors KeGetCurrentThread
KeEnterCriticalRegion KeLeaveCriticalRegion KeSetPriorityThread KeQueryInterruptTime KeQueryTickCount
KeQueryTimeIncrement KeQuerySystemTime KeQuerySystemTimePrecise KeQueryPerformanceCounter KeBugCheckEx
KeBugCheck memcpy memmove memset memcmp memchr strlen strnlen strcpy strncpy strcat strncat strcmp strncmp
strchr strrchr strstr strspn strcspn strpbrk strtok strerror _strdup _stricmp _strnicmp wcslen wcsnlen
wcscpy wcsncpy wcscat wcscmp wcsncmp wcschr wcsrchr wcsstr _wcsicmp __fastfail RtlCompareMemory
RtlInitUnicodeString RtlInitAnsiString RtlCopyUnicodeString RtlAppendUnicodeStringToString
RtlAppendUnicodeToString RtlEqualUnicodeString RtlCompareUnicodeString RtlUnicodeStringToAnsiString
RtlAnsiStringToUnicodeString RtlFreeUnicodeString RtlFreeAnsiString RtlIntegerToUnicodeString
RtlUnicodeStringToInteger DbgPrint DbgPrintEx vDbgPrintEx DbgBreakPoint DbgBreakPointWithStatus RtlAssert
KdsimPagedCode ExAllocatePool2 ExAllocatePoolWithTag ExFreePoolWithTag ExFreePool ExAcquireFastMutex
ExReleaseFastMutex ExTryToAcquireFastMutex InterlockedIncrement InterlockedDecrement InterlockedExchange
InterlockedExchangeAdd InterlockedCompareExchange InterlockedOr InterlockedAnd InterlockedXor
InterlockedIncrement64 InterlockedDecrement64 InterlockedExchange64 InterlockedExchangeAdd64
InterlockedCompareExchange64 InterlockedOr64 InterlockedAnd64 InterlockedXor64 InterlockedExchangePointer
InterlockedCompareExchangePointer KeMemoryBarrier ExInterlockedInsertHeadList ExInterlockedInsertTailList
ExInterlockedRemoveHeadList ExInterlockedPushEntryList ExInterlockedPopEntryList ExGetPreviousMode
MmBuildMdlForNonPagedPool MmProbeAndLockPages MmUnlockPages MmMapLockedPagesSpecifyCache MmUnmapLockedPages
MmMapIoSpace MmMapIoSpaceEx MmUnmapIoSpace MmGetPhysicalAddress MmIsAddressValid MmLockPagableDataSection
MmUnlockPagableImageSection IofCompleteRequest IofCallDriver IoForwardIrpSynchronously IoStartPacket
IoStartNextPacket IoStartNextPacketByKey IoAcquireCancelSpinLock IoReleaseCancelSpinLock IoCancelIrp
IoCreateDevice IoDeleteDevice IoAttachDeviceToDeviceStack IoDetachDevice IoCreateSymbolicLink
IoDeleteSymbolicLink IoGetDeviceObjectPointer IoGetAttachedDeviceReference IoGetDeviceProperty
IoInvalidateDeviceRelations IoInvalidateDeviceState IoRegisterDeviceInterface IoSetDeviceInterfaceState
IoIsWdmVersionAvailable IoGetCurrentProcess IoConnectInterrupt IoConnectInterruptEx IoDisconnectInterrupt
IoDisconnectInterruptEx IoAllocateIrp IoFreeIrp IoReuseIrp IoInitializeIrp IoBuildDeviceIoControlRequest
IoBuildSynchronousFsdRequest IoAllocateMdl IoFreeMdl IoAllocateWorkItem IoQueueWorkItem IoQueueWorkItemEx
IoFreeWorkItem IoInitializeTimer IoStartTimer IoStopTimer IoInitializeRemoveLockEx IoAcquireRemoveLockEx
IoReleaseRemoveLockEx IoReleaseRemoveLockAndWaitEx PoStartNextPowerIrp PoCallDriver PoSetPowerState
PoRequestPowerIrp READ_REGISTER_UCHAR READ_REGISTER_USHORT READ_REGISTER_ULONG READ_REGISTER_ULONG64
READ_REGISTER_BUFFER_UCHAR READ_REGISTER_BUFFER_USHORT READ_REGISTER_BUFFER_ULONG READ_REGISTER_BUFFER_ULONG64
WRITE_REGISTER_UCHAR WRITE_REGISTER_USHORT WRITE_REGISTER_ULONG WRITE_REGISTER_ULONG64
WRITE_REGISTER_BUFFER_UCHAR WRITE_REGISTER_BUFFER_USHORT WRITE_REGISTER_BUFFER_ULONG
WRITE_REGISTER_BUFFER_ULONG64 READ_PORT_UCHAR READ_PORT_USHORT READ_PORT_ULONG READ_PORT_BUFFER_UCHAR
READ_PORT_BUFFER_USHORT READ_PORT_BUFFER_ULONG WRITE_PORT_UCHAR WRITE_PORT_USHORT WRITE_PORT_ULONG
WRITE_PORT_BUFFER_UCHAR WRITE_PORT_BUFFER_USHORT WRITE_PORT_BUFFER_ULONG KeStallExecutionProcessor
ObReferenceObjectByHandle ObReferenceObjectByPointer ObfReferenceObject ObfDereferenceObject ZwClose
PsCreateSystemThread PsTerminateSystemThread PsGetCurrentProcessId PsGetCurrentThreadId KeSetImportanceDpc
KeSetTargetProcessorDpc PsGetCurrentThread PsGetVersion KeSetSystemAffinityThreadEx
KeRevertToUserAffinityThreadEx
`.split(/\s+/).filter((n) => n.length > 0);

const LOCK = 0xffffa000_00001000n;
const OBJ = 0xffffa000_00002000n;
const TIMEOUT_PTR = 0xffffa000_00003000n;

describe('DDI IRQL table', () => {
  test('every declared DDI has a rule, and the table names nothing else', () => {
    const missing = DECLARED.filter((n) => !ddiRule(n));
    assert.deepEqual(missing, []);
    const extra = Object.keys(DDI_IRQL).filter((n) => !DECLARED.includes(n));
    assert.deepEqual(extra, []);
  });

  test('every rule is a sane IRQL range with its documented text', () => {
    for (const [name, r] of Object.entries(DDI_IRQL)) {
      assert.ok(r.max >= 0 && r.max <= 15, name);
      assert.ok(r.min === undefined || (r.min >= 0 && r.min <= r.max), name);
      assert.ok(r.doc.length > 0, name);
    }
  });

  test('documented requirements of the DDIs a DpcForIsr driver leans on (§6)', () => {
    assert.deepEqual(DDI_IRQL.IoCreateDevice, { max: 1, doc: '<= APC_LEVEL' });
    assert.deepEqual(DDI_IRQL.IoStartNextPacket, { max: 2, min: 2, doc: 'DISPATCH_LEVEL' });
    assert.deepEqual(DDI_IRQL.KeStallExecutionProcessor, { max: 15, doc: 'Any level' });
    assert.equal(DDI_IRQL.IoStartPacket.max, 2);
    assert.equal(DDI_IRQL.IofCompleteRequest.max, 2);
    assert.equal(DDI_IRQL.IoConnectInterrupt.max, 0);
    assert.equal(DDI_IRQL.KeFlushQueuedDpcs.max, 0);
    assert.equal(DDI_IRQL.KeInsertQueueDpc.max, 15);
    assert.equal(DDI_IRQL.DbgPrint.max, 12);
    assert.equal(DDI_IRQL.KeSynchronizeExecution.max, 12);
    assert.equal(DDI_IRQL.KeDelayExecutionThread.max, 1);
    assert.equal(DDI_IRQL.ZwClose.max, 0);
    assert.equal(DDI_IRQL.memcpy.max, 15);
    assert.equal(DDI_IRQL.WRITE_PORT_UCHAR.max, 15);
    assert.equal(DDI_IRQL.READ_REGISTER_BUFFER_ULONG64.max, 15);
    assert.equal(DDI_IRQL.KeAcquireSpinLockAtDpcLevel.min, 2);
    assert.equal(DDI_IRQL.KeReleaseSpinLock.min, 2);
    assert.equal(DDI_IRQL.KeReleaseSpinLock.violation?.p1, 0x32);
    assert.equal(DDI_IRQL.KeSetEvent.violation?.p1, 0x80);
    assert.equal(DDI_IRQL.KdsimPagedCode.max, 1);
  });

  test('lookups never hit Object.prototype', () => {
    assert.equal(ddiRule('toString'), undefined);
    assert.equal(ddiRule('constructor'), undefined);
    assert.equal(checkIrql('hasOwnProperty', 15), undefined);
  });
});

describe('checkIrql', () => {
  test('a PASSIVE-ish DDI at DISPATCH is 0xC4/0xE5 with the current IRQL in P2', () => {
    assert.deepEqual(checkIrql('IoCreateDevice', 2), {
      code: 0xc4,
      args: [0xe5n, 2n, 0n, 0n],
      message: 'IoCreateDevice called at IRQL 2 (DISPATCH_LEVEL); it requires <= APC_LEVEL',
    });
    assert.equal(checkIrql('IoCreateDevice', 1), undefined);
    assert.equal(checkIrql('IoCreateDevice', 0), undefined);
  });

  test('DISPATCH-only DDIs fail both below and above DISPATCH_LEVEL', () => {
    assert.equal(checkIrql('IoStartNextPacket', 2), undefined);
    assert.match(checkIrql('IoStartNextPacket', 0)?.message ?? '', /PASSIVE_LEVEL.*requires DISPATCH_LEVEL/);
    assert.match(checkIrql('IoStartNextPacket', 5)?.message ?? '', /IRQL 5 \(DIRQL\)/);
  });

  test('dedicated sub-codes are used where Verifier has one', () => {
    assert.deepEqual(checkIrql('KeReleaseSpinLock', 1)?.args, [0x32n, 1n, 0n, 0n]);
    assert.deepEqual(checkIrql('KeAcquireSpinLockAtDpcLevel', 0)?.args, [0x40n, 0n, 0n, 0n]);
    assert.deepEqual(checkIrql('ExAcquireFastMutex', 2)?.args, [0x33n, 2n, 0n, 0n]);
    assert.deepEqual(checkIrql('KeSetEvent', 3)?.args, [0x80n, 3n, 0n, 0n]);
    assert.deepEqual(checkIrql('KeEnterCriticalRegion', 2)?.args, [0x11an, 2n, 0n, 0n]);
  });

  test('any-level DDIs and an ISR taking a DPC-level lock pass', () => {
    assert.equal(checkIrql('KeStallExecutionProcessor', 15), undefined);
    assert.equal(checkIrql('READ_PORT_UCHAR', 12), undefined);
    assert.equal(checkIrql('KeInsertQueueDpc', 9), undefined);
    assert.equal(checkIrql('KeAcquireSpinLockAtDpcLevel', 9), undefined);
    assert.equal(checkIrql('KeReleaseSpinLockFromDpcLevel', 9), undefined);
    assert.equal(checkIrql('DbgPrint', 12), undefined);
    assert.ok(checkIrql('DbgPrint', 13));
  });

  test('unknown DDIs have no rule to break', () => {
    assert.equal(checkIrql('NotADdi', 15), undefined);
  });
});

describe('irqlName', () => {
  test('x64 names as WinDbg prints them (§1.1)', () => {
    assert.equal(irqlName(0), 'PASSIVE_LEVEL');
    assert.equal(irqlName(1), 'APC_LEVEL');
    assert.equal(irqlName(2), 'DISPATCH_LEVEL');
    for (let i = 3; i <= 11; i++) assert.equal(irqlName(i), 'DIRQL');
    assert.equal(irqlName(12), 'SYNCH_LEVEL');
    assert.equal(irqlName(13), 'CLOCK_LEVEL');
    assert.equal(irqlName(14), 'IPI_LEVEL');
    assert.equal(irqlName(15), 'HIGH_LEVEL');
    assert.match(irqlName(16), /invalid/);
  });
});

describe('argument-dependent violations', () => {
  test('KeRaiseIrql to a lower IRQL or above HIGH_LEVEL: 0x30 (current, requested)', () => {
    assert.deepEqual(raiseIrqlViolation(2, 1)?.args, [0x30n, 2n, 1n, 0n]);
    assert.deepEqual(raiseIrqlViolation(0, 16)?.args, [0x30n, 0n, 16n, 0n]);
    assert.equal(raiseIrqlViolation(2, 2), undefined);
    assert.equal(raiseIrqlViolation(0, 15), undefined);
  });

  test('KeLowerIrql: 0x31 with P4 = 0 for a bad value, 1 inside a DPC', () => {
    assert.deepEqual(lowerIrqlViolation(1, 2, false)?.args, [0x31n, 1n, 2n, 0n]);
    assert.deepEqual(lowerIrqlViolation(2, 0, true)?.args, [0x31n, 2n, 0n, 1n]);
    assert.equal(lowerIrqlViolation(2, 0, false), undefined);
    assert.equal(lowerIrqlViolation(9, 2, true), undefined);
  });

  test('spin lock misuse: 0x32, 0x40, 0x41, 0x42 carry the lock in P3', () => {
    assert.deepEqual(releaseSpinLockViolation(0, LOCK)?.args, [0x32n, 0n, LOCK, 0n]);
    assert.equal(releaseSpinLockViolation(2, LOCK), undefined);
    assert.deepEqual(spinLockAtDpcViolation(true, 0, LOCK)?.args, [0x40n, 0n, LOCK, 0n]);
    assert.deepEqual(spinLockAtDpcViolation(false, 1, LOCK)?.args, [0x41n, 1n, LOCK, 0n]);
    assert.equal(spinLockAtDpcViolation(true, 2, LOCK), undefined);
    assert.deepEqual(acquireSpinLockAboveDispatch(5, 0x1000)?.args, [0x42n, 5n, 0x1000n, 0n]);
    assert.equal(acquireSpinLockAboveDispatch(2, LOCK), undefined);
  });

  test('waits: zero timeout is fine at DISPATCH; NULL → 0x121, non-zero → 0x122, above → 0x120', () => {
    assert.equal(waitViolation(0, OBJ, 0, false), undefined);
    assert.equal(waitViolation(1, OBJ, TIMEOUT_PTR, false, -10_000n), undefined);
    assert.equal(waitViolation(2, OBJ, TIMEOUT_PTR, false, 0n), undefined);
    assert.deepEqual(waitViolation(2, OBJ, 0, false)?.args, [0x121n, 2n, OBJ, 0n]);
    assert.deepEqual(waitViolation(2, OBJ, TIMEOUT_PTR, false, -10_000n)?.args, [0x122n, 2n, OBJ, TIMEOUT_PTR]);
    assert.equal(waitViolation(2, OBJ, TIMEOUT_PTR, false)?.args[0], 0x122n);
    assert.deepEqual(waitViolation(5, OBJ, TIMEOUT_PTR, false, 0n)?.args, [0x120n, 5n, OBJ, TIMEOUT_PTR]);
  });

  test('a blocking wait from a DPC routine is 0xB8; a zero-timeout poll is not', () => {
    const v = waitViolation(2, OBJ, 0, true);
    assert.equal(v?.code, 0xb8);
    assert.deepEqual(v?.args, [0n, 0n, 0n, 0n]);
    assert.equal(waitViolation(2, OBJ, TIMEOUT_PTR, true, -1n)?.code, 0xb8);
    assert.equal(waitViolation(2, OBJ, TIMEOUT_PTR, true, 0n), undefined);
  });

  test('KeSetEvent: above DISPATCH is 0x80; Wait=TRUE above APC is rule IrqlKeSetEvent', () => {
    assert.deepEqual(setEventViolation(3, OBJ, false)?.args, [0x80n, 3n, OBJ, 0n]);
    assert.equal(setEventViolation(2, OBJ, true)?.args[0], 0x20016n);
    assert.equal(setEventViolation(2, OBJ, false), undefined);
    assert.equal(setEventViolation(1, OBJ, true), undefined);
  });

  test('pool: paged above APC (0x01/0x11), nonpaged above DISPATCH (0x02/0x12), zero size (0x00)', () => {
    assert.deepEqual(poolAllocViolation(2, POOL_TYPE.PagedPool, 64)?.args, [0x01n, 2n, 1n, 64n]);
    assert.equal(poolAllocViolation(2, POOL_TYPE.NonPagedPoolNx, 64), undefined);
    assert.deepEqual(poolAllocViolation(3, POOL_TYPE.NonPagedPool, 64)?.args, [0x02n, 3n, 0n, 64n]);
    assert.deepEqual(poolAllocViolation(0, POOL_TYPE.PagedPool, 0)?.args, [0x00n, 0n, 1n, 0n]);
    assert.equal(poolAllocViolation(2, 33 /* PagedPoolSession */, 8)?.args[0], 0x01n);
    assert.deepEqual(poolFreeViolation(2, POOL_TYPE.PagedPool, OBJ)?.args, [0x11n, 2n, 1n, OBJ]);
    assert.deepEqual(poolFreeViolation(3, POOL_TYPE.NonPagedPool, OBJ)?.args, [0x12n, 3n, 0n, OBJ]);
    assert.equal(poolFreeViolation(2, POOL_TYPE.NonPagedPool, OBJ), undefined);
    assert.equal(isPagedPoolType(5), true);
    assert.equal(isPagedPoolType(POOL_TYPE.NonPagedPoolNx), false);
  });
});
