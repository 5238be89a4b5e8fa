// Launch configurations for the kdsim debugger: F5 without a launch.json finds the workspace's
// kdsim.json (or offers to start from an example), the "Add Configuration" list offers one per
// project, and every launch carries the workspace's trust (device modules are code: an
// untrusted workspace runs with the built-in device models only).

import * as vscode from 'vscode';
import { isAbsolute, relative } from 'node:path';
import { DEBUG_TYPE } from './session-state';

const PROJECT_GLOB = '**/{kdsim.json,*.kdsim.json}';
const EXCLUDE = '**/{node_modules,.git,.vscode-test}/**';

export class KdsimConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** `isTrusted` is a parameter so tests can check the restricted mode in a trusted window. */
  constructor(private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted) {}

  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const projects = await findProjects(folder);
    if (projects.length === 0) return [defaultConfiguration('${workspaceFolder}/kdsim.json')];
    return projects.map((p) => defaultConfiguration(asVariablePath(p, folder), projects.length > 1 ? vscode.workspace.asRelativePath(p, false) : undefined));
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    // F5 with no launch.json: VS Code hands over an empty configuration.
    if (!config.type && !config.request && !config.name) {
      const project = await pickProject(folder);
      if (!project) return offerExample();
      return { ...defaultConfiguration(project.fsPath), stopOnEntry: false };
    }
    if (config.type !== DEBUG_TYPE) return config;
    config.request ??= 'launch';
    config.name ??= 'Debug driver';
    if (typeof config.project !== 'string' || config.project === '') {
      const project = await pickProject(folder);
      if (!project) {
        void vscode.window.showErrorMessage("kdsim: the launch configuration has no 'project' and the workspace has no kdsim.json.");
        return undefined;
      }
      config.project = project.fsPath;
    }
    return config;
  }

  resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    // A launch.json cannot raise trust: an untrusted workspace always launches restricted.
    config.trusted = this.isTrusted() && config.trusted !== false;
    return config;
  }
}

function defaultConfiguration(project: string, label?: string): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: label ? `Debug driver (${label})` : 'Debug driver', project };
}

/** `${workspaceFolder}/…` for a project inside the folder, else the absolute path. */
function asVariablePath(file: vscode.Uri, folder: vscode.WorkspaceFolder | undefined): string {
  const rel = folder ? relative(folder.uri.fsPath, file.fsPath) : '';
  if (folder && inside(rel)) return '${workspaceFolder}/' + rel.split('\\').join('/');
  return file.fsPath;
}

/** Whether a path relative to a folder stays inside it. */
function inside(rel: string): boolean {
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

async function findProjects(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.Uri[]> {
  const include = folder ? new vscode.RelativePattern(folder, PROJECT_GLOB) : PROJECT_GLOB;
  const found = await vscode.workspace.findFiles(include, EXCLUDE, 50);
  // The plain kdsim.json first, shallow before deep: the likely default leads.
  return found.sort((a, b) => rank(a) - rank(b) || a.fsPath.localeCompare(b.fsPath));
}

function rank(u: vscode.Uri): number {
  return u.path.split('/').length * 2 + (u.path.endsWith('/kdsim.json') ? 0 : 1);
}

/** The project for F5: the one next to the active editor, the only one, or the user's choice. */
async function pickProject(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.Uri | undefined> {
  const projects = await findProjects(folder);
  if (projects.length <= 1) return projects[0];
  // The project whose folder holds the active editor's file, when exactly one does.
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active) {
    const holding = projects.filter((p) => inside(relative(vscode.Uri.joinPath(p, '..').fsPath, active.fsPath)));
    if (holding.length === 1) return holding[0];
  }
  const pick = await vscode.window.showQuickPick(
    projects.map((p) => ({ label: vscode.workspace.asRelativePath(p, false), uri: p })),
    { placeHolder: 'Which kdsim project to debug?' },
  );
  return pick?.uri;
}

async function offerExample(): Promise<undefined> {
  const create = 'New Driver Project from Example…';
  const choice = await vscode.window.showInformationMessage('kdsim: this workspace has no kdsim.json project file to debug.', create);
  if (choice === create) await vscode.commands.executeCommand('kdsim.newProject');
  // Returning undefined ends the launch quietly; the new project opens in its own window.
  return undefined;
}
