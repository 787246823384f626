// End-to-end: open an article file through the file input, annotate it,
// reload, and find both the article and the annotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, dragOver, panelItems, painted, waitReady } from './helpers.mjs';

const env = suite();

test('an opened file and its annotation survive a reload', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await page.getByLabel('Open article').setInputFiles('tests/fixtures/articles/notes.md');
  await page.locator('article h1', { hasText: 'Reading Markdown Articles' }).waitFor();
  await dragOver(page, 'Second item with emphasis');
  await page.keyboard.press('q');
  await panelItems(page).first().waitFor();
  assert.deepEqual(await painted(page, 'cm-quote'), ['Second item with emphasis']);
  // No wait: the change is stored in the task that made it.
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator('article h1').textContent(), 'Reading Markdown Articles');
  assert.equal(await panelItems(page).count(), 1);
  assert.deepEqual(await painted(page, 'cm-quote'), ['Second item with emphasis']);
  assert.deepEqual(errors, []);
  await context.close();
});
