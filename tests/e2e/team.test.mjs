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
import { suite, openApp, panelItems, waitUntil, waitReady, tag } from './helpers.mjs';
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
