// Search across the library (issue 22): a library of 100 articles × 1,000
// annotations (notes on all, a claim and a verdict on facts; from
// `cargo run --release --example workload -- 20480 1000 OUT --library 100`),
// opened in the release app; "Search all articles" opened, then queries
// typed key by key with the real keyboard, 150 ms apart, as a person types.
//
// Local storage holds 5.2 million characters per site and this library is
// ~25 million, so the page gets an in-memory `localStorage` without a quota
// (the same methods the app calls; an init script installs it before the
// app starts, filled from the workload). Nothing else differs.
//
// Reported: the index build (click on "Search all articles" → the count
// shown, the whole library read and indexed at once; and the wasm memory
// before and after), and per keystroke the time from the keydown to the
// results drawn (the app marks `claimmark:search-drawn` the frame after it
// rendered them), over every key of the queries.
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';

const ARTICLES = 100;
const PER_ARTICLE = 1000;
const BYTES = 20 * 1024;

/** The in-memory local storage, filled from the workload served beside the app. */
function installStore() {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', '/__bench/library.json', false);
  xhr.send();
  const map = new Map(Object.entries(JSON.parse(xhr.responseText).entries));
  let keys = null;
  const store = {
    getItem: (k) => (map.has(String(k)) ? map.get(String(k)) : null),
    setItem: (k, v) => { if (!map.has(String(k))) keys = null; map.set(String(k), String(v)); },
    removeItem: (k) => { keys = null; map.delete(String(k)); },
    key: (i) => { keys ??= [...map.keys()]; return i < keys.length ? keys[i] : null; },
    clear: () => { keys = null; map.clear(); },
    get length() { return map.size; },
  };
  Object.defineProperty(window, 'localStorage', { value: store, configurable: true });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function searchBench(browser, base, runs) {
  const out = 'target/bench/workload-library.json';
  execFileSync('cargo', ['run', '-q', '--release', '--example', 'workload', '--', String(BYTES), String(PER_ARTICLE), out, '--library', String(ARTICLES)], { stdio: 'inherit' });
  const body = await readFile(out);
  const { annotations, units, queries } = JSON.parse(body);
  const builds = [];
  const keys = [];
  const memory = [];
  const counts = {};
  for (let r = 0; r < runs; r++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    await context.route('**/__bench/library.json', (route) => route.fulfill({ body, contentType: 'application/json' }));
    await context.addInitScript(installStore);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('crash', () => errors.push('the page crashed'));
    await page.goto(base);
    await page.waitForFunction(() => performance.getEntriesByName('claimmark:ready').length > 0, null, { timeout: 120000 });
    const before = await page.evaluate(() => performance.getEntriesByName('claimmark:ready')[0].detail?.wasmBytes ?? 0);
    // The index is built when the dialog opens (before the app's own idle build starts).
    const t0 = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Search all articles' }).click();
    await page.waitForFunction(() => /annotations in/.test(document.querySelector('#search-count')?.textContent ?? ''), null, { timeout: 120000, polling: 'raf' });
    const built = await page.evaluate(() => performance.now());
    builds.push(built - t0);
    console.error(`search: run ${r + 1}: the index of ${ARTICLES} articles built in ${(built - t0).toFixed(0)} ms`);
    const after = await page.evaluate(() => performance.getEntriesByName('claimmark:indexed').at(-1)?.detail?.wasmBytes ?? 0);
    memory.push({ before, after });
    const box = page.getByRole('searchbox', { name: 'Search all annotations' });
    await box.focus();
    await page.evaluate(() => {
      window.__keydowns = [];
      document.addEventListener('keydown', () => window.__keydowns.push(performance.now()), { capture: true });
    });
    for (const q of queries) {
      await box.fill('');
      await page.waitForTimeout(200);
      for (const ch of q) {
        await page.keyboard.press(ch === ' ' ? 'Space' : ch);
        // From the keydown (recorded in the page by a listener installed
        // once, so no key can come before its listener) to the results
        // drawn after it.
        keys.push(await page.evaluate(() => new Promise((ok, no) => {
          const t = window.__keydowns.at(-1);
          const check = () => {
            const m = performance.getEntriesByName('claimmark:search-drawn').filter((e) => e.startTime > t);
            if (m.length) ok(m[0].startTime - t);
            else if (performance.now() - t > 20000) no(new Error('no search drawn within 20 s of a key'));
            else requestAnimationFrame(check);
          };
          check();
        })));
        await page.waitForTimeout(150);
      }
      counts[q] = await page.locator('#search-count').textContent();
      console.error(`search: run ${r + 1}: ${JSON.stringify(q)} → ${counts[q]}`);
    }
    await context.close();
    if (errors.length) throw new Error(`search: ${errors.join('; ')}`);
  }
  return {
    articles: ARTICLES,
    annotations,
    storedUnits: units,
    runs,
    buildMs: median(builds),
    builds,
    keyMs: median(keys),
    keyP90Ms: [...keys].sort((a, b) => a - b)[Math.floor(keys.length * 0.9)],
    keyMaxMs: Math.max(...keys),
    keys: keys.length,
    wasmBefore: median(memory.map((m) => m.before)),
    wasmAfter: median(memory.map((m) => m.after)),
    counts,
  };
}
