// The kdsim commands of the palette, the sidebar tree and the Kernel View: open the view, fire a
// device's interrupt, run to the next ISR or DPC. Each talks to the active kdsim session with the
// adapter's custom requests.

import * as vscode from 'vscode';
import type { KernelViewHost } from './kernel-view';
import { DEBUG_TYPE, type SessionState } from './session-state';

export function registerCommands(store: SessionState, kernelView: KernelViewHost): vscode.Disposable[] {
  const session = (): vscode.DebugSession | undefined => {
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE) return active;
    if (store.session && store.status !== 'ended' && store.status !== 'none') return store.session;
    void vscode.window.showInformationMessage('kdsim: no kdsim debug session. Press F5 on a driver project first.');
    return undefined;
  };

  const send = async (command: string, args?: Record<string, unknown>): Promise<unknown> => {
    const s = session();
    if (!s) return undefined;
    try {
      return await s.customRequest(command, args);
    } catch (e) {
      void vscode.window.showWarningMessage(`kdsim: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand('kdsim.showKernelView', () => kernelView.show()),
    vscode.commands.registerCommand('kdsim.stepToNextInterrupt', () => send('kdsim/stepToNextInterrupt')),
    vscode.commands.registerCommand('kdsim.stepToNextDpc', () => send('kdsim/stepToNextDpc')),
    vscode.commands.registerCommand('kdsim.fireInterrupt', async (arg?: { device?: string }) => {
      if (!session()) return undefined;
      const device = typeof arg?.device === 'string' ? arg.device : await pickDevice(store);
      if (device === undefined) return undefined;
      const r = (await send('kdsim/fireInterrupt', { device })) as { device?: string; atNs?: number } | undefined;
      if (r?.device) void vscode.window.setStatusBarMessage(`kdsim: interrupt of ${r.device} asserted`, 3000);
      return r;
    }),
  ];
}

/** The device to interrupt: asked when there is more than one. */
async function pickDevice(store: SessionState): Promise<string | undefined> {
  if (!store.state) await store.refresh();
  // Only devices given an interrupt can fire one (an older adapter does not say: all are offered).
  const devices = (store.state?.devices ?? []).filter((d) => d.interrupts === undefined || d.interrupts > 0);
  if (devices.length === 0) {
    void vscode.window.showWarningMessage('kdsim: no device of this machine has an interrupt.');
    return undefined;
  }
  if (devices.length === 1) return devices[0].id;
  const pick = await vscode.window.showQuickPick(
    devices.map((d) => ({ label: d.id, description: d.model })),
    { placeHolder: 'Fire the interrupt of which device?' },
  );
  return pick?.label;
}
