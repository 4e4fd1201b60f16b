/**
 * The web app's dashboard, as a browser sees it: first contentful paint from the
 * browser's own performance timings (median of N loads, each in a fresh page of
 * a signed-in context) and the JavaScript the page loads, gzipped. Prints
 * figures; asserts nothing.
 *
 *   npm start                      # the seeded stack, in another terminal
 *   npm run bench:web              # WEB_URL=http://localhost:4004 RUNS=10 by default
 *
 * It signs in as an executive through the development issuer's page, as a person would.
 */
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { runScript } from './script';

const WEB_URL = (process.env.WEB_URL ?? 'http://localhost:4004').replace(/\/$/, '');
const RUNS = Number(process.env.RUNS ?? '10');
const AS_AT = process.env.AS_AT ? `?asAt=${process.env.AS_AT}` : '';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${WEB_URL}/${AS_AT}`);
    await page.check('input[name=role][value=executive]');
    await Promise.all([page.waitForURL((u) => u.toString().startsWith(WEB_URL)), page.click('button[type=submit]')]);

    // The scripts the dashboard loads, fetched as the browser would (gzip), and measured compressed.
    const scripts = await page.$$eval('script[src]', (els) => els.map((e) => (e as unknown as { src: string }).src));
    const modules = new Set(scripts);
    for (const src of scripts) {
      const text = await (await fetch(src)).text();
      for (const m of text.matchAll(/\bfrom\s*["'](\/[^"']+)["']/g)) modules.add(new URL(m[1], WEB_URL).toString());
    }
    let raw = 0;
    let gz = 0;
    for (const src of modules) {
      const body = Buffer.from(await (await fetch(src)).arrayBuffer());
      raw += body.length;
      gz += gzipSync(body).length;
    }

    const fcp: number[] = [];
    const load: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const p = await context.newPage();
      await p.goto(`${WEB_URL}/${AS_AT}`, { waitUntil: 'load' });
      const t = (await p.evaluate(`(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return { fcp: paint ? paint.startTime : -1, load: nav ? nav.loadEventEnd : -1 };
      })()`)) as { fcp: number; load: number };
      fcp.push(t.fcp);
      load.push(t.load);
      await p.close();
    }
    console.log(`web dashboard at ${WEB_URL}/${AS_AT} (${RUNS} loads, signed in as executive)`);
    console.log(`  first contentful paint: median ${median(fcp).toFixed(0)} ms (min ${Math.min(...fcp).toFixed(0)}, max ${Math.max(...fcp).toFixed(0)})`);
    console.log(`  load event end:         median ${median(load).toFixed(0)} ms`);
    console.log(`  JavaScript: ${modules.size} file(s), ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);
  } finally {
    await browser.close();
  }
}

if (require.main === module) runScript(main);
