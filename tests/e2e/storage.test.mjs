// End-to-end persistence: reload right after a change, and two tabs of one
// browser editing the same article.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, dragOver, panelItems, waitReady, painted } from './helpers.mjs';

const env = suite();

test('a reload right after a change loses nothing (flush on pagehide)', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await dragOver(page, 'Richard Grenell');
  await page.keyboard.press('q');
  await panelItems(page).first().waitFor();
  const id = await panelItems(page).first().getAttribute('data-id');
  // No wait for the 300 ms autosave: reload at once.
  await page.reload();
  await waitReady(page);
  assert.equal(await panelItems(page).count(), 1);
  assert.equal(await panelItems(page).first().getAttribute('data-id'), id);
  assert.deepEqual(await painted(page, 'cm-quote'), ['Richard Grenell']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs: changes appear in the other, merge per annotation, deletions stay deleted', async () => {
  const context = await env.browser.newContext();
  const a = await openApp(env.browser, env.server.url, context);
  const b = await openApp(env.browser, env.server.url, context);

  await a.page.bringToFront();
  await dragOver(a.page, 'oil leverage');
  await a.page.keyboard.press('f');
  await panelItems(b.page).first().waitFor(); // arrived through the storage event
  assert.match(await panelItems(b.page).first().textContent(), /oil leverage/);

  await b.page.bringToFront();
  await dragOver(b.page, 'political prisoners');
  await b.page.keyboard.press('a');
  await panelItems(a.page).nth(1).waitFor();
  assert.equal(await panelItems(a.page).count(), 2);

  // Tab A deletes the first; tab B must not bring it back.
  await a.page.bringToFront();
  await panelItems(a.page).first().getByRole('button', { name: 'Delete' }).click();
  await a.page.waitForFunction(() => document.querySelectorAll('.items > li').length === 1);
  await b.page.waitForFunction(() => document.querySelectorAll('.items > li').length === 1);
  // Tab B edits its own annotation's note; A sees it.
  await b.page.bringToFront();
  const note = panelItems(b.page).first().locator('textarea');
  await note.fill('from tab B');
  await note.blur();
  await a.page.waitForFunction(() => document.querySelector('.items textarea')?.value === 'from tab B');

  // Both tabs reload to the same merged state.
  for (const t of [a, b]) {
    await t.page.reload();
    await waitReady(t.page);
    assert.equal(await panelItems(t.page).count(), 1);
    assert.match(await panelItems(t.page).first().textContent(), /political prisoners/);
  }
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});
