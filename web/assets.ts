/**
 * Static files: GOV.UK Frontend's stylesheet, fonts, images and script from the
 * govuk-frontend package, and the app's own small stylesheet and start-up
 * script. Everything is served from this origin: pages load nothing from
 * elsewhere, and the Content-Security-Policy says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GOVUK_DIST } from './views';

export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', mjs: 'text/javascript; charset=utf-8', woff2: 'font/woff2', woff: 'font/woff', svg: 'image/svg+xml', png: 'image/png', ico: 'image/x-icon', json: 'application/manifest+json' };

function asset(file: string): Asset {
  const body = readFileSync(file);
  return { type: TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream', body, gzip: gzipSync(body) };
}

function ownFile(name: string): string {
  for (const dir of [join(__dirname, 'static'), join(__dirname, '..', '..', 'web', 'static')]) {
    try {
      readFileSync(join(dir, name));
      return join(dir, name);
    } catch {
      // the next place
    }
  }
  throw new Error(`The web app's static file ${name} is missing.`);
}

/** Every asset by its path under /assets/, read once at start. */
export function loadAssets(): Map<string, Asset> {
  const govuk = join(GOVUK_DIST, 'govuk');
  const assets = new Map<string, Asset>();
  assets.set('govuk-frontend.min.css', asset(join(govuk, 'govuk-frontend.min.css')));
  assets.set('govuk-frontend.min.js', asset(join(govuk, 'govuk-frontend.min.js')));
  assets.set('manifest.json', asset(join(govuk, 'assets', 'manifest.json')));
  for (const sub of ['fonts', 'images']) {
    for (const name of require('node:fs').readdirSync(join(govuk, 'assets', sub)) as string[]) assets.set(`${sub}/${name}`, asset(join(govuk, 'assets', sub, name)));
  }
  assets.set('app.css', asset(ownFile('app.css')));
  assets.set('app.js', asset(ownFile('app.js')));
  return assets;
}
