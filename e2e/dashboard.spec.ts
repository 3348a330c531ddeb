import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { formatBytes } from '../shared/format';
import { test, expect, ROOT, screenshot } from './fixtures';

interface CliStatus {
  workspace: string;
  experiments: number;
  basecallRuns: Record<string, number>;
  runs: Record<string, number>;
  jobs: Record<string, number>;
  pendingSma: { runId: string; expId: string | null; sampleId: string | null; modelTier: string | null; bamPath: string | null }[];
  system: { workspace: string; readsDbCount: number; totalRuns: number; activeJobs: number; diskTotalBytes: number };
}

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function seed(workspace: string, sql: (db: Database.Database) => void): void {
  const db = new Database(join(workspace, 'benchtop.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    sql(db);
  } finally {
    db.close();
  }
}

test.describe.configure({ mode: 'serial' });

test('an empty workspace: the Dashboard shows the same figures as `benchtop status --json`', async ({ app: page, benchtop, consoleErrors }) => {
  const cli = JSON.parse(benchtop.cli(['status', '--json'])) as CliStatus;
  expect(cli.workspace).toBe(benchtop.workspace);

  await expect(page.getByTestId('header-workspace')).toHaveText(cli.workspace);
  await expect(page.getByTestId('workspace-path')).toHaveText(cli.system.workspace);
  await expect(page.getByTestId('figure-experiments-value')).toHaveText(String(cli.experiments));
  await expect(page.getByTestId('figure-basecall-value')).toHaveText(String(Object.values(cli.basecallRuns).reduce((a, b) => a + b, 0)));
  await expect(page.getByTestId('figure-pending-sma-value')).toHaveText(String(cli.pendingSma.length));
  await expect(page.getByTestId('figure-runs-value')).toHaveText(String(cli.system.totalRuns));
  await expect(page.getByTestId('figure-active-jobs-value')).toHaveText(String(cli.system.activeJobs));
  await expect(page.getByTestId('reads-db')).toHaveText(`${cli.system.readsDbCount} files · 0 B`);
  await expect(page.getByTestId('disk-free')).toContainText(`of ${formatBytes(cli.system.diskTotalBytes)}`);
  await expect(page.getByRole('meter', { name: 'Disk space used' })).toBeVisible();

  // Every status the CLI lists, with its count, in the same order.
  for (const [testId, counts] of [
    ['basecall-status', cli.basecallRuns],
    ['jobs-status', cli.jobs],
  ] as const) {
    const rows = page.getByTestId(testId).locator('tbody tr');
    await expect(rows).toHaveCount(Object.keys(counts).length);
    for (const [status, n] of Object.entries(counts)) {
      await expect(page.getByTestId(testId).locator(`tr[data-status="${status}"] td`)).toHaveText(String(n));
    }
  }
  expect(cli.runs).toEqual({});
  await expect(page.getByRole('region', { name: 'Analysis runs', exact: true })).toContainText('No analysis runs in this workspace yet.');
  await expect(page.getByRole('region', { name: 'Ready for SMA analysis', exact: true })).toContainText('No basecall runs are waiting for SMA analysis');
  expect(consoleErrors).toEqual([]);
});

test('this Benchtop: version, mode, schema and runtime versions are the real ones', async ({ app: page, benchtop }) => {
  const db = new Database(join(benchtop.workspace, 'benchtop.db'), { readonly: true });
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  const schema = db.pragma('user_version', { simple: true }) as number;
  db.close();
  await expect(page.getByTestId('app-version')).toHaveText(`Benchtop ${VERSION}`);
  await expect(page.getByTestId('deployment-mode')).toHaveText('Browser (benchtop serve)');
  await expect(page.getByTestId('central-schema')).toHaveText(`v${schema}`);
  await expect(page.getByTestId('sqlite-version')).toHaveText(sqlite);
  // The server runs on this very Node binary (the fixture spawns process.execPath).
  await expect(page.getByTestId('node-version')).toHaveText(process.versions.node);
  await expect(page.getByTestId('electron-version')).toHaveText('not in Electron');
  await expect(page.getByTestId('uptime')).toHaveText(/^\d+ (s|min \d+ s)$/);
  const disk = statfsSync(benchtop.workspace);
  await expect(page.getByTestId('disk-free')).toContainText(`of ${formatBytes(disk.blocks * disk.bsize)}`);
});

test('seeded experiments and basecall runs appear, and the run ready for SMA analysis is listed', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  seed(benchtop.workspace, (db) => {
    const exp = db.prepare('INSERT INTO experiments (exp_id, experiment_path, instrument, flow_cell_id, sample_id, protocol) VALUES (?, ?, ?, ?, ?, ?)');
    exp.run('EXP-0001', '/data/EXP-0001', 'P2 Solo', 'PAW12345', 'SAMPLE-A', 'SQK-LSK114');
    exp.run('EXP-0002', '/data/EXP-0002', 'P2 Solo', 'PAW67890', 'SAMPLE-B', 'SQK-NBD114.24');
    const run = db.prepare('INSERT INTO basecall_runs (run_id, exp_id, model_tier, bam_path, sma_db_path, status) VALUES (?, ?, ?, ?, ?, ?)');
    run.run('BC-0001-sup', 'EXP-0001', 'sup', '/data/EXP-0001/calls.bam', null, 'complete');
    run.run('BC-0002-hac', 'EXP-0002', 'hac', '/data/EXP-0002/calls.bam', null, 'running');
    run.run('BC-0003-sup', 'EXP-0002', 'sup', '/data/EXP-0002/sup.bam', '/ws/reads/SMA_EXP-0002.db', 'complete');
  });
  const cli = JSON.parse(benchtop.cli(['status', '--json'])) as CliStatus;
  expect(cli.experiments).toBe(2);
  expect(cli.pendingSma.map((r) => r.runId)).toEqual(['BC-0001-sup']);

  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('figure-experiments-value')).toHaveText('2');
  await expect(page.getByTestId('figure-basecall-value')).toHaveText('3');
  await expect(page.getByTestId('figure-basecall')).toContainText('2 complete');
  await expect(page.getByTestId('figure-pending-sma-value')).toHaveText('1');
  await expect(page.getByTestId('basecall-status').locator('tr[data-status="complete"] td')).toHaveText('2');
  await expect(page.getByTestId('basecall-status').locator('tr[data-status="running"] td')).toHaveText('1');
  await expect(page.getByTestId('basecall-status-total')).toHaveText('3');

  const pending = page.getByTestId('pending-sma');
  await expect(pending.locator('tbody tr')).toHaveCount(1);
  const [only] = cli.pendingSma;
  await expect(pending.locator('tbody tr').first().locator('td')).toHaveText([
    only?.runId ?? '',
    only?.expId ?? '',
    only?.sampleId ?? '',
    only?.modelTier ?? '',
    only?.bamPath ?? '',
  ]);
  await expect(pending).not.toContainText('BC-0003-sup'); // it has its SMA database
  await screenshot(page, testInfo, 'dashboard-seeded');
  expect(consoleErrors).toEqual([]);
});

test('the Dashboard refreshes by itself every 5 s', async ({ app: page, benchtop }) => {
  await expect(page.getByTestId('figure-experiments-value')).toHaveText('2');
  seed(benchtop.workspace, (db) => {
    db.prepare('INSERT INTO experiments (exp_id, sample_id) VALUES (?, ?)').run('EXP-0003', 'SAMPLE-C');
  });
  // No click, no reload: the next refresh brings the third experiment.
  await expect(page.getByTestId('figure-experiments-value')).toHaveText('3', { timeout: 8_000 });
  await page.goto(`${benchtop.origin}/#/experiments`);
  await expect(page.getByTestId('experiment-count')).toHaveText('3 experiments in this workspace.');
});

test('run folders an unfinished creation left are moved to trash/ and said so on the Dashboard until dismissed', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  // As a killed `benchtop runs create` leaves it: a temporary folder named with its (now dead) pid.
  const dead = spawnSync('true').pid;
  const partial = join(benchtop.workspace, 'runs', `.${randomUUID()}.${dead}.partial`);
  mkdirSync(join(partial, 'rawdata'), { recursive: true });
  writeFileSync(join(partial, 'rawdata', 'S1_R1.fastq'), Buffer.alloc(3 * 1024 * 1024, 65));
  benchtop.cli(['status']); // any open of the workspace moves it
  expect(existsSync(partial)).toBe(false);
  expect(readdirSync(join(benchtop.workspace, 'trash')).some((n) => n.endsWith('.partial'))).toBe(true);

  await page.reload();
  const notice = page.getByTestId('unfinished-runs');
  await expect(notice).toContainText('Moved 1 unfinished run folder (3.00 MB) to trash/ — it was left by a run creation that did not finish.');
  await expect(notice).toContainText(join(benchtop.workspace, 'trash'));
  await screenshot(page, testInfo, 'dashboard-unfinished-runs');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('figure-experiments-value')).not.toHaveText('');
  await expect(page.getByTestId('unfinished-runs')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
