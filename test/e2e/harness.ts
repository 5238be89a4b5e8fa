// Running the extension in a real VS Code offline: code-server on loopback driven by Debian's
// chromium through playwright-core (recipe: shared E2E.md §4-§8). Every process started here
// is stopped by its PID and process group; nothing is stopped by name.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { format } from 'node:util';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..');
export const E2E_DIR = process.env.KDSIM_E2E_DIR ?? join(ROOT, '.vscode-test', 'code-server');
export const CODE_SERVER = join(E2E_DIR, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.KDSIM_CHROMIUM ?? '/usr/bin/chromium';
export const RESULTS = join(ROOT, 'test-results', 'e2e');
export const EXAMPLE = join(ROOT, 'examples', 'dpcforisr');
export const SETUP_COMMAND = 'bash scripts/e2e/setup.sh';
/** Failure guard for one wait (page load, activation, a debug stop); never a timing assertion. */
export const GUARD_MS = 120_000;

/** 1-based line in the example's driver.c: the first line holding `text` after the one holding `after`. */
export function driverLine(text: string, after: string): number {
  const lines = readFileSync(join(EXAMPLE, 'driver.c'), 'utf8').split('\n');
  const from = lines.findIndex((l) => l.includes(after));
  const i = lines.findIndex((l, n) => n > from && l.includes(text));
  if (from < 0 || i <= from) throw new Error(`'${text}' after '${after}' is not in driver.c`);
  return i + 1;
}

/** Why the end-to-end tests cannot run here, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(CODE_SERVER)) return `code-server is not installed in ${E2E_DIR} (run: ${SETUP_COMMAND})`;
  if (!existsSync(CHROMIUM)) return `chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) return 'the extension is not built (npm run build)';
  return undefined;
}

/** Skips the test with the reason, except in CI (CI set) where a missing prerequisite is a failure. */
export function requirePrerequisites(t: TestContext): boolean {
  const missing = missingPrerequisite();
  if (!missing) return true;
  if (process.env.CI) throw new Error(`end-to-end prerequisites missing in CI: ${missing}`);
  t.skip(`${missing}; skipped (set CI=1 to make this a failure)`);
  return false;
}

function isolatedEnv(runDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Per run: parallel runs (test files run concurrently on bigger machines) share nothing.
  const home = join(runDir, 'home');
  const tmp = join(runDir, 'tmp');
  mkdirSync(home, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    TMPDIR: tmp,
    ...extra,
  };
  // The test runner's own settings must not leak into the extension host's Node.
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  return env;
}

// Quiet, offline user settings (E2E.md §5), shared with scripts/start.mjs.
const USER_SETTINGS = JSON.parse(readFileSync(join(ROOT, 'scripts', 'e2e', 'user-settings.json'), 'utf8')) as Record<string, unknown>;

export interface RunDirs {
  dir: string;
  userData: string;
  extensions: string;
  config: string;
}

/** A fresh user-data and extensions folder per run: runs never see each other's state. */
export function prepareRun(name: string): RunDirs {
  const dir = join(E2E_DIR, 'runs', name);
  rmSync(dir, { recursive: true, force: true });
  const userData = join(dir, 'user');
  const extensions = join(dir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  return { dir, userData, extensions, config };
}

function baseArgs(run: RunDirs): string[] {
  return ['--config', run.config, '--user-data-dir', run.userData, '--extensions-dir', run.extensions];
}

/** `code-server --install-extension <vsix>` into the run's extensions folder (no server needed). */
export function installVsix(run: RunDirs, vsix: string): string {
  const r = spawnSync(process.execPath, [CODE_SERVER, ...baseArgs(run), '--force', '--install-extension', vsix], {
    env: isolatedEnv(run.dir),
    encoding: 'utf8',
    timeout: GUARD_MS,
  });
  if (r.status !== 0) throw new Error(`--install-extension failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function listExtensions(run: RunDirs): string[] {
  const r = spawnSync(process.execPath, [CODE_SERVER, ...baseArgs(run), '--list-extensions', '--show-versions'], { env: isolatedEnv(run.dir), encoding: 'utf8', timeout: GUARD_MS });
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

export interface CodeServer {
  port: number;
  origin: string;
  log: string;
  /** Workbench URL for a folder, loading the extension from `extensionDevelopmentPath` and optionally running a test suite. */
  url(folder: string, dev?: { extensionDevelopmentPath: string; extensionTestsPath?: string }): string;
  stop(): Promise<void>;
}

export async function startCodeServer(run: RunDirs, env: Record<string, string> = {}): Promise<CodeServer> {
  const port = await freePort();
  const log = join(run.dir, 'server.log');
  const fd = openSync(log, 'a');
  const args = [
    CODE_SERVER,
    ...baseArgs(run),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
  // detached: its own process group, so stop() reaches the extension hosts and adapters it spawns.
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env: isolatedEnv(run.dir, env), detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid !== undefined) startedGroups.add(child.pid);
  let exited = false;
  const exit = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    const pid = child.pid;
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    const gone = await Promise.race([exit.then(() => true), guard(10_000).then(() => false)]);
    if (!gone) signalGroup(pid, 'SIGKILL');
    // The server's children (extension host, pty host, watchers) share its group: wait them out.
    for (let i = 0; i < 50 && groupAlive(pid); i++) {
      if (i === 30) signalGroup(pid, 'SIGKILL');
      await sleep(100);
    }
    startedGroups.delete(pid);
  };
  const deadline = Date.now() + GUARD_MS;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up; log: ${log}\n${readFileSync(log, 'utf8').slice(-2000)}`);
    try {
      const r = await fetch(`${origin}/healthz`);
      if (r.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz; log: ${log}`);
    }
    await sleep(200);
  }
  const url = (folder: string, dev?: { extensionDevelopmentPath: string; extensionTestsPath?: string }): string => {
    const payload: string[][] = [];
    // The authority of vscode-remote URIs is the page's own host:port (E2E.md §6).
    if (dev) payload.push(['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${dev.extensionDevelopmentPath}`]);
    if (dev?.extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${dev.extensionTestsPath}`]);
    return `${origin}/?folder=${encodeURIComponent(folder)}${payload.length > 0 ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
  };
  return { port, origin, log, url, stop };
}

/**
 * Process groups of the code-servers this process started and has not stopped yet. If the test
 * process ends without reaching stop() (a cancelled test, an exception in a hook), they are
 * killed on the way out: a detached server would otherwise outlive the run.
 */
const startedGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of startedGroups) signalGroup(pid, 'SIGKILL');
});

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A failure guard: like sleep, but it does not keep the test process alive once all else is done. */
export function guard(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

export async function launchBrowser(): Promise<Browser> {
  // Chromium writes ~/.config/chromium and ~/.cache: keep it out of the real home (E2E.md §4).
  const home = join(E2E_DIR, 'home');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return context.newPage();
}

export interface SuiteOutcome {
  code: number;
  logs: string[];
}

/**
 * Opens the workbench with an extension test suite and resolves with the exit code the
 * workbench reports through window.codeAutomationExit when the suite's run() settles.
 */
export async function runSuiteInPage(page: Page, url: string): Promise<SuiteOutcome> {
  const logs: string[] = [];
  let done: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (done = r));
  // Both hooks must exist before the workbench loads (E2E.md §8).
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    // The extension host forwards console calls as (format, ...values), like console.log's.
    logs.push(`[${type}] ${format(...(Array.isArray(args) ? args : [args]))}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => done(code));
  await page.goto(url);
  const code = await Promise.race([exited, guard(GUARD_MS * 3).then(() => -1)]);
  return { code, logs };
}

/** Builds the .vsix with `npm run package`; returns its path. */
export function packageVsix(): string {
  const out = join(ROOT, 'test-results', 'e2e', 'kdsim.vsix');
  mkdirSync(join(ROOT, 'test-results', 'e2e'), { recursive: true });
  const r = spawnSync('npm', ['run', '--silent', 'package', '--', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: GUARD_MS * 2 });
  if (r.status !== 0) throw new Error(`npm run package failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return out;
}
