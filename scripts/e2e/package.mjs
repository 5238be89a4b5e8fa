// `npm run package`: builds the .vsix with vsce from a staging folder, so the production build
// (minified, no source maps; vscode:prepublish) never rewrites the working tree's dist/ that
// tests and a running `npm start` use. The stage links the sources and copies the manifest.
// Usage: node scripts/e2e/package.mjs [--out file.vsix]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stage = join(root, '.vscode-test', 'package-stage');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = resolve(outArg > 0 ? process.argv[outArg + 1] : join(root, `${pkg.name}-${pkg.version}.vsix`));

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'scripts'), { recursive: true });
// Sources the build only reads are linked. What the .vsix ships is copied: vsce does not follow
// linked folders (the examples, the walkthrough media in extension/, kernel-sim's schema), and
// the build copies kernel-sim/include to dist/include (a link there would be copied as a link).
for (const dir of ['cli', 'node-host', 'debug-adapter', 'webview', 'node_modules']) symlinkSync(join(root, dir), join(stage, dir), 'dir');
for (const dir of ['examples', 'extension', 'kernel-sim/scenario', 'kernel-sim/include']) cpSync(join(root, dir), join(stage, dir), { recursive: true });
for (const entry of readdirSync(join(root, 'kernel-sim'))) {
  if (entry !== 'scenario' && entry !== 'include') symlinkSync(join(root, 'kernel-sim', entry), join(stage, 'kernel-sim', entry));
}
for (const file of ['package.json', '.vscodeignore', 'LICENSE', 'tsconfig.json', 'scripts/build.mjs']) {
  if (existsSync(join(root, file))) copyFileSync(join(root, file), join(stage, file));
}
// The README's screenshots are repository files (docs/), which an installed extension's page
// cannot show and vsce refuses without a repository URL: the packaged README goes without them.
const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/^\s*!\[[^\]]*\]\([^)]*\)\s*$/gm, '').replace(/!\[[^\]]*\]\([^)]*\)/g, '');
writeFileSync(join(stage, 'README.md'), readme);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// vsce runs vscode:prepublish (the production build) in the stage; dependencies are bundled.
const r = spawnSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--no-dependencies', ...(existsSync(join(root, 'LICENSE')) ? [] : ['--skip-license']), '--out', out], {
  cwd: stage,
  stdio: 'inherit',
});
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(out);
