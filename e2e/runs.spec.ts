import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, goTo, screenshot } from './fixtures';

const PRIMER = 'ACGTACGTTGCA';
const LINKER = 'GGATCCAAGCTT';

/** A small paired FASTQ: R1 reads start with the primer, R2 reads with the linker. */
function writeFastqs(dir: string): { r1: string; r2: string } {
  const bases = 'ACGT';
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const seq = (n: number) => Array.from({ length: n }, () => bases[Math.floor(rand() * 4)]).join('');
  let r1 = '';
  let r2 = '';
  for (let i = 0; i < 200; i++) {
    const a = PRIMER + seq(70);
    const b = LINKER + seq(70);
    r1 += `@read${i}/1\n${a}\n+\n${'I'.repeat(a.length)}\n`;
    r2 += `@read${i}/2\n${b}\n+\n${'I'.repeat(b.length)}\n`;
  }
  const p1 = join(dir, 'sample_R1.fastq');
  const p2 = join(dir, 'sample_R2.fastq');
  writeFileSync(p1, r1);
  writeFileSync(p2, r2);
  return { r1: p1, r2: p2 };
}

/** A user step that sleeps: long enough to be killed from the UI. */
function writeSleeperStep(workspace: string): void {
  const dir = join(workspace, 'steps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'sleeper.json'),
    JSON.stringify({
      id: 'sleeper',
      name: 'Sleeper',
      description: 'Sleeps for a while (a test step).',
      pipeline: 'testing',
      version: '1',
      tools: [{ name: 'sleep', versionArgs: ['--version'], debian: 'coreutils', conda: null }],
      inputs: [],
      outputs: [],
      parameters: {
        type: 'object',
        additionalProperties: false,
        properties: { seconds: { type: 'integer', title: 'Seconds', minimum: 1, maximum: 3600, default: 300 } },
      },
      command: ['{tool.sleep}', '{params.seconds}'],
    }),
  );
}

/** A user step that prints a numbered line every 20 ms: a log that keeps growing. */
function writeTalkerStep(workspace: string): void {
  const dir = join(workspace, 'steps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'talker.json'),
    JSON.stringify({
      id: 'talker',
      name: 'Talker',
      description: 'Prints numbered lines for a while (a test step).',
      pipeline: 'testing',
      version: '1',
      tools: [{ name: 'perl', versionArgs: ['-e', 'print "$^V\\n"'], debian: 'perl', conda: null }],
      inputs: [],
      outputs: [],
      parameters: { type: 'object', additionalProperties: false, properties: {} },
      command: ['{tool.perl}', '-e', '$| = 1; for my $i (1 .. 3000) {{ print "line $i\\n"; select(undef, undef, undef, 0.02) }}'],
    }),
  );
}

/** A user step that explains itself on a few lines, then exits with code 1. */
function writeFailerStep(workspace: string): void {
  const dir = join(workspace, 'steps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'failer.json'),
    JSON.stringify({
      id: 'failer',
      name: 'Failer',
      description: 'Fails after a few lines (a test step).',
      pipeline: 'testing',
      version: '1',
      tools: [{ name: 'perl', versionArgs: ['-e', 'print "$^V\\n"'], debian: 'perl', conda: null }],
      inputs: [],
      outputs: [],
      parameters: { type: 'object', additionalProperties: false, properties: {} },
      command: ['{tool.perl}', '-e', 'print "reading genome.fa\\n"; for my $i (1 .. 20) {{ print "step $i\\n" }} print "genome.fa: not a FASTA file\\n"; exit 1'],
    }),
  );
}

async function createRunThroughForm(page: Page, name: string, files: { r1: string; r2: string }): Promise<void> {
  await goTo(page, 'runs', 'Runs');
  await page.getByRole('button', { name: 'New run' }).click();
  await page.getByTestId('run-name').fill(name);
  await page.getByTestId('run-created-by').fill('e2e');
  await expect(page.getByTestId('input-role-0')).toHaveValue('R1');
  await expect(page.getByTestId('input-role-1')).toHaveValue('R2');
  await page.getByTestId('input-path-0').fill(files.r1);
  await page.getByTestId('input-path-1').fill(files.r2);
  await page.getByTestId('create-run').click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test.describe('runs', () => {
  test.use({ colorScheme: 'light' });

  test('the new-run form names the field that is wrong, and the browser has no file dialog', async ({ app: page, consoleErrors }) => {
    await goTo(page, 'runs', 'Runs');
    await page.getByRole('button', { name: 'New run' }).click();
    await page.getByTestId('create-run').click();
    await expect(page.getByText('Name: give the run a name.')).toBeVisible();
    await page.getByTestId('run-name').fill('bad path');
    await page.getByTestId('input-path-0').fill('/no/such/file_R1.fastq');
    await page.getByTestId('input-path-1').fill('/no/such/file_R2.fastq');
    await page.getByTestId('create-run').click();
    await expect(page.getByTestId('input-row-0').getByRole('alert')).toContainText('/no/such/file_R1.fastq');
    await page.getByTestId('input-row-0').getByRole('button', { name: 'Choose…' }).click();
    await expect(page.getByText('No file dialog in the browser')).toBeVisible();
    expect(consoleErrors.filter((e) => !/status of 4\d\d|501/.test(e))).toEqual([]);
  });

  test('create a run, launch cutadapt from its form, follow the log live, see its results', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
    test.setTimeout(180_000);
    const files = writeFastqs(benchtop.tempDir('fastq'));
    await createRunThroughForm(page, 'Cutadapt e2e', files);
    const runUrl = page.url();
    await expect(page.getByTestId('inputs-table')).toContainText('sample_R1.fastq');

    await page.getByTestId('step-select').selectOption('cutadapt');
    const launch = page.getByTestId('launch');
    const problems = page.getByTestId('preflight-problems');
    await expect(problems).toContainText('r1_seq');
    await expect(launch).toBeDisabled();

    // Hostile input: a shell command in an adapter is refused by its pattern; Launch stays disabled.
    await page.getByTestId('param-r1_seq').fill('ACGT; touch pwned');
    await expect(page.getByTestId('problem-r1_seq')).toBeVisible();
    await expect(problems).toContainText('r1_seq');
    await expect(launch).toBeDisabled();

    await page.getByTestId('param-r1_seq').fill(PRIMER);
    const r2 = page.getByTestId('param-r2_seq');
    if ((await r2.inputValue()) === '') await r2.fill(LINKER);
    await expect(page.getByTestId('argv')).toContainText('cutadapt');
    await expect(page.getByTestId('argv')).toContainText(PRIMER);
    await expect(launch).toBeEnabled();
    await launch.click();

    const log = page.getByTestId('log');
    await expect(log).toContainText('This is cutadapt', { timeout: 30_000 });
    await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    const results = page.getByTestId('results-cutadapt');
    await expect(results).toBeVisible({ timeout: 15_000 });
    await expect(results.getByTestId('metric').filter({ hasText: /(reads|read pairs) processed/i })).toContainText('200');

    // The log can be searched as a whole.
    await page.getByTestId('log-search').fill('cutadapt');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page.getByTestId('log-matches')).toContainText('matching line');

    await expect(page.getByTestId('jobs-table')).toContainText('cutadapt');
    await screenshot(page, testInfo, 'run-detail-cutadapt');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'run-detail-cutadapt-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Read lengths after trimming: a plot (uPlot) and a sortable table.
    await page.getByTestId('step-select').selectOption('readlen');
    await expect(page.getByTestId('launch')).toBeEnabled();
    await page.getByTestId('launch').click();
    await expect(page.getByTestId('job-view')).toContainText('readlen');
    await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    const readlen = page.getByTestId('results-readlen');
    await expect(readlen.locator('.result-plot canvas').first()).toBeVisible({ timeout: 15_000 });
    const firstTable = readlen.locator('.result-table table').first();
    const header = firstTable.locator('thead th').nth(1);
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', /ascending|descending/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'run-detail-readlen-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // FastQC: its HTML report opens in a sandboxed frame served by the bridge's file route.
    await page.getByTestId('step-select').selectOption('qc');
    await expect(page.getByTestId('launch')).toBeEnabled({ timeout: 10_000 });
    await page.getByTestId('launch').click();
    await expect(page.getByTestId('job-view')).toContainText('qc');
    await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
    const qc = page.getByTestId('results-qc');
    await qc.getByRole('button', { name: 'Open report' }).first().click();
    const frame = page.getByTestId('report-frame');
    await expect(frame).toHaveAttribute('sandbox', '');
    await expect(page.frameLocator('[data-testid="report-frame"]').locator('body')).toContainText(/FastQC|Basic Statistics/i, { timeout: 10_000 });
    await screenshot(page, testInfo, 'run-detail-qc-report');

    await goTo(page, 'runs', 'Runs');
    await expect(page.getByTestId('runs-table')).toContainText('Cutadapt e2e');
    await screenshot(page, testInfo, 'runs-list');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'runs-list-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(runUrl);
    // FastQC's report carries scripts: the sandbox blocks them (the only console errors allowed).
    const blocked = consoleErrors.filter((e) => /Blocked script execution in .*\/files\/runs\/.*sandboxed/.test(e));
    expect(blocked.length).toBeGreaterThan(0);
    expect(consoleErrors.filter((e) => !blocked.includes(e))).toEqual([]);
  });

  test('a long step is killed from the UI', async ({ app: page, benchtop, consoleErrors }) => {
    test.setTimeout(60_000);
    writeSleeperStep(benchtop.workspace);
    benchtop.cli(['steps', 'trust', '--yes']); // the workspace's own steps run only once trusted
    const files = writeFastqs(benchtop.tempDir('fastq'));
    await createRunThroughForm(page, 'Kill e2e', files);
    await page.getByTestId('step-select').selectOption('sleeper');
    await expect(page.getByTestId('param-seconds')).toHaveValue('300');
    await expect(page.getByTestId('argv')).toContainText('300');
    await page.getByTestId('launch').click();
    await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
    // Kill asks first, saying how long the job has run (the work that is lost); keeping it running changes nothing.
    await page.getByTestId('kill').click();
    await expect(page.getByTestId('kill-confirm')).toContainText(/Kill sleeper attempt 1\?\s*It has been running for \d+ s; that work is lost\./);
    await page.getByRole('button', { name: 'Keep running' }).click();
    await expect(page.getByTestId('kill-confirm')).toHaveCount(0);
    await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'running');
    await page.getByTestId('kill').click();
    await page.getByTestId('kill-yes').click();
    await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'killed', { timeout: 20_000 });
    await expect(page.getByTestId('kill')).toHaveCount(0);
    await expect(page.getByTestId('jobs-table')).toContainText('Killed');
    expect(consoleErrors).toEqual([]);
  });

  test("a failed job shows its log's last lines beside its exit code", async ({ app: page, benchtop, consoleErrors }) => {
    test.setTimeout(60_000);
    writeFailerStep(benchtop.workspace);
    benchtop.cli(['steps', 'trust', '--yes']);
    await createRunThroughForm(page, 'Failer e2e', writeFastqs(benchtop.tempDir('fastq')));
    await page.getByTestId('step-select').selectOption('failer');
    await page.getByTestId('launch').click();
    await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
    const last = page.getByTestId('job-last-lines');
    await expect(last).toContainText('step 14');
    await expect(last).toContainText('genome.fa: not a FASTA file');
    await expect(last).not.toContainText('step 13');
    expect(consoleErrors).toEqual([]);
  });

  test('follow keeps the newest line in view; pause holds the view while lines keep coming', async ({ app: page, benchtop, consoleErrors }) => {
    test.setTimeout(90_000);
    writeTalkerStep(benchtop.workspace);
    benchtop.cli(['steps', 'trust', '--yes']);
    await createRunThroughForm(page, 'Follow e2e', writeFastqs(benchtop.tempDir('fastq')));
    await page.getByTestId('step-select').selectOption('talker');
    await page.getByTestId('launch').click();
    const log = page.getByTestId('log');
    await expect(log).toContainText('line 150', { timeout: 20_000 });
    const atBottom = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 4);
    await expect.poll(atBottom).toBe(true);

    const follow = page.getByTestId('follow');
    await expect(follow).toHaveAttribute('aria-pressed', 'true');
    await follow.click();
    await expect(follow).toHaveText('Follow');
    await expect(follow).toHaveAttribute('aria-pressed', 'false');
    const held = await log.evaluate((el) => el.scrollTop);
    const lastLine = async () => Number(/line (\d+)\s*$/.exec((await log.textContent()) ?? '')?.[1] ?? 0);
    const before = await lastLine();
    await expect.poll(lastLine, { timeout: 10_000 }).toBeGreaterThan(before + 50);
    expect(await log.evaluate((el) => el.scrollTop)).toBe(held);
    expect(await atBottom()).toBe(false);

    await follow.click();
    await expect(follow).toHaveText('Pause');
    await expect.poll(atBottom).toBe(true);
    await page.getByTestId('kill').click();
    await page.getByTestId('kill-yes').click();
    await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'killed', { timeout: 20_000 });
    expect(consoleErrors).toEqual([]);
  });

  test('runs are found by search and status; exported, imported with their inputs, cleaned and deleted', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
    test.setTimeout(90_000);
    const files = writeFastqs(benchtop.tempDir('fastq'));
    await createRunThroughForm(page, 'Alpha export', files);
    await createRunThroughForm(page, 'Beta other', files);

    await goTo(page, 'runs', 'Runs');
    await page.getByTestId('runs-search').fill('alpha');
    await expect(page.getByTestId('run-count')).toContainText('1 run match');
    await expect(page.getByTestId('runs-table')).toContainText('Alpha export');
    await expect(page.getByTestId('runs-table')).not.toContainText('Beta other');
    // Alpha has run nothing, so it has not failed (other tests of this file leave failed runs).
    await page.getByTestId('runs-status').selectOption('failed');
    await expect(page.getByText('No run matches.')).toBeVisible();
    await page.getByTestId('runs-status').selectOption('');
    await page.getByTestId('runs-table').getByRole('link', { name: 'Alpha export' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Alpha export' })).toBeVisible();

    // Export: the configuration as JSON, no data.
    const download = page.waitForEvent('download');
    await page.getByTestId('export').click();
    const exported = readFileSync(await (await download).path(), 'utf8');
    const config = JSON.parse(exported) as { name: string; inputs: Array<{ role: string; name: string }> };
    expect(config.name).toBe('Alpha export');
    expect(config.inputs.map((i) => `${i.role}:${i.name}`)).toEqual(['R1:sample_R1.fastq', 'R2:sample_R2.fastq']);

    // Import it as a new run, giving the inputs again (their sha256 is checked).
    await goTo(page, 'runs', 'Runs');
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByTestId('import-json').fill(exported);
    await page.getByTestId('import-input-R1').fill(files.r2);
    await page.getByTestId('import-input-R2').fill(files.r2);
    await page.getByTestId('import-run').click();
    await expect(page.getByRole('alert')).toContainText(/sha256/i);
    await page.getByTestId('import-input-R1').fill(files.r1);
    await page.getByTestId('import-run').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Alpha export' })).toBeVisible();
    await expect(page.getByTestId('inputs-table')).toContainText('sample_R1.fastq');
    await expect(page.getByTestId('inputs-table')).toContainText('sample_R2.fastq');
    const importedUrl = page.url();
    await screenshot(page, testInfo, 'run-imported');

    // Clean: files gone, the run and its records stay.
    await page.getByRole('button', { name: 'Clean…' }).click();
    await page.getByTestId('confirm-clean').click();
    await expect(page.getByText(/Cleaned: \d+ files/)).toBeVisible();
    await page.goto(importedUrl);
    await expect(page.getByRole('heading', { level: 1, name: 'Alpha export' })).toBeVisible();

    // Delete: only after typing the run's id.
    await page.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByTestId('confirm-delete');
    await expect(confirm).toBeDisabled();
    const id = decodeURIComponent(importedUrl.split('#/runs/')[1] ?? '');
    await page.getByTestId('delete-confirm').fill(id);
    await confirm.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
    await page.getByTestId('runs-search').fill('alpha export');
    await expect(page.getByTestId('run-count')).toContainText('1 run match');
    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
