// Before the pre-rendered page is parsed (see assets/first-paint.js): when
// an article other than the seed was open last, say so on <html>, so the
// seed is never painted, not even for a frame, while its place waits for
// that article (styles/main.css hides it; first-paint.js then draws the
// article and takes the mark off).
(() => {
  try {
    const index = JSON.parse(localStorage.getItem('claimmark:v1:index') || 'null');
    const last = index && typeof index.last_open === 'string' ? index.last_open : null;
    // The seed's id is written in by scripts/postbuild.mjs.
    if (last !== null && last !== '%SEED%' && /^[0-9a-f]{64}$/.test(last)) document.documentElement.dataset.firstPaint = last;
  } catch {
    // Storage blocked or an index that cannot be read: the app opens the seed.
  }
})();
