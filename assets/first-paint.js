// The first paint: runs inline, right after the pre-rendered page
// (`<div id="first-paint">`, written by scripts/postbuild.mjs: the app's
// header as it draws itself and the seed article), long before the wasm
// arrives. The app lays its own page out unseen over it while it starts and
// takes its place when ready (`ui::start`, `web::hand_over`): the same page
// in the same place.
//
// - Nothing stored, or the seed open last: the pre-rendered seed stays.
// - Another article open last: it is drawn from local storage, from the
//   description the app keeps of it (`claimmark:v1:paint`, written from
//   `core::markup`, the same description the app builds its DOM from) and
//   the text of its record (`claimmark:v1:article:<id>`).
// - Anything else (no description of that article, a record that cannot
//   be read): the seed is hidden, so it never flashes before another
//   article. (Storage blocked or an index that cannot be read: the app
//   opens the seed, which stays.)
//
// Stored text is untrusted: it only ever goes in as text (`append` of a
// string makes a text node), elements and attributes come from fixed
// lists, and a link's address must be http(s). The page's CSP allows this
// script by its SHA-256 only (scripts/postbuild.mjs).
(() => {
  const html = document.documentElement;
  // Parsed whole: the pre-rendered page may show (first-paint-early.js).
  delete html.dataset.parsing;
  const root = document.getElementById('first-paint');
  const article = root && root.querySelector('article');
  if (!article) return;
  const TAGS = /^(h[1-6]|p|ul|ol|li|blockquote|table|thead|tbody|tr|th|td|span|a|bdi)$/;
  const ATTRS = /^(class|data-b|data-s|value|dir|scope|aria-hidden|rel|target|draggable|href)$/;
  const build = (node, text) => {
    if (!Array.isArray(node) || typeof node[0] !== 'string' || !TAGS.test(node[0])) throw new Error('tag');
    const el = document.createElement(node[0]);
    for (const [name, value] of Object.entries(node[1] || {})) {
      if (!ATTRS.test(name)) throw new Error('attribute');
      if (name === 'href' && !/^https?:\/\//i.test(String(value))) throw new Error('href');
      el.setAttribute(name, String(value));
    }
    for (let k = 2; k < node.length; k++) {
      const child = node[k];
      if (typeof child === 'number') { el.append(text.slice(child, node[++k])); }
      else if (typeof child === 'string') { el.append(child); }
      else { el.append(build(child, text)); }
    }
    return el;
  };
  // Set by first-paint-early.js (before the pre-rendered page was parsed).
  const last = html.dataset.firstPaint ?? null;
  if (last === null) return;
  try {
    const paint = JSON.parse(localStorage.getItem('claimmark:v1:paint') || 'null');
    if (!paint || paint.schema !== 1 || paint.id !== last || !Array.isArray(paint.body)) throw new Error('no description');
    const text = JSON.parse(localStorage.getItem(`claimmark:v1:article:${last}`)).article.text;
    if (typeof text !== 'string') throw new Error('no text');
    const page = document.createDocumentFragment();
    for (const node of paint.body) page.append(build(node, text));
    if (typeof paint.lang === 'string' && /^[A-Za-z0-9-]{1,35}$/.test(paint.lang)) article.setAttribute('lang', paint.lang);
    else article.removeAttribute('lang');
    article.setAttribute('dir', paint.dir === 'rtl' ? 'rtl' : 'ltr');
    article.toggleAttribute('data-long', paint.long === true);
    article.replaceChildren(page);
  } catch {
    article.replaceChildren();
  }
  delete html.dataset.firstPaint;
})();
