// claimmark's browser benchmark: the release build against a no-framework
// baseline (bench/baseline.html: plain JS + CSS Custom Highlight API), both
// reading the same stored data (the article record and its annotation
// chunks), interleaved in one headless Chromium.
//
//   node bench/run.mjs [--quick] [--runs N] [--only loads,visits,tabs,transfer,team,search] [--trace] [--no-sw] [--seed-only] [--dist DIR]
//
// Every time is taken inside the measured page (the probe below: its own
// ready mark plus two frames, the article's arrival, layout shifts), never
// by a harness round trip; each page is checked to have painted what it
// should (the whole article, every stored annotation, the ranges), and the
// baseline does the app's work: the same painting window beyond 1,000
// annotations, and a save on the key press. 7 runs a side by default, with
// the runs' range printed next to each median.
//
// Sections: `loads` (fresh loads, service workers blocked so every load is a
// cold one, as before the app had one), `visits` (a first visit on a
// throttled mobile profile and repeat visits, service worker allowed), `tabs`
// (two pages on one article: one saves, the other merges), `transfer`
// (export, import, re-anchoring), `team` (bench/team.mjs: the first sync of
// 10,000 annotations from a team's server, one change reaching another
// browser), `search` (bench/search.mjs: Search all over 100 articles ×
// 1,000 annotations, per keystroke). `--trace` writes a Chrome trace of one
// repeat visit of the seed article to target/bench/trace-repeat.json and
// prints where its main-thread time went.
//
// Workloads come from `cargo run --release --example workload` and are
// pre-seeded into local storage before navigation, as a returning user's are.
// Prints a table and writes target/bench/browser.json.
import { createServer } from 'node:http';
import { readFile, writeFile, mkdir, readdir, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { extname, join, normalize } from 'node:path';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { teamBench } from './team.mjs';
import { searchBench } from './search.mjs';
import { firstLoad, table as sizeTable } from '../scripts/size.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// Fresh loads and visits: 7 runs each side unless told (a median of 3
// cannot tell 2.02× from 2×); --quick is for a look, not for targets.
const runs = Number(args[args.indexOf('--runs') + 1]) || (quick ? 3 : 7);
// Transfer and team sync (not what decides the load targets): 3 runs.
const otherRuns = Math.min(runs, 3);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : ['loads', 'visits', 'tabs', 'transfer', 'team', 'search'];
const wantTrace = args.includes('--trace');
// --no-sw: visits with service workers blocked (the HTTP cache alone), to compare.
const visitWorkers = args.includes('--no-sw') ? 'block' : 'allow';
const visitSeedOnly = args.includes('--seed-only');
// --dist DIR: benchmark another build (an earlier one kept aside, to compare).
const DIST = args.includes('--dist') ? args[args.indexOf('--dist') + 1] : 'dist';
// The throttled mobile profile of the first visit (Chrome DevTools Protocol).
const MOBILE = { latency: 150, downloadThroughput: (1.6 * 1e6) / 8, uploadThroughput: (0.75 * 1e6) / 8, cpu: 4 };
// [bytes, annotations]; 0 bytes is the seed article itself.
const WORKLOADS = quick
  ? [[0, 20], [1024 * 1024, 10000]]
  : [[0, 20], [10 * 1024, 100], [100 * 1024, 1000], [1024 * 1024, 1000], [1024 * 1024, 10000]];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/**
 * A static server as a real host would be set up: responses compressed
 * (brotli), Trunk's hashed files immutable (cached for a year), everything
 * else revalidated (ETag, 304).
 * `app` serves dist/, otherwise the baseline page; both serve /blank.html,
 * where storage is filled before navigating. The two are separate origins,
 * so the app's service worker never sits in front of the baseline.
 */
const compressed = new Map();

function serve(app) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/blank.html') { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>'); return; }
    const file = app ? normalize(join(DIST, path === '/' ? 'index.html' : path)) : path === '/baseline.html' ? 'bench/baseline.html' : null;
    try {
      if (!file || !file.startsWith(app ? normalize(DIST) : 'bench')) throw new Error('not found');
      const body = await readFile(file);
      const etag = `"${createHash('sha1').update(body).digest('base64')}"`;
      const immutable = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/.test(file);
      const headers = {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        etag,
      };
      if (!immutable && req.headers['if-none-match'] === etag) { res.writeHead(304, headers).end(); return; }
      // Compressed as hosts do (brotli where accepted; Chromium accepts it on loopback too).
      const accepts = req.headers['accept-encoding'] ?? '';
      const encoding = accepts.includes('br') ? 'br' : accepts.includes('gzip') ? 'gzip' : null;
      if (encoding && body.length > 1024) {
        const key = `${encoding}:${etag}`;
        if (!compressed.has(key)) {
          compressed.set(key, encoding === 'br'
            ? brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })
            : gzipSync(body, { level: 9 }));
        }
        res.writeHead(200, { ...headers, 'content-encoding': encoding, vary: 'accept-encoding' }).end(compressed.get(key));
        return;
      }
      res.writeHead(200, headers).end(body);
    } catch { res.writeHead(404).end(); }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function workload(bytes, n, extra = []) {
  const out = `target/bench/workload-${bytes}-${n}.json`;
  execFileSync('cargo', ['run', '-q', '--release', '--example', 'workload', '--', String(bytes), String(n), out, ...extra], { stdio: 'inherit' });
  return JSON.parse(await readFile(out, 'utf8'));
}

/**
 * A fresh context and page on `url` with `entries` in the local storage of
 * `origin` (written from its blank page before navigating), loaded and
 * ready. Service workers are blocked unless `serviceWorkers` is 'allow': a
 * fresh load is a cold one.
 */
async function appWith(browser, origin, entries, url = origin, { serviceWorkers = 'block', expect = null } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, serviceWorkers });
  await context.addInitScript(probe, expect ?? expected(entries));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin + 'blank.html');
  await page.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, entries);
  await page.goto(url);
  const times = await visitTimes(page); // ready (waited for without injecting anything into the page)
  return { context, page, errors, times };
}

/**
 * Milliseconds from the button's click until `done` holds — an element
 * matching `done.present` exists and none matches `done.absent` — then two
 * frames. (Conditions are selectors, not code: the app's CSP forbids eval.)
 */
function clickAndTime(page, label, done) {
  return page.evaluate(([label, done]) => new Promise((ok) => {
    const button = [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent.trim()) === label);
    const check = () => document.querySelector(done.present) !== null && !(done.absent && document.querySelector(done.absent));
    const t0 = performance.now();
    button.click();
    const poll = () => (check() ? requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now() - t0))) : requestAnimationFrame(poll));
    poll();
  }), [label, done]);
}

/**
 * Export, import and re-anchoring of `n` annotations on a `bytes` article,
 * in the app, each timed from the person's click (or file choice) to the
 * result on screen (export: to the file's Blob being handed to the download).
 */
async function transfer(browser, bases, bytes, n) {
  const base = bases.app;
  const files = { export: `target/bench/export-${bytes}-${n}.claimmark.json`, revised: `target/bench/revised-${bytes}.txt`, web: `target/bench/web-${bytes}-${n}.annotations.jsonld` };
  const full = await workload(bytes, n, ['--export', files.export, '--revised', files.revised, '--web', files.web]);
  const empty = await workload(bytes, 0);
  const out = { export: [], importRead: [], importApply: [], reanchor: [], webRead: [] };
  let webSummary = '';
  for (let r = 0; r < otherRuns; r++) {
    // Export: click → the Blob of the claimmark JSON file exists.
    {
      const { context, page, errors } = await appWith(browser, base, full.entries);
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      out.export.push(await page.evaluate(() => new Promise((ok) => {
        const create = URL.createObjectURL;
        let t0 = 0;
        URL.createObjectURL = function (blob) { URL.createObjectURL = create; ok(performance.now() - t0); return create.call(URL, blob); };
        const button = [...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Download claimmark JSON');
        t0 = performance.now();
        button.click();
      })));
      // Re-anchoring: open the revised text (same headline) and carry the annotations over.
      await page.getByLabel('Open article').setInputFiles(files.revised);
      await page.getByRole('button', { name: 'New version: carry the annotations over' }).waitFor({ timeout: 120000 });
      out.reanchor.push(await clickAndTime(page, 'New version: carry the annotations over', { present: '.notices-info .notice' }));
      if (errors.length) throw new Error(errors.join('; '));
      await context.close();
    }
    // Import: the same article stored with no annotations; choose the file.
    {
      const { context, page, errors } = await appWith(browser, base, empty.entries);
      await page.evaluate(() => document.addEventListener('change', () => { window.__t0 = performance.now(); }, { capture: true }));
      await page.getByLabel('Import annotations').setInputFiles(files.export);
      out.importRead.push(await page.evaluate(() => new Promise((ok) => {
        const poll = () => (document.querySelector('#import-summary') ? requestAnimationFrame(() => ok(performance.now() - window.__t0)) : requestAnimationFrame(poll));
        poll();
      })));
      const label = await page.locator('.import-dialog .dialog-actions button').first().textContent();
      out.importApply.push(await clickAndTime(page, label.trim(), { present: '.items > li', absent: '.import-dialog' }));
      if (errors.length) throw new Error(errors.join('; '));
      await context.close();
    }
    // Quotes from a web page (W3C): read, anchor and plan (file chosen → summary).
    {
      const { context, page, errors } = await appWith(browser, base, empty.entries);
      await page.evaluate(() => document.addEventListener('change', () => { window.__t0 = performance.now(); }, { capture: true }));
      await page.getByLabel('Import annotations').setInputFiles(files.web);
      out.webRead.push(await page.evaluate(() => new Promise((ok) => {
        const poll = () => (document.querySelector('#import-summary') ? requestAnimationFrame(() => ok(performance.now() - window.__t0)) : requestAnimationFrame(poll));
        poll();
      })));
      webSummary = (await page.locator('#import-summary').textContent()).trim();
      if (errors.length) throw new Error(errors.join('; '));
      await context.close();
    }
  }
  return { kb: Math.round(full.bytes / 1024), annotations: full.annotations, webQuotes: { ...full.webQuotes, summary: webSummary }, ...Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v)])) };
}

/** One fresh page load of `which` ('app' or 'baseline') on workload `w`. */
async function load(browser, bases, which, w) {
  const origin = bases[which];
  const { context, page, errors, times } = await appWith(browser, origin, w.entries, pageUrl(bases, which, w));
  const painted = times.painted;
  const mark = await page.evaluate(() => {
    const m = performance.getEntriesByName('claimmark:ready')[0];
    return { detail: m.detail ?? null };
  });
  const check = await paintedWhatItShould(page, which, w, times);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
  const wasmBytes = mark.detail?.wasmBytes ?? 0;

  // Key press → new highlight painted, on a word in the first screen: the
  // first press after the load (cold: code not yet compiled or optimised)
  // and a second one on another word (warm). Script time is Chrome's own
  // accounting (Performance.getMetrics ScriptDuration) over the press.
  await cdp.send('Performance.enable');
  const scriptMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
  const press = async (nth, said) => {
    await page.evaluate((nth) => {
      const root = document.querySelector('article');
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement.closest('mark') || n.data.length < 40) continue;
        if (seen++ < nth) continue; // skip the headline (and the words tagged already)
        const r = document.createRange();
        const i = n.data.indexOf(' ', 10) + 1;
        r.setStart(n, i);
        r.setEnd(n, n.data.indexOf(' ', i + 1));
        getSelection().removeAllRanges();
        getSelection().addRange(r);
        return;
      }
    }, nth);
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    await page.evaluate(() => {
      window.__t0 = null;
      window.__changed = false;
      // Any new text in the status region (the same words again included).
      const status = document.querySelector('[role=status]');
      const seen = new MutationObserver(() => { window.__changed = true; seen.disconnect(); });
      seen.observe(status, { childList: true, characterData: true, subtree: true });
      document.addEventListener('keydown', (e) => { if (e.key === 'f' && window.__t0 === null) window.__t0 = performance.now(); }, { capture: true, once: true });
    });
    const before = await scriptMs();
    const waitPaint = page.evaluate((said) => new Promise((ok) => {
      const status = document.querySelector('[role=status]');
      const check = () => {
        if (window.__t0 !== null && window.__changed && status.textContent.trim().startsWith(said)) {
          requestAnimationFrame(() => ok(performance.now() - window.__t0));
        } else requestAnimationFrame(check);
      };
      check();
    }), said);
    await page.keyboard.press('f');
    const ms = await waitPaint;
    return { ms, script: (await scriptMs()) - before };
  };
  const cold = await press(1, 'Fact annotation created');
  const warm = await press(2, 'Fact annotation created');
  const keyToPaint = cold.ms;
  await context.close();
  if (errors.length) throw new Error(`${which}: ${errors.join('; ')}`);
  return { painted, keyToPaint, keyScript: cold.script, keyScriptWarm: warm.script, jsHeap: heap.usedSize, wasmBytes, heap: heap.usedSize + wasmBytes, dom, ranges: check.ranges, cls: times.cls };
}

/**
 * What the page must show once ready, from the stored record: its last
 * block (index and text) and how many annotations are stored.
 */
function expected(entries) {
  const key = Object.keys(entries).find((k) => k.startsWith('claimmark:v1:article:'));
  if (!key) return { last: -1, lastText: '' };
  const { article } = JSON.parse(entries[key]);
  const b = article.blocks.at(-1);
  return { last: article.blocks.length - 1, lastText: article.text.slice(b.span.start, b.span.end) };
}

/**
 * Fail unless the page painted what it should: the whole article (its last
 * block holds its text), every stored annotation loaded (the app's ready
 * mark says how many; the baseline's __count), and ranges registered under
 * the highlights — all of them up to 1,000 annotations, a window beyond.
 * Returns how many ranges each registered.
 */
async function paintedWhatItShould(page, which, w, times) {
  const seen = await page.evaluate(([which]) => {
    const names = which === 'app' ? ['cm-fact', 'cm-quote', 'cm-analysis'] : ['fact', 'quote', 'analysis'];
    const ranges = names.reduce((n, k) => n + (CSS.highlights.get(k)?.size ?? 0), 0);
    const loaded = which === 'app' ? performance.getEntriesByName('claimmark:ready')[0].detail?.annotations : window.__count;
    return { ranges, loaded };
  }, [which]);
  const problems = [];
  if (times.articleAt === null) problems.push('the article\'s last block never showed its text');
  // (Builds before the ready mark said how many it loaded: the ranges tell, up to 1,000.)
  if (seen.loaded !== undefined && seen.loaded !== w.annotations) problems.push(`${seen.loaded} annotations loaded, ${w.annotations} stored`);
  if (w.annotations <= 1000 ? seen.ranges !== w.annotations : seen.ranges === 0 || seen.ranges >= w.annotations) {
    problems.push(`${seen.ranges} ranges registered for ${w.annotations} annotations`);
  }
  if (problems.length) throw new Error(`${which} did not paint what it should: ${problems.join('; ')}`);
  return seen;
}

/** The page a workload is shown on: the app, or the baseline reading the same record. */
function pageUrl(bases, which, w) {
  return which === 'app' ? bases.app : `${bases.baseline}baseline.html?id=${encodeURIComponent(w.articleId)}`;
}

/** The mobile profile on `cdp`'s page, or none. Set again before each navigation. */
async function throttle(cdp, on) {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', on
    ? { offline: false, latency: MOBILE.latency, downloadThroughput: MOBILE.downloadThroughput, uploadThroughput: MOBILE.uploadThroughput }
    : { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: on ? MOBILE.cpu : 1 });
}

/**
 * Runs in every measured page before its own scripts (app and baseline
 * alike), so every time is taken in the page, not by a harness round trip:
 * - when the article was in the DOM — its last block (`data-b`) holding
 *   its text, so a pre-rendered seed hidden for another article does not
 *   count — and the frame after (for "readable");
 * - two frames after the page's own `claimmark:ready` mark ("painted");
 * - the cumulative layout shift (CLS) until then.
 */
function probe({ last, lastText }) {
  const cm = (window.__cm = { articleAt: null, articleFrame: null, painted: null, cls: 0 });
  const seen = () => {
    const el = document.querySelector(`article [data-b="${last}"]`);
    return el !== null && el.textContent === lastText;
  };
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    cm.articleAt = performance.now();
    requestAnimationFrame(() => requestAnimationFrame((t) => { cm.articleFrame = t; }));
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  const ready = new PerformanceObserver((list) => {
    if (!list.getEntries().some((e) => e.name === 'claimmark:ready')) return;
    ready.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => { cm.painted = performance.now(); }));
  });
  ready.observe({ type: 'mark', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput && cm.painted === null) cm.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
}

/**
 * Resolves, to the page's own times, once the probe has them: `painted`
 * (two frames after its ready mark, taken in the page), `readable` (the
 * first contentful paint when the article was in it, else the frame after
 * it arrived), `annotatable` (the ready mark). Evaluated through the
 * DevTools Protocol in the page's own world: Playwright's waitForFunction
 * would inject its ~10 ms helper script into the page while the app is
 * still starting. When this runs changes none of the times.
 */
const READY_THEN_TIMES = `new Promise((ok) => {
  const cm = window.__cm;
  let frames = 0;
  const fcp = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
  const times = () => ({
    readable: fcp() !== null && fcp() >= (cm.articleAt ?? Infinity) ? fcp() : cm.articleFrame,
    annotatable: performance.getEntriesByName('claimmark:ready')[0].startTime,
    painted: cm.painted,
    articleAt: cm.articleAt,
    cls: cm.cls,
    // The app's own marks: wasm running (start), storage read (loaded).
    start: performance.getEntriesByName('claimmark:start')[0]?.startTime ?? null,
    loaded: performance.getEntriesByName('claimmark:loaded')[0]?.startTime ?? null,
  });
  // The paint entry arrives once its frame has been presented, which can be
  // a few frames after it was drawn: wait for it (and the article's frame).
  const wait = () => (cm.painted !== null && (cm.articleAt === null || cm.articleFrame !== null) && (fcp() !== null || frames++ > 120)
    ? ok(times()) : requestAnimationFrame(wait));
  wait();
})`;

/**
 * One visit's times from navigation start (see READY_THEN_TIMES); needs the
 * probe in the page.
 */
async function visitTimes(page) {
  const cdp = await page.context().newCDPSession(page);
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression: READY_THEN_TIMES, awaitPromise: true, returnByValue: true });
  await cdp.detach();
  if (exceptionDetails) throw new Error(exceptionDetails.text);
  return result.value;
}

/**
 * A first visit on the throttled mobile profile (cold HTTP cache, no
 * service worker yet), then, once the service worker is installed, repeat
 * visits: three unthrottled (the first of which may still compile the wasm;
 * the median of the other two is "repeat"), one throttled, one in a new tab.
 */
async function visits(browser, bases, w, seed) {
  const out = {};
  for (const which of ['app', 'baseline']) out[which] = { first: [], firstEmpty: [], repeat: [], repeatOnce: [], repeatThrottled: [], repeatNewTab: [] };
  /** The times, once the whole article was seen painted. */
  const painted = (times, what) => {
    if (times.articleAt === null) throw new Error(`${what}: the article's last block never showed its text`);
    return times;
  };
  for (let r = 0; r < runs; r++) {
    if (seed) {
      // A student's very first visit: nothing stored, nothing cached (the
      // baseline has nothing to show without a stored record).
      const context = await browser.newContext({ viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true, serviceWorkers: visitWorkers });
      await context.addInitScript(probe, expected(w.entries));
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await throttle(await context.newCDPSession(page), true);
      await page.goto(bases.app);
      out.app.firstEmpty.push(painted(await visitTimes(page), 'first visit, nothing stored'));
      await context.close();
      if (errors.length) throw new Error(`app: ${errors.join('; ')}`);
    }
    for (const which of r % 2 ? ['app', 'baseline'] : ['baseline', 'app']) {
      const context = await browser.newContext({ viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true, serviceWorkers: visitWorkers });
      await context.addInitScript(probe, expected(w.entries));
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(bases[which] + 'blank.html');
      await page.evaluate((entries) => {
        localStorage.clear();
        for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
      }, w.entries);
      const url = pageUrl(bases, which, w);
      let cdp = await context.newCDPSession(page);
      await throttle(cdp, true);
      await page.goto(url);
      out[which].first.push(painted(await visitTimes(page), `${which}: first visit`));
      // The worker installs once the app is ready; wait until it is active.
      if (which === 'app' && visitWorkers === 'allow') await page.evaluate(() => navigator.serviceWorker.ready);
      // Repeat visits as the fresh-load rows navigate (from a blank page of
      // the same origin in the same tab), then one in a new tab (a person
      // coming back later: a new renderer, the worker started again).
      let current = page;
      const revisit = async (throttled, newTab = false) => {
        if (newTab) {
          const next = await context.newPage();
          next.on('pageerror', (e) => errors.push(String(e)));
          await current.close();
          current = next;
          cdp = await context.newCDPSession(next);
        } else {
          await current.goto(bases[which] + 'blank.html');
        }
        await throttle(cdp, throttled);
        await current.goto(url);
        return painted(await visitTimes(current), `${which}: repeat visit`);
      };
      await throttle(cdp, false);
      const repeats = [];
      for (let k = 0; k < 3; k++) repeats.push(await revisit(false));
      out[which].repeatOnce.push(repeats[0]);
      out[which].repeat.push(...repeats.slice(1));
      out[which].repeatThrottled.push(await revisit(true));
      out[which].repeatNewTab.push(await revisit(false, true));
      if (which === 'app' && visitWorkers === 'allow') {
        const controlled = await current.evaluate(() => navigator.serviceWorker.controller !== null);
        if (!controlled) throw new Error('repeat visit not served by the service worker');
      }
      await context.close();
      if (errors.length) throw new Error(`${which}: ${errors.join('; ')}`);
    }
  }
  // Medians, and every run (for the spread).
  const med = (xs) => xs.length === 0 ? null : ({
    ...Object.fromEntries(['readable', 'annotatable', 'painted', 'start', 'loaded', 'cls'].map((k) => [k, median(xs.map((x) => x[k] ?? 0))])),
    runs: Object.fromEntries(['readable', 'annotatable', 'painted', 'cls'].map((k) => [k, xs.map((x) => x[k] ?? 0)])),
  });
  return { kb: Math.round(w.bytes / 1024), annotations: w.annotations, seed, ...Object.fromEntries(
    Object.entries(out).map(([which, o]) => [which, Object.fromEntries(Object.entries(o).map(([k, xs]) => [k, med(xs)]))])) };
}

/**
 * Two pages of one browser on the same article; page A tags a word with `f`
 * (it saves), page B merges the change it hears about through the storage
 * event. Drives only the UI: it knows nothing of the stored format. For page
 * B: the main-thread time of the tasks its storage events ran (each timed
 * from the event to the end of its task, summed), the time until its panel
 * shows the change, and its wasm memory before the first merge and after
 * each (wasm memory never shrinks: growth is kept for the tab's life).
 */
async function tabs(browser, bases, w) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  await context.addInitScript(() => {
    window.__wasm = null;
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
    window.__storageTasks = [];
    addEventListener('storage', () => {
      const t0 = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => window.__storageTasks.push({ t0, ms: performance.now() - t0 });
      channel.port2.postMessage(0);
    });
  });
  const a = await context.newPage();
  const errors = [];
  a.on('pageerror', (e) => errors.push(`A: ${e}`));
  await a.goto(bases.app + 'blank.html');
  await a.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, w.entries);
  await a.goto(bases.app);
  await a.waitForFunction(() => performance.getEntriesByName('claimmark:ready').length > 0, null, { timeout: 120000 });
  const b = await context.newPage();
  b.on('pageerror', (e) => errors.push(`B: ${e}`));
  await b.goto(bases.app);
  await b.waitForFunction(() => performance.getEntriesByName('claimmark:ready').length > 0 && window.__wasm, null, { timeout: 120000 });
  const memoryBefore = await b.evaluate(() => window.__wasm.memory.buffer.byteLength);
  const merges = [];
  await a.bringToFront();
  for (let k = 0; k < runs; k++) {
    const seen = await b.evaluate(() => window.__storageTasks.length);
    // B notes when its panel's counts change (a mutation observer: B is a
    // background tab, where frames and timers are throttled but this is not).
    await b.evaluate(() => {
      const read = () => document.querySelector('[aria-label="Annotations per tag"]')?.textContent ?? '';
      const before = read();
      window.__shownAt = null;
      const observer = new MutationObserver(() => {
        if (read() === before) return;
        window.__shownAt = performance.now();
        observer.disconnect();
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // A: select the k-th longer word of the first screen, then press f.
    await a.evaluate((k) => {
      const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
      const words = [];
      for (let n = walker.nextNode(); n && words.length <= k + 1; n = walker.nextNode()) {
        if (n.parentElement.closest('h1')) continue;
        for (const m of n.data.matchAll(/[A-Za-z]{6,}/g)) words.push([n, m.index, m.index + m[0].length]);
      }
      const [n, s, e] = words[k + 1];
      const r = document.createRange();
      r.setStart(n, s);
      r.setEnd(n, e);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
    }, k * 7);
    await a.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    await a.keyboard.press('f');
    const t = await b.waitForFunction(() => window.__shownAt, null, { polling: 50, timeout: 60000 }).then((h) => h.jsonValue());
    const r = await b.evaluate(([seen, t]) => {
      const tasks = window.__storageTasks.slice(seen);
      return {
        events: tasks.length,
        taskMs: tasks.reduce((sum, x) => sum + x.ms, 0),
        longestMs: Math.max(...tasks.map((x) => x.ms)),
        toShownMs: t - tasks[0].t0, // storage event → B's panel updated (DOM)
        memory: window.__wasm.memory.buffer.byteLength,
      };
    }, [seen, t]);
    merges.push(r);
  }
  const visible = await b.evaluate(() => document.visibilityState);
  await context.close();
  if (errors.length) throw new Error(errors.join('; '));
  return {
    kb: Math.round(w.bytes / 1024), annotations: w.annotations, merges: merges.length, pageB: visible,
    taskMs: median(merges.map((m) => m.taskMs)), longestMs: median(merges.map((m) => m.longestMs)),
    toShownMs: median(merges.map((m) => m.toShownMs)), events: median(merges.map((m) => m.events)),
    memoryBefore, memoryAfterFirst: merges[0].memory, memoryAfterLast: merges.at(-1).memory,
  };
}

/**
 * A Chrome trace of one repeat visit of the app (service worker installed,
 * after two earlier repeats so the compiled wasm can be in the code cache),
 * written to target/bench/trace-repeat.json, and where its main-thread time
 * went between navigation start and `claimmark:ready`.
 */
async function trace(browser, bases, w) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: visitWorkers });
  const page = await context.newPage();
  await page.goto(bases.app + 'blank.html');
  await page.evaluate((entries) => { for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v); }, w.entries);
  const categories = [
    'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed',
    'blink.user_timing', 'loading', 'navigation', 'ServiceWorker', 'toplevel', 'netlog', 'disabled-by-default-netlog',
  ];
  await context.addInitScript(probe, expected(w.entries));
  // The first visit, on the mobile profile.
  const cdp = await context.newCDPSession(page);
  await throttle(cdp, true);
  await browser.startTracing(page, { path: 'target/bench/trace-first.json', categories });
  await page.goto(bases.app);
  await visitTimes(page);
  await throttle(cdp, false);
  if (visitWorkers === 'allow') await page.evaluate(() => navigator.serviceWorker.ready);
  await browser.stopTracing();
  const first = summarizeTrace(JSON.parse(await readFile('target/bench/trace-first.json', 'utf8')));
  // Repeat visits in new tabs, as in `visits`; the third is traced.
  let current = page;
  for (let k = 0; k < 3; k++) {
    const next = await context.newPage();
    await current.close();
    current = next;
    if (k === 2) break;
    await current.goto(bases.app);
    await visitTimes(current);
    // A person reads for a while. V8 writes its wasm code cache 2 s after
    // the last function was optimised (--wasm-caching-timeout-ms), into the
    // store the module was read from — here the worker's Cache Storage — so
    // only a visit that lasted that long leaves a cache for the next one.
    await current.waitForTimeout(3000);
  }
  const path = 'target/bench/trace-repeat.json';
  await browser.startTracing(current, { path, categories });
  await current.goto(bases.app);
  await visitTimes(current);
  await browser.stopTracing();
  await context.close();
  return { first, repeat: summarizeTrace(JSON.parse(await readFile(path, 'utf8'))) };
}

/** Main-thread time by phase, from navigation start to `claimmark:ready`, and the wasm events. */
function summarizeTrace(json) {
  const events = json.traceEvents ?? json;
  const threads = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const ready = events.find((e) => e.name === 'claimmark:ready' && e.ph !== 'X');
  const navStart = events.filter((e) => e.name === 'navigationStart' && ready && e.pid === ready.pid && e.ts <= ready.ts).at(-1)
    ?? events.filter((e) => e.name === 'navigationStart').at(-1);
  if (!ready || !navStart) return { error: 'no ready mark or navigation start in the trace' };
  const main = `${ready.pid}:${ready.tid}`;
  const inWindow = (e) => e.ts >= navStart.ts && e.ts <= ready.ts;
  // Top-level main-thread tasks and what they are spent on (the outermost named event inside each).
  const PHASES = [
    ['HTML parse', /^ParseHTML$/],
    ['wasm compile', /wasm.*(ompile|Deserialize|Streaming)|CompileWasm|WasmStreaming/i],
    ['script (JS + wasm run)', /^(EvaluateScript|v8\.evaluateModule|FunctionCall|v8\.callFunction|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|v8\.run)$/],
    ['style + layout', /^(UpdateLayoutTree|Layout|RecalculateStyles|ScheduleStyleRecalculation)$/],
    ['paint', /^(Paint|PrePaint|PaintImage|Layerize|UpdateLayer|Commit)$/],
  ];
  const phases = Object.fromEntries(PHASES.map(([k]) => [k, 0]));
  const tasks = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.name === 'RunTask' && inWindow(e));
  let busy = 0;
  for (const t of tasks) {
    busy += t.dur;
    const inside = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t);
    // Outermost match per phase, so nested events are not counted twice.
    for (const [k, re] of PHASES) {
      const hits = inside.filter((e) => re.test(e.name)).sort((a, b) => a.ts - b.ts);
      let end = -1;
      for (const h of hits) if (h.ts >= end) { phases[k] += h.dur; end = h.ts + h.dur; }
    }
  }
  const wasm = events.filter((e) => inWindow(e) && /wasm/i.test(`${e.cat} ${e.name}`) && (e.dur ?? 0) >= 1000)
    .map((e) => ({ name: e.name, thread: threads.get(`${e.pid}:${e.tid}`) ?? `${e.pid}:${e.tid}`, at: (e.ts - navStart.ts) / 1000, ms: (e.dur ?? 0) / 1000, args: e.args }))
    .slice(0, 40);
  const finish = new Map(events.filter((e) => e.name === 'ResourceFinish').map((e) => [e.args.data.requestId, e]));
  const requests = events.filter((e) => e.name === 'ResourceSendRequest' && e.ts >= navStart.ts - 1000 && e.ts <= ready.ts)
    .map((e) => {
      const done = finish.get(e.args.data.requestId);
      return {
        url: e.args.data.url.replace(/^https?:\/\/[^/]+/, ''), at: (e.ts - navStart.ts) / 1000,
        doneAt: done ? (done.ts - navStart.ts) / 1000 : null, bytes: done?.args.data.encodedDataLength ?? 0,
      };
    });
  const cache = events.filter((e) => /^v8\.wasm\.(cachedModule|moduleCacheHit|moduleCacheInvalid)/.test(e.name))
    .map((e) => `${e.name.slice(8)}${e.args?.producedCacheSize ? ` (${(e.args.producedCacheSize / 1024).toFixed(0)} KB)` : ''}`);
  return {
    readyMs: (ready.ts - navStart.ts) / 1000,
    wasmCodeCache: cache.length ? cache.join(', ') : 'none used or written',
    mainBusyMs: busy / 1000,
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v / 1000])),
    wasm,
    requests,
  };
}

function printTrace({ first, repeat }) {
  for (const [t, what, file] of [[first, 'the first visit (mobile profile)', 'trace-first.json'], [repeat, 'a repeat visit (new tab)', 'trace-repeat.json']]) {
    if (t.error) { console.log(`\ntrace: ${t.error}`); continue; }
    console.log(`\nTrace of ${what} of the seed article (target/bench/${file}): ready at ${fmtMs(t.readyMs)}, main thread busy ${fmtMs(t.mainBusyMs)}:`);
    for (const [k, v] of Object.entries(t.phases)) console.log(`  ${k.padEnd(24)} ${fmtMs(v)}`);
    console.log(`  V8's wasm code cache: ${t.wasmCodeCache}`);
    for (const r of t.requests) console.log(`  request ${r.url} at ${fmtMs(r.at)}${r.doneAt ? `, done at ${fmtMs(r.doneAt)} (${(r.bytes / 1024).toFixed(0)} KB)` : ''}`);
    const lazy = t.wasm.filter((e) => e.name === 'wasm.CompileLazy');
    console.log(`  wasm functions compiled lazily on first call (≥ 1 ms each): ${lazy.length}, ${fmtMs(lazy.reduce((a, e) => a + e.ms, 0))}`);
  }
}

const fmtMs = (x) => `${x.toFixed(0)} ms`;
const fmtMB = (x) => `${(x / 1048576).toFixed(1)} MB`;

await mkdir('target/bench', { recursive: true });
// How loaded the machine was (1, 5, 15 min load averages), and how long this took.
const loadBefore = os.loadavg();
const startedAt = Date.now();
const servers = [await serve(true), await serve(false)];
const bases = Object.fromEntries(['app', 'baseline'].map((k, i) => [k, `http://127.0.0.1:${servers[i].address().port}/`]));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
const chromeVersion = browser.version();
const results = [];
const visitResults = [];
let transferResult = null;
let tabsResult = null;
let traceResult = null;
let teamResult = null;
let searchResult = null;
const VISIT_WORKLOADS = visitSeedOnly ? [[0, 20]] : [[0, 20], [1024 * 1024, 10000]];
try {
  if (only.includes('loads')) {
    for (const [bytes, n] of WORKLOADS) {
      const w = await workload(bytes, n);
      const samples = { app: [], baseline: [] };
      for (let r = 0; r < runs; r++) {
        // Interleaved, so both see the same machine load.
        for (const which of r % 2 ? ['app', 'baseline'] : ['baseline', 'app']) {
          samples[which].push(await load(browser, bases, which, w));
        }
      }
      const summary = {};
      for (const which of ['app', 'baseline']) {
        const s = samples[which];
        const keys = ['painted', 'keyToPaint', 'keyScript', 'keyScriptWarm', 'jsHeap', 'wasmBytes', 'heap', 'dom', 'ranges', 'cls'];
        summary[which] = Object.fromEntries(keys.map((k) => [k, median(s.map((x) => x[k]))]));
        summary[which].runs = Object.fromEntries(keys.map((k) => [k, s.map((x) => x[k])]));
      }
      results.push({ seed: bytes === 0, kb: Math.round(w.bytes / 1024), annotations: w.annotations, runs, ...summary });
    }
  }
  if (only.includes('visits')) {
    for (const [bytes, n] of VISIT_WORKLOADS) visitResults.push(await visits(browser, bases, await workload(bytes, n), bytes === 0));
  }
  if (only.includes('tabs')) tabsResult = await tabs(browser, bases, await workload(1024 * 1024, 10000));
  if (wantTrace) traceResult = await trace(browser, bases, await workload(0, 20));
  if (only.includes('transfer')) transferResult = await transfer(browser, bases, 1024 * 1024, 10000);
  if (only.includes('team')) teamResult = await teamBench(browser, bases.app, otherRuns);
  if (only.includes('search')) searchResult = await searchBench(browser, bases.app, quick ? 1 : 3);
} finally {
  await browser.close();
  for (const s of servers) s.close();
}
const size = await firstLoad(DIST);
const machine = { date: new Date().toISOString(), cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory: fmtMB(os.totalmem()), chromium: chromeVersion,
  loadBefore: loadBefore.map((x) => x.toFixed(2)), loadAfter: os.loadavg().map((x) => x.toFixed(2)), minutes: ((Date.now() - startedAt) / 60000).toFixed(1) };

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}
const ratio = (a, b) => `${fmtMs(a)} / ${fmtMs(b)} (${(a / b).toFixed(2)}×)`;
const label = (r) => (r.seed ? `seed (${r.kb} KB)` : `${r.kb >= 1024 ? `${(r.kb / 1024).toFixed(0)} MB` : `${r.kb} KB`}`);

/** A median with its runs' range: "426 ms (401–470)". */
const spread = (med, xs, fmt = (x) => x.toFixed(0)) => `${fmt(med)} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
const msSpread = (med, xs) => `${spread(med, xs)} ms`;
const TARGETS = { readable: 1200, annotatable: 2500 };
const verdict = (x, target) => (x <= target ? 'met' : 'missed');

console.log(`\nclaimmark benchmark — ${machine.date}, ${machine.cpus} × ${machine.cpu}, Chromium ${machine.chromium}; `
  + `load average ${machine.loadBefore.join(' ')} before, ${machine.loadAfter.join(' ')} after; ${machine.minutes} min`);
if (results.length) {
  console.log(`\nFresh loads (no service worker), medians of ${runs} runs each (min–max); every time taken in the page:`);
  const rows = [['article', 'annotations', 'nav→painted app / base (×)', 'key→paint app / base', 'key script app / base (first; next)', 'heap app / base (×)', 'ranges app / base', 'DOM nodes app / base']];
  const ms1 = (x) => `${x.toFixed(1)} ms`;
  for (const r of results) {
    const [a, b] = [r.app, r.baseline];
    rows.push([
      label(r), String(r.annotations),
      `${msSpread(a.painted, a.runs.painted)} / ${msSpread(b.painted, b.runs.painted)} (${(a.painted / b.painted).toFixed(2)}×)`,
      `${fmtMs(a.keyToPaint)} / ${fmtMs(b.keyToPaint)}`,
      `${spread(a.keyScript, a.runs.keyScript, (x) => x.toFixed(1))} / ${ms1(b.keyScript)}; ${spread(a.keyScriptWarm, a.runs.keyScriptWarm, (x) => x.toFixed(1))} / ${ms1(b.keyScriptWarm)}`,
      `${fmtMB(a.heap)} / ${fmtMB(b.heap)} (${(a.heap / b.heap).toFixed(2)}×; ${Math.min(...a.runs.heap.map((x, i) => x / b.runs.heap[i])).toFixed(2)}–${Math.max(...a.runs.heap.map((x, i) => x / b.runs.heap[i])).toFixed(2)})`,
      `${a.ranges} / ${b.ranges}`,
      `${a.dom} / ${b.dom}`,
    ]);
  }
  table(rows);
}
if (visitResults.length) {
  console.log(`\nVisits, app / baseline (×), medians of ${runs} (repeat: of ${2 * runs}) with the runs' range; first visit and "repeat, mobile" on the mobile profile`
    + ` (${MOBILE.downloadThroughput * 8 / 1e6} Mbps down, ${MOBILE.latency} ms RTT, CPU ${MOBILE.cpu}× slower):`);
  const rows = [['visit', 'article', 'annotations', 'readable', 'annotatable', 'nav→painted', 'CLS app']];
  const cell = (a, b, k) => (b ? `${msSpread(a[k], a.runs[k])} / ${fmtMs(b[k])} (${(a[k] / b[k]).toFixed(2)}×)` : `${msSpread(a[k], a.runs[k])} / —`);
  for (const r of visitResults) {
    for (const [k, name] of [['firstEmpty', 'first, mobile, nothing stored'], ['first', 'first, mobile'], ['repeatOnce', 'repeat (1st)'], ['repeat', 'repeat'], ['repeatNewTab', 'repeat, new tab'], ['repeatThrottled', 'repeat, mobile']]) {
      const [a, b] = [r.app[k], k === 'firstEmpty' ? null : r.baseline[k]];
      if (!a) continue;
      rows.push([name, label(r), k === 'firstEmpty' ? '0' : String(r.annotations), cell(a, b, 'readable'), cell(a, b, 'annotatable'), cell(a, b, 'painted'),
        spread(a.cls, a.runs.cls, (x) => x.toFixed(3))]);
    }
  }
  table(rows);
  console.log(`\nFirst visit on the mobile profile against the targets (readable ≤ ${TARGETS.readable} ms, annotatable ≤ ${TARGETS.annotatable} ms):`);
  const t = [['article', 'stored', 'readable', 'target', 'annotatable', 'target', 'CLS']];
  for (const r of visitResults) {
    for (const k of ['firstEmpty', 'first']) {
      const a = r.app[k];
      if (!a) continue;
      t.push([label(r), k === 'firstEmpty' ? 'nothing' : `${r.annotations} annotations`, msSpread(a.readable, a.runs.readable), verdict(a.readable, TARGETS.readable),
        msSpread(a.annotatable, a.runs.annotatable), verdict(a.annotatable, TARGETS.annotatable), spread(a.cls, a.runs.cls, (x) => x.toFixed(3))]);
    }
  }
  table(t);
  console.log('Where the app\'s time goes (its own marks, medians): wasm fetched, compiled and running → storage read → painted and ready');
  for (const r of visitResults) {
    for (const [k, name] of [['firstEmpty', 'first, nothing'], ['first', 'first, mobile'], ['repeat', 'repeat'], ['repeatNewTab', 'repeat, new tab']]) {
      const a = r.app[k];
      if (!a) continue;
      console.log(`  ${label(r).padEnd(12)} ${name.padEnd(16)} ${fmtMs(a.start)} → ${fmtMs(a.loaded)} (+${fmtMs(a.loaded - a.start)}) → ${fmtMs(a.annotatable)} (+${fmtMs(a.annotatable - a.loaded)})`);
    }
  }
}
if (tabsResult) {
  const t = tabsResult;
  console.log(`\nAnother tab's save: ${label(t)} article, ${t.annotations} annotations; page A tags a word, page B (${t.pageB}) merges; medians of ${t.merges}:`);
  console.log(`  B's storage-event tasks (sum per save; ${t.events} event(s))  ${fmtMs(t.taskMs)} (longest ${fmtMs(t.longestMs)})`);
  console.log(`  B: storage event → its panel updated                ${fmtMs(t.toShownMs)}`);
  console.log(`  B's wasm memory: before ${fmtMB(t.memoryBefore)}, after the first merge ${fmtMB(t.memoryAfterFirst)}, after the last ${fmtMB(t.memoryAfterLast)}`);
}
if (traceResult) printTrace(traceResult);
console.log(`\nThe first load (scripts/size.mjs: index.html and the CSS, JS and wasm it names; KB = 1,000 bytes):\n${sizeTable(size)}`);
if (transferResult) {
  const t = transferResult;
  console.log(`\n${t.kb} KB article, ${t.annotations} annotations, in the app (medians of ${runs}):`);
  console.log(`  export claimmark JSON (click → file ready)            ${fmtMs(t.export)}`);
  console.log(`  import: read, check and plan (file chosen → summary)  ${fmtMs(t.importRead)}`);
  console.log(`  import: apply and paint (Import → highlights shown)   ${fmtMs(t.importApply)}`);
  console.log(`  re-anchor onto ~5 % changed words (click → report)    ${fmtMs(t.reanchor)}`);
  const w = t.webQuotes;
  console.log(`  web-page quotes (W3C): read, anchor, plan (→ summary) ${fmtMs(t.webRead)} — “${w.summary}”`);
  console.log(`    of which exactly on their words (native check)      ${w.exact} of ${w.total} (${(100 * w.exact / w.total).toFixed(2)} %), ${w.far} on a distant copy`);
}
if (teamResult) {
  const t = teamResult;
  console.log(`\nTeam sync through pouchdb-server on loopback, ${t.kb} KB article, ${t.annotations} annotations (medians of ${t.firstSyncRuns.length} and ${t.reachRuns.length}):`);
  console.log(`  first sync (Sign in → "Synced", all in the panel)     ${fmtMs(t.firstSync)} (runs: ${t.firstSyncRuns.map(fmtMs).join(', ')}; target ≤ 3 s)`);
  console.log(`  one change to another browser (keydown → its panel)  ${fmtMs(t.reach)} (runs: ${t.reachRuns.map(fmtMs).join(', ')}; target ≤ 1 s)`);
}
if (searchResult) {
  const s = searchResult;
  console.log(`\nSearch all: ${s.articles} articles × ${s.annotations / s.articles} annotations (${s.annotations.toLocaleString('en')}; ${(s.storedUnits / 1e6).toFixed(1)} M characters stored), ${s.runs} run(s):`);
  console.log(`  index built (click → count shown)                    ${fmtMs(s.buildMs)} (runs: ${s.builds.map(fmtMs).join(', ')})`);
  console.log(`  wasm memory before → after indexing                   ${fmtMB(s.wasmBefore)} → ${fmtMB(s.wasmAfter)}`);
  console.log(`  per keystroke, keydown → results drawn (${s.keys} keys)   median ${fmtMs(s.keyMs)}, 90th percentile ${fmtMs(s.keyP90Ms)}, max ${fmtMs(s.keyMaxMs)} (target ≤ 100 ms)`);
  for (const [q, c] of Object.entries(s.counts)) console.log(`    “${q}”: ${c}`);
}
await writeFile('target/bench/browser.json', JSON.stringify({ machine, bundle: size, results, visits: visitResults, tabs: tabsResult, trace: traceResult, transfer: transferResult, team: teamResult, search: searchResult }, null, 2));
console.log('written: target/bench/browser.json');
