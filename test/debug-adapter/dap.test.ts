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
    assert.equal(threads.body.threads.length, 2, 'one thread per simulated CPU');
    const stopped = threads.body.threads.find((t) => /IRQL 9 DIRQL, in ISR SmpInterruptService/.test(t.name));
    assert.ok(stopped, threads.body.threads.map((t) => t.name).join(' | '));
    const frames = await topFrame(dc, stopped.id);
    assert.equal(frames[0].name, 'dpcforisr!SmpInterruptService');
    assert.equal(frames[0].line, line);
    assert.ok(frames.some((f) => f.name === 'nt!KiInterruptDispatch'), frames.map((f) => f.name).join(' < '));
    const vars = await locals(dc, frames[0].id);
    assert.match(vars.get('ServiceContext')?.value ?? '', /^0xfffff8/);
    assert.equal(vars.get('fdo')?.type, 'PDEVICE_OBJECT');
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
