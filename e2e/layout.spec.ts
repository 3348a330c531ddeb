import type { Page } from '@playwright/test';
import { test, expect, goTo } from './fixtures';

/** At a small laptop's window: no control past the right edge, and every table wider than its box says so. */
test.use({ viewport: { width: 1024, height: 700 } });

async function clippedButtons(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const right = main ? main.getBoundingClientRect().right : window.innerWidth;
    return Array.from(document.querySelectorAll<HTMLElement>('main button, main a.button'))
      .filter((b) => b.offsetParent !== null && !b.closest('.table-scroll'))
      .filter((b) => b.getBoundingClientRect().right > right + 0.5)
      .map((b) => b.textContent?.trim() ?? '?');
  });
}

async function uncuedTables(page: Page): Promise<number> {
  return page.evaluate(
    () => Array.from(document.querySelectorAll<HTMLElement>('.table-scroll')).filter((t) => t.scrollWidth > t.clientWidth + 1 && t.scrollLeft === 0 && !t.closest('[data-more-right]')).length,
  );
}

test('a library spec at 1024×700: its header buttons fit, wide tables show they scroll', async ({ app: page, consoleErrors }) => {
  await goTo(page, 'libraries', 'Libraries');
  await page.getByRole('button', { name: 'New library spec' }).click();
  const form = page.getByTestId('new-library');
  await form.locator('[data-field="lib_name"]').fill('A rather long library specification name for a small window');
  await form.locator('[data-field="pore_type"]').selectOption('R10.4.1');
  await form.locator('[data-field="flow_cell_type"]').selectOption('FLO-MIN114');
  await form.locator('[data-field="sequencing_kit"]').selectOption('SQK-LSK114');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('button', { name: /^New version/ })).toBeVisible();
  expect(await clippedButtons(page)).toEqual([]);
  expect(await uncuedTables(page)).toBe(0);

  for (const [route, heading] of [
    ['libraries', 'Libraries'],
    ['experiments', 'Experiments'],
    ['runs', 'Runs'],
    ['tools', 'Tools'],
    ['settings', 'Settings'],
  ] as const) {
    await goTo(page, route, heading);
    await expect.poll(() => clippedButtons(page), { message: route }).toEqual([]);
    await expect.poll(() => uncuedTables(page), { message: route }).toBe(0);
    if (route === 'libraries') {
      // The lookup tables have more columns than fit: the shadow moves to the left once scrolled to the end.
      await expect(page.locator('[data-more-right]').first()).toBeVisible();
      const frames = page.getByTestId('scroll-frame');
      const index = await frames.evaluateAll((all) => all.findIndex((f) => f.hasAttribute('data-more-right')));
      const frame = frames.nth(index);
      await frame.locator('.table-scroll').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      await expect(frame).not.toHaveAttribute('data-more-right');
      await expect(frame).toHaveAttribute('data-more-left', 'true');
    }
  }
  expect(consoleErrors).toEqual([]);
});
