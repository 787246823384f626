// The team part of the browser benchmark (`node bench/run.mjs --only team`):
// a real CouchDB-compatible server (pouchdb-server, in memory, set up by
// couchdb/setup.sh) on loopback, holding a 1 MB article with 10,000
// annotations by ana.
//
// - first sync: a browser that has the article (not its annotations) signs
//   in as ben; from the click on "Sign in" to "Synced" with all 10,000 in
//   the panel. Fresh browser context each run.
// - one change to another browser: ana and ben both signed in on the
//   article; ana tags a word (keydown) → ben's panel counts one more.
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { startCouch, USERS } from '../tests/e2e/couch.mjs';

const WAIT = 60000;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A page of the app with only the article (record and library entry) stored, and the team set up. */
async function pageWith(browser, base, entries, team) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}blank.html`);
  await page.evaluate(([entries, team]) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
    localStorage.setItem('claimmark:v1:team', JSON.stringify(team));
  }, [entries, team]);
  await page.addInitScript(installTotal);
  await page.goto(base);
  await page.waitForFunction(() => performance.getEntriesByName('claimmark:ready').length > 0, null, { timeout: WAIT });
  return { context, page, errors };
}

/** Sign in through the Team dialog; resolves when the click is made (ms, Date.now()). */
async function signIn(page, user) {
  await page.getByRole('button', { name: 'Team', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Team' });
  await dialog.getByLabel('Password').fill(USERS[user]);
  const at = await page.evaluate(() => Date.now());
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  return at;
}

/** The panel's total count (the three tag counts), installed in the page as `window.__total`. */
function installTotal() {
  window.__total = () => [...document.querySelectorAll('.count-n')].reduce((n, el) => n + Number(el.textContent), 0);
}

async function synced(page, n) {
  await page.waitForFunction((n) => document.querySelector('#team-status')?.textContent === 'Synced' && window.__total() === n,
    n, { timeout: WAIT, polling: 10 });
  return page.evaluate(() => Date.now());
}

export async function teamBench(browser, base, runs) {
  execFileSync('cargo', ['run', '-q', '--release', '--example', 'workload', '--', String(1024 * 1024), '10000',
    'target/bench/workload-team.json', '--team', 'target/bench/team-docs.json'], { stdio: 'inherit' });
  const w = JSON.parse(await readFile('target/bench/workload-team.json', 'utf8'));
  // The article alone: its record and library entry, not its annotations.
  const entries = Object.fromEntries(Object.entries(w.entries).filter(([k]) => !k.startsWith('claimmark:v1:ann:')));
  const couch = await startCouch({ db: 'bench' });
  try {
    const body = await readFile('target/bench/team-docs.json');
    const r = await couch.admin('/bench/_bulk_docs', { method: 'POST', body });
    if (r.status !== 201) throw new Error(`loading the documents: ${r.status}`);
    const n = w.annotations;
    const url = couch.dbUrl;
    const first = [];
    for (let i = 0; i < runs; i++) {
      const { context, page } = await pageWith(browser, base, entries, { url, user: 'ben' });
      const t0 = await signIn(page, 'ben');
      first.push(await synced(page, n) - t0);
      await context.close();
    }
    // Two members on the article; ana tags words, ben sees each.
    const a = await pageWith(browser, base, entries, { url, user: 'ana' });
    const b = await pageWith(browser, base, entries, { url, user: 'ben' });
    await signIn(a.page, 'ana');
    await signIn(b.page, 'ben');
    await synced(a.page, n);
    await synced(b.page, n);
    await a.page.evaluate(() => {
      window.__keydowns = [];
      document.addEventListener('keydown', () => window.__keydowns.push(Date.now()), { capture: true });
    });
    const reach = [];
    const words = await a.page.evaluate(() => [...document.querySelectorAll('article p')].slice(3, 3 + 20)
      .map((p) => p.textContent.split(/\s+/).find((x) => /^[a-z]{7,}$/.test(x))).filter(Boolean));
    for (let i = 0; i < Math.min(runs, words.length); i++) {
      const before = await b.page.evaluate(() => window.__total());
      await b.page.evaluate((want) => {
        window.__seen = null;
        const check = () => { if (window.__total() >= want) { window.__seen = Date.now(); return true; } return false; };
        const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
        obs.observe(document.querySelector('.summary'), { subtree: true, childList: true, characterData: true });
      }, before + 1);
      // Select one word in ana's article (a DOM range, as the selection tests do) and press f.
      await a.page.evaluate((word) => {
        const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
          const at = t.data.indexOf(` ${word} `);
          if (at >= 0) {
            const r = document.createRange();
            r.setStart(t, at + 1);
            r.setEnd(t, at + 1 + word.length);
            t.parentElement.scrollIntoView({ block: 'center' });
            getSelection().removeAllRanges();
            getSelection().addRange(r);
            document.dispatchEvent(new Event('selectionchange'));
            return;
          }
        }
      }, words[i]);
      await a.page.waitForFunction(() => document.querySelector('[role=toolbar]'), null, { timeout: WAIT }).catch(() => {});
      await a.page.keyboard.press('f');
      await b.page.waitForFunction(() => window.__seen !== null, null, { timeout: WAIT, polling: 10 });
      const seen = await b.page.evaluate(() => window.__seen);
      const down = await a.page.evaluate(() => window.__keydowns.at(-1));
      reach.push(seen - down);
      await a.page.waitForFunction(() => document.querySelector('#team-status')?.textContent === 'Synced', null, { timeout: WAIT });
    }
    await a.context.close();
    await b.context.close();
    return { annotations: n, kb: Math.round(w.bytes / 1024), firstSync: median(first), firstSyncRuns: first, reach: median(reach), reachRuns: reach };
  } finally {
    await couch.stop();
  }
}
