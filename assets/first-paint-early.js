// Before the pre-rendered page is parsed (see assets/first-paint.js): mark
// it as being parsed, so no half of it is painted; and when an article
// other than the seed was open last, say so on <html>, so the seed is never
// painted, not even for a frame, while its place waits for that article
// (styles/main.css hides both; first-paint.js then draws the article and
// takes the marks off).
(() => {
  // The pre-rendered page stays unseen until it is parsed whole (first-paint.js
  // takes this off): on a slow phone the parser yields and the browser paints
  // between its chunks, and a header drawn half, its groups arriving one by
  // one, moves under the reader's eyes. (No script, no mark: it shows.)
  document.documentElement.dataset.parsing = '';
  try {
    const index = JSON.parse(localStorage.getItem('claimmark:v1:index') || 'null');
    const last = index && typeof index.last_open === 'string' ? index.last_open : null;
    // The seed's id is written in by scripts/postbuild.mjs.
    if (last !== null && last !== '%SEED%' && /^[0-9a-f]{64}$/.test(last)) document.documentElement.dataset.firstPaint = last;
  } catch {
    // Storage blocked or an index that cannot be read: the app opens the seed.
  }
})();
