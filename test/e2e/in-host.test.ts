// The in-host suite (test/e2e/suite) inside code-server's extension host, the extension loaded
// from this folder via the workbench URL payload (extensionDevelopmentPath/extensionTestsPath).

import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE, launchBrowser, newPage, prepareRun, requirePrerequisites, RESULTS, ROOT, runSuiteInPage, startCodeServer } from './harness';

interface SuiteResults {
  failures: number;
  tests: Array<{ title: string; state: string; error?: string }>;
}

test('in-host suite passes in code-server (activation, F5 to the ISR, DPC, Kernel View, Problems, restricted mode)', { timeout: 600_000 }, async (t) => {
  if (!requirePrerequisites(t)) return;
  // The suite is bundled on demand: it is a test artifact, not part of the extension.
  const { buildSuite } = (await import(join(ROOT, 'scripts', 'e2e', 'build-suite.mjs'))) as { buildSuite: () => Promise<string> };
  const suite = await buildSuite();
  const run = prepareRun('in-host');
  const resultsFile = join(run.dir, 'results.json');
  const server = await startCodeServer(run, { KDSIM_E2E_RESULTS: resultsFile });
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser);
    const outcome = await runSuiteInPage(page, server.url(EXAMPLE, { extensionDevelopmentPath: ROOT, extensionTestsPath: suite }));
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'in-host.log'), outcome.logs.join('\n'));
    await page.screenshot({ path: join(RESULTS, 'in-host-end.png') });
    const results: SuiteResults | undefined = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults) : undefined;
    for (const r of results?.tests ?? []) t.diagnostic(`${r.state === 'passed' ? 'ok' : 'FAILED'}: ${r.title}${r.error ? `\n${r.error}` : ''}`);
    assert.ok(results, `the suite wrote no results (exit ${outcome.code}); extension host log:\n${outcome.logs.slice(-40).join('\n')}\nserver log: ${server.log}`);
    assert.ok(results.tests.length >= 10, `only ${results.tests.length} tests ran`);
    assert.deepEqual(results.tests.filter((r) => r.state !== 'passed').map((r) => `${r.title}: ${r.error}`), []);
    assert.equal(outcome.code, 0, 'codeAutomationExit reported a failure');
  } finally {
    await browser.close();
    await server.stop();
  }
});
