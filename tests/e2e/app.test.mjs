// End-to-end: the release build (dist/) served on 127.0.0.1 and driven through
// the system Chromium. Run alone: `make test-e2e`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, openApp, dragOver, painted, WAIT_MS } from './helpers.mjs';

const env = suite();

test('opens on the seed article with its title and first paragraph, no console error', async () => {
  const { page, errors } = await openApp(env.browser, env.server.url);
  const h1 = page.locator('article h1');
  assert.equal(await h1.textContent(), 'U.S. and Venezuela Begin Restoring Diplomatic Ties');
  assert.ok(await h1.isVisible());
  const first = page.locator('article p.standfirst');
  assert.ok(await first.isVisible());
  assert.match(await first.textContent(), /^The United States and Venezuela are taking initial steps/);
  assert.ok(await page.getByRole('region', { name: 'Annotations' }).isVisible());
  assert.deepEqual(errors, []);
  await page.close();
});

test('a real mouse drag, then f: the item in the panel and the highlight in the article', async () => {
  const { page, errors } = await openApp(env.browser, env.server.url);
  await dragOver(page, 'Maduro and flew him');
  const toolbar = page.getByRole('toolbar', { name: 'Tag the selection' });
  await toolbar.waitFor();
  assert.ok(await toolbar.getByRole('button', { name: /^Fact/ }).isVisible());
  await page.keyboard.press('f');
  const items = page.getByRole('region', { name: 'Annotations' }).getByRole('listitem');
  await items.first().waitFor();
  assert.equal(await items.count(), 1);
  assert.match(await items.first().textContent(), /Maduro and flew him/);
  // Painted with the CSS Custom Highlight API; the article's DOM gains no element.
  assert.deepEqual(await painted(page, 'cm-fact'), ['Maduro and flew him']);
  assert.equal(await page.locator('article mark').count(), 0);
  // Undo with the keyboard removes it again; the button is named "Undo".
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z');
  await items.first().waitFor({ state: 'detached' });
  assert.deepEqual(await painted(page, 'cm-fact'), []);
  assert.ok(await page.getByRole('button', { name: 'Redo' }).isEnabled());
  assert.deepEqual(errors, []);
  await page.close();
});

/** Wait until the page's selection is `text` (key events reach the page asynchronously). */
async function selectionIs(page, text) {
  await page.waitForFunction((t) => getSelection().toString() === t, text, { timeout: WAIT_MS })
    .catch(async () => assert.equal(await page.evaluate(() => getSelection().toString()), text));
}

test('keyboard only: word cursor, tag, move to the item, delete, undo', async () => {
  const { page, errors } = await openApp(env.browser, env.server.url);
  await page.locator('article').focus();
  await page.keyboard.press('ArrowRight'); // the first word, "U.S." (an abbreviation keeps its stop)
  await selectionIs(page, 'U.S.');
  await page.keyboard.press('ArrowDown'); // the first word of the standfirst
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await selectionIs(page, 'The United States');
  // Shift+← gives words back, down to one; never part of a word.
  await page.keyboard.press('Shift+ArrowLeft');
  await selectionIs(page, 'The United');
  await page.keyboard.press('Shift+ArrowLeft');
  await selectionIs(page, 'The');
  await page.keyboard.press('Shift+ArrowLeft');
  await selectionIs(page, 'The');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await selectionIs(page, 'The United States');
  // The live region says what is selected, for a screen reader hears no selection a script makes.
  assert.equal(await page.locator('[role=status]').textContent(), 'Selected “The United States”');
  await page.keyboard.press('a');
  const items = page.getByRole('region', { name: 'Annotations' }).getByRole('listitem');
  await items.first().waitFor();
  assert.match(await items.first().textContent(), /Analysis/);
  assert.equal(await page.locator('[role=status]').textContent(), 'Analysis annotation created: “The United States”');
  // Tab into the panel and delete with the Delete key; focus is not lost.
  await page.locator('.item-select').first().focus();
  await page.keyboard.press('Delete');
  await items.first().waitFor({ state: 'detached' });
  const focused = await page.evaluate(() => document.activeElement?.tagName);
  assert.notEqual(focused, 'BODY');
  await page.keyboard.press('Control+z');
  await items.first().waitFor();
  assert.deepEqual(await painted(page, 'cm-analysis'), ['The United States']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('copying highlighted text puts the plain text on the clipboard, with either renderer', async () => {
  // The fallback renderer (no CSS Custom Highlight API) draws <mark> runs and
  // a tag letter at each annotation's start: the renderer where a copy could
  // pick up something that is not the article's text.
  for (const fallback of [true, false]) {
    const context = await env.browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url.replace(/\/$/, '') });
    const init = fallback ? () => { delete window.Highlight; } : undefined;
    const { page, errors } = await openApp(env.browser, env.server.url, context, { init });
    await dragOver(page, 'Maduro and flew him');
    await page.keyboard.press('f');
    await page.getByRole('region', { name: 'Annotations' }).getByRole('listitem').first().waitFor();
    if (fallback) {
      assert.deepEqual(await page.locator('article mark').allTextContents(), ['Maduro and flew him']);
      const letter = await page.locator('article mark.has-marker').evaluate((m) => getComputedStyle(m, '::before').content);
      assert.notEqual(letter, 'none', 'the tag letter is drawn');
    } else {
      assert.equal(await page.locator('article mark').count(), 0);
    }
    await page.keyboard.press('Escape');
    await dragOver(page, 'captured Nicolás Maduro and flew him to');
    await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
    await page.keyboard.press('Control+c');
    await page.waitForFunction(() => navigator.clipboard.readText().then((t) => t !== '(nothing copied)'), null, { timeout: WAIT_MS });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'captured Nicolás Maduro and flew him to');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('Ctrl+Z is the app\'s undo wherever the browser\'s own undo has nothing of the person\'s to take back', async () => {
  const { page, errors } = await openApp(env.browser, env.server.url);
  const said = () => page.getByRole('status').filter({ hasText: /./ }).last().textContent();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute('aria-label') ?? el?.getAttribute('aria-haspopup') ?? el?.id ?? el?.tagName;
  });
  await dragOver(page, 'Maduro and flew him');
  await page.keyboard.press('q');
  const note = page.locator('.items > li textarea.note').first();
  await note.waitFor({ timeout: WAIT_MS });

  // Typing not yet committed: Ctrl+Z takes back the typing (the browser's
  // own undo, in the field), and the app's history is untouched.
  await note.click();
  await page.keyboard.type('first draft');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('.items textarea.note').value === '', null, { timeout: WAIT_MS });
  assert.equal(await page.locator('.items > li').count(), 1, 'the annotation is still there');
  // Nothing of the person's left to take back in the field: the app's undo.
  await page.keyboard.press('Control+z');
  await page.locator('.items > li').first().waitFor({ state: 'detached', timeout: WAIT_MS });
  await page.keyboard.press('Control+Shift+z');
  await note.waitFor({ timeout: WAIT_MS });

  // The case: a note typed, Tab away (committed), focus on the tag
  // filter, Ctrl+Z. The note's change is undone by the app — said, focus
  // stays — and Redo brings it back.
  await note.click();
  await page.keyboard.type('checked against the flight logs');
  await page.keyboard.press('Tab');
  await page.getByRole('status').filter({ hasText: 'Note changed' }).waitFor({ timeout: WAIT_MS });
  const filter = page.getByLabel('Filter by tag');
  await filter.focus();
  await page.keyboard.press('Control+z');
  await page.getByRole('status').filter({ hasText: 'Undone: Note changed' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await focused(), 'Filter by tag', 'focus stays where it was');
  assert.equal(await note.inputValue(), '');
  await page.keyboard.press('Control+Shift+z');
  await page.getByRole('status').filter({ hasText: 'Redone: Note changed' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await note.inputValue(), 'checked against the flight logs');
  const stored = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':ann:'))
    .map((k) => localStorage.getItem(k)).join());
  assert.match(await stored(), /checked against the flight logs/);

  // On the closed Export toggle (where focus rests after a download).
  await page.getByRole('button', { name: 'Export' }).focus();
  await page.keyboard.press('Control+z');
  await page.getByRole('status').filter({ hasText: 'Undone: Note changed' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await note.inputValue(), '');
  await page.keyboard.press('Control+y');
  await page.getByRole('status').filter({ hasText: 'Redone: Note changed' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await note.inputValue(), 'checked against the flight logs');
  assert.doesNotMatch(String(await said()), /Nothing to/);

  // A dialog holds the page: Ctrl+Z there changes nothing behind it.
  await page.locator('article').focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: WAIT_MS });
  await page.keyboard.press('Control+z');
  assert.equal(await note.inputValue(), 'checked against the flight logs');
  assert.equal(await dialog.count(), 1, 'still open, focus still in it');
  assert.equal(await page.evaluate(() => !!document.activeElement.closest('[role=dialog]')), true);
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
  await page.close();
});
