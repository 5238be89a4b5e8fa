// The scenario through the UI of a real VS Code (code-server + headless chromium):
// open the example, set a breakpoint in the ISR, F5, the breakpoint hits, the Kernel View shows
// the DPC queued on that CPU, step into the DpcForIsr, IRQL shows DISPATCH_LEVEL.
// Screenshots go to test-results/e2e/.

import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { driverLine, EXAMPLE, GUARD_MS, launchBrowser, newPage, prepareRun, requirePrerequisites, RESULTS, ROOT, startCodeServer } from './harness';
import { Workbench } from './workbench';

test('UI: breakpoint in the ISR, F5, the Kernel View shows the queued DPC, Step to Next DPC reaches DISPATCH_LEVEL', { timeout: 600_000 }, async (t) => {
  if (!requirePrerequisites(t)) return;
  const run = prepareRun('ui');
  const server = await startCodeServer(run);
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  let wb: Workbench | undefined;
  try {
    const page = await newPage(browser);
    page.setDefaultTimeout(GUARD_MS);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    wb = new Workbench(page);
    await wb.open(server.url(EXAMPLE, { extensionDevelopmentPath: ROOT }));
    await wb.waitForExplorer('driver.c');
    // The extension's status bar item is its readiness signal.
    await wb.statusItem('kdsim').waitFor();

    // The ISR's last statement, after IoRequestDpc queued the DpcForIsr.
    const line = driverLine('return TRUE;', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
    await wb.openFile('driver.c');
    await wb.goToLine(line);
    await wb.command('Debug: Toggle Breakpoint');
    // VS Code 1.100 draws breakpoints as glyph-margin widgets.
    await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor();
    await wb.screenshot('ui-1-breakpoint');

    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'visible' });
    await wb.callStackRow('SmpInterruptService').waitFor();
    await page.locator('.call-stack-state-message .label, .debug-call-stack .state.label', { hasText: /breakpoint/i }).first().waitFor();
    // The status bar names the stopped CPU and its device IRQL (above DISPATCH_LEVEL).
    const status = wb.statusItem(/CPU \d+ · IRQL/);
    await status.waitFor();
    const text = (await status.textContent()) ?? '';
    const m = /CPU (\d+) · IRQL (\d+)/.exec(text);
    assert.ok(m, `status bar: ${text}`);
    const cpu = Number(m[1]);
    assert.ok(Number(m[2]) > 2, `IRQL in the ISR: ${text}`);
    // The sidebar tree (Run and Debug): the stopped CPU with its queued DPC.
    const treePane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Kernel (kdsim)' }) });
    const header = treePane.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await treePane.locator('.monaco-list-row', { hasText: `CPU ${cpu}` }).first().waitFor();
    await treePane.locator('.monaco-list-row', { hasText: 'SmpDpcForIsr' }).first().waitFor();
    await wb.screenshot('ui-2-isr-breakpoint', 'vscode-isr-breakpoint');

    await wb.command('kdsim: Show Kernel View');
    const view = wb.webview();
    const card = view.locator(`.cpu-card[data-cpu="${cpu}"]`);
    await card.locator('.dpc-queue', { hasText: 'SmpDpcForIsr' }).first().waitFor();
    await wb.screenshot('ui-3-kernel-view-dpc-queued', 'vscode-kernel-view-dpc-queued');
    // Clicking the queued routine opens its definition (the panel's 'reveal' message).
    const dpcLine = driverLine('VOID SmpDpcForIsr(', 'IoRequestDpc(fdo, fdo->CurrentIrp, NULL);');
    await card.locator('a.routine', { hasText: 'SmpDpcForIsr' }).first().click();
    await page.locator('.editor-group-container .monaco-editor .line-numbers.active-line-number', { hasText: String(dpcLine) }).first().waitFor();

    // The breakpoint off again, so only the DPC stops the machine.
    await wb.goToLine(line);
    await wb.command('Debug: Toggle Breakpoint');
    await wb.command('kdsim: Step to Next DPC');
    await wb.callStackRow('SmpDpcForIsr').waitFor();
    const dpcStatus = wb.statusItem(/IRQL 2 DISPATCH_LEVEL/);
    await dpcStatus.waitFor();
    const dpcCpu = Number(/CPU (\d+)/.exec((await dpcStatus.textContent()) ?? '')?.[1]);
    await view.locator(`.cpu-card[data-cpu="${dpcCpu}"] .irql`, { hasText: 'DISPATCH_LEVEL' }).first().waitFor();
    await wb.screenshot('ui-4-dpc-dispatch-level', 'vscode-dpc-dispatch-level');

    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });

    // After a window reload the panel comes back (the extension's WebviewPanelSerializer).
    const reloaded = page.waitForEvent('load');
    await wb.command('Developer: Reload Window');
    await reloaded;
    await wb.statusItem('kdsim').waitFor();
    await page.locator('.tabs-container .tab', { hasText: 'Kernel View' }).first().waitFor();
    await page.locator('.tabs-container .tab', { hasText: 'Kernel View' }).first().click();
    await wb.webview().locator('#app *').first().waitFor();
    await wb.screenshot('ui-5-restored-after-reload');
  } catch (e) {
    await wb?.screenshot('ui-failure').catch(() => undefined);
    throw e;
  } finally {
    writeFileSync(join(RESULTS, 'ui-console-errors.log'), consoleErrors.join('\n'));
    await browser.close();
    await server.stop();
  }
});
