// The Kernel View panel host: a webview panel showing the page built by webview/html.ts, fed
// with the store's state, session status and focused CPU. The page is recreated when hidden
// (retainContextWhenHidden is off: it costs memory while hidden); the webview keeps its own UI
// state with getState/setState and announces 'ready', and the host answers with the latest
// state. A serializer brings the panel back after a window reload.

import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { kernelViewHtml } from '../webview/html';
import type { FromKernelView, ToKernelView } from '../webview/protocol';
import { DEBUG_TYPE, type SessionState } from './session-state';

export const KERNEL_VIEW_TYPE = 'kdsim.kernelView';

export class KernelViewHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /** What was last posted, to send only what changed. */
  private sent: { version?: number; status?: string; cpu?: number | null } = {};

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: SessionState,
  ) {
    this.disposables.push(
      store.onDidChange(() => this.push()),
      vscode.window.registerWebviewPanelSerializer(KERNEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.attach(panel),
      }),
    );
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Opens the panel beside the editor, or reveals it. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(KERNEL_VIEW_TYPE, 'Kernel View', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
    this.attach(panel);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    this.sent = {};
    // A restored panel keeps the options it was saved with: set them again (the dist/ root).
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // The page is rebuilt when shown again; it says 'ready' when it can take messages.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
        this.panel = undefined;
        this.ready = false;
      }),
    ];
  }

  private html(webview: vscode.Webview): string {
    const asset = (...p: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', ...p)).toString();
    return kernelViewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: asset('webview.js'),
      styleUri: asset('webview.css'),
      codiconsUri: asset('codicons', 'codicon.css'),
    });
  }

  private post(m: ToKernelView): void {
    void this.panel?.webview.postMessage(m);
  }

  /** Sends what changed since the last post; everything after 'ready'. */
  private push(): void {
    if (!this.panel || !this.ready) return;
    const { status, state, session } = this.store;
    if (status !== this.sent.status) {
      this.post({ type: 'session', status, ...(session ? { name: session.name } : {}) });
      this.sent.status = status;
    }
    const cpu = this.store.cpu;
    if ((cpu ?? null) !== this.sent.cpu) {
      this.post({ type: 'focus', cpu });
      this.sent.cpu = cpu ?? null;
    }
    if (state && state.version !== this.sent.version) {
      this.post({ type: 'state', state });
      this.sent.version = state.version;
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') return;
    const m = raw as FromKernelView;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sent = {};
        if (!this.store.state) await this.store.refresh();
        this.push();
        return;
      case 'reveal':
        return this.reveal(m.file, m.line);
      case 'travelTo':
        return this.request('kdsim/travelTo', { timeNs: m.timeNs, ...(m.cpu !== undefined ? { cpu: m.cpu } : {}) });
      case 'fireInterrupt':
        return this.request('kdsim/fireInterrupt', m.device !== undefined ? { device: m.device } : {});
    }
  }

  private async reveal(file: string, line: number): Promise<void> {
    if (typeof file !== 'string' || !isAbsolute(file)) return;
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const pos = new vscode.Position(Math.max(0, (Number.isInteger(line) ? line : 1) - 1), 0);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos), preserveFocus: false });
    } catch (e) {
      void vscode.window.showWarningMessage(`kdsim: cannot open ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async request(command: string, args: Record<string, unknown>): Promise<void> {
    const s = this.store.session;
    if (!s || s.type !== DEBUG_TYPE || this.store.status === 'ended') {
      void vscode.window.showInformationMessage('kdsim: start debugging (F5) first.');
      return;
    }
    try {
      await s.customRequest(command, args);
    } catch (e) {
      void vscode.window.showWarningMessage(`kdsim: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
