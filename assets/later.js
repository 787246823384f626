// The second wasm module (the `later/` crate: export writers, the Markdown
// reader), loaded the first time the first module asks for it. The build
// names it in <meta name="claimmark-later"> (a hashed file name, written by
// scripts/later.mjs); the service worker precaches it with the rest, so it
// loads offline too.
let loading = null;
let loaded = false;
let failures = 0;

function load() {
  if (!loading) {
    // After a failure the next try asks for `…js?retry=N`: a browser may
    // remember a module that failed to load by its URL and never fetch it
    // again (whatwg/html#6768).
    const retry = failures;
    loading = (async () => {
      const href = document.querySelector('meta[name="claimmark-later"]')?.content;
      if (!href) throw new Error('this build has no second module');
      const js = new URL(href, document.baseURI);
      if (retry > 0) js.searchParams.set('retry', String(retry));
      const module = await import(js.href);
      await module.default({ module_or_path: new URL(href.replace(/\.js$/, '_bg.wasm'), document.baseURI) });
      loaded = true;
      return module;
    })();
    // A failed load (offline before the worker had it) is tried again next time.
    loading.catch(() => { loading = null; failures += 1; });
  }
  return loading;
}

/** Run `name` (an export of the second module) on `request`: its reply. */
export async function later_call(name, request) {
  let module;
  try {
    module = await load();
  } catch (e) {
    throw new Error(`that part of claimmark could not be loaded (${e?.message ?? e}); check the connection and try again`);
  }
  return module[name](request);
}

/** Whether the second module is loaded and running. */
export function later_ready() {
  return loaded;
}

/** Start loading the second module now (a menu that needs it was opened). */
export function later_warm() {
  load().catch(() => {});
}

/**
 * Load the second module once the page is idle (the app is ready by then),
 * so its first use does not wait for the network.
 */
export function later_prefetch() {
  const go = () => load().catch(() => {});
  if ('requestIdleCallback' in window) requestIdleCallback(go, { timeout: 5000 });
  else setTimeout(go, 1000);
}
