// Which files of src/ import which, and whether any import each other,
// directly or in a loop. `node scripts/imports.mjs [src/dir]` prints the
// loops found (and exits 1 if there are any); `--graph` prints every edge.
//
// An import is any path a file names — a `use` (its braces unfolded) or a
// path written inline (`crate::core::sync::doc::read_annotation`,
// `super::inner::Shared`) — resolved to the file that defines the item:
// a path walks down modules while a file exists for the next segment, and
// an item a module only re-exports (`pub use state::Action`) is followed
// to where it is defined. Declaring a module (`mod x;`) and re-exporting
// are not imports: a facade `mod.rs` depends on nothing by itself.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = 'src';

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.rs') ? [p] : [];
  });
}

/** `src/a/b.rs` and `src/a/b/mod.rs` → ['a', 'b']; `src/lib.rs` → []. */
function modOf(file) {
  const parts = relative(SRC, file).replace(/\.rs$/, '').split('/');
  if (parts.at(-1) === 'mod' || parts.at(-1) === 'lib') parts.pop();
  return parts;
}

function fileOf(mod) {
  if (mod.length === 0) return join(SRC, 'lib.rs');
  const a = join(SRC, ...mod) + '.rs';
  if (existsSync(a)) return a;
  const b = join(SRC, ...mod, 'mod.rs');
  return existsSync(b) ? b : null;
}

/** The code without comments and string literals (paths in them are not imports). */
function code(text) {
  return text
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/r#*"[\s\S]*?"#*/g, '""')
    .replace(/"(?:\\.|[^"\\])*"/g, '""')
    .replace(/'(?:\\.|[^'\\])'/g, "''");
}

/** Unfold a use tree (`a::{b, c::{d, e as f}}`) into paths. */
function unfold(tree) {
  tree = tree.replace(/\s+/g, '');
  const open = tree.indexOf('{');
  if (open < 0) return [tree.replace(/as\w+$/, '')];
  const prefix = tree.slice(0, open);
  const inner = tree.slice(open + 1, tree.lastIndexOf('}'));
  const parts = [];
  let depth = 0;
  let cur = '';
  for (const ch of inner) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  if (cur) parts.push(cur);
  return parts.flatMap((p) => unfold(p).map((x) => (x === 'self' ? prefix.replace(/::$/, '') : prefix + x)));
}

const all = files(SRC).filter((f) => !f.endsWith('main.rs'));
const texts = new Map(all.map((f) => [f, code(readFileSync(f, 'utf8'))]));

/** Re-exports of each module: item name → the path it re-exports. */
const reexports = new Map();
for (const [f, t] of texts) {
  const m = new Map();
  for (const [, tree] of t.matchAll(/pub(?:\([^)]*\))?\s+use\s+([^;]+);/g)) {
    for (const p of unfold(tree)) {
      const alias = /as\s*(\w+)$/.exec(p);
      const name = alias ? alias[1] : p.split('::').at(-1);
      m.set(name, p.replace(/as\w+$/, ''));
    }
  }
  reexports.set(f, m);
}

/** Resolve `path` named in module `from` to the file defining it (or null: outside the crate). */
function resolve(path, from, seen = 0) {
  const segs = path.split('::').filter(Boolean);
  let mod;
  if (segs[0] === 'crate') { mod = []; segs.shift(); }
  else if (segs[0] === 'super' || segs[0] === 'self') {
    mod = [...from];
    while (segs[0] === 'super' || segs[0] === 'self') { if (segs.shift() === 'super') mod.pop(); }
  } else {
    // A path relative to the module: a child module, or an item it re-exports.
    mod = [...from];
    if (!fileOf([...mod, segs[0]]) && !reexports.get(fileOf(mod))?.has(segs[0])) return null;
  }
  while (segs.length && fileOf([...mod, segs[0]])) mod.push(segs.shift());
  const file = fileOf(mod);
  if (segs.length && seen < 10) {
    const re = reexports.get(file)?.get(segs[0]);
    if (re) return resolve(re, mod, seen + 1) ?? file;
  }
  return file;
}

const edges = new Map(all.map((f) => [f, new Set()]));
for (const [f, t] of texts) {
  const from = modOf(f);
  const paths = [];
  // Names a `use` brings in that are modules (`use crate::core::storage::{self, …}`):
  // a path through them in the body (`storage::read_versions`) is followed too.
  const aliases = new Map();
  for (const [, pub, tree] of t.matchAll(/(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);/g)) {
    if (pub) continue;
    for (const p of unfold(tree)) {
      const to = resolve(p, from);
      // A module brought in by name is no import by itself; what is used through it is.
      if (to && modOf(to).at(-1) === p.split('::').at(-1)) aliases.set(p.split('::').at(-1), p);
      else paths.push(p);
    }
  }
  const body = t.replace(/(pub(?:\([^)]*\))?\s+)?use\s+[^;]+;/g, '');
  for (const [p] of body.matchAll(/\b(?:crate|super|self)(?:::\w+)+/g)) paths.push(p);
  for (const [, head, rest] of body.matchAll(/\b(\w+)((?:::\w+)+)/g)) {
    if (aliases.has(head)) paths.push(aliases.get(head) + rest);
  }
  for (const p of paths) {
    const to = resolve(p, from);
    if (to && to !== f) edges.get(f).add(to);
  }
}

const scope = process.argv.find((a, i) => i > 1 && !a.startsWith('--')) ?? SRC;
const inScope = (f) => f.startsWith(scope.replace(/\/$/, ''));

if (process.argv.includes('--graph')) {
  for (const [f, to] of edges) if (inScope(f)) for (const t of to) console.log(`${f} -> ${t}`);
}

// Loops: strongly connected components (Tarjan) of more than one file.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const on = new Set();
const loops = [];
function visit(v) {
  idx.set(v, index); low.set(v, index); index++;
  stack.push(v); on.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const scc = [];
    let w;
    do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1) loops.push(scc.sort());
  }
}
for (const v of edges.keys()) if (!idx.has(v)) visit(v);
const mine = loops.filter((l) => l.some(inScope));
for (const l of mine) console.log(`loop: ${l.join(' <-> ')}`);
console.log(`${mine.length} loop(s) among the files of ${scope} (${[...edges.keys()].filter(inScope).length} files)`);
process.exit(mine.length ? 1 : 0);
