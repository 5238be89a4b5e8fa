// `npm start`: builds kdsim and opens the dpcforisr example in a real VS Code with the extension
// loaded from this folder, ready for F5. Desktop VS Code (`code` on PATH) gets
// --extensionDevelopmentPath; otherwise code-server serves the workbench on 127.0.0.1 (installed
// first with scripts/e2e/setup.sh if needed) and this prints the URL to open.
// Options: --web (code-server even when `code` exists), --port N (default 8080 or a free one),
//          --folder DIR (another driver workspace).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const folder = resolve(option('--folder') ?? join(root, 'examples', 'dpcforisr'));
const e2eDir = process.env.KDSIM_E2E_DIR ?? join(root, '.vscode-test', 'code-server');
const codeServer = join(e2eDir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`kdsim start: ${cmd} ${argv.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function portFree(port) {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

async function choosePort() {
  const wanted = Number(option('--port') ?? 8080);
  if (await portFree(wanted)) return wanted;
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

run(process.execPath, [join(root, 'scripts', 'build.mjs')]);

if (!args.includes('--web') && onPath('code')) {
  console.log(`Opening ${folder} in VS Code with kdsim loaded from ${root}. Press F5 to debug the driver.`);
  run('code', ['--new-window', `--extensionDevelopmentPath=${root}`, folder]);
  process.exit(0);
}

if (!existsSync(codeServer)) {
  console.log('VS Code (`code`) is not on PATH: installing code-server for a browser workbench (once).');
  run('bash', [join(root, 'scripts', 'e2e', 'setup.sh')]);
}

// code-server's own state stays in .vscode-test (E2E.md §4): the real home is not touched.
const runDir = join(e2eDir, 'runs', 'start');
const userData = join(runDir, 'user');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(join(runDir, 'extensions'), { recursive: true });
mkdirSync(join(runDir, 'tmp'), { recursive: true });
const settingsFile = join(userData, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  const settings = JSON.parse(readFileSync(join(root, 'scripts', 'e2e', 'user-settings.json'), 'utf8'));
  writeFileSync(settingsFile, JSON.stringify({ ...settings, 'debug.internalConsoleOptions': 'openOnSessionStart' }, null, 2));
}
writeFileSync(join(runDir, 'config.yaml'), 'auth: none\ncert: false\n');
const home = join(e2eDir, 'home');
const port = await choosePort();
const child = spawn(
  process.execPath,
  [codeServer, '--config', join(runDir, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', join(runDir, 'extensions'),
    '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'],
  {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache'), TMPDIR: join(runDir, 'tmp') },
  },
);
// Stop the server and everything it started (its process group) with this script.
const stop = () => {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));

for (let i = 0; ; i++) {
  try {
    if ((await globalThis.fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
  } catch {
    // Not listening yet.
  }
  if (i > 300) {
    console.error('kdsim start: code-server did not come up');
    stop();
    process.exit(1);
  }
  await sleep(200);
}
// The development extension goes in the URL: code-server has no --extensionDevelopmentPath flag.
const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`]]);
console.log(`\nkdsim is ready in VS Code (code-server). Open this URL in a browser on this machine:\n\n  http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}\n\nthen open driver.c, set a breakpoint in SmpInterruptService and press F5. Ctrl+C stops the server.\n`);
