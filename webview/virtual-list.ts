// A list that creates DOM rows only for what is scrolled into view: a DPC queue can hold
// thousands of entries and the log thousands of lines, while the view shows a dozen.
// Rows have one fixed height (set in CSS and passed here) so positions are arithmetic.

import { h } from './dom';

export class VirtualList<T> {
  readonly el: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly rows: HTMLDivElement;
  private items: readonly T[] = [];
  private drawnFrom = -1;
  private drawnTo = -1;
  private drawnItems: readonly T[] | undefined;

  constructor(
    className: string,
    private readonly rowHeight: number,
    private readonly renderRow: (item: T, index: number) => HTMLElement,
    /** Visible rows before the list scrolls (its height); the list shrinks to fewer items. */
    private readonly maxRows: number,
  ) {
    this.rows = h('div', { class: 'vlist-rows' });
    this.spacer = h('div', { class: 'vlist-spacer' }, this.rows);
    this.el = h('div', { class: `vlist ${className}`, attrs: { role: 'list' } }, this.spacer);
    this.el.addEventListener('scroll', () => this.draw(false), { passive: true });
  }

  get length(): number {
    return this.items.length;
  }

  /** New items; `stickToEnd` keeps a list scrolled to its end there (a log). */
  set(items: readonly T[], stickToEnd = false): void {
    const atEnd = this.el.scrollTop + this.el.clientHeight >= this.el.scrollHeight - this.rowHeight;
    this.items = items;
    const height = Math.min(items.length, this.maxRows) * this.rowHeight;
    this.el.style.height = `${height}px`;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    if (stickToEnd && atEnd) this.el.scrollTop = this.el.scrollHeight;
    this.draw(true);
  }

  /** Scrolls so item `index` is visible. */
  reveal(index: number): void {
    const top = index * this.rowHeight;
    if (top < this.el.scrollTop) this.el.scrollTop = top;
    else if (top + this.rowHeight > this.el.scrollTop + this.el.clientHeight) this.el.scrollTop = top + this.rowHeight - this.el.clientHeight;
  }

  private draw(force: boolean): void {
    const view = this.el.clientHeight || this.maxRows * this.rowHeight;
    // A few rows of slack on each side so fast scrolling does not show gaps.
    const from = Math.max(0, Math.floor(this.el.scrollTop / this.rowHeight) - 4);
    const to = Math.min(this.items.length, Math.ceil((this.el.scrollTop + view) / this.rowHeight) + 4);
    if (!force && from === this.drawnFrom && to === this.drawnTo && this.drawnItems === this.items) return;
    this.drawnFrom = from;
    this.drawnTo = to;
    this.drawnItems = this.items;
    this.rows.style.transform = `translateY(${from * this.rowHeight}px)`;
    const out: HTMLElement[] = [];
    for (let i = from; i < to; i++) {
      const row = this.renderRow(this.items[i], i);
      row.classList.add('vlist-row');
      row.setAttribute('role', 'listitem');
      out.push(row);
    }
    this.rows.replaceChildren(...out);
  }
}
