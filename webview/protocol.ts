// Messages between the extension host and the Kernel View webview: the only thing the two
// share besides the kernel state type (ARCHITECTURE: the webview imports only protocol types).

import type { KdsimState } from '../kernel-sim/debug/state-types';

/** What the debug session is doing, as the panel shows it. */
export type SessionStatus = 'none' | 'running' | 'stopped' | 'ended';

/** Extension → webview. */
export type ToKernelView =
  /** A new kernel state (from `kdsim/state` or `kdsim/stateChanged`); older versions are dropped. */
  | { type: 'state'; state: KdsimState }
  | { type: 'session'; status: SessionStatus; name?: string }
  /** The CPU of the thread focused in the Call Stack (undefined: none focused). */
  | { type: 'focus'; cpu: number | undefined };

/** Webview → extension. */
export type FromKernelView =
  /** The panel's script is listening: the extension sends the latest status, focus and state. */
  | { type: 'ready' }
  /** Open a source position (a routine's definition, a segment's routine). */
  | { type: 'reveal'; file: string; line: number }
  /** Time travel the debugger to a moment of the timeline (`kdsim/travelTo`). */
  | { type: 'travelTo'; timeNs: number; cpu?: number }
  /** Fire a device's interrupt now (`kdsim/fireInterrupt`). */
  | { type: 'fireInterrupt'; device?: string };
