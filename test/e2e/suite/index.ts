// The in-host end-to-end suite: runs inside VS Code's extension host, launched either by
// code-server (test/e2e/in-host.test.ts) or by @vscode/test-electron (test/e2e/run-electron.ts).
// Contract (same for both): `run()` resolves when every test passed and rejects otherwise.
// No launcher assumptions: the workspace comes from vscode.workspace.workspaceFolders.

import Mocha from 'mocha';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { registerDebugTests } from './debug';
import { registerExtensionTests } from './extension';
import { registerProblemsTests } from './problems';

interface Outcome {
  title: string;
  state: 'passed' | 'failed';
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  // The tests are bundled into this file: give them mocha's tdd globals (suite, test, ...)
  // the way mocha does for the files it loads itself.
  mocha.suite.emit('pre-require', globalThis, 'kdsim-e2e-suite', mocha);
  registerExtensionTests();
  registerDebugTests();
  registerProblemsTests();

  const outcomes: Outcome[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // Launchers that cannot read the console (or want details) get a JSON summary.
      const out = process.env.KDSIM_E2E_RESULTS;
      if (out) mkdirSync(dirname(out), { recursive: true });
      if (out) writeFileSync(out, JSON.stringify({ failures, tests: outcomes }, null, 2));
      if (failures > 0) reject(new Error(`${failures} end-to-end test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: Error) => outcomes.push({ title: t.fullTitle(), state: 'failed', error: err.stack ?? err.message }));
  });
}
