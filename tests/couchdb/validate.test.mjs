// The team database's access rules (couchdb/validate_doc_update.js, built
// into couchdb/design.json): called directly with documents and users, and
// then through a real server (pouchdb-server, set up by couchdb/setup.sh).
// Run alone: `node --test tests/couchdb/validate.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { design } from '../../couchdb/build.mjs';
import { startCouch } from '../e2e/couch.mjs';

const stored = JSON.parse(readFileSync('couchdb/design.json', 'utf8'));
// eslint-disable-next-line no-new-func
const validate = new Function(`return (${stored.validate_doc_update});`)();
const filter = new Function(`return (${stored.filters.article});`)();

const ARTICLE = 'a'.repeat(64);
const SECURITY = { admins: { names: [], roles: [] }, members: { names: ['ana', 'ben', 'carl'], roles: [] } };
const user = (name, roles = []) => ({ name, roles, db: 'team' });
const ana = user('ana');
const ben = user('ben', ['editor']);
const carl = user('carl');

function annotation(fields = {}) {
  return {
    _id: `ann:${ARTICLE}:n1`, type: 'annotation', article: ARTICLE, id: 'n1', author: 'ana',
    tag: 'fact', start: 10, end: 20, note: '', verdict: null, explanation: '', sources: [],
    claim: '', claimant: '', created: '2026-11-29T10:00:00.000Z', modified: '2026-11-29T10:00:00.000Z',
    clock: { life: 0, changed: 1795992619331 }, ...fields,
  };
}
/** A deletion as claimmark writes it: a version of its own, `deleted: true`. */
const tombstone = (fields = {}) => ({
  _id: `ann:${ARTICLE}:n1`, deleted: true, type: 'annotation', article: ARTICLE, id: 'n1', author: 'ana',
  clock: { life: 0, changed: 1795992619999 }, ...fields,
});
/** A value nested `n` lists deep. */
function nested(n) {
  let v = 'deep';
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

/** What the function says: 'ok', or the thrown reason. */
function verdict(newDoc, oldDoc, who, sec = SECURITY) {
  try {
    validate(newDoc, oldDoc, who, sec);
    return 'ok';
  } catch (e) {
    return e.forbidden ? `forbidden: ${e.forbidden}` : e.unauthorized ? `unauthorized: ${e.unauthorized}` : String(e);
  }
}

test('couchdb/design.json is built from the sources beside it', () => {
  assert.deepEqual(stored, design(), 'run: node couchdb/build.mjs');
});

test('a new annotation must be the signed-in member\'s own', () => {
  assert.equal(verdict(annotation(), null, ana), 'ok');
  assert.match(verdict(annotation(), null, carl), /forbidden: A new annotation's author must be you \(carl\)/);
  assert.match(verdict(annotation({ author: undefined }), null, ana), /author must be you/);
  assert.match(verdict(annotation(), null, user(null)), /unauthorized/);
  assert.match(verdict(annotation({ author: 'eve' }), null, user('eve')), /forbidden: You are not a member/);
  // Server admins set things up and repair them.
  assert.equal(verdict(annotation({ author: 'whoever' }), null, user('admin', ['_admin'])), 'ok');
});

test('only its author or an editor changes, deletes or brings back an annotation', () => {
  const old = annotation({ _rev: '1-a' });
  const edited = annotation({ note: 'changed', clock: { life: 0, changed: 1795992620000 } });
  assert.equal(verdict(edited, old, ana), 'ok');
  assert.match(verdict(edited, old, carl), /forbidden: Only ana \(who made it\) or an editor may change or delete this annotation/);
  assert.equal(verdict(edited, old, ben), 'ok', 'an editor');
  assert.match(verdict(annotation({ author: 'carl' }), old, ben), /author cannot change/);
  assert.equal(verdict(tombstone(), old, ana), 'ok');
  assert.match(verdict(tombstone(), old, carl), /Only ana/);
  assert.equal(verdict(tombstone(), old, ben), 'ok');
  assert.match(verdict(tombstone({ clock: undefined }), old, ana), /must keep its clock/);
  // A deletion keeps nothing of the content.
  assert.match(verdict(tombstone({ note: 'still here' }), old, ana), /a deletion has a field claimmark does not write: note/);
  // Bringing back a deleted one (over its deletion) is a change too: its
  // author or an editor (an undo, "Bring mine back"), never another member,
  // and never under another name.
  const revived = annotation({ clock: { life: 1, changed: 1795992629999 } });
  assert.match(verdict(revived, tombstone({ _rev: '2-b' }), carl), /Only ana/);
  assert.match(verdict(annotation({ author: 'carl' }), tombstone({ _rev: '2-b' }), carl), /Only ana/);
  assert.equal(verdict(revived, tombstone({ _rev: '2-b' }), ana), 'ok');
  assert.equal(verdict(revived, tombstone({ _rev: '2-b' }), ben), 'ok', 'an editor undoes a deletion');
  // CouchDB's own deletion hides the version from this function on some
  // servers: only an editor makes one (removing a revision in conflict).
  const removal = tombstone({ _deleted: true, deleted: undefined });
  assert.match(verdict(removal, old, ana), /only an editor removes revisions/);
  assert.equal(verdict(removal, old, ben), 'ok');
});

test('fields claimmark does not write, and nesting deeper than it writes, are refused: every client must be able to read what any member writes', () => {
  assert.match(verdict(annotation({ extra: nested(126) }), null, ana), /a field claimmark does not write: extra/);
  assert.match(verdict(annotation({ sources: nested(126) }), null, ana), /sources is nested deeper/);
  assert.match(verdict(annotation({ clock: { life: 0, changed: 1, more: nested(5) } }), null, ana), /its clock is nested deeper/);
  assert.match(verdict(annotation({ clock: { life: 0, changed: 1, more: 1 } }), null, ana), /its clock has a field claimmark does not write: more/);
  assert.match(verdict(annotation({ overwrote: { changed: 1, x: 1 } }), null, ana), /a field claimmark does not write: x/);
  assert.match(verdict(annotation({ orphan: nested(3) }), null, ana), /orphan is nested deeper/);
  assert.match(verdict(annotation({ orphan: 'yes' }), null, ana), /orphan mark must be true or false/);
  assert.match(verdict(annotation({ orphan: true, start: null, end: 7, quote: 'q' }), null, ana), /has no end/);
  assert.match(verdict(annotation({ _attachments: { a: { data: 'eA==' } } }), null, ana), /attachments/);
  const list = { _id: `list:${ARTICLE}`, type: 'list', title: 'T', chars: 5, author: 'ana' };
  assert.equal(verdict(list, null, ana), 'ok');
  assert.match(verdict({ ...list, extra: nested(126) }, null, ana), /a list entry has a field claimmark does not write: extra/);
  assert.match(verdict({ ...list, author: nested(2) }, null, ana), /author must be text/);
  const art = { _id: `article:${ARTICLE}`, type: 'article', id: ARTICLE, title: 'T', text: 'hello', blocks: [{ kind: 'paragraph', span: { start: 0, end: 5 } }] };
  assert.equal(verdict(art, null, ana), 'ok');
  assert.match(verdict({ ...art, extra: 1 }, null, ana), /an article has a field claimmark does not write: extra/);
  assert.match(verdict({ ...art, blocks: [{ kind: nested(10), span: { start: 0, end: 5 } }] }, null, ana), /nested deeper than claimmark writes/);
  assert.match(verdict({ ...art, links: nested(126) }, null, ana), /nested deeper than claimmark writes/);
  assert.match(verdict({ ...art, details: { url: nested(2) } }, null, ana), /nested deeper than claimmark writes/);
  assert.match(verdict({ ...art, id: 'b'.repeat(64) }, null, ana), /must name its id/);
});

test('documents of the wrong shape or size are refused with the reason', () => {
  const cases = [
    [annotation({ tag: 'rumour' }), /tag must be fact, quote or analysis/],
    [annotation({ start: 30, end: 20 }), /start and end must be positions/],
    [annotation({ start: -1 }), /start and end must be positions/],
    [annotation({ start: '1' }), /start and end must be positions/],
    [annotation({ note: 'x'.repeat(20001) }), /note is longer than 20000 characters/],
    [annotation({ note: 42 }), /note must be text/],
    [annotation({ sources: ['javascript:alert(1)'] }), /http or https link/],
    [annotation({ sources: 'https://a.org' }), /sources must be a list/],
    [annotation({ verdict: 'pants on fire' }), /verdict/],
    [annotation({ created: 'yesterday' }), /created time/],
    [annotation({ clock: { changed: 'now' } }), /clock's time/],
    [annotation({ article: 'b'.repeat(64) }), /its article and its id/],
    [annotation({ _id: 'ann:short:n1' }), /ann:<article id>:<annotation id>/],
    [annotation({ orphan: true, start: null, end: null }), /must keep its quote/],
    [{ _id: 'secret', type: 'x' }, /article:, list: and ann: documents only/],
    [{ _id: `list:${ARTICLE}`, type: 'list', title: 'T', author: 'ben' }, /names you as its author/],
    [{ _id: `article:${ARTICLE}`, type: 'article', id: ARTICLE, title: 'T', text: 1, blocks: [] }, /must have its text/],
  ];
  for (const [doc, reason] of cases) assert.match(verdict(doc, null, ana), reason, JSON.stringify(doc).slice(0, 80));
  // 20,000 emoji are 20,000 characters (40,000 UTF-16 units): allowed, as claimmark counts.
  assert.equal(verdict(annotation({ note: '😀'.repeat(20000) }), null, ana), 'ok');
  assert.equal(verdict(annotation({ orphan: true, start: null, end: null, quote: 'gone' }), null, ana), 'ok');
});

test('links are {article, id, kind} and nothing else, two levels deep at most, on an annotation or kept by its deletion', () => {
  const OTHER = 'b'.repeat(64);
  const link = { article: OTHER, id: 'm1', kind: 'supports' };
  assert.equal(verdict(annotation({ links: [link, { ...link, id: 'm2', kind: 'same-claim' }] }), null, ana), 'ok');
  assert.equal(verdict(tombstone({ links: [link] }), annotation(), ana), 'ok', 'a deletion keeps its links');
  const cases = [
    [{ links: link }, /links must be a list/],
    [{ links: [nested(126)] }, /links is nested deeper/],
    [{ links: [{ ...link, extra: 1 }] }, /a link has a field claimmark does not write: extra/],
    [{ links: [{ ...link, article: { a: 1 } }] }, /links is nested deeper/],
    [{ links: [{ ...link, article: 'nope' }] }, /name an article/],
    [{ links: [{ ...link, id: '' }] }, /name an annotation/],
    [{ links: [{ ...link, id: 'x'.repeat(201) }] }, /name an annotation/],
    [{ links: [{ ...link, id: 'a\u0000b' }] }, /name an annotation/],
    [{ links: [{ ...link, kind: 'refutes' }] }, /kind must be supports, contradicts or same-claim/],
    [{ links: [{ article: ARTICLE, id: 'n1', kind: 'supports' }] }, /cannot link to itself/],
    [{ links: Array.from({ length: 101 }, (_, i) => ({ ...link, id: `m${i}` })) }, /more than 100 links/],
    [{ links: ['m1'] }, /each link must be/],
  ];
  for (const [fields, reason] of cases) assert.match(verdict(annotation(fields), null, ana), reason, JSON.stringify(fields).slice(0, 80));
  assert.match(verdict(tombstone({ links: [{ ...link, kind: 'x' }] }), annotation(), ana), /kind must be/);
});

test('any member shares an article; only an editor changes or deletes one', () => {
  const art = { _id: `article:${ARTICLE}`, type: 'article', id: ARTICLE, title: 'T', text: 'hello', blocks: [] };
  assert.equal(verdict(art, null, carl), 'ok');
  assert.match(verdict({ ...art, title: 'U' }, { ...art, _rev: '1-a' }, carl), /Only an editor/);
  assert.equal(verdict({ ...art, title: 'U' }, { ...art, _rev: '1-a' }, ben), 'ok');
  assert.match(verdict({ _id: art._id, _deleted: true }, { ...art, _rev: '1-a' }, ana), /Only an editor/);
  assert.equal(verdict({ _id: `list:${ARTICLE}`, type: 'list', title: 'T', chars: 5, author: 'carl' }, null, carl), 'ok');
});

test('the article filter passes that article\'s annotations only', () => {
  const req = { query: { article: ARTICLE } };
  assert.equal(filter({ _id: `ann:${ARTICLE}:x` }, req), true);
  assert.equal(filter({ _id: `ann:${'b'.repeat(64)}:x` }, req), false);
  assert.equal(filter({ _id: `article:${ARTICLE}` }, req), false);
});

// ------------------------------------------------------ through the server

let couch;
before(async () => { couch = await startCouch(); });
after(async () => { await couch?.stop(); });

async function answer(res) {
  return { status: res.status, body: JSON.parse(await res.text()) };
}

test('the server enforces the rules: members only, authors and editors, shapes', async () => {
  const id = `ann:${ARTICLE}:n1`;
  let r = await answer(await couch.as('ana', `/${encodeURIComponent(id)}`, { method: 'PUT', body: JSON.stringify(annotation()) }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const rev1 = r.body.rev;
  // Another member may not change it…
  r = await answer(await couch.as('carl', `/${encodeURIComponent(id)}`, {
    method: 'PUT', body: JSON.stringify(annotation({ _rev: rev1, note: 'carl was here' })),
  }));
  assert.equal(r.status, 403);
  assert.equal(r.body.error, 'forbidden');
  assert.match(r.body.reason, /Only ana \(who made it\) or an editor/);
  // …nor in a batch (each document answers for itself).
  r = await answer(await couch.as('carl', '/_bulk_docs', {
    method: 'POST', body: JSON.stringify({ docs: [annotation({ _rev: rev1, note: 'again' }), annotation({ _id: `ann:${ARTICLE}:c1`, id: 'c1', author: 'carl' })] }),
  }));
  const byId = Object.fromEntries(r.body.map((x) => [x.id, x]));
  assert.equal(byId[id].error, 'forbidden');
  assert.ok(byId[`ann:${ARTICLE}:c1`].ok, 'his own goes in');
  // An editor may.
  r = await answer(await couch.as('ben', `/${encodeURIComponent(id)}`, {
    method: 'PUT', body: JSON.stringify(annotation({ _rev: rev1, note: 'checked' })),
  }));
  assert.equal(r.status, 201);
  // Wrong shape.
  r = await answer(await couch.as('ana', `/${encodeURIComponent(`ann:${ARTICLE}:n2`)}`, {
    method: 'PUT', body: JSON.stringify(annotation({ _id: `ann:${ARTICLE}:n2`, id: 'n2', note: '<script>'.repeat(3000) })),
  }));
  assert.equal(r.status, 403);
  assert.match(r.body.reason, /note is longer than 20000/);
  // Not a member: no reading, no writing.
  r = await answer(await couch.as('eve', `/${encodeURIComponent(id)}`));
  assert.equal(r.status, 401);
  r = await answer(await couch.as('eve', '/_all_docs'));
  assert.equal(r.status, 401);
  // The deletion is a version of its own, so later clients still compare
  // its clock, and the server still knows whose it was.
  const current = (await answer(await couch.as('ana', `/${encodeURIComponent(id)}`))).body;
  r = await answer(await couch.as('ana', `/${encodeURIComponent(id)}`, {
    method: 'PUT', body: JSON.stringify(tombstone({ _rev: current._rev })),
  }));
  assert.equal(r.status, 201);
  const deletedRev = r.body.rev;
  const changes = (await answer(await couch.as('ana', `/_changes?include_docs=true&filter=claimmark/article&article=${ARTICLE}`))).body;
  const gone = changes.results.find((c) => c.id === id);
  assert.equal(gone.doc.deleted, true);
  assert.deepEqual(gone.doc.clock, tombstone().clock);
  assert.equal(gone.doc.author, 'ana');
  // Another member cannot make it again under their own name, nor bring it
  // back; a CouchDB deletion by a member is refused; an editor may bring it
  // back (an undo).
  r = await answer(await couch.as('carl', `/${encodeURIComponent(id)}`, {
    method: 'PUT', body: JSON.stringify(annotation({ _rev: deletedRev, author: 'carl', clock: { life: 1, changed: 1795992639999 } })),
  }));
  assert.equal(r.status, 403);
  assert.match(r.body.reason, /Only ana \(who made it\) or an editor/);
  r = await answer(await couch.as('ana', `/${encodeURIComponent(id)}?rev=${deletedRev}`, { method: 'DELETE' }));
  assert.equal(r.status, 403);
  assert.match(r.body.reason, /only an editor removes revisions/);
  r = await answer(await couch.as('ben', `/${encodeURIComponent(id)}`, {
    method: 'PUT', body: JSON.stringify(annotation({ _rev: deletedRev, clock: { life: 1, changed: 1795992639999 } })),
  }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // A hostile link never gets in; a well-formed one does.
  r = await answer(await couch.as('carl', `/${encodeURIComponent(`ann:${ARTICLE}:c8`)}`, {
    method: 'PUT', body: JSON.stringify(annotation({ _id: `ann:${ARTICLE}:c8`, id: 'c8', author: 'carl', links: [{ article: 'b'.repeat(64), id: 'x', kind: 'supports', more: nested(120) }] })),
  }));
  assert.equal(r.status, 403);
  assert.match(r.body.reason, /links is nested deeper|a link has a field/);
  r = await answer(await couch.as('carl', `/${encodeURIComponent(`ann:${ARTICLE}:c8`)}`, {
    method: 'PUT', body: JSON.stringify(annotation({ _id: `ann:${ARTICLE}:c8`, id: 'c8', author: 'carl', links: [{ article: 'b'.repeat(64), id: 'x', kind: 'contradicts' }] })),
  }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // A document nested past any reader's depth never gets in.
  r = await answer(await couch.as('carl', `/${encodeURIComponent(`ann:${ARTICLE}:c9`)}`, {
    method: 'PUT', body: JSON.stringify(annotation({ _id: `ann:${ARTICLE}:c9`, id: 'c9', author: 'carl', extra: nested(126) })),
  }));
  assert.equal(r.status, 403);
  assert.match(r.body.reason, /does not write: extra/);
});
