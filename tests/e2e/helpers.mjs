// Shared helpers for the end-to-end tests: a static server for dist/ on
// 127.0.0.1 and the system Chromium driven by playwright-core (no download).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serve `dir` on a free port of 127.0.0.1; resolves to { url, close, setRoot, requests }.
 *
 * Options: `prefix` serves the files under a sub-path instead of the root
 * (e.g. '/claimmark/': `url` is then http://127.0.0.1:PORT/claimmark/, the
 * bare '/claimmark' redirects there as real servers do, and anything
 * outside the prefix is 404). `setRoot(dir)` serves another directory from
 * the next request on (a new release deployed to the same origin).
 * `requests` lists every path asked for, in order.
 */
export async function serve(dir = 'dist', { prefix = '/' } = {}) {
  let root = normalize(dir);
  const requests = [];
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const server = createServer(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(full);
    if (`${full}/` === base) { res.writeHead(301, { location: base }).end(); return; }
    if (!full.startsWith(base)) { res.writeHead(404).end('not found'); return; }
    const path = full.slice(base.length - 1);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base}`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    setRoot: (next) => { root = normalize(next); },
    // closeAllConnections: a service worker's keep-alive must not hold the server open.
    close: () => new Promise((ok) => { server.close(ok); server.closeAllConnections?.(); }),
  };
}

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
];

/** The system Chromium, headless, with the flags this machine needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * The same Chromium with a profile on disk in `userDataDir` (a browser
 * context that is not incognito, which installing an app needs); resolves to
 * the context.
 */
export async function launchPersistent(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * The system Chromium started as its own process (not through Playwright's
 * launcher) on the profile in `userDataDir`, so that a test can kill it as
 * a crash would: resolves to { browser, context, pid, crash }. `crash()`
 * sends SIGKILL to the browser process — no shutdown, no flush of what it
 * holds in memory — then to what is left of its process group, and
 * resolves once the browser process is gone.
 */
export async function spawnChromium(userDataDir) {
  const proc = spawn(process.env.CHROMIUM ?? '/usr/bin/chromium', [
    ...CHROMIUM_ARGS, '--headless=new', '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1',
    `--user-data-dir=${userDataDir}`, 'about:blank',
  ], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((ok) => proc.once('exit', ok));
  const endpoint = await new Promise((ok, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`Chromium did not start within ${WAIT_MS / 1000} s: ${seen}`)), WAIT_MS);
    proc.stderr.on('data', (d) => {
      seen += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); fail(new Error(`Chromium exited (${code}): ${seen}`)); });
  });
  const browser = await chromium.connectOverCDP(endpoint, { timeout: WAIT_MS });
  const crash = async () => {
    process.kill(proc.pid, 'SIGKILL');
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* the group is gone already */ }
    await within(exited, WAIT_MS, 'the killed browser process to exit');
  };
  const close = async () => {
    await within(browser.close(), WAIT_MS, 'the browser to close').catch(() => {});
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
    await within(exited, WAIT_MS, 'the browser process to exit');
  };
  return { browser, context: browser.contexts()[0], pid: proc.pid, crash, close };
}

/** `promise`, or a failure naming `what` after `ms`: no page promise may hang a test. */
export function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`gave up after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** How long any wait in these tests may take: generous, for a loaded 2-core machine. */
export const WAIT_MS = 20000;

/** Wait until `fn(arg)` is true in the page, or fail saying what was awaited. */
export async function waitUntil(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT_MS, polling: 20 });
  } catch (e) {
    throw new Error(`gave up after ${WAIT_MS / 1000} s waiting for ${what}: ${e.message.split('\n')[0]}`);
  }
}

/** A new page (in a fresh context, or in `context` to share its storage) that
 *  records console errors and page errors into `errors`. `init` runs in the
 *  page before any of its scripts. */
export async function openApp(browser, url, context = null, { init } = {}) {
  const page = context ? await context.newPage() : await browser.newPage();
  if (init) await page.addInitScript(init);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  // Give the page window focus now, so it does not arrive later and move focus.
  await page.bringToFront();
  await waitReady(page);
  return { page, errors };
}

/** Wait for performance.mark('claimmark:ready'), then two animation frames. */
export async function waitReady(page) {
  await waitUntil(page, 'the app to be ready', () => performance.getEntriesByName('claimmark:ready').length > 0);
  await frames(page);
}

/** Two animation frames of the page (what was changed is painted). */
export function frames(page) {
  return within(page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))), WAIT_MS, 'two animation frames');
}

/** Drag the real mouse across the first occurrence of `needle` in the article. */
export async function dragOver(page, needle) {
  const box = await page.evaluate((needle) => {
    // Search the article's text across text nodes (highlights split them).
    const nodes = [];
    const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
    let all = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push([n, all.length]);
      all += n.data;
    }
    const at = all.indexOf(needle);
    if (at < 0) return null;
    const locate = (pos, isEnd) => {
      let k = nodes.length - 1;
      while (k > 0 && (isEnd ? nodes[k][1] >= pos : nodes[k][1] > pos)) k--;
      return [nodes[k][0], pos - nodes[k][1]];
    };
    const r = document.createRange();
    r.setStart(...locate(at, false));
    r.setEnd(...locate(at + needle.length, true));
    r.startContainer.parentElement.scrollIntoView({ block: 'center' });
    const rects = r.getClientRects();
    const a = rects[0];
    const b = rects[rects.length - 1];
    return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
  }, needle);
  if (!box) throw new Error(`${needle} is not in the article`);
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move((box.x1 + box.x2) / 2, box.y2, { steps: 4 });
  await page.mouse.move(box.x2, box.y2, { steps: 4 });
  await page.mouse.up();
}

/** The panel's annotation items. */
/** A new fact shows its verdict; the explanation, sources and claim are
 * behind one button until filled in. Press it when it is there. */
export async function moreFields(item) {
  const more = item.getByRole('button', { name: /^Add explanation, sources, claim/ });
  if (await more.count()) await more.click();
}

/** Tag the first occurrence of `needle` in a page with `key` (a real drag, then the key) and wait for its item. */
export async function tag(page, needle, key) {
  const before = await panelItems(page).count();
  await page.bringToFront();
  await dragOver(page, needle);
  await page.keyboard.press(key);
  await waitUntil(page, `the item for "${needle}"`, (n) => document.querySelectorAll('.items > li').length === n, before + 1);
}

export function panelItems(page) {
  return page.getByRole('region', { name: 'Annotations' }).getByRole('list', { name: 'Annotation list' }).getByRole('listitem');
}

/** The texts of the ranges painted under a highlight name (CSS Custom Highlight API). */
export function painted(page, name) {
  return page.evaluate((name) => {
    const h = CSS.highlights.get(name);
    if (!h) return [];
    return [...h].sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b)).map((r) => r.toString());
  }, name);
}

/** Hold the `storage` events of a page (as a busy tab would not have seen
 *  another tab's change yet) while `window.__hold` is true; `release(page)`
 *  delivers them in order. Pass as `init` to `openApp`. */
export function holdStorageEvents() {
  window.__hold = false;
  window.__held = [];
  window.addEventListener('storage', (e) => {
    if (window.__hold && !e.__replay) {
      e.stopImmediatePropagation();
      window.__held.push({ key: e.key, oldValue: e.oldValue, newValue: e.newValue, url: e.url });
    }
  }, { capture: true });
}

/** Start holding a page's storage events (see `holdStorageEvents`). */
export function hold(page) {
  return page.evaluate(() => { window.__hold = true; });
}

/** Deliver the held storage events, in the order they came. */
export function release(page) {
  return page.evaluate(() => {
    window.__hold = false;
    for (const h of window.__held.splice(0)) {
      const e = new StorageEvent('storage', { ...h, storageArea: localStorage });
      e.__replay = true;
      window.dispatchEvent(e);
    }
  });
}

/** What local storage holds of an article's annotations (all its chunks):
 *  `{ live: {id: annotation}, deleted: {id: tombstone} }`. */
export function stored(page) {
  return page.evaluate(() => {
    const live = {};
    const deleted = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k.startsWith('claimmark:v1:ann:')) continue;
      const chunk = JSON.parse(localStorage.getItem(k));
      for (const a of chunk.annotations) live[a.id] = a;
      for (const t of chunk.tombstones) deleted[t.id] = t;
    }
    return { live, deleted };
  });
}

/** One static server and one browser for a test file; filled in `before`. */
export function suite() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await serve('dist');
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** `n` UUID v4 byte arrays (as the app's `new_id` makes them) whose ids all
 *  fall in chunk `bucket` (the first byte of the SHA-256 of the id). */
export function idsInChunk(n, bucket) {
  const out = [];
  while (out.length < n) {
    const b = randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    if (createHash('sha256').update(id).digest()[0] === bucket) out.push([...b]);
  }
  return out;
}

/** An init script: the page's next UUIDs are `ids` (then random again). */
export function fixedIds(ids) {
  const real = crypto.getRandomValues.bind(crypto);
  const queue = ids.slice();
  crypto.getRandomValues = (a) => {
    if (a instanceof Uint8Array && a.length === 16 && queue.length) {
      a.set(queue.shift());
      return a;
    }
    return real(a);
  };
}
