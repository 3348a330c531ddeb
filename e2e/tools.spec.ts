import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, goTo, screenshot } from './fixtures';

/** A user step that needs a tool no computer has: the Tools page must say how to install it. */
function writeStepNeedingMissingTool(workspace: string): void {
  const dir = join(workspace, 'steps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'phantom.json'),
    JSON.stringify({
      id: 'phantom',
      name: 'Phantom',
      description: 'Needs a tool that is not installed (a test step).',
      pipeline: 'testing',
      version: '1',
      tools: [{ name: 'phantomtool', versionArgs: ['--version'], debian: 'phantom-pkg', conda: 'bioconda::phantom' }],
      inputs: [],
      outputs: [],
      parameters: { type: 'object', additionalProperties: false, properties: {} },
      command: ['{tool.phantomtool}'],
    }),
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`tools (${scheme})`, () => {
    test.use({ colorScheme: scheme });

    test('lists every tool with its version, and a missing one with its install hint', async ({ app: page, benchtop, consoleErrors }, testInfo) => {
      writeStepNeedingMissingTool(benchtop.workspace);
      await goTo(page, 'tools', 'Tools');
      const cutadapt = page.getByTestId('tool-cutadapt');
      await expect(cutadapt).toHaveAttribute('data-found', 'true');
      await expect(page.getByTestId('version-cutadapt')).toHaveText(/\d+\.\d+/);
      await expect(cutadapt).toContainText('cutadapt');
      const phantom = page.getByTestId('tool-phantomtool');
      await expect(phantom).toHaveAttribute('data-found', 'false');
      await expect(phantom).toContainText('Missing');
      await expect(page.getByTestId('install-phantomtool')).toContainText('apt install phantom-pkg');
      await expect(page.getByTestId('install-phantomtool')).toContainText('conda install bioconda::phantom');
      await expect(page.getByTestId('steps-dir')).toHaveText(join(benchtop.workspace, 'steps'));
      await screenshot(page, testInfo, scheme === 'light' ? 'tools-page' : 'tools-page-dark');
      expect(consoleErrors).toEqual([]);
    });
  });
}

test('a bogus custom path is refused inline; a real one is used and can be cleared', async ({ app: page, consoleErrors }) => {
  await goTo(page, 'tools', 'Tools');
  const row = page.getByTestId('tool-cutadapt');
  await row.getByRole('button', { name: 'Set path' }).click();
  const form = page.getByRole('form', { name: 'Set the path of cutadapt' });
  await form.getByTestId('path-cutadapt').fill('/no/such/cutadapt');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('/no/such/cutadapt');
  await expect(form.getByTestId('path-cutadapt')).toHaveAttribute('aria-invalid', 'true');

  await form.getByTestId('path-cutadapt').fill('/usr/bin/cutadapt');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('Found (custom path)');
  await row.getByRole('button', { name: 'Set path' }).click();
  await page.getByRole('button', { name: 'Clear (use PATH)' }).click();
  await expect(row).not.toContainText('custom path');
  await expect(row).toContainText('Found');
  await page.getByTestId('tools-refresh').click();
  await expect(page.getByTestId('version-cutadapt')).toHaveText(/\d+\.\d+/);
  expect(consoleErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
});
