// Activation, contributions and the commands that need no debug session.

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, kdsimApi, workspaceFolder } from './util';

interface DebuggerContribution {
  type: string;
  languages?: string[];
  configurationAttributes?: { launch?: { required?: string[]; properties?: Record<string, unknown> } };
}

export function registerExtensionTests(): void {
  suite('extension', () => {
    test('activates in a driver workspace and registers its commands', async () => {
      const api = await kdsimApi();
      assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
      assert.ok(api.store && api.diagnostics);
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['kdsim.showKernelView', 'kdsim.fireInterrupt', 'kdsim.stepToNextInterrupt', 'kdsim.stepToNextDpc', 'kdsim.newProject', 'kdsim.checkDriver']) {
        assert.ok(commands.includes(c), `command ${c} is not registered`);
      }
    });

    test('contributes the kdsim debugger for C with launch attributes, breakpoints and kdsim.json validation', () => {
      const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
        contributes: { debuggers: DebuggerContribution[]; breakpoints: Array<{ language: string }>; jsonValidation: Array<{ fileMatch: string[]; url: string }> };
        capabilities: { untrustedWorkspaces: { supported: unknown } };
      };
      const dbg = pkg.contributes.debuggers.find((d) => d.type === 'kdsim');
      assert.ok(dbg, 'no kdsim debugger');
      assert.deepEqual(dbg.languages, ['c', 'cpp']);
      assert.ok(dbg.configurationAttributes?.launch?.required?.includes('project'));
      for (const a of ['project', 'stopOnEntry', 'cpus', 'seed', 'verifier', 'trusted']) assert.ok(dbg.configurationAttributes?.launch?.properties?.[a], `launch attribute ${a}`);
      assert.ok(pkg.contributes.breakpoints.some((b) => b.language === 'c'));
      const v = pkg.contributes.jsonValidation.find((j) => j.fileMatch.includes('kdsim.json'));
      assert.ok(v, 'kdsim.json is not validated');
      const schema = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, v.url);
      assert.ok(existsSync(schema.fsPath), `the schema ${schema.fsPath} is not shipped`);
      assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    });

    test('the configuration provider finds the workspace kdsim.json and fills an empty F5 configuration', async () => {
      const api = await kdsimApi();
      const provider = api.configurationProvider(() => true);
      const folder = workspaceFolder();
      const provided = await provider.provideDebugConfigurations?.(folder);
      assert.deepEqual(provided?.map((c) => c.project), ['${workspaceFolder}/kdsim.json']);
      const resolved = await provider.resolveDebugConfiguration?.(folder, { type: '', request: '', name: '' });
      assert.equal(resolved?.type, 'kdsim');
      assert.equal(resolved?.project, vscode.Uri.joinPath(folder.uri, 'kdsim.json').fsPath);
    });

    test('an untrusted workspace launches restricted, and launch.json cannot raise trust', async () => {
      const api = await kdsimApi();
      const base = { type: 'kdsim', request: 'launch', name: 'x', project: '/p/kdsim.json' };
      const untrusted = api.configurationProvider(() => false);
      assert.equal((await untrusted.resolveDebugConfigurationWithSubstitutedVariables?.(undefined, { ...base, trusted: true }))?.trusted, false);
      const trusted = api.configurationProvider(() => true);
      assert.equal((await trusted.resolveDebugConfigurationWithSubstitutedVariables?.(undefined, { ...base }))?.trusted, true);
      assert.equal((await trusted.resolveDebugConfigurationWithSubstitutedVariables?.(undefined, { ...base, trusted: false }))?.trusted, false);
    });

    test('Check Driver Sources compiles the example without errors', async () => {
      const errors = await vscode.commands.executeCommand<number>('kdsim.checkDriver');
      assert.equal(errors, 0);
    });

    test('New Driver Project from Example copies the example with a launch.json', async () => {
      const parent = mkdtempSync(join(tmpdir(), 'kdsim-e2e-new-'));
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('kdsim.newProject', { example: 'dpcforisr', parent, open: false });
      assert.ok(uri);
      assert.equal(uri.fsPath, join(parent, 'dpcforisr'));
      assert.ok(existsSync(join(uri.fsPath, 'driver.c')));
      const project = JSON.parse(readFileSync(join(uri.fsPath, 'kdsim.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(project.name, 'dpcforisr');
      assert.equal(project.$schema, undefined, 'the source-tree schema path is dropped (jsonValidation applies)');
      const launch = JSON.parse(readFileSync(join(uri.fsPath, '.vscode', 'launch.json'), 'utf8')) as { configurations: Array<{ type: string }> };
      assert.equal(launch.configurations[0].type, 'kdsim');
      // A second copy never overwrites the first.
      const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('kdsim.newProject', { example: 'dpcforisr', parent, open: false });
      assert.equal(again?.fsPath, join(parent, 'dpcforisr-2'));
    });
  });
}
