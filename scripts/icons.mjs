// Render the app icons (assets/icons/*.png) from their SVG sources with the
// system Chromium, so the PNGs the manifest names are real rasters of the SVG.
// Run after changing an SVG: `node scripts/icons.mjs`; the PNGs are committed.
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const ICONS = [
  ['assets/icons/icon.svg', 'assets/icons/icon-192.png', 192],
  ['assets/icons/icon.svg', 'assets/icons/icon-512.png', 512],
  ['assets/icons/icon-maskable.svg', 'assets/icons/icon-maskable-512.png', 512],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const [svg, png, size] of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${(await readFile(svg)).toString('base64')}`;
    await page.setContent(`<style>html,body{margin:0;background:transparent}</style><img src="${src}" width="${size}" height="${size}">`);
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: png, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    console.log(`icons: ${png} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
