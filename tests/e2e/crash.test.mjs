// End-to-end: a crash loses nothing. Chromium is started as its own process
// on a profile directory, a change is made, and the browser process is
// killed with SIGKILL the moment the change is on screen (as an OS crash or
// a phone killing its tab would: no shutdown, nothing flushed); Chromium is
// started again on the same profile and the change must be there. Chromium
// writes local storage to disk 5 s after a change at the soonest, so
// without the journal (IndexedDB, durability "strict") these fail.
// Run alone: `node --test tests/e2e/crash.test.mjs` after `make release`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  serve, spawnChromium, openApp, dragOver, panelItems, painted, waitUntil, WAIT_MS,
  holdStorageEvents, hold, stored, tag, idsInChunk, fixedIds,
} from './helpers.mjs';

let server;
before(async () => { server = await serve('dist'); });
after(async () => { await server?.close(); });

/** A fresh profile directory, removed after `fn`. */
async function withProfile(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'claimmark-crash-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Start Chromium on `dir` and open the app in its first tab. */
async function start(dir, init) {
  const chrome = await spawnChromium(dir);
  const { page, errors } = await openApp(null, server.url, chrome.context, { init });
  return { chrome, page, errors };
}

/** Kill the browser as a crash would, and start it again on the same profile. */
async function crashAndRestart(chrome, dir) {
  await chrome.crash();
  return start(dir);
}

/** The panel's items as { id, tag, note }. */
function items(page) {
  return page.evaluate(() => [...document.querySelectorAll('.items > li')].map((li) => ({
    id: li.dataset.id,
    tag: li.querySelector('.tag-badge')?.textContent,
    note: li.querySelector('textarea.note')?.value ?? '',
  })));
}

test('a crash right after each kind of change loses nothing (browser killed with SIGKILL, restarted on the same profile)', async (t) => {
  await withProfile(async (dir) => {
    let { chrome, page, errors } = await start(dir);
    try {
      // 1. Tag a passage; kill as soon as its item is on screen.
      await dragOver(page, 'Richard Grenell');
      await page.keyboard.press('q');
      await panelItems(page).first().waitFor({ timeout: WAIT_MS });
      ({ chrome, page, errors } = await crashAndRestart(chrome, dir));
      assert.equal(await panelItems(page).count(), 1, 'the new annotation survived the crash');
      assert.deepEqual(await painted(page, 'cm-quote'), ['Richard Grenell']);
      const id = (await items(page))[0].id;

      // 2. A note, committed by leaving the field.
      const note = panelItems(page).first().getByLabel('Note');
      await note.fill('written a moment before the crash');
      await note.blur();
      await page.getByRole('status').filter({ hasText: 'Note changed' }).waitFor({ timeout: WAIT_MS });
      ({ chrome, page, errors } = await crashAndRestart(chrome, dir));
      assert.deepEqual(await items(page), [{ id, tag: 'Quote', note: 'written a moment before the crash' }]);

      // 3. A new tag, chosen in the item's select.
      await panelItems(page).first().getByLabel('Tag').selectOption('analysis');
      await waitUntil(page, 'the badge to say Analysis', () => document.querySelector('.items .tag-badge')?.textContent === 'Analysis');
      ({ chrome, page, errors } = await crashAndRestart(chrome, dir));
      assert.equal((await items(page))[0].tag, 'Analysis');

      // 4. Another article opened from a file, and annotated there.
      await page.getByLabel('Open article').setInputFiles('tests/fixtures/articles/notes.md');
      await page.locator('article h1').filter({ hasNotText: 'Venezuela' }).waitFor({ timeout: WAIT_MS });
      const title = await page.locator('article h1').textContent();
      await page.locator('article').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('f');
      await panelItems(page).first().waitFor({ timeout: WAIT_MS });
      ({ chrome, page, errors } = await crashAndRestart(chrome, dir));
      assert.equal(await page.locator('article h1').textContent(), title, 'the article open at the crash opens');
      assert.equal(await panelItems(page).count(), 1);

      // 5. Back to the seed from the Library, its annotation deleted.
      await page.getByText('Library', { exact: true }).click();
      await page.getByRole('button', { name: /^Open U\.S\. and Venezuela/ }).click();
      await page.locator('article h1', { hasText: 'Venezuela' }).waitFor({ timeout: WAIT_MS });
      await panelItems(page).first().getByRole('button', { name: /^Delete/ }).click();
      await waitUntil(page, 'the item to go', () => document.querySelectorAll('.items > li').length === 0);
      ({ chrome, page, errors } = await crashAndRestart(chrome, dir));
      assert.equal(await page.locator('article h1').textContent(), 'U.S. and Venezuela Begin Restoring Diplomatic Ties');
      assert.equal(await panelItems(page).count(), 0, 'the deletion survived too');
      assert.deepEqual(errors, []);

      // What the journal cost here: from the change to its transaction's
      // completion (flushed to disk), for the changes of this last session.
      t.diagnostic(`journal transactions: ${JSON.stringify(await journalTimes(page))}`);
    } finally {
      await chrome.close();
    }
  });
});

/** For each journal transaction of the page: ms from its start to its completion. */
function journalTimes(page) {
  return page.evaluate(() => {
    const starts = performance.getEntriesByName('claimmark:journal-start').map((e) => e.startTime);
    const done = performance.getEntriesByName('claimmark:journaled').map((e) => e.startTime);
    return done.map((d, i) => Math.round((d - starts[i]) * 10) / 10);
  });
}

test('two tabs changing one chunk at once, then a crash before either has heard of the other: both changes kept', async () => {
  await withProfile(async (dir) => {
    const chrome = await spawnChromium(dir);
    let restarted;
    try {
      const [ida, idb] = idsInChunk(2, 0x5a);
      const open = async (ids) => {
        const init = { content: `(${holdStorageEvents})(); (${fixedIds})(${JSON.stringify(ids)});` };
        return (await openApp(null, server.url, chrome.context, { init })).page;
      };
      const a = await open([ida]);
      const b = await open([idb]);
      await hold(a);
      await hold(b);
      await tag(a, 'oil leverage', 'f');
      await tag(b, 'political prisoners', 'a');
      const keys = Object.keys((await stored(b)).live);
      assert.equal(keys.length, 2, 'both in storage, in one chunk');
      await chrome.crash();
      restarted = await start(dir);
      const got = await items(restarted.page);
      assert.deepEqual(got.map((x) => x.tag).sort(), ['Analysis', 'Fact'], JSON.stringify(got));
      const chunks = await restarted.page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':ann:')));
      assert.equal(chunks.length, 1, 'the two annotations share one chunk');
    } finally {
      await (restarted?.chrome ?? chrome).close().catch(() => {});
    }
  });
});

test('the moment a change is crash-proof: measured over 20 changes', async (t) => {
  await withProfile(async (dir) => {
    const { chrome, page } = await start(dir);
    try {
      await dragOver(page, 'Richard Grenell');
      await page.keyboard.press('q');
      await panelItems(page).first().waitFor({ timeout: WAIT_MS });
      const note = panelItems(page).first().getByLabel('Note');
      const count = () => page.evaluate(() => performance.getEntriesByName('claimmark:journaled').length);
      await waitUntil(page, 'the first journal transaction', () => performance.getEntriesByName('claimmark:journaled').length > 0);
      for (let i = 0; i < 20; i++) {
        const n = await count();
        await note.fill(`note ${i}`);
        await note.blur();
        await waitUntil(page, `journal transaction ${n + 1}`, (n) => performance.getEntriesByName('claimmark:journaled').length > n, n);
      }
      const times = (await journalTimes(page)).sort((x, y) => x - y);
      const median = times[Math.floor(times.length / 2)];
      t.diagnostic(`change → journal on disk: median ${median} ms, max ${times[times.length - 1]} ms (${times.length} transactions)`);
      assert.ok(times.length >= 21);
      assert.ok(median < 1000, `median ${median} ms`);
    } finally {
      await chrome.close();
    }
  });
});

