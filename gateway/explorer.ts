import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { StaticFile } from '../platform/http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
};

/**
 * The page may load nothing but its own files and talk to nothing but this
 * gateway: the explorer works with the network cut, and a token typed into it
 * can go nowhere else.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL sets styles on elements as it lays out its panes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The explorer's files (built into dist/explorer by `npm run build`), by the
 * path the gateway answers them on: /explorer for the page, /explorer/<file>
 * for the rest. None when it has not been built.
 */
export function explorerFiles(dir: string): Record<string, StaticFile> {
  if (!existsSync(join(dir, 'index.html'))) return {};
  const files: Record<string, StaticFile> = {};
  const headers = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'content-security-policy': CONTENT_SECURITY_POLICY };
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    files[`/explorer/${name}`] = { type, body: readFileSync(join(dir, name)), headers };
  }
  files['/explorer'] = files['/explorer/index.html'];
  return files;
}
