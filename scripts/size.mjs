// The first-load size of the release bundle, and its budget (and the
// second module's, which every first visit fetches once the app is idle).
//
//   node scripts/size.mjs [DIR]           # the table: each file of the first load, raw / gzip -9 / brotli 11
//   node scripts/size.mjs --check [DIR]   # also fail when the first load's gzip bytes exceed size-budget.json
//
// The first load is index.html and every CSS, JS and wasm file it names
// (Trunk's loader, its wasm, the stylesheets, the worker's registration
// script): what a first visit fetches before the app is ready. Anything the
// page loads later (the service worker, a module loaded on first use) is
// listed apart and not counted. `make test` runs `--check` after the release
// build (Makefile `size`); `make bench` prints the same table.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';

export const BUDGET_FILE = 'size-budget.json';

async function sizes(dir, file) {
  const body = await readFile(join(dir, file));
  return {
    file,
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }).length,
  };
}

/** The files of the first load (index.html first) and of later loads, with their sizes. */
export async function firstLoad(dir = 'dist') {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  // Every CSS, JS and wasm file of the bundle that index.html names (in a
  // link, a script, or the loader's import and wasm path), however the
  // minifier quoted it; the service worker (named for offline.js to
  // register once the app is ready) is a later load.
  const files = (await readdir(dir)).filter((f) => /\.(css|js|wasm)$/.test(f)).sort();
  const first = [await sizes(dir, 'index.html')];
  for (const f of files.filter((f) => f !== 'sw.js' && html.includes(f))) first.push(await sizes(dir, f));
  // The snippets wasm-bindgen writes for `#[wasm_bindgen(module = ...)]`
  // (assets/later.js) are imported by the loader itself: first load too.
  for (const x of [...first]) {
    if (!x.file.endsWith('.js')) continue;
    const js = await readFile(join(dir, x.file), 'utf8');
    for (const [, f] of js.matchAll(/["'`]\.\/(snippets\/[^"'`]+\.js)["'`]/g)) {
      if (!first.some((y) => y.file === f)) first.push(await sizes(dir, f));
    }
  }
  // Later loads: the second module (later/, fetched on first use or when
  // the browser is idle, docs/architecture.md#two-modules) and the worker.
  const laterDir = (await readdir(join(dir, 'later')).catch(() => [])).sort().map((f) => `later/${f}`);
  const after = [];
  for (const f of [...laterDir, 'sw.js']) if (await stat(join(dir, f)).catch(() => null)) after.push(await sizes(dir, f));
  const sum = (list) => Object.fromEntries(['raw', 'gzip', 'brotli'].map((k) => [k, list.reduce((a, x) => a + x[k], 0)]));
  return { first, later: after, total: sum(first), second: sum(after.filter((x) => x.file.startsWith('later/'))) };
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

export function table({ first, later, total }) {
  const rows = ['| file | raw | gzip -9 | brotli 11 |', '|---|---|---|---|'];
  for (const x of first) rows.push(`| ${x.file} | ${kb(x.raw)} | ${kb(x.gzip)} | ${kb(x.brotli)} |`);
  rows.push(`| **first load** | **${kb(total.raw)}** | **${kb(total.gzip)}** | **${kb(total.brotli)}** |`);
  for (const x of later) rows.push(`| ${x.file} (later: ${x.file.startsWith('later/') ? 'when idle or first used' : 'after the app is ready'}) | ${kb(x.raw)} | ${kb(x.gzip)} | ${kb(x.brotli)} |`);
  return rows.join('\n');
}

/** An error message when `total` is over the budget in `budget`, else null. */
export function overBudget(total, budget) {
  const limit = budget.firstLoadGzip;
  if (!Number.isInteger(limit) || limit <= 0) return `${BUDGET_FILE}: firstLoadGzip must be a positive number of bytes`;
  if (total.gzip <= limit) return null;
  return `The first load is ${total.gzip} bytes gzip, ${total.gzip - limit} bytes (${kb(total.gzip - limit)}) over the budget of ${limit} in ${BUDGET_FILE}.\n`
    + 'What grew is what a first visit downloads before it can read and annotate. Either keep it out of the first load '
    + '(load it when first used), or raise firstLoadGzip in the same commit and say in its message what grew and why it must load first.';
}

/** An error message when the second module (`second`: its files summed) is over `budget.laterGzip`, else null. */
export function secondOverBudget(second, budget) {
  const limit = budget.laterGzip;
  if (!Number.isInteger(limit) || limit <= 0) return `${BUDGET_FILE}: laterGzip must be a positive number of bytes`;
  if (second.gzip <= limit) return null;
  return `The second module is ${second.gzip} bytes gzip, ${second.gzip - limit} bytes (${kb(second.gzip - limit)}) over the budget of ${limit} in ${BUDGET_FILE}.\n`
    + 'It loads once the app is ready, on every first visit: raise laterGzip in the same commit and say in its message what grew and why.';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--')) ?? 'dist';
  const size = await firstLoad(dir);
  console.log(table(size));
  if (args.includes('--check')) {
    const budget = JSON.parse(await readFile(BUDGET_FILE, 'utf8'));
    const problems = [overBudget(size.total, budget), secondOverBudget(size.second, budget)].filter(Boolean);
    if (problems.length) {
      for (const p of problems) console.error(`\nsize: ${p}`);
      process.exit(1);
    }
    console.log(`\nsize: first load ${size.total.gzip} bytes gzip, within the budget of ${budget.firstLoadGzip} (${kb(budget.firstLoadGzip - size.total.gzip)} to spare); `
      + `second module ${size.second.gzip} bytes gzip, within ${budget.laterGzip} (${kb(budget.laterGzip - size.second.gzip)} to spare)`);
  }
}
