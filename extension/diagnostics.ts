// Compile and project diagnostics in the Problems panel, from two sources: the debug adapter's
// stderr output events at launch ("path:line:col: error: message"), read by a debug adapter
// tracker, and the "Check Driver Sources" command that compiles without debugging.

import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { compile, type Diagnostic } from '../kernel-sim/c';
import { loadSimulatedHeaders, NodeFileHost } from '../node-host/files';
import { readProjectSources } from '../node-host/project';
import { DEBUG_TYPE } from './session-state';

/** One diagnostic as the adapter prints it. */
export interface ParsedDiagnostic {
  path: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
}

const LINE = /^(.+?):(\d+):(\d+): (error|warning): (.*)$/;
const NO_POSITION = /^(.+?): (error|warning): (.*)$/;

/** Parses one line of adapter stderr; undefined when it is not a diagnostic. */
export function parseDiagnosticLine(text: string): ParsedDiagnostic | undefined {
  const line = text.replace(/\r?\n$/, '');
  const m = LINE.exec(line);
  if (m) return { path: m[1], line: Number(m[2]), column: Number(m[3]), severity: m[4] as 'error' | 'warning', message: m[5] };
  // Project-level problems (a device module refused, a missing file) have a path but no position.
  const n = NO_POSITION.exec(line);
  if (n && /[\\/]/.test(n[1])) return { path: n[1], line: 1, column: 1, severity: n[2] as 'error' | 'warning', message: n[3] };
  return undefined;
}

export class DriverDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('kdsim');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Diagnostics gathered during the launch of each session, published as they arrive. */
  private readonly bySession = new Map<string, Map<string, vscode.Diagnostic[]>>();

  constructor() {
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onWillReceiveMessage: (m: unknown) => {
            // A new launch starts from a clean slate: old errors may have been fixed.
            if (isRequest(m, 'launch')) {
              this.collection.clear();
              this.bySession.set(session.id, new Map());
            }
          },
          onDidSendMessage: (m: unknown) => this.onOutput(session, m),
          onExit: () => this.bySession.delete(session.id),
        }),
      }),
      vscode.commands.registerCommand('kdsim.checkDriver', () => this.checkWorkspace()),
    );
  }

  private onOutput(session: vscode.DebugSession, m: unknown): void {
    if (typeof m !== 'object' || m === null) return;
    const msg = m as { type?: string; event?: string; body?: { category?: string; output?: string } };
    if (msg.type !== 'event' || msg.event !== 'output' || msg.body?.category !== 'stderr' || typeof msg.body.output !== 'string') return;
    const files = this.bySession.get(session.id) ?? new Map<string, vscode.Diagnostic[]>();
    this.bySession.set(session.id, files);
    for (const text of msg.body.output.split('\n')) {
      const d = parseDiagnosticLine(text);
      if (!d) continue;
      const list = files.get(d.path) ?? [];
      list.push(toVsDiagnostic(d.line, d.column, d.severity, d.message));
      files.set(d.path, list);
      this.collection.set(vscode.Uri.file(d.path), list);
    }
  }

  /** "kdsim: Check Driver Sources": compile every kdsim.json project of the workspace. */
  async checkWorkspace(): Promise<number> {
    const files = await vscode.workspace.findFiles('**/kdsim.json', '**/node_modules/**', 10);
    if (files.length === 0) {
      void vscode.window.showWarningMessage('kdsim: no kdsim.json in this workspace.');
      return 0;
    }
    this.collection.clear();
    let errors = 0;
    for (const f of files) {
      const proj = readProjectSources(f.fsPath);
      if (!proj) continue;
      if ('error' in proj) {
        void vscode.window.showErrorMessage(proj.error);
        continue;
      }
      const r = compile(proj.sources, {
        host: new NodeFileHost(),
        simulatedHeaders: loadSimulatedHeaders(),
        includePaths: [...proj.includePaths, dirname(proj.projectFile)],
        defines: proj.defines,
      });
      errors += this.publishCompile(r.diagnostics);
    }
    void vscode.window.setStatusBarMessage(`kdsim: ${errors} error(s)`, 5000);
    return errors;
  }

  /** Groups the front end's diagnostics by file; returns the error count. */
  private publishCompile(diags: readonly Diagnostic[]): number {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    let errors = 0;
    for (const d of diags) {
      // Notes ride along as related information; headers of the simulator itself ("<wdm.h>") are not the user's.
      if (d.severity === 'note' || d.path.startsWith('<')) continue;
      if (d.severity === 'error') errors++;
      const vd = toVsDiagnostic(d.line, d.col, d.severity === 'error' ? 'error' : 'warning', d.message);
      if (d.notes.length > 0) {
        vd.relatedInformation = d.notes
          .filter((n) => !n.path.startsWith('<'))
          .map((n) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(n.path), new vscode.Position(n.line - 1, n.col - 1)), n.message));
      }
      const list = byFile.get(d.path) ?? [];
      list.push(vd);
      byFile.set(d.path, list);
    }
    for (const [path, list] of byFile) this.collection.set(vscode.Uri.file(path), list);
    return errors;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function toVsDiagnostic(line: number, column: number, severity: 'error' | 'warning', message: string): vscode.Diagnostic {
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  const d = new vscode.Diagnostic(new vscode.Range(pos, pos), message, severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'kdsim';
  return d;
}

function isRequest(m: unknown, command: string): boolean {
  return typeof m === 'object' && m !== null && (m as { type?: string }).type === 'request' && (m as { command?: string }).command === command;
}
