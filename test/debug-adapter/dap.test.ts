// The debug adapter through the protocol, as VS Code drives it: a DebugClient
// (@vscode/debugadapter-testsupport) against the adapter in server mode on the bundled
// examples. Breakpoint in the ISR (CPU thread, IRQL at DIRQL, the interrupt frame on the
// stack), stepping out of the ISR into the DpcForIsr at DISPATCH_LEVEL, variables, the bug
// check stop, and error responses for malformed requests.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startServer } from '../../debug-adapter/main';

const root = resolve(__dirname, '..', '..');
const EXAMPLE = join(root, 'examples', 'dpcforisr');
const SOURCE = join(EXAMPLE, 'driver.c');
const TEXT = readFileSync(SOURCE, 'utf8').split('\n');

/** 1-based line of the first source line containing `marker` (after `after`, if given). */
function lineOf(marker: string, afterMarker?: string): number {
  const from = afterMarker ? TEXT.findIndex((l) => l.includes(afterMarker)) : 0;
  const i = TEXT.findIndex((l, k) => k >= from && l.includes(marker));
  assert.ok(i >= 0, `marker ${marker}`);
  return i + 1;
}

let server: Server;
let port: number;

before(async () => {
  server = await startServer(0);
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.close();
});

async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', '', 'kdsim');
  await dc.start(port);
  return dc;
}

async function topFrame(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame[]> {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames;
}

async function locals(dc: DebugClient, frameId: number): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = await dc.scopesRequest({ frameId });
  const loc = scopes.body.scopes.find((s) => s.name === 'Locals');
  assert.ok(loc, 'a Locals scope');
  const vars = await dc.variablesRequest({ variablesReference: loc.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

test('a breakpoint in the ISR stops on a CPU thread at DIRQL with the interrupt frame on the stack', async () => {
  const dc = await client();
  try {
    const line = lineOf('status = SmpReadRegister(ext, &ext->Registers->Status);', 'BOOLEAN SmpInterruptService(');
    await dc.hitBreakpoint({ project: EXAMPLE }, { path: SOURCE, line });
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.filter((t) => t.id <= 64).length, 2, 'one thread per simulated CPU');
    const stopped = threads.body.threads.find((t) => /IRQL 9 DIRQL, in ISR SmpInterruptService/.test(t.name));
    assert.ok(stopped, threads.body.threads.map((t) => t.name).join(' | '));
    const frames = await topFrame(dc, stopped.id);
    assert.equal(frames[0].name, 'dpcforisr!SmpInterruptService');
    assert.equal(frames[0].line, line);
    assert.ok(frames.some((f) => f.name === 'nt!KiInterruptDispatch'), frames.map((f) => f.name).join(' < '));
    const vars = await locals(dc, frames[0].id);
    assert.match(vars.get('ServiceContext')?.value ?? '', /^0xfffff8/);
    assert.equal(vars.get('fdo')?.type, 'PDEVICE_OBJECT');
    // ServiceContext is a PVOID the ISR casts to PDEVICE_OBJECT: shown as what it is.
    assert.match(vars.get('ServiceContext')?.type ?? '', /^(PDEVICE_OBJECT|struct _DEVICE_OBJECT \*)$/);
    // The device extension is typed as the driver casts it, and opens on its fields.
    const fdoFields = await dc.variablesRequest({ variablesReference: vars.get('fdo')?.variablesReference ?? 0 });
    const devExt = fdoFields.body.variables.find((v) => v.name === 'DeviceExtension');
    assert.match(devExt?.type ?? '', /^(PSMP_EXTENSION|struct _SMP_EXTENSION \*)$/);
    assert.match(devExt?.evaluateName ?? '', /^\(\((PSMP_EXTENSION|struct _SMP_EXTENSION \*)\)fdo->DeviceExtension\)$/);
    const extFields = await dc.variablesRequest({ variablesReference: devExt?.variablesReference ?? 0 });
    assert.ok(extFields.body.variables.some((v) => v.name === 'IsrSample'), extFields.body.variables.map((v) => v.name).join(', '));
    assert.equal(vars.get('ext')?.value, devExt?.value);
    // The CPU scope shows the IRQL by name.
    const scopes = await dc.scopesRequest({ frameId: frames[0].id });
    const cpu = scopes.body.scopes.find((s) => s.name.startsWith('CPU '));
    assert.ok(cpu);
    const cpuVars = await dc.variablesRequest({ variablesReference: cpu.variablesReference });
    assert.equal(cpuVars.body.variables.find((v) => v.name === 'IRQL')?.value, '9 (DIRQL)');
  } finally {
    await dc.stop();
  }
});

test('stepping out of the ISR and on reaches the DpcForIsr at DISPATCH_LEVEL with the Irp the ISR passed', async () => {
  const dc = await client();
  try {
    const line = lineOf('IoRequestDpc(fdo, fdo->CurrentIrp, NULL);', 'BOOLEAN SmpInterruptService(');
    await dc.hitBreakpoint({ project: EXAMPLE }, { path: SOURCE, line });
    const stopped = (await dc.threadsRequest()).body.threads.find((t) => t.name.includes('in ISR'));
    assert.ok(stopped);
    const isrFrames = await topFrame(dc, stopped.id);
    const ev = await dc.evaluateRequest({ expression: 'fdo->CurrentIrp', frameId: isrFrames[0].id, context: 'watch' });
    const irp = ev.body.result;
    // Step out of the ISR: the next statement this CPU runs is the DpcForIsr's, as IRQL drops.
    await Promise.all([dc.stepOutRequest({ threadId: stopped.id }), dc.waitForEvent('stopped')]);
    let frames = await topFrame(dc, stopped.id);
    for (let i = 0; i < 5 && frames[0].name !== 'dpcforisr!SmpDpcForIsr'; i++) {
      await Promise.all([dc.stepInRequest({ threadId: stopped.id }), dc.waitForEvent('stopped')]);
      frames = await topFrame(dc, stopped.id);
    }
    assert.equal(frames[0].name, 'dpcforisr!SmpDpcForIsr', frames.map((f) => f.name).join(' < '));
    assert.ok(frames.some((f) => f.name === 'nt!KiRetireDpcList'), frames.map((f) => f.name).join(' < '));
    const t = (await dc.threadsRequest()).body.threads.find((x) => x.id === stopped.id);
    assert.match(t?.name ?? '', /IRQL 2 DISPATCH_LEVEL, in DPC SmpDpcForIsr/);
    const vars = await locals(dc, frames[0].id);
    assert.equal(vars.get('Irp')?.value, irp, 'the DPC gets the Irp the ISR passed to IoRequestDpc');
  } finally {
    await dc.stop();
  }
});

test('malformed requests get error responses and the adapter keeps serving', async () => {
  const dc = await client();
  try {
    await dc.initializeRequest();
    await assert.rejects(dc.customRequest('noSuchCommand'), /unknown request 'noSuchCommand'/);
    await assert.rejects(dc.launchRequest({} as DebugProtocol.LaunchRequestArguments), /project/);
    await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /no program is loaded/);
    await assert.rejects(dc.customRequest('setBreakpoints', { source: {} }), /source\.path/);
    await assert.rejects(dc.customRequest('variables', { variablesReference: 'x' }), /./);
    await assert.rejects(dc.launchRequest({ project: join(root, 'no-such-project') } as DebugProtocol.LaunchRequestArguments), /cannot launch/);
    // Still answering.
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads, []);
  } finally {
    await dc.stop();
  }
});

/** Starts a session: breakpoints (with conditions) set before configurationDone, then the first stop. */
async function launchTo(dc: DebugClient, project: string, breakpoints: Array<{ path: string; line: number; condition?: string }>, extra: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
  await dc.initializeRequest();
  const launched = dc.launchRequest({ project, ...extra } as DebugProtocol.LaunchRequestArguments);
  await dc.waitForEvent('initialized');
  const byPath = new Map<string, Array<{ line: number; condition?: string }>>();
  for (const b of breakpoints) byPath.set(b.path, [...(byPath.get(b.path) ?? []), { line: b.line, ...(b.condition ? { condition: b.condition } : {}) }]);
  for (const [path, bps] of byPath) {
    const r = await dc.setBreakpointsRequest({ source: { path }, breakpoints: bps });
    assert.ok(r.body.breakpoints.every((b) => b.verified), JSON.stringify(r.body.breakpoints));
  }
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await dc.configurationDoneRequest();
  await launched;
  return stopped;
}

test('a data breakpoint on a device-extension field stops at the line that wrote it', async () => {
  const dc = await client();
  try {
    const isr = lineOf('IoRequestDpc(fdo, fdo->CurrentIrp, NULL);', 'BOOLEAN SmpInterruptService(');
    const first = await launchTo(dc, EXAMPLE, [{ path: SOURCE, line: isr }]);
    const frames = await topFrame(dc, first.body.threadId as number);
    const info = await dc.dataBreakpointInfoRequest({ name: 'ext->IsrSample', frameId: frames[0].id });
    assert.ok(info.body.dataId, info.body.description);
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [] });
    const [, ev] = await Promise.all([dc.continueRequest({ threadId: first.body.threadId as number }), dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>]);
    assert.equal(ev.body.reason, 'data breakpoint');
    const at = await topFrame(dc, ev.body.threadId as number);
    assert.equal(at[0].name, 'dpcforisr!SmpInterruptService');
    assert.equal(at[0].line, lineOf('ext->IsrSample = SmpReadRegister(ext, &ext->Registers->Data);'), 'the writing line');
  } finally {
    await dc.stop();
  }
});

test('the bug check filter stops at the faulting line with the bug check code', async () => {
  const dc = await client();
  try {
    const project = join(root, 'examples', 'buggy', 'wait-in-dpc');
    const source = join(project, 'driver.c');
    const text = readFileSync(source, 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('KeWaitForSingleObject(&ext->SlotFree, Executive, KernelMode, FALSE, NULL);')) + 1;
    const ev = await launchTo(dc, project, []);
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.text ?? '', /INVALID_PROCESSOR_STATE|0xB8/i);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId as number });
    assert.equal(info.body.exceptionId, '0xB8');
    const frames = await topFrame(dc, ev.body.threadId as number);
    const c = frames.find((f) => f.source);
    assert.equal(c?.line, line);
  } finally {
    await dc.stop();
  }
});

test('step back over the protocol returns to the ISR line with identical variables', async () => {
  const dc = await client();
  try {
    const line = lineOf('if ((status & SMP_STATUS_CAUSES) == 0) {', 'BOOLEAN SmpInterruptService(');
    const first = await launchTo(dc, EXAMPLE, [{ path: SOURCE, line }]);
    const thread = first.body.threadId as number;
    const show = async (): Promise<Record<string, string | undefined>> => {
      const f = await topFrame(dc, thread);
      const v = await locals(dc, f[0].id);
      return { line: String(f[0].line), status: v.get('status')?.value, fdo: v.get('fdo')?.value, ext: v.get('ext')?.value };
    };
    const before = await show();
    await Promise.all([dc.nextRequest({ threadId: thread }), dc.waitForEvent('stopped')]);
    await Promise.all([dc.nextRequest({ threadId: thread }), dc.waitForEvent('stopped')]);
    assert.notEqual((await show()).line, before.line);
    await Promise.all([dc.stepBackRequest({ threadId: thread }), dc.waitForEvent('stopped')]);
    await Promise.all([dc.stepBackRequest({ threadId: thread }), dc.waitForEvent('stopped')]);
    assert.deepEqual(await show(), before);
  } finally {
    await dc.stop();
  }
});

test('kdsim/state and step to next DPC: the DPC the ISR queued is on its CPU queue, then runs', async () => {
  const dc = await client();
  try {
    const line = lineOf('return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
    const first = await launchTo(dc, EXAMPLE, [{ path: SOURCE, line }]);
    const cpu = (first.body.threadId as number) - 1;
    const state = (await dc.customRequest('kdsim/state')).body as { cpus: Array<{ irqlName: string; kind: string; dpcQueue: Array<{ routine: string }> }> };
    assert.equal(state.cpus[cpu].kind, 'isr');
    assert.deepEqual(state.cpus[cpu].dpcQueue.map((d) => d.routine), ['SmpDpcForIsr']);
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [] });
    const [, continued, ev] = await Promise.all([dc.customRequest('kdsim/stepToNextDpc'), dc.waitForEvent('continued'), dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>]);
    assert.equal((continued as DebugProtocol.ContinuedEvent).body.allThreadsContinued, true);
    const frames = await topFrame(dc, ev.body.threadId as number);
    assert.equal(frames[0].name, 'dpcforisr!SmpDpcForIsr');
  } finally {
    await dc.stop();
  }
});

test('system threads are threads too: a waiting request thread shows its state and stack', async () => {
  const dc = await client();
  try {
    const line = lineOf('PSMP_EXTENSION ext = (PSMP_EXTENSION)DeviceObject->DeviceExtension;', 'VOID SmpDpcForIsr(');
    await launchTo(dc, EXAMPLE, [{ path: SOURCE, line }]);
    const threads = (await dc.threadsRequest()).body.threads;
    const request = threads.find((t) => t.id > 1000 && /request #0 \(read\) — waiting/.test(t.name));
    assert.ok(request, threads.map((t) => t.name).join(' | '));
    const frames = (await dc.stackTraceRequest({ threadId: request.id })).body.stackFrames;
    assert.equal(frames[frames.length - 1].name, 'nt!PspSystemThreadStartup');
    assert.match(frames[0].name, /^nt!KeWaitFor/, frames.map((f) => f.name).join(' < '));
  } finally {
    await dc.stop();
  }
});

test('Debug Console completions: names in scope, and members after -> of the object before it', async () => {
  const dc = await client();
  try {
    const line = lineOf('IoRequestDpc(fdo, fdo->CurrentIrp, NULL);', 'BOOLEAN SmpInterruptService(');
    const ev = await launchTo(dc, EXAMPLE, [{ path: SOURCE, line }]);
    const frames = await topFrame(dc, ev.body.threadId as number);
    const names = await dc.completionsRequest({ text: 'ex', column: 3, frameId: frames[0].id });
    assert.ok(names.body.targets.some((t) => t.label === 'ext'), names.body.targets.map((t) => t.label).join(', '));
    const members = await dc.completionsRequest({ text: 'ext->Isr', column: 9, frameId: frames[0].id });
    assert.deepEqual(members.body.targets.map((t) => t.label).sort(), ['IsrSample', 'IsrStatus']);
    const nested = await dc.completionsRequest({ text: 'x + fdo->DriverObject->Dri', column: 27, frameId: frames[0].id });
    assert.ok(nested.body.targets.some((t) => t.label === 'DriverUnload'), nested.body.targets.map((t) => t.label).join(', '));
  } finally {
    await dc.stop();
  }
});

test('requests with wrong types or in the wrong state get error responses; the session goes on', async () => {
  const dc = await client();
  try {
    await assert.rejects(dc.continueRequest({ threadId: 1 }), /no program is loaded/);
    const line = lineOf('IoRequestDpc(fdo, fdo->CurrentIrp, NULL);', 'BOOLEAN SmpInterruptService(');
    const ev = await launchTo(dc, EXAMPLE, [{ path: SOURCE, line }]);
    const thread = ev.body.threadId as number;
    await assert.rejects(dc.customRequest('setBreakpoints', { source: { path: SOURCE }, breakpoints: [{ line: 'ten' }] }), /integer line/);
    await assert.rejects(dc.nextRequest({ threadId: 99 }), /no thread 99/);
    await assert.rejects(dc.customRequest('stackTrace', { threadId: 'one' }), /no thread/);
    await assert.rejects(dc.scopesRequest({ frameId: 424242 }), /no frame/);
    await assert.rejects(dc.variablesRequest({ variablesReference: 424242 }), /no variables reference/);
    await assert.rejects(dc.evaluateRequest({ expression: 'ext->', frameId: (await topFrame(dc, thread))[0].id }), /member name/);
    await assert.rejects(dc.customRequest('readMemory', { memoryReference: 'not-an-address', count: 4 }), /memoryReference/);
    await assert.rejects(dc.customRequest('setExceptionBreakpoints', { filters: ['nope'] }), /unknown exception filter 'nope'/);
    await assert.rejects(dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: 'x' }] }), /unknown dataId/);
    await assert.rejects(dc.launchRequest({ project: EXAMPLE } as DebugProtocol.LaunchRequestArguments), /already running/);
    await assert.rejects(dc.customRequest('kdsim/fireInterrupt', { device: 'nope' }), /one of sampler0/);
    // Unreadable memory reads as unreadable bytes, not an error.
    const mem = await dc.customRequest('readMemory', { memoryReference: '0x10', count: 8 });
    assert.equal((mem.body as { unreadableBytes: number }).unreadableBytes, 8);
    // Still debugging: continue, and requests that need a stopped machine are refused while it runs.
    await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [] });
    // The run to the end takes milliseconds: listen for its end before letting it go.
    const terminated = dc.waitForEvent('terminated', 20_000);
    await dc.continueRequest({ threadId: thread });
    await assert.rejects(dc.stackTraceRequest({ threadId: thread }), /running|ended/);
    await terminated;
    await assert.rejects(dc.continueRequest({ threadId: thread }), /ended/);
  } finally {
    await dc.stop();
  }
});

test('WinDbg-style commands in the Debug Console; C expressions still evaluate there', async () => {
  const dc = await client();
  try {
    const line = lineOf('return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
    const ev = await launchTo(dc, EXAMPLE, [{ path: SOURCE, line }]);
    const frames = await topFrame(dc, ev.body.threadId as number);
    const cpu = (ev.body.threadId as number) - 1;
    const irql = await dc.evaluateRequest({ expression: '!irql', context: 'repl', frameId: frames[0].id });
    assert.equal(irql.body.result, `Debugger saved IRQL for processor 0x${cpu.toString(16)} -- 9 (DIRQL)`);
    const dpcs = await dc.evaluateRequest({ expression: '!dpcs', context: 'repl', frameId: frames[0].id });
    assert.match(dpcs.body.result, /dpcforisr!SmpDpcForIsr/);
    const k = await dc.evaluateRequest({ expression: 'k', context: 'repl', frameId: frames[0].id });
    assert.match(k.body.result, /dpcforisr!SmpInterruptService[\s\S]*nt!KiInterruptDispatch/);
    const c = await dc.evaluateRequest({ expression: 'ext->Stats.Interrupts', context: 'repl', frameId: frames[0].id });
    assert.equal(c.body.result, '1');
    await assert.rejects(dc.evaluateRequest({ expression: '!nosuch', context: 'repl', frameId: frames[0].id }), /\.help/);
    const completions = await dc.completionsRequest({ text: '!dp', column: 4, frameId: frames[0].id });
    assert.ok(completions.body.targets.some((t) => t.label === '!dpcs'), completions.body.targets.map((t) => t.label).join(', '));
  } finally {
    await dc.stop();
  }
});

test('kdsim/travelTo takes the debugger to a moment of the trace; stepping with the other CPUs frozen', async () => {
  const dc = await client();
  try {
    const line = lineOf('return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
    await assert.rejects(dc.customRequest('kdsim/travelTo', { timeNs: 0 }), /not stopped|no program/);
    const first = await launchTo(dc, EXAMPLE, [{ path: SOURCE, line, condition: 'ext->Stats.Interrupts == 3' }], { otherCpusWhileStepping: 'freeze' });
    const state = (await dc.customRequest('kdsim/state')).body as { recent: Array<{ kind: string; t: number; cpu: number; routine?: string }> };
    const isrs = state.recent.filter((e) => e.kind === 'isr-enter');
    assert.ok(isrs.length >= 2, 'earlier interrupts are in the trace window');
    const earlier = isrs[0];
    await assert.rejects(dc.customRequest('kdsim/travelTo', { timeNs: 'soon' }), /timeNs/);
    await assert.rejects(dc.customRequest('kdsim/travelTo', { timeNs: 1, cpu: 7 }), /'cpu' must be a processor number/);
    const [, ev] = await Promise.all([dc.customRequest('kdsim/travelTo', { timeNs: earlier.t, cpu: earlier.cpu }), dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>]);
    assert.equal(ev.body.reason, 'goto');
    assert.equal(ev.body.threadId, earlier.cpu + 1);
    const frames = await topFrame(dc, earlier.cpu + 1);
    assert.equal(frames[0].name, 'dpcforisr!SmpInterruptService');
    const v = await locals(dc, frames[0].id);
    assert.ok(v.has('ServiceContext'));
    // A step with the others frozen (the launch setting) completes on the same CPU.
    const [, stepped] = await Promise.all([dc.nextRequest({ threadId: earlier.cpu + 1 }), dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>]);
    assert.equal(stepped.body.threadId, earlier.cpu + 1);
    assert.notEqual(first.body.threadId, undefined);
  } finally {
    await dc.stop();
  }
});

test('launch refuses an unknown otherCpusWhileStepping', async () => {
  const dc = await client();
  try {
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ project: EXAMPLE, otherCpusWhileStepping: 'sometimes' } as DebugProtocol.LaunchRequestArguments), /'run' or 'freeze'/);
  } finally {
    await dc.stop();
  }
});
