/**
 * Cross-origin calls from browser apps on origins the partnership names
 * (CORS_ORIGINS, comma-separated): their preflights are answered and their
 * responses carry Access-Control-Allow-Origin. Tokens travel in the
 * Authorization header, never in cookies, so credentials are not allowed; any
 * other origin gets no CORS headers and the browser keeps the answer from it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id, traceparent';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';

/** The configured origins, each checked to be an origin (scheme, host, port: no path). */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return raw.map((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`CORS_ORIGINS: "${value}" is not an origin such as https://app.example.org.`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value.replace(/\/$/, '')) {
      throw new Error(`CORS_ORIGINS: "${value}" is not an origin such as https://app.example.org (a scheme and host, no path).`);
    }
    return url.origin;
  });
}

/**
 * Adds CORS headers for an allowed origin; answers a preflight (OPTIONS with
 * Access-Control-Request-Method) itself and says so by returning true.
 */
export function createCors(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(origins);
  return (req, res) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (origin && allowed.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      if (preflight) {
        res.writeHead(204, { 'access-control-allow-methods': ALLOWED_METHODS, 'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': '600', 'content-length': '0' });
        res.end();
        return true;
      }
      return false;
    }
    if (preflight) {
      // Not an origin we serve: an answer without CORS headers, which the browser treats as a refusal.
      res.writeHead(204, { vary: 'Origin', 'content-length': '0' });
      res.end();
      return true;
    }
    return false;
  };
}
