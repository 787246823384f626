// claimmark's access rules, enforced by CouchDB on every write to a team
// database (the design document `_design/claimmark`; see docs/teams.md).
// Plain ES5: CouchDB's JavaScript engine runs it.
//
// - Server admins may do anything (setting up, repairs).
// - Everyone else must be signed in; reading and writing at all is limited
//   to the database's members by its `_security` object (checked again
//   here when the server hands it over).
// - `ann:<article>:<id>`: a new annotation's `author` must be the signed-in
//   user; only its author, or a member with the role `editor`, may change,
//   delete or bring back an annotation, and nobody changes its author. A
//   deletion is a version of its own (`deleted: true`) that keeps `type`,
//   `article`, `id`, `author` and `clock` and nothing else, so whoever
//   brings it back later is checked against its author. CouchDB's own
//   deletion (`_deleted`) hides that version from this function on some
//   servers, so only editors may make one (to remove a revision in
//   conflict).
// - `article:<sha256>` and `list:<sha256>`: any member may share an article;
//   only editors change or delete one.
// - Every document holds the fields claimmark writes and nothing else, each
//   of its type and size, nested no deeper than claimmark nests them: a
//   document any member can write must be readable by every member's
//   client. Anything else is refused with `forbidden` and the reason in
//   words. The limits are those of `src/core/sync/doc.rs`.
function (newDoc, oldDoc, userCtx, secObj) {
  var LIMITS = { id: 200, text: 20000, context: 20000, claimant: 1000, author: 200, sources: 100, source: 2000, title: 1000, articleText: 8000000, blocks: 500000, metadata: 100, links: 100 };
  var TAGS = ['fact', 'quote', 'analysis'];
  var VERDICTS = ['true', 'mostly-true', 'mixed', 'mostly-false', 'false', 'unverifiable'];
  var LINK_KINDS = ['supports', 'contradicts', 'same-claim'];
  var ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/;

  function refuse(why) { throw ({ forbidden: why }); }
  function has(list, x) { for (var i = 0; i < list.length; i++) { if (list[i] === x) return true; } return false; }
  // Code points, as claimmark counts them (a surrogate pair is one).
  function chars(s) {
    var n = s.length;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) { n--; i++; }
      }
    }
    return n;
  }
  function isText(v, max, name) {
    if (v === undefined || v === null) return;
    if (typeof v !== 'string') refuse('its ' + name + ' must be text');
    if (chars(v) > max) refuse('its ' + name + ' is longer than ' + max + ' characters');
  }
  function isCount(v) { return typeof v === 'number' && v >= 0 && v <= 4294967295 && Math.floor(v) === v; }
  function isHex64(s) { return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s); }
  function checkClock(doc) {
    var c = doc.clock;
    if (!c || typeof c !== 'object' || c instanceof Array) refuse('an annotation must keep its clock');
    onlyFields(c, ['life', 'changed'], 'its clock');
    if (c.life !== undefined && !isCount(c.life)) refuse('its clock\'s life must be a whole number');
    if (typeof c.changed !== 'number' || c.changed < 0 || Math.floor(c.changed) !== c.changed) refuse('its clock\'s time must be a time in milliseconds');
  }
  // The document's own fields (CouchDB's, starting with "_", aside) must be
  // among `allowed`; attachments are never needed.
  function onlyFields(doc, allowed, what) {
    for (var k in doc) {
      if (!Object.prototype.hasOwnProperty.call(doc, k)) continue;
      if (k === '_attachments') refuse(what + ' may not have attachments');
      if (k.charAt(0) === '_' && doc === newDoc) continue;
      if (!has(allowed, k)) refuse(what + ' has a field claimmark does not write: ' + k.substring(0, 40));
    }
  }
  // Whether `v` nests objects or lists more than `max` levels deep (walked
  // without recursion, so no nesting can stop this function).
  function deeper(v, max) {
    var stack = [[v, 0]];
    while (stack.length) {
      var top = stack.pop();
      var x = top[0];
      if (x === null || typeof x !== 'object') continue;
      if (top[1] >= max) return true;
      for (var k in x) if (Object.prototype.hasOwnProperty.call(x, k)) stack.push([x[k], top[1] + 1]);
    }
    return false;
  }

  var roles = userCtx.roles || [];
  if (has(roles, '_admin')) return;
  if (!userCtx.name) throw ({ unauthorized: 'Sign in to write to this database.' });
  var members = secObj && secObj.members;
  if (members && ((members.names && members.names.length) || (members.roles && members.roles.length))) {
    var member = has(members.names || [], userCtx.name);
    for (var r = 0; r < roles.length && !member; r++) member = has(members.roles || [], roles[r]);
    if (!member) refuse('You are not a member of this database.');
  }
  var editor = has(roles, 'editor');
  var id = newDoc._id;
  var live = oldDoc && !oldDoc._deleted ? oldDoc : null;

  if (id.indexOf('ann:') === 0) {
    var article = id.substring(4, 68);
    var annId = id.substring(69);
    if (!isHex64(article) || id.charAt(68) !== ':' || annId.length === 0 || chars(annId) > LIMITS.id) refuse('an annotation\'s id must be ann:<article id>:<annotation id>');
    if (newDoc.type !== 'annotation' || newDoc.article !== article || newDoc.id !== annId) refuse('an annotation must say type "annotation", its article and its id');
    var gone = newDoc.deleted === true || newDoc._deleted === true;
    if (newDoc.deleted !== undefined && newDoc.deleted !== true) refuse('its deleted mark must be true or absent');
    onlyFields(newDoc, gone ? ['type', 'article', 'id', 'author', 'clock', 'overwrote', 'deleted', 'links']
      : ['type', 'article', 'id', 'author', 'clock', 'overwrote', 'tag', 'start', 'end', 'quote', 'prefix', 'suffix', 'orphan',
        'note', 'verdict', 'explanation', 'sources', 'claim', 'claimant', 'links', 'created', 'modified'], gone ? 'a deletion' : 'an annotation');
    for (var f in newDoc) {
      // Links are a list of small objects ({article, id, kind}): two levels.
      if (f.charAt(0) !== '_' && Object.prototype.hasOwnProperty.call(newDoc, f) && deeper(newDoc[f], f === 'links' ? 2 : 1)) refuse('its ' + f + ' is nested deeper than claimmark writes it');
    }
    // Links to other annotations (a deletion keeps those it had): each
    // exactly {article, id, kind}, none to the annotation itself.
    if (newDoc.links !== undefined && newDoc.links !== null) {
      if (!(newDoc.links instanceof Array)) refuse('its links must be a list');
      if (newDoc.links.length > LIMITS.links) refuse('it has more than ' + LIMITS.links + ' links');
      for (var l = 0; l < newDoc.links.length; l++) {
        var link = newDoc.links[l];
        if (!link || typeof link !== 'object' || link instanceof Array) refuse('each link must be {article, id, kind}');
        onlyFields(link, ['article', 'id', 'kind'], 'a link');
        if (!isHex64(link.article)) refuse('a link must name an article by its id');
        if (typeof link.id !== 'string' || link.id.length === 0 || chars(link.id) > LIMITS.id || /[\u0000-\u001f\u007f-\u009f]/.test(link.id)) refuse('a link must name an annotation by its id');
        if (!has(LINK_KINDS, link.kind)) refuse('a link\'s kind must be supports, contradicts or same-claim');
        if (link.article === article && link.id === annId) refuse('an annotation cannot link to itself');
      }
    }
    if (newDoc._deleted && !editor) refuse('Delete an annotation by writing its deletion (deleted: true); only an editor removes revisions.');
    // Whose it is: the author of the version it replaces (a deletion keeps it).
    var owner = oldDoc ? oldDoc.author : undefined;
    if (oldDoc) {
      if (userCtx.name !== owner && !editor) refuse('Only ' + (owner || 'an editor') + (owner ? ' (who made it) or an editor' : '') + ' may change or delete this annotation.');
      if (newDoc.author !== owner && !(newDoc._deleted && newDoc.author === undefined && owner === undefined)) refuse('An annotation\'s author cannot change.');
    } else if (newDoc.author !== userCtx.name) {
      refuse('A new annotation\'s author must be you (' + userCtx.name + ').');
    }
    isText(newDoc.author, LIMITS.author, 'author');
    checkClock(newDoc);
    // The version it was written over unseen, when it says so: a clock too.
    if (newDoc.overwrote !== undefined) checkClock({ clock: newDoc.overwrote });
    if (gone) return;
    if (!has(TAGS, newDoc.tag)) refuse('its tag must be fact, quote or analysis');
    if (newDoc.orphan !== undefined && newDoc.orphan !== null && typeof newDoc.orphan !== 'boolean') refuse('its orphan mark must be true or false');
    if (newDoc.orphan === true) {
      if (newDoc.start !== null && newDoc.start !== undefined) refuse('an annotation not placed on the text has no start');
      if (newDoc.end !== null && newDoc.end !== undefined) refuse('an annotation not placed on the text has no end');
      if (typeof newDoc.quote !== 'string' || newDoc.quote.length === 0) refuse('an annotation not placed on the text must keep its quote');
    } else {
      if (!isCount(newDoc.start) || !isCount(newDoc.end) || newDoc.end <= newDoc.start) refuse('its start and end must be positions in the text, start before end');
    }
    isText(newDoc.quote, LIMITS.text, 'quote');
    isText(newDoc.prefix, LIMITS.context, 'prefix');
    isText(newDoc.suffix, LIMITS.context, 'suffix');
    isText(newDoc.note, LIMITS.text, 'note');
    isText(newDoc.explanation, LIMITS.text, 'explanation');
    isText(newDoc.claim, LIMITS.text, 'claim');
    isText(newDoc.claimant, LIMITS.claimant, 'claimant');
    if (newDoc.verdict !== null && newDoc.verdict !== undefined && !has(VERDICTS, newDoc.verdict)) refuse('its verdict is not one claimmark knows');
    if (newDoc.sources !== undefined && newDoc.sources !== null) {
      if (!(newDoc.sources instanceof Array)) refuse('its sources must be a list');
      if (newDoc.sources.length > LIMITS.sources) refuse('it has more than ' + LIMITS.sources + ' sources');
      for (var s = 0; s < newDoc.sources.length; s++) {
        var src = newDoc.sources[s];
        if (typeof src !== 'string' || !/^https?:\/\/\S/i.test(src) || chars(src) > LIMITS.source) refuse('each source must be an http or https link of at most ' + LIMITS.source + ' characters');
      }
    }
    if (typeof newDoc.created !== 'string' || !ISO.test(newDoc.created)) refuse('its created time must be an ISO 8601 date and time');
    if (newDoc.modified !== undefined && newDoc.modified !== null && (typeof newDoc.modified !== 'string' || !ISO.test(newDoc.modified))) refuse('its modified time must be an ISO 8601 date and time');
    return;
  }

  if (id.indexOf('article:') === 0 || id.indexOf('list:') === 0) {
    var kind = id.indexOf('article:') === 0 ? 'article' : 'list';
    if (!isHex64(id.substring(kind.length + 1))) refuse('an ' + kind + ' document\'s id must be ' + kind + ':<the SHA-256 of its text>');
    if (live || newDoc._deleted) {
      if (!editor) refuse('Only an editor may change or delete a shared article.');
      if (newDoc._deleted) return;
    }
    if (newDoc.type !== kind) refuse('an ' + kind + ' document must say type "' + kind + '"');
    isText(newDoc.title, LIMITS.title, 'title');
    if (kind === 'list') {
      onlyFields(newDoc, ['type', 'title', 'chars', 'author'], 'a list entry');
      isText(newDoc.author, LIMITS.author, 'author');
      if (newDoc.author !== undefined && newDoc.author !== null && newDoc.author !== userCtx.name && !editor) refuse('A shared article\'s entry names you as its author, or nobody.');
      if (newDoc.chars !== undefined && !isCount(newDoc.chars)) refuse('its length must be a whole number');
      return;
    }
    onlyFields(newDoc, ['type', 'id', 'title', 'metadata', 'source', 'details', 'blocks', 'links', 'text'], 'an article');
    if (newDoc.id !== id.substring(kind.length + 1)) refuse('an article must name its id');
    if (typeof newDoc.text !== 'string') refuse('an article must have its text');
    if (newDoc.text.length > LIMITS.articleText) refuse('its text is longer than ' + LIMITS.articleText + ' characters');
    isText(newDoc.source, LIMITS.source, 'source');
    var lists = { blocks: LIMITS.blocks, links: LIMITS.blocks, metadata: LIMITS.metadata };
    for (var name in lists) {
      var l = newDoc[name];
      if (l === undefined && name !== 'blocks') continue;
      if (!(l instanceof Array)) refuse('an article\'s ' + name + ' must be a list');
      if (l.length > lists[name]) refuse('an article has more than ' + lists[name] + ' ' + name);
    }
    if (newDoc.details !== undefined && newDoc.details !== null && (typeof newDoc.details !== 'object' || newDoc.details instanceof Array)) refuse('an article\'s details must be an object');
    // Blocks, links and metadata hold small objects: { kind, span: { start, end } } at most.
    if (deeper(newDoc.blocks, 4) || deeper(newDoc.links, 4) || deeper(newDoc.metadata, 3) || deeper(newDoc.details, 1)) refuse('an article\'s parts are nested deeper than claimmark writes them');
    return;
  }

  if (id.indexOf('_design/') === 0) refuse('Only a server admin may change the design document.');
  refuse('This database holds claimmark\'s article:, list: and ann: documents only.');
}
