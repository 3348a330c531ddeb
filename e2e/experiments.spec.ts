import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeBam } from '../tests/fixtures/bam';
import { generateBadSummaryRuns, generateMinknowTree } from '../electron/demo/data/minknow';
import { test, expect, goTo, screenshot } from './fixtures';

const COMPLETE = '20240115_1423_P2S-01234-A_PAW12345_a1b2c3d4';

test.describe('experiments', () => {
  test.use({ colorScheme: 'light' });

  test('discover a MinKNOW tree with the progress bar, open an experiment, register a BAM', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
    test.setTimeout(90_000);
    const data = benchtop.tempDir('minknow');
    generateMinknowTree(join(data, 'minknow'));
    // Folders that hold no run, so the scan has some walking to do.
    for (let i = 0; i < 400; i++) mkdirSync(join(data, 'minknow', 'archive', `folder_${i}`, 'sub'), { recursive: true });

    await goTo(page, 'experiments', 'Experiments');
    await expect(page.getByText('No experiments yet')).toBeVisible();

    // A folder that does not exist is named.
    await page.getByTestId('discover-folder-0').fill(join(data, 'nowhere'));
    await page.getByTestId('discover-start').click();
    await expect(page.getByRole('alert')).toContainText(`There is no folder ${join(data, 'nowhere')}`);

    await page.getByTestId('discover-folder-0').fill(join(data, 'minknow'));
    await page.getByTestId('discover-start').click();
    const status = page.getByTestId('discover-status');
    await expect(status.getByRole('progressbar', { name: 'Discovery' })).toBeVisible();
    await expect(status).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(page.getByTestId('discover-counts')).toContainText('4 runs found · 4 new, 0 changed, 0 unchanged');
    const table = page.getByTestId('experiments-table');
    await expect(table.locator('tbody tr')).toHaveCount(4);
    await expect(table.locator('[data-state="incomplete_transfer"]')).toHaveText('Incomplete transfer');
    await expect(table.locator('[data-state="interrupted"]')).toHaveCount(1);
    await expect(table.getByRole('row', { name: /PAW22222/ })).toContainText('2 / 5');
    await expect(page.getByRole('heading', { name: 'Ready for SMA analysis' })).toBeVisible();
    await screenshot(page, testInfo, 'experiments-list');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'experiments-list-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Scanning again changes nothing.
    await page.getByTestId('discover-start').click();
    await expect(page.getByTestId('discover-counts')).toContainText('4 runs found · 0 new, 0 changed, 4 unchanged', { timeout: 30_000 });
    await expect(table.locator('tbody tr')).toHaveCount(4);

    await table.getByRole('link', { name: 'PAW12345' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'plasmid_A · PAW12345' })).toBeVisible();
    await expect(page.getByTestId('exp-id')).toHaveText(COMPLETE);
    await expect(page.getByTestId('exp-pod5')).toContainText('3 on disk · 3 listed in final_summary');
    await expect(page.getByText('No basecall run yet')).toBeVisible();

    // Register a BAM: the name fills the fields as it is typed; a bad bitflag is caught before sending.
    const bam = writeBam(join(data, `${COMPLETE}_sup_v5.0.0_trim1_3.bam`));
    await page.getByTestId('register-path').fill(join(data, 'reads.bam'));
    await expect(page.getByTestId('register-parse')).toContainText('does not follow');
    await page.getByTestId('register-path').fill(bam);
    await expect(page.getByTestId('register-parse')).toContainText('fields filled in');
    await expect(page.getByTestId('register-tier')).toHaveValue('sup');
    await expect(page.getByTestId('register-version')).toHaveValue('v5.0.0');
    await expect(page.getByTestId('register-mods-names')).toHaveText('6mA + 5mCG_5hmCG');
    await page.getByTestId('register-mods').fill('64');
    await expect(page.getByText(/bitflag 64 has bits no modification defines/)).toBeVisible();
    await page.getByTestId('register-mods').fill('3');
    await page.getByTestId('register-submit').click();
    const basecalls = page.getByTestId('basecalls-table');
    await expect(basecalls).toContainText('sup_v5.0.0_trim1_3');
    await expect(basecalls).toContainText('6mA + 5mCG_5hmCG (3)');
    await expect(basecalls).toContainText('Complete');
    await expect(basecalls.getByRole('link', { name: 'sup_v5.0.0_trim1_3' })).toHaveAttribute('href', `#/reads/${COMPLETE}_sup_v5.0.0_trim1_3`);
    expect((JSON.parse(benchtop.cli(['pending-sma', '--json'])) as { runs: { runId: string }[] }).runs.map((r) => r.runId)).toEqual([`${COMPLETE}_sup_v5.0.0_trim1_3`]);
    await screenshot(page, testInfo, 'experiment-detail');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'experiment-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  test('a scan can be cancelled from the panel', async ({ app: page, benchtop }) => {
    test.setTimeout(90_000);
    // Thousands of folders: the scan is far from done when Cancel is pressed.
    const big = benchtop.tempDir('big');
    for (let i = 0; i < 4000; i++) mkdirSync(join(big, `d${i}`, 'a'), { recursive: true });
    await goTo(page, 'experiments', 'Experiments');
    await page.getByTestId('discover-folder-0').fill(big);
    await page.getByTestId('discover-start').click();
    await page.getByTestId('discover-cancel').click();
    await expect(page.getByTestId('discover-status')).toHaveAttribute('data-state', 'cancelled');
    await expect(page.getByText('Scan cancelled')).toBeVisible();
    await expect(page.getByTestId('discover-start')).toBeEnabled();
  });

  test("what is wrong in a run's final_summary shows as a badge in the list and a notice on its page", async ({ app: page, benchtop, consoleErrors }) => {
    test.setTimeout(60_000);
    const data = benchtop.tempDir('bad-summaries');
    generateBadSummaryRuns(data);
    benchtop.cli(['discover', data]);

    await goTo(page, 'experiments', 'Experiments');
    const table = page.getByTestId('experiments-table');
    // The workspace is the spec's: other tests' runs may be listed too, and have no warning.
    await expect(table.getByRole('row', { name: /PAX0000/ })).toHaveCount(6);
    const row = table.getByRole('row', { name: /PAX00005/ });
    await expect(row.getByTestId('exp-warnings-badge')).toHaveText('2 warnings');
    await expect(table.getByTestId('exp-warnings-badge')).toHaveCount(6);

    await row.getByRole('link', { name: 'PAX00005' }).click();
    const notice = page.getByTestId('exp-warnings');
    await expect(notice).toContainText('flow_cell_id="../../etc" is not a flow cell id');
    await expect(notice).toContainText('final_summary_PAX00005_0000eeee_0a1b2c3d.txt');
    await expect(page.getByText('Sample', { exact: true }).locator('..')).not.toContainText('../../home');

    await page.goBack();
    await table.getByRole('link', { name: 'PAX00001' }).click();
    await expect(page.getByTestId('exp-warnings')).toContainText('not a text file (it holds binary data)');
    await expect(page.locator('[data-state="interrupted"]')).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test("a BAM registered on an experiment's page stays with that experiment, whatever its file name says", async ({ app: page, benchtop, consoleErrors }) => {
    const data = benchtop.tempDir('register-here');
    benchtop.cli(['basecalls', 'register', writeBam(join(data, 'EXPHERE_fast_v4.3.0_trim0_0.bam')), '--create-experiment']);
    await page.evaluate(() => (window.location.hash = '/experiments/EXPHERE'));
    await expect(page.getByTestId('basecalls-table')).toContainText('fast_v4.3.0_trim0_0');

    await page.getByTestId('register-path').fill(writeBam(join(data, 'OTHEREXP_sup_v5.0.0_trim1_0.bam')));
    await expect(page.getByTestId('register-exp')).toHaveValue('EXPHERE');
    await expect(page.getByTestId('register-version')).toHaveValue('v5.0.0');
    await expect(page.getByTestId('register-other-exp')).toContainText('OTHEREXP');
    await page.getByTestId('register-submit').click();
    await expect(page.getByTestId('basecalls-table')).toContainText('sup_v5.0.0_trim1_0');
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
