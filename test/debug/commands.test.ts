// The Debug Console's WinDbg-style commands over the stopped dpcforisr (and customdpc-timer,
// wait-in-dpc) examples: each command's documented fields with the values the simulated
// kernel holds, usage and unknown-command messages, completions, and that no command changes
// the run (memory is read without touching device registers).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MachineDebugger } from '../../kernel-sim/debug/debugger';
import { type CommandContext, commandCompletions, isCommand, runCommand } from '../../kernel-sim/debug/commands';
import { formatAnalyze } from '../../kernel-sim/verifier/bugcheck';
import { hex } from '../../kernel-sim/nt/kernel';
import { loadProject } from '../../debug-adapter/load';

const root = resolve(__dirname, '..', '..');
const example = (name: string): string => join(root, 'examples', name);

function lineOf(file: string, marker: string, after: string): number {
  const text = readFileSync(file, 'utf8').split('\n');
  const from = text.findIndex((l) => l.includes(after));
  const i = text.findIndex((l, k) => k >= from && l.includes(marker));
  assert.ok(from >= 0 && i >= 0, marker);
  return i + 1;
}

/** Loads an example and runs it to its first stop at `marker` (after the line `after`), or to a bug check. */
function stopAt(name: string, marker?: string, after?: string): CommandContext {
  const r = loadProject(example(name));
  assert.ok(r.ok, r.ok ? '' : r.message);
  const dbg = new MachineDebugger(r.machine, { module: r.config.name });
  const source = join(example(name), 'driver.c');
  if (marker && after) dbg.breakpoints.setForFile(source, [{ line: lineOf(source, marker, after) }]);
  dbg.start(false);
  for (;;) {
    const o = dbg.advance(() => false);
    if (o.kind === 'stopped') return { dbg, cpu: o.stop.cpu, frame: dbg.stack(o.stop.cpu)[0]?.frame };
    assert.notEqual(o.kind, 'ended', 'the run ended before the stop');
  }
}

const inIsr = (): CommandContext => stopAt('dpcforisr', 'return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
const inDpc = (): CommandContext => stopAt('dpcforisr', 'InterlockedIncrement(&ext->Stats.Dpcs);', 'VOID SmpDpcForIsr(');

function run(ctx: CommandContext, line: string): string {
  const r = runCommand(line, ctx);
  assert.ok(r.ok, `${line}: ${r.ok ? '' : r.message}`);
  return r.text;
}

function failure(ctx: CommandContext, line: string): string {
  const r = runCommand(line, ctx);
  assert.equal(r.ok, false, `${line} should fail`);
  return r.ok ? '' : r.message;
}

/** The address a C expression denotes in the selected frame (a pointer's value or an lvalue's address). */
function addr(ctx: CommandContext, expr: string): string {
  const r = ctx.dbg.evaluate(expr, ctx.frame);
  assert.ok(r.ok, expr);
  const v = r.value.type.kind === 'ptr' ? ctx.dbg.reader.scalar(r.value) : r.value.loc?.kind === 'memory' ? r.value.loc.address : undefined;
  assert.notEqual(v, undefined, expr);
  return hex(Number(v));
}

function fn(ctx: CommandContext, name: string): string {
  const f = ctx.dbg.machine.image.functions.get(name);
  assert.ok(f, name);
  return hex(f.address);
}

function lines(text: string): string[] {
  return text.split('\n');
}

test('isCommand: extensions, dot commands, ? and the plain WinDbg words; C expressions are not commands', () => {
  for (const l of ['!irql', ' !dpcs 1', '!analyze -v', '.help', '.bugcheck', '? 1+2', 'k', 'kb 3', 'kn', 'dt KDPC', 'dt -r1 _IRP Irp', 'db x L10', 'dw x', 'dd x', 'dq x', 'lm', 'DT KDPC', '!nosuch']) {
    assert.equal(isCommand(l), true, l);
  }
  for (const l of ['ext->Started', '!ext->Started', 'x == 1', 'k+1', 'k[0]', 'dd->x', 'db.x', '(k)', '', '!(x)', 'sizeof(KDPC)']) assert.equal(isCommand(l), false, l);
  // With a frame: `!finished` is C's logical not of a local, not an unknown extension.
  const ctx = inDpc();
  assert.equal(isCommand('!finished', ctx), false);
  assert.equal(isCommand('!irql', ctx), true);
  assert.equal(isCommand('!nosuch', ctx), true);
});

test('!irql: the stopped processor\'s IRQL by name; another processor; a bad processor', () => {
  const ctx = inIsr();
  assert.equal(ctx.cpu, 0);
  assert.equal(run(ctx, '!irql'), 'Debugger saved IRQL for processor 0x0 -- 9 (DIRQL)');
  assert.equal(run(ctx, '!irql 1'), 'Debugger saved IRQL for processor 0x1 -- 2 (DISPATCH_LEVEL)');
  assert.match(failure(ctx, '!irql 7'), /^Cannot get PRCB address for processor 7 \(this machine has processors 0-1\)$/);
  assert.match(failure(ctx, '!irql 0 1'), /^usage: !irql \[processor\]$/);
});

test('!dpcs: the DpcForIsr queued by IoRequestDpc (KDPC, routine, importance, target, arguments), then running', () => {
  const ctx = inIsr();
  const out = lines(run(ctx, '!dpcs'));
  assert.equal(out[0], 'CPU Type      KDPC              Function');
  assert.equal(out[1], ` 0: Normal  : ${addr(ctx, '&fdo->Dpc')} ${fn(ctx, 'SmpDpcForIsr')} dpcforisr!SmpDpcForIsr`);
  assert.equal(
    out[2],
    `              Importance MediumImportance, Target the inserting processor, SystemArgument1 ${addr(ctx, 'fdo->CurrentIrp')}, SystemArgument2 00000000\`00000000, queued at 1.043 ms`,
  );
  assert.equal(out[3], ' 1: (no DPC queued or running)');
  assert.equal(out.length, 4);
  assert.deepEqual(lines(run(ctx, '!dpcs 1')), [out[0], out[3]]);

  const dpc = inDpc();
  const running = lines(run(dpc, '!dpcs 0'));
  assert.match(running[1], new RegExp(`^ 0: Running : ${addr(dpc, 'Dpc')} ${fn(dpc, 'SmpDpcForIsr')} dpcforisr!SmpDpcForIsr  \\(executing; started at [\\d.]+ ms\\)$`));
  assert.equal(running.length, 2, 'the queue is empty once the DPC runs (KiRetireDpcList dequeues first)');
});

test('!dpcs and !timer in customdpc-timer: a HighImportance CustomDpc and the periodic KTIMER with its DPC', () => {
  const ctx = stopAt('customdpc-timer', 'return TRUE;', 'if (KeInsertQueueDpc(&ext->SampleDpc, NULL, NULL)) {');
  const dpcs = lines(run(ctx, '!dpcs'));
  assert.equal(dpcs[1], ` 0: Normal  : ${addr(ctx, '&ext->SampleDpc')} ${fn(ctx, 'TckSampleDpc')} customdpc-timer!TckSampleDpc`);
  assert.match(dpcs[2], /^ {14}Importance HighImportance, Target the inserting processor, SystemArgument1 00000000`00000000, SystemArgument2 00000000`00000000/);
  const timer = lines(run(ctx, '!timer'));
  assert.equal(timer[0], 'Dump system timers');
  assert.match(timer[2], /^Interrupt time: [0-9a-f]{8} 00000000 \[1\.\d{3} ms since boot\]$/);
  assert.equal(timer[4], 'PROCESSOR 0');
  const row = timer.find((l) => l.startsWith(addr(ctx, '&ext->StatsTimer')));
  assert.ok(row, timer.join('\n'));
  assert.match(row, / {2}[0-9a-f]{8} 00000000 {2}\[ +20\.\d{3} ms\] P 20 ms /);
  assert.ok(row.endsWith(`${fn(ctx, 'TckStatsTimerDpc')} customdpc-timer!TckStatsTimerDpc (KDPC ${addr(ctx, '&ext->StatsDpc')})`), row);
  assert.equal(timer[timer.length - 1], 'Total Timers: 1');
  assert.match(failure(ctx, '!timer 1'), /^usage: !timer$/);
});

test('!pcr and !prcb: IRQL, current thread and what it runs, interrupt count, DPC queue, pending vectors', () => {
  const ctx = inIsr();
  const p = ctx.dbg.cpus[0];
  const pcr = lines(run(ctx, '!pcr'));
  assert.equal(pcr[0], `KPCR for Processor 0 at ${hex(p.address)}:`);
  assert.ok(pcr.includes('              Irql: 0000000000000009 (DIRQL)'), pcr.join('\n'));
  assert.ok(pcr.includes('               IRR: none'));
  assert.ok(pcr.includes(`     CurrentThread: ${hex(p.current.address)} (Idle (CPU 0); in ISR SmpInterruptService (vector 0x91))`));
  assert.ok(pcr.includes('    InterruptCount: 00000001'));
  assert.ok(pcr.includes('     DpcQueueDepth: 1'));
  assert.ok(pcr.includes(`          DpcQueue: ${addr(ctx, '&fdo->Dpc')} ${fn(ctx, 'SmpDpcForIsr')} dpcforisr!SmpDpcForIsr`));

  const prcb = lines(run(ctx, '!prcb'));
  assert.equal(prcb[0], `PRCB for Processor 0 at ${hex(p.address)}:`);
  assert.ok(prcb.includes('Current IRQL -- 9 (DIRQL)'));
  assert.ok(prcb.includes(`Threads--  Current ${hex(p.current.address)} Next 00000000\`00000000 Idle ${hex(p.idle.address)}`));
  assert.ok(prcb.includes('Interrupt Count -- 00000001'));
  assert.ok(prcb.includes('Pending vectors (IRR) -- none'));
  assert.ok(prcb.some((l) => l.startsWith('DPC Queue Depth -- 1 (threaded 0; peak 1 at ')));
  assert.ok(prcb.includes('DpcRoutineActive 0 DpcInterruptRequested 1 TimerRequest 0'), 'the ISR requested the DISPATCH_LEVEL software interrupt');
  const other = lines(run(ctx, '!prcb 1'));
  assert.ok(other.includes('Current IRQL -- 2 (DISPATCH_LEVEL)') && other.includes('Interrupt Count -- 00000000') && other.includes('Current thread -- Idle (CPU 1): idle'));
});

test('!idt: vector 0x91 on both processors with its KINTERRUPT, ISR, IRQLs, mode and sharing', () => {
  const ctx = inIsr();
  const out = run(ctx, '!idt');
  const k = ctx.dbg.machine.k;
  const objs = [0, 1].map((c) => k.interrupts.idt[c].get(0x91)?.[0]?.address);
  assert.equal(objs[0] !== undefined && hex(objs[0]), addr(ctx, 'ext->Interrupt'));
  const isr = fn(ctx, 'SmpInterruptService');
  const expected = (cpu: number, state: string): string[] => [
    `Dumping IDT for processor ${cpu} (device interrupts connected with IoConnectInterrupt(Ex)):`,
    '',
    `91: ${isr} dpcforisr!SmpInterruptService (KINTERRUPT ${hex(objs[cpu] as number)})`,
    '      Irql 9 (DIRQL), SynchronizeIrql 9, LevelSensitive, Shared, line-based',
    `      ServiceContext ${addr(ctx, 'fdo')}, ActualLock ${addr(ctx, '((PKDSIM_KINTERRUPT)ext->Interrupt)->ActualLock')}, ServiceCount 0 (claimed 0, not claimed 0)${state}`,
  ];
  assert.deepEqual(lines(out), [...expected(0, ', running'), '', ...expected(1, '')]);
});

test('k, kb, kn: the ISR above nt!KiInterruptDispatch on the idle thread; kb shows the ISR\'s arguments', () => {
  const ctx = inIsr();
  const source = join(example('dpcforisr'), 'driver.c');
  const line = lineOf(source, 'return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
  const k = lines(run(ctx, 'k'));
  assert.equal(k[0], ' # Child-SP          Call Site');
  assert.match(k[1], new RegExp(`^00 fffff800\`[0-9a-f]{8} dpcforisr!SmpInterruptService \\[${source.replace(/[\\/.]/g, '\\$&')} @ ${line}\\]$`));
  assert.match(k[2], /^01 fffff800`[0-9a-f]{8} nt!KiInterruptDispatch$/);
  assert.match(k[3], /^02 fffff800`[0-9a-f]{8} nt!KiIdleLoop$/);
  assert.equal(k.length, 4);
  assert.deepEqual(lines(run(ctx, 'kn')), k);
  assert.deepEqual(lines(run(ctx, 'k 2')), k.slice(0, 3));
  const kb = lines(run(ctx, 'kb'));
  assert.match(kb[0], /^ # Child-SP {10}: Args to Child +: Call Site$/);
  assert.ok(kb[1].includes(`: ${addr(ctx, 'Interrupt')} ${addr(ctx, 'ServiceContext')} 00000000\`00000000 00000000\`00000000 : dpcforisr!SmpInterruptService [`), kb[1]);
  assert.match(failure(ctx, 'k x'), /^usage: k \[frame count\]$/);

  const dpc = inDpc();
  assert.deepEqual(
    lines(run(dpc, 'k')).map((l) => l.replace(/^(\d\d) \S+ /, '$1 ').replace(/ \[.*\]$/, '')),
    [' # Child-SP          Call Site', '00 dpcforisr!SmpDpcForIsr', '01 nt!KiRetireDpcList', '02 nt!KiIdleLoop'],
  );
});

test('!devobj: driver, current IRP, type, flags with DO_ names, extension, stack size, attached devices, device queue', () => {
  const ctx = inDpc();
  const out = run(ctx, '!devobj DeviceObject');
  assert.deepEqual(lines(out), [
    `Device object (${addr(ctx, 'DeviceObject')}) is for:`,
    ` Sampler0 \\Driver\\dpcforisr DriverObject ${addr(ctx, 'DeviceObject->DriverObject')}`,
    `Current Irp ${addr(ctx, 'Irp')} RefCount 0 Type 00008a51 Flags 00002044`,
    `DevExt ${addr(ctx, 'ext')} DevObjExt ${addr(ctx, 'DeviceObject->DeviceObjectExtension')} StackSize 2`,
    'Flags (0x00002044)  DO_BUFFERED_IO, DO_DEVICE_HAS_NAME, DO_POWER_PAGABLE',
    'Characteristics (0x00000100)  FILE_DEVICE_SECURE_OPEN',
    `Dpc ${addr(ctx, '&DeviceObject->Dpc')} (IoInitializeDpcRequest) DeferredRoutine ${fn(ctx, 'SmpDpcForIsr')} dpcforisr!SmpDpcForIsr, not queued`,
    `AttachedTo (Lower) ${addr(ctx, 'ext->LowerDevice')} \\Driver\\kdsimbus`,
    'Device queue is busy -- Queue empty.',
  ]);
  // By name (\Device\ assumed), by address, and the lower device seen from below.
  assert.equal(run(ctx, '!devobj Sampler0'), out);
  assert.equal(run(ctx, `!devobj ${addr(ctx, 'DeviceObject')}`), out);
  assert.equal(run(ctx, '!devobj \\Device\\Sampler0'), out);
  assert.ok(lines(run(ctx, '!devobj ext->LowerDevice')).includes(`AttachedDevice (Upper) ${addr(ctx, 'DeviceObject')} \\Driver\\dpcforisr`));
  assert.match(failure(ctx, '!devobj ext'), /is not a device object \(Type \d+, a DEVICE_OBJECT has 3\)$/);
  assert.match(failure(ctx, '!devobj'), /^usage: !devobj /);
  assert.match(failure(ctx, '!devobj 0'), /^cannot read memory at 00000000`00000000$/);
});

test('!drvobj: devices, DriverEntry/StartIo/Unload/AddDevice and the dispatch table by IRP_MJ name', () => {
  const ctx = inDpc();
  const out = run(ctx, '!drvobj dpcforisr');
  const l = lines(out);
  assert.deepEqual(l.slice(0, 5), [`Driver object (${addr(ctx, 'DeviceObject->DriverObject')}) is for:`, ' \\Driver\\dpcforisr', '', 'Device Object list:', `${addr(ctx, 'DeviceObject')}  Sampler0`]);
  for (const [label, routine] of [['DriverEntry:   ', 'DriverEntry'], ['DriverStartIo: ', 'SmpStartIo'], ['DriverUnload:  ', 'SmpUnload'], ['AddDevice:     ', 'SmpAddDevice']]) {
    assert.ok(l.includes(`${label}${fn(ctx, routine)} dpcforisr!${routine}`), label);
  }
  const row = (i: number, name: string, routine: string): string => `[${i.toString(16).padStart(2, '0')}] ${name.padEnd(35)}${routine}`;
  assert.ok(l.includes(row(3, 'IRP_MJ_READ', `${fn(ctx, 'SmpDispatchRead')} dpcforisr!SmpDispatchRead`)));
  assert.ok(l.includes(row(0x1b, 'IRP_MJ_PNP', `${fn(ctx, 'SmpDispatchPnp')} dpcforisr!SmpDispatchPnp`)));
  assert.ok(l.some((x) => x.startsWith(row(4, 'IRP_MJ_WRITE', '')) && x.endsWith(' nt!IopInvalidDeviceRequest')));
  assert.equal(l.filter((x) => /^\[[0-9a-f]{2}\] IRP_MJ_/.test(x)).length, 28);
  assert.equal(run(ctx, '!drvobj \\Driver\\dpcforisr'), out);
  assert.equal(run(ctx, '!drvobj DeviceObject->DriverObject'), out);
  assert.deepEqual(lines(run(ctx, '!drvobj DeviceObject->DriverObject 1')), l.slice(0, 5));
  assert.match(failure(ctx, '!drvobj DeviceObject'), /is not a driver object/);
});

test('!irp: header (buffer, status, cancel, locations) and stack locations with names, device, driver and arguments', () => {
  const ctx = inDpc();
  const out = lines(run(ctx, '!irp Irp'));
  const irp = addr(ctx, 'Irp');
  const zero = '00000000`00000000';
  assert.deepEqual(out, [
    `Irp is active with 2 stacks 2 is current (= ${addr(ctx, 'Irp->Tail.Overlay.CurrentStackLocation')})`,
    ` No Mdl: System buffer=${addr(ctx, 'ext->TransferBuffer')}: Thread ${addr(ctx, 'Irp->Tail.Overlay.Thread')}:  Irp stack trace.`,
    'Flags = 00000000',
    `IoStatus.Status = 00000000 (STATUS_SUCCESS)  IoStatus.Information = ${zero}`,
    'Cancel = 0  CancelRoutine = 0  PendingReturned = 0  CurrentLocation = 2  StackCount = 2',
    '     cmd  flg cl Device            File              Completion-Context',
    ' [N/A(0), N/A(0)]',
    `         00 00 ${zero} ${zero} ${zero}-${zero}`,
    `                        Args: ${zero} ${zero} ${zero} ${zero}`,
    '>[IRP_MJ_READ(3), N/A(0)]',
    `         00 01 ${addr(ctx, 'DeviceObject')} ${addr(ctx, 'Irp->Tail.Overlay.CurrentStackLocation->FileObject')} ${zero}-${zero}    pending`,
    '               \\Driver\\dpcforisr',
    `                        Args: 00000000\`00000040 ${zero} ${zero} ${zero}`,
  ]);
  assert.equal(run(ctx, `!irp ${irp}`), out.join('\n'));
  assert.match(failure(ctx, '!irp DeviceObject'), /^IRP signature does not match, probably not an IRP/);
  assert.match(failure(ctx, '!irp'), /^usage: !irp /);
});

test('!irp names PnP minors and shows the completion routine a driver set for the lower location', () => {
  const ctx = stopAt('dpcforisr', 'if (Irp->PendingReturned) {', 'NTSTATUS SmpStartCompletion(');
  const out = lines(run(ctx, '!irp Irp'));
  assert.equal(out[6], ' [IRP_MJ_PNP(1b), IRP_MN_START_DEVICE(0)]');
  assert.match(out[7], new RegExp(`^ {9}00 e0 ${addr(ctx, '((PSMP_EXTENSION)DeviceObject->DeviceExtension)->LowerDevice')} 00000000\`00000000 ${fn(ctx, 'SmpStartCompletion')}-fffff800\`[0-9a-f]{8} {4}Success Error Cancel$`.replace(/\\?`/g, '`')));
  assert.equal(out[8], `               \\Driver\\kdsimbus  ${fn(ctx, 'SmpStartCompletion')} dpcforisr!SmpStartCompletion`);
  assert.equal(out[10], '>[IRP_MJ_PNP(1b), IRP_MN_START_DEVICE(0)]');
});

test('dt: WDK layouts with WinDbg type names, values at an address, the driver\'s own types, -r, bitfields, variables', () => {
  const ctx = inDpc();
  assert.equal(
    run(ctx, 'dt KDPC'),
    [
      'nt!_KDPC',
      '   +0x000 TargetInfoAsUlong : Uint4B',
      '   +0x000 Type              : UChar',
      '   +0x001 Importance        : UChar',
      '   +0x002 Number            : Uint2B',
      '   +0x008 DpcListEntry      : _SINGLE_LIST_ENTRY',
      '   +0x010 ProcessorHistory  : Uint8B',
      '   +0x018 DeferredRoutine   : Ptr64 void',
      '   +0x020 DeferredContext   : Ptr64 Void',
      '   +0x028 SystemArgument1   : Ptr64 Void',
      '   +0x030 SystemArgument2   : Ptr64 Void',
      '   +0x038 DpcData           : Ptr64 Void',
    ].join('\n'),
  );
  assert.equal(run(ctx, 'dt nt!_KDPC'), run(ctx, 'dt kdpc'));
  // A variable whose name is also a type's in another case is the variable: the IRP at Irp.
  assert.equal(run(ctx, 'dt Irp'), run(ctx, 'dt IRP Irp'));
  assert.equal(run(ctx, 'dt Dpc'), run(ctx, 'dt KDPC Dpc'));
  const dpc = lines(run(ctx, 'dt nt!_KDPC Dpc'));
  assert.equal(dpc[0], `nt!_KDPC at ${addr(ctx, 'Dpc')}`);
  assert.ok(dpc.includes('   +0x000 Type              : 0x13'));
  assert.ok(dpc.includes('   +0x001 Importance        : 0x1'));
  assert.ok(dpc.includes(`   +0x018 DeferredRoutine   : 0x${fn(ctx, 'SmpDpcForIsr')} dpcforisr!SmpDpcForIsr`));
  assert.ok(dpc.includes(`   +0x020 DeferredContext   : 0x${addr(ctx, 'DeviceObject')} Void`));
  assert.ok(dpc.includes(`   +0x028 SystemArgument1   : 0x${addr(ctx, 'Irp')} Void`));
  assert.ok(dpc.includes('   +0x038 DpcData           : (null)'), 'dequeued before the routine runs');
  assert.equal(run(ctx, `dt KDPC ${addr(ctx, 'Dpc')}`), dpc.join('\n'));
  assert.equal(run(ctx, 'dt KDPC DeviceObject->Dpc'), dpc.join('\n'), 'an object in memory gives its address');

  const dev = lines(run(ctx, 'dt _DEVICE_OBJECT DeviceObject'));
  assert.ok(dev.includes(`   +0x008 DriverObject          : 0x${addr(ctx, 'DeviceObject->DriverObject')} _DRIVER_OBJECT`));
  assert.ok(dev.includes('   +0x0c8 Dpc                   : _KDPC'));
  assert.ok(dev.includes('   +0x04c StackSize             : 0x2'));

  // The driver's own typedef and tag; offsets as the driver's compiler laid them out.
  const ext = lines(run(ctx, 'dt SMP_EXTENSION ext'));
  assert.equal(ext[0], `dpcforisr!_SMP_EXTENSION at ${addr(ctx, 'ext')}`);
  const offset = (member: string): string => {
    const r = ctx.dbg.evaluate(`(ULONG_PTR)&ext->${member} - (ULONG_PTR)ext`, ctx.frame);
    assert.ok(r.ok);
    return `+0x${Number(ctx.dbg.reader.scalar(r.value)).toString(16).padStart(3, '0')}`;
  };
  assert.ok(ext.some((l) => l.startsWith(`   ${offset('Self')} Self `) && l.endsWith(`: 0x${addr(ctx, 'DeviceObject')} _DEVICE_OBJECT`)));
  assert.ok(ext.some((l) => l.startsWith(`   ${offset('WaitQueue')} WaitQueue `) && l.endsWith(`: _LIST_ENTRY [ 0x${addr(ctx, '&ext->WaitQueue')} - 0x${addr(ctx, '&ext->WaitQueue')} ]`)));
  assert.ok(ext.some((l) => l.startsWith(`   ${offset('Stats')} Stats `) && l.endsWith(': _SAMPLER_STATISTICS')));
  assert.ok(ext.some((l) => l.startsWith(`   ${offset('Started')} Started `) && l.endsWith(': 0x1')));
  assert.equal(run(ctx, 'dt dpcforisr!_SMP_EXTENSION ext'), ext.join('\n'));
  assert.equal(run(ctx, 'dt ext'), ext.join('\n'), 'dt of a pointer variable shows what it points to');
  assert.equal(lines(run(ctx, 'dt _SMP_EXTENSION'))[0], 'dpcforisr!_SMP_EXTENSION');
  assert.equal(lines(run(ctx, 'dt snapshot'))[0], `dpcforisr!_SMP_ISR_SNAPSHOT at ${addr(ctx, '&snapshot')}`);
  assert.match(run(ctx, 'dt finished'), /^finished : UChar {2}0/);

  // -r expands embedded structures with offsets relative to them.
  const irp = lines(run(ctx, 'dt -r1 _IRP Irp'));
  const at = irp.findIndex((l) => l.startsWith('   +0x020 ThreadListEntry '));
  assert.ok(at > 0);
  assert.match(irp[at + 1], /^ {6}\+0x000 Flink : 0xfffff800`[0-9a-f]{8} _LIST_ENTRY$/);
  assert.match(irp[at + 2], /^ {6}\+0x008 Blink : 0xfffff800`[0-9a-f]{8} _LIST_ENTRY$/);

  // Bitfields (KDEVICE_QUEUE's Reserved:8 / Hint:56): position and width, and binary values.
  assert.ok(lines(run(ctx, 'dt KDEVICE_QUEUE')).includes('   +0x020 Reserved       : Pos 0, 8 Bits'));
  const q = lines(run(ctx, 'dt KDEVICE_QUEUE &DeviceObject->DeviceQueue'));
  assert.ok(q.includes('   +0x020 Busy           : 0x1') && q.includes('   +0x020 Reserved       : 0y00000001'), q.join('\n'));
  // Wide strings behind UNICODE_STRING, and the opaque KINTERRUPT through kdsim's layout.
  assert.ok(lines(run(ctx, 'dt UNICODE_STRING &DeviceObject->DriverObject->DriverName')).includes(`   +0x008 Buffer        : 0x${addr(ctx, 'DeviceObject->DriverObject->DriverName.Buffer')}  "\\Driver\\dpcforisr"`));
  assert.ok(lines(run(ctx, 'dt nt!_KINTERRUPT ext->Interrupt')).includes(`   +0x018 ServiceRoutine        : 0x${fn(ctx, 'SmpInterruptService')} dpcforisr!SmpInterruptService`));

  assert.match(failure(ctx, 'dt'), /^usage: dt /);
  assert.match(failure(ctx, 'dt NoSuchType'), /^dt: no type named 'NoSuchType'/);
  assert.match(failure(ctx, 'dt -x KDPC'), /^dt: unknown option -x/);
  assert.match(failure(ctx, 'dt KDPC 0'), /^Cannot read memory at 00000000`00000000/);
});

test('db/dw/dd/dq: WinDbg layout, L counts in hex or 0n decimal, continuation, ?? for device registers and unmapped memory', () => {
  const ctx = inDpc();
  const dpc = addr(ctx, 'Dpc');
  const dpcN = ctx.dbg.evaluate('(ULONG_PTR)Dpc', ctx.frame);
  assert.ok(dpcN.ok);
  const at = (off: number): string => addr(ctx, `(PUCHAR)Dpc + ${off}`);
  assert.equal(run(ctx, 'db Dpc L10'), `${dpc}  13 01 00 00 00 00 00 00-00 00 00 00 00 00 00 00  ................`);
  assert.equal(run(ctx, 'dw Dpc L8'), `${dpc}  0113 0000 0000 0000 0000 0000 0000 0000`);
  assert.equal(run(ctx, 'dd Dpc L4'), `${dpc}  00000113 00000000 00000000 00000000`);
  assert.equal(run(ctx, 'dq Dpc L4'), `${dpc}  00000000\`00000113 00000000\`00000000\n${at(16)}  00000000\`00000000 ${fn(ctx, 'SmpDpcForIsr')}`);
  assert.equal(run(ctx, 'dq Dpc L0n3'), `${dpc}  00000000\`00000113 00000000\`00000000\n${at(16)}  00000000\`00000000`);
  assert.equal(lines(run(ctx, 'dd Dpc')).length, 8, 'default: 128 bytes');
  // Continuation: a bare db goes on after the last dump.
  run(ctx, 'db Dpc L8');
  assert.ok(run(ctx, 'db').startsWith(`${at(8)}  `));
  // The ASCII column, and a short last line keeping it aligned.
  const name = run(ctx, 'db DeviceObject->DriverObject->DriverName.Buffer L12');
  assert.deepEqual(lines(name).map((l) => l.slice(19)), ['5c 00 44 00 72 00 69 00-76 00 65 00 72 00 5c 00  \\.D.r.i.v.e.r.\\.', `64 00${' '.repeat(42)}  d.`]);
  // Device registers are never read: the card's register window shows as unreadable.
  assert.equal(run(ctx, 'db ext->Registers L10'), `${addr(ctx, 'ext->Registers')}  ?? ?? ?? ?? ?? ?? ?? ??-?? ?? ?? ?? ?? ?? ?? ??  ????????????????`);
  assert.equal(run(ctx, 'dq 0 L2'), '00000000`00000000  ????????`???????? ????????`????????');
  assert.equal(run(ctx, 'dd fffff800`00000000 L1'), 'fffff800`00000000  ????????');
  assert.match(failure(ctx, 'db Dpc Lzz'), /^db: bad count 'Lzz'\nusage: db /);
  assert.match(failure(ctx, 'dq Dpc L100000'), /^dq: range error/);
  assert.match(failure(ctx, 'db nosuchvariable'), /^db: .*nosuchvariable/);
  const fresh = inIsr();
  assert.match(failure(fresh, 'db'), /^usage: db /);
});

test('lm, ?, .help, !analyze and .bugcheck without a bug check; unknown commands and C fallbacks', () => {
  const ctx = inDpc();
  const image = ctx.dbg.machine.image.image;
  const lm = lines(run(ctx, 'lm'));
  assert.equal(lm[0], 'start             end                 module name');
  assert.match(lm[1], /^fffff800`00000000 fffff800`[0-9a-f]{8} {3}nt {9}\(simulated kernel/);
  assert.ok(lm[2].startsWith(`${hex(image.start)} ${hex(image.start + image.size)}   dpcforisr  (private pdb symbols)  `) && lm[2].includes('driver.c'));
  assert.equal(run(ctx, '? 10'), 'Evaluate expression: 16 = 00000000`00000010');
  assert.equal(run(ctx, '? 0n10'), 'Evaluate expression: 10 = 00000000`0000000a');
  assert.equal(run(ctx, '? ext->TransferLength'), 'Evaluate expression: 64 = 00000000`00000040');
  assert.match(run(ctx, '? DeviceObject'), new RegExp(`^Evaluate expression: -\\d+ = ${addr(ctx, 'DeviceObject')}$`));
  const help = run(ctx, '.help');
  for (const c of ['!irql', '!dpcs', '!pcr', '!prcb', '!idt', '!timer', '!devobj', '!drvobj', '!irp', '!analyze', 'k [', 'kb', 'kn', 'dt', 'db', 'dw', 'dd', 'dq', 'lm', '.bugcheck']) assert.ok(help.includes(`  ${c}`), c);
  assert.equal(run(ctx, '!help'), help);
  assert.match(run(ctx, '!analyze -v'), /^No bug check has occurred/);
  assert.equal(run(ctx, '.bugcheck'), 'No bug check has occurred.');
  assert.match(failure(ctx, '!dpc'), /^Unknown command '!dpc'\. Did you mean !dpcs\? Type \.help/);
  assert.match(failure(ctx, '!nosuch'), /Type \.help for the list of commands/);
  // `!finished` is C's logical not of a local when it is no extension.
  assert.equal(run(ctx, '!finished'), '1');
  assert.match(failure(ctx, '!analyze -x'), /^usage: !analyze \[-v\]$/);
});

test('!analyze -v and .bugcheck after a bug check (ATTEMPTED_SWITCH_FROM_DPC in wait-in-dpc)', () => {
  const ctx = stopAt('buggy/wait-in-dpc');
  const bc = ctx.dbg.machine.bugCheck;
  assert.ok(bc);
  assert.equal(run(ctx, '!analyze -v'), formatAnalyze(bc));
  assert.match(run(ctx, '!analyze -v'), /ATTEMPTED_SWITCH_FROM_DPC \(b8\)/);
  assert.deepEqual(lines(run(ctx, '!analyze')).slice(2, 4), ['ATTEMPTED_SWITCH_FROM_DPC (b8)', 'Bugcheck code 000000B8']);
  assert.match(run(ctx, '.bugcheck'), /^Bugcheck code 000000B8\nArguments fffff800`[0-9a-f]{8} 00000000`00000000 /);
  assert.equal(run(ctx, '!irql'), 'Debugger saved IRQL for processor 0x0 -- 2 (DISPATCH_LEVEL)');
});

test('completions: command names, types after dt, devices, drivers, processors, variables and the driver\'s functions', () => {
  assert.deepEqual(commandCompletions('!d', 2).map((c) => c.label), ['!dpcs', '!devobj', '!drvobj']);
  assert.deepEqual(commandCompletions('.b', 2).map((c) => c.label), ['.bugcheck']);
  assert.ok(commandCompletions('', 0).length >= 20);
  assert.ok((commandCompletions('!ir', 3)[0].detail ?? '').includes('!irql [processor]'));
  const ctx = inIsr();
  const labels = (line: string, column = line.length): string[] => commandCompletions(line, column, ctx).map((c) => c.label);
  assert.ok(labels('dt KD').includes('KDPC'));
  assert.ok(labels('dt -r1 KD').includes('KDPC'));
  assert.equal(labels('dt SMP_')[0], 'SMP_EXTENSION', "the driver's own types first");
  assert.ok(labels('dt KDPC ').includes('fdo'));
  assert.ok(labels('!devobj ').includes('\\Device\\Sampler0'));
  assert.ok(labels('!drvobj \\D').includes('\\Driver\\dpcforisr'));
  assert.deepEqual(labels('!irql '), ['0', '1']);
  assert.deepEqual(labels('db e'), ['ext']);
  assert.ok(labels('db Smp').includes('SmpDpcForIsr') && !labels('db I').includes('InitializeListHead'), "the driver's functions, not the headers'");
  assert.deepEqual(labels('dt KDPC x', 6), labels('dt KDP'), 'the column decides the word completed');
});

test('no command throws or changes the run: every command at every ISR stop leaves it identical to a plain run', () => {
  const plain = loadProject(example('dpcforisr'));
  assert.ok(plain.ok);
  const expected = plain.machine.run();

  const r = loadProject(example('dpcforisr'));
  assert.ok(r.ok);
  const dbg = new MachineDebugger(r.machine, { module: r.config.name });
  const source = join(example('dpcforisr'), 'driver.c');
  dbg.breakpoints.setForFile(source, [
    { line: lineOf(source, 'return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);') },
    { line: lineOf(source, 'InterlockedIncrement(&ext->Stats.Dpcs);', 'VOID SmpDpcForIsr(') },
  ]);
  const all = ['!irql', '!dpcs', '!pcr', '!prcb 1', '!idt', '!timer', '!devobj fdo', '!devobj DeviceObject', '!drvobj dpcforisr', '!irp Irp', '!irp fdo->CurrentIrp', '!analyze -v', 'k', 'kb', 'kn', 'dt KDPC Dpc', 'dt -r2 _IRP Irp', 'dt -r3 SMP_EXTENSION ext', 'db ext->Registers L40', 'dd ext->Registers', 'dq fdo', 'lm', '? ext', '.bugcheck', '.help'];
  const junk = ['!', '!!', '.', '?', 'dt -r', 'dt KDPC (', 'db )', 'dq L', 'k -1', '!irp 0xffffffffffffffffff', '!devobj fffff800`', 'dt -r99 _IRP fdo', 'db 1 2 3', '!drvobj 0 7'];
  let stops = 0;
  dbg.start(false);
  for (;;) {
    const o = dbg.advance(() => false);
    if (o.kind === 'ended') break;
    if (o.kind === 'running') continue;
    stops++;
    const ctx: CommandContext = { dbg, cpu: o.stop.cpu, frame: dbg.stack(o.stop.cpu)[0]?.frame };
    for (const c of [...all, ...(stops === 1 ? junk : [])]) {
      const res = runCommand(c, ctx);
      assert.ok(res.ok || !res.message.includes('internal error'), `${c}: ${res.ok ? '' : res.message}`);
    }
    dbg.continue();
  }
  assert.ok(stops > 30, `stopped ${stops} times`);
  const got = dbg.machine.finish();
  assert.deepEqual(got.log, expected.log);
  assert.equal(got.endNs, expected.endNs);
  assert.deepEqual(dbg.machine.trace.events, plain.machine.trace.events);
});
