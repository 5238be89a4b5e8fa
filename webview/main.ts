// The Kernel View's entry point (bundled to dist/webview.js): builds the page, listens for
// the extension's messages, and draws the newest model once per animation frame.

import type { KdsimState } from '../kernel-sim/debug/state-types';
import { CpuCards } from './cpu-cards';
import { DevicePanel } from './devices';
import { h, icon, setText } from './dom';
import { fmtTime, plural } from './format';
import { InterruptTable } from './interrupts';
import { LogPanel } from './log';
import { StatsPanel } from './stats';
import { isToKernelView, Store, type Model } from './store';
import { Timeline } from './timeline';
import { post, type TabId } from './vscode-api';

const TABS: Array<{ id: TabId; label: string; icon: string }> = [
  { id: 'interrupts', label: 'Interrupts', icon: 'zap' },
  { id: 'stats', label: 'Statistics', icon: 'graph' },
  { id: 'devices', label: 'Devices', icon: 'circuit-board' },
  { id: 'log', label: 'DbgPrint', icon: 'output' },
];

let routines: KdsimState['routines'] = {};
const canReveal = (routine: string): boolean => routines?.[routine] !== undefined;
const reveal = (routine: string): void => {
  const p = routines?.[routine];
  if (p) post({ type: 'reveal', file: p.file, line: p.line });
};
const travel = (timeNs: number, cpu: number): void => post({ type: 'travelTo', timeNs, cpu });

const store = new Store(render);
const cards = new CpuCards({ select: (cpu) => store.remember({ selectedCpu: cpu }), reveal, canReveal });
const timeline = new Timeline({ reveal, canReveal, travel, zoom: (zoom) => store.remember({ zoom }), selectCpu: (cpu) => store.remember({ selectedCpu: cpu }) });
const interrupts = new InterruptTable({ reveal, canReveal });
const stats = new StatsPanel({ reveal, canReveal, travel, selectRoutine: (statsRoutine) => store.remember({ statsRoutine }) });
const devices = new DevicePanel((device) => store.remember({ device }), post);
const log = new LogPanel();

const status = h('span', { class: 'status' });
const sessionName = h('span', { class: 'session-name' });
const clock = h('span', { class: 'now' });
const counts = h('span', { class: 'counts' });
const bugCheck = h('div', { class: 'bugcheck', attrs: { role: 'alert' } });
const empty = h('div', { class: 'empty-state' }, icon('debug-alt'), h('p', { text: 'Start a kdsim debug session (F5 on a driver project) to see its processors, DPC queues and interrupts here.' }));
const tabButtons = new Map<TabId, HTMLButtonElement>();
const tabBar = h('div', { class: 'tabs', attrs: { role: 'tablist' } });
for (const t of TABS) {
  const b = h('button', { class: 'tab', attrs: { role: 'tab', 'data-tab': t.id }, on: { click: () => store.remember({ tab: t.id }) } }, icon(t.icon), ` ${t.label}`);
  tabButtons.set(t.id, b);
  tabBar.append(b);
}
const logBadge = h('span', { class: 'badge' });
const irqBadge = h('span', { class: 'badge' });
tabButtons.get('log')?.append(logBadge);
tabButtons.get('interrupts')?.append(irqBadge);
const panels: Record<TabId, HTMLElement> = { interrupts: interrupts.el, stats: stats.el, devices: devices.el, log: log.el };
const tabBody = h('div', { class: 'tab-body', attrs: { role: 'tabpanel' } });
const content = h('main', { class: 'content' }, cards.el, timeline.el, h('section', { class: 'lower' }, tabBar, tabBody));

const app = document.getElementById('app') ?? document.body;
app.replaceChildren(h('header', { class: 'topbar' }, status, sessionName, clock, counts), bugCheck, empty, content);

function render(m: Model): void {
  const s = m.state;
  const running = m.session.status === 'running' || (s !== undefined && !s.stopped && m.session.status !== 'ended');
  status.className = `status status-${s && m.session.status === 'none' ? (s.stopped ? 'stopped' : 'running') : m.session.status}`;
  setText(status, m.session.status === 'none' ? (s ? (s.stopped ? 'stopped' : 'running') : 'no session') : m.session.status);
  setText(sessionName, m.session.name ?? '');
  document.body.classList.toggle('is-running', running);
  empty.hidden = s !== undefined;
  content.hidden = s === undefined;
  bugCheck.hidden = !s?.bugCheck;
  if (!s) return;
  routines = s.routines ?? {};
  setText(clock, `t = ${fmtTime(s.nowNs)}`);
  setText(counts, `${plural(s.stats.interrupts, 'interrupt')} · ${plural(s.stats.dpcs, 'DPC')} · ${s.stats.dbgPrints} DbgPrint`);
  if (s.bugCheck) setText(bugCheck, `*** STOP ${s.bugCheck.code} ${s.bugCheck.name} on CPU ${s.bugCheck.cpu}`);
  const selectedCpu = m.memory.selectedCpu ?? m.focusCpu;
  cards.update(s, m.focusCpu, selectedCpu);
  timeline.update(s, m.focusCpu ?? selectedCpu, m.memory.zoom);
  for (const [id, b] of tabButtons) {
    b.classList.toggle('active', id === m.memory.tab);
    b.setAttribute('aria-selected', String(id === m.memory.tab));
  }
  setText(logBadge, String(s.log?.total ?? s.stats.dbgPrints));
  setText(irqBadge, String(s.interrupts.length));
  if (tabBody.firstChild !== panels[m.memory.tab]) tabBody.replaceChildren(panels[m.memory.tab]);
  // Only the visible tab is drawn (the others catch up when shown).
  if (m.memory.tab === 'interrupts') interrupts.update(s);
  else if (m.memory.tab === 'stats') stats.update(s, m.memory.statsRoutine);
  else if (m.memory.tab === 'devices') devices.update(s, m.memory.device);
  else log.update(s);
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isToKernelView(e.data)) store.receive(e.data);
});
store.invalidate();
post({ type: 'ready' });
