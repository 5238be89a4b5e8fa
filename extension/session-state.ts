// The latest kernel state of the active kdsim debug session, with its run status and the CPU
// focused in the Call Stack: one store that the status bar, the tree view and the Kernel View
// read, so each does not track sessions on its own (STYLE: keep the latest state in the
// extension and push it when a view becomes visible).

import * as vscode from 'vscode';
import type { KdsimState } from '../kernel-sim/debug/state-types';
import { KDSIM_STATE_CHANGED_EVENT, KDSIM_STATE_REQUEST } from '../kernel-sim/debug/state-types';
import type { SessionStatus } from '../webview/protocol';

export const DEBUG_TYPE = 'kdsim';
/** DAP thread ids of processors are 1..64 (CPU n is thread n + 1); system threads start at 1000. */
const MAX_CPU_THREAD = 64;

/** Processor number of a DAP thread id, or undefined for a system thread. */
export function cpuOfThread(threadId: number): number | undefined {
  return threadId >= 1 && threadId <= MAX_CPU_THREAD ? threadId - 1 : undefined;
}

export class SessionState implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the state, the status or the focus changes. */
  readonly onDidChange = this.changed.event;

  session: vscode.DebugSession | undefined;
  state: KdsimState | undefined;
  status: SessionStatus = 'none';
  /** The CPU of the focused thread; else the one that last stopped. */
  private focusedCpu: number | undefined;
  private stoppedCpu: number | undefined;
  private readonly ended = new WeakSet<vscode.DebugSession>();

  constructor() {
    this.disposables.push(
      this.changed,
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        // A late event of a session that ended must not bring it back.
        if (e.session.type !== DEBUG_TYPE || e.event !== KDSIM_STATE_CHANGED_EVENT || this.ended.has(e.session)) return;
        this.adopt(e.session);
        this.acceptState(e.body as KdsimState);
      }),
      // The adapter's first messages can come before this event: adopt() keeps what they brought.
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE && this.adopt(s)) this.changed.fire();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.ended.add(s);
        if (s !== this.session) return;
        this.status = 'ended';
        this.focusedCpu = this.stoppedCpu = undefined;
        this.changed.fire();
      }),
      vscode.debug.onDidChangeActiveDebugSession((s) => {
        if (s?.type === DEBUG_TYPE && s !== this.session) {
          this.adopt(s);
          void this.refresh();
        }
      }),
      vscode.debug.onDidChangeActiveStackItem(() => this.updateFocus()),
      // Stopped/continued come from the adapter's own messages: the API has no event for them.
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: unknown) => this.onAdapterMessage(session, m),
        }),
      }),
    );
    this.updateFocus();
  }

  /** The CPU the views show: the focused thread's, else the one that stopped, else CPU 0. */
  get cpu(): number | undefined {
    if (!this.state) return this.focusedCpu ?? this.stoppedCpu;
    const n = this.focusedCpu ?? this.stoppedCpu ?? 0;
    return n < this.state.cpus.length ? n : 0;
  }

  /** Asks the adapter for a fresh state (a view opened in the middle of a session). */
  async refresh(): Promise<void> {
    const s = this.session;
    if (!s || this.status === 'ended' || this.status === 'none') return;
    try {
      this.acceptState((await s.customRequest(KDSIM_STATE_REQUEST)) as KdsimState);
    } catch {
      // Not loaded yet or already gone: the next stateChanged event brings it.
    }
  }

  /** Follows session `s` from now on; true if it was not the followed one. */
  private adopt(s: vscode.DebugSession): boolean {
    if (this.session === s) return false;
    this.session = s;
    this.state = undefined;
    this.status = 'running';
    this.focusedCpu = this.stoppedCpu = undefined;
    return true;
  }

  private acceptState(state: KdsimState): void {
    // Events and request responses can cross: never go back to an older version.
    if (this.state && state.version <= this.state.version) return;
    this.state = state;
    // A state says whether the machine is stopped; the stopped/continued events say it too,
    // but whichever arrives first wins nothing: both agree.
    this.status = state.stopped ? 'stopped' : 'running';
    this.changed.fire();
  }

  private onAdapterMessage(session: vscode.DebugSession, m: unknown): void {
    if (typeof m !== 'object' || m === null) return;
    const msg = m as { type?: string; event?: string; body?: { threadId?: number } };
    if (msg.type !== 'event' || (msg.event !== 'stopped' && msg.event !== 'continued') || this.ended.has(session)) return;
    this.adopt(session);
    if (msg.event === 'stopped') {
      this.status = 'stopped';
      if (typeof msg.body?.threadId === 'number') this.stoppedCpu = cpuOfThread(msg.body.threadId);
      this.changed.fire();
    } else if (msg.event === 'continued') {
      this.status = 'running';
      this.changed.fire();
    }
  }

  private updateFocus(): void {
    const item = vscode.debug.activeStackItem;
    const cpu = item && item.session.type === DEBUG_TYPE ? cpuOfThread(item.threadId) : undefined;
    if (cpu === this.focusedCpu) return;
    this.focusedCpu = cpu;
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
