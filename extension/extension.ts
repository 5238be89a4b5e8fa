// VS Code entry point. For now: "kdsim: Check Driver Sources" compiles the workspace's driver
// (kdsim.json) with kdsim's front end and shows the diagnostics in the Problems panel.
// The debugger, Kernel View and the rest arrive with the later layers.

import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { compile, type Diagnostic } from '../kernel-sim/c';
import { loadSimulatedHeaders, NodeFileHost } from '../cli/node-host';
import { readProjectSources } from '../cli/project';

export function activate(context: vscode.ExtensionContext): void {
  const problems = vscode.languages.createDiagnosticCollection('kdsim');
  context.subscriptions.push(problems);
  context.subscriptions.push(
    vscode.commands.registerCommand('kdsim.checkDriver', async () => {
      const files = await vscode.workspace.findFiles('**/kdsim.json', '**/node_modules/**', 10);
      if (files.length === 0) {
        void vscode.window.showWarningMessage('kdsim: no kdsim.json in this workspace.');
        return;
      }
      problems.clear();
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
        errors += publish(problems, r.diagnostics);
      }
      void vscode.window.setStatusBarMessage(`kdsim: ${errors} error(s)`, 5000);
    }),
  );
}

/** Groups diagnostics by file into the Problems panel; returns the error count. */
function publish(collection: vscode.DiagnosticCollection, diags: readonly Diagnostic[]): number {
  const byFile = new Map<string, vscode.Diagnostic[]>();
  let errors = 0;
  for (const d of diags) {
    if (d.severity === 'note' || d.path.startsWith('<')) continue;
    if (d.severity === 'error') errors++;
    const pos = new vscode.Position(Math.max(0, d.line - 1), Math.max(0, d.col - 1));
    const vd = new vscode.Diagnostic(
      new vscode.Range(pos, pos),
      d.message,
      d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
    );
    vd.source = 'kdsim';
    if (d.notes.length > 0) {
      vd.relatedInformation = d.notes
        .filter((n) => !n.path.startsWith('<'))
        .map((n) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(n.path), new vscode.Position(n.line - 1, n.col - 1)), n.message));
    }
    const list = byFile.get(d.path) ?? [];
    list.push(vd);
    byFile.set(d.path, list);
  }
  for (const [path, list] of byFile) collection.set(vscode.Uri.file(path), list);
  return errors;
}

export function deactivate(): void {
  // Nothing to release: subscriptions are disposed by VS Code.
}
