// End-to-end: export downloads real files in every format, and an export
// imported through the file input into a fresh browser reproduces the work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { suite, openApp, dragOver, panelItems, moreFields, waitReady } from './helpers.mjs';

const env = suite();

/** Open the Export menu unless it is open (it closes after each export). */
async function openExport(page) {
  const toggle = page.getByRole('button', { name: 'Export', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

async function download(page, name) {
  await openExport(page);
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('group', { name: 'Export' }).getByRole('button', { name: `Download ${name}` }).click(),
  ]);
  return { name: dl.suggestedFilename(), text: await readFile(await dl.path(), 'utf8') };
}

test('every format downloads a real file; claimmark JSON restores the work in a fresh browser', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await dragOver(page, 'Maduro and flew him');
  await page.keyboard.press('f');
  const item = panelItems(page).first();
  await item.waitFor();
  await item.getByLabel('Verdict').selectOption('false');
  await item.getByLabel('Note').fill('=1+1 "checked", see sources');
  await item.getByLabel('Note').blur();
  await moreFields(item);
  await item.getByLabel(/^Sources/).fill('https://example.org/flight-records');
  await item.getByLabel(/^Sources/).blur();
  await openExport(page);
  await page.getByLabel('Your name (for ClaimReview)').fill('Ana Reyes');
  await page.getByLabel('Your name (for ClaimReview)').blur();

  const json = await download(page, 'claimmark JSON');
  assert.match(json.name, /\.claimmark\.json$/);
  const file = JSON.parse(json.text);
  assert.equal(file.format, 'claimmark');
  assert.equal(file.offsetUnit, 'codepoint');
  assert.equal(file.annotations.length, 1);
  const a = file.annotations[0];
  assert.equal(a.quote, 'Maduro and flew him');
  assert.equal([...file.article.text].slice(a.start, a.end).join(''), a.quote, 'code-point offsets');
  assert.equal(a.verdict, 'false');
  assert.deepEqual(a.sources, ['https://example.org/flight-records']);

  const w3c = JSON.parse((await download(page, 'W3C Web Annotation')).text);
  assert.equal(w3c.type, 'AnnotationCollection');
  assert.equal(w3c.total, 1);
  assert.equal(w3c.first.items[0].target.selector[1].start, a.start);

  const csv = (await download(page, 'CSV')).text;
  assert.ok(csv.includes(`"'=1+1 ""checked"", see sources"`), csv);

  const md = (await download(page, 'Markdown report')).text;
  assert.match(md, /^# U\.S\. and Venezuela Begin Restoring Diplomatic Ties/);
  assert.match(md, /## Facts \(1\)[\s\S]*Maduro and flew him[\s\S]*Verdict: \*\*False\*\*/);

  const cr = JSON.parse((await download(page, 'ClaimReview')).text);
  assert.equal(cr[0]['@type'], 'ClaimReview');
  assert.equal(cr[0].reviewRating.alternateName, 'False');
  assert.equal(cr[0].author.name, 'Ana Reyes');

  // A fresh browser (empty storage) imports the claimmark file.
  const fresh = await env.browser.newContext();
  const other = await openApp(env.browser, env.server.url, fresh);
  assert.equal(await panelItems(other.page).count(), 0);
  await other.page.getByLabel('Import annotations').setInputFiles({
    name: json.name, mimeType: 'application/json', buffer: Buffer.from(json.text),
  });
  const dialog = other.page.getByRole('dialog', { name: 'Import annotations' });
  await dialog.waitFor();
  assert.match(await dialog.locator('#import-summary').textContent(), /^1 to import/);
  await dialog.getByRole('button', { name: 'Import 1' }).click();
  await panelItems(other.page).first().waitFor();
  assert.equal(await other.page.locator('.verdict-badge').textContent(), 'False');
  // It is saved, at once: a reload finds it.
  await other.page.reload();
  await waitReady(other.page);
  assert.equal(await panelItems(other.page).count(), 1);
  assert.match(await panelItems(other.page).first().textContent(), /Maduro and flew him/);
  assert.deepEqual([...errors, ...other.errors], []);
  await context.close();
  await fresh.close();
});
