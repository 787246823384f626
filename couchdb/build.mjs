// Writes couchdb/design.json — the design document `_design/claimmark` as
// CouchDB stores it (functions as strings) — from the readable sources
// beside it. `node couchdb/build.mjs` after changing one; a test checks
// that design.json is up to date.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A source file's function, without its leading comment lines. */
export function source(name) {
  return readFileSync(join(here, name), 'utf8')
    .split('\n')
    .filter((line, i, all) => !(line.startsWith('//') && all.slice(0, i).every((l) => l.startsWith('//'))))
    .join('\n')
    .trim();
}

/** The design document. */
export function design() {
  return {
    _id: '_design/claimmark',
    language: 'javascript',
    validate_doc_update: source('validate_doc_update.js'),
    filters: { article: source('filter_article.js') },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(here, 'design.json'), `${JSON.stringify(design(), null, 2)}\n`);
  console.log('wrote couchdb/design.json');
}
