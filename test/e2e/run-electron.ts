// The in-host suite in desktop VS Code, for machines that can download it (CI with internet):
// @vscode/test-electron fetches VS Code (update.code.visualstudio.com) and runs the same
// extensionTestsPath as the code-server launcher. Not usable offline (E2E.md §10).
// Run: npm run test:e2e:electron (headless Linux: under xvfb-run). VSCODE_VERSION picks a version.

import { runTests } from '@vscode/test-electron';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      // Built by scripts/e2e/build-suite.mjs (the npm script does it first).
      extensionTestsPath: join(root, '.vscode-test', 'e2e', 'suite.js'),
      launchArgs: [join(root, 'examples', 'dpcforisr'), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { KDSIM_E2E_RESULTS: join(root, 'test-results', 'e2e', 'electron-results.json') },
    });
  } catch (e) {
    console.error(`end-to-end suite failed in desktop VS Code: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

void main();
