/** The read_qc step launched from a nanopore run's page: its metrics, tables and plots show. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNanoporeFastq } from '../tests/fixtures/nanopore/reads';
import { test, expect, goTo, screenshot } from './fixtures';

test.use({ colorScheme: 'light' });

test('read QC of a FASTQ with its sequencing summary, from the run page', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  test.setTimeout(120_000);
  const dir = benchtop.tempDir('readqc');
  const fastq = join(dir, 'pass.fastq');
  writeNanoporeFastq({ path: fastq, seed: 9, reads: 2000 });
  const summary = join(dir, 'sequencing_summary.txt');
  const rows = ['read_id\tchannel\tstart_time\tduration\tend_reason\tsequence_length_template\tpasses_filtering'];
  const reasons = ['signal_positive', 'signal_positive', 'signal_positive', 'signal_positive', 'unblock_mux_change', 'data_service_unblock_mux_change', 'signal_negative'];
  for (let i = 0; i < 2000; i++) {
    const t = i * 5.4; // three hours
    const channels = t < 7200 ? 512 : 200;
    rows.push(`r${i}\t${1 + ((i * 97) % channels)}\t${t}\t3\t${reasons[i % reasons.length]}\t${1000 + ((i * 7919) % 19000)}\t${i % 5 ? 'TRUE' : 'FALSE'}`);
  }
  writeFileSync(summary, `${rows.join('\n')}\n`);
  const run = JSON.parse(benchtop.cli(['runs', 'create', '--name', 'Flow cell QC', '--pipeline', 'nanopore', '--input', `READS=${fastq}`, '--input', `SUMMARY=${summary}`, '--link', '--json'])) as { id: string };

  await goTo(page, `runs/${run.id}`, 'Flow cell QC');
  await page.getByTestId('step-select').selectOption('read_qc');
  await expect(page.getByTestId('launch')).toBeEnabled({ timeout: 10_000 });
  await page.getByTestId('launch').click();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  const results = page.getByTestId('results-read_qc');
  await expect(results.getByTestId('metric').filter({ hasText: 'Reads' }).first()).toContainText('2,000');
  await expect(results.getByTestId('metric').filter({ hasText: 'Active channels' })).toContainText('512');
  await expect(results.locator('.result-plot canvas')).toHaveCount(4, { timeout: 15_000 });
  await expect(results.locator('.result-table').filter({ hasText: 'End reasons' })).toContainText('unblock_mux_change');
  await screenshot(page, testInfo, 'run-detail-read-qc');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, testInfo, 'run-detail-read-qc-dark');
  expect(consoleErrors).toEqual([]);
});
