// The interrupt objects, as !idt lists them: one row per KINTERRUPT connected by the driver.

import type { KdsimState } from '../kernel-sim/debug/state-types';
import { h } from './dom';
import { fmtAddress, fmtNs, hex, irqlClass } from './format';

export interface RevealAction {
  reveal(routine: string): void;
  canReveal(routine: string): boolean;
}

const HEAD = ['Vector', 'IRQL', 'CPU', 'Mode', 'Shared', 'ISR routine', 'Count', 'Claimed', 'Unclaimed', 'Last duration', 'KINTERRUPT'];

export class InterruptTable {
  readonly el = h('div', { class: 'interrupts' });
  private last: KdsimState['interrupts'] | undefined;

  constructor(private readonly actions: RevealAction) {}

  update(state: KdsimState): void {
    if (this.last === state.interrupts) return;
    this.last = state.interrupts;
    if (state.interrupts.length === 0) {
      this.el.replaceChildren(h('div', { class: 'empty-panel', text: 'No interrupt object is connected (IoConnectInterrupt has not run yet, or IoDisconnectInterrupt has).' }));
      return;
    }
    const rows = [...state.interrupts]
      .sort((a, b) => b.vector - a.vector || a.cpu - b.cpu)
      .map((o) =>
        h(
          'tr',
          { class: 'interrupt-row', attrs: { 'data-vector': String(o.vector) } },
          h('td', { class: 'mono', text: hex(o.vector) }),
          h('td', {}, h('span', { class: `irql-chip ${irqlClass(o.irql)}`, text: String(o.irql) }), o.synchronizeIrql !== o.irql ? h('span', { class: 'dim', text: ` sync ${o.synchronizeIrql}` }) : null),
          h('td', { class: 'num', text: String(o.cpu) }),
          h('td', { text: o.mode === 'LevelSensitive' ? 'Level' : 'Latched' }),
          h('td', { text: o.shared ? 'Shared' : 'Exclusive' }),
          h('td', {}, this.actions.canReveal(o.routine) ? h('a', { class: 'link', text: o.routine, attrs: { href: '#' }, on: { click: (e) => (e.preventDefault(), this.actions.reveal(o.routine)) } }) : o.routine, o.messageBased ? h('span', { class: 'chip', text: 'MSI' }) : null),
          h('td', { class: 'num', text: String(o.serviceCount) }),
          h('td', { class: 'num', text: String(o.claimed) }),
          h('td', { class: `num${o.unclaimed > 0 ? ' warn' : ''}`, text: String(o.unclaimed) }),
          h('td', { class: 'num', text: o.serviceCount > 0 ? fmtNs(o.lastDurationNs) : '—' }),
          h('td', { class: 'mono dim', text: fmtAddress(o.address) }),
        ),
      );
    this.el.replaceChildren(h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ...HEAD.map((t) => h('th', { text: t })))), h('tbody', {}, ...rows)));
  }
}
