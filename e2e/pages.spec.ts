import { join } from 'node:path';
import { test, expect, goTo, screenshot } from './fixtures';

/** Each page, and one real value it must show for this (fresh) workspace. */
const PAGES = [
  { route: 'dashboard', heading: 'Dashboard', nav: 'Dashboard', testId: 'workspace-path', expected: (ws: string) => ws },
  { route: 'libraries', heading: 'Libraries', nav: 'Libraries', testId: 'library-count', expected: () => '0 library specifications in this workspace.' },
  { route: 'experiments', heading: 'Experiments', nav: 'Experiments', testId: 'experiment-count', expected: () => '0 experiments in this workspace.' },
  { route: 'runs', heading: 'Runs', nav: 'Runs', testId: 'run-count', expected: () => '0 analysis runs in this workspace.' },
  { route: 'tools', heading: 'Tools', nav: 'Tools', testId: 'steps-dir', expected: (ws: string) => join(ws, 'steps') },
  { route: 'settings', heading: 'Settings', nav: 'Settings', testId: 'settings-workspace-path', expected: (ws: string) => ws },
] as const;

/** Relative luminance of a CSS rgb() colour, 0 (black) … 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((c) => c / 255);
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

test.describe('every page, light (the OS theme)', () => {
  test.use({ colorScheme: 'light' });

  for (const p of PAGES) {
    test(`${p.heading} loads without console errors and shows its heading`, async ({ app: page, consoleErrors, benchtop }, testInfo) => {
      await goTo(page, p.route, p.heading);
      await expect(page).toHaveTitle(`${p.heading} · Benchtop`);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('link', { name: p.nav })).toHaveAttribute('aria-current', 'page');
      await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
      await expect(page.getByTestId('header-workspace')).toHaveText(benchtop.workspace);
      await expect(page.getByTestId('connection')).toContainText('Connected');
      await expect(page.getByTestId(p.testId)).toHaveText(p.expected(benchtop.workspace));
      await screenshot(page, testInfo, p.route);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor).then(luminance)).toBeGreaterThan(0.85);
      expect(consoleErrors).toEqual([]);
    });
  }

  test('an unknown address shows "Page not found" with a way back', async ({ app: page, consoleErrors }) => {
    await page.evaluate(() => (window.location.hash = '/no-such-page'));
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the Dashboard' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });
});

test('a basecall run that does not exist says so and waits for nothing more', async ({ app: page, consoleErrors }) => {
  await page.evaluate(() => (window.location.hash = '/reads/nope'));
  await expect(page.getByRole('alert')).toContainText('There is no basecall run "nope".');
  await expect(page.locator('[data-placeholder]')).toHaveCount(0);
  expect(consoleErrors.filter((e) => !e.includes('status of 404'))).toEqual([]);
});

test('leaving a detail page for another kind of page asks nothing with the new id', async ({ app: page }) => {
  const asked: string[] = [];
  page.on('request', (r) => {
    const op = /\/api\/op\/([^?]+)/.exec(r.url())?.[1];
    if (op) asked.push(`${decodeURIComponent(op)} ${r.postData() ?? ''}`);
  });
  for (const [from, to] of [
    ['/runs/run-a', '/reads/basecall-b'],
    ['/experiments/exp-a', '/compare/exp-b'],
    ['/libraries/lib-a', '/reads/basecall-c'],
    ['/reads/basecall-d', '/experiments/exp-e'],
  ] as const) {
    // Opened fresh at the detail page (a reload there), the page follows the hash from the start.
    await page.evaluate((h) => (window.location.hash = h), from);
    await page.reload();
    await expect(page.getByRole('alert').first()).toBeVisible();
    await page.evaluate((h) => (window.location.hash = h), to);
    await expect(page.getByRole('alert').first()).toBeVisible();
    const id = to.split('/')[2]!;
    const kind = to.split('/')[1]!;
    const wrong = asked.filter((a) => a.includes(id) && !a.startsWith(kind === 'compare' ? 'reads.compare' : kind === 'experiments' ? 'experiments.' : `${kind}.`));
    expect(wrong, `after ${from} → ${to}`).toEqual([]);
  }
});

test.describe('every page, dark (the OS theme)', () => {
  test.use({ colorScheme: 'dark' });

  for (const p of PAGES) {
    test(`${p.heading} in dark`, async ({ app: page, consoleErrors }, testInfo) => {
      await goTo(page, p.route, p.heading);
      // The OS says dark and nothing overrides it: dark surfaces, light text.
      await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
      const [bg, fg] = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
      expect(luminance(bg)).toBeLessThan(0.15);
      expect(luminance(fg)).toBeGreaterThan(0.75);
      await screenshot(page, testInfo, `${p.route}-dark`);
      expect(consoleErrors).toEqual([]);
    });
  }
});
