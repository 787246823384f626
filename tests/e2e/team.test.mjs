// End-to-end: teams through a real CouchDB-compatible server
// (pouchdb-server, in memory, started by this file and set up by
// couchdb/setup.sh). Two browser contexts signed in as two members of one
// database; a server cut off and back; wrong password and non-member;
// a refusal by the server's rules; hostile documents planted in the
// database; a reload in the middle of a push.
// Run alone: `node --test tests/e2e/team.test.mjs` after `make release`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite, openApp, panelItems, waitUntil, waitReady, tag, WAIT_MS } from './helpers.mjs';
import { startCouch, USERS } from './couch.mjs';

const env = suite();
let couch;
before(async () => { couch = await startCouch(); });
after(async () => { await couch?.stop(); });

let dbs = 0;
/** A fresh team database (so tests do not see each other's annotations): its URL, direct and through the proxy. */
async function newDb() {
  const db = `team${++dbs}`;
  await promisify(execFile)('sh', ['couchdb/setup.sh'], {
    env: {
      ...process.env,
      COUCH: couch.url.replace('http://', 'http://admin:admin-secret@'),
      DB: db,
      MEMBERS: `ana:${USERS.ana} ben:${USERS.ben}:editor carl:${USERS.carl}`,
    },
  });
  return { db, url: `${couch.url}/${db}`, proxied: couch.proxyDbUrl.replace(/\/[^/]+$/, `/${db}`) };
}

/** All documents of a database, as the admin reads them. */
async function docs(db) {
  const r = await couch.admin(`/${db}/_all_docs?include_docs=true`);
  return (await r.json()).rows.map((row) => row.doc).filter((d) => d._id.startsWith('ann:'));
}

/** The team's status line. */
function status(page) {
  return page.locator('#team-status');
}

/** Open "Team", sign in, and (unless `expect` says otherwise) wait for "Synced". */
async function signIn(page, url, user, { password = USERS[user], expect = 'Synced' } = {}) {
  await page.getByRole('button', { name: 'Team', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Team' });
  await dialog.getByLabel('Database address').fill(url);
  await dialog.getByLabel('User name').fill(user);
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  if (expect === 'Synced') {
    await dialog.waitFor({ state: 'detached' });
    await waitUntil(page, `${user}'s status to say Synced`, () => document.querySelector('#team-status')?.textContent === 'Synced');
  }
  return dialog;
}

/** The panel's items as "quote | note | by" lines, sorted. */
function items(page) {
  return page.evaluate(() => [...document.querySelectorAll('.items > li')].map((li) => [
    li.querySelector('.item-quote')?.textContent ?? '',
    li.querySelector('textarea.note')?.value ?? '',
    li.querySelector('.author-badge')?.textContent ?? '',
  ].join(' | ')).sort());
}

/** Type a note into the item whose quote is `quote` and leave the field (one change). */
async function setNote(page, quote, note) {
  const item = panelItems(page).filter({ hasText: quote });
  await item.getByLabel('Note').fill(note);
  await item.getByLabel('Note').blur();
}

/** Wait until `page` lists exactly `expected` (sorted item lines). */
async function waitItems(page, what, expected) {
  await waitUntil(page, what, (want) => {
    const got = [...document.querySelectorAll('.items > li')].map((li) => [
      li.querySelector('.item-quote')?.textContent ?? '',
      li.querySelector('textarea.note')?.value ?? '',
      li.querySelector('.author-badge')?.textContent ?? '',
    ].join(' | ')).sort();
    return JSON.stringify(got) === JSON.stringify(want);
  }, expected);
}

test('two members on one database: an annotation made by one appears in the other within 2 s, with its author, filterable; the Library opens the team\'s articles', async () => {
  const { url } = await newDb();
  const ca = await env.browser.newContext();
  const cb = await env.browser.newContext();
  const { page: ana, errors: ea } = await openApp(env.browser, env.server.url, ca);
  const { page: ben, errors: eb } = await openApp(env.browser, env.server.url, cb);
  await signIn(ana, url, 'ana');
  await signIn(ben, url, 'ben');

  const start = Date.now();
  await tag(ana, 'Richard Grenell', 'q');
  await waitUntil(ben, 'ana\'s annotation in ben\'s panel', () => document.querySelectorAll('.items > li').length === 1);
  const took = Date.now() - start;
  assert.ok(took <= 2000, `it took ${took} ms to reach the other browser`);
  assert.deepEqual(await items(ben), ['Richard Grenell |  | by ana']);
  // Ben's screen reader hears what arrived and from whom.
  await waitUntil(ben, 'the arrival said', () => document.querySelector('[aria-live]')?.textContent.trim() === 'From the team: a new Quote by ana, “Richard Grenell”');

  // Ben answers; both see both, and the author filter appears with two authors.
  await tag(ben, 'Caracas to assess', 'a');
  await waitItems(ana, 'ben\'s annotation at ana\'s', ['Caracas to assess |  | by ben', 'Richard Grenell |  | by ana']);
  await ana.getByLabel('Filter by author').selectOption({ label: 'ben' });
  assert.deepEqual(await items(ana), ['Caracas to assess |  | by ben']);
  await ana.getByLabel('Filter by author').selectOption({ label: 'Anyone' });

  // An edit travels too, and the server holds both, each with its author.
  await setNote(ben, 'Richard Grenell', 'Confirmed by the State Department');
  await waitItems(ana, 'ben\'s note at ana\'s', ['Caracas to assess |  | by ben', 'Richard Grenell | Confirmed by the State Department | by ana']);
  const stored = await docs(url.split('/').pop());
  assert.deepEqual(stored.map((d) => d.author).sort(), ['ana', 'ben']);

  // A new article ana opens is shared; ben's Library lists it and opens it with its annotations.
  await ana.getByRole('button', { name: 'Paste article' }).click();
  await ana.getByRole('dialog').getByRole('textbox').first().fill('Team Test Headline\n\nA paragraph the whole desk checks together, word by word.');
  await ana.getByRole('dialog').getByRole('button', { name: /^Open/ }).click();
  await waitUntil(ana, 'the pasted article', () => document.querySelector('article h1')?.textContent === 'Team Test Headline');
  await waitUntil(ana, 'Synced on the new article', () => document.querySelector('#team-status')?.textContent === 'Synced');
  await tag(ana, 'whole desk', 'f');
  await waitUntil(ana, 'Synced after the change', () => document.querySelector('#team-status')?.textContent === 'Synced');
  await ben.getByText('Library', { exact: true }).click();
  const open = ben.getByRole('button', { name: 'Open Team Test Headline from the team' });
  await open.click();
  await waitUntil(ben, 'the team\'s article open at ben\'s', () => document.querySelector('article h1')?.textContent === 'Team Test Headline');
  await waitItems(ben, 'its annotation at ben\'s', ['whole desk |  | by ana']);
  assert.deepEqual(ea, []);
  assert.deepEqual(eb, []);
  await ca.close();
  await cb.close();
});

test('both edit while the server is unreachable; when it comes back both converge, nothing lost, and the one whose edit lost can bring it back', async () => {
  const { proxied } = await newDb();
  const ca = await env.browser.newContext();
  const cb = await env.browser.newContext();
  const { page: ana } = await openApp(env.browser, env.server.url, ca);
  const { page: ben } = await openApp(env.browser, env.server.url, cb);
  await signIn(ana, proxied, 'ana');
  await signIn(ben, proxied, 'ben');
  await tag(ana, 'Richard Grenell', 'q');
  await waitItems(ben, 'the shared annotation', ['Richard Grenell |  | by ana']);
  await record(ana);

  couch.proxy.cut();
  try {
    await tag(ana, 'Caracas to assess', 'a');
    await setNote(ana, 'Richard Grenell', 'ana offline');
    await tag(ben, 'Maduro and flew him', 'f');
    await waitUntil(ana, 'ana\'s status to say the server is unreachable', () => /^Server unreachable — retrying in \d+ s; \d+ changes? waiting$/.test(document.querySelector('#team-status')?.textContent ?? ''));
    // Ben (an editor) edits the same annotation later: his edit wins.
    await setNote(ben, 'Richard Grenell', 'ben offline, later');
    await waitUntil(ben, 'ben\'s status to show changes waiting', () => /waiting$/.test(document.querySelector('#team-status')?.textContent ?? ''));
  } finally {
    couch.proxy.restore();
  }
  const both = [
    'Caracas to assess |  | by ana',
    'Maduro and flew him |  | by ben',
    'Richard Grenell | ben offline, later | by ana',
  ];
  await waitItems(ana, 'ana to converge', both);
  await waitItems(ben, 'ben to converge', both);
  await waitUntil(ana, 'Synced', () => document.querySelector('#team-status')?.textContent === 'Synced');
  // Ana is told her note lost, and brings it back as a new edit, which reaches ben.
  const lost = ana.locator('.team-lost');
  await lost.waitFor();
  assert.match(await lost.textContent(), /Your change to “Richard Grenell” was replaced by a later change from the team/);
  // Shown once (no second banner saying the same), and said in the live region.
  assert.equal(await ana.locator('.notices-info .notice').count(), 0);
  assert.ok((await ana.evaluate(() => window.__said)).some((s) => s.includes('Your change to “Richard Grenell” was replaced by a later change from the team')));
  await lost.getByRole('button', { name: /^Bring mine back/ }).click();
  await waitItems(ben, 'ana\'s note brought back at ben\'s', [both[0], both[1], 'Richard Grenell | ana offline | by ana']);
  await ca.close();
  await cb.close();
});

test('a wrong password and a non-member get clear messages', async () => {
  const { url } = await newDb();
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  let dialog = await signIn(page, url, 'ana', { password: 'not-it', expect: 'error' });
  await dialog.getByRole('alert').waitFor();
  assert.match(await dialog.getByRole('alert').textContent(), /^Wrong password/);
  assert.equal(await status(page).textContent(), 'Wrong password');
  // One alert, in the dialog (not a second one on the page behind it); what
  // was typed stays, only the password is cleared, and each field points at
  // the alert.
  const alertsSaying = () => page.evaluate(() => [...document.querySelectorAll('[role=alert]')].filter((a) => a.textContent.trim()).length);
  assert.equal(await alertsSaying(), 1);
  assert.equal(await dialog.getByLabel('Database address').inputValue(), url);
  assert.equal(await dialog.getByLabel('User name').inputValue(), 'ana');
  assert.equal(await dialog.getByLabel('Password').inputValue(), '');
  assert.equal(await dialog.getByLabel('User name').getAttribute('aria-invalid'), 'true');
  // The right password alone then signs in, and no error is left behind.
  await dialog.getByLabel('Password').fill(USERS.ana);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await dialog.waitFor({ state: 'detached' });
  await waitUntil(page, 'Synced', () => document.querySelector('#team-status')?.textContent === 'Synced');
  assert.equal(await alertsSaying(), 0);
  // Reopened while signed in, focus is on Close, not on Sign out.
  await page.getByRole('button', { name: 'Team', exact: true }).click();
  await dialog.getByRole('button', { name: 'Close' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Close');
  await dialog.getByRole('button', { name: 'Sign out' }).click();
  await dialog.waitFor({ state: 'detached' });
  dialog = await signIn(page, url, 'ana', { password: 'not-it', expect: 'error' });
  await dialog.getByRole('alert').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  dialog = await signIn(page, url, 'eve', { expect: 'error' });
  await waitUntil(page, 'the non-member message', () => /not a member/.test(document.querySelector('[role=dialog] [role=alert]')?.textContent ?? ''));
  assert.match(await dialog.getByRole('alert').textContent(), /^You are not a member of this database/);
  assert.equal(await status(page).textContent(), 'You are not a member of this database');
  // Nothing about the password is kept anywhere.
  const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  assert.ok(!kept.includes(USERS.eve) && !kept.includes('not-it'), 'no password in storage');
  // (Chromium logs each 401 answer itself; nothing else went wrong.)
  assert.deepEqual(errors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e)), []);
  await context.close();
});

test('a member who is not the author cannot change another\'s annotation: the server refuses, the team\'s version comes back, and it is explained', async () => {
  const { url, db } = await newDb();
  const ca = await env.browser.newContext();
  const cc = await env.browser.newContext();
  const { page: ana } = await openApp(env.browser, env.server.url, ca);
  const { page: carl } = await openApp(env.browser, env.server.url, cc);
  await signIn(ana, url, 'ana');
  await signIn(carl, url, 'carl');
  await tag(ana, 'Richard Grenell', 'q');
  await setNote(ana, 'Richard Grenell', 'ana checked this');
  await waitItems(carl, 'ana\'s annotation at carl\'s', ['Richard Grenell | ana checked this | by ana']);
  await setNote(carl, 'Richard Grenell', 'carl rewrote it');
  await waitUntil(carl, 'the refusal, explained', () => /refused your change to “Richard Grenell” \(Only ana \(who made it\) or an editor may change or delete this annotation\.\); the team's version is back/.test(document.querySelector('[role=alert]')?.textContent ?? ''));
  await waitItems(carl, 'ana\'s version back at carl\'s', ['Richard Grenell | ana checked this | by ana']);
  // It stays back after a reload (stored, not only on screen), and the server never changed.
  await carl.reload();
  await waitReady(carl);
  assert.deepEqual(await items(carl), ['Richard Grenell | ana checked this | by ana']);
  const onServer = await docs(db);
  assert.equal(onServer.length, 1);
  assert.equal(onServer[0].note, 'ana checked this');
  await ca.close();
  await cc.close();
});

test('hostile documents planted in the database are skipped with a message and run nothing', async () => {
  const { url, db } = await newDb();
  const context = await env.browser.newContext();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await signIn(page, url, 'ana');
  // The open article (the seed) is shared on signing in: its id is in the team's list.
  const list = await (await couch.admin(`/${db}/_all_docs?startkey="list:"&endkey="list:\ufff0"`)).json();
  const id = list.rows[0].id.slice('list:'.length);
  assert.ok(/^[0-9a-f]{64}$/.test(id), `the seed's id (${id})`);
  const base = (n, fields) => ({
    _id: `ann:${id}:${n}`, type: 'annotation', article: id, id: n, author: 'mallory', tag: 'fact', start: 0, end: 4,
    note: '', created: '2026-11-29T10:00:00.000Z', clock: { life: 0, changed: 1795992619331 }, ...fields,
  });
  const planted = [
    base('markup', { note: '<img src="http://127.0.0.1:9/x" onerror="window.__pwned = 1"><script>window.__pwned = 2</script>' }),
    base('outside', { start: 10, end: 10_000_000 }),
    base('huge', { note: 'x'.repeat(300_000) }),
    base('types', { tag: ['fact'], start: '0', clock: 'soon' }),
  ];
  // Planted by the admin, past the validation function.
  const r = await couch.admin(`/${db}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs: planted }) });
  assert.equal(r.status, 201);
  // They arrive through the changes feed, as any change from the team does.
  await waitUntil(page, 'the message naming what was skipped', () => /Skipped 3 annotations from the team/.test(document.querySelector('.alerts')?.textContent ?? ''));
  const message = await page.locator('.alerts').textContent();
  for (const n of ['outside', 'huge', 'types']) assert.match(message, new RegExp(`ann:${id}:${n}`));
  assert.match(message, /past the end of the text/);
  assert.match(message, /note has 300000 characters/);
  // The one with markup is an annotation whose note is that text, shown as text.
  await waitUntil(page, 'the markup note in the panel', () => document.querySelectorAll('.items > li').length === 1);
  const note = await panelItems(page).first().getByLabel('Note').inputValue();
  assert.ok(note.startsWith('<img src='), note);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('.panel img, .panel script, article img').count(), 0);
  assert.ok(!requests.some((u) => u.includes('127.0.0.1:9/')), 'the planted image was never fetched');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload in the middle of a push loses nothing: the queue survives, and the next sign-in sends it', async () => {
  const { url, db } = await newDb();
  const context = await env.browser.newContext();
  const { page } = await openApp(env.browser, env.server.url, context);
  await signIn(page, url, 'ana');
  // The push never gets an answer: the page is reloaded while it is under way.
  let held = 0;
  await page.route('**/_bulk_docs', () => { held++; });
  await tag(page, 'Richard Grenell', 'q');
  await setNote(page, 'Richard Grenell', 'sent after the reload');
  await waitUntil(page, 'the push to be under way', () => /^Sending/.test(document.querySelector('#team-status')?.textContent ?? ''));
  assert.ok(held >= 1, 'a push was under way');
  await page.reload();
  await waitReady(page);
  await page.unroute('**/_bulk_docs');
  assert.deepEqual(await docs(db), [], 'nothing reached the server yet');
  assert.match(await status(page).textContent(), /^Signed out — 1 change waiting; sign in to sync$/);
  await signIn(page, url, 'ana');
  const onServer = await docs(db);
  assert.equal(onServer.length, 1);
  assert.equal(onServer[0].note, 'sent after the reload');
  assert.equal(onServer[0].author, 'ana');
  await context.close();
});

test('with a team the header still fits: a phone keeps it under 15 % of the screen with 44 px targets, 1280 px keeps one row of buttons', async () => {
  const config = () => localStorage.setItem('claimmark:v1:team', JSON.stringify({ url: 'https://couch.example.org/newsdesk', user: 'ana' }));
  const phone = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const { page } = await openApp(env.browser, env.server.url, phone, { init: config });
  assert.equal(await status(page).textContent(), 'Signed out — sign in to sync');
  const header = await page.locator('header').boundingBox();
  assert.ok(header.height <= 844 * 0.15, `the header takes ${Math.round(header.height)} px`);
  const team = await page.getByRole('button', { name: 'Team', exact: true }).boundingBox();
  assert.ok(team.width >= 44 && team.height >= 44, `Team is ${Math.round(team.width)}×${Math.round(team.height)}`);
  assert.ok(team.x + team.width <= 390, 'Team is on screen');
  await phone.close();
  const wide = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page: p2 } = await openApp(env.browser, env.server.url, wide, { init: config });
  const rows = await p2.evaluate(() => [...document.querySelectorAll('header button, header .file-button')]
    .filter((b) => b.offsetParent).map((b) => { const r = b.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2); }));
  assert.equal(new Set(rows).size, 1, `buttons on rows centred at ${[...new Set(rows)]}`);
  await wide.close();
});

// ------------------------------------------------------------ issue 19: a member or a fault cannot stop, fool or slow the others

/** Record everything the live region and the team's status line show from now on (`window.__said`, `window.__statuses`). */
async function record(page) {
  await page.evaluate(() => {
    window.__said = [];
    window.__statuses = [];
    const live = document.querySelector('[role=status][aria-live]');
    new MutationObserver(() => {
      const t = live.textContent.trim();
      if (t) window.__said.push(t);
    }).observe(live, { childList: true, subtree: true, characterData: true });
    const header = document.querySelector('header') ?? document.body;
    let last = document.querySelector('#team-status')?.textContent ?? '';
    new MutationObserver(() => {
      const t = document.querySelector('#team-status')?.textContent ?? '';
      if (t !== last) window.__statuses.push(t);
      last = t;
    }).observe(header, { childList: true, subtree: true, characterData: true });
  });
}

/** `"deep"` inside `n` lists. */
function nested(n) {
  let v = 'deep';
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

/** The open article's id, as this browser stored it (once annotated). */
function storedId(page) {
  return page.evaluate(() => Object.keys(localStorage).map((k) => /^claimmark:v1:article:([0-9a-f]{64})$/.exec(k)?.[1]).find(Boolean));
}

/** An annotation document of `article` made by `author`. */
function annDoc(article, n, author, fields = {}) {
  return {
    _id: `ann:${article}:${n}`, type: 'annotation', article, id: n, author, tag: 'fact', start: 0, end: 4,
    note: '', created: '2026-11-29T10:00:00.000Z', clock: { life: 0, changed: 1795992619331 }, ...fields,
  };
}

test('one document nested past any reader\'s depth stops nobody: the rules refuse it, and one planted past them is named and skipped while everything else arrives', async () => {
  const { url, db } = await newDb();
  const ca = await env.browser.newContext();
  const { page: ana, errors } = await openApp(env.browser, env.server.url, ca);
  await tag(ana, 'Richard Grenell', 'q');
  await signIn(ana, url, 'ana');
  const id = await storedId(ana);
  // A member cannot write it: the design document refuses fields it does not know.
  const put = await couch.as('carl', `/${encodeURIComponent(`ann:${id}:deep`)}`, {
    method: 'PUT', body: JSON.stringify(annDoc(id, 'deep', 'carl', { extra: nested(126) })),
  }, db);
  assert.equal(put.status, 403);
  assert.match((await put.json()).reason, /does not write: extra/);
  // Planted past the rules (as the old rules let any member), with a good
  // one beside it, and a list entry nested as deep.
  const requests = [];
  ca.on('request', (r) => { if (r.url().startsWith(url)) requests.push(r.url()); });
  const planted = [
    annDoc(id, 'extra', 'mallory', { extra: nested(126) }),
    annDoc(id, 'sources', 'mallory', { sources: nested(200) }),
    annDoc(id, 'good', 'ben', { start: 5, end: 15 }),
    { _id: `list:${'e'.repeat(64)}`, type: 'list', title: nested(300), chars: 1 },
  ];
  const r = await couch.admin(`/${db}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs: planted }) });
  assert.equal(r.status, 201);
  // Ana gets the readable ones (the unknown field is never looked into);
  // the unreadable one is named in the alert.
  await waitUntil(ana, 'the two readable annotations beside hers', () => document.querySelectorAll('.items > li').length === 3);
  await waitUntil(ana, 'the alert naming the unreadable one', (id) => (document.querySelector('.alerts')?.textContent ?? '').includes(`ann:${id}:sources: its sources cannot be read`), id);
  const at = requests.length;
  // Still following: ben's next annotation arrives, and nothing hammers the server meanwhile.
  const cb = await env.browser.newContext();
  const { page: ben } = await openApp(env.browser, env.server.url, cb);
  await signIn(ben, url, 'ben');
  await tag(ben, 'Caracas to assess', 'a');
  await waitUntil(ana, 'ben\'s new annotation', () => document.querySelectorAll('.items > li').length === 4);
  assert.ok(requests.length - at <= 6, `ana sent ${requests.length - at} requests meanwhile: ${requests.slice(at).join(' ')}`);
  // A member signing in for the first time syncs everything readable, and
  // the team's list still shows its articles.
  const cc = await env.browser.newContext();
  const { page: carl } = await openApp(env.browser, env.server.url, cc);
  await signIn(carl, url, 'carl');
  await waitUntil(carl, 'the first sync', () => document.querySelectorAll('.items > li').length === 4);
  assert.deepEqual(errors, []);
  await ana.getByRole('button', { name: 'Paste article' }).click();
  await ana.getByRole('dialog').getByRole('textbox').first().fill('Deep Nest Headline\n\nA second article, shared beside a broken list entry.');
  await ana.getByRole('dialog').getByRole('button', { name: /^Open/ }).click();
  await waitUntil(ana, 'the pasted article shared', () => document.querySelector('#team-status')?.textContent === 'Synced' && document.querySelector('article h1')?.textContent === 'Deep Nest Headline');
  await carl.getByText('Library', { exact: true }).click();
  await carl.getByRole('button', { name: 'Open Deep Nest Headline from the team' }).waitFor({ timeout: WAIT_MS });
  assert.match(await carl.locator('.team-articles').textContent(), /1 entry of the team's list could not be read and is left out/);
  for (const c of [ca, cb, cc]) await c.close();
});

test('an article forged under a real one\'s id is never opened, its sharer is told, an editor puts the real text back or removes it', async () => {
  const { url, db } = await newDb();
  const ca = await env.browser.newContext();
  const { page: ana } = await openApp(env.browser, env.server.url, ca);
  await tag(ana, 'Richard Grenell', 'q');
  const id = await storedId(ana);
  // Carl shares "the seed" first, with other words under its id.
  const forged = {
    _id: `article:${id}`, type: 'article', id, title: 'U.S. and Venezuela Begin Restoring Diplomatic Ties',
    text: 'Nothing of what the article says.', blocks: [{ kind: 'paragraph', span: { start: 0, end: 33 } }],
  };
  for (const doc of [forged, { _id: `list:${id}`, type: 'list', title: forged.title, chars: 33, author: 'carl' }]) {
    const r = await couch.as('carl', `/${encodeURIComponent(doc._id)}`, { method: 'PUT', body: JSON.stringify(doc) }, db);
    assert.equal(r.status, 201);
  }
  // Ana opens the real one and signs in: she is told it is not shared, and why.
  await signIn(ana, url, 'ana');
  await waitUntil(ana, 'the forgery said', () => /is not shared with the team: the team's copy holds a different text from the one its id names/.test(document.querySelector('.alerts')?.textContent ?? ''));
  // Her annotations still reach the team.
  await waitUntil(ana, 'Synced', () => document.querySelector('#team-status')?.textContent === 'Synced');
  // Someone without the article sees it listed as not openable — no Open,
  // no garbled message; an editor would see Remove.
  const cc = await env.browser.newContext();
  const { page: other } = await openApp(env.browser, env.server.url, cc);
  await other.getByRole('button', { name: 'Paste article' }).click();
  await other.getByRole('dialog').getByRole('textbox').first().fill('Elsewhere Headline\n\nSomething else is open here.');
  await other.getByRole('dialog').getByRole('button', { name: /^Open/ }).click();
  await waitUntil(other, 'the other article', () => document.querySelector('article h1')?.textContent === 'Elsewhere Headline');
  // (The seed stays in this browser's library, so delete it there: the team's list shows what is not stored.)
  await other.evaluate((id) => {
    for (const k of Object.keys(localStorage)) if (k.includes(id)) localStorage.removeItem(k);
    const index = JSON.parse(localStorage.getItem('claimmark:v1:index'));
    index.articles = index.articles.filter((a) => a.id !== id);
    localStorage.setItem('claimmark:v1:index', JSON.stringify(index));
  }, id);
  await signIn(other, url, 'carl');
  await other.getByText('Library', { exact: true }).click();
  const entry = other.locator('.team-articles li', { hasText: 'U.S. and Venezuela' });
  await waitUntil(other, 'the check', () => /not the article it claims to be/.test(document.querySelector('.team-articles')?.textContent ?? ''));
  assert.equal(await entry.getByRole('button', { name: /^Open/ }).count(), 0);
  assert.equal(await entry.getByRole('button', { name: /^Remove/ }).count(), 0, 'carl is no editor');
  assert.match(await entry.textContent(), /An editor of the team can remove it/);
  // Ben, an editor, opens the real article while signed in: his client puts it in place.
  const cb = await env.browser.newContext();
  const { page: ben } = await openApp(env.browser, env.server.url, cb);
  await record(ben);
  await signIn(ben, url, 'ben');
  await waitUntil(ben, 'the replacement said', () => window.__said.some((s) => /as an editor you put this one in its place/.test(s)));
  const onServer = await (await couch.admin(`/${db}/${encodeURIComponent(`article:${id}`)}`)).json();
  const { createHash } = await import('node:crypto');
  assert.equal(createHash('sha256').update(onServer.text).digest('hex'), id, 'the real text is back under its id');
  assert.equal((await (await couch.admin(`/${db}/${encodeURIComponent(`list:${id}`)}`)).json()).author, 'ben');
  // Now the other member opens it from the Library, with ana's annotation.
  await other.reload();
  await waitReady(other);
  await signIn(other, url, 'carl');
  await other.getByText('Library', { exact: true }).click();
  await other.getByRole('button', { name: /^Open U\.S\. and Venezuela/ }).click();
  await waitItems(other, 'ana\'s annotation on the real text', ['Richard Grenell |  | by ana']);
  // A second forgery (of a text nobody here has) is removed by an editor from the Library.
  const fake = 'f'.repeat(64);
  for (const doc of [{ ...forged, _id: `article:${fake}`, id: fake, title: 'Fake' }, { _id: `list:${fake}`, type: 'list', title: 'Fake', chars: 33, author: 'carl' }]) {
    const r = await couch.as('carl', `/${encodeURIComponent(doc._id)}`, { method: 'PUT', body: JSON.stringify(doc) }, db);
    assert.equal(r.status, 201);
  }
  await ben.reload();
  await waitReady(ben);
  await signIn(ben, url, 'ben');
  await ben.getByText('Library', { exact: true }).click();
  await ben.getByRole('button', { name: 'Remove Fake from the team\'s articles' }).click();
  await waitUntil(ben, 'Fake gone from the list', () => !/Fake/.test(document.querySelector('.team-articles')?.textContent ?? ''));
  assert.equal((await couch.admin(`/${db}/${encodeURIComponent(`article:${fake}`)}`)).status, 404);
  for (const c of [ca, cb, cc]) await c.close();
});

test('a deletion keeps whose it was: an editor\'s undo of a deletion and a loser\'s "Bring mine back" over a deletion are accepted', async () => {
  const { proxied, db } = await newDb();
  const ca = await env.browser.newContext();
  const cb = await env.browser.newContext();
  const { page: ana } = await openApp(env.browser, env.server.url, ca);
  const { page: ben, errors } = await openApp(env.browser, env.server.url, cb);
  await signIn(ana, proxied, 'ana');
  await signIn(ben, proxied, 'ben');
  await tag(ana, 'Richard Grenell', 'q');
  await waitItems(ben, 'ana\'s annotation at ben\'s', ['Richard Grenell |  | by ana']);
  // Ben (an editor) deletes it, then undoes: the server takes it back, still ana's.
  await panelItems(ben).first().getByRole('button', { name: 'Delete' }).click();
  await waitItems(ana, 'the deletion at ana\'s', []);
  await ben.keyboard.press('Control+z');
  await waitItems(ana, 'the undo at ana\'s', ['Richard Grenell |  | by ana']);
  await waitUntil(ben, 'Synced', () => document.querySelector('#team-status')?.textContent === 'Synced');
  assert.equal(await ben.locator('.alerts [role], .alerts p').count(), 0, 'nothing refused');
  // Ben edits it while the server is away; ana deletes it later: ben's edit
  // lost to a deletion, and he brings it back — over ana's deletion.
  couch.proxy.cut();
  try {
    await setNote(ben, 'Richard Grenell', 'ben checked it');
    await waitUntil(ben, 'waiting', () => /waiting$/.test(document.querySelector('#team-status')?.textContent ?? ''));
    await panelItems(ana).first().getByRole('button', { name: 'Delete' }).click();
    await waitUntil(ana, 'waiting', () => /waiting$/.test(document.querySelector('#team-status')?.textContent ?? ''));
  } finally {
    couch.proxy.restore();
  }
  await ana.evaluate(() => window.dispatchEvent(new Event('online')));
  await ben.evaluate(() => window.dispatchEvent(new Event('online')));
  await waitItems(ben, 'the deletion at ben\'s', []);
  const lost = ben.locator('.team-lost');
  await lost.waitFor({ timeout: WAIT_MS });
  assert.match(await lost.textContent(), /replaced by a deletion from the team/);
  await lost.getByRole('button', { name: /^Bring mine back/ }).click();
  await waitItems(ana, 'ben\'s edit brought back at ana\'s', ['Richard Grenell | ben checked it | by ana']);
  await waitUntil(ben, 'Synced', () => document.querySelector('#team-status')?.textContent === 'Synced');
  assert.ok(!/refused/.test(await ben.locator('.alerts').textContent()), 'the server took it');
  const doc = (await docs(db))[0];
  assert.equal(doc.author, 'ana');
  assert.equal(doc.note, 'ben checked it');
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION|net::/.test(e)), []);
  await ca.close();
  await cb.close();
});

test('a server that cannot be reached is said once, the wait grows, and "Synced" comes back only when it answers', async () => {
  const { proxied } = await newDb();
  const context = await env.browser.newContext();
  const { page } = await openApp(env.browser, env.server.url, context);
  await signIn(page, proxied, 'ana');
  await record(page);
  const sent = [];
  context.on('request', (r) => { if (r.url().startsWith(proxied)) sent.push(Date.now()); });
  couch.proxy.cut();
  const cutAt = Date.now();
  // A change waits, and ten seconds of an unreachable server are watched.
  await tag(page, 'Richard Grenell', 'q');
  await page.waitForFunction((t) => Date.now() >= t, cutAt + 10000, { timeout: WAIT_MS });
  const said = await page.evaluate(() => window.__said);
  const statuses = await page.evaluate(() => window.__statuses);
  assert.ok(!statuses.includes('Synced'), `never "Synced" while cut off: ${statuses.join(' / ')}`);
  assert.equal(said.filter((s) => /unreachable/i.test(s)).length, 1, `said once: ${said.join(' / ')}`);
  assert.ok(!said.some((s) => /Synced/.test(s)), `said: ${said.join(' / ')}`);
  const tries = sent.filter((t) => t >= cutAt);
  assert.ok(tries.length <= 10, `${tries.length} requests in 10 s`);
  // The waits grow (jittered): the status names a longer one each time.
  const waits = statuses.map((t) => /retrying in (\d+) s/.exec(t)?.[1]).filter(Boolean).map(Number);
  assert.ok(waits.length >= 2 && waits[waits.length - 1] > waits[0], `waits ${waits.join(', ')} s`);
  assert.match(await status(page).textContent(), /^Server unreachable — retrying in \d+ s; 1 change waiting$/);
  couch.proxy.restore();
  // The next try comes by itself (within the last wait named).
  await page.waitForFunction(() => document.querySelector('#team-status')?.textContent === 'Synced', null, { timeout: 40000, polling: 50 });
  const after = await page.evaluate(() => window.__said);
  assert.equal(after.filter((s) => s === 'Team: Synced').length, 1, `said: ${after.join(' / ')}`);
  await context.close();
});

test('the words are right: a lost edit is said once in the live region, a failed sign-in keeps focus, an address with a password in it says why, and no password is kept anywhere', async () => {
  const { url } = await newDb();
  const context = await env.browser.newContext();
  const { page } = await openApp(env.browser, env.server.url, context);
  // A name and password in the address: refused with why, not "unreachable".
  let dialog = await signIn(page, url.replace('http://', 'http://ana:ana-secret@'), 'ana', { expect: 'error' });
  await dialog.getByRole('alert').waitFor();
  assert.match(await dialog.getByRole('alert').textContent(), /leave them out of the address and type them in the fields below/);
  // Pressing Sign in (not Enter) and failing leaves focus in the dialog, on the password.
  await dialog.getByLabel('Database address').fill(url);
  await dialog.getByLabel('Password').fill('not-it');
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await waitUntil(page, 'the wrong password said', () => /^Wrong password/.test(document.querySelector('[role=dialog] [role=alert]')?.textContent ?? ''));
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'team-password');
  await dialog.getByLabel('Password').fill(USERS.ana);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await dialog.waitFor({ state: 'detached' });
  await waitUntil(page, 'Synced', () => document.querySelector('#team-status')?.textContent === 'Synced');
  // Neither the password that signed in, nor the wrong one, nor their Basic
  // form, is in any storage the page has.
  const secrets = [USERS.ana, 'not-it', Buffer.from(`ana:${USERS.ana}`).toString('base64'), Buffer.from('ana:not-it').toString('base64')];
  const everything = await page.evaluate(async () => {
    const out = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise((ok, no) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = no; });
      for (const name of db.objectStoreNames) {
        const all = await new Promise((ok) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
        out.push(JSON.stringify(all));
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        out.push(req.url, JSON.stringify([...req.headers]));
        const res = await cache.match(req);
        out.push(JSON.stringify([...res.headers]), await res.text());
      }
    }
    return out.join('\n');
  });
  const cookies = JSON.stringify(await context.cookies());
  for (const s of secrets) {
    assert.ok(!everything.includes(s) && !cookies.includes(s), `"${s}" is kept somewhere`);
  }
  await context.close();
});

test('a link made between two articles reaches another member with both articles, shown at both ends', async () => {
  const { db, url } = await newDb();
  const ca = await env.browser.newContext();
  const cb = await env.browser.newContext();
  const { page: ana, errors: ea } = await openApp(env.browser, env.server.url, ca);
  const { page: ben, errors: eb } = await openApp(env.browser, env.server.url, cb);
  await signIn(ana, url, 'ana');
  await signIn(ben, url, 'ben');
  const paste = async (text) => {
    await ana.getByRole('button', { name: 'Paste article' }).click();
    await ana.getByLabel('Article text').fill(text);
    await ana.getByRole('dialog').getByRole('button', { name: 'Open', exact: true }).click();
    await waitUntil(ana, 'the pasted article shared', (t) => document.querySelector('article h1')?.textContent === t
      && document.querySelector('#team-status')?.textContent === 'Synced', text.split('\n')[0]);
  };
  await paste('Bridge Report\n\nThe council said the old bridge collapsed in 1998 after the flood.');
  await tag(ana, 'the old bridge collapsed in 1998', 'f');
  await paste('City Records\n\nRecords show the old bridge was closed, not collapsed, in 1998.');
  await tag(ana, 'closed, not collapsed', 'q');
  await ana.keyboard.press('l');
  const dialog = ana.getByRole('dialog', { name: /^Link “/ });
  await dialog.getByRole('radio', { name: 'contradicts' }).check();
  await dialog.getByRole('searchbox', { name: 'Find the annotation to link to' }).pressSequentially('bridge coll', { delay: 20 });
  await dialog.getByRole('button', { name: /^Link: fact “the old bridge collapsed in 1998” in “Bridge Report”/ }).click();
  await waitUntil(ana, 'the link sent', () => document.querySelector('#team-status')?.textContent === 'Synced'
    && document.querySelector('.link-entry') !== null);
  // On the server, the quote's document carries the link (the rules let it in).
  const quoteDoc = (await docs(db)).find((d) => d.tag === 'quote');
  assert.deepEqual(quoteDoc.links.map((l) => l.kind), ['contradicts']);

  // Ben opens both from the team's list: each end shows the link.
  await ben.getByText('Library', { exact: true }).click();
  await ben.getByRole('button', { name: 'Open City Records from the team' }).click();
  await waitUntil(ben, 'City Records at ben\'s', () => document.querySelector('article h1')?.textContent === 'City Records'
    && document.querySelectorAll('.items > li').length === 1);
  const quote = panelItems(ben).filter({ hasText: 'closed, not collapsed' });
  // Not stored at ben's yet: the other end is said to be elsewhere, not dropped.
  await quote.getByText(/in an article not stored in this browser/).waitFor();
  await ben.getByRole('button', { name: 'Open Bridge Report from the team' }).click();
  await waitUntil(ben, 'Bridge Report at ben\'s', () => document.querySelector('article h1')?.textContent === 'Bridge Report'
    && document.querySelectorAll('.items > li').length === 1);
  const fact = panelItems(ben).filter({ hasText: 'the old bridge collapsed' });
  await fact.getByRole('button', { name: 'Go to contradicted by: “closed, not collapsed” in “City Records”' }).click();
  await waitUntil(ben, 'the link followed to City Records', () => document.querySelector('article h1')?.textContent === 'City Records');
  await quote.getByRole('button', { name: 'Go to contradicts: “the old bridge collapsed in 1998” in “Bridge Report”' }).waitFor();
  assert.deepEqual(ea, []);
  assert.deepEqual(eb, []);
  await ca.close();
  await cb.close();
});
