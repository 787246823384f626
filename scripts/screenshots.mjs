// The README's screenshots: the release build at 1280 px and on a 390 × 844
// phone, light and dark, with a few annotations. `make screenshots`.
import { mkdir } from 'node:fs/promises';
import { serve, launch, openApp, dragOver } from '../tests/e2e/helpers.mjs';

const out = 'docs';
await mkdir(out, { recursive: true });
const server = await serve('dist');
const browser = await launch();
const shots = [
  { name: 'desktop', viewport: { width: 1280, height: 860 }, mobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, mobile: true },
];
try {
  for (const scheme of ['light', 'dark']) {
    for (const s of shots) {
      const context = await browser.newContext({
        viewport: s.viewport, deviceScaleFactor: 1, isMobile: s.mobile, hasTouch: s.mobile, colorScheme: scheme,
      });
      const { page } = await openApp(browser, server.url, context);
      for (const [text, key] of [['Maduro and flew him', 'f'], ['Caracas to assess', 'q'], ['oil leverage', 'a']]) {
        await dragOver(page, text);
        await page.keyboard.press(key);
        // On the phone the new annotation opens in the sheet: close it to read on.
        const close = page.getByRole('region', { name: 'Current annotation' }).getByRole('button', { name: 'Close' });
        if (s.mobile) await close.click();
      }
      const fact = page.getByRole('region', { name: 'Annotations' }).getByRole('listitem').filter({ hasText: 'Maduro' });
      await fact.getByLabel('Verdict').selectOption('mostly-true');
      await fact.getByLabel('Note').fill('Confirmed by two agencies; see sources.');
      await fact.getByLabel('Note').blur();
      await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('.side').scrollTop = 0; });
      if (s.mobile) {
        // The phone shows the annotation being edited in its sheet.
        await page.locator('.items .item-select').filter({ hasText: 'Maduro' }).click();
      } else {
        await page.keyboard.press('Escape');
      }
      await page.screenshot({ path: `${out}/${s.name}-${scheme}.png` });
      console.log(`${out}/${s.name}-${scheme}.png`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
