// End-to-end persistence: a reload or a browser quit right after a change;
// two tabs of one browser changing at once (different annotations, the same
// annotation, a deletion against an edit), both tabs closed right after a
// change. Run alone: `node --test tests/e2e/storage.test.mjs` after `make release`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  suite, openApp, dragOver, panelItems, waitReady, painted, waitUntil,
  holdStorageEvents, hold, release, stored, tag, idsInChunk, fixedIds } from './helpers.mjs';

const env = suite();

/** The panel's items as [quote text, note] pairs, in order. */
function items(page) {
  return page.evaluate(() => [...document.querySelectorAll('.items > li')].map((li) => [
    li.querySelector('.item-quote')?.textContent ?? '',
    li.querySelector('textarea.note')?.value ?? '',
  ]));
}

/** Two tabs on the app in one browser context, holding storage events on
 *  demand. `a` and `b` add init scripts to each tab's own (`{ content }`). */
async function twoTabs({ a: initA = '', b: initB = '' } = {}) {
  const context = await env.browser.newContext();
  const init = (more) => ({ content: `(${holdStorageEvents})(); ${more}` });
  const a = await openApp(env.browser, env.server.url, context, { init: init(initA) });
  const b = await openApp(env.browser, env.server.url, context, { init: init(initB) });
  return { context, a, b };
}

/** An init script making the tab's next new annotation have id bytes `bytes`. */
const nextId = (bytes) => `(${fixedIds})(${JSON.stringify([bytes])});`;

/** The chunk keys that hold annotations. */
const chunkKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':ann:')));

test('a reload right after a change loses nothing', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await dragOver(page, 'Richard Grenell');
  await page.keyboard.press('q');
  await panelItems(page).first().waitFor();
  const id = await panelItems(page).first().getAttribute('data-id');
  await page.reload();
  await waitReady(page);
  assert.equal(await panelItems(page).count(), 1);
  assert.equal(await panelItems(page).first().getAttribute('data-id'), id);
  assert.deepEqual(await painted(page, 'cm-quote'), ['Richard Grenell']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a note still being typed survives a reload, and a hidden page commits it', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await dragOver(page, 'Richard Grenell');
  await page.keyboard.press('q');
  const note = panelItems(page).first().getByLabel('Note');
  await note.click();
  await page.keyboard.type('typed, never left');
  // Still in the field: nothing committed it yet.
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('note')), true);
  await page.reload();
  await waitReady(page);
  assert.equal(await panelItems(page).first().getByLabel('Note').inputValue(), 'typed, never left');

  // A phone switching apps: the page is hidden, not unloaded. The note is
  // saved then, and the cursor is back in it when the page shows again.
  await panelItems(page).first().getByLabel('Note').click();
  await page.keyboard.press('End');
  await page.keyboard.type(' and more');
  const hidden = async (yes) => {
    await page.evaluate((yes) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => yes });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (yes ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }, yes);
  };
  await hidden(true);
  const saved = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':ann:'))
    .some((k) => localStorage.getItem(k).includes('typed, never left and more')));
  assert.ok(saved, 'the note was saved when the page was hidden');
  await hidden(false);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('note')), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('quitting the browser right after a change keeps it (same profile, restarted)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'claimmark-profile-'));
  const launch = () => chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    let context = await launch();
    let { page } = await openApp(null, env.server.url, context);
    await dragOver(page, 'Richard Grenell');
    await page.keyboard.press('q');
    await panelItems(page).first().waitFor();
    // The change is on screen: quit at once, no wait of any kind.
    await context.close();

    context = await launch();
    ({ page } = await openApp(null, env.server.url, context));
    assert.equal(await panelItems(page).count(), 1, 'the change survived the quit');
    assert.deepEqual(await painted(page, 'cm-quote'), ['Richard Grenell']);
    await context.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('two tabs add different annotations to one chunk at once: both kept, in both tabs and in storage', async () => {
  // Both ids fall in one chunk, so each tab's write of it must keep the
  // other's annotation (a write that replaced the chunk would lose one).
  const [ida, idb] = idsInChunk(2, 0xa7);
  const { context, a, b } = await twoTabs({ a: nextId(ida), b: nextId(idb) });
  await hold(a.page);
  await hold(b.page);
  await tag(a.page, 'oil leverage', 'f');
  await tag(b.page, 'political prisoners', 'a');
  await release(a.page);
  await release(b.page);
  for (const t of [a, b]) {
    await waitUntil(t.page, 'both annotations in the tab', () => document.querySelectorAll('.items > li').length === 2);
  }
  assert.deepEqual(await items(a.page), await items(b.page));
  const s = await stored(a.page);
  assert.deepEqual(Object.values(s.live).map((x) => x.tag).sort(), ['analysis', 'fact']);
  assert.equal((await chunkKeys(a.page)).length, 1, 'the two share one chunk');
  for (const t of [a, b]) {
    await t.page.reload();
    await waitReady(t.page);
    assert.equal(await panelItems(t.page).count(), 2);
  }
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});

test('two tabs edit the same annotation at once: one result everywhere, the winning version, though the losing one was written last', async () => {
  // Tab B's clock runs a minute behind: its edit, made after A's and
  // written to storage last, is the older version by the merge rule. A
  // last-writer-wins store would keep B's.
  const { context, a, b } = await twoTabs({ b: 'const realNow = Date.now; Date.now = () => realNow() - 60000;' });
  await tag(a.page, 'oil leverage', 'f');
  await waitUntil(b.page, 'the annotation in tab B', () => document.querySelectorAll('.items > li').length === 1);
  await hold(a.page);
  await hold(b.page);
  const note = (page) => panelItems(page).first().getByLabel('Note');
  await a.page.bringToFront();
  await note(a.page).fill('from tab A, the winning version');
  await note(a.page).blur();
  await b.page.bringToFront();
  await note(b.page).fill('from tab B, written last with an older clock');
  await note(b.page).blur();
  // B wrote last, from a state that had not heard of A's edit: storage
  // must still hold the winner, before any tab has repaired anything (if
  // both tabs died now, this is what would be left).
  let s = await stored(b.page);
  assert.deepEqual(Object.values(s.live).map((x) => x.note), ['from tab A, the winning version']);
  await release(a.page);
  await release(b.page);
  for (const t of [a, b]) {
    await waitUntil(t.page, 'the winning note in the tab', () => document.querySelector('.items textarea.note')?.value === 'from tab A, the winning version');
  }
  s = await stored(a.page);
  assert.deepEqual(Object.values(s.live).map((x) => x.note), ['from tab A, the winning version']);
  await a.page.reload();
  await waitReady(a.page);
  assert.deepEqual(await items(a.page), await items(b.page));
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});

test('a deletion wins over an edit made at once in another tab, everywhere; Undo brings it back', async () => {
  const { context, a, b } = await twoTabs();
  await tag(a.page, 'oil leverage', 'f');
  await waitUntil(b.page, 'the annotation in tab B', () => document.querySelectorAll('.items > li').length === 1);
  const id = await panelItems(a.page).first().getAttribute('data-id');
  await hold(a.page);
  await hold(b.page);
  await a.page.bringToFront();
  await panelItems(a.page).first().getByRole('button', { name: 'Delete' }).click();
  await waitUntil(a.page, 'the deletion in tab A', () => document.querySelectorAll('.items > li').length === 0);
  // B has not seen the deletion and edits the note, later.
  await b.page.bringToFront();
  const note = panelItems(b.page).first().getByLabel('Note');
  await note.fill('edited without seeing the deletion');
  await note.blur();
  await release(a.page);
  await release(b.page);
  for (const t of [a, b]) {
    await waitUntil(t.page, 'no annotation left in the tab', () => document.querySelectorAll('.items > li').length === 0);
  }
  let s = await stored(b.page);
  assert.deepEqual(Object.keys(s.live), []);
  assert.deepEqual(Object.keys(s.deleted), [id]);
  // Undo in A: a deliberate act after seeing the deletion brings it back in both.
  await a.page.bringToFront();
  await a.page.keyboard.press('Control+z');
  for (const t of [a, b]) {
    await waitUntil(t.page, 'the annotation back in the tab', () => document.querySelectorAll('.items > li').length === 1);
  }
  s = await stored(b.page);
  assert.deepEqual(Object.keys(s.live), [id]);
  for (const t of [a, b]) {
    await t.page.reload();
    await waitReady(t.page);
    assert.equal(await panelItems(t.page).count(), 1);
  }
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});

test('two tabs closed together right after a change: nothing lost, however they were timed', async () => {
  const context = await env.browser.newContext();
  const a = await openApp(env.browser, env.server.url, context);
  const b = await openApp(env.browser, env.server.url, context);
  // The case: one passage, 400 ms later another, 50 ms later both
  // tabs closed (the pauses are the scenario, not waits for anything).
  await tag(a.page, 'oil leverage', 'f');
  await a.page.waitForTimeout(400);
  await tag(a.page, 'political prisoners', 'q');
  await a.page.waitForTimeout(50);
  await Promise.all([a.page.close(), b.page.close()]);
  let c = await openApp(env.browser, env.server.url, context);
  assert.equal(await panelItems(c.page).count(), 2);
  // Each tab with its own change, both closed at once.
  const d = await openApp(env.browser, env.server.url, context);
  await tag(c.page, 'regional influence', 'a');
  await tag(d.page, 'shifting strategy', 'f');
  await Promise.all([c.page.close(), d.page.close()]);
  c = await openApp(env.browser, env.server.url, context);
  assert.equal(await panelItems(c.page).count(), 4);
  assert.deepEqual([...a.errors, ...b.errors, ...c.errors, ...d.errors], []);
  await context.close();
});
