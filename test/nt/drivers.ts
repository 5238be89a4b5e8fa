// Small WDM drivers for the kernel tests: one PnP skeleton (DriverEntry, AddDevice with
// IoInitializeDpcRequest, IRP_MN_START_DEVICE that maps the generic device's registers,
// connects its interrupt and enables it, IRP_MN_REMOVE_DEVICE that undoes it) into which a
// test splices the bodies it cares about (ISR, DpcForIsr, read dispatch, start hook, ...).
//
// Conventions for the spliced C:
//   - `ext` (PDEVICE_EXTENSION) is in scope in every hook; `fdo` in the ISR, AddDevice and
//     the start hook; the DpcForIsr has its WDK parameters (Dpc, DeviceObject, Irp, Context).
//   - RdReg(ext, REG_STATUS) / WrReg(ext, REG_STATUS, v) access the generic device
//     (REG_STATUS 0x00 W1C, REG_CONTROL 0x04, REG_INT_ENABLE 0x08, REG_DATA 0x0C).
//   - Lines a test checks are printed with T("...") (DbgPrint with a "T " prefix); out(run)
//     returns them without the prefix and the newline.

import assert from 'node:assert/strict';
import type { DeviceConfig, ScenarioConfig } from '../../kernel-sim/scenario/project-types';
import type { TraceEvent } from '../../kernel-sim/trace/events';
import { config, runDriver, type Run } from './harness';

export const DRIVER_PATH = '/drv/driver.c';

export interface DriverParts {
  /** File-scope declarations (globals, helper routines, extra callbacks). */
  globals?: string;
  /** Appended to DriverEntry (before it returns STATUS_SUCCESS). */
  driverEntry?: string;
  /** Appended to AddDevice, after IoCreateDevice / IoInitializeDpcRequest (`fdo`, `ext`). */
  addDevice?: string;
  /** Runs at PASSIVE_LEVEL at the end of IRP_MN_START_DEVICE, after the interrupt is enabled. */
  start?: string;
  /**
   * The ISR body (`Interrupt`, `fdo`, `ext`; must return). Default: not ours → FALSE;
   * acknowledge, IoRequestDpc(fdo, fdo->CurrentIrp, NULL), TRUE.
   */
  isr?: string;
  /** The DpcForIsr body (Dpc, DeviceObject, Irp, Context, `ext`). */
  dpc?: string;
  /** The IRP_MJ_READ dispatch body (DeviceObject, Irp, `ext`; must return). Default: complete. */
  read?: string;
  /** Runs at PASSIVE_LEVEL in IRP_MN_REMOVE_DEVICE before the interrupt is disconnected. */
  remove?: string;
  /** The DriverUnload body. */
  unload?: string;
  /** IoConnectInterrupt's SpinLock argument (default NULL: the kernel supplies one). */
  interruptSpinLock?: string;
  /** IoConnectInterrupt's SynchronizeIrql argument (default ext->Irql). */
  syncIrql?: string;
  /** INT_ENABLE value written after connecting (default 1: DATA_READY). */
  intEnable?: number;
}

const DEFAULT_ISR = `
    if ((RdReg(ext, REG_STATUS) & 1) == 0) {
        return FALSE;
    }
    WrReg(ext, REG_STATUS, 1);
    IoRequestDpc(fdo, fdo->CurrentIrp, NULL);
    return TRUE;`;

const DEFAULT_READ = `
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;`;

/** The complete driver source with the test's parts spliced in. */
export function driverSource(parts: DriverParts = {}): string {
  return `#include <ntddk.h>

#define T(...) DbgPrint("T " __VA_ARGS__)
#define REG_STATUS 0
#define REG_CONTROL 1
#define REG_INT_ENABLE 2
#define REG_DATA 3

typedef struct _DEVICE_EXTENSION {
    PDEVICE_OBJECT Self;
    PDEVICE_OBJECT Lower;
    volatile ULONG *Regs;
    PKINTERRUPT Interrupt;
    ULONG Vector;
    KIRQL Irql;
    KAFFINITY Affinity;
    KINTERRUPT_MODE Mode;
    BOOLEAN Share;
    ULONG Index;
    LONG IsrCount;
} DEVICE_EXTENSION, *PDEVICE_EXTENSION;

DRIVER_INITIALIZE DriverEntry;
DRIVER_ADD_DEVICE TstAddDevice;
DRIVER_UNLOAD TstUnload;
KSERVICE_ROUTINE TstIsr;
IO_DPC_ROUTINE TstDpcForIsr;
IO_COMPLETION_ROUTINE TstStartCompletion;
DRIVER_DISPATCH TstDispatchPnp;
DRIVER_DISPATCH TstDispatchCreateClose;
DRIVER_DISPATCH TstDispatchRead;

PDEVICE_EXTENSION g_Ext[4];
ULONG g_DeviceCount;
PDEVICE_OBJECT g_Fdo;

static ULONG RdReg(PDEVICE_EXTENSION ext, ULONG reg)
{
    return READ_REGISTER_ULONG(&ext->Regs[reg]);
}

static VOID WrReg(PDEVICE_EXTENSION ext, ULONG reg, ULONG value)
{
    WRITE_REGISTER_ULONG(&ext->Regs[reg], value);
}

${parts.globals ?? ''}

BOOLEAN TstIsr(PKINTERRUPT Interrupt, PVOID ServiceContext)
{
    PDEVICE_OBJECT fdo = (PDEVICE_OBJECT)ServiceContext;
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)fdo->DeviceExtension;
    UNREFERENCED_PARAMETER(Interrupt);
    InterlockedIncrement(&ext->IsrCount);
${parts.isr ?? DEFAULT_ISR}
}

VOID TstDpcForIsr(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)DeviceObject->DeviceExtension;
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Irp);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(ext);
${parts.dpc ?? ''}
}

NTSTATUS TstDispatchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)DeviceObject->DeviceExtension;
    UNREFERENCED_PARAMETER(ext);
${parts.read ?? DEFAULT_READ}
}

NTSTATUS TstDispatchCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

NTSTATUS TstStartCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    if (Irp->PendingReturned) {
        KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static NTSTATUS TstStartDevice(PDEVICE_EXTENSION ext, PCM_RESOURCE_LIST translated)
{
    PDEVICE_OBJECT fdo = ext->Self;
    PCM_PARTIAL_RESOURCE_LIST list;
    PCM_PARTIAL_RESOURCE_DESCRIPTOR desc;
    NTSTATUS status;
    ULONG i;

    if (translated == NULL || translated->Count == 0) {
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    list = &translated->List[0].PartialResourceList;
    for (i = 0; i < list->Count; i++) {
        desc = &list->PartialDescriptors[i];
        if (desc->Type == CmResourceTypeMemory) {
            ext->Regs = (volatile ULONG *)MmMapIoSpace(desc->u.Memory.Start, 16, MmNonCached);
        } else if (desc->Type == CmResourceTypeInterrupt) {
            ext->Vector = desc->u.Interrupt.Vector;
            ext->Irql = (KIRQL)desc->u.Interrupt.Level;
            ext->Affinity = desc->u.Interrupt.Affinity;
            ext->Mode = (desc->Flags & CM_RESOURCE_INTERRUPT_LATCHED) ? Latched : LevelSensitive;
            ext->Share = (BOOLEAN)(desc->ShareDisposition == CmResourceShareShared);
        }
    }
    if (ext->Regs == NULL) {
        return STATUS_DEVICE_CONFIGURATION_ERROR;
    }
    WrReg(ext, REG_INT_ENABLE, 0);
    WrReg(ext, REG_STATUS, 3);
    status = IoConnectInterrupt(&ext->Interrupt, TstIsr, fdo, ${parts.interruptSpinLock ?? 'NULL'},
                                ext->Vector, ext->Irql, ${parts.syncIrql ?? 'ext->Irql'}, ext->Mode,
                                ext->Share, ext->Affinity, FALSE);
    if (!NT_SUCCESS(status)) {
        T("IoConnectInterrupt failed 0x%08X\\n", status);
        return status;
    }
    WrReg(ext, REG_INT_ENABLE, ${parts.intEnable ?? 1});
    {
${parts.start ?? ''}
    }
    UNREFERENCED_PARAMETER(fdo);
    return STATUS_SUCCESS;
}

static VOID TstStopDevice(PDEVICE_EXTENSION ext)
{
    {
${parts.remove ?? ''}
    }
    if (ext->Interrupt != NULL) {
        WrReg(ext, REG_INT_ENABLE, 0);
        WrReg(ext, REG_STATUS, 3);
        IoDisconnectInterrupt(ext->Interrupt);
        ext->Interrupt = NULL;
        KeFlushQueuedDpcs();
    }
    if (ext->Regs != NULL) {
        MmUnmapIoSpace((PVOID)ext->Regs, 16);
        ext->Regs = NULL;
    }
}

NTSTATUS TstDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PDEVICE_EXTENSION ext = (PDEVICE_EXTENSION)DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS status;
    KEVENT event;

    switch (stack->MinorFunction) {
    case IRP_MN_START_DEVICE:
        KeInitializeEvent(&event, NotificationEvent, FALSE);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, TstStartCompletion, &event, TRUE, TRUE, TRUE);
        status = IoCallDriver(ext->Lower, Irp);
        if (status == STATUS_PENDING) {
            KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
            status = Irp->IoStatus.Status;
        }
        if (NT_SUCCESS(status)) {
            status = TstStartDevice(ext, stack->Parameters.StartDevice.AllocatedResourcesTranslated);
        }
        Irp->IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    case IRP_MN_REMOVE_DEVICE:
        TstStopDevice(ext);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoSkipCurrentIrpStackLocation(Irp);
        status = IoCallDriver(ext->Lower, Irp);
        IoDetachDevice(ext->Lower);
        IoDeleteDevice(DeviceObject);
        return status;
    default:
        Irp->IoStatus.Status = STATUS_SUCCESS;
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(ext->Lower, Irp);
    }
}

NTSTATUS TstAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT PhysicalDeviceObject)
{
    PDEVICE_OBJECT fdo = NULL;
    PDEVICE_EXTENSION ext;
    NTSTATUS status;

    status = IoCreateDevice(DriverObject, sizeof(DEVICE_EXTENSION), NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &fdo);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    ext = (PDEVICE_EXTENSION)fdo->DeviceExtension;
    ext->Self = fdo;
    ext->Index = g_DeviceCount;
    if (g_DeviceCount < 4) {
        g_Ext[g_DeviceCount] = ext;
    }
    g_DeviceCount++;
    if (g_Fdo == NULL) {
        g_Fdo = fdo;
    }
    IoInitializeDpcRequest(fdo, TstDpcForIsr);
    ext->Lower = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
    {
${parts.addDevice ?? ''}
    }
    fdo->Flags |= DO_BUFFERED_IO;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

VOID TstUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
${parts.unload ?? ''}
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = TstDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = TstDispatchCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = TstDispatchRead;
    DriverObject->MajorFunction[IRP_MJ_PNP] = TstDispatchPnp;
    DriverObject->DriverExtension->AddDevice = TstAddDevice;
    DriverObject->DriverUnload = TstUnload;
    {
${parts.driverEntry ?? ''}
    }
    return STATUS_SUCCESS;
}
`;
}

export interface DeviceOptions {
  id?: string;
  vector?: number;
  mode?: 'levelSensitive' | 'latched';
  affinity?: number;
}

/** The n-th generic device: registers at 0xFEBF0000 + n * 0x1000, its own interrupt. */
export function device(n: number, o: DeviceOptions = {}): DeviceConfig {
  const vector = o.vector ?? 0x91;
  return {
    id: o.id ?? `dev${n}`,
    model: 'generic',
    bus: 'pci',
    hardwareId: 'PCI\\VEN_1234&DEV_8A51',
    resources: [
      { type: 'memory', start: 0xfebf0000 + n * 0x1000, length: 16 },
      { type: 'interrupt', vector, level: vector >> 4, affinity: o.affinity ?? 3, mode: o.mode ?? 'levelSensitive', shared: true },
    ],
    registers: {},
    params: { conversionTimeUs: 40 },
  };
}

export interface RunOptions {
  cpus?: number;
  devices?: DeviceConfig[];
  scenario?: Partial<ScenarioConfig>;
  verifier?: boolean;
  watchdog?: { dpcTimeLimitTicks?: number; dpcWatchdogPeriodTicks?: number };
}

/** Builds the driver from `parts` and runs it (default: 1 CPU, one generic device at 0x91, 10 ms). */
export function run(parts: DriverParts, o: RunOptions = {}): Run {
  const cfg = config({ cpus: o.cpus ?? 1, devices: o.devices ?? [device(0)], scenario: o.scenario, verifier: o.verifier });
  if (o.watchdog) cfg.watchdog = { ...cfg.watchdog, ...o.watchdog };
  return runDriver({ [DRIVER_PATH]: driverSource(parts) }, cfg);
}

/** A scenario "interrupt" stimulus (the generic device raises DATA_READY). */
export function irq(atNs: number, dev = 'dev0', data?: number): ScenarioConfig['stimuli'][number] {
  return data === undefined ? { kind: 'interrupt', device: dev, atNs } : { kind: 'interrupt', device: dev, atNs, data };
}

/** The test's own DbgPrint lines (those printed with T(...)), without prefix and newline. */
export function out(r: Run): string[] {
  return r.log.filter((l) => l.startsWith('T ')).map((l) => l.slice(2).replace(/\n$/, ''));
}

/** `key=value` pairs of the test's lines, last value wins (numbers parsed, hex with 0x). */
export function values(r: Run): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out(r)) {
    for (const [, k, v] of line.matchAll(/(\w+)=(\S+)/g)) m.set(k, v);
  }
  return m;
}

/** A number printed as key=value (decimal, or hex with 0x). */
export function num(r: Run, key: string): number {
  const v = values(r).get(key);
  if (v === undefined) throw new Error(`no ${key}= in the driver's output:\n${r.log.join('')}`);
  return Number(v.startsWith('0x') ? BigInt(v) : v);
}

/** A 64-bit value printed as key=0x... (pointers, counters). */
export function big(r: Run, key: string): bigint {
  const v = values(r).get(key);
  if (v === undefined) throw new Error(`no ${key}= in the driver's output:\n${r.log.join('')}`);
  return BigInt(v.startsWith('0x') ? v : `0x${v}`);
}

/** 1-based line of the first line of the generated source containing `marker`. */
export function lineOf(source: string, marker: string): number {
  const i = source.split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not in the source`);
  return i + 1;
}

/** Trace events of some kinds, in order. */
export function events<K extends TraceEvent['kind']>(r: Run, ...kinds: K[]): Extract<TraceEvent, { kind: K }>[] {
  return r.machine.trace.events.filter((e): e is Extract<TraceEvent, { kind: K }> => (kinds as string[]).includes(e.kind));
}

/** A short description of the run for assertion messages. */
export function describe(r: Run): string {
  const bc = r.bugCheck ? `bug check 0x${r.bugCheck.code.toString(16)} (${r.bugCheck.args.map((a) => `0x${a.toString(16)}`).join(', ')}) ${r.bugCheck.reason ?? ''}\n` : 'no bug check\n';
  return bc + r.log.join('');
}

/** Runs the driver and checks it stopped with bug check `code`, blamed on the line marked `marker`. */
export function expectBugCheck(parts: DriverParts, o: RunOptions, code: number, marker?: string): Run & { bugCheck: NonNullable<Run['bugCheck']> } {
  const r = run(parts, o);
  const bc = r.bugCheck;
  assert.ok(bc, `expected bug check 0x${code.toString(16)}, got none:\n${describe(r)}`);
  assert.equal(bc.code.toString(16), code.toString(16), describe(r));
  if (marker !== undefined) {
    assert.equal(bc.source?.path, DRIVER_PATH);
    assert.equal(bc.source?.line, lineOf(driverSource(parts), marker), `blamed line: ${bc.source?.text ?? '(none)'}`);
  }
  return { ...r, bugCheck: bc };
}
