import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, goTo, screenshot } from './fixtures';

const SQLITE3 = '/usr/bin/sqlite3';

test.describe.configure({ mode: 'serial' });

function shell(db: string, sql: string): string {
  return execFileSync(SQLITE3, [db, sql], { encoding: 'utf8' }).trim();
}

test('Settings lists the backups, takes one, and restores it after a typed confirmation', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  const db = join(benchtop.workspace, 'benchtop.db');
  await goTo(page, 'settings', 'Settings');
  const card = page.getByRole('region', { name: 'Backups', exact: true });
  await card.getByRole('button', { name: 'Back up database now' }).click();
  await expect(card.getByTestId('backup-result')).toContainText(join(benchtop.workspace, 'backups', 'benchtop-'));
  const table = card.getByTestId('backups-table');
  await expect(table.getByRole('row').filter({ hasText: 'By hand' })).toHaveCount(1);

  // A change made behind Benchtop's back, with the sqlite3 shell.
  shell(db, "INSERT INTO experiments (exp_id, sample_id) VALUES ('E2E_SHELL', 'S1')");
  expect(shell(db, "SELECT COUNT(*) FROM experiments WHERE exp_id = 'E2E_SHELL'")).toBe('1');

  await table.getByRole('row').filter({ hasText: 'By hand' }).getByRole('button', { name: /^Restore central database/ }).click();
  const confirm = card.getByRole('form', { name: 'Confirm the restore' });
  await expect(confirm).toContainText('replaces the central database (benchtop.db)');
  await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(confirm.getByRole('alert')).toContainText('Type "restore" to confirm.');
  await confirm.getByLabel(/Type .restore. to confirm/).fill('restore');
  await screenshot(page, testInfo, 'settings-backups-confirm');
  await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(card.getByTestId('restore-result')).toContainText(`Restored ${db}`);
  await expect(table.getByRole('row').filter({ hasText: 'Before a restore' })).toHaveCount(1);
  // The shell's row is gone: the database is as it was at the backup.
  expect(shell(db, "SELECT COUNT(*) FROM experiments WHERE exp_id = 'E2E_SHELL'")).toBe('0');
  await screenshot(page, testInfo, 'settings-backups');
  expect(consoleErrors).toEqual([]);
});

test('the Audit section shows row changes and actions, filtered', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
  const db = join(benchtop.workspace, 'benchtop.db');
  shell(db, "UPDATE lk_run_purposes SET description = 'Edited in the shell' WHERE purpose = (SELECT MIN(purpose) FROM lk_run_purposes)");
  await goTo(page, 'settings', 'Settings');
  const card = page.getByRole('region', { name: 'Audit', exact: true });
  const filters = card.getByRole('form', { name: 'Filter the audit trail' });
  await filters.getByLabel('Who').fill('sqlite3 shell');
  await filters.getByRole('button', { name: 'Filter' }).click();
  const rows = card.getByTestId('audit-table').locator('tbody tr');
  // Newest first: this edit, then the insert the restore undid (the trail keeps it).
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Changed');
  await expect(rows.first()).toContainText('lk_run_purposes');
  await expect(rows.first()).toContainText('→ Edited in the shell');
  await expect(rows.nth(1)).toContainText('Added');
  await expect(rows.nth(1)).toContainText('experiments E2E_SHELL');

  await filters.getByLabel('Who').fill('');
  await filters.getByLabel('Show').selectOption('actions');
  await filters.getByLabel('Operation').fill('db.restore');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('database benchtop.db');

  await filters.getByRole('button', { name: 'Clear' }).click();
  await filters.getByLabel('Table').selectOption('lk_run_purposes');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(rows.first()).toContainText('lk_run_purposes');
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, 'settings-audit');
  expect(consoleErrors).toEqual([]);
});
