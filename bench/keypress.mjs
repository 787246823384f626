// Script time of one tag key press: how long our code (and the browser's
// JavaScript) runs for `f` on a selection, from Chrome's own accounting
// (DevTools Protocol Performance.getMetrics, ScriptDuration), on the seed
// article and on a 1 MB article with 10,000 annotations.
//
//   node bench/keypress.mjs [--runs N]
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { serve, launch } from '../tests/e2e/helpers.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const WORKLOADS = [[0, 20], [1024 * 1024, 10000]];

async function workload(bytes, n) {
  const out = `target/bench/workload-${bytes}-${n}.json`;
  execFileSync('cargo', ['run', '-q', '--release', '--example', 'workload', '--', String(bytes), String(n), out], { stdio: 'inherit' });
  return JSON.parse(await readFile(out, 'utf8'));
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** One page load, one selection, one `f`: script milliseconds of the key press. */
export async function keyScript(browser, url, entries) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(new URL('blank.html', url).href).catch(() => {});
  await page.goto(url);
  await page.evaluate((entries) => { localStorage.clear(); for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v); }, entries);
  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName('claimmark:ready').length > 0, null, { timeout: 120000 });
  await page.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.data.length < 40 || seen++ < 1) continue;
      const r = document.createRange();
      const i = n.data.indexOf(' ', 10) + 1;
      r.setStart(n, i);
      r.setEnd(n, n.data.indexOf(' ', i + 1));
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      return;
    }
  });
  const frames = () => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 50)))));
  await frames();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  // Nothing of ours runs in the page between the two readings (no polling,
  // no evaluate): the key press goes in through the DevTools Protocol, and
  // the wait is on this side.
  const before = await metric();
  await page.keyboard.press('f');
  await new Promise((ok) => setTimeout(ok, 700));
  const after = await metric();
  const said = await page.evaluate(() => document.querySelector('[role=status]').textContent.trim());
  await context.close();
  if (said !== 'Fact annotation created') throw new Error(`the key press did not tag: ${said}`);
  return {
    script: (after.ScriptDuration - before.ScriptDuration) * 1000,
    layout: (after.LayoutDuration - before.LayoutDuration) * 1000,
    style: (after.RecalcStyleDuration - before.RecalcStyleDuration) * 1000,
    task: (after.TaskDuration - before.TaskDuration) * 1000,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await serve('dist');
  const browser = await launch();
  try {
    for (const [bytes, n] of WORKLOADS) {
      const w = await workload(bytes, n);
      const xs = [];
      for (let r = 0; r < runs; r++) xs.push(await keyScript(browser, server.url, w.entries));
      const m = (k) => median(xs.map((x) => x[k])).toFixed(1);
      console.log(`${bytes ? `${bytes >> 10} KB` : 'seed'} / ${n}: key press script ${m('script')} ms (style ${m('style')}, layout ${m('layout')}, all tasks ${m('task')})`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
