import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mutate, randomSeq, revcomp, rng, writeBam, writeFasta } from '../electron/demo/data/smaReads';
import { test, expect, goTo, screenshot } from './fixtures';

/**
 * "Ready for SMA analysis": a complete basecall run without an SMA DB, ingested from its form.
 * The component is mounted on the Experiments page.
 */
test('a pending basecall run is ingested from its form and leaves the list', async ({ app: page, benchtop }, testInfo) => {
  test.setTimeout(120_000);
  const data = benchtop.tempDir('sma');
  const rand = rng(4);
  const target = randomSeq(rand, 800);
  const fasta = join(data, 'plasmid.fa');
  const bam = join(data, 'exp1_sup_v5.0.0_trim0_0.bam');
  writeFasta(fasta, [['plasmid', target]]);
  writeBam(
    bam,
    Array.from({ length: 300 }, (_, i) => {
      const seq = mutate(rand, target, 0.07);
      return { name: `read${i}`, seq: i % 2 ? revcomp(seq) : seq, qual: Array.from(seq, () => 18), tags: ['er:Z:signal_positive'] };
    }),
  );
  const db = new Database(join(benchtop.workspace, 'benchtop.db'));
  db.prepare("INSERT INTO experiments (exp_id, sample_id) VALUES ('exp1', 'plasmid prep 3')").run();
  db.prepare("INSERT INTO basecall_runs (run_id, exp_id, model_tier, model_version, bam_path, status) VALUES ('exp1_sup', 'exp1', 'sup', 'v5.0.0', ?, 'complete')").run(bam);
  db.prepare("INSERT INTO basecall_runs (run_id, exp_id, model_tier, model_version, bam_path, status) VALUES ('exp1_hac', 'exp1', 'hac', 'v5.0.0', ?, 'complete')").run(bam);
  db.close();

  await goTo(page, 'experiments', 'Experiments');
  const item = page.getByTestId('sma-pending-exp1_sup');
  await expect(item).toContainText('plasmid prep 3');
  await expect(page.getByTestId('sma-pending-exp1_hac')).toBeVisible();
  await item.getByRole('button', { name: 'Ingest…' }).click();
  const ingest = item.getByTestId('sma-ingest');
  await expect(ingest).toBeDisabled();
  await item.getByTestId('sma-ref-0').fill(fasta);
  await item.getByTestId('sma-tagged').check();
  await screenshot(page, testInfo, 'sma-pending-form');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, testInfo, 'sma-pending-form-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await ingest.click();

  const done = page.getByTestId('sma-done-exp1_sup');
  await expect(done).toContainText('Completed', { timeout: 60_000 });
  await expect(page.getByTestId('sma-pending-exp1_sup')).toHaveCount(0);
  await screenshot(page, testInfo, 'sma-pending-done');
  await done.getByRole('link', { name: /Open the ingest run/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'SMA ingest exp1_sup' })).toBeVisible();
  await expect(page.getByTestId('log')).toContainText('300 primary reads', { timeout: 15_000 });
  // Progress lines feed the progress bar; they are not log text.
  await expect(page.getByTestId('log')).not.toContainText('##progress');
  await screenshot(page, testInfo, 'sma-ingest-run');
});
