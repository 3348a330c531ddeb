import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test, expect, goTo, ROOT, screenshot, SCREENSHOTS } from './fixtures';
import { insertBulkReads, insertReads, seedSmaWorkspace } from '../tests/fixtures/smaDb';

const BIG_READS = 5000;

/** A reads database made with the reads migrations, as Benchtop's own opening would make it. */
function openReads(workspace: string, expId: string): Database.Database {
  const db = new Database(join(workspace, 'reads', `SMA_${expId}.db`));
  db.pragma('journal_mode = WAL');
  const dir = join(ROOT, 'db', 'migrations', 'reads');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  for (const f of files) db.exec(readFileSync(join(dir, f), 'utf8'));
  db.pragma(`user_version = ${Number(/^(\d+)_/.exec(files.at(-1)!)![1])}`);
  return db;
}

test.describe('results browser', () => {
  test.use({ colorScheme: 'light' });

  test.beforeAll(async ({ benchtop }) => {
    // The served workspace's central DB exists (serve made it); the rows go in through SQL.
    const central = new Database(join(benchtop.workspace, 'benchtop.db'));
    seedSmaWorkspace(central, (expId) => openReads(benchtop.workspace, expId));
    central.prepare("INSERT INTO basecall_runs (run_id, exp_id, model_tier, status) VALUES ('EXP1_big', 'EXP1', 'fast', 'analyzed')").run();
    central.close();
    const big = openReads(benchtop.workspace, 'EXP1');
    insertBulkReads(big, 'EXP1_big', BIG_READS);
    big.close();
  });

  test('a basecall run: summary, verdict, plots, sort, filter, export', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
    test.setTimeout(90_000); // many steps, two themes, two exports
    await page.evaluate(() => (window.location.hash = '/reads/EXP1_hac'));
    await expect(page.getByRole('heading', { level: 1, name: 'Reads of EXP1_hac' })).toBeVisible();

    await expect(page.getByTestId('reads-summary').getByTestId('metric').first()).toContainText('10');
    await expect(page.getByTestId('verdict-overall')).toContainText('fail');
    await expect(page.getByTestId('check-signal_positive')).toContainText('50 %');
    await expect(page.getByTestId('check-signal_positive')).toContainText('fail');
    await expect(page.getByTestId('check-n50')).toContainText('pass');
    await expect(page.getByTestId('check-purity')).toContainText('warn');
    for (const id of ['read-length', 'qbc', 'ed-by-ref', 'qld-by-ref']) {
      await expect(page.getByTestId(`plot-${id}`).locator('canvas')).toBeVisible();
    }
    await expect(page.getByTestId('plot-end-reasons')).toContainText('unblock_mux_change');
    await screenshot(page, testInfo, 'reads-run');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'reads-run-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const table = page.getByTestId('reads-table');
    const firstCells = () => table.getByTestId('read-row').locator('td:first-child');
    await expect(page.getByTestId('reads-total')).toHaveText('10 reads match');
    await expect(firstCells()).toHaveText(['r08', 'r04', 'r01', 'r02', 'r09', 'r03', 'r07', 'r05', 'r06', 'r10']);
    // q_bc is sorted descending; a click turns it ascending.
    await table.getByRole('button', { name: /^q_bc/ }).click();
    await expect(table.getByRole('columnheader', { name: /q_bc/ })).toHaveAttribute('aria-sort', 'ascending');
    await expect(firstCells().first()).toHaveText('r10');
    await table.getByRole('button', { name: /^Length/ }).click();
    await expect(firstCells()).toHaveText(['r08', 'r05', 'r04', 'r06', 'r02', 'r09', 'r01', 'r03', 'r07', 'r10']);

    await page.getByTestId('filter-ref').selectOption('plasmidA');
    await expect(page.getByTestId('reads-total')).toHaveText('4 reads match');
    await expect(firstCells()).toHaveText(['r02', 'r09', 'r01', 'r03']);
    // A bound that is no number is said to be one, and nothing is filtered by it.
    const before = await page.getByTestId('reads-total').textContent();
    await page.getByTestId('filter-lenMin').fill('abc');
    await expect(page.getByTestId('filter-lenMin-problem')).toHaveText('"abc" is not a number');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('filter-lenMin')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('reads-total')).toHaveText(before ?? '');
    await page.getByTestId('filter-lenMin').fill('');
    await expect(page.getByTestId('filter-lenMin-problem')).toHaveCount(0);
    await page.getByTestId('filter-qMin').fill('16');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(firstCells()).toHaveText(['r02', 'r09', 'r01']);
    await screenshot(page, testInfo, 'reads-run-filtered');

    const out = join(benchtop.tempDir('export'), 'plasmidA.csv');
    await page.getByTestId('export-path').fill(out);
    await page.getByRole('button', { name: 'Export filtered reads' }).click();
    await expect(page.getByTestId('export-status')).toContainText('Wrote 3 rows');
    expect(readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => l.split(',')[0])).toEqual(['read_id', 'r02', 'r09', 'r01']);
    await page.getByRole('button', { name: 'Export filtered reads' }).click();
    await expect(page.getByTestId('export-status')).toContainText('exists already. Replace it?');
    await page.getByTestId('export-format').selectOption('tsv');
    await page.getByRole('button', { name: 'Replace' }).click();
    await expect(page.getByTestId('export-status')).toContainText('Wrote 3 rows');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(['read_id', 'run_id', 'readlen', 'q_bc', 'ed', 'q_ld', 'ref_id', 'strand', 'end_reason'].join('\t'));
    // The one 409 is the refused overwrite that asked for the confirmation: Chromium logs every 4xx.
    expect(consoleErrors.filter((e) => !e.includes('409 (Conflict)'))).toEqual([]);
  });

  test('plots: drag to zoom, double-click resets, PNG and SVG, legends, follow the filter; notes by keyboard', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
    test.setTimeout(90_000);
    // A run of the library's experiment with a reference of no known length: its error-rate check has a note.
    const central = new Database(join(benchtop.workspace, 'benchtop.db'));
    central.exec("INSERT INTO experiments (exp_id) VALUES ('EXP3'); INSERT INTO basecall_runs (run_id, exp_id, status) VALUES ('EXP3_fast', 'EXP3', 'analyzed'); INSERT INTO lib_experiment_link (lib_id, exp_id, relationship, run_purpose) VALUES ('LIB1', 'EXP3', 'primary', 'test')");
    central.close();
    const exp3 = openReads(benchtop.workspace, 'EXP3');
    insertReads(exp3, 'EXP3_fast', [{ read_id: 'm1', readlen: 1200, q_bc: 14, ed: 30, ref_id: 'mystery', end_reason: 'signal_positive', strand: '+' }]);
    exp3.close();

    await page.evaluate(() => (window.location.hash = '/reads/EXP1_big'));
    const plot = page.getByTestId('plot-qbc');
    const over = plot.locator('.u-over');
    await expect(over).toBeVisible();
    const total = page.getByTestId('plots-total');
    await expect(total).toHaveText(`${BIG_READS.toLocaleString('en-US')} reads`);

    // The legend names each series; with no cursor on the plot, no "--".
    const legend = plot.locator('.u-legend');
    await expect(legend).toContainText('q_bc');
    await expect(legend).toContainText('reads');
    await expect(legend).not.toContainText('--');
    await expect(legend).not.toContainText(':');
    await plot.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(legend.locator('.u-value').nth(1)).toHaveText(/^\d[\d,]*$/);

    // The log-length histogram spans the bins that hold reads (200 to 5,200 bp here), not whole decades from 1.
    const lengthRange = (await page.getByTestId('plot-read-length').locator('.plot-box').getAttribute('data-x-range'))!.split(':').map(Number);
    expect(lengthRange[0]).toBeGreaterThan(180);
    expect(lengthRange[1]).toBeLessThan(6000);
    await page.getByTestId('plot-read-length').screenshot({ path: join(SCREENSHOTS, 'plot-read-length.png') });

    const xScale = () => plot.locator('.plot-box').getAttribute('data-x-range');
    const before = await xScale();
    expect(before).toMatch(/^[\d.-]+:[\d.]+$/);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(xScale).not.toBe(before);
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(xScale).toBe(before);

    // Export: a PNG and an SVG of the plot, the SVG with one rect per bar and the axis labels.
    const [png] = await Promise.all([page.waitForEvent('download'), plot.getByRole('button', { name: /as PNG/ }).click()]);
    expect(png.suggestedFilename()).toBe('qbc.png');
    const pngBytes = readFileSync((await png.path())!);
    expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');
    expect(pngBytes.length).toBeGreaterThan(1000);
    const [svg] = await Promise.all([page.waitForEvent('download'), plot.getByRole('button', { name: /as SVG/ }).click()]);
    expect(svg.suggestedFilename()).toBe('qbc.svg');
    const svgText = readFileSync((await svg.path())!, 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.querySelector('parsererror') !== null, bars: doc.querySelectorAll('rect.bar').length, labels: [...doc.querySelectorAll('.axis-label')].map((t) => t.textContent) };
    }, svgText);
    expect(parsed.error).toBe(false);
    expect(parsed.bars).toBeGreaterThan(3);
    expect(parsed.labels).toEqual(['reads', 'q_bc']);

    // The plots follow the table's filter.
    await page.getByTestId('filter-qMin').fill('20');
    await page.getByRole('button', { name: 'Apply' }).click();
    const matching = (await page.getByTestId('reads-total').textContent())!.replace(/ reads? match/, '');
    await expect(total).toHaveText(`${matching} reads matching the filter`);
    expect(matching).not.toBe(BIG_READS.toLocaleString('en-US'));
    await screenshot(page, testInfo, 'reads-plots-filtered');

    // A QC check's note: Tab reaches its button, Enter opens it.
    await page.evaluate(() => (window.location.hash = '/reads/EXP3_fast'));
    const note = page.getByTestId('verdict-table').getByRole('button', { name: /^About / }).first();
    await expect(note).toHaveAttribute('aria-expanded', 'false');
    await note.focus();
    await expect(note).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(note).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('verdict-table').getByRole('note').first()).toBeVisible();
    await screenshot(page, testInfo, 'reads-note-open');
    await page.keyboard.press('Escape');
    await expect(note).toHaveAttribute('aria-expanded', 'false');
    expect(consoleErrors).toEqual([]);
  });

  test('scrolling a long run loads its pages', async ({ app: page, consoleErrors }, testInfo) => {
    await page.evaluate(() => (window.location.hash = '/reads/EXP1_big'));
    await expect(page.getByTestId('reads-total')).toHaveText(`${BIG_READS.toLocaleString('en-US')} reads match`);
    const rows = page.getByTestId('reads-table').getByTestId('read-row');
    await expect(rows.first()).toBeVisible();
    // Only the visible window is in the DOM, not 5000 rows.
    expect(await rows.count()).toBeLessThan(100);
    const scroller = page.getByTestId('reads-scroll');
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(page.locator(`[aria-rowindex="${BIG_READS + 1}"][data-testid="read-row"]`)).toBeVisible();
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
    await expect(page.locator('[data-testid="reads-table"] [data-placeholder]')).toHaveCount(0);
    await expect(rows.first()).toBeVisible();
    await screenshot(page, testInfo, 'reads-scrolled');
    expect(consoleErrors).toEqual([]);
  });

  test('no library linked, and two basecall runs side by side', async ({ app: page, consoleErrors }, testInfo) => {
    await page.evaluate(() => (window.location.hash = '/reads/EXP2_sup'));
    await expect(page.getByTestId('verdict-none')).toContainText('No library linked to experiment EXP2');

    await page.evaluate(() => (window.location.hash = '/compare/EXP1'));
    await expect(page.getByRole('heading', { level: 1, name: 'Compare basecall runs of EXP1' })).toBeVisible();
    const table = page.getByTestId('compare-table');
    await expect(table.getByRole('columnheader')).toHaveText(['Basecall run', 'EXP1_hac', 'EXP1_sup', 'EXP1_big']);
    await expect(table.getByRole('row', { name: /Mean q_bc/ })).toContainText('14.3');
    await expect(table.getByRole('row', { name: /Mean q_bc/ })).toContainText('17');
    await expect(page.getByTestId('plot-compare-qbc').locator('canvas')).toBeVisible();
    await screenshot(page, testInfo, 'reads-compare');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'reads-compare-dark');
    expect(consoleErrors).toEqual([]);
  });

  test('one metric across experiments, from the Experiments page', async ({ app: page, consoleErrors }, testInfo) => {
    await goTo(page, 'experiments', 'Experiments');
    const across = page.getByRole('form', { name: 'Across experiments' });
    await expect(page.getByTestId('across-run')).toBeDisabled();
    await across.getByTestId('across-EXP1').check();
    await across.getByTestId('across-EXP2').check();
    await page.getByTestId('across-metric').selectOption('reads');
    await page.getByTestId('across-run').click();
    const table = page.getByTestId('across-table');
    await expect(table.getByRole('row', { name: /EXP1_hac/ })).toContainText('10');
    await expect(table.getByRole('row', { name: /EXP2_sup/ })).toContainText('4');
    await page.getByTestId('across-metric').selectOption('reads_by_ref');
    await page.getByTestId('across-run').click();
    await expect(table.getByRole('columnheader', { name: 'Reference', exact: true })).toBeVisible();
    await screenshot(page, testInfo, 'experiments-across');
    expect(consoleErrors).toEqual([]);
  });
});
