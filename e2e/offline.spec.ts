import { test, expect, screenshot } from './fixtures';

// Its own file: the test stops this file's server.
test('when benchtop serve stops, the header says Disconnected and the Dashboard says why', async ({ app: page, benchtop }, testInfo) => {
  await expect(page.getByTestId('connection')).toContainText('Connected');
  await expect(page.getByTestId('figure-experiments-value')).toHaveText('0');

  await benchtop.stop();
  // The next 5-second refresh finds nobody there.
  await expect(page.getByTestId('connection')).toContainText('Disconnected', { timeout: 10_000 });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText("Benchtop's server did not answer");
  await expect(alert).toContainText('Could not refresh: the figures below are from');
  // The last figures stay, and the time says how old they are.
  await expect(page.getByTestId('figure-experiments-value')).toHaveText('0');
  const stale = await page.getByText(/^Updated \d\d:\d\d:\d\d · every 5 s$/).textContent();
  await page.waitForTimeout(5_500);
  await expect(page.getByText(/^Updated \d\d:\d\d:\d\d · every 5 s$/)).toHaveText(stale ?? '');
  await screenshot(page, testInfo, 'dashboard-offline');
});
