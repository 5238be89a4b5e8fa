// The webview's side of VS Code: posting messages and the state VS Code keeps for the panel
// while it is hidden (getState/setState), typed with the shared protocol.

import type { FromKernelView } from './protocol';

/** What the panel remembers across hide/show and reloads (VS Code keeps it with the panel). */
export interface ViewMemory {
  tab: TabId;
  /** CPU whose card the user picked (else the focused one). */
  selectedCpu?: number;
  device?: string;
  /** Visible timeline range; undefined follows the latest window. */
  zoom?: { fromNs: number; toNs: number };
  /** Statistics routine whose histogram is expanded. */
  statsRoutine?: string;
}

export type TabId = 'interrupts' | 'stats' | 'devices' | 'log';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

export function post(message: FromKernelView): void {
  api.postMessage(message);
}

const TABS: readonly TabId[] = ['interrupts', 'stats', 'devices', 'log'];

/** The saved memory, checked field by field (an older panel version may have saved another shape). */
export function loadMemory(): ViewMemory {
  const raw = api.getState();
  const m: ViewMemory = { tab: 'interrupts' };
  if (typeof raw !== 'object' || raw === null) return m;
  const r = raw as Record<string, unknown>;
  if (typeof r.tab === 'string' && (TABS as readonly string[]).includes(r.tab)) m.tab = r.tab as TabId;
  if (typeof r.selectedCpu === 'number') m.selectedCpu = r.selectedCpu;
  if (typeof r.device === 'string') m.device = r.device;
  if (typeof r.statsRoutine === 'string') m.statsRoutine = r.statsRoutine;
  const z = r.zoom as Record<string, unknown> | undefined;
  if (z && typeof z.fromNs === 'number' && typeof z.toNs === 'number' && z.toNs > z.fromNs) m.zoom = { fromNs: z.fromNs, toNs: z.toNs };
  return m;
}

export function saveMemory(m: ViewMemory): void {
  api.setState(m);
}
