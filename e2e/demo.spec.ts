import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { DemoSummary } from '../shared/ops/demo';
import { test, expect, goTo, screenshot } from './fixtures';

/**
 * The first minute: an empty workspace says where to start, and the demo workspace — built by
 * `benchtop demo`, or by the Dashboard's demo action (demo.create) — shows real content on every page.
 */
test.describe.configure({ mode: 'serial' });

async function openWorkspace(page: Page, dir: string): Promise<void> {
  await goTo(page, 'settings', 'Settings');
  const form = page.getByRole('form', { name: 'Open another workspace' });
  await form.getByRole('textbox', { name: 'Folder' }).fill(dir);
  await form.getByRole('button', { name: 'Open workspace' }).click();
  await expect(page.getByTestId('header-workspace')).toHaveText(dir);
}

test('an empty workspace\'s Dashboard says where to start, each first action a link', async ({ app: page, consoleErrors }, testInfo) => {
  const start = page.getByTestId('start-here');
  await expect(start).toBeVisible();
  const links = start.getByRole('link');
  await expect(links).toHaveText(['Create a library spec', 'Discover experiments from a MinKNOW folder', 'Create an analysis run']);
  await expect(start.getByRole('button', { name: 'Open the demo workspace' })).toBeEnabled();
  await screenshot(page, testInfo, 'demo-start-here');
  await links.nth(1).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Experiments' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('the demo action builds the demo in a separate process, shows its progress and switches to it', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  test.setTimeout(120_000);
  const dir = join(benchtop.tempDir('demo-action'), 'Benchtop-demo');
  // The button builds in ~/Benchtop-demo; the test asks the same operation for a temporary folder.
  const answer = await fetch(`${benchtop.origin}/api/op/demo.create`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Benchtop-Token': benchtop.token },
    body: JSON.stringify({ workspace: dir }),
  });
  expect(answer.status).toBe(200);
  const progress = page.getByTestId('demo-progress');
  await expect(progress).toContainText(dir);
  await expect(page.getByTestId('open-demo')).toBeDisabled();
  await screenshot(page, testInfo, 'demo-building');
  await expect(page.getByTestId('header-workspace')).toHaveText(dir, { timeout: 90_000 });
  await expect(page.getByTestId('figure-experiments-value')).toHaveText('4');
  await expect(page.getByTestId('start-here')).toHaveCount(0);
  expect(existsSync(join(dir, '.benchtop-demo.json'))).toBe(true);
  expect(consoleErrors).toEqual([]);
});

test('benchtop demo fills a workspace in which every page shows real content', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  test.setTimeout(180_000);
  const dir = join(benchtop.tempDir('demo'), 'Benchtop-demo');
  const summary = JSON.parse(benchtop.cli(['demo', '--workspace', dir, '--json'])) as DemoSummary;
  expect(summary.steps.map((s) => [s.step, s.status])).toEqual(
    ['qc', 'umi', 'cutadapt', 'fastp', 'readlen', 'read_mapping', 'site_analysis'].map((s) => [s, 'completed']),
  );
  // Not among someone's files: a folder with other files is refused.
  const someonesFolder = benchtop.tempDir('someones');
  writeFileSync(join(someonesFolder, 'notes.txt'), 'my data\n');
  expect(() => benchtop.cli(['demo', '--workspace', someonesFolder])).toThrow(/not a demo workspace/);
  await openWorkspace(page, dir);

  await goTo(page, 'dashboard', 'Dashboard');
  await expect(page.getByTestId('figure-experiments-value')).toHaveText('4');
  await expect(page.getByTestId('figure-basecall-value')).toHaveText('2');
  await expect(page.getByTestId('pending-sma')).toContainText(summary.pendingBasecallRunId);
  await expect(page.getByTestId('figure-runs-value')).toHaveText('2');
  await expect(page.getByTestId('start-here')).toHaveCount(0);
  await screenshot(page, testInfo, 'demo-dashboard');

  await goTo(page, 'libraries', 'Libraries');
  await expect(page.getByTestId('library-count')).toContainText('1 library');
  await screenshot(page, testInfo, 'demo-libraries');
  await goTo(page, `libraries/${summary.libId}`, 'Demo plasmid panel');
  await expect(page.getByTestId('lib-constructs')).toContainText('pDemo-GFP');
  await expect(page.getByTestId('lib-constructs')).toContainText('amp-900');
  const map = page.getByTestId('construct-map');
  await expect(map.locator('svg').first()).toBeVisible();
  await expect(map).toContainText('EGFP');
  await expect(page.getByTestId('qc-min_n50')).toHaveText('800');
  await screenshot(page, testInfo, 'demo-library');

  await goTo(page, 'experiments', 'Experiments');
  const experiments = page.getByTestId('experiments-table');
  for (const flowCell of ['PAW12345', 'PAW22222', 'PAW44444', 'FAX33333']) await expect(experiments).toContainText(flowCell);
  await expect(experiments).toContainText('Incomplete transfer');
  await expect(experiments).toContainText('barcoded_pool');
  await screenshot(page, testInfo, 'demo-experiments');
  const complete = summary.experiments.find((e) => e.includes('PAW12345'))!;
  await page.evaluate((id) => (window.location.hash = `/experiments/${encodeURIComponent(id)}`), complete);
  await expect(page.getByTestId('exp-id')).toHaveText(complete);
  await expect(page.getByTestId('exp-pod5')).toContainText('3 on disk');
  await expect(page.getByText(summary.basecallRunId).first()).toBeVisible();
  await screenshot(page, testInfo, 'demo-experiment');

  await page.evaluate((id) => (window.location.hash = `/reads/${encodeURIComponent(id)}`), summary.basecallRunId);
  await expect(page.getByTestId('reads-summary').getByTestId('metric').first()).toContainText('3,000');
  await expect(page.getByTestId('verdict-overall')).toContainText(/pass|warn|fail/);
  for (const id of ['read-length', 'qbc', 'ed-by-ref', 'qld-by-ref']) await expect(page.getByTestId(`plot-${id}`).locator('canvas')).toBeVisible();
  await expect(page.getByTestId('plot-end-reasons')).toContainText('signal_positive');
  await expect(page.getByTestId('reads-total')).toHaveText('3,000 reads match', { timeout: 30_000 });
  expect(await page.getByTestId('reads-table').getByTestId('read-row').count()).toBeGreaterThan(10);
  await screenshot(page, testInfo, 'demo-reads');

  await goTo(page, 'runs', 'Runs');
  await expect(page.getByTestId('runs-table')).toContainText('Demo qsLAM run');
  await screenshot(page, testInfo, 'demo-runs');
  await page.evaluate((id) => (window.location.hash = `/runs/${encodeURIComponent(id)}`), summary.qslamRunId);
  await expect(page.getByRole('heading', { level: 1, name: 'Demo qsLAM run' })).toBeVisible();
  const jobs = page.getByTestId('jobs-table');
  for (const step of ['qc', 'umi', 'cutadapt', 'fastp', 'readlen', 'read_mapping', 'site_analysis']) await expect(jobs).toContainText(step);
  for (const step of ['umi', 'cutadapt', 'fastp', 'readlen', 'read_mapping', 'site_analysis']) {
    await page.getByTestId('step-select').selectOption(step);
    const results = page.getByTestId(`results-${step}`);
    await expect(results.getByTestId('metric').first()).toBeVisible({ timeout: 15_000 });
    await screenshot(page, testInfo, `demo-run-${step}`);
  }
  await expect(page.getByTestId('results-site_analysis')).toContainText(/GENE\d/);
  await page.getByTestId('step-select').selectOption('qc');
  await page.getByTestId('results-qc').getByRole('button', { name: 'Open report' }).first().click();
  await expect(page.frameLocator('[data-testid="report-frame"]').locator('body')).toContainText(/Basic Statistics/i, { timeout: 15_000 });
  await screenshot(page, testInfo, 'demo-run-qc-report');

  await goTo(page, 'tools', 'Tools');
  await expect(page.getByText('bwa').first()).toBeVisible();
  await screenshot(page, testInfo, 'demo-tools');
  await goTo(page, 'settings', 'Settings');
  await expect(page.getByTestId('settings-workspace-path')).toHaveText(dir);
  await screenshot(page, testInfo, 'demo-settings');

  // FastQC's report carries scripts: the sandbox blocks them (the only console errors allowed).
  expect(consoleErrors.filter((e) => !/Blocked script execution in .*\/files\/runs\/.*sandboxed/.test(e))).toEqual([]);
});
