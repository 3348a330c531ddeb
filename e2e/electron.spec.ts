/**
 * The desktop door: Benchtop in Electron, driven by Playwright's `_electron`. The same checks as
 * the browser specs (every page loads, the Dashboard shows the real workspace), plus the window's
 * security (only the contract in `window.benchtop`, no Node, no new windows, no leaving the app).
 *
 * The binary is found by scripts/electron-binary.mjs, which never downloads it. Where it is not
 * installed (these machines cannot download it) every spec here is skipped, and the reason printed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

interface BinaryLookup {
  path: string | null;
  lookedAt: string;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'electron', 'main.cjs');
const PAGES = ['Dashboard', 'Libraries', 'Experiments', 'Runs', 'Tools', 'Settings'] as const;

// A plain .mjs module without type declarations: imported by a computed name, typed here.
const binaryModule: string = new URL('../scripts/electron-binary.mjs', import.meta.url).href;
const { locateElectronBinary } = (await import(binaryModule)) as { locateElectronBinary: () => BinaryLookup };
const binary = locateElectronBinary();
const skipReason = `Electron binary not installed on this machine: ${binary.lookedAt}; Electron specs skipped`;
if (!binary.path) console.log(skipReason);

test.describe('Benchtop in Electron', () => {
  test.skip(!binary.path, skipReason);
  test.describe.configure({ mode: 'serial' });

  let app: ElectronApplication;
  let page: Page;
  let workspace: string;
  let configDir: string;

  test.beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'benchtop-e2e-workspace-'));
    configDir = mkdtempSync(join(tmpdir(), 'benchtop-e2e-config-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    env.BENCHTOP_CONFIG_DIR = configDir;
    delete env.BENCHTOP_WORKSPACE;
    // Chromium refuses to start as root with its OS sandbox (CI containers run as root).
    const rootOnly = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    app = await electron.launch({
      executablePath: binary.path as string,
      args: [...rootOnly, MAIN, '--workspace', workspace],
      cwd: ROOT,
      env,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  test('the window shows the app from app://benchtop', async () => {
    expect(page.url()).toMatch(/^app:\/\/benchtop\//);
    await expect(page).toHaveTitle(/Benchtop/);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('every page loads from the navigation', async () => {
    const nav = page.getByRole('navigation').first();
    for (const name of PAGES) {
      await expect(nav.getByRole('link', { name })).toBeVisible();
    }
    for (const name of PAGES) {
      await nav.getByRole('link', { name }).click();
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    }
  });

  test('the Dashboard shows the real workspace path', async () => {
    await page.getByRole('navigation').first().getByRole('link', { name: 'Dashboard' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(page.getByText(workspace).first()).toBeVisible();
  });

  test('window.benchtop has exactly invoke and on', async () => {
    const shape = await page.evaluate(() => {
      const bridge = (window as unknown as { benchtop?: Record<string, unknown> }).benchtop;
      return bridge ? Object.keys(bridge).sort().map((k) => `${k}:${typeof bridge[k]}`) : null;
    });
    expect(shape).toEqual(['invoke:function', 'on:function']);
    const files = await page.evaluate(() => {
      const helper = (window as unknown as { benchtopFiles?: Record<string, unknown> }).benchtopFiles;
      return helper ? Object.keys(helper).map((k) => `${k}:${typeof helper[k]}`) : null;
    });
    expect(files).toEqual(['pathFor:function']);
  });

  test("a run's file is served sandboxed from app://benchtop/files/runs/, and a path leaving the run is refused", async () => {
    const run = await page.evaluate(async () => {
      const bridge = (window as unknown as { benchtop: { invoke(op: string, req: unknown): Promise<{ ok: boolean; value: { id: string; dir: string } }> } }).benchtop;
      return (await bridge.invoke('runs.create', { name: 'electron files' })).value;
    });
    mkdirSync(join(run.dir, 'qc'), { recursive: true });
    writeFileSync(join(run.dir, 'qc', 'report.html'), '<p>report</p>');
    const answers = await page.evaluate(async (id) => {
      const get = async (path: string) => {
        const res = await fetch(`app://benchtop/files/runs/${id}/${path}`);
        return { status: res.status, csp: res.headers.get('content-security-policy'), body: await res.text() };
      };
      return { report: await get('qc/report.html'), escape: await get('%2e%2e/%2e%2e/benchtop.db') };
    }, run.id);
    expect(answers.report).toMatchObject({ status: 200, body: '<p>report</p>' });
    expect(answers.report.csp).toContain('sandbox');
    expect(answers.escape.status).toBeGreaterThanOrEqual(400);
  });

  test('the page has no Node', async () => {
    const types = await page.evaluate(() => {
      const g = globalThis as Record<string, unknown>;
      return [typeof g.require, typeof g.process, typeof g.module, typeof g.Buffer, typeof g.ipcRenderer];
    });
    expect(types).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  });

  test('operations go through the contract', async () => {
    const results = await page.evaluate(async () => {
      const bridge = (window as unknown as { benchtop: { invoke(op: string, req: unknown): Promise<unknown> } }).benchtop;
      return {
        workspace: await bridge.invoke('workspace.get', {}),
        unknown: await bridge.invoke('no.such.op', {}),
      };
    });
    expect(results.workspace).toMatchObject({ ok: true, value: { path: workspace } });
    expect(results.unknown).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
  });

  test('only contract events can be subscribed to', async () => {
    const outcome = await page.evaluate(() => {
      const bridge = (window as unknown as { benchtop: { on(e: string, l: () => void): () => void } }).benchtop;
      const unsubscribe = bridge.on('workspace.changed', () => undefined);
      const ok = typeof unsubscribe === 'function';
      unsubscribe();
      try {
        bridge.on('not.an.event', () => undefined);
        return { ok, refused: false };
      } catch {
        return { ok, refused: true };
      }
    });
    expect(outcome).toEqual({ ok: true, refused: true });
  });

  test('window.open is refused', async () => {
    const opened = await page.evaluate(() => [
      window.open('app://benchtop/index.html') === null,
      window.open('file:///etc/passwd') === null,
      window.open('javascript:alert(1)') === null,
    ]);
    expect(opened).toEqual([true, true, true]);
    expect(app.windows()).toHaveLength(1);
  });

  test('the window cannot navigate away from the app', async () => {
    await page.evaluate(() => {
      window.location.href = 'file:///etc/passwd';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/benchtop\//);
  });

  test('the Content-Security-Policy forbids eval', async () => {
    const outcome = await page.evaluate(() => {
      try {
        (0, eval)('1 + 1');
        return 'ran';
      } catch (err) {
        return (err as Error).name;
      }
    });
    expect(outcome).toBe('EvalError');
  });
});
