// Diagnostics in the Problems panel: a driver that does not compile, and a device module refused
// in restricted mode (the untrusted-workspace launch).

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DapRecorder, EXTENSION_ID, stopAll, waitFor } from './util';

/** Resolves with the diagnostics of `uri` once one matches. */
function diagnosticsOf(uri: vscode.Uri, match: (d: vscode.Diagnostic) => boolean): Promise<vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri);
  if (now.some(match)) return Promise.resolve(now);
  return waitFor(`a diagnostic in ${uri.fsPath}`, (resolve) =>
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.fsPath === uri.fsPath)) return;
      const list = vscode.languages.getDiagnostics(uri);
      if (list.some(match)) resolve(list);
    }),
  );
}

function exampleDir(name: string): string {
  return vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'examples', name).fsPath;
}

export function registerProblemsTests(): void {
  suite('problems', () => {
    let rec: DapRecorder;
    setup(() => {
      rec = new DapRecorder();
    });
    teardown(async () => {
      await stopAll();
      rec.dispose();
    });

    test('a driver that does not compile: the launch fails and the error is in the Problems panel at its line', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kdsim-e2e-broken-'));
      cpSync(exampleDir('dpcforisr'), dir, { recursive: true });
      const file = join(dir, 'driver.c');
      const lines = readFileSync(file, 'utf8').split('\n');
      const at = lines.findIndex((l) => l.includes('InterlockedIncrement(&ext->Stats.Interrupts);'));
      assert.ok(at >= 0);
      lines[at] = '    InterlockedIncrement(&ext->Stats.NoSuchMember);';
      writeFileSync(file, lines.join('\n'));

      const uri = vscode.Uri.file(file);
      const found = diagnosticsOf(uri, (d) => d.source === 'kdsim' && d.severity === vscode.DiagnosticSeverity.Error);
      const config = { type: 'kdsim', request: 'launch', name: 'broken driver', project: join(dir, 'kdsim.json') };
      // The launch fails and VS Code reports it in a dialog: do not wait for startDebugging to settle.
      void vscode.debug.startDebugging(undefined, config);
      const diags = await found;
      const err = diags.find((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.ok(err);
      assert.equal(err.range.start.line, at, `error at line ${err.range.start.line + 1}: ${err.message}`);
      assert.match(err.message, /NoSuchMember/);
    });

    test('restricted mode (trusted: false) refuses the project device module and says why in Problems', async () => {
      const project = vscode.Uri.file(join(exampleDir('user-device'), 'kdsim.json'));
      const found = diagnosticsOf(project, (d) => /trusted workspace/.test(d.message));
      const launched = rec.next('the launch request', (m) => m.type === 'response' && m.command === 'launch');
      void vscode.debug.startDebugging(undefined, { type: 'kdsim', request: 'launch', name: 'restricted', project: project.fsPath, trusted: false });
      const response = await launched;
      assert.equal((response as { success?: boolean }).success, false);
      const sent = rec.received.find((r) => r.m.command === 'launch' && r.m.arguments?.project === project.fsPath);
      assert.equal(sent?.m.arguments?.trusted, false);
      const diags = await found;
      assert.ok(diags.some((d) => /device module/.test(d.message)));
    });
  });
}
