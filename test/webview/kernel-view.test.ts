// The built Kernel View in headless chromium, fed with states recorded from real runs
// (fixtures/, see record-states.ts): what it shows, how it reacts (zoom, click to reveal,
// travel), what it remembers across a reload, and screenshots in light and dark themes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KdsimState, TimelineSegment } from '../../kernel-sim/debug/state-types';
import { fixture, missingBrowser, openPanel, root, start, type Harness, type Panel } from './harness';

const missing = missingBrowser();
// In CI a missing browser is a failure; elsewhere the suite says why it did not run.
if (missing && process.env.CI) throw new Error(`webview tests need chromium: ${missing}`);
const skip = missing ? `skipped: ${missing}` : false;

const shots = join(root, 'test-results', 'webview');
const update = process.env.KDSIM_UPDATE_SCREENSHOTS === '1';

async function screenshot(p: Panel, name: string, docsName?: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  const file = join(shots, `${name}.png`);
  await p.page.screenshot({ path: file, fullPage: true });
  if (update && docsName) {
    mkdirSync(join(root, 'docs'), { recursive: true });
    copyFileSync(file, join(root, 'docs', docsName));
  }
}

/** Timeline geometry from the canvas's data-* attributes. */
async function geometry(p: Panel): Promise<{ fromNs: number; toNs: number; gutter: number; axis: number; lane: number; gap: number; width: number }> {
  return p.page.locator('.timeline-canvas').evaluate((c: HTMLCanvasElement) => ({
    fromNs: Number(c.dataset.fromNs),
    toNs: Number(c.dataset.toNs),
    gutter: Number(c.dataset.gutter),
    axis: Number(c.dataset.axis),
    lane: Number(c.dataset.lane),
    gap: Number(c.dataset.gap),
    width: c.clientWidth,
  }));
}

/** Where to click on the canvas to hit the middle of a segment. */
async function pointOf(p: Panel, s: TimelineSegment, end: number): Promise<{ x: number; y: number }> {
  const g = await geometry(p);
  const mid = (s.startNs + end) / 2;
  const x = g.gutter + ((mid - g.fromNs) / (g.toNs - g.fromNs)) * (g.width - g.gutter);
  const y = g.axis + s.cpu * (g.lane + g.gap) + g.lane / 2 - 4;
  return { x, y };
}

describe('Kernel View in chromium', { skip }, () => {
  let h: Harness;
  before(async () => {
    h = await start();
  });
  after(async () => {
    await h?.close();
  });

  test('stopped in the ISR: IRQL per CPU, what runs, the DPC it queued, the interrupt objects', async () => {
    const p = await openPanel(h, 'dark');
    const f = fixture('dpcforisr-isr');
    await p.show(f);
    const cpu0 = p.page.locator('.cpu-card[data-cpu="0"]');
    await cpu0.locator('.irql-name', { hasText: 'DIRQL' }).waitFor();
    assert.equal(await cpu0.locator('.irql-num').textContent(), '9');
    assert.match((await cpu0.getAttribute('class')) ?? '', /\bfocused\b/);
    assert.equal(await cpu0.locator('.runs-text').textContent(), 'ISR SmpInterruptService (vector 0x91)');
    const dpc = cpu0.locator('.dpc-main .dpc-row');
    assert.equal(await dpc.count(), 1);
    assert.match((await dpc.textContent()) ?? '', /SmpDpcForIsr.*Medium/);
    const cpu1 = p.page.locator('.cpu-card[data-cpu="1"]');
    assert.equal(await cpu1.locator('.irql-name').textContent(), 'DISPATCH_LEVEL');
    assert.equal(await cpu1.locator('.runs-text').textContent(), 'idle');
    const rows = p.page.locator('.interrupt-row');
    assert.equal(await rows.count(), f.state.interrupts.length);
    assert.match((await rows.first().textContent()) ?? '', /0x91.*Level.*Shared.*SmpInterruptService/);
    assert.deepEqual(await p.errors(), []);
    await screenshot(p, 'isr-dark', 'kernel-view-dark.png');
    await p.page.close();
  });

  test('stopped in the DpcForIsr: the IRQL dropped to DISPATCH_LEVEL and the queue is empty', async () => {
    const p = await openPanel(h, 'light');
    await p.show(fixture('dpcforisr-dpc'));
    const cpu0 = p.page.locator('.cpu-card[data-cpu="0"]');
    await cpu0.locator('.runs-text', { hasText: 'DPC SmpDpcForIsr' }).waitFor();
    assert.equal(await cpu0.locator('.irql-name').textContent(), 'DISPATCH_LEVEL');
    assert.equal(await cpu0.locator('.irql-num').textContent(), '2');
    assert.equal(await cpu0.locator('.dpc-main .dpc-row').count(), 0);
    assert.equal(await cpu0.locator('.dpc-queue .empty').isVisible(), true);
    await screenshot(p, 'dpc-light', 'kernel-view-light.png');
    await p.page.close();
  });

  test('a state older than the one drawn is dropped', async () => {
    const p = await openPanel(h, 'dark');
    await p.show(fixture('dpcforisr-dpc'), 10);
    await p.page.locator('.runs-text', { hasText: 'DPC SmpDpcForIsr' }).waitFor();
    await p.send({ type: 'state', state: { ...fixture('dpcforisr-isr').state, version: 5 } });
    // A newer state after the stale one proves the stale one was processed (and ignored) first.
    const newer: KdsimState = { ...fixture('dpcforisr-dpc').state, version: 11, nowNs: 123_456_789 };
    await p.send({ type: 'state', state: newer });
    await p.page.locator('.now', { hasText: '123.456789 ms' }).waitFor();
    assert.equal(await p.page.locator('.cpu-card[data-cpu="0"] .runs-text').textContent(), 'DPC SmpDpcForIsr');
    await p.page.close();
  });

  test('a new session starts its versions over; the focused CPU is followed', async () => {
    const p = await openPanel(h, 'dark');
    await p.show(fixture('dpcforisr-end'), 500);
    await p.page.locator('.status', { hasText: 'ended' }).waitFor();
    await p.send({ type: 'session', status: 'stopped', name: 'again' });
    await p.send({ type: 'focus', cpu: 1 });
    await p.send({ type: 'state', state: { ...fixture('dpcforisr-isr').state, version: 1 } });
    await p.page.locator('.cpu-card[data-cpu="0"] .irql-name', { hasText: 'DIRQL' }).waitFor();
    await p.page.locator('.cpu-card[data-cpu="1"].focused.selected').waitFor();
    assert.equal(await p.page.locator('.cpu-card.focused').count(), 1);
    await p.page.close();
  });

  test('a state without the Kernel View extras (an older adapter) still draws', async () => {
    const p = await openPanel(h, 'dark');
    const { timeline: _t, latency: _l, log: _g, routines: _r, ...bare } = fixture('dpcforisr-isr').state;
    await p.show({ ...fixture('dpcforisr-isr'), state: bare });
    await p.page.locator('.cpu-card[data-cpu="0"] .irql-name', { hasText: 'DIRQL' }).waitFor();
    // Without source positions the routine is plain text, not a link.
    assert.equal(await p.page.locator('.cpu-card[data-cpu="0"] .dpc-main a.routine').count(), 0);
    await p.page.locator('[data-tab="stats"]').click();
    await p.page.locator('.stats .empty-panel').waitFor();
    await p.page.locator('[data-tab="log"]').click();
    await p.page.locator('.log-info', { hasText: 'No DbgPrint output yet.' }).waitFor();
    assert.deepEqual(await p.errors(), []);
    await p.page.close();
  });

  test('timeline: zoom buttons, wheel and fit change the visible range', async () => {
    const p = await openPanel(h, 'dark');
    await p.show(fixture('dpcforisr-end'));
    await p.page.locator('.timeline-canvas[data-from-ns]').waitFor();
    const g0 = await geometry(p);
    await p.page.locator('[data-action="zoom-in"]').click();
    const g1 = await geometry(p);
    assert.ok(Math.abs(g1.toNs - g1.fromNs - (g0.toNs - g0.fromNs) / 2) < 1e-6 * (g0.toNs - g0.fromNs), 'zoom in halves the span');
    await p.page.locator('[data-action="pan-right"]').click();
    const g2 = await geometry(p);
    assert.ok(g2.fromNs > g1.fromNs);
    const box = await p.page.locator('.timeline-canvas').boundingBox();
    assert.ok(box);
    await p.page.mouse.move(box.x + box.width / 2, box.y + 40);
    await p.page.mouse.wheel(0, 300);
    await p.page.waitForFunction((span) => {
      const c = document.querySelector<HTMLCanvasElement>('.timeline-canvas');
      return c !== null && Number(c.dataset.toNs) - Number(c.dataset.fromNs) > span * 1.2;
    }, g2.toNs - g2.fromNs);
    const label = await p.page.locator('.timeline-range').textContent();
    await p.page.locator('[data-action="fit"]').click();
    const g3 = await geometry(p);
    assert.deepEqual([g3.fromNs, g3.toNs], [g0.fromNs, g0.toNs]);
    assert.notEqual(await p.page.locator('.timeline-range').textContent(), label);
    await p.page.close();
  });

  test('timeline: clicking a segment reveals its routine; Alt+click travels to its start', async () => {
    const p = await openPanel(h, 'dark');
    const f = fixture('dpcforisr-end');
    await p.show(f);
    await p.page.locator('.timeline-canvas[data-from-ns]').waitFor();
    const segs = f.state.timeline?.segments ?? [];
    const isr = segs.filter((s) => s.kind === 'isr').at(-1);
    const dpc = segs.filter((s) => s.kind === 'dpc').at(-1);
    assert.ok(isr && dpc);
    // Zoom until the DPC is wide enough to aim at without luck.
    for (let i = 0; i < 12; i++) {
      const g = await geometry(p);
      if (((dpc.endNs ?? 0) - dpc.startNs) / (g.toNs - g.fromNs) > 0.05) break;
      const at = await pointOf(p, dpc, dpc.endNs ?? dpc.startNs);
      await p.page.locator('.timeline-canvas').hover({ position: at });
      await p.page.mouse.wheel(0, -400);
      await p.page.waitForFunction((span) => {
        const c = document.querySelector<HTMLCanvasElement>('.timeline-canvas');
        return c !== null && Number(c.dataset.toNs) - Number(c.dataset.fromNs) < span;
      }, g.toNs - g.fromNs);
    }
    const at = await pointOf(p, dpc, dpc.endNs ?? dpc.startNs);
    await p.page.locator('.timeline-canvas').hover({ position: at });
    await p.page.locator('.timeline-tooltip', { hasText: `DPC SmpDpcForIsr` }).waitFor();
    assert.match((await p.page.locator('.timeline-tooltip').textContent()) ?? '', /CPU \d · from .* ran .*waited .* in the DPC queue/);
    await p.page.locator('.timeline-canvas').click({ position: at });
    const where = f.state.routines?.SmpDpcForIsr;
    assert.ok(where);
    await p.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'reveal'));
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'reveal'), [{ type: 'reveal', file: 'examples/dpcforisr/driver.c', line: where.line }]);
    await p.page.locator('.timeline-details', { hasText: 'DPC SmpDpcForIsr' }).waitFor();
    await p.page.locator('.timeline-canvas').click({ position: at, modifiers: ['Alt'] });
    await p.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'travelTo'));
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'travelTo'), [{ type: 'travelTo', timeNs: dpc.startNs, cpu: dpc.cpu }]);
    // The details bar's buttons do the same.
    await p.page.locator('.timeline-details [data-action="reveal"]').click();
    assert.equal((await p.posted()).filter((m) => m.type === 'reveal').length, 2);
    await screenshot(p, 'timeline-zoomed-dark');
    await p.page.close();
  });

  test('what the panel remembers (tab, zoom, selected CPU) survives a reload', async () => {
    const p = await openPanel(h, 'light');
    const f = fixture('dpcforisr-end');
    await p.show(f);
    await p.page.locator('[data-tab="stats"]').click();
    await p.page.locator('.tiles').waitFor();
    await p.page.locator('[data-action="zoom-in"]').click();
    await p.page.locator('.cpu-card[data-cpu="1"] .cpu-head').click();
    await p.page.locator('.cpu-card[data-cpu="1"].selected').waitFor();
    const g = await geometry(p);
    await p.page.reload();
    await p.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
    await p.send({ type: 'state', state: f.state });
    await p.page.locator('.tiles').waitFor();
    assert.match((await p.page.locator('[data-tab="stats"]').getAttribute('class')) ?? '', /\bactive\b/);
    await p.page.locator('.cpu-card[data-cpu="1"].selected').waitFor();
    const g2 = await geometry(p);
    assert.deepEqual([g2.fromNs, g2.toNs], [g.fromNs, g.toNs]);
    await p.page.close();
  });

  test('statistics: highest values with when, per-routine histograms, ISR → DPC latency', async () => {
    const p = await openPanel(h, 'dark');
    const f = fixture('dpcforisr-end');
    const lat = f.state.latency;
    assert.ok(lat);
    await p.show(f);
    await p.page.locator('[data-tab="stats"]').click();
    const tiles = p.page.locator('.tile');
    await tiles.first().waitFor();
    assert.equal(await tiles.count(), 3);
    assert.match((await tiles.nth(2).textContent()) ?? '', /Interrupt to DPC latency.*18 samples/);
    const row = p.page.locator('.routine-row[data-routine="SmpInterruptService"]');
    assert.match((await row.textContent()) ?? '', /ISR.*SmpInterruptService.*0x91.*18/);
    await row.click();
    const bars = p.page.locator('.histogram .hist-row');
    await bars.first().waitFor();
    assert.equal(await bars.count(), lat.bucketsUs.length);
    assert.match((await p.page.locator('.pairs').textContent()) ?? '', /SmpInterruptService → SmpDpcForIsr/);
    await tiles.nth(0).locator('.when').click();
    const travels = (await p.posted()).filter((m) => m.type === 'travelTo');
    assert.deepEqual(travels, [{ type: 'travelTo', timeNs: lat.isr.maxAtNs, cpu: lat.isr.maxCpu }]);
    await screenshot(p, 'stats-dark');
    await p.page.close();
  });

  test('devices, DbgPrint log, and a DPC queue of thousands drawn a screenful at a time', async () => {
    const p = await openPanel(h, 'light');
    const f = fixture('dpcforisr-isr');
    const one = f.state.cpus[0].dpcQueue[0];
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...one, systemArgument1: `0x${(i + 1).toString(16)}` }));
    const big: KdsimState = { ...f.state, cpus: f.state.cpus.map((c, i) => (i === 0 ? { ...c, dpcQueue: many } : c)) };
    await p.show({ ...f, state: big });
    const cpu0 = p.page.locator('.cpu-card[data-cpu="0"]');
    await cpu0.locator('.section-title', { hasText: 'DPC queue (5000)' }).waitFor();
    const drawn = await cpu0.locator('.dpc-main .dpc-row').count();
    assert.ok(drawn > 0 && drawn < 40, `${drawn} rows in the DOM`);
    await cpu0.locator('.dpc-main').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await cpu0.locator('.dpc-main .dpc-index', { hasText: /^5000$/ }).waitFor();

    await p.page.locator('[data-tab="devices"]').click();
    const regs = p.page.locator('.registers tbody tr');
    await regs.first().waitFor();
    const names = await regs.locator('td:first-child').allTextContents();
    for (const r of f.state.devices[0].registers) assert.ok(names.includes(r.name), r.name);
    await p.page.locator('[data-action="fire"]').click();
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'fireInterrupt'), [{ type: 'fireInterrupt', device: 'sampler0' }]);

    await p.page.locator('[data-tab="log"]').click();
    const lines = p.page.locator('.log-line');
    await lines.first().waitFor();
    assert.equal(await lines.count(), f.state.log?.lines.length);
    assert.match((await lines.first().textContent()) ?? '', /DriverEntry/);
    await p.page.close();
  });

  test('a bug check is announced as !analyze names it, the crashed DPC still open on the timeline', async () => {
    const p = await openPanel(h, 'light');
    const f = fixture('bugcheck-end');
    await p.show(f);
    await p.page.locator('.bugcheck', { hasText: '0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL on CPU 0' }).waitFor();
    assert.equal(await p.page.locator('.cpu-card[data-cpu="0"] .runs-text').textContent(), 'DPC HisDpcForIsr');
    assert.ok(f.state.timeline?.segments.some((s) => s.kind === 'dpc' && s.endNs === undefined), 'the DPC never finished');
    await p.page.close();
  });

  test('timeline: dragging pans, and the panned range is remembered', async () => {
    const p = await openPanel(h, 'dark');
    await p.show(fixture('dpcforisr-end'));
    await p.page.locator('.timeline-canvas[data-from-ns]').waitFor();
    const g0 = await geometry(p);
    const box = await p.page.locator('.timeline-canvas').boundingBox();
    assert.ok(box);
    await p.page.mouse.move(box.x + box.width / 2, box.y + 50);
    await p.page.mouse.down();
    await p.page.mouse.move(box.x + box.width / 2 - 200, box.y + 50, { steps: 5 });
    await p.page.mouse.up();
    const g1 = await geometry(p);
    const expected = (200 / (g0.width - g0.gutter)) * (g0.toNs - g0.fromNs);
    assert.ok(Math.abs(g1.fromNs - g0.fromNs - expected) < expected * 0.01, `moved ${g1.fromNs - g0.fromNs}, expected ${expected}`);
    const saved = await p.page.evaluate(() => JSON.parse(sessionStorage.getItem('kdsim-view-state') ?? '{}') as { zoom?: { fromNs: number } });
    assert.equal(saved.zoom?.fromNs, g1.fromNs);
    assert.equal((await p.posted()).filter((m) => m.type === 'reveal' || m.type === 'travelTo').length, 0, 'a drag is not a click');
    await p.page.close();
  });

  test('high contrast and a busy run (timer DPCs, 1500 activations) draw without errors', async () => {
    const p = await openPanel(h, 'high-contrast');
    await p.show(fixture('customdpc-timer-end'));
    await p.page.locator('.legend-item', { hasText: 'DPC TckStatsTimerDpc' }).waitFor();
    assert.deepEqual(await p.errors(), []);
    await screenshot(p, 'timer-high-contrast');
    // A live theme switch (VS Code changes the body class and the root's variables) recolours the canvas.
    const before = await p.page.locator('.timeline-legend .swatch').first().evaluate((e: HTMLElement) => e.style.background);
    await p.page.evaluate(() => {
      document.body.className = 'vscode-light';
      document.documentElement.style.setProperty('--vscode-charts-red', '#123456');
    });
    await p.page.waitForFunction((old) => {
      const sw = document.querySelector<HTMLElement>('.timeline-legend .swatch');
      return sw !== null && sw.style.background !== old;
    }, before);
    assert.deepEqual(await p.errors(), []);
    await p.page.close();
  });
});
