// How soon after a change a crash can no longer lose it. The release build
// (dist/) on 127.0.0.1, Chromium started as its own process on a profile
// directory; each trial changes one annotation's tag (the change is
// handled by the time `selectOption` returns), waits DELAY ms, kills the
// browser process with SIGKILL and starts it again on the same profile,
// then reads the tag back. Prints, per delay, how many trials kept it.
// On the build before the journal (commit 84a32e8): 0 of 5 kept at 0, 20
// and 1000 ms.
//
//   make release && node bench/crash_window.mjs [trials=10] [delays=0,1,2,5,10,20,50]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, spawnChromium, openApp, dragOver, panelItems, WAIT_MS } from '../tests/e2e/helpers.mjs';

const trials = Number(process.argv[2] ?? 10);
const delays = (process.argv[3] ?? '0,1,2,5,10,20,50').split(',').map(Number);
const server = await serve('dist');
const dir = await mkdtemp(join(tmpdir(), 'claimmark-window-'));
const badge = (page) => page.evaluate(() => document.querySelector('.items .tag-badge')?.textContent ?? null);
try {
  let chrome = await spawnChromium(dir);
  let { page } = await openApp(null, server.url, chrome.context);
  await dragOver(page, 'Richard Grenell');
  await page.keyboard.press('q');
  await panelItems(page).first().waitFor({ timeout: WAIT_MS });
  // Let this first annotation reach the disk: its journal transaction, or
  // (a build without the journal) local storage's own write, 5 s later.
  await page.waitForFunction(() => performance.getEntriesByName('claimmark:journaled').length > 0, null, { timeout: 10000 })
    .catch(() => {});
  const results = [];
  let current = 'Quote';
  for (const delay of delays) {
    let kept = 0;
    for (let i = 0; i < trials; i++) {
      const next = current === 'Fact' ? 'Analysis' : 'Fact';
      await panelItems(page).first().getByLabel('Tag').selectOption(next.toLowerCase());
      if (delay) await new Promise((ok) => setTimeout(ok, delay));
      await chrome.crash();
      chrome = await spawnChromium(dir);
      ({ page } = await openApp(null, server.url, chrome.context));
      const got = await badge(page);
      if (got === next) kept++;
      current = got ?? current;
    }
    results.push({ delay, kept, trials });
    console.log(`killed ${delay} ms after the change: kept ${kept} of ${trials}`);
  }
  await chrome.close();
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
