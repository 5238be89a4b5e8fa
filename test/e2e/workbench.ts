// Driving the VS Code workbench in code-server with Playwright: selectors that held up on
// VS Code 1.100 (shared E2E.md §7) behind a few named actions.

import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { GUARD_MS, RESULTS, ROOT } from './harness';

export class Workbench {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: GUARD_MS });
  }

  /** The explorer lists `file`: the workbench is usable. */
  async waitForExplorer(file: string): Promise<void> {
    await this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first().waitFor({ timeout: GUARD_MS });
  }

  statusItem(text: string | RegExp): Locator {
    return this.page.locator('.statusbar-item', { hasText: text }).first();
  }

  /**
   * Runs a command by its palette title. The palette may open before the extension registered
   * its commands (then the title is missing): close it and try again (E2E.md §10).
   */
  async command(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    const end = Date.now() + GUARD_MS;
    for (;;) {
      await this.page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${title}`);
        await row.waitFor({ timeout: 5_000 });
        await this.page.keyboard.press('Enter');
        return;
      } catch (e) {
        await this.page.keyboard.press('Escape');
        if (Date.now() > end) throw e;
        // A focused webview (its iframe) keeps F1 to itself: give the focus back to the editor.
        await this.page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').first().click();
      }
    }
  }

  /** Opens a workspace file with Quick Open. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: GUARD_MS });
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: GUARD_MS });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: GUARD_MS });
    await this.page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: GUARD_MS });
  }

  /** Moves the cursor of the active editor to a line with "Go to Line/Column". */
  async goToLine(line: number): Promise<void> {
    await this.command('Go to Line/Column');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.editor-group-container.active .monaco-editor .line-numbers.active-line-number', { hasText: String(line) }).first().waitFor({ timeout: GUARD_MS });
  }

  callStackRow(text: string | RegExp): Locator {
    return this.page.locator('.debug-call-stack .monaco-list-row', { hasText: text }).first();
  }

  /** The content of the active webview (the Kernel View): two nested iframes. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /**
   * Saves a screenshot in test-results/e2e/. With KDSIM_UPDATE_SCREENSHOTS=1 (as for the webview
   * tests) the ones given a `docs` name are also copied to docs/ for the README.
   */
  async screenshot(name: string, docs?: string): Promise<string> {
    mkdirSync(RESULTS, { recursive: true });
    const path = join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path });
    if (docs && process.env.KDSIM_UPDATE_SCREENSHOTS === '1') copyFileSync(path, join(ROOT, 'docs', `${docs}.png`));
    return path;
  }
}
