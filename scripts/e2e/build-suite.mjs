// Bundles the in-host end-to-end suite (test/e2e/suite) into .vscode-test/e2e/suite.js, the
// extensionTestsPath both launchers give VS Code. mocha stays external: it loads its reporters
// with dynamic requires, and Node finds it in the repository's node_modules from there.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const suiteFile = join(root, '.vscode-test', 'e2e', 'suite.js');

export async function buildSuite() {
  await build({
    entryPoints: [join(root, 'test', 'e2e', 'suite', 'index.ts')],
    outfile: suiteFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
    absWorkingDir: root,
  });
  return suiteFile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildSuite());
}
