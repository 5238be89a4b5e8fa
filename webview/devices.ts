// The registers of one device (picked from the project's devices), with a button to fire its
// interrupt. Values are read by the adapter without side effects (no read-to-clear).

import type { KdsimState } from '../kernel-sim/debug/state-types';
import type { FromKernelView } from './protocol';
import { h, icon } from './dom';
import { hex } from './format';

export class DevicePanel {
  readonly el = h('div', { class: 'devices' });
  private last: KdsimState['devices'] | undefined;
  private lastSelected: string | undefined;

  constructor(
    private readonly select: (id: string) => void,
    private readonly post: (m: FromKernelView) => void,
  ) {}

  update(state: KdsimState, selected: string | undefined): void {
    if (this.last === state.devices && this.lastSelected === selected) return;
    this.last = state.devices;
    this.lastSelected = selected;
    if (state.devices.length === 0) {
      this.el.replaceChildren(h('div', { class: 'empty-panel', text: 'The project has no devices.' }));
      return;
    }
    const dev = state.devices.find((d) => d.id === selected) ?? state.devices[0];
    const picker = h(
      'div',
      { class: 'device-picker', attrs: { role: 'tablist' } },
      ...state.devices.map((d) =>
        h('button', { class: `pill${d === dev ? ' active' : ''}`, text: `${d.id} (${d.model})`, attrs: { role: 'tab', 'aria-selected': String(d === dev), 'data-device': d.id }, on: { click: () => this.select(d.id) } }),
      ),
      // A device without an interrupt line has nothing to fire (older states do not say: offered).
      ...(dev.interrupts === 0 ? [] : [h('button', { class: 'button secondary fire', title: 'Fire this device\'s interrupt now', attrs: { 'data-action': 'fire' }, on: { click: () => this.post({ type: 'fireInterrupt', device: dev.id }) } }, icon('zap'), ' Fire interrupt')]),
    );
    const rows = dev.registers.map((r) =>
      h(
        'tr',
        { class: r.internal ? 'internal' : '', title: r.internal ? 'Model state (not a register the driver can read)' : '' },
        h('td', { text: r.name }),
        h('td', { class: 'mono', text: `+${hex(r.offset)}` }),
        h('td', { class: 'num', text: String(r.size) }),
        h('td', { class: 'mono value', text: `0x${(r.value >>> 0).toString(16).toUpperCase().padStart(r.size * 2, '0')}` }),
        h('td', { class: 'mono dim', text: (r.value >>> 0).toString(2).padStart(Math.min(r.size * 8, 32), '0').replace(/(.{4})(?=.)/g, '$1 ') }),
      ),
    );
    this.el.replaceChildren(
      picker,
      h('table', { class: 'grid registers' }, h('thead', {}, h('tr', {}, ...['Register', 'Offset', 'Size', 'Value', 'Bits'].map((t) => h('th', { text: t })))), h('tbody', {}, ...rows)),
    );
  }
}
