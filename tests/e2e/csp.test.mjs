// End-to-end: the Content-Security-Policy the build writes into index.html.
// The app runs under it without a single violation, the policy is really
// enforced, and a hostile article opened through the file input executes
// nothing and loads nothing (the policy even refuses its inline handlers in
// the inert document the app parses it into).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { suite, openApp, dragOver, panelItems, frames, within, WAIT_MS } from './helpers.mjs';
import { inlineScriptHashes } from '../../scripts/postbuild.mjs';

const env = suite();

/** The policy as the release build wrote it, directive → sources. */
async function builtPolicy() {
  const html = await readFile('dist/index.html', 'utf8');
  const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
  assert.ok(m, 'dist/index.html has a CSP meta');
  assert.ok(html.indexOf(m[0]) < html.indexOf('<script'), 'the policy comes before every script');
  return { html, directives: Object.fromEntries(m[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v])) };
}

/** A page that records CSP violations (from before the app's first script) and console errors. */
async function watched(context, url) {
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  return openApp(env.browser, url, context);
}

test('the policy: scripts only from the app and the hashes of the first paint and Trunk\'s loader, no unsafe-inline, no objects, no base, no forms', async () => {
  const { html, directives } = await builtPolicy();
  assert.deepEqual(directives['default-src'], ["'self'"]);
  const scripts = directives['script-src'];
  assert.equal(scripts.includes("'unsafe-inline'"), false);
  assert.equal(scripts.includes("'unsafe-eval'"), false);
  assert.deepEqual(scripts.filter((s) => !s.startsWith("'sha256-")), ["'self'", "'wasm-unsafe-eval'"]);
  // Exactly the inline scripts in the page: the first paint's two and Trunk's loader.
  const hashes = inlineScriptHashes(html);
  assert.equal(hashes.length, 3);
  assert.deepEqual(scripts.filter((s) => s.startsWith("'sha256-")), hashes.map((h) => `'sha256-${h}'`));
  assert.deepEqual(directives['object-src'], ["'none'"]);
  assert.deepEqual(directives['base-uri'], ["'none'"]);
  assert.deepEqual(directives['form-action'], ["'none'"]);
  assert.deepEqual(directives['style-src'], ["'self'"]);
  assert.deepEqual(directives['style-src-attr'], ["'unsafe-inline'"]);
  assert.deepEqual(directives['connect-src'], ["'self'", 'https:', 'http://127.0.0.1:*', 'http://localhost:*']);
  assert.deepEqual(directives['img-src'], ["'self'", 'data:']);
  assert.deepEqual(directives['manifest-src'], ["'self'"]);
  assert.deepEqual(directives['worker-src'], ["'self'"]);
});

test('the app runs under the policy without a violation, and the policy is enforced', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await watched(context, env.server.url);
  // What sets style attributes and opens dialogs: the toolbar, the chart, help, export.
  await dragOver(page, 'Maduro and flew him');
  await page.getByRole('toolbar', { name: 'Tag the selection' }).waitFor();
  await page.keyboard.press('f');
  await panelItems(page).first().waitFor();
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await within(page.evaluate(() => navigator.serviceWorker.ready), WAIT_MS, 'the service worker');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);

  // Enforced: an injected inline script does not run, and is reported.
  const ran = await within(page.evaluate(() => new Promise((ok) => {
    document.addEventListener('securitypolicyviolation', () => ok(window.__ran ?? false), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__ran = true';
    document.body.append(s);
  })), WAIT_MS, 'the policy to report the injected script');
  assert.equal(ran, false);
  assert.equal((await page.evaluate(() => window.__violations)).length, 1);
  await context.close();
});

test('a hostile article opened through the file input executes nothing and loads nothing', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await watched(context, env.server.url);
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(env.server.url)) outside.push(r.url()); });
  await page.getByLabel('Open article').setInputFiles('tests/fixtures/articles/hostile.html');
  await page.locator('article h1', { hasText: 'Council Approves & Funds the Bridge' }).waitFor();
  // Click what carried a handler in the file; the article shows its text only.
  await page.locator('article h1').click();
  await frames(page);
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
  assert.deepEqual(outside, []);
  assert.equal(await page.locator('article script, article iframe, article object, article embed, article img, article form').count(), 0);
  // The app reads the file with DOMParser, whose inert document inherits the
  // page's policy: Chromium refuses (and reports) its inline handlers and
  // <style> even there, where they could never run. Nothing else is reported:
  // no script, URL or eval was ever attempted.
  const violations = await page.evaluate(() => window.__violations);
  assert.ok(violations.length > 0);
  for (const v of violations) assert.match(v, /^(script-src-attr|style-src-elem) inline\b/);
  assert.deepEqual(errors.filter((e) => !/^(Applying inline style|Executing inline event handler) violates the following Content Security Policy directive/.test(e)), []);
  await context.close();
});
