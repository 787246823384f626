// End-to-end: the second wasm module (docs/architecture.md#two-modules).
// A first visit downloads nothing of it before the app is ready; it arrives
// while the page is idle, and the exports and the Markdown reader run in it.
// When it cannot be fetched, a person is told so in plain words, loses
// nothing, can still take their work away as claimmark JSON, and the same
// button works once the connection is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { suite, openApp, dragOver, panelItems, waitUntil, WAIT_MS } from './helpers.mjs';

const env = suite();

// Without a worker every request is the page's own, where page.route sees it
// (the worker would serve the module from its precache; offline.test.mjs
// covers that path).
const NO_WORKER = { serviceWorkers: 'block', acceptDownloads: true };

async function download(page, name) {
  const toggle = page.getByRole('button', { name: 'Export', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: WAIT_MS }),
    page.getByRole('group', { name: 'Export' }).getByRole('button', { name: `Download ${name}` }).click(),
  ]);
  return { name: dl.suggestedFilename(), text: await readFile(await dl.path(), 'utf8') };
}

/** When each file of the second module started to load, and when the app was ready (ms since navigation). */
function timings(page) {
  return page.evaluate(() => ({
    ready: performance.getEntriesByName('claimmark:ready')[0]?.startTime,
    later: performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.includes('/later/'))
      .map((e) => ({ file: new URL(e.name).pathname.split('/').pop(), start: e.startTime })),
  }));
}

test('the second module loads after the app is ready, and the exports and the Markdown reader run in it', async () => {
  const context = await env.browser.newContext(NO_WORKER);
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  const href = await page.locator('meta[name="claimmark-later"]').getAttribute('content');
  assert.match(href, /^later\/claimmark-later-[0-9a-f]{16}\.js$/, 'the build names the second module');

  // Fetched once the page is idle, after ready: never on the way to it.
  await waitUntil(page, 'the second module to be fetched when idle',
    () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/later/')).length >= 2);
  const t = await timings(page);
  assert.ok(t.ready > 0, 'ready was marked');
  assert.deepEqual(t.later.map((x) => x.file).sort(), [href.slice('later/'.length), href.slice('later/'.length).replace(/\.js$/, '_bg.wasm')].sort());
  for (const x of t.later) assert.ok(x.start > t.ready, `${x.file} started at ${x.start} ms, before ready at ${t.ready} ms`);

  await dragOver(page, 'Maduro and flew him');
  await page.keyboard.press('f');
  await panelItems(page).first().waitFor();
  const csv = await download(page, 'CSV');
  assert.match(csv.name, /\.csv$/);
  assert.ok(csv.text.includes('Maduro and flew him'), csv.text);
  const w3c = JSON.parse((await download(page, 'W3C Web Annotation')).text);
  assert.equal(w3c.first.items[0].target.selector.find((s) => s.type === 'TextQuoteSelector').exact, 'Maduro and flew him');
  await page.getByRole('status').filter({ hasText: 'Downloaded 1 annotation as W3C Web Annotation' }).waitFor({ timeout: WAIT_MS });

  // The Markdown reader is in the second module too; the file's script stays text.
  await page.getByLabel('Open article').setInputFiles('tests/fixtures/articles/notes.md');
  await page.locator('article h1', { hasText: 'Reading Markdown Articles' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('article li').count(), 3);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('when the second module cannot be fetched, export says so, claimmark JSON still downloads, and the same button works once it can', async () => {
  const context = await env.browser.newContext(NO_WORKER);
  let refused = 0;
  // Refused after a moment, as a failing network is: long enough to hear the wait.
  await context.route('**/later/**', async (route) => {
    refused += 1;
    await new Promise((r) => setTimeout(r, 500));
    return route.abort('internetdisconnected');
  });
  const { page } = await openApp(env.browser, env.server.url, context);
  await dragOver(page, 'Maduro and flew him');
  await page.keyboard.press('f');
  await panelItems(page).first().waitFor();

  const toggle = page.getByRole('button', { name: 'Export', exact: true });
  await toggle.click();
  await page.getByRole('group', { name: 'Export' }).getByRole('button', { name: 'Download CSV' }).click();
  // While it is being asked for, the wait is said.
  await page.getByRole('status').filter({ hasText: 'Preparing the CSV file' }).waitFor({ timeout: WAIT_MS });
  const alert = page.getByRole('alert').filter({ hasText: /CSV file was not written/ });
  await alert.waitFor({ timeout: WAIT_MS });
  assert.match(await alert.textContent(), /could not be loaded.*check the connection and try again/);
  assert.ok(refused > 0, 'the module was asked for');
  assert.equal(await panelItems(page).count(), 1, 'nothing was lost');

  // The person's own format does not need the second module.
  const json = JSON.parse((await download(page, 'claimmark JSON')).text);
  assert.equal(json.annotations[0].quote, 'Maduro and flew him');

  await context.unroute('**/later/**');
  const csv = await download(page, 'CSV');
  assert.ok(csv.text.includes('Maduro and flew him'));
  await context.close();
});
