import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, expect, goTo } from './fixtures';

const DISCONNECTED = 'Disconnected — open the new address that `benchtop serve` printed';

/** Another web server on 127.0.0.1 (another port), as any local dev server the user's browser visits. */
async function otherServer(): Promise<{ port: number; seen: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Other</title><p>another server</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A user step that sleeps: a job that keeps running while the server is restarted. */
function writeSleeperStep(workspace: string): void {
  mkdirSync(join(workspace, 'steps'), { recursive: true });
  writeFileSync(
    join(workspace, 'steps', 'napper.json'),
    JSON.stringify({
      id: 'napper',
      name: 'Napper',
      description: 'Sleeps (a test step).',
      pipeline: 'testing',
      version: '1',
      tools: [{ name: 'sleep', versionArgs: ['--version'], debian: 'coreutils', conda: null }],
      inputs: [],
      outputs: [],
      parameters: { type: 'object', additionalProperties: false, properties: {} },
      command: ['{tool.sleep}', '120'],
    }),
  );
}

test.describe('the browser bridge keeps its token to itself', () => {
  test('another server on 127.0.0.1 never receives the token, and the browser holds no cookie', async ({ app: page, benchtop, context, consoleErrors }) => {
    const other = await otherServer();
    try {
      // Use the app: pages, an operation that writes, the event stream, a reload (the token stays in the tab).
      await goTo(page, 'runs', 'Runs');
      await goTo(page, 'settings', 'Settings');
      await goTo(page, 'dashboard', 'Dashboard');
      await page.reload();
      await expect(page.getByTestId('connection')).toContainText('Connected');
      expect(page.url()).not.toContain('token');

      expect(await context.cookies()).toEqual([]);
      for (const host of ['127.0.0.1', 'localhost']) {
        await page.goto(`http://${host}:${other.port}/page`);
        await expect(page.getByText('another server')).toBeVisible();
        await page.evaluate(() => fetch('/from-the-page', { credentials: 'include' }).then((r) => r.text()));
      }
      expect(other.seen.length).toBeGreaterThanOrEqual(4);
      for (const headers of other.seen) {
        expect(headers.cookie).toBeUndefined();
        expect(JSON.stringify(headers)).not.toContain(benchtop.token);
      }
      expect(await context.cookies()).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('the API refuses a request without the header, even with the browser’s cookies; the app’s own files need no token', async ({ app: page, benchtop, context }) => {
    await expect(page.getByTestId('connection')).toContainText('Connected');
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const op = (headers: Record<string, string>) =>
      fetch(`${benchtop.origin}/api/op/system.status`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
    expect((await op(cookie ? { Cookie: cookie } : {})).status).toBe(401);
    expect((await fetch(`${benchtop.origin}/api/events`, { headers: cookie ? { Cookie: cookie } : {} })).status).toBe(401);
    expect((await op({ 'X-Benchtop-Token': benchtop.token })).status).toBe(200);

    // The page itself and its scripts load without any token.
    const index = await fetch(`${benchtop.origin}/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    const script = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(`${benchtop.origin}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
  });

  test('a tab without the token (a new tab, not the printed address) says how to connect', async ({ benchtop, browser }) => {
    const fresh = await browser.newContext();
    try {
      const page = await fresh.newPage();
      await page.goto(`${benchtop.origin}/`);
      await expect(page.getByTestId('connection')).toHaveText(new RegExp(`^${DISCONNECTED}`));
    } finally {
      await fresh.close();
    }
  });
});

test('after benchtop serve restarts, the open tab says Disconnected and shows no job as running; the new address connects it again', async ({ app: page, benchtop }) => {
  test.setTimeout(90_000);
  writeSleeperStep(benchtop.workspace);
  benchtop.cli(['steps', 'trust', '--yes']); // the workspace's own steps run only once trusted
  await goTo(page, 'runs', 'Runs');
  await page.getByRole('button', { name: 'New run' }).click();
  await page.getByTestId('run-name').fill('Restart e2e');
  const data = benchtop.tempDir('fastq');
  for (const [i, name] of ['s_R1.fastq', 's_R2.fastq'].entries()) {
    writeFileSync(join(data, name), '@r1\nACGT\n+\nIIII\n');
    await page.getByTestId(`input-path-${i}`).fill(join(data, name));
  }
  await page.getByTestId('create-run').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Restart e2e' })).toBeVisible();
  await page.getByTestId('step-select').selectOption('napper');
  await page.getByTestId('launch').click();
  const status = page.getByTestId('job-status');
  await expect(status).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
  await expect(status).toContainText('Running');
  await expect(page.getByTestId('kill')).toBeVisible();
  const jobId = await page.getByTestId('job-view').getAttribute('data-job-id');

  await benchtop.restart();
  try {
    const connection = page.getByTestId('connection');
    await expect(connection).toContainText(DISCONNECTED, { timeout: 20_000 });
    await expect(connection).not.toContainText('Connected');
    // The job may have ended meanwhile: nothing tells this tab, so it does not claim "Running".
    await expect(status).toContainText('Unknown (disconnected)');
    await expect(status).not.toContainText('Running');
    await expect(page.getByTestId('kill')).toHaveCount(0);
    // Later answers do not make it Connected again: the old token stays refused.
    await page.waitForTimeout(1_000);
    await expect(connection).toContainText(DISCONNECTED);

    // The new address, opened in this same tab (only its fragment differs), connects it again.
    await page.goto(benchtop.url);
    await expect(connection).toContainText('Connected', { timeout: 10_000 });
    await expect(connection).not.toContainText(DISCONNECTED);
    expect(page.url()).not.toContain('token');
    await goTo(page, 'runs', 'Runs');
    await page.getByText('Restart e2e').first().click();
    await expect(status).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
    await expect(status).toContainText('Running');
  } finally {
    if (jobId) benchtop.cli(['jobs', 'kill', jobId]);
  }
});
