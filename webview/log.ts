// DbgPrint output with the time and processor of each line; virtualized (a chatty driver
// prints thousands of lines) and kept scrolled to the end while it is at the end.

import type { KdsimState, LogLine } from '../kernel-sim/debug/state-types';
import { h, setText } from './dom';
import { fmtNs } from './format';
import { VirtualList } from './virtual-list';

export class LogPanel {
  private readonly list = new VirtualList<LogLine>('log-list', 20, (l) => h('div', { class: 'log-line' }, h('span', { class: 'log-time', text: fmtNs(l.t) }), h('span', { class: 'log-cpu', text: String(l.cpu) }), h('span', { class: 'log-text', text: l.text.replace(/\n$/, '') })), 24);
  private readonly info = h('div', { class: 'log-info' });
  readonly el = h('div', { class: 'log' }, this.info, this.list.el);
  private last: KdsimState['log'] | undefined;
  private drawn = false;

  update(state: KdsimState): void {
    if (this.drawn && this.last === state.log) return;
    this.drawn = true;
    this.last = state.log;
    const log = state.log ?? { total: 0, lines: [] };
    setText(this.info, log.total === 0 ? 'No DbgPrint output yet.' : log.total > log.lines.length ? `Last ${log.lines.length} of ${log.total} lines` : `${log.total} lines`);
    this.list.set(log.lines, true);
  }
}
