import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test, expect, goTo, screenshot } from './fixtures';
import { PLASMID_SEQ, genbank, plasmidGenbank } from '../electron/demo/data/sequences';

test.describe('library specs', () => {
  test.use({ colorScheme: 'light' });

  test('create a spec, import a GenBank construct, see its map, add a fragment with defaults, make a new version', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
    test.setTimeout(120_000);
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(benchtop.origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
    });
    const gb = join(benchtop.tempDir('gb'), 'constructs.gb');
    writeFileSync(gb, plasmidGenbank());

    await goTo(page, 'libraries', 'Libraries');
    await expect(page.getByTestId('library-count')).toHaveText('0 library specifications in this workspace.');
    // The lookup tables stay on the page.
    await expect(page.getByTestId('lookup-table-lk_pore_types')).toBeVisible();

    await page.getByRole('button', { name: 'New library spec' }).click();
    const form = page.getByTestId('new-library');
    await form.locator('[data-field="lib_name"]').fill('Plasmid panel');
    await form.locator('[data-field="project"]').fill('SMA');
    await form.locator('[data-field="pore_type"]').selectOption('R10.4.1');
    await form.locator('[data-field="flow_cell_type"]').selectOption('FLO-MIN114');
    await form.locator('[data-field="sequencing_kit"]').selectOption('SQK-LSK114');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Plasmid panel' })).toBeVisible();
    await expect(page.getByTestId('lib-version')).toHaveText('1.0');
    await expect(page.getByTestId('spec-pore_type')).toHaveText('R10.4.1');
    await expect(page.getByTestId('qc-min_mean_qscore')).toHaveText('10');
    const v1Url = page.url();
    // With no fragment yet, "Add a modification" is disabled and says why.
    await expect(page.getByRole('button', { name: 'Add a modification' })).toBeDisabled();
    await expect(page.getByTestId('modifications-blocked')).toHaveText('Add a modification is possible once there is a fragment: each modification belongs to one. Add a fragment first.');

    // A bad file is named in the error; nothing is added.
    await page.getByTestId('construct-file').fill(join(benchtop.tempDir('bad'), 'missing.gb'));
    await page.getByRole('group', { name: 'Import constructs from a file' }).getByRole('button', { name: 'Import' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'missing.gb: cannot be read' })).toBeVisible();

    await page.getByTestId('construct-file').fill(gb);
    await page.getByRole('group', { name: 'Import constructs from a file' }).getByRole('button', { name: 'Import' }).click();
    await expect(page.getByText(`Imported 2 constructs from ${gb}.`)).toBeVisible();
    await expect(page.getByTestId('lib-constructs')).toContainText('pTest');
    await expect(page.getByTestId('lib-constructs')).toContainText('amp1');
    await expect(page.getByTestId('construct-length')).toHaveText('60 bp');
    await expect(page.getByTestId('construct-gc')).toHaveText('16.7 %');
    const map = page.getByTestId('construct-map');
    await expect(map).toHaveAttribute('data-viewer', 'circular');
    await expect(map.locator('svg').first()).toBeVisible();
    await expect(map).toContainText('geneX');

    // A fragment starts from the seed's defaults: tolerance 150, strand ratio 0.5, sequenceable.
    await page.getByRole('button', { name: 'Add a fragment' }).click();
    const frag = page.getByTestId('add-fragments');
    await expect(frag.locator('[data-field="len_tolerance"]')).toHaveValue('150');
    await expect(frag.locator('[data-field="strand_ratio"]')).toHaveValue('0.5');
    await expect(frag.locator('[data-field="is_sequenceable"]')).toBeChecked();
    await frag.locator('[data-field="construct_id"]').selectOption({ label: 'pTest' });
    await frag.locator('[data-field="name"]').fill('linearized pTest');
    await frag.locator('[data-field="fragment_type"]').selectOption('linearized');
    await frag.locator('[data-field="expected_len"]').fill('sixty');
    await frag.getByRole('button', { name: 'Add a fragment' }).click();
    await expect(frag.getByRole('alert')).toContainText('expected_len: must be a whole number, not "sixty".');
    await screenshot(page, testInfo, 'library-fragment-form');
    await frag.locator('[data-field="expected_len"]').fill('60');
    await frag.getByRole('button', { name: 'Add a fragment' }).click();
    const fragments = page.getByTestId('lib-fragments');
    await expect(fragments).toContainText('linearized pTest');
    await expect(fragments.locator('tbody tr').first()).toContainText('150');

    await screenshot(page, testInfo, 'library-detail');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'library-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // New version: 1.1, with copies of the constructs and fragments; 1.0 becomes read-only.
    await page.getByRole('button', { name: 'New version (1.1)' }).click();
    await expect(page.getByTestId('lib-version')).toHaveText('1.1');
    expect(page.url()).not.toBe(v1Url);
    await expect(page.getByTestId('lib-constructs')).toContainText('pTest');
    await expect(page.getByTestId('lib-fragments')).toContainText('linearized pTest');
    await expect(page.getByRole('button', { name: 'Add a construct' })).toBeVisible();

    await page.getByTestId('lib-versions').getByRole('link', { name: '1.0' }).click();
    await expect(page.getByTestId('lib-version')).toHaveText('1.0');
    await expect(page.getByTestId('read-only-notice')).toContainText('Version 1.0 was replaced by version 1.1');
    await expect(page.getByTestId('spec-status')).toHaveText('deprecated');
    await expect(page.getByRole('button', { name: 'Add a construct' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Add a fragment' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Edit/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^New version/ })).toHaveCount(0);
    await expect(page.getByTestId('construct-map')).toBeVisible();
    // Links record what was sequenced: they can be made on an old version too.
    const db = new Database(join(benchtop.workspace, 'benchtop.db'));
    db.prepare("INSERT INTO experiments (exp_id, sample_id, flow_cell_id) VALUES ('PAW12345_run1', 'S1', 'PAW12345')").run();
    db.close();
    await page.reload();
    await expect(page.getByTestId('lib-version')).toHaveText('1.0');
    await page.getByRole('button', { name: 'Link an experiment' }).click();
    const link = page.getByRole('form', { name: 'Link an experiment' });
    await link.locator('[data-field="exp_id"]').selectOption('PAW12345_run1');
    await link.locator('[data-field="run_purpose"]').selectOption('test');
    await link.getByRole('button', { name: 'Link' }).click();
    await expect(page.getByRole('table', { name: 'Linked experiments' })).toContainText('PAW12345_run1');
    await expect(page.getByRole('table', { name: 'Linked experiments' })).toContainText('primary');
    await screenshot(page, testInfo, 'library-read-only');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, testInfo, 'library-read-only-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await goTo(page, 'libraries', 'Libraries');
    await expect(page.getByTestId('library-count')).toHaveText('2 library specifications in this workspace.');
    await expect(page.getByTestId('library-list')).toContainText('read-only');
    await screenshot(page, testInfo, 'libraries-list');

    // Deleting the newest version makes the one it replaced the newest (editable) again.
    await page.getByTestId('library-list').getByRole('row', { name: /1\.1/ }).getByRole('link').click();
    await expect(page.getByTestId('lib-version')).toHaveText('1.1');
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog', { name: 'Delete this library spec' }).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByTestId('library-count')).toHaveText('1 library specification in this workspace.');
    await page.getByTestId('library-list').getByRole('link', { name: 'Plasmid panel' }).click();
    await expect(page.getByTestId('lib-version')).toHaveText('1.0');
    await expect(page.getByTestId('read-only-notice')).toHaveCount(0);
    // A linked spec cannot be deleted: the page says why.
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog', { name: 'Delete this library spec' }).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'is linked to experiments: unlink them first' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add a construct' })).toBeVisible();

    expect(foreign).toEqual([]);
    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  test('a join() feature is drawn as its segments; a primer_bind feature is kept; a file cut short is refused', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
    const dir = benchtop.tempDir('join');
    const features = `     primer_bind     1..20
                     /label="fwd primer"
     CDS             join(5..25,35..55)
                     /label="split gene"
`;
    const whole = genbank([{ name: 'pJoin', seq: PLASMID_SEQ.repeat(4), circular: true, features }]);
    const gb = join(dir, 'join.gb');
    writeFileSync(gb, whole);
    const cut = join(dir, 'cut.gb');
    writeFileSync(cut, whole.slice(0, whole.indexOf('ORIGIN') + 50));

    await goTo(page, 'libraries', 'Libraries');
    await page.getByRole('button', { name: 'New library spec' }).click();
    await page.getByTestId('new-library').locator('[data-field="lib_name"]').fill('Join panel');
    await page.getByTestId('new-library').getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Join panel' })).toBeVisible();
    const importForm = page.getByRole('group', { name: 'Import constructs from a file' });
    await page.getByTestId('construct-file').fill(cut);
    await importForm.getByRole('button', { name: 'Import' }).click();
    await expect(page.getByRole('alert').filter({ hasText: `${cut}: the file ends early (record pJoin: no "//" line).` })).toBeVisible();
    await page.getByTestId('construct-file').fill(gb);
    await importForm.getByRole('button', { name: 'Import' }).click();
    await expect(page.getByText(`Imported 1 construct from ${gb}.`)).toBeVisible();
    const map = page.getByTestId('construct-map');
    await expect(map.locator('svg').first()).toBeVisible();
    // seqviz labels what has room; every annotation is drawn: the primer and the gene's two segments.
    await expect(map.locator('.la-vz-annotation')).toHaveCount(3);
    await expect(map).toContainText('split gene (1/2)');
    await screenshot(page, testInfo, 'library-join-map');
    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
