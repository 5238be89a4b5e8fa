// One card per processor, as !irql, !pcr and !dpcs would tell it: the IRQL (name and number,
// the first thing the eye finds), what runs there, pending interrupt vectors and the DPC
// queue in retirement order with each DPC's wait. The focused CPU's card is marked.

import type { CpuState, DpcState, KdsimState } from '../kernel-sim/debug/state-types';
import { h, icon, setText } from './dom';
import { fmtAddress, fmtNs, fmtTime, hex, irqlClass, plural } from './format';
import { VirtualList } from './virtual-list';

const ROW = 22;

export interface CardActions {
  select(cpu: number): void;
  reveal(routine: string): void;
  canReveal(routine: string): boolean;
}

const KIND_ICON: Record<CpuState['kind'], string> = { isr: 'zap', dpc: 'list-ordered', thread: 'pulse', idle: 'circle-large-outline' };

class CpuCard {
  readonly el: HTMLElement;
  private readonly name = h('span', { class: 'cpu-name' });
  private readonly badge = h('span', { class: 'focus-badge', text: 'focused' });
  private readonly clock = h('span', { class: 'cpu-clock' });
  private readonly irqlNum = h('span', { class: 'irql-num' });
  private readonly irqlName = h('span', { class: 'irql-name' });
  private readonly irql = h('div', { class: 'irql' }, this.irqlNum, this.irqlName);
  private readonly runsIcon = h('span', { class: 'runs-icon' });
  private readonly runsText = h('span', { class: 'runs-text' });
  private readonly thread = h('div', { class: 'cpu-thread' });
  private readonly pending = h('div', { class: 'pending' });
  private readonly dpcTitle = h('span', { class: 'section-title' });
  private readonly threadedTitle = h('span', { class: 'section-title' });
  private readonly dpcs: VirtualList<DpcState>;
  private readonly threaded: VirtualList<DpcState>;
  private readonly threadedBox: HTMLElement;
  private readonly emptyQueue = h('div', { class: 'empty', text: 'empty' });
  private cpu: CpuState | undefined;
  private kindIcon = '';

  constructor(
    number: number,
    private readonly actions: CardActions,
  ) {
    const row = (d: DpcState, i: number): HTMLElement => this.dpcRow(d, i);
    this.dpcs = new VirtualList('dpc-list dpc-main', ROW, row, 8);
    this.threaded = new VirtualList('dpc-list dpc-threaded', ROW, row, 4);
    this.threadedBox = h('div', { class: 'dpc-queue threaded' }, h('div', { class: 'section-head' }, this.threadedTitle), dpcHeader(), this.threaded.el);
    this.el = h(
      'section',
      { class: 'cpu-card', attrs: { 'data-cpu': String(number), tabindex: '0', 'aria-label': `CPU ${number}` }, on: { click: () => actions.select(number) } },
      h('header', { class: 'cpu-head' }, this.name, this.badge, this.clock),
      this.irql,
      h('div', { class: 'runs' }, this.runsIcon, this.runsText),
      this.thread,
      this.pending,
      h('div', { class: 'dpc-queue' }, h('div', { class: 'section-head' }, this.dpcTitle), dpcHeader(), this.emptyQueue, this.dpcs.el),
      this.threadedBox,
    );
  }

  update(cpu: CpuState, focused: boolean, selected: boolean): void {
    this.cpu = cpu;
    setText(this.name, `CPU ${cpu.number}`);
    this.el.classList.toggle('focused', focused);
    this.el.classList.toggle('selected', selected);
    this.el.dataset.kind = cpu.kind;
    setText(this.clock, fmtTime(cpu.clockNs));
    setText(this.irqlNum, String(cpu.irql));
    setText(this.irqlName, cpu.irqlName);
    this.irql.className = `irql ${irqlClass(cpu.irql)}`;
    this.irql.title = `IRQL ${cpu.irqlName} (${cpu.irql})`;
    if (this.kindIcon !== cpu.kind) {
      this.kindIcon = cpu.kind;
      this.runsIcon.replaceChildren(icon(KIND_ICON[cpu.kind]));
    }
    this.runsIcon.className = `runs-icon kind-${cpu.kind}`;
    setText(this.runsText, cpu.context);
    const count = plural(cpu.interruptCount, 'interrupt');
    setText(this.thread, cpu.kind === 'thread' || cpu.kind === 'idle' ? count : `thread ${cpu.thread} · ${count}`);
    this.pending.replaceChildren(
      h('span', { class: 'section-title', text: 'Pending interrupts' }),
      ...(cpu.pendingVectors.length === 0 ? [h('span', { class: 'empty', text: 'none' })] : cpu.pendingVectors.map((v) => h('span', { class: 'chip vector', text: hex(v) }))),
    );
    setText(this.dpcTitle, `DPC queue (${cpu.dpcQueue.length})`);
    this.emptyQueue.hidden = cpu.dpcQueue.length > 0;
    this.dpcs.set(cpu.dpcQueue);
    this.threadedBox.hidden = cpu.threadedDpcQueue.length === 0;
    setText(this.threadedTitle, `Threaded DPC queue (${cpu.threadedDpcQueue.length})`);
    this.threaded.set(cpu.threadedDpcQueue);
  }

  private dpcRow(d: DpcState, i: number): HTMLElement {
    const now = this.cpu?.clockNs ?? 0;
    const routine = this.actions.canReveal(d.routine)
      ? h('a', { class: 'routine link', text: d.routine, attrs: { href: '#', role: 'button' }, on: { click: (e) => (e.preventDefault(), e.stopPropagation(), this.actions.reveal(d.routine)) } })
      : h('span', { class: 'routine', text: d.routine });
    return h(
      'div',
      { class: 'dpc-row', title: `KDPC ${fmtAddress(d.address)}  DeferredContext ${fmtAddress(d.deferredContext)}` },
      h('span', { class: 'dpc-index', text: String(i + 1) }),
      routine,
      h('span', { class: `chip imp-${d.importance}`, text: d.importance }),
      h('span', { class: 'dpc-target', text: d.target === undefined ? '—' : `CPU ${d.target}` }),
      h('span', { class: 'mono', text: fmtAddress(d.systemArgument1) }),
      h('span', { class: 'mono', text: fmtAddress(d.systemArgument2) }),
      h('span', { class: 'dpc-wait', text: d.queuedAtNs === undefined ? '' : fmtNs(Math.max(0, now - d.queuedAtNs)) }),
    );
  }
}

function dpcHeader(): HTMLElement {
  return h(
    'div',
    { class: 'dpc-row dpc-header' },
    h('span', { class: 'dpc-index', text: '#' }),
    h('span', { text: 'Routine' }),
    h('span', { text: 'Importance' }),
    h('span', { text: 'Target' }),
    h('span', { text: 'SystemArgument1' }),
    h('span', { text: 'SystemArgument2' }),
    h('span', { text: 'Waited' }),
  );
}

export class CpuCards {
  readonly el = h('div', { class: 'cpu-cards' });
  private cards: CpuCard[] = [];
  private lastFocus: number | undefined;

  constructor(private readonly actions: CardActions) {}

  update(state: KdsimState, focusCpu: number | undefined, selectedCpu: number | undefined): void {
    while (this.cards.length < state.cpus.length) {
      const c = new CpuCard(this.cards.length, this.actions);
      this.cards.push(c);
      this.el.append(c.el);
    }
    while (this.cards.length > state.cpus.length) this.cards.pop()?.el.remove();
    state.cpus.forEach((cpu, i) => this.cards[i].update(cpu, cpu.number === focusCpu, cpu.number === selectedCpu));
    if (focusCpu !== this.lastFocus) {
      this.lastFocus = focusCpu;
      // Follow the debugger: bring the focused CPU's card into view.
      if (focusCpu !== undefined) this.cards[focusCpu]?.el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }
}
