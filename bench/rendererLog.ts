/**
 * The renderer's memory while it follows a log that grows to 1 GB: `benchtop serve` in this
 * process, Debian's Chromium showing the job's page with Follow on, a job writing 50 MB/s. The JS
 * heap of the page is sampled (after a forced GC) as the log passes each size; the target is a
 * flat heap. The peer is the same page's heap before the job starts.
 * BENCH_LOG_MB sets the final log size (default 1024).
 */
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { Session } from '../electron/api/session';
import { serveHost } from '../electron/serve/fileLinks';
import { startServer } from '../electron/serve/server';

const FINAL_MB = Number(process.env.BENCH_LOG_MB ?? 1024);
const RATE = 50 * 1024 * 1024;
const WRITER = fileURLToPath(new URL('../../bench/writer.mjs', import.meta.url));
const RENDERER = fileURLToPath(new URL('../renderer', import.meta.url));
const MB = 1024 * 1024;

function writerStep(workspace: string): void {
  mkdirSync(join(workspace, 'steps'), { recursive: true });
  writeFileSync(
    join(workspace, 'steps', 'bench_writer.json'),
    JSON.stringify({
      id: 'bench_writer',
      name: 'Log writer (benchmark)',
      description: 'Writes log lines at a fixed rate.',
      pipeline: 'bench',
      version: '1',
      tools: [{ name: 'node', versionArgs: ['--version'], debian: 'nodejs', conda: null }],
      inputs: [],
      outputs: [],
      parameters: { type: 'object', additionalProperties: false, properties: {} },
      command: ['{tool.node}', WRITER, String(RATE), String(Math.ceil((FINAL_MB * MB) / RATE) * 4 + 10)],
    }),
  );
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'benchtop-bench-renderer-'));
  const workspace = join(root, 'ws');
  mkdirSync(workspace);
  writerStep(workspace);
  const session = Session.open(serveHost(join(root, 'config')), { workspace });
  await session.call('tools.setPath', { name: 'node', path: process.execPath });
  const server = await startServer({ session, rendererDir: RENDERER, port: 0 });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--js-flags=--expose-gc'],
  });
  const rows: Array<[string, string]> = [];
  try {
    const page = await browser.newPage();
    page.on('crash', () => console.error('the page crashed'));
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`page: ${m.text()}`);
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / MB;
    };
    const run = await session.call('runs.create', { name: 'renderer bench' });
    await page.goto(server.url);
    await page.goto(`${server.url.split('#')[0]}#/runs/${run.id}`);
    await page.getByTestId('step-select').selectOption('bench_writer');
    await page.waitForTimeout(1000);
    const before = await heapMb();
    rows.push(['page heap before the job (peer: the idle page)', `${before.toFixed(1)} MB`]);
    await page.getByTestId('launch').click();
    await page.getByTestId('log').waitFor();
    const job = (await session.call('jobs.list', { runId: run.id }))[0];
    if (!job?.logFile) throw new Error('the job did not start');
    const log = join(workspace, job.logFile);
    let peak = before;
    for (const mb of [FINAL_MB / 8, FINAL_MB / 4, FINAL_MB / 2, FINAL_MB]) {
      while ((statSync(log, { throwIfNoEntry: false })?.size ?? 0) < mb * MB) {
        if (session.jobs.get(job.id).status !== 'running') throw new Error(`the writer job ended (${session.jobs.get(job.id).status}) before its log reached ${mb} MB`);
        await page.waitForTimeout(250);
      }
      const heap = await heapMb();
      peak = Math.max(peak, heap);
      const lines = await page.getByTestId('log-info').textContent();
      rows.push([`page heap with the log at ${Math.round(mb)} MB`, `${heap.toFixed(1)} MB (${lines?.split('·')[0]?.trim()})`]);
    }
    rows.push([`growth, idle → ${FINAL_MB} MB log (target: flat)`, `${(peak - before).toFixed(1)} MB`]);
    if (session.jobs.get(job.id).status === 'running') await session.call('jobs.kill', { id: job.id });
  } finally {
    await browser.close();
    await server.close();
    session.close();
    rmSync(root, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`Renderer following a ${FINAL_MB} MB log (Chromium, JS heap after GC)`);
  for (const [what, value] of rows) console.log(`${what.padEnd(width)}  ${value}`);
}

const keepAlive = setInterval(() => {}, 1000);
await main();
clearInterval(keepAlive);
