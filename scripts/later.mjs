// The second wasm module (the `later/` crate: export writers and the
// Markdown reader; docs/architecture.md, "Two modules"), built into the
// bundle the way Trunk builds the first: cargo for wasm32 in the same
// profile (so the claimmark library Trunk has just compiled is reused),
// wasm-bindgen `--target web`, and in release `wasm-opt -Oz`. Its files get
// a content hash in their names (`later/claimmark-later-<16 hex>.js` and
// `…_bg.wasm`: immutable, like Trunk's), and index.html names them in
// <meta name="claimmark-later">, which assets/later.js reads when the
// first module first asks for them. Nothing loads them with the page.
//
// Called by scripts/postbuild.mjs (Trunk's post-build hook).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TARGET = 'wasm32-unknown-unknown';
/** What wasm-opt may assume of the browser: features every browser claimmark runs in has (bench/parts.mjs uses the same). */
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

/** The meta element naming the module (`href` relative to index.html). */
export const laterMeta = (href) => `<meta name="claimmark-later" content="${href}" />`;

/** Build the second module into `dir/later/`; returns its JS file's path relative to `dir`. */
export function buildLater(dir, release, root = process.cwd()) {
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  run('cargo', ['build', '--target', TARGET, '-p', 'claimmark-later', ...(release ? ['--release'] : [])]);
  const wasm = join(root, 'target', TARGET, release ? 'release' : 'debug', 'claimmark_later.wasm');
  // One folder per profile: a debug `trunk serve` rebuild and `make release`
  // running at once must not swap each other's files.
  const tmp = join(root, 'target', `later-bindgen-${release ? 'release' : 'debug'}`);
  rmSync(tmp, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', tmp, wasm]);
  const bg = join(tmp, 'claimmark_later_bg.wasm');
  if (release) run('wasm-opt', ['-Oz', ...FEATURES, bg, '-o', bg]);
  const js = readFileSync(join(tmp, 'claimmark_later.js'));
  const body = readFileSync(bg);
  const hash = createHash('sha256').update(js).update(body).digest('hex').slice(0, 16);
  const out = join(dir, 'later');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `claimmark-later-${hash}.js`), js);
  writeFileSync(join(out, `claimmark-later-${hash}_bg.wasm`), body);
  return `later/claimmark-later-${hash}.js`;
}

/** index.html naming the module at `href`, after <meta charset> (replacing an older name). */
export function withLater(html, href) {
  const stripped = html.replace(/\s*<meta name="?claimmark-later"?[^>]*>/i, '');
  const charset = /<meta charset=(?:"[^"]*"|[^\s>"]+)\s*\/?>/i;
  if (!charset.test(stripped)) throw new Error('index.html has no <meta charset>');
  return stripped.replace(charset, (m) => `${m}\n    ${laterMeta(href)}`);
}
