/**
 * Fixtures for the renderer's end-to-end tests: each spec file gets its own `benchtop serve` on a
 * fresh temporary workspace, with BENCHTOP_CONFIG_DIR pointing at a temporary folder too, so the
 * user's real settings (the saved workspace) are never read or written.
 *
 * The server is worker-scoped (started once per file, not per test) and needs a build: `npm test`
 * builds first; alone, run `npm run build` before `npx playwright test`.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'bin', 'benchtop.js');
const BUILT_CLI = join(ROOT, 'dist', 'cli', 'benchtop.js');
const BUILT_RENDERER = join(ROOT, 'dist', 'renderer', 'index.html');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const START_TIMEOUT_MS = 20_000;

export interface Benchtop {
  /** The URL `benchtop serve` printed, the token in its fragment (`/#token=…`): the app keeps it in the tab. */
  url: string;
  /** The token alone, as the API wants it in the X-Benchtop-Token header. */
  token: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The temporary workspace the server was started on. */
  workspace: string;
  /** The temporary BENCHTOP_CONFIG_DIR. */
  configDir: string;
  /** Run the CLI against the same config dir (and, unless given, the same workspace); returns stdout. */
  cli(args: string[]): string;
  /** A new temporary folder, removed with the server. */
  tempDir(prefix: string): string;
  /** Stop the server now (to test what the page does without it); later tests of the file get no new one. */
  stop(): Promise<void>;
  /** Stop the server and start it again on the same port and workspace: a new token (url and token change). */
  restart(): Promise<void>;
}

interface Running extends Benchtop {
  file: string;
}

function requireBuild(): void {
  const missing = [BUILT_CLI, BUILT_RENDERER].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `Benchtop is not built (missing ${missing.map((f) => f.slice(ROOT.length + 1)).join(', ')}). ` +
        'Run `npm run build` first (`npm test` builds before the end-to-end tests).',
    );
  }
}

/** `benchtop serve` as a child process, once it printed its address. */
async function spawnServe(workspace: string, env: NodeJS.ProcessEnv, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--workspace', workspace, '--port', String(port)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => fail(`no "Benchtop is serving" line within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`benchtop serve did not start: ${why}.\nOutput:\n${output}`));
    }
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Benchtop is serving (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code, signal) => fail(`it exited (code ${code}, signal ${signal})`));
    child.once('error', (err) => fail(err.message));
  });
  return { child, url };
}

function tokenOf(url: string): string {
  return new URLSearchParams(new URL(url).hash.slice(1)).get('token') ?? '';
}

async function startServer(file: string): Promise<Running> {
  requireBuild();
  const temps: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), `benchtop-e2e-${prefix}-`));
    temps.push(dir);
    return dir;
  };
  const workspace = tempDir('ws');
  const configDir = tempDir('config');
  const env: NodeJS.ProcessEnv = { ...process.env, BENCHTOP_CONFIG_DIR: configDir };
  delete env.BENCHTOP_WORKSPACE;

  let { child, url } = await spawnServe(workspace, env, 0);
  const running: Running = {
    file,
    url,
    token: tokenOf(url),
    origin: new URL(url).origin,
    workspace,
    configDir,
    tempDir,
    cli(args) {
      const withWorkspace = args.includes('--workspace') ? args : [...args, '--workspace', workspace];
      return execFileSync(process.execPath, [BIN, ...withWorkspace], { cwd: ROOT, env, encoding: 'utf8' });
    },
    stop: () => stopChild(child).then(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true }))),
    async restart() {
      await stopChild(child);
      ({ child, url } = await spawnServe(workspace, env, Number(new URL(running.origin).port)));
      running.url = url;
      running.token = tokenOf(url);
    },
  };
  return running;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** One server at a time per worker: a new spec file stops the previous file's server and starts its own. */
class ServerPool {
  private current: Running | null = null;

  async forFile(file: string): Promise<Running> {
    if (this.current?.file === file) return this.current;
    await this.stop();
    this.current = await startServer(file);
    return this.current;
  }

  async stop(): Promise<void> {
    const running = this.current;
    this.current = null;
    await running?.stop();
  }
}

export interface AppFixtures {
  benchtop: Benchtop;
  /** Console errors and uncaught page errors seen during the test. */
  consoleErrors: string[];
  /** The page, opened at the printed address (the token taken into the tab) and showing the Dashboard. */
  app: Page;
}

export const test = base.extend<AppFixtures, { serverPool: ServerPool }>({
  serverPool: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const pool = new ServerPool();
      await use(pool);
      await pool.stop();
    },
    { scope: 'worker' },
  ],

  benchtop: async ({ serverPool }, use, testInfo) => {
    await use(await serverPool.forFile(testInfo.file));
  },

  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    await use(errors);
  },

  app: async ({ page, benchtop, consoleErrors }, use) => {
    void consoleErrors; // listening from the first request on
    await page.goto(benchtop.url);
    // The app took the token out of the address bar, and landed on the Dashboard.
    await expect(page).toHaveURL(new RegExp(`^${benchtop.origin.replace(/\./g, '\\.')}/(#/)?$`));
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await use(page);
  },
});

export { expect };

/** Go to a page by its hash route, as a link would. */
export async function goTo(page: Page, route: string, heading: string): Promise<void> {
  await page.evaluate((r) => {
    window.location.hash = `/${r}`;
  }, route);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/**
 * A screenshot of the whole page (the content pane scrolls inside the window, so the window is
 * grown to fit it first), attached to the report and written to test-results/screenshots/<name>.png.
 */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  // Let data that is still loading settle, so screenshots show values, not placeholders.
  await expect(page.locator('[data-placeholder]')).toHaveCount(0);
  const height = await page.evaluate(() => {
    const header = document.querySelector('.app-header') as HTMLElement | null;
    const main = document.querySelector('main') as HTMLElement | null;
    return (header?.offsetHeight ?? 0) + (main?.scrollHeight ?? 0);
  });
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.ceil(height)) });
  try {
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  } finally {
    await page.setViewportSize(viewport);
  }
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
  return file;
}
