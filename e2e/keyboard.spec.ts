import { test, expect } from './fixtures';

test('keyboard only: skip link, Tab to the navigation, Enter switches page, g + letter shortcuts', async ({ app: page, consoleErrors }) => {
  // First Tab: the skip link appears; Enter jumps to the content without touching the route.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeFocused();
  expect(new URL(page.url()).hash).toBe('');

  // From the top again (a fresh load): Tab into the navigation until "Runs" has focus, then Enter.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const runs = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' });
  for (let i = 0; i < 12 && !(await runs.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(runs).toBeFocused();
  // The focus ring is visible.
  const outline = await runs.evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);

  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
  await expect(page).toHaveURL(/#\/runs$/);
  await expect(runs).toHaveAttribute('aria-current', 'page');
  // Focus moved to the new page's heading, so the next Tab continues in the content.
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeFocused();

  // `g` then a letter (Alt+digit is the browser's tab switcher on Linux): g s = Settings, g l = Libraries.
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page).toHaveURL(/#\/settings$/);
  // Typed into a field, g d is text, not a shortcut.
  // A field of the lookup-row form, once the form has its fields (they come with the lookup tables).
  const field = page.getByRole('form', { name: 'Add a lookup row' }).getByRole('textbox').first();
  await expect(field).toBeVisible();
  await field.focus();
  await page.keyboard.type('gd');
  await expect(field).toHaveValue(/gd$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).focus();
  await page.keyboard.press('g');
  await page.keyboard.press('l');
  await expect(page.getByRole('heading', { level: 1, name: 'Libraries' })).toBeVisible();
  // Alt+digit is left to the browser.
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('heading', { level: 1, name: 'Libraries' })).toBeVisible();

  // The lookup tables are buttons: Tab to one, Space selects it.
  const flowCells = page.getByTestId('lookup-table-lk_flow_cells');
  await flowCells.focus();
  await page.keyboard.press('Space');
  await expect(flowCells).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('lookup-rows-lk_flow_cells')).toBeVisible();

  await page.keyboard.press('g');
  await page.keyboard.press('d');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});
