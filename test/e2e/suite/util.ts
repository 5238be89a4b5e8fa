// Helpers of the in-host suite: the extension's API, the workspace, and waiting for debug
// adapter messages seen by a tracker (the API has no "stopped" event).

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KdsimApi } from '../../../extension/extension';

export const EXTENSION_ID = 'kdsim.kdsim';
/** Failure guard for anything the suite waits for (never a measure of speed). */
export const GUARD_MS = 45_000;

export async function kdsimApi(): Promise<KdsimApi> {
  const ext = vscode.extensions.getExtension<KdsimApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the suite needs a workspace folder (examples/dpcforisr)');
  return f;
}

/** 1-based line of the first line of `uri` containing `text` (and after the line containing `after`). */
export async function lineOf(uri: vscode.Uri, text: string, after?: string): Promise<number> {
  const lines = (await vscode.workspace.openTextDocument(uri)).getText().split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  assert.ok(from >= 0, `'${after}' not found in ${uri.fsPath}`);
  const i = lines.findIndex((l, n) => n >= from && l.includes(text));
  assert.ok(i >= 0, `'${text}' not found in ${uri.fsPath}`);
  return i + 1;
}

export interface DapMessage {
  type: string;
  seq?: number;
  command?: string;
  event?: string;
  arguments?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

/** Records the DAP traffic of every kdsim session; `next` waits for a matching message. */
export class DapRecorder implements vscode.Disposable {
  readonly sent: Array<{ session: vscode.DebugSession; m: DapMessage }> = [];
  readonly received: Array<{ session: vscode.DebugSession; m: DapMessage }> = [];
  private waiters: Array<{ match: (m: DapMessage, s: vscode.DebugSession) => boolean; resolve: (m: DapMessage) => void }> = [];
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory('kdsim', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: DapMessage) => {
          this.sent.push({ session, m });
          this.waiters = this.waiters.filter((w) => {
            if (!w.match(m, session)) return true;
            w.resolve(m);
            return false;
          });
        },
        onWillReceiveMessage: (m: DapMessage) => this.received.push({ session, m }),
      }),
    });
  }

  /** The next adapter message (from now on) that matches; fails after GUARD_MS. */
  next(what: string, match: (m: DapMessage, s: vscode.DebugSession) => boolean): Promise<DapMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} from the debug adapter within ${GUARD_MS} ms`)), GUARD_MS);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  stopped(session?: vscode.DebugSession): Promise<DapMessage> {
    return this.next('stopped event', (m, s) => m.type === 'event' && m.event === 'stopped' && (!session || s === session));
  }

  launchArguments(session: vscode.DebugSession): Record<string, unknown> | undefined {
    return this.received.find((r) => r.session === session && r.m.type === 'request' && r.m.command === 'launch')?.m.arguments;
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** Resolves with the kdsim session that starts next. */
export function nextSession(): Promise<vscode.DebugSession> {
  return waitFor('a kdsim debug session to start', (resolve) =>
    vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === 'kdsim') resolve(s);
    }),
  );
}

export function sessionEnd(session: vscode.DebugSession): Promise<void> {
  return waitFor('the debug session to end', (resolve) =>
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s === session) resolve();
    }),
  );
}

/** Waits for an event-driven condition, with a failure guard. */
export function waitFor<T>(what: string, subscribe: (resolve: (v: T) => void) => vscode.Disposable): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, GUARD_MS);
    const sub = subscribe((v) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

/** Polls a condition that has no event (UI state such as tabs); a failure guard, not a timing. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + GUARD_MS;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopAll(): Promise<void> {
  while (vscode.debug.activeDebugSession) {
    const s = vscode.debug.activeDebugSession;
    const end = sessionEnd(s);
    await vscode.debug.stopDebugging(s);
    await end;
  }
}
