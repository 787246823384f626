// End-to-end: installable, offline, new releases, any sub-path. The release
// build (dist/, with the service worker scripts/postbuild.mjs writes) served
// on 127.0.0.1 — a secure context, as service workers need.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, launchPersistent, openApp, dragOver, panelItems, waitReady, painted, within, WAIT_MS } from './helpers.mjs';
import { writeServiceWorker } from '../../scripts/postbuild.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Every local storage entry of the page's origin. */
const storage = (page) => page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));

/** Wait until the service worker is active (its precache complete); the page's scope. */
const workerReady = (page) => within(page.evaluate(async () => {
  const reg = await navigator.serviceWorker.ready;
  return { scope: reg.scope, state: reg.active.state };
}), WAIT_MS, 'the service worker to be active');

/**
 * Take the page's context off the network, and return a check that the
 * server was asked for nothing since: `setOffline` only emulates it, and
 * the server keeps serving, so what passes offline must not have been
 * fetched from it.
 */
async function offline(context, server) {
  await context.setOffline(true);
  const asked = server.requests.length;
  return () => assert.deepEqual(server.requests.slice(asked), [], 'nothing was asked of the server while offline');
}

test('installable: a valid manifest with real icons, a start URL and scope inside the app', async () => {
  const server = await serve('dist');
  // A profile on disk: Chromium never offers to install from an incognito context.
  const profile = await mkdtemp(join(tmpdir(), 'claimmark-profile-'));
  const context = await launchPersistent(profile);
  try {
    const { page, errors } = await openApp(browser, server.url, context);
    await workerReady(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.equal(manifest.url, `${server.url}manifest.webmanifest`);
    assert.deepEqual(manifest.errors, [], 'the manifest parses without errors');
    const data = JSON.parse(manifest.data);
    assert.equal(data.name, 'claimmark — article annotator');
    assert.equal(data.short_name, 'claimmark');
    assert.equal(data.display, 'standalone');
    // Relative: they resolve against the manifest, wherever the bundle is served.
    assert.equal(new URL(data.start_url, manifest.url).href, server.url);
    assert.equal(new URL(data.scope, manifest.url).href, server.url);
    // Chromium's installability criteria, as far as headless Chromium checks them.
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
    // The icons are real PNGs of the sizes the manifest says (decoded by the browser).
    const png = await within(page.evaluate(async (icons) => Promise.all(icons.map(async (icon) => {
      const res = await fetch(new URL(icon.src, new URL('manifest.webmanifest', document.baseURI)));
      const bitmap = await createImageBitmap(await res.blob());
      return { ...icon, type: res.headers.get('content-type'), got: `${bitmap.width}x${bitmap.height}` };
    })), data.icons.filter((i) => i.type === 'image/png')), WAIT_MS, 'the icons to load');
    for (const i of png) {
      assert.equal(i.type, 'image/png');
      assert.equal(i.got, i.sizes);
    }
    assert.deepEqual(png.map((i) => `${i.sizes} ${i.purpose}`).sort(), ['192x192 any', '512x512 any', '512x512 maskable']);
    // Theme colours for light and dark, as the page announces them.
    const themes = await page.evaluate(() => [...document.querySelectorAll('meta[name=theme-color]')].map((m) => m.media));
    assert.deepEqual(themes, ['(prefers-color-scheme: light)', '(prefers-color-scheme: dark)']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('offline: a reload with no network opens the last article with its annotations, and it still works', async () => {
  const server = await serve('dist');
  const context = await browser.newContext();
  try {
    const { page, errors } = await openApp(browser, server.url, context);
    // Open another article than the seed, so "the last article" is tested.
    await page.getByLabel('Open article').setInputFiles('tests/fixtures/articles/notes.md');
    await page.locator('article h1').filter({ hasNotText: 'Venezuela' }).waitFor();
    const title = await page.locator('article h1').textContent();
    await page.locator('article').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('q');
    await panelItems(page).first().waitFor();
    const first = await panelItems(page).first().getAttribute('data-id');
    assert.equal((await workerReady(page)).state.startsWith('activ'), true);
    await page.reload(); // saved on pagehide; the worker now controls the page
    await waitReady(page);
    const stored = await storage(page);

    const nothingAsked = await offline(context, server);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    await page.reload();
    await waitReady(page);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    assert.equal(await page.locator('article h1').textContent(), title);
    assert.equal(await panelItems(page).count(), 1);
    assert.equal(await panelItems(page).first().getAttribute('data-id'), first);
    assert.equal((await painted(page, 'cm-quote')).length, 1);
    assert.deepEqual(await storage(page), stored, 'loading offline changes nothing stored');

    // Works offline: tag a passage, reload offline, it is still there.
    await page.locator('article').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('f');
    await panelItems(page).nth(1).waitFor();
    await page.reload();
    await waitReady(page);
    assert.equal(await panelItems(page).count(), 2);
    assert.equal((await painted(page, 'cm-fact')).length, 1);
    // The CSV writer is in the second module: offline, the worker has it too.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const [dl] = await Promise.all([
      page.waitForEvent('download', { timeout: WAIT_MS }),
      page.getByRole('group', { name: 'Export' }).getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = await readFile(await dl.path(), 'utf8');
    assert.match(csv, /^[^,]+,quote,/m);
    assert.match(csv, /^[^,]+,fact,/m);
    // A retry asks for the module under ?retry=N (a browser may remember a
    // failed import by its URL): offline, the precache answers it too.
    const retried = await page.evaluate(async () => {
      const url = [...performance.getEntriesByType('resource')].map((e) => e.name).find((n) => /\/later\/[^/?]+\.js$/.test(n));
      const res = await fetch(`${url}?retry=1`);
      return { ok: res.ok, js: (await res.text()).includes('export') };
    });
    assert.deepEqual(retried, { ok: true, js: true });
    nothingAsked();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('a new release waits for the person: "A new version is ready" → Reload picks it up, nothing stored is touched or lost', async () => {
  // Release 2: the same bundle with a changed index.html, and its worker
  // regenerated the way the build does (so the precache revision changes).
  const dir = await mkdtemp(join(tmpdir(), 'claimmark-release-'));
  const next = join(dir, 'dist');
  await cp('dist', next, { recursive: true });
  const html = await readFile(join(next, 'index.html'), 'utf8');
  await writeFile(join(next, 'index.html'), html.replace('<title>', '<meta name="claimmark-release" content="2" />\n    <title>'));
  await writeServiceWorker(next);

  const server = await serve('dist');
  const context = await browser.newContext();
  try {
    const { page, errors } = await openApp(browser, server.url, context);
    await dragOver(page, 'Richard Grenell');
    await page.keyboard.press('q');
    await panelItems(page).first().waitFor();
    await workerReady(page);
    await page.reload();
    await waitReady(page);
    const stored = await storage(page);
    const notice = page.getByRole('status').filter({ hasText: 'A new version of claimmark is ready' });
    assert.equal(await notice.count(), 0, 'no notice without a new release');

    server.setRoot(next); // deployed
    await page.reload(); // the next visit: still release 1, which finds release 2
    await waitReady(page);
    await notice.waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('meta[name=claimmark-release]').count(), 0, 'release 1 keeps running until the person chooses');
    assert.deepEqual(await storage(page), stored, 'installing the new release touches nothing stored');
    assert.ok(await notice.getByRole('button', { name: 'Later' }).isVisible());

    // Keyboard reachable: Tab gets to Reload.
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    let presses = 0;
    while ((await focused()) !== 'Reload' && presses++ < 300) await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Reload', 'Tab reaches the notice\'s Reload button');

    // An edit made just before Reload (no time for the 300 ms autosave) survives the update.
    await dragOver(page, 'political prisoners');
    await page.keyboard.press('a');
    await panelItems(page).nth(1).waitFor();
    await notice.getByRole('button', { name: 'Reload' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('meta[name=claimmark-release]') !== null, null, { timeout: WAIT_MS });
    await waitReady(page);
    assert.equal(await panelItems(page).count(), 2);
    assert.deepEqual(await painted(page, 'cm-analysis'), ['political prisoners']);
    assert.deepEqual(await painted(page, 'cm-quote'), ['Richard Grenell']);
    assert.equal(await notice.count(), 0);
    // Release 2 now controls the page and serves it offline too.
    const nothingAsked = await offline(context, server);
    await page.reload();
    await waitReady(page);
    assert.equal(await page.locator('meta[name=claimmark-release]').count(), 1);
    assert.equal(await panelItems(page).count(), 2);
    nothingAsked();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('any sub-path: served under /claimmark/, it loads, registers its worker there and works offline', async () => {
  const server = await serve('dist', { prefix: '/claimmark/' });
  const context = await browser.newContext();
  try {
    assert.equal(server.url.endsWith('/claimmark/'), true);
    const { page, errors } = await openApp(browser, server.url, context);
    assert.equal(await page.locator('article h1').textContent(), 'U.S. and Venezuela Begin Restoring Diplomatic Ties');
    assert.equal((await workerReady(page)).scope, server.url);
    await dragOver(page, 'Richard Grenell');
    await page.keyboard.press('q');
    await panelItems(page).first().waitFor();
    const nothingAsked = await offline(context, server);
    await page.reload();
    await waitReady(page);
    assert.deepEqual(await painted(page, 'cm-quote'), ['Richard Grenell']);
    nothingAsked();
    // Nothing was asked for outside the sub-path (a root-relative URL would be).
    assert.deepEqual(server.requests.filter((p) => !p.startsWith('/claimmark/')), []);
    // A bare /claimmark redirects to the directory, as a real server does.
    await context.setOffline(false);
    const res = await page.request.get(`${server.origin}/claimmark`, { maxRedirects: 0 });
    assert.equal(res.status(), 301);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});
