// "New Driver Project from Example": copies one of the bundled example workspaces to a folder
// the user picks and opens it, ready for F5.

import * as vscode from 'vscode';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Example {
  name: string;
  description: string;
  dir: string;
}

/** The examples shipped with the extension: folders of examples/ (one level of nesting) holding kdsim.json. */
export function listExamples(extensionUri: vscode.Uri): Example[] {
  const root = vscode.Uri.joinPath(extensionUri, 'examples').fsPath;
  const out: Example[] = [];
  const visit = (dir: string, prefix: string, depth: number): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const sub = join(dir, entry.name);
      const file = join(sub, 'kdsim.json');
      if (existsSync(file)) out.push({ name: prefix + entry.name, description: describe(file), dir: sub });
      else if (depth > 0) visit(sub, `${prefix}${entry.name}/`, depth - 1);
    }
  };
  visit(root, '', 1);
  return out;
}

function describe(file: string): string {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { description?: unknown };
    return typeof j.description === 'string' ? j.description : '';
  } catch {
    return '';
  }
}

export interface NewProjectArgs {
  /** Example name as listExamples gives it (e.g. "dpcforisr"). */
  example?: string;
  /** Folder to create the project in (the project becomes <parent>/<example>). */
  parent?: string;
  /** Open the result (default: ask). false: just create it (tests). */
  open?: boolean;
}

/** Copies an example; returns the new project's folder, or undefined if cancelled. */
export async function newProjectFromExample(extensionUri: vscode.Uri, args: NewProjectArgs = {}): Promise<vscode.Uri | undefined> {
  const examples = listExamples(extensionUri);
  let example = examples.find((e) => e.name === args.example);
  if (!example) {
    const pick = await vscode.window.showQuickPick(
      examples.map((e) => ({ label: e.name, detail: e.description, example: e })),
      { placeHolder: 'Start from which example driver?', matchOnDetail: true },
    );
    if (!pick) return undefined;
    example = pick.example;
  }
  let parent = args.parent;
  if (!parent) {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Create Project Here',
      title: `Folder for the new '${example.name}' project`,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!chosen?.[0]) return undefined;
    parent = chosen[0].fsPath;
  }
  const target = freeName(parent, example.name.replace(/\//g, '-'));
  mkdirSync(parent, { recursive: true });
  cpSync(example.dir, target, { recursive: true });
  fixSchemaReference(join(target, 'kdsim.json'));
  ensureLaunchJson(target);
  const uri = vscode.Uri.file(target);
  const open = args.open ?? (await askOpen());
  if (open) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: (vscode.workspace.workspaceFolders?.length ?? 0) > 0 });
  return uri;
}

/** `dir/name`, or `dir/name-2`, … when it exists (never overwrite someone's work). */
function freeName(dir: string, name: string): string {
  let candidate = join(dir, name);
  for (let i = 2; existsSync(candidate); i++) candidate = join(dir, `${name}-${i}`);
  return candidate;
}

/** The examples point $schema into the source tree; outside it the extension's jsonValidation applies instead. */
function fixSchemaReference(file: string): void {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (!('$schema' in j)) return;
    delete j.$schema;
    writeFileSync(file, JSON.stringify(j, null, 2) + '\n');
  } catch {
    // A broken example file is left as it is: the user sees the JSON errors.
  }
}

function ensureLaunchJson(dir: string): void {
  const file = join(dir, '.vscode', 'launch.json');
  if (existsSync(file)) return;
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  const launch = {
    version: '0.2.0',
    configurations: [{ type: 'kdsim', request: 'launch', name: 'Debug driver', project: '${workspaceFolder}/kdsim.json' }],
  };
  writeFileSync(file, JSON.stringify(launch, null, 2) + '\n');
}

async function askOpen(): Promise<boolean> {
  const open = 'Open';
  return (await vscode.window.showInformationMessage('kdsim: the project was created.', open, 'Not Now')) === open;
}
