// A native tree in the Run and Debug sidebar for reading the kernel at a glance: each CPU with
// its IRQL and what runs, its DPC queue in order, pending vectors; then the interrupt objects.
// Data that is a tree goes in a tree (STYLE); the picture (timeline) is the Kernel View's.

import * as vscode from 'vscode';
import type { CpuState, DpcState, InterruptState, KdsimState } from '../kernel-sim/debug/state-types';
import type { SessionState } from './session-state';

type Node =
  | { kind: 'cpu'; cpu: CpuState; focused: boolean }
  | { kind: 'dpc'; dpc: DpcState; index: number; threaded: boolean; nowNs: number }
  | { kind: 'pending'; vector: number }
  | { kind: 'interrupts'; list: InterruptState[] }
  | { kind: 'interrupt'; intr: InterruptState }
  | { kind: 'empty'; label: string };

export class KernelTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly listeners: vscode.Disposable[];
  private pendingRefresh = false;

  constructor(private readonly store: SessionState) {
    this.view = vscode.window.createTreeView('kdsim.kernelTree', { treeDataProvider: this, showCollapseAll: true });
    this.listeners = [
      store.onDidChange(() => this.scheduleRefresh()),
      // Updates skipped while hidden: catch up when shown.
      this.view.onDidChangeVisibility((e) => e.visible && this.changed.fire(undefined)),
    ];
  }

  /** States arrive up to 10/s while running: redraw only when visible, once per burst. */
  private scheduleRefresh(): void {
    if (!this.view.visible || this.pendingRefresh) return;
    this.pendingRefresh = true;
    setTimeout(() => {
      this.pendingRefresh = false;
      this.changed.fire(undefined);
    }, 50);
  }

  getChildren(node?: Node): Node[] {
    const state: KdsimState | undefined = this.store.state;
    if (!node) {
      if (!state) return [];
      const focus = this.store.cpu;
      return [...state.cpus.map((cpu): Node => ({ kind: 'cpu', cpu, focused: cpu.number === focus })), { kind: 'interrupts', list: state.interrupts }];
    }
    switch (node.kind) {
      case 'cpu': {
        const nowNs = state?.nowNs ?? node.cpu.clockNs;
        const out: Node[] = [
          ...node.cpu.dpcQueue.map((dpc, index): Node => ({ kind: 'dpc', dpc, index, threaded: false, nowNs })),
          ...node.cpu.threadedDpcQueue.map((dpc, index): Node => ({ kind: 'dpc', dpc, index, threaded: true, nowNs })),
          ...node.cpu.pendingVectors.map((vector): Node => ({ kind: 'pending', vector })),
        ];
        return out.length > 0 ? out : [{ kind: 'empty', label: 'DPC queue empty, no pending interrupts' }];
      }
      case 'interrupts':
        return node.list.length > 0 ? node.list.map((intr): Node => ({ kind: 'interrupt', intr })) : [{ kind: 'empty', label: 'no interrupt connected' }];
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'cpu': {
        const c = node.cpu;
        const hasChildren = c.dpcQueue.length + c.threadedDpcQueue.length + c.pendingVectors.length > 0;
        const item = new vscode.TreeItem(`CPU ${c.number}`, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `cpu-${c.number}`;
        item.description = `IRQL ${c.irql} ${c.irqlName} · ${c.context}${c.dpcQueue.length > 0 ? ` · ${c.dpcQueue.length} DPC queued` : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.focused ? 'debug-stackframe-focused' : 'circuit-board', c.irql > 2 ? new vscode.ThemeColor('charts.orange') : undefined);
        item.tooltip = `CPU ${c.number}: IRQL ${c.irql} (${c.irqlName})\n${c.context}\nthread: ${c.thread}\ninterrupts: ${c.interruptCount}`;
        item.contextValue = 'cpu';
        return item;
      }
      case 'dpc': {
        const d = node.dpc;
        const item = new vscode.TreeItem(`${node.index + 1}. ${d.routine}`, vscode.TreeItemCollapsibleState.None);
        const waited = d.queuedAtNs !== undefined ? ` · waiting ${formatNs(node.nowNs - d.queuedAtNs)}` : '';
        item.description = `${node.threaded ? 'threaded · ' : ''}${d.importance}${d.target !== undefined ? ` → CPU ${d.target}` : ''}${waited}`;
        item.tooltip = `KDPC ${d.address}\nDeferredRoutine ${d.routine}\nDeferredContext ${d.deferredContext}\nSystemArgument1 ${d.systemArgument1}\nSystemArgument2 ${d.systemArgument2}`;
        item.iconPath = new vscode.ThemeIcon('list-ordered');
        item.contextValue = 'dpc';
        return item;
      }
      case 'pending': {
        const item = new vscode.TreeItem(`pending vector 0x${node.vector.toString(16)}`, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('bell-dot');
        return item;
      }
      case 'interrupts': {
        const item = new vscode.TreeItem('Interrupts', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'interrupts';
        item.description = `${node.list.length} connected`;
        item.iconPath = new vscode.ThemeIcon('zap');
        return item;
      }
      case 'interrupt': {
        const i = node.intr;
        const item = new vscode.TreeItem(`0x${i.vector.toString(16)} ${i.routine}`, vscode.TreeItemCollapsibleState.None);
        item.description = `CPU ${i.cpu} · IRQL ${i.irql} · ${i.mode}${i.shared ? ' · shared' : ''}${i.messageBased ? ' · MSI' : ''} · ${i.serviceCount}×`;
        item.tooltip = `KINTERRUPT ${i.address}\nvector 0x${i.vector.toString(16)}, IRQL ${i.irql}, SynchronizeIrql ${i.synchronizeIrql}\n${i.mode}${i.shared ? ', shared' : ''}\nserviced ${i.serviceCount} (claimed ${i.claimed}, unclaimed ${i.unclaimed})\nlast ISR ${formatNs(i.lastDurationNs)}`;
        item.iconPath = new vscode.ThemeIcon('zap');
        item.contextValue = 'interrupt';
        return item;
      }
      case 'empty':
        return new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    }
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

function formatNs(ns: number): string {
  if (ns < 1000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${(ns / 1000).toFixed(1)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}
