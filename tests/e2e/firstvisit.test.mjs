// End-to-end: the first paint. Before the wasm has arrived the page already
// shows the article — the seed pre-rendered at build time, or a returning
// person's article drawn from storage by the page's first-paint script —
// and it is the same article, element for element, in the same place, as
// the app draws once it starts. Stored text only ever becomes text.
//
// "Before the wasm" is a page whose wasm request is refused: what a person
// sees until it arrives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, openApp, waitUntil, waitReady } from './helpers.mjs';
import { captureShell, SHELL_FILE } from '../../scripts/shell.mjs';

const env = suite();

// Service workers blocked: once the app has run in a context, its worker
// controls the next page and serves the wasm from its cache, where
// page.route cannot refuse it, and "before the wasm" would be the app
// starting (what made the returning case fail about half the time). The
// page the worker serves is this same page: offline.test.mjs opens the last
// article through it.
const NO_WORKER = { serviceWorkers: 'block' };
const PHONE = { viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true, ...NO_WORKER };
const DESKTOP = { viewport: { width: 1280, height: 900 }, ...NO_WORKER };

/** The article as a tree of tags, sorted attributes and text; and where its parts are on screen. */
function seen(page) {
  return page.evaluate(() => {
    const tree = (n) => (n.nodeType === Node.TEXT_NODE ? JSON.stringify(n.data)
      : `<${n.localName}${[...n.attributes].map((a) => ` ${a.name}=${JSON.stringify(a.value)}`).sort().join('')}>${[...n.childNodes].map(tree).join('')}</${n.localName}>`);
    const articles = document.querySelectorAll('article');
    const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 10) / 10); };
    const blocks = [...document.querySelectorAll('article [data-b]')].slice(0, 8);
    // A long article's height below the screen is an estimate (its blocks
    // there are not laid out yet: content-visibility): not compared.
    const long = articles[0]?.hasAttribute('data-long');
    return {
      articles: articles.length,
      h1: document.querySelectorAll('article h1').length,
      dom: articles[0] ? tree(articles[0]) : '',
      boxes: { header: box(document.querySelector('header.topbar')), article: box(articles[0])?.slice(0, long ? 3 : 4), blocks: blocks.map(box) },
    };
  });
}

/**
 * The app loaded as on a slow phone (CPU 4× slower: Yew then renders in
 * steps and yields to the browser between them), with every layout shift
 * until it is ready recorded; resolves to the page and the shifts.
 */
async function slowStart(context) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const ready = performance.getEntriesByName('claimmark:ready')[0];
        if (!ready || e.startTime < ready.startTime + 500) {
          const rect = (r) => [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 10) / 10).join(' ');
          window.__shifts.push(`${e.value.toFixed(3)} at ${Math.round(e.startTime)} ms: ${e.sources.map((x) => `${x.node?.nodeName}.${x.node?.className} [${rect(x.previousRect)}]→[${rect(x.currentRect)}]`).join(', ')}`);
        }
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(env.server.url);
  await waitReady(page);
  // Shifts are reported for the frame they happen in: let a few frames pass.
  await page.evaluate(() => new Promise((ok) => setTimeout(ok, 500)));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  return { page, errors, shifts: await page.evaluate(() => window.__shifts) };
}

/** A page on the app with its wasm refused (the page before the wasm arrives). */
async function beforeWasm(context, url = env.server.url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.sample}`));
    // Every frame until the load: was the pre-rendered seed's headline visible in it?
    window.__seedFrames = 0;
    const frame = () => {
      const h1 = document.querySelector('#first-paint article h1');
      if (h1 && h1.textContent.startsWith('U.S. and Venezuela') && getComputedStyle(h1).visibility === 'visible') window.__seedFrames++;
      if (document.readyState !== 'complete') requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.route(/_bg\.wasm$/, (route) => route.abort());
  // CPU 4× slower, as a phone: the parser then yields (and the browser
  // paints) between the pre-rendered page and the script after it.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(url);
  await page.waitForLoadState('load');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  return page;
}

/** Fill the context's local storage on the app's origin. */
async function store(context, entries) {
  const page = await context.newPage();
  await page.route(/_bg\.wasm$/, (route) => route.abort());
  await page.goto(env.server.url);
  await page.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, entries);
  await page.close();
}

for (const [name, options] of [['a phone', PHONE], ['a wide screen', DESKTOP]]) {
  test(`the pre-rendered seed is the article the app draws, in the same place (${name})`, async () => {
    const context = await env.browser.newContext(options);
    const early = await beforeWasm(context);
    const before = await seen(early);
    assert.equal(before.articles, 1, 'one <article> before the wasm');
    assert.equal(before.h1, 1, 'its <h1>');
    assert.ok(before.boxes.blocks.length >= 8, 'the seed\'s blocks are there');
    assert.deepEqual(await early.evaluate(() => window.__violations), [], 'the first-paint script runs under the CSP');
    assert.ok(await early.evaluate(() => window.__seedFrames) > 0, 'the seed is painted (which the returning case checks it is not)');
    await early.close();

    const { page, errors, shifts } = await slowStart(context);
    const after = await seen(page);
    assert.deepEqual(shifts, [], 'no layout shift while the app starts (CPU 4× slower)');
    assert.deepEqual(await page.evaluate(() => document.documentElement.getAttributeNames().filter((n) => /^data-(starting|first-paint|parsing)$/.test(n))), [],
      'the app has taken the page over');
    assert.equal(after.articles, 1, 'one <article> once the app runs (the pre-rendered page is gone)');
    assert.equal(await page.locator('#first-paint').count(), 0);
    assert.equal(after.dom, before.dom, 'the same elements, attributes and text');
    assert.deepEqual(after.boxes, before.boxes, 'nothing moved: header, article and its first blocks');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test(`${SHELL_FILE} is the header and layout the app draws (else run \`make shell\` and commit it)`, async () => {
  const { page } = await openApp(env.browser, env.server.url, await env.browser.newContext(DESKTOP));
  assert.equal(await captureShell(page), await readFile(SHELL_FILE, 'utf8'));
  await page.context().close();
});

const TABLE = `# Votes by district

A first paragraph with [a link](https://example.org/a) in it.

| district | votes | note |
|---|---|---|
| North | 1,204 | [recount](https://example.org/r) |
|  | 88 | |

- an item
- another with [a link](https://example.org/b)

1. first
2. second

> A quotation.
`;

test('a returning person\'s article is drawn from storage before the wasm, as the app draws it, in the same place', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'claimmark-firstvisit-'));
  const md = join(dir, 'votes.md');
  await writeFile(md, TABLE);
  // A long article (its blocks laid out only near the screen: data-long).
  const long = join(dir, 'long.md');
  await writeFile(long, `# A long report\n\n${Array.from({ length: 260 }, (_, i) => `Paragraph ${i} of the report, with enough words in it to wrap onto a second line on a phone.`).join('\n\n')}\n`);
  for (const [file, options] of [[md, PHONE], ['tests/fixtures/scripts/ar-news.html', DESKTOP], ['tests/fixtures/articles/notes.md', PHONE], [long, PHONE]]) {
    const context = await env.browser.newContext(options);
    // Open it in the app: the app stores it and keeps its paint description.
    const { page, errors } = await openApp(env.browser, env.server.url, context);
    await page.getByLabel('Open article').setInputFiles(file);
    await waitUntil(page, `${file} opened and its description kept`, () => {
      const paint = JSON.parse(localStorage.getItem('claimmark:v1:paint') ?? 'null');
      const index = JSON.parse(localStorage.getItem('claimmark:v1:index') ?? 'null');
      return paint !== null && index !== null && paint.id === index.last_open;
    });
    const drawn = await seen(page);
    await page.close();
    // Another page of the browser gets local storage from the browser
    // process, which hears of the closed page's last writes a moment later:
    // wait until a new page (a same-origin file, no app) sees them.
    const probe = await context.newPage();
    await probe.goto(`${env.server.url}manifest.webmanifest`);
    await waitUntil(probe, `${file}: what the app kept seen by a new page`, () => {
      const paint = JSON.parse(localStorage.getItem('claimmark:v1:paint') ?? 'null');
      const index = JSON.parse(localStorage.getItem('claimmark:v1:index') ?? 'null');
      return paint !== null && index !== null && paint.id === index.last_open
        && localStorage.getItem(`claimmark:v1:article:${paint.id}`) !== null;
    });
    await probe.close();

    const early = await beforeWasm(context);
    const before = await seen(early);
    assert.deepEqual(await early.evaluate(() => window.__violations), [], `${file}: no CSP violation`);
    assert.equal(await early.evaluate(() => window.__seedFrames), 0, `${file}: the seed never showed first`);
    await early.close();
    assert.equal(before.dom, drawn.dom, `${file}: drawn from storage as the app drew it`);
    assert.equal(/^<article[^>]* data-long=""/.test(before.dom), file === long, `${file}: long or not`);

    const { page: again, shifts } = await slowStart(context);
    const after = await seen(again);
    assert.deepEqual(shifts, [], `${file}: no layout shift while the app starts`);
    assert.equal(after.dom, before.dom, `${file}: the app draws it the same`);
    assert.deepEqual(after.boxes, before.boxes, `${file}: nothing moved`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('stored text only ever goes in as text; a description it cannot trust draws nothing', async () => {
  const id = 'a'.repeat(64);
  const text = '<img src=x onerror="window.__pwned=1">Headline\nSecond <b>block</b>';
  const record = JSON.stringify({ schema: 4, saved: 1, article: { id, title: 'x', metadata: [], blocks: [], text } });
  const index = JSON.stringify({ layout: 1, last_open: id, articles: [] });
  const paint = (body) => JSON.stringify({ schema: 1, id, lang: null, dir: 'ltr', body });
  const context = await env.browser.newContext(DESKTOP);
  const shown = async (body) => {
    await store(context, { 'claimmark:v1:index': index, [`claimmark:v1:article:${id}`]: record, 'claimmark:v1:paint': paint(body) });
    const page = await beforeWasm(context);
    const r = await page.evaluate(() => ({
      html: document.querySelector('article').innerHTML,
      text: document.querySelector('article').textContent,
      pwned: window.__pwned ?? null,
      images: document.images.length,
    }));
    await page.close();
    return r;
  };
  const nl = text.indexOf('\n');
  const ok = await shown([['h1', { class: 'title', 'data-b': 0, 'data-s': 0 }, 0, nl], ['p', { 'data-b': 1, 'data-s': nl + 1 }, nl + 1, text.length]]);
  assert.equal(ok.text, text.replace('\n', ''));
  assert.equal(ok.images, 0);
  assert.equal(ok.pwned, null);
  for (const body of [
    [['script', {}, 0, 5]],
    [['p', { onclick: 'window.__pwned=1' }, 0, 5]],
    [['a', { href: 'javascript:window.__pwned=1' }, 0, 5]],
    [['p', {}, ['img', { src: 'x' }]]],
  ]) {
    const r = await shown(body);
    assert.deepEqual([r.html, r.pwned, r.images], ['', null, 0], `nothing drawn from ${JSON.stringify(body)}`);
  }
  await context.close();
});

test('another article open last and nothing to draw it from: the seed is never shown', async () => {
  const context = await env.browser.newContext(DESKTOP);
  await store(context, { 'claimmark:v1:index': JSON.stringify({ layout: 1, last_open: 'b'.repeat(64), articles: [] }) });
  const page = await beforeWasm(context);
  assert.equal(await page.evaluate(() => document.querySelector('article').childNodes.length), 0);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.firstPaint ?? null), null, 'the mark that hid the seed is off');
  assert.equal(await page.evaluate(() => window.__seedFrames), 0, 'not for a frame');
  await context.close();
});
