// Offline support: register the service worker (sw.js, written by
// scripts/postbuild.mjs in release builds and named by <html
// data-service-worker>) and tell the app when a new release is waiting,
// instead of switching under the person's hands.
//
// Protocol with the app (src/ui/update_notice.rs):
//   window.claimmarkUpdate === 'ready' and the event 'claimmark:update-ready'
//     on window: a new version is installed and waiting;
//   the event 'claimmark:update-apply' on window (the person chose Reload):
//     let the waiting worker take over, then reload — a normal navigation, so
//     the app's pagehide/visibilitychange save runs first.
(() => {
  const name = document.documentElement.dataset.serviceWorker;
  if (!name || !('serviceWorker' in navigator)) return;
  const url = new URL(name, document.baseURI).href;
  const sw = navigator.serviceWorker;

  const announce = () => {
    if (window.claimmarkUpdate === 'ready') return;
    window.claimmarkUpdate = 'ready';
    dispatchEvent(new Event('claimmark:update-ready'));
  };

  // A new worker that has installed while an older one controls this page is
  // an update; with no controller it is the first install.
  const track = (worker) => {
    if (!worker) return;
    const check = () => { if (worker.state === 'installed' && sw.controller) announce(); };
    check();
    worker.addEventListener('statechange', check);
  };

  const register = () => sw.register(url).then((reg) => {
    // Found by the browser's own check on this navigation, or on an earlier
    // visit and still waiting (the person has not reloaded yet).
    track(reg.waiting);
    track(reg.installing);
    reg.addEventListener('updatefound', () => track(reg.installing));
    // A tab left open for days: look again whenever it comes back into view.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') reg.update().catch(() => {});
    });
  }).catch((e) => console.warn('claimmark: offline support is unavailable:', e));

  addEventListener('claimmark:update-apply', async () => {
    const reg = await sw.getRegistration(url);
    if (!reg?.waiting) { location.reload(); return; }
    sw.addEventListener('controllerchange', () => location.reload(), { once: true });
    reg.waiting.postMessage({ type: 'SKIP_WAITING' });
  });

  // Once the app is ready (its stored annotations painted) and the page has
  // loaded, so installing, which reads the whole bundle into the cache, never
  // competes with the first paint.
  const ready = new Promise((ok) => {
    const seen = () => performance.getEntriesByName('claimmark:ready').length > 0;
    if (seen()) { ok(); return; }
    const observer = new PerformanceObserver(() => { if (seen()) { observer.disconnect(); ok(); } });
    observer.observe({ type: 'mark' });
  });
  const loaded = new Promise((ok) => {
    if (document.readyState === 'complete') ok();
    else addEventListener('load', ok, { once: true });
  });
  Promise.all([ready, loaded]).then(register);
})();
