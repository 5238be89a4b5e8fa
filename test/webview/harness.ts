// Serves the built Kernel View (dist/webview.js, webview.css, codicons) from a loopback HTTP
// server with the real page from kernelViewHtml, and opens it in Debian's headless chromium
// with a stub acquireVsCodeApi that records what the panel posts and keeps its setState in
// sessionStorage (so a reload restores it, as VS Code does across hide/show).

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { KdsimState } from '../../kernel-sim/debug/state-types';
import { kernelViewHtml } from '../../webview/html';
import type { FromKernelView, ToKernelView } from '../../webview/protocol';
import type { Fixture } from './record-states';
import { BODY_CLASS, themeCss, type ThemeName } from './themes';

export const root = resolve(__dirname, '..', '..');
const dist = join(root, 'dist');
export const CHROMIUM = process.env.KDSIM_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function missingBrowser(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `chromium not found at ${CHROMIUM} (apt-get install chromium, or set KDSIM_CHROMIUM)`;
}

/** Builds dist/ when the bundle is missing or older than a webview source. */
export function ensureBuilt(): void {
  const bundle = join(dist, 'webview.js');
  const newest = Math.max(...readdirSync(join(root, 'webview')).map((f) => statSync(join(root, 'webview', f)).mtimeMs));
  if (existsSync(bundle) && existsSync(join(dist, 'webview.css')) && statSync(bundle).mtimeMs >= newest) return;
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}

export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Fixture;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

export interface Harness {
  browser: Browser;
  server: Server;
  origin: string;
  close(): Promise<void>;
}

export async function start(): Promise<Harness> {
  ensureBuilt();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    if (url.pathname === '/panel') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      // The real page, plus what VS Code adds around it: the theme's variables and body class.
      const html = kernelViewHtml({
        cspSource: origin,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: `${origin}/dist/webview.js`,
        styleUri: `${origin}/dist/webview.css`,
        codiconsUri: `${origin}/dist/codicons/codicon.css`,
      })
        .replace('</head>', `<link href="${origin}/theme/${theme}.css" rel="stylesheet">\n</head>`)
        .replace('<body>', `<body class="${BODY_CLASS[theme]}">`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const themeMatch = /^\/theme\/([a-z-]+)\.css$/.exec(url.pathname);
    if (themeMatch && themeMatch[1] in BODY_CLASS) {
      res.writeHead(200, { 'content-type': 'text/css' }).end(themeCss(themeMatch[1] as ThemeName));
      return;
    }
    const file = join(dist, url.pathname.replace(/^\/dist\//, ''));
    if (url.pathname.startsWith('/dist/') && file.startsWith(dist) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    browser,
    server,
    origin,
    async close() {
      await browser.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/**
 * The stub VS Code API, installed before the page's own script runs. Kept as source text:
 * a function would be passed through tsx's transform, whose helpers do not exist in the page.
 */
const STUB_VSCODE_API = `
window.__posted = [];
window.__errors = [];
window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
document.addEventListener('securitypolicyviolation', (e) => window.__errors.push('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(m),
  getState: () => {
    const s = sessionStorage.getItem('kdsim-view-state');
    return s === null ? undefined : JSON.parse(s);
  },
  setState: (s) => sessionStorage.setItem('kdsim-view-state', JSON.stringify(s)),
});
`;

export interface Panel {
  page: Page;
  send(msg: ToKernelView): Promise<void>;
  /** Sends a recorded fixture the way the extension would: session, focus, then the state. */
  show(f: Fixture, version?: number): Promise<void>;
  posted(): Promise<FromKernelView[]>;
  errors(): Promise<string[]>;
}

export async function openPanel(h: Harness, theme: ThemeName, viewport = { width: 1400, height: 900 }): Promise<Panel> {
  const page = await h.browser.newPage({ viewport });
  await page.addInitScript({ content: STUB_VSCODE_API });
  await page.goto(`${h.origin}/panel?theme=${theme}`);
  await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  const send = (msg: ToKernelView): Promise<void> => page.evaluate((m) => window.postMessage(m, '*'), msg);
  return {
    page,
    send,
    async show(f, version) {
      const state: KdsimState = version === undefined ? f.state : { ...f.state, version };
      await send({ type: 'session', status: f.session, name: f.description.split(' ')[0] });
      await send({ type: 'focus', cpu: f.focusCpu });
      await send({ type: 'state', state });
    },
    posted: () => page.evaluate(() => (window as unknown as { __posted: FromKernelView[] }).__posted),
    errors: () => page.evaluate(() => (window as unknown as { __errors: string[] }).__errors),
  };
}
