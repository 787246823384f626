// End-to-end: articles in every script, as a new user meets them — Arabic
// opened from a file laid out right to left, tagged with the real mouse,
// printed to PDF right to left with its notes in reading order and the
// person's name; a saved Arabic page without its clutter; Chinese and
// Japanese words from the browser's dictionary; a real input method
// (DevTools Protocol composition) committing nothing early; a pasted
// byline filling Article details; a Markdown table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite, openApp, dragOver, panelItems, painted, waitUntil, WAIT_MS } from './helpers.mjs';

const env = suite();
const collapse = (s) => s.replace(/\s+/g, ' ').trim();

/** Open an article file through the file input; wait for its headline. */
async function open(page, path, headline) {
  await page.getByLabel('Open article').setInputFiles(path);
  await page.locator('article h1', { hasText: headline }).waitFor({ timeout: WAIT_MS });
}

/** Drag the real mouse across `needle` the way it reads: from the right in
 *  right-to-left text, from the left otherwise (one line). */
async function dragReading(page, needle) {
  const box = await page.evaluate((needle) => {
    const w = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const at = n.data.indexOf(needle);
      if (at < 0) continue;
      const r = document.createRange();
      r.setStart(n, at);
      r.setEnd(n, at + needle.length);
      n.parentElement.scrollIntoView({ block: 'center' });
      const b = r.getBoundingClientRect();
      const rtl = getComputedStyle(n.parentElement).direction === 'rtl' && /[\u0590-\u08ff]/.test(needle);
      return { rtl, left: b.left, right: b.right, y: b.top + b.height / 2, lines: r.getClientRects().length };
    }
    return null;
  }, needle);
  if (!box) throw new Error(`${needle} is not in the article`);
  assert.equal(box.lines, 1, `${needle} wraps: pick a shorter one`);
  const [from, to] = box.rtl ? [box.right - 1, box.left + 1] : [box.left + 1, box.right - 1];
  await page.mouse.move(from, box.y);
  await page.mouse.down();
  await page.mouse.move((from + to) / 2, box.y, { steps: 4 });
  await page.mouse.move(to, box.y, { steps: 4 });
  await page.mouse.up();
}

async function tagReading(page, needle, key) {
  const before = await panelItems(page).count();
  await dragReading(page, needle);
  await page.keyboard.press(key);
  await waitUntil(page, `the item for "${needle}"`, (n) => document.querySelectorAll('.items > li').length === n, before + 1);
}

async function pdfText(pdf) {
  const dir = await mkdtemp(join(tmpdir(), 'claimmark-pdf-'));
  const file = join(dir, 'report.pdf');
  await writeFile(file, pdf);
  return collapse(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }))
    // pdftotext marks right-to-left runs with bidi embedding characters.
    .replace(/[\u202a-\u202e]/g, '');
}

test('an Arabic article reads right to left, is tagged with the mouse and prints right to left with the name and notes in order', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await open(page, 'tests/fixtures/scripts/ar-news.txt', 'القاهرة تطلق أول خط');
  // Before the fix: "Untitled article", a left-to-right page, the byline a heading.
  const seen = await page.evaluate(() => {
    const a = document.querySelector('article');
    const p = a.querySelector('p:not(.byline)');
    const r = document.createRange();
    r.selectNodeContents(p);
    const first = r.getClientRects()[0];
    return {
      dir: a.dir, lang: a.lang, direction: getComputedStyle(p).direction,
      h1: a.querySelector('h1').textContent, byline: a.querySelector('.byline')?.textContent ?? '',
      headings: [...a.querySelectorAll('h2')].map((h) => h.textContent),
      // The paragraph's first line starts at the right edge.
      gap: p.getBoundingClientRect().right - first.right,
    };
  });
  assert.equal(seen.dir, 'rtl');
  assert.equal(seen.lang, 'ar');
  assert.equal(seen.direction, 'rtl');
  assert.ok(seen.h1.startsWith('القاهرة تطلق'), seen.h1);
  assert.ok(seen.byline.includes('ليلى حداد') && seen.byline.includes('صحيفة النهر'), seen.byline);
  assert.deepEqual(seen.headings, ['ردود فعل']);
  assert.ok(Math.abs(seen.gap) < 2, `the first line starts ${seen.gap} px from the right edge`);

  await tagReading(page, 'مدينة العاشر من رمضان', 'q');
  await tagReading(page, 'BBC Arabic', 'f');
  await tagReading(page, 'سارة عبد الله', 'a');
  assert.deepEqual(await painted(page, 'cm-quote'), ['مدينة العاشر من رمضان']);
  assert.deepEqual(await painted(page, 'cm-fact'), ['BBC Arabic']);
  assert.deepEqual(await painted(page, 'cm-analysis'), ['سارة عبد الله']);
  // The panel's quotes run their own way.
  const quotes = await page.locator('.items q.item-quote').evaluateAll((qs) => qs.map((q) => [q.textContent, q.dir, getComputedStyle(q).direction]));
  assert.deepEqual(quotes, [
    ['مدينة العاشر من رمضان', 'rtl', 'rtl'],
    ['BBC Arabic', 'ltr', 'ltr'],
    ['سارة عبد الله', 'rtl', 'rtl'],
  ]);

  // The name the student gave (kept from the Export menu's field).
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByLabel('Your name (for ClaimReview)').fill('Ana Reyes');
  await page.keyboard.press('Escape');

  // The printed report: built on beforeprint, right to left.
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  const report = await page.evaluate(() => {
    const text = document.querySelector('body > .cm-print .report-text');
    const p = text.querySelector(':scope > p:not([class])');
    const sups = [...text.querySelectorAll('sup.n')].map((s) => [s.textContent, s.getBoundingClientRect().left]);
    return { dir: text.dir, lang: text.lang, direction: getComputedStyle(p).direction, sups,
      by: document.querySelector('body > .cm-print .report-by').textContent };
  });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  // Back to no emulation (page.pdf prints with screen styles under 'screen').
  await page.emulateMedia({ media: null });
  assert.equal(report.dir, 'rtl');
  assert.equal(report.lang, 'ar');
  assert.equal(report.direction, 'rtl');
  assert.deepEqual(report.sups.map(([n]) => n), ['[1]', '[2]', '[3]']);
  assert.match(report.by, /^Annotated by Ana Reyes on \d{4}-\d\d-\d\d$/);

  const text = await pdfText(await page.pdf({ format: 'A4' }));
  assert.match(text, /Annotated by Ana Reyes on \d{4}-\d\d-\d\d/);
  // Notes numbered in the text's order; their quotes as written.
  const notes = text.slice(text.indexOf('Notes'));
  const order = ['[1] Quote', '[2] Fact', '[3] Analysis'].map((n) => notes.indexOf(n));
  assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `notes out of order: ${notes}`);
  assert.ok(notes.includes('BBC Arabic'), notes);
  assert.ok(notes.includes('مدينة العاشر من رمضان'), notes);
  // The article's paragraphs in reading order (pdftotext reads each
  // right-to-left line in logical order; it scrambles the brackets of
  // "[1]" there, so the numbers' order is checked in the DOM above).
  const article = text.slice(0, text.indexOf('Notes'));
  const said = ['أعلنت هيئة', 'مدينة العاشر من رمضان', 'BBC Arabic', 'سارة عبد الله', 'ردود فعل'].map((w) => article.indexOf(w));
  assert.ok(said.every((i, k) => i >= 0 && (k === 0 || i > said[k - 1])), `out of order: ${said}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a saved Arabic page drops its ad, related list, share bar and promo, and fills Article details', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await open(page, 'tests/fixtures/scripts/ar-news.html', 'القاهرة تطلق أول خط');
  const article = await page.locator('article').textContent();
  for (const clutter of ['Advertisement', 'طيران النيل', 'مواضيع ذات صلة', 'فيسبوك', 'اشترك في نشرتنا']) {
    assert.ok(!article.includes(clutter), `${clutter} is in the article`);
  }
  assert.ok(article.includes('ومن المقرر أن يبدأ الخط الثاني'), 'the last paragraph is missing');
  await page.getByRole('button', { name: 'Article details' }).click();
  const dialog = page.getByRole('dialog', { name: 'Article details' });
  await dialog.waitFor({ timeout: WAIT_MS });
  assert.equal(await dialog.getByLabel('Author').inputValue(), 'ليلى حداد');
  assert.equal(await dialog.getByLabel('Language').inputValue(), 'ar');
  assert.equal(await dialog.getByLabel('Publication date').inputValue(), '2026-03-03');
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a drag inside a Chinese or Japanese word takes the whole word; the word cursor steps by words', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await open(page, 'tests/fixtures/scripts/zh-news.txt', '成都地铁十九号线');
  // A drag over 铁 alone: before, it tagged just 铁.
  await dragOver(page, '铁');
  await page.keyboard.press('f');
  await waitUntil(page, 'the fact', () => document.querySelectorAll('.items > li').length === 1);
  assert.deepEqual(await painted(page, 'cm-fact'), ['地铁']);
  await page.keyboard.press('Escape');
  // The keyboard: → from the start steps 成都, 地铁, 十九.
  await page.locator('#article').focus();
  const words = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('ArrowRight');
    words.push(await page.evaluate(() => getSelection().toString()));
  }
  assert.deepEqual(words, ['成都', '地铁', '十九']);
  await page.keyboard.press('Shift+ArrowRight');
  assert.equal(await page.evaluate(() => getSelection().toString()), '十九号');
  await page.keyboard.press('q');
  await waitUntil(page, 'the quote', () => document.querySelectorAll('.items > li').length === 2);
  assert.deepEqual(await painted(page, 'cm-quote'), ['十九号']);

  await open(page, 'tests/fixtures/scripts/ja-news.txt', '気象庁、今年の夏');
  await dragOver(page, '測');
  await page.keyboard.press('a');
  await waitUntil(page, 'the analysis', () => document.querySelectorAll('.items > li').length === 1);
  assert.deepEqual(await painted(page, 'cm-analysis'), ['予測']);
  assert.equal(await page.locator('article').getAttribute('lang'), 'ja');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a real input method: Enter while composing neither prints nor renames; the committed text is what counts', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  const cdp = await context.newCDPSession(page);
  const compose = (text) => cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  // Enter as the input method's commit key: keydown (isComposing) and up.
  const enterWhileComposing = async () => {
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'char', text: '\r', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 });
  };
  await page.evaluate(() => {
    window.__printed = null;
    window.__composingKeys = 0;
    document.addEventListener('keydown', (e) => { if (e.isComposing) window.__composingKeys += 1; }, true);
    window.print = () => {
      window.dispatchEvent(new Event('beforeprint'));
      window.__printed = document.querySelector('body > .cm-print')?.textContent ?? '';
      window.dispatchEvent(new Event('afterprint'));
    };
  });

  // The name for printing, typed with an input method.
  await page.getByRole('button', { name: 'Print', exact: true }).click();
  const ask = page.getByRole('dialog', { name: 'Your name on the report' });
  await ask.waitFor({ timeout: WAIT_MS });
  await page.getByLabel('Your name', { exact: true }).focus();
  await compose('さとう');
  await enterWhileComposing();
  assert.equal(await page.evaluate(() => window.__composingKeys), 1, 'the Enter was not a composing key');
  assert.equal(await ask.count(), 1, 'the dialog closed on the input method’s Enter');
  assert.equal(await page.evaluate(() => window.__printed), null, 'printed during composition');
  assert.equal(await page.evaluate(() => localStorage.getItem('claimmark:v1:author')), null);
  await cdp.send('Input.insertText', { text: '佐藤' });
  await page.keyboard.press('Enter');
  await waitUntil(page, 'the print', () => window.__printed !== null);
  assert.match(await page.evaluate(() => window.__printed), /Annotated by 佐藤 on/);
  assert.equal(await page.evaluate(() => localStorage.getItem('claimmark:v1:author')), '佐藤');

  // Renaming a Library entry with an input method (the seed is stored once annotated).
  await dragOver(page, 'Caracas to assess');
  await page.keyboard.press('q');
  await waitUntil(page, 'the quote', () => document.querySelectorAll('.items > li').length === 1);
  await page.locator('details.library > summary').click();
  await page.getByRole('button', { name: /^Rename/ }).first().click();
  const field = page.getByLabel(/^New name for/);
  await field.waitFor({ timeout: WAIT_MS });
  await field.fill('');
  await compose('しんぶん');
  await enterWhileComposing();
  assert.equal(await field.count(), 1, 'the rename was saved on the input method’s Enter');
  await cdp.send('Input.insertText', { text: '新聞' });
  await page.keyboard.press('Enter');
  await waitUntil(page, 'the rename', () => document.querySelector('[role=status]')?.textContent.includes('新聞'));
  assert.equal(await field.count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a pasted article with a byline: the byline fills Article details and is not a heading', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  await page.getByRole('button', { name: 'Paste article' }).click();
  await page.getByLabel('Article text').fill([
    'Council approves Mill Street bridge repair after two-year delay',
    '',
    'By Laura Benning · The Riverside Ledger · March 3, 2026',
    '',
    'The Riverside town council voted 6-1 on Monday night to spend $4.2 million repairing the Mill Street bridge.',
    '',
    'Work is scheduled to begin in May and finish by November.',
  ].join('\n'));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.locator('article h1', { hasText: 'Council approves' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('article h2').count(), 0, 'the byline became a heading');
  assert.match(await page.locator('article .byline').textContent(), /By Laura Benning/);
  await page.getByRole('button', { name: 'Article details' }).click();
  const dialog = page.getByRole('dialog', { name: 'Article details' });
  await dialog.waitFor({ timeout: WAIT_MS });
  assert.equal(await dialog.getByLabel('Author').inputValue(), 'Laura Benning');
  assert.equal(await dialog.getByLabel('Outlet').inputValue(), 'The Riverside Ledger');
  assert.equal(await dialog.getByLabel('Publication date').inputValue(), '2026-03-03');
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Markdown table shows as a table; a selection across cells keeps the text exact; the annotated page prints it', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openApp(env.browser, env.server.url, context);
  const dir = await mkdtemp(join(tmpdir(), 'claimmark-md-'));
  const file = join(dir, 'fares.md');
  await writeFile(file, '# Skytrain fares\n\nThe new lines cost the same.\n\n| Line | Stations | Fare |\n|---|---|---|\n| Pink | 30 | 45 baht |\n| Yellow | 23 | 45 baht |\n');
  await open(page, file, 'Skytrain fares');
  const table = await page.evaluate(() => {
    const t = document.querySelector('article table.md-table');
    const seps = [...t.querySelectorAll('.cell-sep')].map((s) => s.getBoundingClientRect().width);
    const cell = (r, c) => {
      // What shows: the cell's text without the hidden separator.
      const td = t.querySelectorAll('tr')[r].children[c];
      return [...td.querySelectorAll('[data-s]:not(.cell-sep)')].map((e) => e.textContent).join('');
    };
    return { heads: [0, 1, 2].map((c) => cell(0, c)), row: [0, 1, 2].map((c) => cell(1, c)), seps };
  });
  assert.deepEqual(table.heads, ['Line', 'Stations', 'Fare']);
  assert.deepEqual(table.row, ['Pink', '30', '45 baht']);
  assert.ok(table.seps.every((w) => w <= 1), `a separator shows: ${table.seps}`);
  // A drag from "Pink" into "30": the quote is the row's text, separator and all.
  const [a, b] = await page.evaluate(() => {
    const tds = [...document.querySelectorAll('article tbody tr')[0].children];
    return tds.slice(0, 2).map((td) => { const r = td.getBoundingClientRect(); return { x: r.left, y: r.top + r.height / 2, w: r.width }; });
  });
  await page.mouse.move(a.x + 4, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x + b.w / 2, b.y, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.press('q');
  await waitUntil(page, 'the quote', () => document.querySelectorAll('.items > li').length === 1);
  assert.equal(await page.locator('.items q.item-quote').textContent(), 'Pink | 30');
  assert.deepEqual(await painted(page, 'cm-quote'), ['Pink | 30']);
  // The annotated page draws the table too.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Annotated page (HTML)' }).click()]);
  const html = await readFile(await dl.path(), 'utf8');
  const saved = join(dir, 'fares.annotated.html');
  await writeFile(saved, html);
  const viewer = await context.newPage();
  await viewer.goto(pathToFileURL(saved).href);
  const cells = await viewer.evaluate(() => [...document.querySelectorAll('table.report-table tbody tr:first-child td')].map((td) => td.textContent));
  assert.deepEqual(cells, ['Pink', '30[1]', '45 baht']);
  assert.deepEqual(errors, []);
  await context.close();
});
