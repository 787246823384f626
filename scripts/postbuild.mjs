// Trunk's post-build hook (Trunk.toml [[hooks]]): finishes the bundle Trunk
// wrote into its staging directory before it becomes dist/.
//
// 1. Content-Security-Policy: a <meta http-equiv> right after <meta charset>,
//    allowing exactly the inline scripts Trunk wrote (its wasm loader) by
//    their SHA-256, never 'unsafe-inline' (debug builds excepted: see
//    policy()). The hashes are taken from the final index.html, so they
//    change with the hashed file names inside the loader.
// 2. The first paint: the app's page around the article (assets/shell.html,
//    captured from the app by `make shell`) with the seed article in it,
//    written from the same description the app builds its DOM from
//    (`cargo run --example prerender`, core::markup), and the inline
//    script that draws a returning person's article from storage instead
//    (assets/first-paint.js, with assets/first-paint-early.js before it so
//    the seed never flashes first), in place of `<template id="claimmark-first-paint">`
//    in <body>. The article is on screen as soon as the HTML and CSS are.
// 3. The second wasm module (scripts/later.mjs): built into later/ and
//    named in a <meta> for assets/later.js, which loads it on first use.
// 4. Release builds only: a Workbox service worker (sw.js) precaching every
//    file of the bundle, and `data-service-worker="sw.js"` on <html>, which
//    is what assets/offline.js registers. Debug builds (`trunk serve`) get
//    neither, so a developer never runs a cached build.
//
//   node scripts/postbuild.mjs [DIR]   # DIR: $TRUNK_STAGING_DIR, else dist
//
// The same functions are imported by the end-to-end tests to build a
// "new release" of dist/ (see tests/e2e/offline.test.mjs).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLater, withLater } from './later.mjs';

/**
 * The policy's directives, in the order written. `hashes` are the inline
 * scripts'; `null` (debug builds) allows inline scripts instead, because
 * `trunk serve` injects its live-reload script into the page after this
 * hook has run. Every other directive is the same, so a developer still
 * sees any other violation.
 */
export function policy(hashes) {
  const inline = hashes === null ? "'unsafe-inline'" : hashes.map((h) => `'sha256-${h}'`).join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' ${inline} 'wasm-unsafe-eval'`,
    "style-src 'self'",
    // Positions computed at run time (the selection toolbar, the overlap
    // chooser) and the tag chart's bar widths are `style="…"` attributes Yew
    // sets; attributes cannot carry script, and no <style> element is allowed.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    // The team server (CouchDB) is chosen at run time: any https origin, and
    // loopback over http for development and tests.
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** SHA-256 (base64) of each inline <script> body in `html`, as CSP hashes them. */
export function inlineScriptHashes(html) {
  const hashes = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1])) continue;
    hashes.push(createHash('sha256').update(m[2], 'utf8').digest('base64'));
  }
  return hashes;
}

/** index.html with the CSP meta written (or rewritten) after <meta charset>. */
export function withPolicy(html, release = true) {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(release ? inlineScriptHashes(html) : null)}" />`;
  const stripped = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/i, '');
  const charset = /<meta charset=(?:"[^"]*"|[^\s>"]+)\s*\/?>/i;
  if (!charset.test(stripped)) throw new Error('index.html has no <meta charset>: the policy must come first in <head>');
  return stripped.replace(charset, (m) => `${m}\n    ${meta}`);
}

/** Trunk's hashed file names (`name-<16 hex>.ext`, `…_bg.wasm`): their URL is their revision. */
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/;

/**
 * Write `dir/sw.js`: a Workbox worker precaching every file of the bundle.
 * It waits after installing (no skipWaiting) until the page asks it to take
 * over with {type: 'SKIP_WAITING'} — the person's "Reload".
 */
export async function writeServiceWorker(dir) {
  const { generateSW } = await import('workbox-build');
  const { count, size, warnings } = await generateSW({
    globDirectory: dir,
    globPatterns: ['**/*.{html,js,wasm,css,webmanifest,png,svg}'],
    globIgnores: ['sw.js'],
    swDest: join(dir, 'sw.js'),
    dontCacheBustURLsMatching: HASHED,
    // later.js asks for its module again under ?retry=N after a failed
    // load: the precached copy answers it offline, as it does campaign tags.
    ignoreURLParametersMatching: [/^utm_/, /^fbclid$/, /^retry$/],
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    skipWaiting: false,
    clientsClaim: false,
    cleanupOutdatedCaches: true,
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: 'production',
    disableDevLogs: true,
  });
  for (const w of warnings) console.warn(`postbuild: ${w}`);
  return { count, size };
}

/** Mark <html> so assets/offline.js registers the worker. */
export function withServiceWorker(html) {
  return html.replace(/<html\b([^>]*)>/i, (m, attrs) =>
    /data-service-worker=/.test(attrs) ? m : `<html${attrs} data-service-worker="sw.js">`);
}

/** Where index.html takes the first paint (attribute quotes optional: the release build minifies). */
export const FIRST_PAINT_MARK = /<template id="?claimmark-first-paint"?><\/template>/;

/**
 * The seed article as the app draws it: `{id, attributes, html}` from
 * `cargo run --example prerender` (the `<article>` element's own
 * attributes and its children).
 */
export function prerenderedSeed() {
  const out = execFileSync('cargo', ['run', '-q', '--example', 'prerender'], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  return JSON.parse(out.toString());
}

/**
 * index.html with the first paint in place of FIRST_PAINT_MARK: `early`
 * (assets/first-paint-early.js) inline, `shell` (assets/shell.html) with
 * `seed` in its empty <article>, then `script` (assets/first-paint.js)
 * inline: both run before anything is painted.
 */
export function withFirstPaint(html, shell, seed, script, early) {
  if (!FIRST_PAINT_MARK.test(html)) throw new Error('index.html has no <template id="claimmark-first-paint">');
  const page = shell.replace(/<!--[\s\S]*?-->\s*/g, '').trim();
  const empty = /<article\b([^>]*)><\/article>/;
  if (!empty.test(page)) throw new Error('assets/shell.html has no empty <article>');
  const id = String(seed.id);
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error('the seed id is not a SHA-256');
  const filled = page.replace(empty, (m, attrs) => `<article${attrs}${seed.attributes}>${seed.html}</article>`);
  return html.replace(FIRST_PAINT_MARK, () =>
    `<script>${early.trim().replaceAll('%SEED%', id)}</script>\n    <div id="first-paint" data-seed="${id}">${filled}</div>\n    <script>${script.trim()}</script>`);
}

/** Finish the bundle in `dir` (the first paint, the CSP, and in release the service worker). */
export async function finish(dir, release) {
  const file = join(dir, 'index.html');
  let html = await readFile(file, 'utf8');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const [shell, script, early] = await Promise.all([
    readFile(join(root, 'assets/shell.html'), 'utf8'),
    readFile(join(root, 'assets/first-paint.js'), 'utf8'),
    readFile(join(root, 'assets/first-paint-early.js'), 'utf8'),
  ]);
  html = withFirstPaint(html, shell, prerenderedSeed(), script, early);
  html = withLater(html, buildLater(dir, release, root));
  if (release) html = withServiceWorker(html);
  html = withPolicy(html, release);
  await writeFile(file, html);
  // The worker last: it precaches index.html as written above.
  if (release) {
    const { count, size } = await writeServiceWorker(dir);
    console.log(`postbuild: CSP written; sw.js precaches ${count} files (${(size / 1024).toFixed(0)} KB)`);
  } else {
    console.log('postbuild: CSP written (debug build: inline scripts allowed for trunk serve, no service worker)');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
  const release = process.env.TRUNK_PROFILE ? process.env.TRUNK_PROFILE === 'release' : true;
  await finish(dir, release);
}
