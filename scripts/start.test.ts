import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../tests/tempWorkspace';

const START = join(import.meta.dirname, 'start.mjs');
const BUILT = join(import.meta.dirname, '../dist/cli/benchtop.js');
const ADDRESS = /^Benchtop is serving (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/m;

type Started = { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<{ code: number | null; signal: string | null }> };

/** `node scripts/start.mjs --port 0` on a machine without Electron's binary (an empty dist folder). */
function startWithoutElectron(dirs: ReturnType<typeof tempDirs>, extraEnv: NodeJS.ProcessEnv): Started {
  const noElectron = join(dirs.root, 'electron-dist');
  mkdirSync(noElectron, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ELECTRON_OVERRIDE_DIST_PATH: noElectron,
    BENCHTOP_WORKSPACE: dirs.workspace,
    BENCHTOP_CONFIG_DIR: dirs.config,
    ...extraEnv,
  };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY']) if (!(name in extraEnv)) delete env[name];
  const child = spawn(process.execPath, [START, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function waitFor<T>(what: string, probe: () => T | null | undefined, started: Started, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (started.child.exitCode !== null || started.child.signalCode !== null || Date.now() > until) {
      throw new Error(`no ${what}; stdout:\n${started.stdout()}\nstderr:\n${started.stderr()}`);
    }
    await sleep(100);
  }
}

/**
 * A test stand-in for the system's `xdg-open`, first on PATH: it records the address it was given
 * to a file instead of opening a browser.
 */
function fakeXdgOpen(root: string): { path: string; record: string } {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const record = join(root, 'xdg-open.args');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  return { path: `${bin}:${process.env.PATH ?? ''}`, record };
}

describe('npm start without the Electron binary', () => {
  let dirs: ReturnType<typeof tempDirs> | null = null;
  let started: Started | null = null;
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does).`);
  });
  afterEach(async () => {
    if (started && started.child.exitCode === null && started.child.signalCode === null) {
      started.child.kill('SIGKILL');
      await started.exit;
    }
    started = null;
    dirs?.cleanup();
    dirs = null;
  });

  it('serves the app for the browser, prints the whole address, stays up, and stops with exit code 0 on Ctrl-C', async () => {
    dirs = tempDirs('benchtop-start-');
    const opener = fakeXdgOpen(dirs.root);
    started = startWithoutElectron(dirs, { PATH: opener.path });
    const address = await waitFor('address line', () => ADDRESS.exec(started!.stdout())?.[1], started);
    expect(started.stderr()).toContain('Benchtop opens in your browser instead');

    const page = await fetch(address);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    await sleep(2_500);
    expect(started.child.exitCode).toBeNull();
    expect((await fetch(address)).status).toBe(200);
    // No display: no browser is opened.
    expect(existsSync(opener.record)).toBe(false);

    started.child.kill('SIGINT');
    expect(await started.exit).toEqual({ code: 0, signal: null });
    await expect(fetch(address)).rejects.toThrow();
  });

  it('opens the address, token included, with xdg-open where there is a display', async () => {
    dirs = tempDirs('benchtop-start-');
    const opener = fakeXdgOpen(dirs.root);
    started = startWithoutElectron(dirs, { PATH: opener.path, DISPLAY: ':99' });
    const address = await waitFor('address line', () => ADDRESS.exec(started!.stdout())?.[1], started);
    const opened = await waitFor('xdg-open call', () => (existsSync(opener.record) ? readFileSync(opener.record, 'utf8') : null), started);
    expect(opened).toBe(`${address}\n`);
    expect(address).toMatch(/#token=[\w-]{20,}$/);

    started.child.kill('SIGTERM');
    expect(await started.exit).toEqual({ code: 0, signal: null });
  });
});
