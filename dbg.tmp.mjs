import { readFile } from 'node:fs/promises';
import { serve, launch } from './tests/e2e/helpers.mjs';
const body = await readFile('target/bench/workload-library.json');
const server = await serve('dist');
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
await context.route('**/__bench/library.json', (route) => route.fulfill({ body, contentType: 'application/json' }));
await context.addInitScript(() => {
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
});
const page = await context.newPage();
page.on('crash', () => console.log('CRASH'));
page.on('pageerror', (e) => console.log('pageerror', String(e)));
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 200)));
await page.goto(server.url);
await page.waitForFunction(() => performance.getEntriesByName('claimmark:ready').length > 0, null, { timeout: 120000 });
console.log('ready', await page.evaluate(() => [document.querySelector('article h1')?.textContent, localStorage.length]));
const t0 = Date.now();
await page.getByRole('button', { name: 'Search all articles' }).click();
try {
  await page.waitForFunction(() => /annotations in/.test(document.querySelector('#search-count')?.textContent ?? ''), null, { timeout: 120000, polling: 500 });
  console.log("built in", Date.now() - t0, await page.locator("#search-count").textContent(), await page.evaluate(() => performance.getEntriesByName("claimmark:indexed").map(e => e.detail)));
} catch (e) { console.log('fail', e.message.slice(0, 300)); }
await browser.close(); await server.close();
