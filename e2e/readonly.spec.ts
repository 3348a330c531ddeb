import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { mountTmpfs, type TestMount } from '../tests/mounts';
import { test, expect, goTo, screenshot } from './fixtures';

const probe = mountTmpfs(1024 * 1024);
probe.mount?.cleanup();
if (probe.skip) console.log(probe.skip);

test.describe.configure({ mode: 'serial' });

test.describe('a read-only workspace', () => {
  test.skip(probe.skip !== null, probe.skip ?? '');
  let mount: TestMount | null = null;

  test.beforeAll(({ benchtop }) => {
    const made = mountTmpfs(32 * 1024 * 1024);
    if (!made.mount) throw new Error(made.skip);
    mount = made.mount;
    benchtop.cli(['init', '--workspace', mount.workspace]);
    const spec = join(benchtop.tempDir('readonly'), 'panel.yaml');
    writeFileSync(spec, 'format: benchtop-library\nformat_version: 1\nlib_id: LIB-RO\nlib_name: plasmid panel\n');
    benchtop.cli(['libraries', 'import', spec, '--workspace', mount.workspace]);
    mount.readOnly();
  });

  test.afterAll(() => {
    // The server may still hold the database open: the mount goes once it lets go.
    mount?.cleanup();
  });

  async function openReadOnlyWorkspace(page: Page, dir: string): Promise<void> {
    await goTo(page, 'settings', 'Settings');
    const form = page.getByRole('form', { name: 'Open another workspace' });
    await form.getByRole('textbox', { name: 'Folder' }).fill(dir);
    await form.getByRole('button', { name: 'Open workspace' }).click();
    await expect(page.getByTestId('header-workspace')).toHaveText(dir);
  }

  test('shows a banner on every page and turns the writing actions off', async ({ app: page, consoleErrors }, testInfo) => {
    const dir = mount!.workspace;
    await openReadOnlyWorkspace(page, dir);
    const banner = page.getByTestId('read-only-banner');
    await expect(banner).toHaveText(`This workspace is read-only (${dir} is on a disk mounted read-only): you can browse it; creating, importing and launching are off.`);

    await expect(page.getByRole('button', { name: 'Back up database now' })).toBeDisabled();
    await expect(page.getByRole('form', { name: 'Add a lookup row' }).getByRole('button', { name: 'Add row' })).toBeDisabled();

    await goTo(page, 'libraries', 'Libraries');
    await expect(banner).toBeVisible();
    await expect(page.getByText('plasmid panel')).toBeVisible();
    await expect(page.getByRole('button', { name: 'New library spec' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Import…' })).toBeDisabled();
    await screenshot(page, testInfo, 'readonly-libraries');

    await goTo(page, 'runs', 'Runs');
    await expect(banner).toBeVisible();
    await expect(page.getByRole('button', { name: 'New run' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Import…' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'New run' })).toHaveAttribute('title', `This workspace is read-only (${dir} is on a disk mounted read-only).`);

    await goTo(page, 'experiments', 'Experiments');
    await expect(banner).toBeVisible();
    await expect(page.getByTestId('discover-start')).toBeDisabled();

    await goTo(page, 'dashboard', 'Dashboard');
    await expect(banner).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('a writable workspace shows no banner and its actions are on', async ({ app: page, benchtop }) => {
    await goTo(page, 'settings', 'Settings');
    const form = page.getByRole('form', { name: 'Open another workspace' });
    await form.getByRole('textbox', { name: 'Folder' }).fill(benchtop.workspace);
    await form.getByRole('button', { name: 'Open workspace' }).click();
    await expect(page.getByTestId('header-workspace')).toHaveText(benchtop.workspace);
    await expect(page.getByTestId('read-only-banner')).toHaveCount(0);
    await goTo(page, 'runs', 'Runs');
    await expect(page.getByRole('button', { name: 'New run' })).toBeEnabled();
  });
});
