import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { formatBytes } from '../shared/format';
import { test, expect, goTo, screenshot } from './fixtures';

/** Chromium logs every non-2xx fetch as a console error: those the test provoked are expected. */
function unexpected(errors: string[], statuses: number[]): string[] {
  return errors.filter((e) => !statuses.some((s) => e.includes(`status of ${s}`)));
}

function switchForm(page: Page) {
  return page.getByRole('form', { name: 'Open another workspace' });
}

function lookupForm(page: Page) {
  return page.getByRole('form', { name: 'Add a lookup row' });
}

test.describe.configure({ mode: 'serial' });

test('Settings shows the workspace, where the choice came from, and its folders', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  await goTo(page, 'settings', 'Settings');
  await expect(page.getByTestId('settings-workspace-path')).toHaveText(benchtop.workspace);
  await expect(page.getByTestId('settings-workspace-source')).toHaveText('The --workspace option on the command line');
  const card = page.getByRole('region', { name: 'Workspace', exact: true });
  for (const folder of ['benchtop.db', 'reads', 'runs', 'references', 'steps', 'backups']) {
    await expect(card).toContainText(join(benchtop.workspace, folder));
  }
  await screenshot(page, testInfo, 'settings-workspace');
  expect(consoleErrors).toEqual([]);
});

test('Choose… explains that the browser has no folder dialog, and the text field still works', async ({ app: page, consoleErrors }) => {
  await goTo(page, 'settings', 'Settings');
  const form = switchForm(page);
  await form.getByRole('textbox', { name: 'Folder' }).fill('/typed/by/hand');
  await form.getByRole('button', { name: 'Choose…' }).click();
  await expect(page.getByTestId('dialog-note')).toHaveText(/Native file dialogs exist only in the desktop app; in the browser, type or paste the path instead\./);
  await expect(form.getByRole('alert')).toHaveCount(0); // a note, not an error
  await expect(form.getByRole('textbox', { name: 'Folder' })).toHaveValue('/typed/by/hand');
  await expect(form.getByRole('textbox', { name: 'Folder' })).toBeEditable();
  expect(unexpected(consoleErrors, [501])).toEqual([]);
});

test('switching to a non-empty folder that is no workspace is refused, inline', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  const cluttered = benchtop.tempDir('not-a-workspace');
  writeFileSync(join(cluttered, 'notes.txt'), 'my thesis\n');
  await goTo(page, 'settings', 'Settings');
  const form = switchForm(page);
  await form.getByRole('textbox', { name: 'Folder' }).fill(cluttered);
  await form.getByRole('button', { name: 'Open workspace' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toContainText(`${cluttered} is not empty and holds no benchtop.db`);
  await expect(alert).toContainText('Not possible');
  await expect(alert).not.toContainText('conflict'); // the code is for bug reports, not for the bench
  await expect(alert).toHaveAttribute('data-code', 'conflict');
  await expect(form.getByRole('textbox', { name: 'Folder' })).toHaveAttribute('aria-invalid', 'true');
  // Nothing changed: same workspace, nothing written into the folder.
  await expect(page.getByTestId('header-workspace')).toHaveText(benchtop.workspace);
  expect(existsSync(join(cluttered, 'benchtop.db'))).toBe(false);
  await screenshot(page, testInfo, 'settings-conflict');
  expect(unexpected(consoleErrors, [409])).toEqual([]);
});

test('an empty path is caught before it is sent', async ({ app: page }) => {
  await goTo(page, 'settings', 'Settings');
  await switchForm(page).getByRole('button', { name: 'Open workspace' }).click();
  await expect(switchForm(page).getByRole('alert')).toContainText('Type or paste the path of the folder to open.');
});

test('switching to a new empty folder opens it everywhere, and switching back works', async ({ app: page, benchtop, consoleErrors }) => {
  const fresh = join(benchtop.tempDir('switch'), 'new-workspace');
  mkdirSync(fresh);
  await goTo(page, 'settings', 'Settings');
  const form = switchForm(page);
  await form.getByRole('textbox', { name: 'Folder' }).fill(fresh);
  await form.getByRole('button', { name: 'Open workspace' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Now working in' })).toContainText(fresh);
  await expect(page.getByTestId('header-workspace')).toHaveText(fresh);
  await expect(page.getByTestId('settings-workspace-path')).toHaveText(fresh);
  await expect(page.getByTestId('settings-workspace-source')).toHaveText('Switched here in Settings');
  // The cards that read the database show the new one's, without a reload.
  await expect(page.getByText(/^Schema v\d+ · \d+ tables/)).toBeVisible();
  await expect(lookupForm(page).getByRole('combobox', { name: 'Table' }).locator('option')).not.toHaveCount(0);
  await expect(lookupForm(page).getByRole('combobox', { name: 'Table' })).toHaveValue('lk_sequencing_kits');
  expect(existsSync(join(fresh, 'benchtop.db'))).toBe(true);
  // Remembered in the (temporary) config dir, never the user's own.
  expect(JSON.parse(readFileSync(join(benchtop.configDir, 'settings.json'), 'utf8'))).toMatchObject({ workspace: fresh });

  await goTo(page, 'dashboard', 'Dashboard');
  await expect(page.getByTestId('workspace-path')).toHaveText(fresh);
  await expect(page.getByTestId('figure-experiments-value')).toHaveText('0');

  // Back to the fixture's workspace (an existing one), so the rest of this file sees it.
  await goTo(page, 'settings', 'Settings');
  await switchForm(page).getByRole('textbox', { name: 'Folder' }).fill(benchtop.workspace);
  await switchForm(page).getByRole('button', { name: 'Open workspace' }).click();
  await expect(page.getByTestId('header-workspace')).toHaveText(benchtop.workspace);
  await expect(page.getByText(/^Schema v\d+ · \d+ tables/)).toBeVisible();
  await expect(lookupForm(page).getByRole('combobox', { name: 'Table' }).locator('option')).not.toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('"Back up database now" writes a backup and shows where, and how big', async ({ app: page, benchtop, consoleErrors }) => {
  await goTo(page, 'settings', 'Settings');
  await page.getByRole('button', { name: 'Back up database now' }).click();
  const result = page.getByTestId('backup-result');
  await expect(result).toContainText(join(benchtop.workspace, 'backups', 'benchtop-'));
  const path = /Backed up to (\S+\.db)/.exec((await result.textContent()) ?? '')?.[1] ?? '';
  expect(existsSync(path)).toBe(true);
  await expect(result).toContainText(`(${formatBytes(statSync(path).size)})`);
  expect(consoleErrors).toEqual([]);
});

test('a new sequencing kit added in Settings is listed on the Libraries page', async ({ app: page, consoleErrors }, testInfo) => {
  await goTo(page, 'settings', 'Settings');
  const form = lookupForm(page);
  await form.getByRole('combobox', { name: 'Table' }).selectOption('lk_sequencing_kits');
  await expect(form.getByRole('combobox', { name: 'Table' })).toContainText('Sequencing kits (7)');
  await form.getByLabel('kit_id').fill('SQK-E2E114.24');
  await form.getByLabel('kit_name').fill('End-to-end Barcoding Kit 24');
  await form.getByLabel('kit_type').fill('ligation');
  await form.getByLabel('barcoding').fill('1');
  await form.getByLabel('barcode_count').fill('24');
  await form.getByLabel('description').fill('Added by the e2e test');
  await form.getByRole('button', { name: 'Add row' }).click();
  await expect(form.getByRole('status')).toContainText('Added SQK-E2E114.24 to Sequencing kits.');
  await expect(form.getByRole('combobox', { name: 'Table' })).toContainText('Sequencing kits (8)');
  await expect(form.getByLabel('kit_id')).toHaveValue('');
  await screenshot(page, testInfo, 'settings-lookup-added');

  await form.getByRole('link', { name: 'See it on Libraries' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Libraries' })).toBeVisible();
  await page.getByTestId('lookup-table-lk_sequencing_kits').click();
  await expect(page.getByTestId('lookup-table-lk_sequencing_kits')).toHaveAttribute('aria-pressed', 'true');
  const rows = page.getByTestId('lookup-rows-lk_sequencing_kits').locator('tbody tr');
  await expect(rows).toHaveCount(8);
  const added = rows.filter({ hasText: 'SQK-E2E114.24' });
  await expect(added.locator('td')).toHaveText(['SQK-E2E114.24', 'End-to-end Barcoding Kit 24', 'ligation', '1', '24', '—', 'Added by the e2e test']);
  await screenshot(page, testInfo, 'libraries-sequencing-kits');
  expect(consoleErrors).toEqual([]);
});

test('adding a kit that exists, or with bad fields, shows the error inline', async ({ app: page, consoleErrors }) => {
  await goTo(page, 'settings', 'Settings');
  const form = lookupForm(page);
  await form.getByRole('combobox', { name: 'Table' }).selectOption('lk_sequencing_kits');

  await form.getByLabel('kit_id').fill('SQK-LSK114');
  await form.getByRole('button', { name: 'Add row' }).click();
  await expect(form.getByRole('alert')).toContainText('lk_sequencing_kits already has kit_id "SQK-LSK114".');
  await expect(form.getByRole('alert')).toHaveAttribute('data-code', 'conflict');

  await form.getByLabel('kit_id').fill('SQK-NEW');
  await form.getByLabel('barcode_count').fill('twenty');
  await form.getByRole('button', { name: 'Add row' }).click();
  await expect(form.getByRole('alert')).toContainText('barcode_count of lk_sequencing_kits must be a whole number, not "twenty".');

  await form.getByLabel('kit_id').fill('');
  await form.getByLabel('barcode_count').fill('');
  await form.getByRole('button', { name: 'Add row' }).click();
  await expect(form.getByRole('alert')).toContainText('kit_id is required to add a row to lk_sequencing_kits.');
  expect(unexpected(consoleErrors, [400, 409])).toEqual([]);
});

test.describe('theme override', () => {
  test.use({ colorScheme: 'dark' });

  test('Light pins the light theme over a dark OS, survives a reload, and System gives it back', async ({ app: page, benchtop }, testInfo) => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const darkBg = await background();
    await goTo(page, 'settings', 'Settings');
    const theme = page.getByRole('group', { name: 'Theme' });
    await expect(theme.getByRole('radio', { name: 'System' })).toBeChecked();
    await expect(theme).toContainText('now dark');

    await theme.getByRole('radio', { name: 'Light' }).check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect.poll(background).not.toBe(darkBg);
    const lightBg = await background();
    await screenshot(page, testInfo, 'settings-light-override');

    await page.goto(`${benchtop.origin}/#/settings`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    expect(await background()).toBe(lightBg);
    await expect(page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Light' })).toBeChecked();

    await page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'System' }).check();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
    expect(await background()).toBe(darkBg);
  });
});

test('the number of jobs at once is set in Settings and kept for the next start', async ({ app: page, benchtop, consoleErrors }) => {
  await goTo(page, 'settings', 'Settings');
  const input = page.getByTestId('max-jobs');
  await expect(input).not.toHaveValue('');
  await input.fill('0');
  await page.getByRole('form', { name: 'Jobs at once' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('from 1 to 64');
  await input.fill('3');
  await page.getByRole('form', { name: 'Jobs at once' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('max-jobs-saved')).toHaveText('Up to 3 jobs run at once.');
  await page.reload();
  await expect(page.getByTestId('max-jobs')).toHaveValue('3');
  expect(JSON.parse(readFileSync(join(benchtop.configDir, 'settings.json'), 'utf8'))).toMatchObject({ maxConcurrentJobs: 3 });
  expect(consoleErrors).toEqual([]);
});
