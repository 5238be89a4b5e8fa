// The simulated kernel headers (kernel-sim/include) and the dpcforisr example, checked with
// gcc before kdsim's own front end can compile them: syntax, every layout _Static_assert in
// the headers, the DDI set KERNEL_MODEL.md section 6 requires, and the SAL IRQL attributes.
//
// gcc reads the headers as kdsim does thanks to a force-included prelude
// (fixtures/headers/gcc-prelude.h: MSVC keywords, kdsim's predefined macros) and these flags:
//   -fms-extensions -mms-bitfields  MSVC anonymous members and bitfield/record layout
//   -fshort-wchar                   16-bit wchar_t, so L"..." matches WCHAR
//   -fno-builtin                    our size_t is unsigned long long: no clash with gcc's memcpy
//   -nostdinc -I kernel-sim/include only the simulated headers
// LLP64: on this LP64 host ntdef.h spells LONG/ULONG with int (its only host-dependent line),
// so the layout asserts still describe x64 Windows. If x86_64-w64-mingw32-gcc is installed
// (Debian: gcc-mingw-w64-x86-64) everything is checked again on that true LLP64 compiler.
// Each compiler's suite is skipped when the compiler is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const INCLUDE = join(ROOT, 'kernel-sim', 'include');
const FIXTURES = join(__dirname, 'fixtures', 'headers');
const PRELUDE = join(FIXTURES, 'gcc-prelude.h');
const EXAMPLE = join(ROOT, 'examples', 'dpcforisr');

const LANGUAGE = [
  '-std=gnu11',
  '-fms-extensions',
  '-mms-bitfields',
  '-fshort-wchar',
  '-fno-builtin',
  '-nostdinc',
  `-I${INCLUDE}`,
  '-include',
  PRELUDE,
];
// Warnings are errors, except: kdsim_* attributes are unknown to gcc, #pragma alloc_text is
// MSVC's, and multi-character constants are how pool tags are written.
const WARNINGS = ['-Wall', '-Wextra', '-Werror', '-Wno-attributes', '-Wno-unknown-pragmas', '-Wno-multichar'];

const COMPILERS = ['gcc', 'x86_64-w64-mingw32-gcc'];

function available(cc: string): boolean {
  return spawnSync(cc, ['--version']).status === 0;
}

let scratch = '';
function tempFile(name: string, text: string): string {
  if (!scratch) scratch = mkdtempSync(join(tmpdir(), 'kdsim-headers-'));
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}
after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function syntaxCheck(cc: string, file: string, extra: string[] = []): { ok: boolean; output: string } {
  const r = spawnSync(cc, ['-fsyntax-only', ...LANGUAGE, ...WARNINGS, ...extra, file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function assertCompiles(cc: string, file: string, extra: string[] = []): void {
  const r = syntaxCheck(cc, file, extra);
  assert.ok(r.ok, `${cc} rejected ${file}:\n${r.output}`);
}

// DDIs that must be declared as functions (KERNEL_MODEL sections 2.3, 3 and 6, and the brief).
// Names the WDK reaches through a macro appear here under the routine the macro calls.
const DDI_FUNCTIONS = [
  // DPCs
  'KeInitializeDpc', 'KeInitializeThreadedDpc', 'KeInsertQueueDpc', 'KeRemoveQueueDpc', 'KeFlushQueuedDpcs',
  'KeSetImportanceDpc', 'KeSetTargetProcessorDpc', 'KeSetTargetProcessorDpcEx', 'KeIsExecutingDpc',
  'KeQueryDpcWatchdogInformation', 'IoInitializeDpcRequest', 'IoRequestDpc',
  // interrupts
  'IoConnectInterrupt', 'IoConnectInterruptEx', 'IoDisconnectInterrupt', 'IoDisconnectInterruptEx',
  'KeSynchronizeExecution', 'KeAcquireInterruptSpinLock', 'KeReleaseInterruptSpinLock',
  // IRPs and packets
  'IofCompleteRequest', 'IofCallDriver', 'IoStartPacket', 'IoStartNextPacket', 'IoStartNextPacketByKey',
  'IoSetCancelRoutine', 'IoAcquireCancelSpinLock', 'IoReleaseCancelSpinLock', 'IoMarkIrpPending',
  'IoGetCurrentIrpStackLocation', 'IoGetNextIrpStackLocation', 'IoSkipCurrentIrpStackLocation',
  'IoCopyCurrentIrpStackLocationToNext', 'IoSetCompletionRoutine', 'IoAllocateIrp', 'IoFreeIrp',
  // devices
  'IoCreateDevice', 'IoDeleteDevice', 'IoAttachDeviceToDeviceStack', 'IoDetachDevice', 'IoCreateSymbolicLink',
  'IoDeleteSymbolicLink', 'IoGetDeviceProperty', 'IoInvalidateDeviceRelations',
  // work items, timers, remove locks
  'IoAllocateWorkItem', 'IoQueueWorkItem', 'IoFreeWorkItem', 'IoInitializeTimer', 'IoStartTimer', 'IoStopTimer',
  'IoInitializeRemoveLockEx', 'IoAcquireRemoveLockEx', 'IoReleaseRemoveLockEx', 'IoReleaseRemoveLockAndWaitEx',
  // dispatcher objects
  'KeInitializeEvent', 'KeSetEvent', 'KeClearEvent', 'KeResetEvent', 'KeReadStateEvent', 'KeWaitForSingleObject',
  'KeWaitForMultipleObjects', 'KeDelayExecutionThread', 'KeInitializeTimer', 'KeInitializeTimerEx', 'KeSetTimer',
  'KeSetTimerEx', 'KeCancelTimer',
  // pool and memory
  'ExAllocatePool2', 'ExAllocatePoolWithTag', 'ExFreePoolWithTag', 'ExFreePool', 'MmMapIoSpace', 'MmUnmapIoSpace',
  'MmGetSystemAddressForMdlSafe', 'memset', 'memcpy', 'memmove', 'memcmp',
  // hardware access and time
  'KeStallExecutionProcessor', 'READ_REGISTER_UCHAR', 'READ_REGISTER_USHORT', 'READ_REGISTER_ULONG',
  'READ_REGISTER_ULONG64', 'READ_REGISTER_BUFFER_UCHAR', 'READ_REGISTER_BUFFER_USHORT', 'READ_REGISTER_BUFFER_ULONG',
  'READ_REGISTER_BUFFER_ULONG64', 'WRITE_REGISTER_UCHAR', 'WRITE_REGISTER_USHORT', 'WRITE_REGISTER_ULONG',
  'WRITE_REGISTER_ULONG64', 'WRITE_REGISTER_BUFFER_UCHAR', 'WRITE_REGISTER_BUFFER_USHORT',
  'WRITE_REGISTER_BUFFER_ULONG', 'WRITE_REGISTER_BUFFER_ULONG64', 'READ_PORT_UCHAR', 'READ_PORT_USHORT',
  'READ_PORT_ULONG', 'READ_PORT_BUFFER_UCHAR', 'READ_PORT_BUFFER_USHORT', 'READ_PORT_BUFFER_ULONG',
  'WRITE_PORT_UCHAR', 'WRITE_PORT_USHORT', 'WRITE_PORT_ULONG', 'WRITE_PORT_BUFFER_UCHAR',
  'WRITE_PORT_BUFFER_USHORT', 'WRITE_PORT_BUFFER_ULONG', 'KeQueryPerformanceCounter', 'KeQueryInterruptTime',
  'KeQueryTickCount', 'KeQueryTimeIncrement',
  // IRQL and spin locks
  'KeGetCurrentIrql', 'KfRaiseIrql', 'KeLowerIrql', 'KeRaiseIrqlToDpcLevel', 'KeInitializeSpinLock',
  'KeAcquireSpinLockRaiseToDpc', 'KeReleaseSpinLock', 'KeAcquireSpinLockAtDpcLevel', 'KeReleaseSpinLockFromDpcLevel',
  'KeAcquireInStackQueuedSpinLock', 'KeReleaseInStackQueuedSpinLock', 'KeAcquireInStackQueuedSpinLockAtDpcLevel',
  'KeReleaseInStackQueuedSpinLockFromDpcLevel',
  // lists and interlocked operations
  'InitializeListHead', 'IsListEmpty', 'InsertHeadList', 'InsertTailList', 'RemoveHeadList', 'RemoveTailList',
  'RemoveEntryList', 'PushEntryList', 'PopEntryList', 'ExInterlockedInsertHeadList', 'ExInterlockedInsertTailList',
  'ExInterlockedRemoveHeadList', 'InterlockedIncrement', 'InterlockedDecrement', 'InterlockedExchange',
  'InterlockedCompareExchange', 'InterlockedExchangeAdd', 'InterlockedOr', 'InterlockedAnd', 'InterlockedIncrement64',
  'InterlockedDecrement64', 'InterlockedExchange64', 'InterlockedCompareExchange64', 'InterlockedExchangeAdd64',
  'InterlockedOr64', 'InterlockedAnd64', 'InterlockedExchangePointer', 'InterlockedCompareExchangePointer',
  // processors, threads, objects, handles, fast mutexes
  'KeGetCurrentProcessorNumberEx', 'KeGetCurrentProcessorNumber', 'KeQueryActiveProcessorCount',
  'PsCreateSystemThread', 'PsTerminateSystemThread', 'PsGetCurrentThread', 'ObReferenceObjectByHandle',
  'ObfReferenceObject', 'ObfDereferenceObject', 'ZwClose', 'ExInitializeFastMutex', 'ExAcquireFastMutex',
  'ExReleaseFastMutex',
  // power, debugging, strings
  'PoStartNextPowerIrp', 'PoCallDriver', 'DbgPrint', 'DbgPrintEx', 'DbgBreakPoint', 'KeBugCheckEx', 'RtlAssert',
  'RtlInitUnicodeString', 'KdsimPagedCode',
];

// Macros drivers use by these names (the WDK's spellings).
const DDI_MACROS = [
  'KeRaiseIrql', 'KeAcquireSpinLock', 'IoCompleteRequest', 'IoCallDriver', 'ObReferenceObject', 'ObDereferenceObject',
  'IoInitializeRemoveLock', 'IoAcquireRemoveLock', 'IoReleaseRemoveLock', 'IoReleaseRemoveLockAndWait',
  'ExAllocatePool', 'RtlZeroMemory', 'RtlCopyMemory', 'RtlMoveMemory', 'RtlFillMemory', 'RtlEqualMemory', 'KdPrint',
  'KdPrintEx', 'ASSERT', 'NT_ASSERT', 'PAGED_CODE', 'UNREFERENCED_PARAMETER', 'C_ASSERT', 'CONTAINING_RECORD',
  'FIELD_OFFSET', 'ARGUMENT_PRESENT', 'NT_SUCCESS', 'CTL_CODE', 'RTL_CONSTANT_STRING', 'min', 'max', 'ALLOC_PRAGMA',
  'InterlockedAdd', 'IoSizeOfIrp',
];

function ddiSource(): string {
  const refs = DDI_FUNCTIONS.map((n) => `    (void *)${n},`).join('\n');
  const macros = DDI_MACROS.map((n) => `#ifndef ${n}\n#error "${n} is not defined"\n#endif`).join('\n');
  return `#include <ntddk.h>\n${macros}\nvoid *const kdsim_ddi_refs[] = {\n${refs}\n};\n`;
}

for (const cc of COMPILERS) {
  const present = available(cc);
  describe(`simulated headers with ${cc}`, { skip: present ? false : `${cc} is not installed` }, () => {
    for (const header of ['wdm.h', 'ntddk.h', 'ntifs.h']) {
      test(`${header} is valid C and its layout assertions hold`, () => {
        assertCompiles(cc, tempFile(`${cc}-${header}.c`, `#include <${header}>\n`));
      });
    }

    test('the three kernel headers can be included together, in any order', () => {
      assertCompiles(cc, tempFile(`${cc}-all.c`, '#include <ntifs.h>\n#include <wdm.h>\n#include <ntddk.h>\n'));
    });

    test('hosted C headers (kdsim exec) are valid and LLP64', () => {
      assertCompiles(cc, join(FIXTURES, 'hosted.c'));
    });

    test('macros and inline helpers expand to valid driver code', () => {
      assertCompiles(cc, join(FIXTURES, 'usage.c'));
    });

    test('every DDI of KERNEL_MODEL section 6 is declared', () => {
      assertCompiles(cc, tempFile(`${cc}-ddis.c`, ddiSource()));
    });

    test('layout assertions are live (a wrong one is rejected)', () => {
      const good = tempFile(
        `${cc}-good.c`,
        '#include <wdm.h>\n_Static_assert(sizeof(ULONG) == 4 && sizeof(KDPC) == 0x40, "x64");\n',
      );
      assertCompiles(cc, good);
      const bad = tempFile(`${cc}-bad.c`, '#include <wdm.h>\n_Static_assert(sizeof(KDPC) == 0x48, "wrong");\n');
      const r = syntaxCheck(cc, bad);
      assert.equal(r.ok, false, 'a false layout assertion compiled');
      assert.match(r.output, /static assertion failed/);
    });

    test('examples/dpcforisr/driver.c compiles', () => {
      assertCompiles(cc, join(EXAMPLE, 'driver.c'), [`-I${EXAMPLE}`]);
    });

    test('examples/dpcforisr/driver.c compiles as a free build (DBG=0)', () => {
      assertCompiles(cc, join(EXAMPLE, 'driver.c'), [`-I${EXAMPLE}`, '-DDBG=0']);
    });
  });
}

// ---- The IRQL annotations: what the front end will see after preprocessing ----------------

// [declared name, kind, IRQL] per KERNEL_MODEL section 6 (0 PASSIVE, 1 APC, 2 DISPATCH, 15 HIGH).
const IRQL_EXPECTED: [string, string, number][] = [
  ['KeInitializeDpc', 'requires_max', 15],
  ['KeInitializeThreadedDpc', 'requires_max', 15],
  ['KeInsertQueueDpc', 'requires_max', 15],
  ['KeRemoveQueueDpc', 'requires_max', 15],
  ['KeFlushQueuedDpcs', 'requires_max', 0],
  ['KeSetImportanceDpc', 'requires_max', 15],
  ['KeSetTargetProcessorDpc', 'requires_max', 15],
  ['KeSetTargetProcessorDpcEx', 'requires_max', 15],
  ['KeQueryDpcWatchdogInformation', 'requires_max', 2],
  ['IoConnectInterrupt', 'requires_max', 0],
  ['IoConnectInterruptEx', 'requires_max', 0],
  ['IoDisconnectInterrupt', 'requires_max', 0],
  ['IoDisconnectInterruptEx', 'requires_max', 0],
  ['KeSynchronizeExecution', 'requires_max', 15],
  ['KeAcquireInterruptSpinLock', 'requires_max', 15],
  ['IofCompleteRequest', 'requires_max', 2],
  ['IofCallDriver', 'requires_max', 2],
  ['IoStartPacket', 'requires_max', 2],
  ['IoStartNextPacket', 'requires', 2],
  ['IoStartNextPacketByKey', 'requires_max', 2],
  ['IoAcquireCancelSpinLock', 'requires_max', 2],
  ['IoReleaseCancelSpinLock', 'requires', 2],
  ['IoCreateDevice', 'requires_max', 1],
  ['IoDeleteDevice', 'requires_max', 1],
  ['KeSetEvent', 'requires_max', 2],
  ['KeClearEvent', 'requires_max', 2],
  ['KeResetEvent', 'requires_max', 2],
  ['KeReadStateEvent', 'requires_max', 2],
  ['KeWaitForSingleObject', 'requires_max', 2],
  ['KeDelayExecutionThread', 'requires_max', 1],
  ['ExAllocatePool2', 'requires_max', 2],
  ['ExAllocatePoolWithTag', 'requires_max', 2],
  ['ExFreePoolWithTag', 'requires_max', 2],
  ['ExFreePool', 'requires_max', 2],
  ['KeStallExecutionProcessor', 'requires_max', 15],
  ['KeQueryPerformanceCounter', 'requires_max', 15],
  ['KfRaiseIrql', 'requires_max', 15],
  ['KeLowerIrql', 'requires_max', 15],
  ['KeRaiseIrqlToDpcLevel', 'requires_max', 2],
  ['KeRaiseIrqlToDpcLevel', 'raises', 2],
  ['KeInitializeTimer', 'requires_max', 2],
  ['KeInitializeTimerEx', 'requires_max', 2],
  ['KeSetTimer', 'requires_max', 2],
  ['KeSetTimerEx', 'requires_max', 2],
  ['KeCancelTimer', 'requires_max', 2],
  ['IoInitializeTimer', 'requires_max', 0],
  ['IoAllocateWorkItem', 'requires_max', 2],
  ['IoQueueWorkItem', 'requires_max', 2],
  ['IoFreeWorkItem', 'requires_max', 2],
  ['KeAcquireSpinLockRaiseToDpc', 'requires_max', 2],
  ['KeAcquireSpinLockRaiseToDpc', 'raises', 2],
  ['KeReleaseSpinLock', 'requires', 2],
  ['KeAcquireSpinLockAtDpcLevel', 'requires_min', 2],
  ['KeReleaseSpinLockFromDpcLevel', 'requires_min', 2],
  ['KeAcquireInStackQueuedSpinLock', 'requires_max', 2],
  ['KeReleaseInStackQueuedSpinLock', 'requires', 2],
  ['KeAcquireInStackQueuedSpinLockAtDpcLevel', 'requires_min', 2],
  ['KeReleaseInStackQueuedSpinLockFromDpcLevel', 'requires_min', 2],
  ['MmMapIoSpace', 'requires_max', 2],
  ['MmUnmapIoSpace', 'requires_max', 1],
  ['PsCreateSystemThread', 'requires_max', 0],
  ['ZwClose', 'requires_max', 0],
  ['ObReferenceObjectByHandle', 'requires_max', 0],
  ['ExAcquireFastMutex', 'requires_max', 1],
  ['ExReleaseFastMutex', 'requires', 1],
  ['IoAcquireRemoveLockEx', 'requires_max', 2],
  ['IoReleaseRemoveLockAndWaitEx', 'requires_max', 0],
  ['PoStartNextPowerIrp', 'requires_max', 2],
  ['PoCallDriver', 'requires_max', 2],
  // Driver routine classes (typedefs): the IRQL the routine is called at.
  ['KSERVICE_ROUTINE', 'requires', 15],
  ['KDEFERRED_ROUTINE', 'requires', 2],
  ['IO_DPC_ROUTINE', 'requires', 2],
  ['DRIVER_STARTIO', 'requires', 2],
  ['DRIVER_DISPATCH', 'requires_max', 2],
  ['DRIVER_INITIALIZE', 'requires', 0],
  ['DRIVER_ADD_DEVICE', 'requires', 0],
  ['DRIVER_UNLOAD', 'requires', 0],
  ['DRIVER_CANCEL', 'requires', 2],
  ['IO_COMPLETION_ROUTINE', 'requires_max', 2],
  ['IO_WORKITEM_ROUTINE', 'requires', 0],
  ['IO_TIMER_ROUTINE', 'requires', 2],
];

// Other attribute texts that must reach the front end unchanged (whitespace removed).
const ATTRIBUTE_EXPECTED: [string, string][] = [
  ['KeAcquireSpinLockRaiseToDpc', 'kdsim_irql("saves")'],
  ['KeReleaseSpinLock', 'kdsim_irql("restores")'],
  ['KeLowerIrql', 'kdsim_irql("restores")'],
  ['KeSetEvent', 'kdsim_when("Wait==0","_IRQL_requires_max_(DISPATCH_LEVEL)")'],
  ['KeSetEvent', 'kdsim_when("Wait==1","_IRQL_requires_max_(APC_LEVEL)")'],
  ['ExAcquireFastMutex', 'kdsim_irql("saves_global","OldIrql","FastMutex")'],
  ['KSERVICE_ROUTINE', 'kdsim_function_class("KSERVICE_ROUTINE")'],
  ['IO_DPC_ROUTINE', 'kdsim_function_class("IO_DPC_ROUTINE")'],
  ['KSERVICE_ROUTINE', 'kdsim_irql("requires_same")'],
];

describe('SAL IRQL annotations as the front end sees them', { skip: available('gcc') ? false : 'gcc is not installed' }, () => {
  let declarations: string[] = [];

  // The preprocessed headers split into declarations; the first one that mentions `name(`
  // is its declaration (C declares before use).
  function declarationOf(name: string): string {
    if (declarations.length === 0) {
      const src = tempFile('irql.c', '#include <ntddk.h>\n');
      const r = spawnSync('gcc', ['-E', '-P', ...LANGUAGE, src], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      declarations = r.stdout.split(/[;}]/);
    }
    const found = declarations.find((d) => new RegExp(`\\b${name}\\s*\\(`).test(d));
    assert.ok(found, `no declaration of ${name}`);
    return found.replace(/\s+/g, '');
  }

  for (const [name, kind, irql] of IRQL_EXPECTED) {
    test(`${name}: ${kind} ${irql}`, () => {
      const decl = declarationOf(name);
      assert.ok(decl.includes(`kdsim_irql("${kind}",${irql})`), `${name} lacks kdsim_irql("${kind}", ${irql}):\n${decl}`);
    });
  }

  for (const [name, text] of ATTRIBUTE_EXPECTED) {
    test(`${name}: ${text}`, () => {
      const decl = declarationOf(name);
      assert.ok(decl.includes(text), `${name} lacks ${text}:\n${decl}`);
    });
  }

  test('the dispatch routines of the example carry _Dispatch_type_', () => {
    const src = tempFile('example.c', '#include "driver.h"\n');
    const r = spawnSync('gcc', ['-E', '-P', ...LANGUAGE, `-I${EXAMPLE}`, src], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const text = r.stdout.replace(/\s+/g, '');
    assert.ok(text.includes('__attribute__((kdsim_dispatch_type(0x03)))DRIVER_DISPATCHSmpDispatchRead'), 'SmpDispatchRead');
    assert.ok(text.includes('__attribute__((kdsim_dispatch_type(0x1b)))DRIVER_DISPATCHSmpDispatchPnp'), 'SmpDispatchPnp');
    assert.ok(text.includes('KSERVICE_ROUTINESmpInterruptService'), 'SmpInterruptService declared through KSERVICE_ROUTINE');
    assert.ok(text.includes('IO_DPC_ROUTINESmpDpcForIsr'), 'SmpDpcForIsr declared through IO_DPC_ROUTINE');
  });
});
