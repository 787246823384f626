// End-to-end: across the library. "Search all" finds annotations in three
// articles, filters them and opens one; a link made between two articles
// shows at both ends, is followed with one click, survives a reload and an
// export imported into a fresh browser, says it is broken when an end is
// deleted (and Undo mends it); a near-duplicate claim shows as "checked
// before". (Team sync of a link: tests/e2e/team.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { suite, openApp, panelItems, waitUntil, waitReady, tag, moreFields } from './helpers.mjs';

const env = suite();

export const ARTICLES = {
  bridge: 'Bridge Report\n\nThe council said the old bridge collapsed in 1998 after the flood.\n\nEngineers disagree about the cause of the damage.',
  records: 'City Records\n\nRecords show the old bridge was closed, not collapsed, in 1998.\n\nThe archive holds every inspection since 1950.',
  harbour: 'Harbour News\n\nThe harbour reopened on Monday with new cranes and a café for visitors.\n\nFishermen welcomed the change.',
};

/** Open `text` as a new article through "Paste article". */
export async function paste(page, text) {
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text').fill(text);
  await page.getByRole('dialog').getByRole('button', { name: 'Open', exact: true }).click();
  const title = text.split('\n')[0];
  await waitUntil(page, `the article "${title}"`, (t) => document.querySelector('article h1')?.textContent === t, title);
}

/** The live region's words. */
function said(page) {
  return page.evaluate(() => document.querySelector('[role=status]')?.textContent.trim() ?? '');
}

async function waitSaid(page, what) {
  await waitUntil(page, `the live region to say ${what}`, (w) => (document.querySelector('[role=status]')?.textContent ?? '').includes(w), what);
}

function item(page, quote) {
  return panelItems(page).filter({ hasText: quote });
}

/** Open "Search all", type `words` as a person does (key by key). */
async function searchAll(page, words) {
  await page.getByRole('button', { name: 'Search all articles' }).click();
  const dialog = page.getByRole('dialog', { name: 'Search all annotations' });
  await dialog.waitFor();
  await dialog.getByRole('searchbox', { name: 'Search all annotations' }).pressSequentially(words, { delay: 30 });
  return dialog;
}

async function countIs(dialog, words) {
  await dialog.locator('#search-count').filter({ hasText: words }).waitFor({ timeout: 20000 });
}

test('Search all finds annotations across three articles, filters them and opens one where it is', async () => {
  const { page, errors } = await openApp(env.browser, env.server.url);
  await paste(page, ARTICLES.bridge);
  await tag(page, 'the old bridge collapsed in 1998', 'f');
  await item(page, 'the old bridge collapsed').getByLabel('Verdict').selectOption('false');
  await paste(page, ARTICLES.records);
  await tag(page, 'closed, not collapsed', 'q');
  const note = item(page, 'closed, not collapsed').getByLabel('Note');
  await note.fill('The bridge never fell: see the inspection log');
  await note.blur();
  await paste(page, ARTICLES.harbour);
  await tag(page, 'a café for visitors', 'a');

  const dialog = await searchAll(page, 'bridg');
  // As typed: the word being typed is a prefix; quote and note both count.
  await countIs(dialog, '2 annotations in 2 articles');
  await waitSaid(page, '2 annotations in 2 articles');
  const results = dialog.getByRole('list', { name: 'Results' }).getByRole('listitem');
  assert.equal(await results.count(), 2);
  assert.match(await results.filter({ hasText: 'Bridge Report' }).textContent(), /council said\s*the old bridge collapsed in 1998/, 'the quote in its context');
  // Diacritics fold: "cafe" finds "café" in the third article.
  const box = dialog.getByRole('searchbox', { name: 'Search all annotations' });
  await box.fill('cafe');
  await countIs(dialog, '1 annotation in 1 article');
  await box.fill('bridge');
  await countIs(dialog, '2 annotations in 2 articles');
  await dialog.getByLabel('Filter results by tag').selectOption('fact');
  await countIs(dialog, '1 annotation in 1 article');
  await dialog.getByLabel('Filter results by tag').selectOption('all');
  await dialog.getByLabel('Filter results by verdict').selectOption('false');
  await countIs(dialog, '1 annotation in 1 article');
  await dialog.getByLabel('Filter results by verdict').selectOption('any');
  await dialog.getByLabel('Filter results by article').selectOption({ label: 'City Records' });
  await countIs(dialog, '1 annotation in 1 article');
  // Open it: its article opens (the harbour one is open), scrolled to it, selected and focused.
  await results.first().getByRole('button', { name: /^Open: quote “closed, not collapsed”/ }).click();
  await waitUntil(page, 'City Records opened', () => document.querySelector('article h1')?.textContent === 'City Records');
  const opened = item(page, 'closed, not collapsed');
  await waitUntil(page, 'the quote selected and focused', () => {
    const b = document.activeElement;
    return b?.classList.contains('item-select') && b.getAttribute('aria-pressed') === 'true' && b.textContent.includes('closed, not collapsed');
  });
  assert.equal(await opened.getByRole('button', { name: /^Quote: closed, not collapsed/ }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

/** Link the current annotation of `page` to the one found by `words`, as `kind`. */
async function link(page, quote, kind, words, target) {
  await item(page, quote).locator('.item-select').click();
  await page.keyboard.press('l');
  const dialog = page.getByRole('dialog', { name: /^Link “/ });
  await dialog.waitFor();
  await dialog.getByRole('radio', { name: kind }).check();
  await dialog.getByRole('searchbox', { name: 'Find the annotation to link to' }).pressSequentially(words, { delay: 20 });
  await dialog.getByRole('button', { name: new RegExp(`^Link: .*${target}`) }).first().click();
  await dialog.waitFor({ state: 'detached' });
}

test('a link between two articles shows at both ends, is followed, survives a reload and an export imported into a fresh browser', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await paste(page, ARTICLES.bridge);
  await tag(page, 'the old bridge collapsed in 1998', 'f');
  await paste(page, ARTICLES.records);
  await tag(page, 'closed, not collapsed', 'q');
  await link(page, 'closed, not collapsed', 'contradicts', 'collapsed 19', 'Bridge Report');
  await waitSaid(page, 'Linked: contradicts “the old bridge collapsed in 1998” in “Bridge Report”');
  const here = item(page, 'closed, not collapsed');
  const out = here.getByRole('button', { name: 'Go to contradicts: “the old bridge collapsed in 1998” in “Bridge Report”' });
  await out.waitFor();
  // One click follows it: the other article opens at the fact, which shows the link back.
  await out.click();
  await waitUntil(page, 'Bridge Report opened', () => document.querySelector('article h1')?.textContent === 'Bridge Report');
  const back = item(page, 'the old bridge collapsed').getByRole('button', { name: 'Go to contradicted by: “closed, not collapsed” in “City Records”' });
  await back.waitFor();
  // A reload keeps both ends.
  await page.reload();
  await waitReady(page);
  await back.waitFor();

  // Export both articles as claimmark JSON…
  const files = [];
  for (const title of ['Bridge Report', 'City Records']) {
    if ((await page.locator('article h1').textContent()) !== title) {
      await page.locator('details.library > summary').click();
      await page.getByRole('button', { name: `Open ${title}` }).click();
      await waitUntil(page, `${title} opened`, (t) => document.querySelector('article h1')?.textContent === t, title);
    }
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('group', { name: 'Export' }).getByRole('button', { name: 'Download claimmark JSON' }).click(),
    ]);
    files.push({ name: dl.suggestedFilename(), buffer: await readFile(await dl.path()) });
  }
  const records = JSON.parse(files[1].buffer.toString());
  assert.equal(records.version, 2);
  assert.deepEqual(records.annotations[0].links.map((l) => l.kind), ['contradicts']);
  // …and import them into a fresh browser: each opens its article.
  const fresh = await env.browser.newContext();
  const { page: other } = await openApp(env.browser, env.server.url, fresh);
  for (const f of files) {
    await other.getByLabel('Import annotations').setInputFiles({ name: f.name, mimeType: 'application/json', buffer: f.buffer });
    const dialog = other.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: /Open “.*” from the file/ }).check();
    await dialog.getByRole('button', { name: /^Import \d/ }).click();
    await dialog.waitFor({ state: 'detached' });
  }
  await waitUntil(other, 'City Records imported', () => document.querySelector('article h1')?.textContent === 'City Records');
  await item(other, 'closed, not collapsed').getByRole('button', { name: 'Go to contradicts: “the old bridge collapsed in 1998” in “Bridge Report”' }).waitFor();
  assert.deepEqual(errors, []);
  await fresh.close();
  await context.close();
});

test('deleting either end keeps the other, which says the link is broken; Undo mends it', async () => {
  const { page, errors } = await openApp(env.browser, env.server.url);
  await paste(page, ARTICLES.bridge);
  await tag(page, 'the old bridge collapsed in 1998', 'f');
  await tag(page, 'Engineers disagree', 'q');
  await link(page, 'Engineers disagree', 'supports', 'bridge coll', 'Bridge Report');
  const quote = item(page, 'Engineers disagree');
  const fact = item(page, 'the old bridge collapsed');
  await fact.getByRole('button', { name: 'Go to supported by: “Engineers disagree”' }).waitFor();
  // The target deleted: the source keeps its link, said broken.
  await fact.getByRole('button', { name: /^Delete fact/ }).click();
  await quote.getByText('link broken: that annotation was deleted').waitFor();
  await page.keyboard.press('Control+z');
  await quote.getByRole('button', { name: 'Go to supports: “the old bridge collapsed in 1998”' }).waitFor();
  // The source deleted: the target still shows the link, broken.
  await quote.getByRole('button', { name: /^Delete quote/ }).click();
  await fact.getByText('link broken: that annotation was deleted').waitFor();
  await page.keyboard.press('Control+z');
  await fact.getByRole('button', { name: 'Go to supported by: “Engineers disagree”' }).waitFor();
  // Removing the link is a change of its own, undoable.
  await quote.getByRole('button', { name: 'Remove link: supports “the old bridge collapsed in 1998”' }).click();
  await waitSaid(page, 'Link removed');
  assert.equal(await fact.locator('.link-entry').count(), 0);
  await page.keyboard.press('Control+z');
  await fact.getByRole('button', { name: 'Go to supported by: “Engineers disagree”' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a near-duplicate claim in another article shows as checked before, with its verdict, one click away', async () => {
  const { page, errors } = await openApp(env.browser, env.server.url);
  await paste(page, ARTICLES.bridge);
  await tag(page, 'the old bridge collapsed in 1998', 'f');
  const first = item(page, 'the old bridge collapsed');
  await first.getByLabel('Verdict').selectOption('false');
  await moreFields(first);
  await first.getByLabel('Claim as checked').fill('The old bridge collapsed in 1998.');
  await first.getByLabel('Claim as checked').blur();
  await paste(page, 'Weekend Paper\n\nLocals still remember how the old bridge collapsed in 1998, they say.\n\nOther news.');
  await tag(page, 'the old bridge collapsed in 1998', 'f');
  const before = item(page, 'the old bridge collapsed').getByRole('region', { name: 'Checked before' });
  await before.waitFor();
  assert.match(await before.textContent(), /False/);
  await waitSaid(page, 'Checked before: 1 similar fact in the library');
  await before.getByRole('button', { name: /^Go to the fact checked before in “Bridge Report”/ }).click();
  await waitUntil(page, 'Bridge Report opened', () => document.querySelector('article h1')?.textContent === 'Bridge Report');
  assert.deepEqual(errors, []);
  await page.close();
});
