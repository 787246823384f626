// End-to-end: an automated accessibility audit (axe-core) of every view a
// person reaches — the main view with annotations, each dialog, the open
// Export menu, the Library, the phone sheet — in light and dark. No serious
// or critical violation may remain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { suite, openApp, dragOver, panelItems, within, WAIT_MS } from './helpers.mjs';

const env = suite();
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Run axe on the page; the serious and critical violations, in words. */
async function audit(page, what) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: axePath });
  }
  const result = await within(page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  }), WAIT_MS, `axe's audit of ${what}`);
  assert.deepEqual(result, [], `${what}:\n${result.join('\n')}`);
}

const IMPORT = JSON.stringify({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  type: 'Annotation',
  body: [{ type: 'TextualBody', purpose: 'tagging', value: 'claim' }],
  target: { selector: { type: 'TextQuoteSelector', exact: 'Caracas to assess' } },
});

for (const scheme of ['light', 'dark']) {
  test(`no serious accessibility violation anywhere (${scheme})`, async () => {
    // bypassCSP: the audit's own script is injected into the page, which the
    // app's policy (rightly) refuses; the app itself runs as it always does.
    const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const { page, errors } = await openApp(env.browser, env.server.url, context);
    await audit(page, 'the empty main view');

    // Annotations of every tag, a verdict and an orphan-free panel.
    for (const [text, key] of [['Maduro and flew him', 'f'], ['Caracas to assess', 'q'], ['oil leverage', 'a']]) {
      await dragOver(page, text);
      await page.keyboard.press(key);
    }
    await panelItems(page).nth(2).waitFor();
    const fact = panelItems(page).filter({ hasText: 'Maduro and flew him' });
    await fact.getByLabel('Verdict').selectOption('true');
    await fact.getByLabel('Verdict').blur();
    await audit(page, 'the main view with annotations');

    await dragOver(page, 'Delcy Rodríguez');
    await page.getByRole('toolbar', { name: 'Tag the selection' }).waitFor();
    await audit(page, 'the selection toolbar');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('group', { name: 'Export' }).waitFor();
    await audit(page, 'the open Export menu');
    await page.keyboard.press('Escape');

    await page.locator('details.library > summary').click();
    await page.locator('.lib-list').waitFor();
    await audit(page, 'the Library');
    await page.getByRole('button', { name: /^Rename/ }).first().click();
    await audit(page, 'the Library while renaming');
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    await page.getByRole('dialog').waitFor();
    await audit(page, 'the keyboard shortcuts dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Paste article' }).click();
    await page.getByRole('dialog').waitFor();
    await audit(page, 'the paste dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Team', exact: true }).click();
    await page.getByRole('dialog', { name: 'Team' }).waitFor();
    await audit(page, 'the team dialog');
    await page.keyboard.press('Escape');

    // Print asks once for the name on the report.
    await page.evaluate(() => { window.print = () => {}; });
    await page.getByRole('button', { name: 'Print', exact: true }).click();
    const ask = page.getByRole('dialog', { name: 'Your name on the report' });
    await ask.waitFor();
    await audit(page, 'the print name dialog');
    // Its controls are 44 px targets, and focus starts in the name field.
    const heights = await ask.locator('button, input').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    assert.ok(heights.every((h) => h >= 44), `targets under 44 px: ${heights}`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'print-name');
    // Cancel (as Escape does) closes it, prints nothing and gives focus back to Print.
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => window.__printed), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Print');

    await page.getByRole('button', { name: 'Article details' }).click();
    await page.getByRole('dialog', { name: 'Article details' }).waitFor();
    await audit(page, 'the article details dialog (with its language)');
    await page.keyboard.press('Escape');
    // Search all, with results; the Link dialog; an item with a link and
    // its backlink; a fact checked before.
    await page.getByRole('button', { name: 'Search all articles' }).click();
    const search = page.getByRole('dialog', { name: 'Search all annotations' });
    await search.getByRole('searchbox').pressSequentially('a', { delay: 20 });
    await search.getByRole('list', { name: 'Results' }).getByRole('listitem').first().waitFor();
    await audit(page, 'the Search all dialog with results');
    await page.keyboard.press('Escape');
    await panelItems(page).filter({ hasText: 'Caracas to assess' }).locator('.item-select').click();
    await page.keyboard.press('l');
    const linking = page.getByRole('dialog', { name: /^Link “/ });
    await linking.getByRole('searchbox').pressSequentially('maduro', { delay: 20 });
    await audit(page, 'the Link dialog');
    await linking.getByRole('button', { name: /^Link: fact/ }).click();
    await fact.getByRole('button', { name: /^Go to supported by/ }).waitFor();
    await dragOver(page, 'Maduro and flew');
    await page.keyboard.press('f');
    await page.getByRole('region', { name: 'Checked before' }).waitFor();
    await audit(page, 'items with links, a backlink and a fact checked before');
    await page.keyboard.press('Control+z');

    await page.getByLabel('Import annotations').setInputFiles({
      name: 'one.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from(IMPORT),
    });
    await page.getByRole('dialog').waitFor();
    await audit(page, 'the import dialog');
    await page.keyboard.press('Escape');

    // A new version of the open article: the new-version dialog.
    const text = await page.evaluate(() => document.querySelector('article').innerText);
    await page.getByRole('button', { name: 'Paste article' }).click();
    await page.getByLabel('Article text').fill('U.S. and Venezuela Begin Restoring Diplomatic Ties\n\n' + text.replace('Caracas', 'the capital'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const version = page.getByRole('dialog', { name: 'A new version?' });
    await version.waitFor();
    await audit(page, 'the new-version dialog');
    await page.keyboard.press('Escape');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`the pre-rendered page, before the wasm has arrived, passes the audit (${scheme})`, async () => {
    for (const options of [{ viewport: { width: 1280, height: 900 } }, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }]) {
      const context = await env.browser.newContext({ colorScheme: scheme, bypassCSP: true, ...options });
      const page = await context.newPage();
      await page.route(/_bg\.wasm$/, (route) => route.abort());
      await page.goto(env.server.url);
      await page.waitForLoadState('load');
      // The same accessible page: one <article> with its <h1>, under a
      // header that cannot be used yet (inert, so it is not offered).
      assert.equal(await page.locator('article').count(), 1);
      assert.equal(await page.locator('article h1').count(), 1);
      assert.equal(await page.locator('header.topbar[inert]').count(), 1);
      await audit(page, `the pre-rendered page at ${options.viewport.width} px`);
      await context.close();
    }
  });

  test(`an Arabic article, right to left, with annotations passes the audit (${scheme})`, async () => {
    const context = await env.browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const { page, errors } = await openApp(env.browser, env.server.url, context);
    await page.getByLabel('Open article').setInputFiles('tests/fixtures/scripts/ar-news.html');
    await page.locator('article[dir=rtl] h1').waitFor();
    for (const [text, key] of [['BBC Arabic', 'f'], ['ردود فعل', 'q']]) {
      await dragOver(page, text);
      await page.keyboard.press(key);
    }
    await panelItems(page).nth(1).waitFor();
    await audit(page, 'the Arabic article with annotations');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`the phone view and its sheet pass the audit too (${scheme})`, async () => {
    const context = await env.browser.newContext({
      colorScheme: scheme, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true,
    });
    const { page } = await openApp(env.browser, env.server.url, context);
    await dragOver(page, 'Caracas to assess');
    await page.getByRole('toolbar', { name: 'Tag the selection' }).getByRole('button', { name: /^Fact/ }).tap();
    await page.getByRole('region', { name: 'Current annotation' }).waitFor();
    await audit(page, 'the phone view with the sheet');
    await context.close();
  });
}
