// The panel's model: the latest kernel state, the session status, the focused CPU and the
// user's view memory. Messages can arrive in bursts (10 states a second while running);
// they are merged here and the view is drawn once per animation frame with the newest.

import type { KdsimState } from '../kernel-sim/debug/state-types';
import type { SessionStatus, ToKernelView } from './protocol';
import { loadMemory, saveMemory, type ViewMemory } from './vscode-api';

export interface Model {
  state: KdsimState | undefined;
  session: { status: SessionStatus; name?: string };
  focusCpu: number | undefined;
  memory: ViewMemory;
}

export type Renderer = (m: Model) => void;

export class Store {
  readonly model: Model = { state: undefined, session: { status: 'none' }, focusCpu: undefined, memory: loadMemory() };
  private frame = 0;
  private lastVersion = -Infinity;

  constructor(private readonly render: Renderer) {}

  /** Applies one message from the extension; returns false for a stale state. */
  receive(msg: ToKernelView): boolean {
    switch (msg.type) {
      case 'state':
        // States can overtake each other (a request's answer and an event): keep the newest.
        if (msg.state.version < this.lastVersion) return false;
        this.lastVersion = msg.state.version;
        this.model.state = msg.state;
        break;
      case 'session': {
        const before = this.model.session.status;
        // A new session numbers its states from 1 again, and the old run's zoom means nothing
        // for it: start over (the old state stays drawn until the new one arrives).
        if ((before === 'ended' || before === 'none') && (msg.status === 'running' || msg.status === 'stopped')) {
          this.lastVersion = -Infinity;
          if (this.model.memory.zoom) this.remember({ zoom: undefined });
        }
        this.model.session = { status: msg.status, ...(msg.name !== undefined ? { name: msg.name } : {}) };
        break;
      }
      case 'focus':
        this.model.focusCpu = msg.cpu;
        // Following the debugger: a newly focused CPU becomes the selected one.
        if (msg.cpu !== undefined) this.model.memory = { ...this.model.memory, selectedCpu: msg.cpu };
        break;
    }
    this.invalidate();
    return true;
  }

  /** Changes what the panel remembers and redraws. */
  remember(patch: Partial<ViewMemory>): void {
    this.model.memory = { ...this.model.memory, ...patch };
    for (const k of Object.keys(patch) as Array<keyof ViewMemory>) if (patch[k] === undefined) delete this.model.memory[k];
    saveMemory(this.model.memory);
    this.invalidate();
  }

  /** Schedules one draw for the next frame, however many changes come before it. */
  invalidate(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(this.model);
    });
  }
}

/** Narrows an unknown window message to the protocol (other frames may post too). */
export function isToKernelView(data: unknown): data is ToKernelView {
  if (typeof data !== 'object' || data === null) return false;
  const t = (data as { type?: unknown }).type;
  if (t === 'state') {
    const s = (data as { state?: unknown }).state;
    return typeof s === 'object' && s !== null && typeof (s as { version?: unknown }).version === 'number';
  }
  return t === 'session' || t === 'focus';
}
