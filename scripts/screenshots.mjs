// The README's screenshots: the release build at 1280 px and on a 390 × 844
// phone, light and dark, with a few annotations; then an Arabic and a
// Chinese article the same ways (docs/scripts-*.png). `make screenshots`;
// `node scripts/screenshots.mjs --scripts` takes only the latter.
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
const onlyScripts = process.argv.includes('--scripts');

/** Select `needle` in the article (a DOM range, as a drag leaves it). */
async function select(page, needle) {
  await page.evaluate((needle) => {
    const w = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const at = n.data.indexOf(needle);
      if (at < 0) continue;
      const r = document.createRange();
      r.setStart(n, at);
      r.setEnd(n, at + needle.length);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      return;
    }
    throw new Error(`${needle} is not in the article`);
  }, needle);
  await page.waitForFunction(() => document.querySelector('.sel-toolbar'));
}

/** Articles in other scripts: Arabic (right to left) and Chinese. */
const SCRIPTS = [
  {
    name: 'arabic', file: 'tests/fixtures/scripts/ar-news.html', headline: 'القاهرة',
    tags: [['مدينة العاشر من رمضان', 'f'], ['BBC Arabic', 'q'], ['سارة عبد الله', 'a']],
    note: 'الرقم من وزارة المالية، ولم تؤكده الهيئة بعد.',
  },
  {
    name: 'chinese', file: 'tests/fixtures/scripts/zh-news.txt', headline: '成都地铁',
    tags: [['天府国际机场', 'f'], ['全自动驾驶系统', 'q'], ['票价', 'a']],
    note: '核对：集团公告写的是约43公里。',
  },
];

async function scriptShots(scheme, s) {
  for (const art of SCRIPTS) {
    const context = await browser.newContext({
      viewport: s.viewport, deviceScaleFactor: 1, isMobile: s.mobile, hasTouch: s.mobile, colorScheme: scheme,
    });
    const { page } = await openApp(browser, server.url, context);
    await page.getByLabel('Open article').setInputFiles(art.file);
    await page.locator('article h1', { hasText: art.headline }).waitFor();
    for (const [text, key] of art.tags) {
      await select(page, text);
      await page.keyboard.press(key);
      const close = page.getByRole('region', { name: 'Current annotation' }).getByRole('button', { name: 'Close' });
      if (s.mobile) await close.click();
    }
    const fact = page.getByRole('region', { name: 'Annotations' }).getByRole('listitem').filter({ hasText: art.tags[0][0] });
    await fact.getByLabel('Verdict').selectOption('mostly-true');
    await fact.getByLabel('Note').fill(art.note);
    await fact.getByLabel('Note').blur();
    await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('.side').scrollTop = 0; });
    if (s.mobile) await page.locator('.items .item-select').filter({ hasText: art.tags[0][0] }).click();
    else await page.keyboard.press('Escape');
    const path = `${out}/scripts-${art.name}-${s.name}-${scheme}.png`;
    await page.screenshot({ path });
    console.log(path);
    await context.close();
  }
}

try {
  for (const scheme of ['light', 'dark']) {
    for (const s of shots) await scriptShots(scheme, s);
    if (onlyScripts) continue;
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
