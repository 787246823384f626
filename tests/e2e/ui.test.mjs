// End-to-end: the interface at the sizes people use it — 1280 and 1440 px
// wide, and a 390 × 844 phone with touch — checked for what a person sees:
// nothing cut or overflowing, nothing hidden under the header, controls big
// enough to tap, and the annotation just made editable on the phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, panelItems, waitReady } from './helpers.mjs';

const env = suite();

/** Select the first occurrence of `needle` in the article with a DOM Range
 *  (how a long-press selection ends on a phone), and wait for the toolbar. */
async function selectInArticle(page, needle) {
  await page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.data.indexOf(needle);
      if (at >= 0) {
        const r = document.createRange();
        r.setStart(n, at);
        r.setEnd(n, at + needle.length);
        n.parentElement.scrollIntoView({ block: 'center' });
        getSelection().removeAllRanges();
        getSelection().addRange(r);
        return;
      }
    }
    throw new Error(`${needle} is not in the article`);
  }, needle);
  await page.getByRole('toolbar', { name: 'Tag the selection' }).waitFor();
}

/** Rectangles of every element matching `selector` that fall outside `box`. */
function outside(page, selector, boxSelector) {
  return page.evaluate(([selector, boxSelector]) => {
    const box = document.querySelector(boxSelector).getBoundingClientRect();
    return [...document.querySelectorAll(selector)]
      .map((el) => [el.textContent.trim() || el.getAttribute('aria-label'), el.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5))
      .map(([name, r]) => `${name}: ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}`);
  }, [selector, boxSelector]);
}

async function openLibrary(page) {
  await page.locator('details.library > summary').click();
  await page.locator('.lib-list').waitFor();
}

for (const width of [1280, 1440]) {
  test(`at ${width} px the library fits its column: no action cut, no sideways scroll`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height: 900 } });
    const { page, errors } = await openApp(env.browser, env.server.url, context);
    // A stored article with a long name, beside the seed.
    await selectInArticle(page, 'Caracas to assess');
    await page.keyboard.press('q');
    await page.getByRole('button', { name: 'Paste article' }).click();
    await page.getByLabel('Article text').fill('Intergovernmental reconciliation brings unprecedented internationally coordinated talks\n\nBody text.');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.locator('article h1').filter({ hasText: 'Intergovernmental reconciliation' }).waitFor();
    await openLibrary(page);
    assert.deepEqual(await outside(page, '.library button', '.side'), []);
    const sideways = await page.evaluate(() => {
      const side = document.querySelector('.side');
      return { side: side.scrollWidth - side.clientWidth, page: document.documentElement.scrollWidth - innerWidth };
    });
    assert.deepEqual(sideways, { side: 0, page: 0 });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('keyboard: the word the cursor selects is never under the sticky header', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openApp(env.browser, env.server.url, context);
  // Read down the page, then start the cursor: it goes to the first word.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.locator('article').focus({ preventScroll: true });
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => getSelection().toString() === 'U.S.');
  await page.waitForFunction(() => {
    const header = document.querySelector('header').getBoundingClientRect();
    const word = getSelection().getRangeAt(0).getBoundingClientRect();
    return word.top >= header.bottom && word.bottom <= innerHeight;
  }, null, { timeout: 5000 });
  await context.close();
});

test('keyboard: a dialog taller than the window opens at its top: focus on its heading, which is in view', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 600 } });
  const { page } = await openApp(env.browser, env.server.url, context);
  await page.locator('article').focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'help-title');
  const fits = await dialog.evaluate((d) => {
    const box = d.getBoundingClientRect();
    const h2 = d.querySelector('h2').getBoundingClientRect();
    return { tall: d.scrollHeight > d.clientHeight, top: d.scrollTop, heading: h2.top >= box.top && h2.bottom <= box.bottom };
  });
  assert.deepEqual(fits, { tall: true, top: 0, heading: true });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await context.close();
});

test('keyboard: Tab goes through the page with no trap; the skip link leads to the article', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page } = await openApp(env.browser, env.server.url, context);
  const seen = [];
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => {
      const a = document.activeElement;
      return `${a.tagName} ${a.getAttribute('aria-label') ?? a.textContent.trim().slice(0, 30)}`;
    }));
  }
  // Never the same control twice in a row: nothing holds Tab.
  const stuck = seen.filter((s, i) => i > 0 && s === seen[i - 1]);
  assert.deepEqual(stuck, [], seen.join(' → '));
  assert.ok(seen.some((s) => s.startsWith('ARTICLE')), `the article is reached: ${seen.join(' → ')}`);
  assert.match(seen[0], /Skip to the article/);
  await page.getByRole('link', { name: 'Skip to the article' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'ARTICLE');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => getSelection().toString() === 'U.S.');
  await context.close();
});

test('notes grow with their text and the search box shows its whole hint', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page } = await openApp(env.browser, env.server.url, context);
  await selectInArticle(page, 'Caracas to assess');
  await page.keyboard.press('f');
  const note = panelItems(page).first().getByLabel('Note');
  const before = (await note.boundingBox()).height;
  await note.fill('One line.\nTwo lines.\nThree lines.\nFour lines.\nFive lines.\nSix lines.');
  const after = (await note.boundingBox()).height;
  assert.ok(after > before * 1.8, `a six-line note grew from ${before} to only ${after} px`);
  const cut = await page.evaluate(() => {
    const input = document.querySelector('input[type=search]');
    const probe = document.createElement('span');
    const style = getComputedStyle(input);
    probe.style.font = style.font;
    probe.style.position = 'absolute';
    probe.textContent = input.placeholder;
    document.body.append(probe);
    const need = probe.getBoundingClientRect().width;
    probe.remove();
    const inner = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return need > inner ? `needs ${need}, has ${inner}` : '';
  });
  assert.equal(cut, '');
  await context.close();
});

test('on a 390 × 844 phone: a small header, big targets, menus on screen, and the new annotation editable in the sheet', async () => {
  const context = await env.browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  const header = await page.locator('header').boundingBox();
  assert.ok(header.height <= 844 * 0.15, `the header takes ${Math.round(header.height)} px`);
  // It scrolls away with the page.
  await page.evaluate(() => window.scrollTo(0, 600));
  const scrolled = await page.locator('header').boundingBox();
  assert.ok(scrolled.y + scrolled.height <= 0, 'the header stays on screen while reading');

  await selectInArticle(page, 'Caracas to assess');
  const tools = page.getByRole('toolbar', { name: 'Tag the selection' }).getByRole('button');
  for (const b of await tools.all()) {
    const box = await b.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `toolbar button ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  await tools.filter({ hasText: 'Fact' }).tap();
  const sheet = page.getByRole('region', { name: 'Current annotation' });
  await sheet.waitFor();
  assert.ok(await sheet.isVisible());
  const box = await sheet.boundingBox();
  assert.ok(box.y + box.height <= 844 + 1 && box.y >= 844 * 0.3, 'the sheet is on screen, at the bottom');
  await sheet.getByLabel('Note').tap();
  await sheet.getByLabel('Note').fill('Reported by two agencies');
  await sheet.getByLabel('Verdict').selectOption('mostly-true');
  await sheet.getByLabel('Note').blur();
  const item = panelItems(page).first();
  assert.equal(await item.getByLabel('Note').inputValue(), 'Reported by two agencies');
  assert.match(await item.textContent(), /Mostly true/);
  await sheet.getByRole('button', { name: 'Close' }).tap();
  await sheet.waitFor({ state: 'detached' });

  // The Export menu opens on screen.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'Export', exact: true }).tap();
  const menu = await page.getByRole('group', { name: 'Export' }).boundingBox();
  assert.ok(menu.x >= 0 && menu.x + menu.width <= 390, `menu at ${menu.x}–${menu.x + menu.width}`);
  await page.keyboard.press('Escape');

  // The paste dialog's controls fit it.
  await page.getByRole('button', { name: 'Paste article' }).tap();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.deepEqual(await outside(page, '[role=dialog] select, [role=dialog] textarea, [role=dialog] button', '[role=dialog]'), []);
  // Every control on the page is at least 44 px for a finger.
  await page.keyboard.press('Escape');
  const small = await page.evaluate(() => [...document.querySelectorAll('button, select, input, summary, .file-button')]
    .filter((el) => el.offsetParent && !el.closest('.visually-hidden'))
    .map((el) => [el.getAttribute('aria-label') || el.textContent.trim(), el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && (r.height < 44 || r.width < 44))
    .map(([n, r]) => `${n} ${Math.round(r.width)}×${Math.round(r.height)}`));
  assert.deepEqual(small, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload keeps the page working at phone size (no layout error after restore)', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await selectInArticle(page, 'Caracas to assess');
  await page.keyboard.press('a');
  await panelItems(page).first().waitFor();
  await page.reload();
  await waitReady(page);
  assert.equal(await panelItems(page).count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});
