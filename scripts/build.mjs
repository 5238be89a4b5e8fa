// Bundles every entry point into dist/ with esbuild and copies the simulated headers beside them.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

// Entries that exist so far; later layers add theirs here.
const nodeEntries = [
  { in: 'cli/main.ts', out: 'cli' },
  { in: 'extension/extension.ts', out: 'extension' },
  { in: 'debug-adapter/main.ts', out: 'debug-adapter' },
].filter((e) => existsSync(join(root, e.in)));
const webEntries = [{ in: 'webview/main.ts', out: 'webview' }].filter((e) => existsSync(join(root, e.in)));

mkdirSync(dist, { recursive: true });
await build({
  ...common,
  entryPoints: nodeEntries,
  outdir: dist,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
});
if (webEntries.length > 0) {
  await build({ ...common, entryPoints: webEntries, outdir: dist, platform: 'browser', target: 'es2022', format: 'iife' });
}
// The simulated headers ship as files: hosts read them from dist/include.
rmSync(join(dist, 'include'), { recursive: true, force: true });
cpSync(join(root, 'kernel-sim', 'include'), join(dist, 'include'), { recursive: true });
// The Kernel View's styles and the codicon font sit beside its script (the panel's CSP allows
// styles and fonts only from the extension's own files).
if (webEntries.length > 0) {
  cpSync(join(root, 'webview', 'kernel-view.css'), join(dist, 'webview.css'));
  const codicons = join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  mkdirSync(join(dist, 'codicons'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(codicons, f), join(dist, 'codicons', f));
}
