// The timeline: one lane per processor over simulated time, ISR and DPC activations as
// coloured bars (by kind, and by routine within a kind), the running thread as a thin band,
// and the IRQL as a step line over the lane. Drawn on a canvas (thousands of bars at 10
// states a second), with zoom and pan by wheel, drag, keys and buttons. Clicking a bar
// reveals its routine's source; Alt/Ctrl/Cmd+click travels the debugger to its start.

import type { KdsimState, TimelineSegment } from '../kernel-sim/debug/state-types';
import { h, icon, setText } from './dom';
import { fmtNs, fmtTick, hex, irqlClass } from './format';

export interface TimelineActions {
  reveal(routine: string): void;
  canReveal(routine: string): boolean;
  travel(timeNs: number, cpu: number): void;
  /** The visible range changed (undefined: follow the whole window). */
  zoom(range: Range | undefined): void;
  selectCpu(cpu: number): void;
}

export interface Range {
  fromNs: number;
  toNs: number;
}

// Geometry in CSS pixels; exposed on the canvas as data-* so tests can aim at a bar.
const GUTTER = 72;
const AXIS = 22;
const LANE = 40;
const GAP = 8;
const THREAD_BAND = 6;
const MIN_SPAN_NS = 50;
/** Activations a following timeline keeps in view. */
const FOLLOW = 40;

interface Palette {
  isr: string[];
  dpc: string[];
  thread: string;
  irql: string;
  grid: string;
  text: string;
  dim: string;
  laneBg: string;
  focusBg: string;
  now: string;
  selection: string;
  font: string;
  irqlColors: Record<string, string>;
  /** Border around bars (high contrast themes only). */
  outline: string | undefined;
}

export class Timeline {
  readonly el: HTMLElement;
  private readonly canvas = h('canvas', { class: 'timeline-canvas', attrs: { tabindex: '0', role: 'img', 'aria-label': 'Timeline of ISRs and DPCs per CPU' } });
  private readonly tooltip = h('div', { class: 'timeline-tooltip', attrs: { role: 'tooltip' } });
  private readonly rangeLabel = h('span', { class: 'timeline-range' });
  private readonly details = h('div', { class: 'timeline-details' });
  private readonly legend = h('div', { class: 'timeline-legend' });
  private readonly wrap: HTMLElement;
  private state: KdsimState | undefined;
  private focusCpu: number | undefined;
  private zoomRange: Range | undefined;
  private selected: TimelineSegment | undefined;
  private palette: Palette | undefined;
  /** Colour slot per routine, in order of first appearance, so a routine keeps its colour. */
  private readonly slots = { isr: new Map<string, number>(), dpc: new Map<string, number>() };
  private drag: { x: number; range: Range; moved: boolean } | undefined;
  private legendKey = '';
  private ordered: { from: TimelineSegment[]; order: TimelineSegment[] } | undefined;

  constructor(private readonly actions: TimelineActions) {
    const button = (name: string, title: string, action: string, fn: () => void): HTMLElement =>
      h('button', { class: 'icon-button', title, attrs: { 'aria-label': title, 'data-action': action }, on: { click: fn } }, icon(name));
    const toolbar = h(
      'div',
      { class: 'timeline-toolbar' },
      h('span', { class: 'section-title', text: 'Timeline' }),
      button('zoom-in', 'Zoom in (+)', 'zoom-in', () => this.zoomBy(0.5)),
      button('zoom-out', 'Zoom out (−)', 'zoom-out', () => this.zoomBy(2)),
      button('arrow-left', 'Earlier (←)', 'pan-left', () => this.panBy(-0.25)),
      button('arrow-right', 'Later (→)', 'pan-right', () => this.panBy(0.25)),
      button('screen-full', 'Show the whole window (0)', 'fit', () => this.setRange(undefined)),
      this.rangeLabel,
      h('span', { class: 'hint', text: 'Wheel: zoom · Drag: pan · Click: source · Alt+click: travel' }),
    );
    this.wrap = h('div', { class: 'timeline-wrap' }, this.canvas, this.tooltip);
    this.el = h('section', { class: 'timeline' }, toolbar, this.wrap, this.details, this.legend);
    this.tooltip.hidden = true;
    this.details.hidden = true;
    this.listen();
    new ResizeObserver(() => this.draw()).observe(this.wrap);
    // VS Code switches themes by changing the body class and the --vscode-* variables it sets
    // on the root element; the canvas reads colours once per theme, so it listens to both.
    const retheme = new MutationObserver(() => {
      this.palette = undefined;
      this.legendKey = '';
      this.draw();
      this.drawLegend();
    });
    retheme.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    retheme.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  }

  update(state: KdsimState, focusCpu: number | undefined, zoom: Range | undefined): void {
    this.state = state;
    this.focusCpu = focusCpu;
    this.zoomRange = zoom;
    if (this.selected) {
      // Keep the selection across states: find the same activation in the new window.
      const s = this.selected;
      this.selected = state.timeline?.segments.find((x) => x.cpu === s.cpu && x.startNs === s.startNs && x.kind === s.kind);
    }
    this.draw();
    this.drawDetails();
    this.drawLegend();
  }

  /**
   * The visible range: the user's zoom, or (following) the latest activity: from the start of
   * the FOLLOW-th last ISR/DPC to now, so a run that idled for a while before its first
   * interrupt does not squeeze every bar into the last pixels.
   */
  range(): Range {
    if (this.zoomRange) return this.zoomRange;
    const tl = this.state?.timeline;
    if (!tl) return { fromNs: 0, toNs: 1 };
    const toNs = Math.max(tl.toNs, tl.fromNs + MIN_SPAN_NS);
    let fromNs = tl.fromNs;
    let seen = 0;
    for (let i = tl.segments.length - 1; i >= 0; i--) {
      const s = tl.segments[i];
      if (s.kind === 'thread') continue;
      fromNs = s.startNs;
      if (++seen === FOLLOW) break;
    }
    fromNs = Math.max(tl.fromNs, fromNs - (toNs - fromNs) * 0.05);
    return { fromNs, toNs: Math.max(toNs, fromNs + MIN_SPAN_NS) };
  }

  private setRange(r: Range | undefined): void {
    this.zoomRange = r;
    this.actions.zoom(r);
    this.draw();
  }

  private zoomBy(factor: number, atNs?: number): void {
    const r = this.range();
    const span = r.toNs - r.fromNs;
    const center = atNs ?? r.fromNs + span / 2;
    const tl = this.state?.timeline;
    const maxSpan = tl ? Math.max(MIN_SPAN_NS, (tl.toNs - tl.fromNs) * 4) : Infinity;
    const next = Math.min(maxSpan, Math.max(MIN_SPAN_NS, span * factor));
    const k = (center - r.fromNs) / span;
    this.setRange({ fromNs: center - k * next, toNs: center - k * next + next });
  }

  private panBy(fraction: number): void {
    const r = this.range();
    const d = (r.toNs - r.fromNs) * fraction;
    this.setRange({ fromNs: r.fromNs + d, toNs: r.toNs + d });
  }

  private plotWidth(): number {
    return Math.max(1, this.canvas.clientWidth - GUTTER);
  }

  private timeAt(x: number): number {
    const r = this.range();
    return r.fromNs + ((x - GUTTER) / this.plotWidth()) * (r.toNs - r.fromNs);
  }

  private xAt(t: number, r: Range): number {
    return GUTTER + ((t - r.fromNs) / (r.toNs - r.fromNs)) * this.plotWidth();
  }

  private endOf(s: TimelineSegment): number {
    return s.endNs ?? this.state?.cpus[s.cpu]?.clockNs ?? this.state?.nowNs ?? s.startNs;
  }

  /** The innermost activation under a point (2 px of slack for sub-pixel bars). */
  private hit(x: number, y: number): TimelineSegment | undefined {
    const tl = this.state?.timeline;
    if (!tl || x < GUTTER) return undefined;
    const cpu = Math.floor((y - AXIS) / (LANE + GAP));
    const inLane = y - AXIS - cpu * (LANE + GAP);
    if (cpu < 0 || inLane > LANE) return undefined;
    const r = this.range();
    const slack = (2 * (r.toNs - r.fromNs)) / this.plotWidth();
    const t = this.timeAt(x);
    let best: TimelineSegment | undefined;
    for (const s of tl.segments) {
      if (s.cpu !== cpu || s.startNs - slack > t || this.endOf(s) + slack < t) continue;
      if (s.kind === 'thread' && inLane < LANE - THREAD_BAND - 4) continue;
      if (!best || s.depth > best.depth) best = s;
    }
    return best;
  }

  private listen(): void {
    const c = this.canvas;
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const x = e.offsetX;
        if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) this.panBy(((e.deltaX || e.deltaY) / this.plotWidth()) * 1);
        else this.zoomBy(Math.exp(e.deltaY * 0.002), x >= GUTTER ? this.timeAt(x) : undefined);
      },
      { passive: false },
    );
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, range: this.range(), moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (d) {
        const dx = e.clientX - d.x;
        if (Math.abs(dx) > 3) d.moved = true;
        if (d.moved) {
          const dt = (-dx / this.plotWidth()) * (d.range.toNs - d.range.fromNs);
          this.zoomRange = { fromNs: d.range.fromNs + dt, toNs: d.range.toNs + dt };
          this.draw();
          return;
        }
      }
      this.showTooltip(e.offsetX, e.offsetY);
    });
    c.addEventListener('pointerup', (e) => {
      const d = this.drag;
      this.drag = undefined;
      if (d?.moved && this.zoomRange) this.setRange(this.zoomRange);
      else this.click(e.offsetX, e.offsetY, e.altKey || e.ctrlKey || e.metaKey);
    });
    c.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
    c.addEventListener('keydown', (e) => {
      const keys: Record<string, () => void> = {
        '+': () => this.zoomBy(0.5),
        '=': () => this.zoomBy(0.5),
        '-': () => this.zoomBy(2),
        ArrowLeft: () => this.panBy(-0.1),
        ArrowRight: () => this.panBy(0.1),
        '0': () => this.setRange(undefined),
      };
      const fn = keys[e.key];
      if (fn) {
        e.preventDefault();
        fn();
      }
    });
  }

  private click(x: number, y: number, travel: boolean): void {
    const s = this.hit(x, y);
    if (!s) {
      const cpu = Math.floor((y - AXIS) / (LANE + GAP));
      if (this.state && cpu >= 0 && cpu < this.state.cpus.length) this.actions.selectCpu(cpu);
      return;
    }
    this.selected = s;
    this.actions.selectCpu(s.cpu);
    if (travel) this.actions.travel(s.startNs, s.cpu);
    else if (s.kind !== 'thread' && this.actions.canReveal(s.name)) this.actions.reveal(s.name);
    this.draw();
    this.drawDetails();
  }

  private showTooltip(x: number, y: number): void {
    const s = this.hit(x, y);
    if (!s) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren(...describe(s, this.endOf(s)).map((line, i) => h('div', { class: i === 0 ? 'tt-title' : 'tt-line', text: line })));
    this.tooltip.hidden = false;
    const w = this.wrap.clientWidth;
    this.tooltip.style.left = `${Math.min(x + 12, Math.max(0, w - 260))}px`;
    this.tooltip.style.top = `${y + 14}px`;
  }

  private drawDetails(): void {
    const s = this.selected;
    this.details.hidden = !s;
    if (!s) return;
    const buttons: HTMLElement[] = [];
    if (s.kind !== 'thread' && this.actions.canReveal(s.name)) {
      buttons.push(h('button', { class: 'button secondary', attrs: { 'data-action': 'reveal' }, on: { click: () => this.actions.reveal(s.name) } }, icon('go-to-file'), ' Go to source'));
    }
    buttons.push(h('button', { class: 'button', attrs: { 'data-action': 'travel' }, title: 'Time travel the debugger to the start of this activation', on: { click: () => this.actions.travel(s.startNs, s.cpu) } }, icon('history'), ' Travel here'));
    this.details.replaceChildren(h('span', { class: `chip kind-${s.kind}`, text: s.kind.toUpperCase() }), h('span', { class: 'details-text', text: describe(s, this.endOf(s)).join(' · ') }), ...buttons);
  }

  private drawLegend(): void {
    const tl = this.state?.timeline;
    if (!tl) return;
    for (const s of tl.segments) this.colorOf(s);
    const key = [...this.slots.isr.keys(), '|', ...this.slots.dpc.keys()].join(',');
    if (key === this.legendKey && this.palette) return;
    this.legendKey = key;
    const p = this.colors();
    const item = (kind: 'isr' | 'dpc', name: string, slot: number): HTMLElement => {
      const sw = h('span', { class: `swatch kind-${kind}` });
      sw.style.background = p[kind][slot % p[kind].length];
      return h('span', { class: 'legend-item' }, sw, `${kind.toUpperCase()} ${name}`);
    };
    const thread = h('span', { class: 'swatch thread' });
    thread.style.background = p.thread;
    const line = h('span', { class: 'swatch irql-line' });
    line.style.background = p.irql;
    this.legend.replaceChildren(
      ...[...this.slots.isr].map(([n, i]) => item('isr', n, i)),
      ...[...this.slots.dpc].map(([n, i]) => item('dpc', n, i)),
      h('span', { class: 'legend-item' }, thread, 'thread (passive)'),
      h('span', { class: 'legend-item' }, line, 'IRQL'),
    );
  }

  private colorOf(s: TimelineSegment): string {
    const p = this.colors();
    if (s.kind === 'thread') return p.thread;
    const slots = this.slots[s.kind];
    let i = slots.get(s.name);
    if (i === undefined) slots.set(s.name, (i = slots.size));
    return p[s.kind][i % p[s.kind].length];
  }

  /** Colours from the theme's variables (kernel-view.css maps them from --vscode-charts-*). */
  private colors(): Palette {
    if (this.palette) return this.palette;
    const cs = getComputedStyle(document.body);
    const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
    this.palette = {
      isr: [v('--kv-isr-1', '#e51400'), v('--kv-isr-2', '#f0a30a'), v('--kv-isr-3', '#d16d9e')],
      dpc: [v('--kv-dpc-1', '#1a85ff'), v('--kv-dpc-2', '#a259ff'), v('--kv-dpc-3', '#2fb380')],
      thread: v('--kv-thread', '#8888'),
      irql: v('--kv-irql-line', '#ccc'),
      grid: v('--kv-grid', '#8884'),
      text: v('--vscode-foreground', '#ccc'),
      dim: v('--vscode-descriptionForeground', '#999'),
      laneBg: v('--kv-lane-bg', '#8881'),
      focusBg: v('--kv-focus-lane', '#08f2'),
      now: v('--kv-now', '#f80'),
      selection: v('--vscode-focusBorder', '#08f'),
      font: `${v('--vscode-font-size', '12px')} ${v('--vscode-font-family', 'sans-serif')}`,
      outline: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light') ? v('--vscode-contrastBorder', '#6fc3df') : undefined,
      irqlColors: {
        'irql-passive': v('--vscode-charts-green', '#388a34'),
        'irql-apc': v('--vscode-charts-yellow', '#bf8803'),
        'irql-dispatch': v('--vscode-charts-blue', '#1a85ff'),
        'irql-device': v('--vscode-charts-orange', '#d18616'),
        'irql-high': v('--vscode-charts-red', '#e51400'),
      },
    };
    return this.palette;
  }

  private draw(): void {
    const state = this.state;
    const c = this.canvas;
    const cpus = state?.cpus.length ?? 0;
    const cssW = Math.max(200, this.wrap.clientWidth);
    const cssH = AXIS + Math.max(1, cpus) * (LANE + GAP);
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(cssW * dpr) || c.height !== Math.round(cssH * dpr)) {
      c.width = Math.round(cssW * dpr);
      c.height = Math.round(cssH * dpr);
      c.style.width = `${cssW}px`;
      c.style.height = `${cssH}px`;
    }
    const r = this.range();
    Object.assign(c.dataset, { fromNs: String(r.fromNs), toNs: String(r.toNs), gutter: String(GUTTER), axis: String(AXIS), lane: String(LANE), gap: String(GAP) });
    setText(this.rangeLabel, `${fmtNs(Math.max(0, r.fromNs))} – ${fmtNs(r.toNs)} (${fmtNs(r.toNs - r.fromNs)})`);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const p = this.colors();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    const tl = state?.timeline;
    if (!state || !tl) {
      ctx.fillStyle = p.dim;
      ctx.fillText('No timeline yet', GUTTER, AXIS + LANE / 2);
      return;
    }
    this.drawAxis(ctx, r, cssW, cssH, p);
    for (let cpu = 0; cpu < cpus; cpu++) {
      const top = AXIS + cpu * (LANE + GAP);
      ctx.fillStyle = cpu === this.focusCpu ? p.focusBg : p.laneBg;
      ctx.fillRect(GUTTER, top, cssW - GUTTER, LANE);
      ctx.fillStyle = cpu === this.focusCpu ? p.text : p.dim;
      ctx.fillText(`CPU ${cpu}`, 6, top + LANE / 2 - 7);
      // The IRQL now, in the colour its card uses.
      const irql = state.cpus[cpu].irql;
      ctx.fillStyle = p.irqlColors[irqlClass(irql)] ?? p.dim;
      ctx.fillText(`IRQL ${irql}`, 6, top + LANE / 2 + 8);
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, 0, cssW - GUTTER, cssH);
    ctx.clip();
    for (const s of this.drawOrder(tl.segments)) {
      const end = this.endOf(s);
      if (end < r.fromNs || s.startNs > r.toNs) continue;
      const x0 = this.xAt(s.startNs, r);
      const w = Math.max(1, this.xAt(end, r) - x0);
      const top = AXIS + s.cpu * (LANE + GAP);
      ctx.fillStyle = this.colorOf(s);
      if (s.kind === 'thread') ctx.fillRect(x0, top + LANE - THREAD_BAND, w, THREAD_BAND);
      else {
        const inset = 3 + (s.depth - 1) * 5;
        ctx.fillRect(x0, top + inset, w, LANE - THREAD_BAND - inset - 2);
        if (w > 40) {
          ctx.fillStyle = '#fff';
          ctx.save();
          ctx.beginPath();
          ctx.rect(x0, top, w, LANE);
          ctx.clip();
          ctx.fillText(s.name, x0 + 3, top + inset + 9);
          ctx.restore();
        }
      }
      if (p.outline && s.kind !== 'thread' && w > 2) {
        // High contrast themes separate shapes by borders, not by shades.
        ctx.strokeStyle = p.outline;
        ctx.lineWidth = 1;
        const inset = 3 + (s.depth - 1) * 5;
        ctx.strokeRect(x0 + 0.5, top + inset + 0.5, w - 1, LANE - THREAD_BAND - inset - 3);
      }
      if (s === this.selected) {
        ctx.strokeStyle = p.selection;
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 - 1, top + 1, w + 2, LANE - 2);
      }
    }
    if (r.fromNs < tl.fromNs) {
      // Older activity is no longer in the window the adapter sends: shade that part.
      ctx.fillStyle = p.grid;
      ctx.fillRect(GUTTER, AXIS, Math.min(cssW, this.xAt(tl.fromNs, r)) - GUTTER, cssH - AXIS);
    }
    this.drawIrql(ctx, r, cssW, p);
    const nowX = this.xAt(state.nowNs, r);
    ctx.strokeStyle = p.now;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(nowX, AXIS - 4);
    ctx.lineTo(nowX, cssH);
    ctx.stroke();
    ctx.restore();
  }

  /** Threads first, then activations outermost first, so nested ones land on top (sorted once per state: drags redraw often). */
  private drawOrder(segments: TimelineSegment[]): TimelineSegment[] {
    if (this.ordered?.from !== segments) this.ordered = { from: segments, order: [...segments].sort((a, b) => a.depth - b.depth) };
    return this.ordered.order;
  }

  private drawAxis(ctx: CanvasRenderingContext2D, r: Range, w: number, hgt: number, p: Palette): void {
    const span = r.toNs - r.fromNs;
    const step = niceStep(span / Math.max(1, this.plotWidth() / 110));
    ctx.strokeStyle = p.grid;
    ctx.fillStyle = p.dim;
    ctx.lineWidth = 1;
    for (let t = Math.ceil(r.fromNs / step) * step; t <= r.toNs; t += step) {
      const x = Math.round(this.xAt(t, r)) + 0.5;
      if (x < GUTTER || x > w) continue;
      ctx.beginPath();
      ctx.moveTo(x, AXIS - 6);
      ctx.lineTo(x, hgt);
      ctx.stroke();
      ctx.fillText(fmtTick(t, step, r.toNs), x + 3, AXIS / 2 - 1);
    }
  }

  /** The IRQL of each processor as a step line over its lane (0 at the bottom, 15 at the top). */
  private drawIrql(ctx: CanvasRenderingContext2D, r: Range, w: number, p: Palette): void {
    const tl = this.state?.timeline;
    if (!tl) return;
    ctx.strokeStyle = p.irql;
    ctx.lineWidth = 1.5;
    tl.irql.forEach((steps, cpu) => {
      const top = AXIS + cpu * (LANE + GAP);
      const y = (irql: number): number => Math.round(top + LANE - 2 - (Math.min(irql, 15) / 15) * (LANE - 4)) + 0.5;
      const endX = Math.min(w, this.xAt(this.state?.cpus[cpu]?.clockNs ?? r.toNs, r));
      let level = tl.irqlAtStart[cpu] ?? 0;
      // Nothing is known before the window's start: the line begins there.
      let x = Math.max(GUTTER, this.xAt(tl.fromNs, r));
      if (x >= w) return;
      ctx.beginPath();
      ctx.moveTo(x, y(level));
      for (const [t, to] of steps) {
        if (t < r.fromNs) {
          level = to;
          ctx.moveTo(x, y(level));
          continue;
        }
        const nx = this.xAt(t, r);
        if (nx > w) break;
        x = Math.max(GUTTER, nx);
        ctx.lineTo(x, y(level));
        ctx.lineTo(x, y(to));
        level = to;
      }
      if (endX > x) ctx.lineTo(endX, y(level));
      ctx.stroke();
    });
  }
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

function describe(s: TimelineSegment, end: number): string[] {
  const what = s.kind === 'isr' ? `ISR ${s.name}${s.vector !== undefined ? ` (vector ${hex(s.vector)})` : ''}` : s.kind === 'dpc' ? `DPC ${s.name}` : `thread ${s.name}`;
  const lines = [what, `CPU ${s.cpu} · from ${fmtNs(s.startNs)} · ${s.endNs === undefined ? 'running for' : 'ran'} ${fmtNs(end - s.startNs)}`];
  if (s.queuedAtNs !== undefined) lines.push(`waited ${fmtNs(s.startNs - s.queuedAtNs)} in the DPC queue`);
  if (s.claimed === false) lines.push('not claimed (returned FALSE)');
  return lines;
}
