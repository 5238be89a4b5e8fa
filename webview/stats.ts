// Statistics in the words of WPA and LatencyMon: how long ISRs and DPCs ran (per routine,
// with a histogram over tracerpt's buckets), the interrupt-to-DPC latency, and the highest
// values with when and where they happened (one click travels there).

import type { DurationSummary, KdsimState, LatencyState } from '../kernel-sim/debug/state-types';
import { h, icon } from './dom';
import { fmtNs, hex } from './format';

/** Microsoft's guidance (KERNEL_MODEL §8): ISRs under 25 µs, DPCs under 100 µs. */
const LIMIT_NS = { isr: 25_000, dpc: 100_000 };

export interface StatsActions {
  reveal(routine: string): void;
  canReveal(routine: string): boolean;
  travel(timeNs: number, cpu: number): void;
  selectRoutine(key: string | undefined): void;
}

const bucketLabel = (b: number[], i: number): string => (i + 1 < b.length ? `${b[i]}–${b[i + 1]} µs` : `≥ ${b[i]} µs`);

export class StatsPanel {
  readonly el = h('div', { class: 'stats' });
  private last: LatencyState | undefined;
  private lastSelected: string | undefined;
  private drawn = false;

  constructor(private readonly actions: StatsActions) {}

  update(state: KdsimState, selected: string | undefined): void {
    if (this.drawn && this.last === state.latency && this.lastSelected === selected) return;
    this.drawn = true;
    this.last = state.latency;
    this.lastSelected = selected;
    const lat = state.latency;
    if (!lat) {
      this.el.replaceChildren(h('div', { class: 'empty-panel', text: 'No statistics in this state.' }));
      return;
    }
    const tiles = h(
      'div',
      { class: 'tiles' },
      this.tile('ISR execution', lat.isr, LIMIT_NS.isr),
      this.tile('DPC execution', lat.dpc, LIMIT_NS.dpc),
      this.tile('Interrupt to DPC latency', lat.isrToDpc, undefined),
    );
    const routines = lat.routines.map((r) => {
      const key = `${r.kind}:${r.routine}:${r.vector ?? ''}`;
      const row = h(
        'tr',
        { class: `routine-row${key === selected ? ' selected' : ''}`, attrs: { 'data-routine': r.routine, tabindex: '0' }, on: { click: () => this.actions.selectRoutine(key === selected ? undefined : key), keydown: (e) => e.key === 'Enter' && this.actions.selectRoutine(key === selected ? undefined : key) } },
        h('td', {}, h('span', { class: `chip kind-${r.kind}`, text: r.kind.toUpperCase() })),
        h('td', {}, this.routineLink(r.routine), r.vector !== undefined ? h('span', { class: 'dim', text: ` ${hex(r.vector)}` }) : null),
        h('td', { class: 'num', text: String(r.count) }),
        h('td', { class: 'num', text: fmtNs(r.count ? r.totalNs / r.count : 0) }),
        h('td', { class: `num${r.maxNs > LIMIT_NS[r.kind] ? ' warn' : ''}`, text: fmtNs(r.maxNs) }),
        h('td', { class: 'num', text: fmtNs(r.totalNs) }),
        h('td', { class: 'spark-cell' }, spark(r.histogram, lat.bucketsUs)),
      );
      if (key !== selected) return [row];
      const detail = h('tr', { class: 'histogram-row' }, h('td', { attrs: { colspan: '7' } }, histogram(r, lat.bucketsUs)));
      return [row, detail];
    });
    const pairs = lat.pairs.map((p) =>
      h(
        'tr',
        {},
        h('td', {}, this.routineLink(p.isr), h('span', { class: 'dim', text: ' → ' }), this.routineLink(p.dpc)),
        h('td', { class: 'num', text: String(p.count) }),
        h('td', { class: 'num', text: fmtNs(p.count ? p.totalNs / p.count : 0) }),
        h('td', { class: 'num' }, fmtNs(p.maxNs), this.when(p)),
        h('td', { class: 'spark-cell' }, spark(p.histogram, lat.bucketsUs)),
      ),
    );
    this.el.replaceChildren(
      tiles,
      h('h3', { class: 'section-title', text: 'Routines (click a row for its histogram)' }),
      lat.routines.length === 0
        ? h('div', { class: 'empty-panel', text: 'No ISR or DPC has finished yet.' })
        : h('table', { class: 'grid routines' }, h('thead', {}, h('tr', {}, ...['Kind', 'Routine', 'Count', 'Average', 'Highest', 'Total', 'Histogram'].map((t) => h('th', { text: t })))), h('tbody', {}, ...routines.flat())),
      h('h3', { class: 'section-title', text: 'ISR → DPC latency' }),
      lat.pairs.length === 0
        ? h('div', { class: 'empty-panel', text: 'No DPC queued by an ISR has run yet.' })
        : h('table', { class: 'grid pairs' }, h('thead', {}, h('tr', {}, ...['ISR → DPC', 'Count', 'Average', 'Highest', 'Histogram'].map((t) => h('th', { text: t })))), h('tbody', {}, ...pairs)),
    );
  }

  private tile(title: string, s: DurationSummary, limit: number | undefined): HTMLElement {
    const over = limit !== undefined && s.maxNs > limit;
    return h(
      'div',
      { class: `tile${over ? ' over' : ''}` },
      h('div', { class: 'tile-title', text: title }),
      h('div', { class: 'tile-value', text: s.count ? fmtNs(s.maxNs) : '—' }),
      h('div', { class: 'tile-sub' }, s.count ? `highest · avg ${fmtNs(s.totalNs / s.count)} · ${s.count} samples` : 'no samples', s.count ? this.when(s) : null),
      limit !== undefined ? h('div', { class: 'tile-sub dim', text: `guidance: under ${fmtNs(limit)}` }) : null,
    );
  }

  /** "at 1.2 ms on CPU 0", a button that travels the debugger there. */
  private when(s: DurationSummary): HTMLElement {
    return h(
      'button',
      { class: 'when link-button', title: 'Travel the debugger to this moment', attrs: { 'data-time': String(s.maxAtNs), 'data-cpu': String(s.maxCpu) }, on: { click: (e) => (e.stopPropagation(), this.actions.travel(s.maxAtNs, s.maxCpu)) } },
      icon('history'),
      ` at ${fmtNs(s.maxAtNs)} on CPU ${s.maxCpu}`,
    );
  }

  private routineLink(routine: string): HTMLElement {
    if (!this.actions.canReveal(routine)) return h('span', { text: routine });
    return h('a', { class: 'link', text: routine, attrs: { href: '#' }, on: { click: (e) => (e.preventDefault(), e.stopPropagation(), this.actions.reveal(routine)) } });
  }
}

/** A row of tiny bars, one per bucket (heights as a share of the tallest). */
function spark(counts: number[], bounds: number[]): HTMLElement {
  const max = Math.max(1, ...counts);
  return h(
    'div',
    { class: 'spark', attrs: { 'aria-hidden': 'true' } },
    ...counts.map((c, i) => {
      const bar = h('span', { class: `spark-bar${c === 0 ? ' zero' : ''}`, title: `${bucketLabel(bounds, i)}: ${c}` });
      bar.style.height = `${c === 0 ? 0 : Math.max(8, (c / max) * 100)}%`;
      return bar;
    }),
  );
}

/** The full histogram of one routine: a labelled bar per bucket (tracerpt's layout). */
function histogram(s: DurationSummary, bounds: number[]): HTMLElement {
  const max = Math.max(1, ...s.histogram);
  return h(
    'div',
    { class: 'histogram' },
    ...s.histogram.map((c, i) => {
      const fill = h('span', { class: 'hist-fill' });
      fill.style.width = `${(c / max) * 100}%`;
      return h('div', { class: `hist-row${c === 0 ? ' zero' : ''}` }, h('span', { class: 'hist-label', text: bucketLabel(bounds, i) }), h('span', { class: 'hist-bar' }, fill), h('span', { class: 'hist-count', text: `${c} (${s.count ? ((c * 100) / s.count).toFixed(1) : '0'}%)` }));
    }),
  );
}
