// The debugging scenario of the issue, through VS Code's own debug service: F5 on the example
// with a breakpoint in the ISR, the DPC on that CPU's queue, step to the DpcForIsr, the Kernel
// View panel, and the other adapter modes.

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KdsimState } from '../../../kernel-sim/debug/state-types';
import { DapRecorder, kdsimApi, lineOf, nextSession, sessionEnd, stopAll, until, workspaceFolder } from './util';

interface Frame {
  id: number;
  name: string;
  line: number;
}

async function topFrame(session: vscode.DebugSession, threadId: number): Promise<Frame> {
  const r = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as { stackFrames: Frame[] };
  return r.stackFrames[0];
}

export function registerDebugTests(): void {
  suite('debugging', () => {
    let rec: DapRecorder;
    setup(() => {
      rec = new DapRecorder();
    });
    teardown(async () => {
      await stopAll();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      rec.dispose();
    });

    test('F5 with a breakpoint in the ISR stops there; the DPC it queued waits on that CPU; Step to Next DPC enters the DpcForIsr at DISPATCH_LEVEL', async () => {
      const api = await kdsimApi();
      const folder = workspaceFolder();
      const source = vscode.Uri.joinPath(folder.uri, 'driver.c');
      // The ISR's last statement: IoRequestDpc has just queued the DpcForIsr.
      const line = await lineOf(source, 'return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
      vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(line - 1, 0)))]);

      const started = nextSession();
      const stopped = rec.stopped();
      // F5: the first configuration of the example's launch.json.
      assert.ok(await vscode.debug.startDebugging(folder, 'Debug driver'), 'startDebugging failed');
      const session = await started;
      const stop = await stopped;
      assert.equal(stop.body?.reason, 'breakpoint');
      const threadId = stop.body?.threadId as number;
      assert.ok(threadId >= 1 && threadId <= 64, `stopped on thread ${threadId}, not a CPU`);
      const cpu = threadId - 1;

      // The launch went with the workspace's trust.
      assert.equal(rec.launchArguments(session)?.trusted, vscode.workspace.isTrusted);

      const frame = await topFrame(session, threadId);
      assert.equal(frame.name, 'dpcforisr!SmpInterruptService');
      assert.equal(frame.line, line);
      // The Call Stack focuses the stopped thread: the views follow it.
      const item = await until('the stopped thread to be focused', () => vscode.debug.activeStackItem);
      assert.equal(item.threadId, threadId);
      assert.equal(api.store.cpu, cpu);

      const state = (await session.customRequest('kdsim/state')) as KdsimState;
      assert.equal(state.stopped, true);
      assert.equal(state.cpus[cpu].kind, 'isr');
      assert.ok(state.cpus[cpu].irql > 2, `IRQL ${state.cpus[cpu].irql} in the ISR`);
      assert.deepEqual(state.cpus[cpu].dpcQueue.map((d) => d.routine), ['SmpDpcForIsr']);
      // The store got the same picture from kdsim/stateChanged.
      const stored = await until(`the extension to hold the stopped state (has: ${api.store.status}, version ${api.store.state?.version})`, () =>
        api.store.state?.stopped && api.store.status === 'stopped' ? api.store.state : undefined,
      );
      assert.ok(stored.cpus[cpu].irql > 2);

      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      const inDpc = rec.stopped(session);
      await vscode.commands.executeCommand('kdsim.stepToNextDpc');
      const dpcStop = await inDpc;
      const dpcThread = dpcStop.body?.threadId as number;
      assert.equal((await topFrame(session, dpcThread)).name, 'dpcforisr!SmpDpcForIsr');
      const after = (await session.customRequest('kdsim/state')) as KdsimState;
      assert.equal(after.cpus[dpcThread - 1].irql, 2);
      assert.equal(after.cpus[dpcThread - 1].irqlName, 'DISPATCH_LEVEL');
      assert.equal(after.cpus[dpcThread - 1].kind, 'dpc');

      // Fire Interrupt… with the device named (the quick pick is for people).
      const fired = await vscode.commands.executeCommand<{ device?: string }>('kdsim.fireInterrupt', { device: 'sampler0' });
      assert.equal(fired?.device, 'sampler0');
      // Step to Next Interrupt: the machine runs until an ISR starts.
      const inIsr = rec.stopped(session);
      await vscode.commands.executeCommand('kdsim.stepToNextInterrupt');
      const isrStop = await inIsr;
      assert.equal((await topFrame(session, isrStop.body?.threadId as number)).name, 'dpcforisr!SmpInterruptService');

      const end = sessionEnd(session);
      await vscode.debug.stopDebugging(session);
      await end;
    });

    test('Show Kernel View opens the webview panel beside the editor', async () => {
      const api = await kdsimApi();
      await vscode.commands.executeCommand('kdsim.showKernelView');
      const tab = await until('the Kernel View tab', () =>
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('kdsim.kernelView')),
      );
      assert.equal(tab.label, 'Kernel View');
      assert.ok(api.kernelViewVisible());
      // Showing it again reveals the same panel.
      await vscode.commands.executeCommand('kdsim.showKernelView');
      const count = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('kdsim.kernelView')).length;
      assert.equal(count, 1);
      await vscode.window.tabGroups.close(tab);
    });

    for (const adapterMode of ['server', 'executable'] as const) {
      test(`the ${adapterMode} adapter mode stops on entry in DriverEntry`, async () => {
        const folder = workspaceFolder();
        const started = nextSession();
        const stopped = rec.stopped();
        const config = { type: 'kdsim', request: 'launch', name: `kdsim (${adapterMode})`, project: '${workspaceFolder}/kdsim.json', stopOnEntry: true, adapterMode };
        assert.ok(await vscode.debug.startDebugging(folder, config));
        const session = await started;
        const stop = await stopped;
        assert.equal(stop.body?.reason, 'entry');
        assert.equal((await topFrame(session, stop.body?.threadId as number)).name, 'dpcforisr!DriverEntry');
        const end = sessionEnd(session);
        await vscode.debug.stopDebugging(session);
        await end;
      });
    }
  });
}
