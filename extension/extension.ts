// VS Code entry point: wires the kdsim debugger (configuration provider, adapter factory), the
// live views (status bar, sidebar tree, Kernel View) and the commands. Each lives in its own
// module; this file only connects them.

import * as vscode from 'vscode';
import { KdsimAdapterFactory } from './adapter-factory';
import { registerCommands } from './commands';
import { KdsimConfigurationProvider } from './config-provider';
import { DriverDiagnostics } from './diagnostics';
import { KernelTreeProvider } from './dpc-tree';
import { KernelViewHost } from './kernel-view';
import { newProjectFromExample, type NewProjectArgs } from './new-project';
import { DEBUG_TYPE, SessionState } from './session-state';
import { IrqlStatusBar } from './status-bar';

/** What activate() returns: for the end-to-end suite and other extensions, read only. */
export interface KdsimApi {
  readonly store: SessionState;
  readonly diagnostics: vscode.DiagnosticCollection;
  readonly kernelViewVisible: () => boolean;
  /** A configuration provider with a given trust (the restricted mode, tested in a trusted window). */
  readonly configurationProvider: (isTrusted: () => boolean) => vscode.DebugConfigurationProvider;
}

export function activate(context: vscode.ExtensionContext): KdsimApi {
  const store = new SessionState();
  const diagnostics = new DriverDiagnostics();
  const kernelView = new KernelViewHost(context.extensionUri, store);
  const factory = new KdsimAdapterFactory(context.extensionUri);
  const provider = new KdsimConfigurationProvider();
  context.subscriptions.push(
    store,
    diagnostics,
    kernelView,
    factory,
    new IrqlStatusBar(store),
    new KernelTreeProvider(store),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Initial),
    // Dynamic: the "kdsim" entry of the Run and Debug start list lists every project. Only the
    // provide method: resolve methods run for every registration, and once is enough.
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: (folder) => provider.provideDebugConfigurations(folder) },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    ...registerCommands(store, kernelView),
    vscode.commands.registerCommand('kdsim.newProject', (args?: NewProjectArgs) => newProjectFromExample(context.extensionUri, args)),
  );
  return {
    store,
    diagnostics: diagnostics.collection,
    kernelViewVisible: () => kernelView.visible,
    configurationProvider: (isTrusted) => new KdsimConfigurationProvider(isTrusted),
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
