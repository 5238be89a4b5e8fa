// The packaged extension: `npm run package` builds the .vsix, code-server installs it with
// --install-extension, and a workbench opened on the example (no development path) activates it
// and runs one of its commands and a debug session to a breakpoint in the ISR.

import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { driverLine, EXAMPLE, GUARD_MS, installVsix, launchBrowser, listExtensions, newPage, packageVsix, prepareRun, requirePrerequisites, startCodeServer } from './harness';
import { Workbench } from './workbench';

test('the .vsix installs into code-server and activates on a driver workspace', { timeout: 600_000 }, async (t) => {
  if (!requirePrerequisites(t)) return;
  const vsix = packageVsix();
  const run = prepareRun('vsix');
  installVsix(run, vsix);
  assert.ok(
    listExtensions(run).some((l) => l.startsWith('kdsim.kdsim@')),
    'kdsim.kdsim is not listed after --install-extension',
  );
  const server = await startCodeServer(run);
  const browser = await launchBrowser();
  let wb: Workbench | undefined;
  try {
    const page = await newPage(browser);
    page.setDefaultTimeout(GUARD_MS);
    wb = new Workbench(page);
    // No payload: only the installed copy can answer.
    await wb.open(server.url(EXAMPLE));
    await wb.waitForExplorer('kdsim.json');
    await wb.statusItem('kdsim').waitFor();
    await wb.command('kdsim: Check Driver Sources');
    // The command compiles with the simulated headers shipped in the .vsix (dist/include).
    await wb.statusItem('kdsim: 0 error(s)').waitFor();
    // The packaged debug adapter: F5 reaches a breakpoint in the ISR.
    await wb.openFile('driver.c');
    await wb.goToLine(driverLine('IoRequestDpc(fdo, fdo->CurrentIrp, NULL);', 'BOOLEAN SmpInterruptService('));
    await wb.command('Debug: Toggle Breakpoint');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F5');
    await wb.callStackRow('SmpInterruptService').waitFor();
    await wb.statusItem(/CPU \d+ · IRQL 9/).waitFor();
    await wb.screenshot('vsix-installed');
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
  } catch (e) {
    await wb?.screenshot('vsix-failure').catch(() => undefined);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});
