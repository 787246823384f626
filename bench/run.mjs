// claimmark's browser benchmark: the release build against a no-framework
// baseline (bench/baseline.html: plain JS + CSS Custom Highlight API), both
// reading the same stored data (the article record and its annotation
// chunks), interleaved in one headless Chromium.
//
//   node bench/run.mjs [--quick] [--runs N]
//
// Workloads come from `cargo run --release --example workload` and are
// pre-seeded into local storage before navigation, as a returning user's are.
// Prints a table and writes target/bench/browser.json.
import { createServer } from 'node:http';
import { readFile, writeFile, mkdir, readdir, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runs = Number(args[args.indexOf('--runs') + 1]) || (quick ? 3 : 5);
// [bytes, annotations]; 0 bytes is the seed article itself.
const WORKLOADS = quick
  ? [[0, 20], [1024 * 1024, 10000]]
  : [[0, 20], [10 * 1024, 100], [100 * 1024, 1000], [1024 * 1024, 1000], [1024 * 1024, 10000]];

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

function serve() {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file;
    if (path === '/baseline.html') file = 'bench/baseline.html';
    else if (path === '/blank.html') { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>'); return; }
    else file = normalize(join('dist', path === '/' ? 'index.html' : path));
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
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

/** A fresh context and page on `url` (the app) with `entries` in local storage, loaded and ready. */
async function appWith(browser, base, entries, url = base) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + 'blank.html');
  await page.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, entries);
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('claimmark:ready').length > 0, null, { timeout: 120000 });
  return { context, page, errors };
}

/** Milliseconds from the button's click to `done()` holding, then two frames. */
function clickAndTime(page, label, done) {
  return page.evaluate(([label, done]) => new Promise((ok) => {
    const button = [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent.trim()) === label);
    const check = new Function(`return (${done})`);
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
async function transfer(browser, base, bytes, n) {
  const files = { export: `target/bench/export-${bytes}-${n}.claimmark.json`, revised: `target/bench/revised-${bytes}.txt`, web: `target/bench/web-${bytes}-${n}.annotations.jsonld` };
  const full = await workload(bytes, n, ['--export', files.export, '--revised', files.revised, '--web', files.web]);
  const empty = await workload(bytes, 0);
  const out = { export: [], importRead: [], importApply: [], reanchor: [], webRead: [] };
  let webSummary = '';
  for (let r = 0; r < runs; r++) {
    // Export: click → the Blob of the claimmark JSON file exists.
    {
      const { context, page, errors } = await appWith(browser, base, full.entries);
      await page.getByText('Export', { exact: true }).click();
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
      out.reanchor.push(await clickAndTime(page, 'New version: carry the annotations over', "document.querySelector('.notices-info .notice') !== null"));
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
      out.importApply.push(await clickAndTime(page, label.trim(), "document.querySelectorAll('.items > li').length > 0 && !document.querySelector('.import-dialog')"));
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
async function load(browser, base, which, w) {
  const url = which === 'app' ? base : `${base}baseline.html?id=${encodeURIComponent(w.articleId)}`;
  const { context, page, errors } = await appWith(browser, base, w.entries, url);
  const painted = await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now())))));
  const mark = await page.evaluate(() => {
    const m = performance.getEntriesByName('claimmark:ready')[0];
    return { detail: m.detail ?? null };
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
  const wasmBytes = mark.detail?.wasmBytes ?? 0;

  // Key press → new highlight painted, on a word in the first screen.
  await page.evaluate(() => {
    const root = document.querySelector('article');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('mark') || n.data.length < 40) continue;
      if (seen++ < 1) continue; // skip the headline
      const r = document.createRange();
      const i = n.data.indexOf(' ', 10) + 1;
      r.setStart(n, i);
      r.setEnd(n, n.data.indexOf(' ', i + 1));
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      return;
    }
  });
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  await page.evaluate(() => {
    window.__t0 = null;
    document.addEventListener('keydown', (e) => { if (e.key === 'f' && window.__t0 === null) window.__t0 = performance.now(); }, { capture: true });
  });
  const waitPaint = page.evaluate(() => new Promise((ok) => {
    const status = document.querySelector('[role=status]');
    const check = () => {
      if (window.__t0 !== null && status.textContent.trim() === 'Fact annotation created') {
        requestAnimationFrame(() => ok(performance.now() - window.__t0));
      } else requestAnimationFrame(check);
    };
    check();
  }));
  await page.keyboard.press('f');
  const keyToPaint = await waitPaint;
  await context.close();
  if (errors.length) throw new Error(`${which}: ${errors.join('; ')}`);
  return { painted, keyToPaint, jsHeap: heap.usedSize, wasmBytes, heap: heap.usedSize + wasmBytes, dom };
}

/**
 * Another tab's change, merged: two pages of one browser on workload `w`.
 * Page A tags a word; in page B each `storage` event is timed from a
 * listener that runs before the app's to one added after it, which runs once
 * the app's handler and the microtasks it queued (Yew's render) are done;
 * B's wasm memory is read before and after.
 */
async function merge(browser, base, w) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const setup = await context.newPage();
  await setup.goto(base + 'blank.html');
  await setup.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
  }, w.entries);
  await setup.close();
  const init = () => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
    window.__tasks = [];
    addEventListener('storage', (e) => { window.__t0 = performance.now(); }, { capture: true });
  };
  const open = async () => {
    const page = await context.newPage();
    await page.addInitScript(init);
    await page.goto(base);
    await page.waitForFunction(() => performance.getEntriesByName('claimmark:ready').length > 0, null, { timeout: 120000 });
    await page.evaluate(() => addEventListener('storage', (e) => window.__tasks.push({ key: e.key, ms: performance.now() - window.__t0 })));
    return page;
  };
  const a = await open();
  const b = await open();
  const memory = () => b.evaluate(() => window.__wasm.memory.buffer.byteLength);
  const before = await memory();
  await a.bringToFront();
  await a.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.data.length < 40 || seen++ < 3) continue;
      const r = document.createRange();
      const i = n.data.indexOf(' ', 10) + 1;
      r.setStart(n, i);
      r.setEnd(n, n.data.indexOf(' ', i + 1));
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      return;
    }
  });
  await a.keyboard.press('f');
  // B has merged it once it announces it (both builds do).
  await b.waitForFunction(() => (document.querySelector('[role=status]')?.textContent ?? '').includes('another tab'), null, { timeout: 120000 });
  await b.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const tasks = await b.evaluate(() => window.__tasks);
  const after = await memory();
  await context.close();
  return { ms: tasks.reduce((t, x) => t + x.ms, 0), events: tasks.length, before, after };
}

async function bundle() {
  const files = (await readdir('dist')).filter((f) => /\.(wasm|js|css)$/.test(f));
  let raw = 0, gz = 0;
  for (const f of files) {
    const body = await readFile(join('dist', f));
    raw += (await stat(join('dist', f))).size;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return { raw, gzip: gz };
}

const fmtMs = (x) => `${x.toFixed(0)} ms`;
const fmtMB = (x) => `${(x / 1048576).toFixed(1)} MB`;

await mkdir('target/bench', { recursive: true });
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
const chromeVersion = browser.version();
const results = [];
let transferResult = null;
let mergeResult = null;
try {
  for (const [bytes, n] of WORKLOADS) {
    const w = await workload(bytes, n);
    const samples = { app: [], baseline: [] };
    for (let r = 0; r < runs; r++) {
      // Interleaved, so both see the same machine load.
      for (const which of r % 2 ? ['app', 'baseline'] : ['baseline', 'app']) {
        samples[which].push(await load(browser, base, which, w));
      }
    }
    const summary = {};
    for (const which of ['app', 'baseline']) {
      const s = samples[which];
      summary[which] = Object.fromEntries(['painted', 'keyToPaint', 'jsHeap', 'wasmBytes', 'heap', 'dom'].map((k) => [k, median(s.map((x) => x[k]))]));
    }
    results.push({ seed: bytes === 0, kb: Math.round(w.bytes / 1024), annotations: w.annotations, runs, ...summary });
  }
  {
    const w = await workload(1024 * 1024, 10000);
    const samples = [];
    for (let r = 0; r < runs; r++) samples.push(await merge(browser, base, w));
    mergeResult = Object.fromEntries(['ms', 'events', 'before', 'after'].map((k) => [k, median(samples.map((x) => x[k]))]));
  }
  transferResult = await transfer(browser, base, 1024 * 1024, 10000);
} finally {
  await browser.close();
  server.close();
}
const size = await bundle();
const machine = { date: new Date().toISOString(), cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory: fmtMB(os.totalmem()), chromium: chromeVersion };

const rows = [['article', 'annotations', 'nav→painted app / base (×)', 'key→paint app / base', 'heap app / base (×)', 'DOM nodes app / base']];
for (const r of results) {
  rows.push([
    r.seed ? `seed (${r.kb} KB)` : `${r.kb} KB`, String(r.annotations),
    `${fmtMs(r.app.painted)} / ${fmtMs(r.baseline.painted)} (${(r.app.painted / r.baseline.painted).toFixed(2)}×)`,
    `${fmtMs(r.app.keyToPaint)} / ${fmtMs(r.baseline.keyToPaint)}`,
    `${fmtMB(r.app.heap)} / ${fmtMB(r.baseline.heap)} (${(r.app.heap / r.baseline.heap).toFixed(2)}×)`,
    `${r.app.dom} / ${r.baseline.dom}`,
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\nclaimmark benchmark — ${machine.date}, ${machine.cpus} × ${machine.cpu}, Chromium ${machine.chromium}, medians of ${runs} fresh loads`);
console.log(line(rows[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));
console.log(`first-load bundle (wasm + js + css): ${(size.raw / 1024).toFixed(0)} KB raw, ${(size.gzip / 1024).toFixed(0)} KB gzip`);
if (mergeResult) {
  const m = mergeResult;
  console.log(`\n1024 KB article, 10000 annotations, two tabs: another tab's change merged (medians of ${runs})`);
  console.log(`  the other tab's storage-event handlers, render included: ${m.ms.toFixed(1)} ms (${m.events} events); its wasm memory ${fmtMB(m.before)} → ${fmtMB(m.after)}`);
}
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
await writeFile('target/bench/browser.json', JSON.stringify({ machine, bundle: size, results, merge: mergeResult, transfer: transferResult }, null, 2));
console.log('written: target/bench/browser.json');
