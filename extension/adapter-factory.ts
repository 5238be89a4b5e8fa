// Where the debug adapter runs, chosen by the setting kdsim.adapterMode:
// - inline (default): a KdsimDebugSession in the extension host, no process or socket; the
//   adapter slices its runs so the host is never blocked for long;
// - server: the same session class behind a TCP server on 127.0.0.1 in the extension host
//   (one server per window, a session per connection) — what a DAP client outside VS Code sees;
// - executable: dist/debug-adapter.js as a child process over stdio, isolated from the host.

import * as vscode from 'vscode';
import type { AddressInfo, Server } from 'node:net';
import { KdsimDebugSession } from '../debug-adapter/session';
import { startServer } from '../debug-adapter/main';

export type AdapterMode = 'inline' | 'server' | 'executable';

export function adapterMode(): AdapterMode {
  const m = vscode.workspace.getConfiguration('kdsim').get<string>('adapterMode', 'inline');
  return m === 'server' || m === 'executable' ? m : 'inline';
}

export class KdsimAdapterFactory implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  private server: Promise<Server> | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    // A launch configuration may pick a mode for itself (handy to compare them).
    const fromConfig = session.configuration.adapterMode as unknown;
    const mode: AdapterMode = fromConfig === 'server' || fromConfig === 'executable' || fromConfig === 'inline' ? fromConfig : adapterMode();
    switch (mode) {
      case 'server': {
        this.server ??= startServer(0);
        const port = ((await this.server).address() as AddressInfo).port;
        return new vscode.DebugAdapterServer(port, '127.0.0.1');
      }
      case 'executable': {
        const script = vscode.Uri.joinPath(this.extensionUri, 'dist', 'debug-adapter.js').fsPath;
        // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it plain Node.
        return new vscode.DebugAdapterExecutable(process.execPath, [script], { env: { ELECTRON_RUN_AS_NODE: '1' } });
      }
      default:
        return new vscode.DebugAdapterInlineImplementation(new KdsimDebugSession());
    }
  }

  dispose(): void {
    const s = this.server;
    this.server = undefined;
    void s?.then((server) => server.close());
  }
}
