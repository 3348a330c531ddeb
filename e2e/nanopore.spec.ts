import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { genbank } from '../electron/demo/data/sequences';
import { PROTOCOL, writeMinknowRun } from '../electron/demo/data/minknow';
import { mutate, randomSeq, revcomp, rng, writeBam, writeFasta } from '../electron/demo/data/smaReads';
import { test, expect, goTo, screenshot } from './fixtures';

/**
 * Seed 000 end to end, through the UI only: design the library (a construct imported from
 * GenBank), find the experiment on disk, register its BAM, link the two, ingest, and read the plots
 * and the QC verdict of the run against the library.
 */
test('library → discovery → basecall run → ingest → plots and QC verdict', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  test.setTimeout(180_000);
  const data = benchtop.tempDir('flow');
  const rand = rng(11);
  const target = randomSeq(rand, 1200);
  const gb = join(data, 'pSMA.gb');
  writeFileSync(gb, genbank([{ name: 'pSMA', seq: target, circular: true }]));
  const fasta = join(data, 'targets.fa');
  writeFasta(fasta, [['pSMA', target]]);
  const folder = '20240301_0900_MN12345_FAW54321_0badcafe';
  writeMinknowRun(join(data, 'minknow'), { folder, sample: 'pSMA prep', flowCell: 'FAW54321', device: 'MN12345', protocol: PROTOCOL, pod5: { pod5: 2 }, expected: 2 });
  const bam = join(data, `${folder}_sup_v5.0.0_trim0_0.bam`);
  writeBam(
    bam,
    Array.from({ length: 200 }, (_, i) => {
      const seq = mutate(rand, target, 0.06);
      return { name: `read${i}`, seq: i % 2 ? revcomp(seq) : seq, qual: Array.from(seq, () => 20), tags: [i % 10 === 0 ? 'er:Z:unblock_mux_change' : 'er:Z:signal_positive'] };
    }),
  );

  // The library, designed before sequencing.
  await goTo(page, 'libraries', 'Libraries');
  await page.getByRole('button', { name: 'New library spec' }).click();
  const form = page.getByTestId('new-library');
  await form.locator('[data-field="lib_name"]').fill('SMA panel');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'SMA panel' })).toBeVisible();
  const libraryUrl = page.url();
  await page.getByTestId('construct-file').fill(gb);
  await page.getByRole('group', { name: 'Import constructs from a file' }).getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('lib-constructs')).toContainText('pSMA');
  await expect(page.getByTestId('construct-length')).toHaveText('1,200 bp');

  // The experiment, found where MinKNOW wrote it.
  await goTo(page, 'experiments', 'Experiments');
  await page.getByTestId('discover-folder-0').fill(join(data, 'minknow'));
  await page.getByTestId('discover-start').click();
  await expect(page.getByTestId('discover-status')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await page.getByTestId('experiments-table').getByRole('link', { name: 'FAW54321' }).click();
  await expect(page.getByTestId('exp-id')).toHaveText(folder);

  // Its basecalled BAM, registered from the file name.
  await page.getByTestId('register-path').fill(bam);
  await expect(page.getByTestId('register-tier')).toHaveValue('sup');
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('basecalls-table')).toContainText('sup_v5.0.0_trim0_0');

  // The library, linked to the experiment it was sequenced in.
  await page.goto(libraryUrl);
  await page.getByRole('button', { name: 'Link an experiment' }).click();
  const link = page.getByRole('form', { name: 'Link an experiment' });
  await link.locator('[data-field="exp_id"]').selectOption(folder);
  await link.getByRole('button', { name: 'Link' }).click();
  await expect(page.getByRole('table', { name: 'Linked experiments' })).toContainText(folder);

  // Ready for SMA analysis: ingest against the construct's sequence.
  const runId = `${folder}_sup_v5.0.0_trim0_0`;
  await goTo(page, 'experiments', 'Experiments');
  const item = page.getByTestId(`sma-pending-${runId}`);
  await item.getByRole('button', { name: 'Ingest…' }).click();
  await item.getByTestId('sma-ref-0').fill(fasta);
  await item.getByTestId('sma-ingest').click();
  const done = page.getByTestId(`sma-done-${runId}`);
  await expect(done).toContainText('Completed', { timeout: 90_000 });

  // The reads, their plots, and the verdict against the library's thresholds.
  await page.goto(`${page.url().split('#')[0]}#/reads/${encodeURIComponent(runId)}`);
  await expect(page.getByTestId('reads-total')).toHaveText('200 reads match', { timeout: 15_000 });
  for (const id of ['read-length', 'qbc', 'ed-by-ref', 'qld-by-ref']) await expect(page.getByTestId(`plot-${id}`).locator('canvas')).toBeVisible();
  await expect(page.getByTestId('plot-end-reasons')).toContainText('unblock_mux_change');
  await expect(page.getByTestId('verdict-overall')).toBeVisible();
  await expect(page.getByTestId('check-purity')).toContainText('100 %');
  await expect(page.getByTestId('check-purity')).toContainText('pass');
  await expect(page.getByTestId('check-reads')).toContainText('200');
  await screenshot(page, testInfo, 'nanopore-flow-reads');
  expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
});
