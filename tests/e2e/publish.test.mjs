// End-to-end: handing work in and publishing it — the printed report (as a
// PDF, read back with pdftotext), the annotated page export opened in a
// browser, links and article details from an HTML page, and backing up the
// whole library and restoring it into an emptied browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite, openApp, dragOver, panelItems, moreFields, waitReady, waitUntil, WAIT_MS } from './helpers.mjs';

const env = suite();
const collapse = (s) => s.replace(/\s+/g, ' ').trim();

/** The text of a PDF, whitespace collapsed (pdftotext, poppler-utils). */
async function pdfText(pdf) {
  const dir = await mkdtemp(join(tmpdir(), 'claimmark-pdf-'));
  const file = join(dir, 'report.pdf');
  await writeFile(file, pdf);
  return collapse(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

/** Tag `needle` with `key`, then fill the new (current) item's fields. */
async function annotate(page, needle, key, fields) {
  const before = await panelItems(page).count();
  await dragOver(page, needle);
  await page.keyboard.press(key);
  await page.waitForFunction((n) => document.querySelectorAll('.items > li').length > n, before);
  const item = panelItems(page).filter({ hasText: needle }).first();
  if (fields.some(([label]) => !['Note', 'Verdict'].includes(label))) await moreFields(item);
  for (const [label, value] of fields) {
    const field = item.getByLabel(label);
    if (label === 'Verdict') await field.selectOption(value);
    else {
      await field.fill(value);
      await field.blur();
    }
  }
  return item;
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: dl.suggestedFilename(), path: await dl.path() };
}

const LONG_NOTE = 'Checked against the flight manifests.\nThe second line of this note goes on long enough to wrap over several printed lines, so that a report which cut notes to their last lines would lose its first words — which is what printing the app used to do.';
const LONG_EXPLANATION = 'Flight records show a government aircraft; the article’s wording “flew him” is accurate, but the operation was not confirmed by any second source before publication, and the timeline in paragraph four contradicts it by a day.';

test('printing gives a report: every note in full, numbered, no controls, light colours', async () => {
  const context = await env.browser.newContext({ colorScheme: 'dark' });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await annotate(page, 'Maduro and flew him', 'f', [
    ['Note', LONG_NOTE],
    ['Verdict', 'mostly-true'],
    ['Explanation', LONG_EXPLANATION],
    ['Sources (one http or https link per line)', 'https://records.example/flights?id=42&day=3'],
    ['Claim as checked', 'The U.S. military flew Maduro to New York.'],
    ['Claimant', 'Newslooks'],
  ]);
  await annotate(page, 'grave, criminal, illegal, and illegitimate aggression', 'q', [['Note', 'Her words, as reported: <b>not</b> markup.']]);
  await annotate(page, 'vast oil reserves', 'a', []);
  // The panel shows a fact's long fields only when current: the print must not depend on it.
  await page.getByRole('button', { name: /^Quote:/ }).first().click();

  const text = await pdfText(await page.pdf({ format: 'A4' }));
  for (const whole of [LONG_NOTE, LONG_EXPLANATION, 'Her words, as reported: <b>not</b> markup.',
    'The U.S. military flew Maduro to New York.', 'https://records.example/flights?id=42&day=3']) {
    assert.ok(text.includes(collapse(whole)), `missing from the PDF: ${whole}\n---\n${text.slice(-2500)}`);
  }
  // Numbers in the text and on the notes, in document order.
  for (const n of ['[1]', '[2]', '[3]']) assert.ok(text.includes(n), `${n} missing`);
  assert.match(text, /\[1\] Fact “Maduro and flew him”/);
  assert.match(text, /\[2\] Quote “grave, criminal, illegal, and illegitimate aggression”/);
  assert.match(text, /\[3\] Analysis “vast oil reserves”/);
  assert.ok(text.includes('Verdict Mostly true'), 'the verdict as a word');
  assert.ok(text.includes('Fact: solid underline'), 'the legend says how tags are drawn');
  // No controls and no empty fields.
  for (const control of ['Undo', 'Redo', 'Keyboard shortcuts', 'Open article', 'Paste article', 'Import annotations',
    'Export', 'Print', 'Article details', 'Library', 'Delete', 'No verdict', 'Show ', 'Filter', 'Add a note',
    'Search quotes', 'Re-attach', 'Back up library']) {
    assert.ok(!text.includes(control), `control label “${control}” printed`);
  }
  const quoteNote = text.split('[2] Quote')[1].split('[3] Analysis')[0];
  for (const empty of ['Verdict', 'Explanation', 'Sources', 'Claim', 'Claimant']) {
    assert.ok(!quoteNote.includes(empty), `an empty “${empty}” printed for the quote: ${quoteNote}`);
  }
  // The report is gone after printing; the app is as it was.
  assert.equal(await page.locator('body > .cm-print').count(), 0);
  assert.equal(await panelItems(page).count(), 3);

  // Dark mode never prints: the report's colours are light while printing.
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  const colours = await page.evaluate(() => {
    const r = document.querySelector('body > .cm-print .cm-report');
    const s = getComputedStyle(r);
    const hidden = [...document.body.children].filter((c) => !c.classList.contains('cm-print'))
      .every((c) => getComputedStyle(c).display === 'none');
    return { bg: s.backgroundColor, fg: s.color, hidden, body: getComputedStyle(document.body).backgroundColor };
  });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.emulateMedia({ media: 'screen' });
  assert.equal(colours.bg, 'rgb(255, 255, 255)');
  assert.equal(colours.fg, 'rgb(17, 17, 17)');
  assert.equal(colours.body, 'rgb(255, 255, 255)');
  assert.ok(colours.hidden, 'everything but the report is hidden in print');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Print button prints the report', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await annotate(page, 'Maduro and flew him', 'f', [['Note', 'printed from the button']]);
  // Headless Chromium has no print dialog: record what the report held when
  // the browser was about to print.
  await page.evaluate(() => {
    window.__printed = null;
    window.print = () => {
      window.dispatchEvent(new Event('beforeprint'));
      window.__printed = document.querySelector('body > .cm-print')?.textContent ?? null;
      window.dispatchEvent(new Event('afterprint'));
    };
  });
  const button = page.getByRole('button', { name: 'Print', exact: true });
  await button.focus();
  await page.keyboard.press('Enter');
  // The first print asks whose work it is; the name is kept.
  const ask = page.getByRole('dialog', { name: 'Your name on the report' });
  await ask.waitFor({ timeout: WAIT_MS });
  assert.equal(await page.evaluate(() => window.__printed), null, 'printed before the name was asked');
  await page.keyboard.type('Ana Reyes');
  await page.keyboard.press('Enter');
  await waitUntil(page, 'the print', () => window.__printed !== null);
  const printed = await page.evaluate(() => window.__printed);
  assert.ok(printed?.includes('printed from the button'), printed);
  assert.ok(printed.includes('[1] Fact'));
  assert.match(printed, /Annotated by Ana Reyes on \d{4}-\d\d-\d\d/);
  assert.match(await page.locator('[role=status]').textContent(), /Your name, Ana Reyes, is kept for printed reports/);
  // Asked once: the next print (Ctrl+P too) goes straight to the report.
  await page.evaluate(() => { window.__printed = null; });
  await page.locator('#article').focus();
  await page.keyboard.press('Control+p');
  await waitUntil(page, 'the second print', () => window.__printed !== null);
  assert.equal(await ask.count(), 0);
  assert.match(await page.evaluate(() => window.__printed), /Annotated by Ana Reyes/);
  // The Export menu shows the same name, for ClaimReview.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  assert.equal(await page.getByLabel('Your name (for ClaimReview)').inputValue(), 'Ana Reyes');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the annotated page export runs nothing and reads as typed', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  const hostileTitle = 'Council <img src=x onerror="window.__pwned=\'title\'"> & <b>Bridge</b>';
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text').fill(`${hostileTitle}\n\nThe council voted <script>window.__pwned='text'</script> to fund the bridge on Tuesday.\n\nCritics said the cost was too high.`);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.locator('article h1').filter({ hasText: 'Council' }).waitFor();
  const note = '<script>window.__pwned="note"</script><img src=x onerror="window.__pwned=\'img\'"> & “quotes”';
  await annotate(page, 'fund the bridge', 'f', [['Note', note], ['Verdict', 'false'], ['Explanation', '</dd></dl><iframe src="javascript:parent.__pwned=1">']]);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download(page, () => page.getByRole('button', { name: 'Download Annotated page (HTML)' }).click());
  assert.match(file.name, /\.annotated\.html$/);
  const html = await readFile(file.path, 'utf8');
  assert.ok(!/<script/i.test(html) && !/<img/i.test(html) && !/<iframe/i.test(html), 'no active markup in the file');

  // Open the file itself, as someone it was emailed to would (under its
  // own name: the browser reads it as HTML by its extension).
  const saved = join(await mkdtemp(join(tmpdir(), 'claimmark-page-')), file.name);
  await writeFile(saved, html);
  const viewer = await context.newPage();
  const requests = [];
  viewer.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  await viewer.goto(pathToFileURL(saved).href);
  const seen = await viewer.evaluate(() => ({
    pwned: window.__pwned ?? null,
    scripts: document.scripts.length,
    images: document.images.length,
    frames: document.querySelectorAll('iframe').length,
    title: document.title,
    h1: document.querySelector('h1').textContent,
    note: [...document.querySelectorAll('dd')].map((d) => d.textContent),
    marks: [...document.querySelectorAll('sup.n')].map((s) => s.textContent),
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
  }));
  assert.equal(seen.pwned, null, 'something ran');
  assert.deepEqual([seen.scripts, seen.images, seen.frames], [0, 0, 0]);
  assert.equal(seen.h1, hostileTitle);
  assert.equal(seen.title, `${hostileTitle} — annotated`);
  assert.ok(seen.note.includes(note), JSON.stringify(seen.note));
  assert.ok(seen.note.includes('</dd></dl><iframe src="javascript:parent.__pwned=1">'));
  assert.deepEqual(seen.marks, ['[1]']);
  assert.match(seen.csp, /default-src 'none'/);
  assert.deepEqual(requests, [], 'the page fetched something');
  // It prints like the report.
  const text = await pdfText(await viewer.pdf());
  assert.ok(text.includes(collapse(note)) && text.includes('[1] Fact'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('an HTML page keeps its links and details; a link can become a source; clicks that select never follow', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await page.getByLabel('Open article').setInputFiles('tests/fixtures/articles/linked.html');
  await page.locator('article h1', { hasText: 'Port Expansion Approved' }).waitFor();
  const links = await page.evaluate(() => [...document.querySelectorAll('article a')].map((a) => ({
    text: a.textContent, href: a.getAttribute('href'), rel: a.rel, target: a.target,
  })));
  assert.deepEqual(links.map((l) => [l.text, l.href]), [
    ['published minutes', 'https://port.example/minutes/2026-03-13.pdf'],
    ['earlier budget report', 'https://gazette.example/news/2026/port-budget'],
    ['full plan', 'http://port.example/plan'],
  ]);
  assert.ok(links.every((l) => l.rel === 'noopener noreferrer' && l.target === '_blank'));
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('article ol li')].map((li) => li.value)), [3, 4]);

  // A drag that starts and ends on a link selects its words; it does not open it.
  let opened = 0;
  context.on('page', () => { opened += 1; });
  await dragOver(page, 'published minutes');
  assert.equal(await page.evaluate(() => getSelection().toString()), 'published minutes');
  await page.keyboard.press('f');
  const item = panelItems(page).filter({ hasText: 'published minutes' }).first();
  await item.waitFor();
  // From the keyboard: the link is reachable, and Enter follows it (in a new tab).
  const popup = context.waitForEvent('page');
  await page.locator('article a', { hasText: 'full plan' }).focus();
  await page.keyboard.press('Enter');
  await (await popup).close();
  assert.equal(opened, 1, 'only Enter opened a link');

  // Article details, prefilled from the page's head, edited and undone.
  await page.getByRole('button', { name: 'Article details' }).click();
  const dialog = page.getByRole('dialog', { name: 'Article details' });
  assert.equal(await dialog.getByLabel('URL').inputValue(), 'https://gazette.example/news/2026/port-expansion');
  assert.equal(await dialog.getByLabel('Publication date').inputValue(), '2026-03-14');
  assert.equal(await dialog.getByLabel('Outlet').inputValue(), 'The Harbour Gazette');
  assert.equal(await dialog.getByLabel('Author').inputValue(), 'Rosa Ibáñez');
  // The page's <html lang>, kept as the article's language.
  assert.equal(await dialog.getByLabel('Language').inputValue(), 'en');
  await dialog.getByLabel('URL').fill('not a link');
  await dialog.getByRole('button', { name: 'Save details' }).click();
  assert.match(await dialog.getByRole('alert').textContent(), /URL/);
  await dialog.getByLabel('URL').fill('https://gazette.example/p/123');
  await dialog.getByRole('button', { name: 'Save details' }).click();
  await page.getByRole('status').filter({ hasText: 'Article details saved' }).waitFor();

  // The current fact takes a link from the article as a source.
  await item.getByRole('button', { name: /^Fact:/ }).click();
  await moreFields(item);
  await item.getByText(/Add a link from the article/).click();
  await item.getByRole('button', { name: 'Add https://port.example/minutes/2026-03-13.pdf to the sources' }).click();
  await page.waitForFunction(() => document.querySelector('.items .is-selected .sources')?.value === 'https://port.example/minutes/2026-03-13.pdf');

  // Exports carry the details and links.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const json = JSON.parse(await readFile((await download(page, () => page.getByRole('button', { name: 'Download claimmark JSON' }).click())).path, 'utf8'));
  assert.deepEqual(json.article.details, { url: 'https://gazette.example/p/123', published: '2026-03-14', outlet: 'The Harbour Gazette', author: 'Rosa Ibáñez', language: 'en' });
  assert.equal(json.article.links.length, 3);
  // The menu closes after each export.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const csv = await readFile((await download(page, () => page.getByRole('button', { name: 'Download CSV' }).click())).path, 'utf8');
  assert.match(csv.split('\r\n')[1], /,Port Expansion Approved,https:\/\/gazette\.example\/p\/123,[0-9a-f]{64}$/);

  // Undo brings the page's own URL back.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Undo' }).click(); // the source
  await page.getByRole('button', { name: 'Undo' }).click(); // the details
  await page.getByRole('button', { name: 'Article details' }).click();
  assert.equal(await dialog.getByLabel('URL').inputValue(), 'https://gazette.example/news/2026/port-expansion');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(errors, []);
  await context.close();
});

test('back up the library, clear the browser, restore: every article and annotation is back, ids included', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await annotate(page, 'Maduro and flew him', 'f', [['Note', 'first'], ['Verdict', 'false']]);
  await annotate(page, 'vast oil reserves', 'a', [['Note', 'second']]);
  await page.getByLabel('Open article').setInputFiles('tests/fixtures/articles/linked.html');
  await page.locator('article h1', { hasText: 'Port Expansion Approved' }).waitFor();
  await annotate(page, 'Dredging starts in May', 'q', [['Note', 'third']]);
  // Let autosave write, then read what storage holds.
  // Annotations live in chunks of 256 per article (see README → Storage).
  const stored = async () => page.evaluate(() => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      const m = /^claimmark:v1:ann:([0-9a-f]{64}):[0-9a-f]{2}$/.exec(k);
      if (!m) continue;
      const c = JSON.parse(localStorage.getItem(k));
      out[m[1]] = (out[m[1]] ?? []).concat(c.annotations.map((a) => [a.id, a.tag, a.note ?? '', a.span.start, a.span.end]));
    }
    for (const id of Object.keys(out)) out[id].sort();
    return out;
  });
  await page.waitForFunction(() => Object.keys(localStorage).filter((k) => k.startsWith('claimmark:v1:article:')).length === 2);
  await page.waitForFunction(() => [...Object.keys(localStorage)].some((k) => k.startsWith('claimmark:v1:ann:') && localStorage.getItem(k).includes('third')));
  const before = await stored();
  assert.equal(Object.keys(before).length, 2);

  await page.getByText('Library', { exact: true }).click();
  const backup = await download(page, () => page.getByRole('button', { name: 'Back up library' }).click());
  assert.match(backup.name, /^claimmark-library-\d{4}-\d{2}-\d{2}\.json$/);
  const file = JSON.parse(await readFile(backup.path, 'utf8'));
  assert.equal(file.format, 'claimmark-library');
  assert.equal(file.articles.length, 2);

  // Everything gone: a new computer, as far as claimmark can tell — its
  // local storage and its crash-proof journal (IndexedDB) both cleared,
  // as "Clear site data" does.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(page.url()).origin, storageTypes: 'local_storage,indexeddb' });
  await page.reload();
  await waitReady(page);
  assert.equal(await panelItems(page).count(), 0);

  await page.getByText('Library', { exact: true }).click();
  await page.getByLabel('Restore', { exact: true }).setInputFiles(backup.path);
  await page.getByRole('status').filter({ hasText: /Restored 2 articles/ }).waitFor();
  // The open (seed) article shows its annotations again at once.
  await page.waitForFunction(() => document.querySelectorAll('.items > li').length === 2);
  assert.deepEqual(await stored(), before, 'every article and annotation back, ids included');
  // Restoring the same file again changes nothing.
  await page.getByLabel('Restore', { exact: true }).setInputFiles(backup.path);
  await page.getByRole('status').filter({ hasText: /2 unchanged/ }).waitFor();
  assert.deepEqual(await stored(), before);
  // The other article opens from the library with its annotation.
  await page.getByRole('button', { name: 'Open Port Expansion Approved' }).click();
  await page.locator('article h1', { hasText: 'Port Expansion Approved' }).waitFor();
  await panelItems(page).filter({ hasText: 'Dredging starts in May' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
