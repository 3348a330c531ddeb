import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, goTo, screenshot } from './fixtures';

/** A workspace's own step that leaves a marker file when it runs. */
function writeMarkerStep(workspace: string, marker: string): void {
  const dir = join(workspace, 'steps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'marker.json'),
    JSON.stringify({
      id: 'marker',
      name: 'Leave a marker',
      description: 'Writes a file (a test step from the workspace).',
      pipeline: 'testing',
      version: '1',
      tools: [],
      inputs: [],
      outputs: [],
      parameters: { type: 'object', additionalProperties: false, properties: {} },
      command: ['/bin/sh', '-c', `touch ${marker}`],
    }),
  );
}

test('a workspace bringing its own step asks to be trusted; Launch stays off until it is', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  test.setTimeout(60_000);
  const marker = join(benchtop.tempDir('marker'), 'RAN');
  writeMarkerStep(benchtop.workspace, marker);
  const reads = join(benchtop.tempDir('reads'), 'sample_R1.fastq');
  writeFileSync(reads, '@r1\nACGT\n+\nIIII\n');
  const run = JSON.parse(benchtop.cli(['runs', 'create', '--name', 'Trust e2e', '--input', `R1=${reads}`, '--json'])) as { id: string };

  // The Runs page asks, listing the file and the program it would run.
  await goTo(page, 'runs', 'Runs');
  const prompt = page.getByTestId('trust-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt.getByTestId('trust-def-marker.json')).toContainText('steps/marker.json');
  await expect(prompt.getByTestId('trust-def-marker.json')).toContainText('/bin/sh');
  await expect(prompt.getByTestId('trust-def-marker.json')).toContainText(`touch ${marker}`);
  await screenshot(page, testInfo, 'trust-prompt');

  // "Not now" leaves a reminder; Launch of that step is off, and says why.
  await prompt.getByRole('button', { name: 'Not now' }).click();
  await expect(page.getByTestId('trust-reminder')).toBeVisible();
  await page.evaluate((id) => (location.hash = `#/runs/${encodeURIComponent(id)}`), run.id);
  await expect(page.getByRole('heading', { level: 1, name: 'Trust e2e' })).toBeVisible();
  await page.getByTestId('step-select').selectOption('marker');
  await expect(page.getByTestId('preflight-problems')).toContainText('Not trusted');
  await expect(page.getByTestId('launch')).toBeDisabled();
  await page.getByTestId('trust-reminder').getByRole('button', { name: 'Review' }).click();
  await screenshot(page, testInfo, 'trust-run-page');

  // Trusting enables Launch, and the step runs.
  await page.getByTestId('trust-workspace').click();
  await expect(page.getByTestId('trust-prompt')).toHaveCount(0);
  await expect(page.getByTestId('argv')).toContainText('/bin/sh');
  await expect(page.getByTestId('launch')).toBeEnabled();
  expect(existsSync(marker)).toBe(false);
  await page.getByTestId('launch').click();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
  expect(existsSync(marker)).toBe(true);

  // An edited definition asks again.
  writeMarkerStep(benchtop.workspace, `${marker}2`);
  await goTo(page, 'tools', 'Tools');
  await expect(page.getByTestId('trust-prompt')).toContainText(`touch ${marker}2`);
  expect(consoleErrors).toEqual([]);
});
