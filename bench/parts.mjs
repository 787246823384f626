// What each part of claimmark costs in the release wasm, measured with
// twiggy on the release build with its names kept.
//
//   node bench/parts.mjs [--build] [--json FILE]
//
// The wasm is the first module `make release` compiles
// (target/wasm32-unknown-unknown/release/claimmark.wasm, with the `split`
// feature; --build compiles it first), run through wasm-bindgen and `wasm-opt -Oz` as Trunk runs
// them, but with `-g` so function names survive; the "function names"
// section that adds is left out of every figure. `twiggy dominators` then
// gives the dominator tree: an item belongs to the part that dominates it
// (every path to it runs through that part), so Yew, serde or std code that
// only one part uses is counted in that part. Precisely:
//
// 1. the topmost dominator on an item's path that names a part that could
//    load later (team, Markdown, print/publish, backups, import, export,
//    opening other articles) decides;
// 2. else the nearest dominator that names a claimmark module counts it in
//    the first module (reading, selecting, tagging, saving);
// 3. else its own crate (Yew, serde, std…): shared.
//
// Yew's component views (`CompStateInner<COMP>::view`, the expanded html!
// trees) are called through the function table, so nothing above them
// names a part; each is counted in the part owning most of what it
// dominates, or "Yew views (unattributed)". Compressed sizes are estimates:
// the whole wasm's gzip ratio applied to each part's raw bytes (compression
// works on the whole file, not per part). The second module (dist/later/,
// docs/architecture.md#two-modules) is measured whole, after the table.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';

const args = process.argv.slice(2);
const out = 'target/parts';
mkdirSync(out, { recursive: true });
const env = { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const run = (cmd, a, opts = {}) => execFileSync(cmd, a, { env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30, ...opts });

if (args.includes('--build')) run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--features', 'split', '--bin', 'claimmark'], { stdio: 'inherit' });
run('wasm-bindgen', ['--target', 'web', '--keep-debug', '--no-typescript', '--out-dir', out, 'target/wasm32-unknown-unknown/release/claimmark.wasm']);
const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];
run('wasm-opt', ['-Oz', '-g', ...features, `${out}/claimmark_bg.wasm`, '-o', `${out}/named.wasm`]);
run('wasm-opt', ['-Oz', ...features, `${out}/claimmark_bg.wasm`, '-o', `${out}/stripped.wasm`]);
const tree = JSON.parse(run('twiggy', ['dominators', '-f', 'json', `${out}/named.wasm`]).toString());

/** The parts, first match wins: [name, when it is needed, pattern]. */
const PARTS = [
  ['team sync', 'later', /claimmark::(team::|core::sync::|web::couch|ui::hooks::team|ui::team_|ui::dialogs::team)|gloo_net/],
  ['Markdown (pulldown-cmark + its reader)', 'later', /claimmark::core::parse::(markdown|parse_markdown)|pulldown_cmark|unicase/],
  ['print / publish (printed report, annotated page)', 'later', /claimmark::(web::print|ui::print|core::formats::(page|report))/],
  ['backups (library backup, restore, set-aside values)', 'later', /claimmark::(core::backup|ui::backups?\b|core::storage::backup|core::formats::library)/],
  ['import (readers, planning, anchoring)', 'later', /claimmark::(core::import|core::anchor|core::formats::(read|w3c|hypothesis)|ui::hooks::importer|ui::dialogs::import)/],
  // The other writers are in the second module; claimmark JSON stays (the
  // way out when saving fails, docs/architecture.md#two-modules).
  ['claimmark JSON and the export menu (the other writers are in the second module)', 'first', /claimmark::(core::formats|ui::export_menu)/],
  ['opening articles (files, paste, HTML, new versions)', 'later', /claimmark::(core::parse::(decode|mod|open)|web::html|web::files|ui::hooks::opener|ui::dialogs::(paste|version))/],
  ['first module: read, select, tag, save (claimmark code)', 'first', /claimmark::/],
];
const SHARED = [
  ['Yew runtime', /^<?&?(yew|implicit_clone|yew_macro|gloo)/],
  ['serde, serde_json', /serde|zmij|itoa|ryu/],
  ['wasm-bindgen, js-sys, web-sys glue', /wasm_bindgen|js_sys|web_sys|__wbindgen|__externref|externref/],
  ['data (strings, tables)', /^data segment/],
  ['sha2', /sha2|digest|block_buffer/],
];
const partOf = (name) => PARTS.find(([, , re]) => re.test(name));
const isLater = (name) => partOf(name)?.[1] === 'later';

const sizes = new Map();
const add = (k, n) => sizes.set(k, (sizes.get(k) ?? 0) + n);
const viewOwners = [];
/** Sum of shallow sizes under `node` by the part each named item is in. */
function ownersBelow(node, acc = new Map()) {
  for (const c of node.children ?? []) {
    const p = partOf(c.name);
    if (p) acc.set(p[0], (acc.get(p[0]) ?? 0) + c.shallow_size);
    ownersBelow(c, acc);
  }
  return acc;
}
function walk(node, path) {
  const name = node.name;
  const size = name.includes('"function names" subsection') || name.includes('"data names" subsection') ? 0 : node.shallow_size;
  const later = path.find(isLater) ?? (isLater(name) ? name : null);
  let part;
  if (later) part = partOf(later)[0];
  else if (/CompStateInner<COMP> as yew::html::component::lifecycle::Stateful>::view/.test(name)) {
    const owners = [...ownersBelow(node)].sort((a, b) => b[1] - a[1]);
    part = owners[0]?.[0] ?? 'Yew views (html! trees, owner unknown)';
    viewOwners.push({ size: node.retained_size, part });
  } else if (partOf(name)) part = partOf(name)[0];
  else if ([...path].reverse().find((p) => partOf(p))) part = partOf([...path].reverse().find((p) => partOf(p)))[0];
  else part = SHARED.find(([, re]) => re.test(name))?.[0] ?? 'Rust std, core, alloc and the rest';
  add(part, size);
  for (const c of node.children ?? []) walk(c, [...path, name]);
}
for (const top of tree.items) walk(top, []);

/** The data segments of a wasm file: [size, bytes]. */
function dataSegments(b) {
  let p = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = b[p++]; r |= (x & 127) << s; s += 7; } while (x & 128); return r >>> 0; };
  const segs = [];
  while (p < b.length) {
    const id = b[p++], len = leb(), end = p + len;
    if (id === 11) {
      for (let n = leb(), i = 0; i < n; i++) {
        const flag = leb();
        if (flag === 2) leb();
        if (flag !== 1) { while (b[p] !== 0x0b) p++; p++; }
        const size = leb();
        segs.push(b.subarray(p, p + size));
        p += size;
      }
    }
    p = end;
  }
  return segs;
}
// Data segments reached only through computed addresses are beyond
// twiggy's call graph ("potential false-positive" garbage). The one
// holding HTML's named entities is pulldown-cmark's table.
const stripped = readFileSync(`${out}/stripped.wasm`);
const counted = [...sizes.values()].reduce((a, b) => a + b, 0);
const entities = dataSegments(stripped).find((d) => d.includes('CounterClockwiseContourIntegral'))?.length ?? 0;
add(PARTS[1][0], entities);
add('data twiggy cannot place (strings and tables of every part), section headers', stripped.length - counted - entities);

const total = [...sizes.values()].reduce((a, b) => a + b, 0);
const gz = gzipSync(stripped, { level: 9 }).length;
const br = brotliCompressSync(stripped, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
// A part already in the second module has nothing left here: no row.
const rows = [...sizes].filter(([, raw]) => raw > 0).sort((a, b) => b[1] - a[1]).map(([part, raw]) => {
  const p = PARTS.find(([n]) => n === part);
  return { part, when: p ? p[1] : 'shared', raw, gzip: Math.round(raw * gz / total), brotli: Math.round(raw * br / total) };
});
console.log(`wasm: ${kb(stripped.length)} raw, ${kb(gz)} gzip -9, ${kb(br)} brotli 11 (twiggy places ${kb(counted)} of it)\n`);
console.log('| part | loads | wasm raw | share | gzip (est.) | brotli (est.) |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.part} | ${r.when} | ${kb(r.raw)} | ${(100 * r.raw / total).toFixed(1)} % | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
const sum = (w) => rows.filter((r) => r.when === w).reduce((a, r) => a + r.raw, 0);
console.log(`\nparts that could still load later: ${kb(sum('later'))} raw (${(100 * sum('later') / total).toFixed(1)} %), first module's own code ${kb(sum('first'))}, shared ${kb(sum('shared'))}`);
// The second module as the release ships it (make release writes it).
const second = (existsSync('dist/later') ? readdirSync('dist/later', { withFileTypes: true }) : []).filter((f) => f.name.endsWith('_bg.wasm'))
  .map((f) => readFileSync(`dist/later/${f.name}`))[0];
if (second) console.log(`second module (the export writers but claimmark JSON's, the Markdown reader with pulldown-cmark; loads on first use): ${kb(second.length)} raw, ${kb(gzipSync(second, { level: 9 }).length)} gzip -9, ${kb(brotliCompressSync(second, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length)} brotli 11`);
const i = args.indexOf('--json');
if (i >= 0) writeFileSync(args[i + 1], JSON.stringify({ wasm: { raw: stripped.length, gzip: gz, brotli: br }, rows, views: viewOwners }, null, 2));
