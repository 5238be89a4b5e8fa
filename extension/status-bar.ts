// The status bar item: "kdsim" when the workspace is a driver project, the selected CPU's IRQL
// while a kdsim session runs (the one number a driver developer checks at every stop).
// Clicking it opens the Kernel View.

import * as vscode from 'vscode';
import type { SessionState } from './session-state';

export class IrqlStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kdsim.irql', vscode.StatusBarAlignment.Left, 50);
  private readonly listener: vscode.Disposable;

  constructor(private readonly store: SessionState) {
    this.item.name = 'kdsim IRQL';
    this.item.command = 'kdsim.showKernelView';
    this.listener = store.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  private update(): void {
    const { state, status } = this.store;
    const cpu = this.store.cpu;
    const c = state && cpu !== undefined ? state.cpus[cpu] : undefined;
    if ((status === 'running' || status === 'stopped') && c) {
      this.item.text = `$(circuit-board) CPU ${c.number} · IRQL ${c.irql} ${c.irqlName}`;
      this.item.tooltip = new vscode.MarkdownString(
        `**CPU ${c.number}** — ${status === 'stopped' ? 'stopped' : 'running'}\n\n` +
          `IRQL ${c.irql} \`${c.irqlName}\` · ${c.context}\n\n` +
          `DPC queue: ${c.dpcQueue.length === 0 ? 'empty' : c.dpcQueue.map((d) => d.routine).join(', ')}\n\n` +
          'Click for the Kernel View.',
      );
      // Raised IRQL is where a driver's rules change: make it visible at a glance.
      this.item.backgroundColor = c.irql > 2 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    } else if (status === 'running' || status === 'stopped') {
      this.item.text = '$(circuit-board) kdsim: loading…';
      this.item.tooltip = 'kdsim: the simulated machine is starting';
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = '$(circuit-board) kdsim';
      this.item.tooltip = 'kdsim: press F5 to debug the driver on the simulated kernel. Click for the Kernel View.';
      this.item.backgroundColor = undefined;
    }
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}
