/**
 * The web app's HTTP process: pages rendered on the server from the gateway's
 * public GraphQL API, with GOV.UK Frontend. No data of its own and no back door:
 * every figure comes from a call made with the signed-in person's token.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { close, listen } from '../platform/http';
import { log } from '../platform/logger';
import { loadAssets } from './assets';
import { authRoutes, bearerSession, requireSession, startSignIn } from './auth-routes';
import type { WebConfig } from './config';
import { makeApi, pageLocals, renderPage, type PageContext, type Route } from './context';
import { GatewayUnavailable, SignInNeeded } from './gateway-client';
import { pageRoutes } from './routes';
import { CsrfRefused, NotFound } from './errors';
import { readForm } from './form';
import { createViews } from './views';

export interface RunningWeb {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

function securityHeaders(res: ServerResponse, nonce: string): void {
  // The template's one line of inline script (marking js-enabled) carries the nonce; nothing else inline runs.
  res.setHeader('content-security-policy', `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
}

/** What a streamed page says when its content could not be made: its status has gone already. */
function streamProblem(err: unknown, url: URL): Record<string, unknown> {
  if (err instanceof SignInNeeded) return { problemTitle: 'Your session has ended', problemText: 'Sign in again to see this page.', problemLink: { href: `/sign-in?returnTo=${encodeURIComponent(url.pathname + url.search)}`, text: 'Sign in' } };
  if (err instanceof GatewayUnavailable) return { problemTitle: 'Sorry, the figures are not available at the moment', problemText: 'The partnership\'s data service did not answer. Try again in a few minutes.' };
  log().error({ err, path: url.pathname }, 'web page failed');
  return { problemTitle: 'Sorry, there is a problem with the service', problemText: 'Try again later.' };
}

export async function startWeb(config: WebConfig, options: { port?: number } = {}): Promise<RunningWeb> {
  const assets = loadAssets();
  const views = createViews();
  const auth = authRoutes(config, views);
  const routes: Route[] = pageRoutes();

  const notFound = (res: ServerResponse, locals: Record<string, unknown>) =>
    renderPage(views, res, 'message.njk', { ...locals, title: 'Page not found', paragraphs: ['If you typed the web address, check it is correct.', 'If you pasted the web address, check you copied the entire address.'], links: [{ href: '/', text: 'Go to the start page' }] }, 404);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', config.publicUrl);
    const nonce = randomBytes(16).toString('base64');
    securityHeaders(res, nonce);

    if (req.method === 'GET' && url.pathname.startsWith('/assets/')) {
      const found = assets.get(url.pathname.slice('/assets/'.length));
      if (!found) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found.\n');
      const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      res.writeHead(200, { 'content-type': found.type, 'cache-control': 'public, max-age=3600', vary: 'accept-encoding', ...(gz ? { 'content-encoding': 'gzip' } : {}) });
      return void res.end(gz ? found.gzip : found.body);
    }
    if (url.pathname === '/health/live' || url.pathname === '/health/ready') {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    }
    const authRoute = auth[url.pathname];
    if (authRoute && req.method === 'GET') return authRoute(req, res, url, nonce);

    const match = routes.map((r) => ({ r, m: r.method === req.method ? r.path.exec(url.pathname) : null })).find((x) => x.m);
    const session = (match?.r.bearer && bearerSession(req)) || requireSession(config, req);
    if (!session) {
      if (req.method === 'GET') return startSignIn(config, res, url.pathname + url.search);
      // A form posted after the session ended: back to the page it was on (the write is not replayed).
      return startSignIn(config, res, url.pathname.replace(/\/[^/]*$/, '') || '/');
    }
    const locals = pageLocals(session, url.pathname, nonce);
    if (!match) {
      if (routes.some((r) => r.path.test(url.pathname))) return void res.writeHead(405, { allow: 'GET, POST', 'content-type': 'text/plain' }).end('Method not allowed.\n');
      return notFound(res, locals);
    }
    const ctx: PageContext = {
      req,
      res,
      url,
      params: { ...(match.m!.groups ?? {}) },
      session,
      config,
      api: makeApi(config, session),
      render: (template, data, status) => renderPage(views, res, template, { ...locals, ...data }, status),
      stream: async (data, produce) => {
        const [top, bottom] = views.render('stream-shell.njk', { ...locals, ...data }).split('<!--app:flush-->');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.write(top);
        let body: string;
        try {
          const made = await produce();
          body = views.render(made.template, { ...locals, ...data, ...made.data });
        } catch (err) {
          body = views.render('stream-problem.njk', { ...locals, ...data, ...streamProblem(err, url) });
        }
        res.end(body + bottom);
      },
      redirect: (location) => void res.writeHead(303, { location, 'cache-control': 'no-store' }).end(),
      form: async () => {
        const form = await readForm(req);
        if (form.get('_csrf') !== session.csrf) throw new CsrfRefused();
        return form;
      },
    };
    try {
      await match.r.handle(ctx);
    } catch (err) {
      if (err instanceof SignInNeeded && session.bearer) return void res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer error="invalid_token"' }).end('The bearer token was refused: get a new one.\n');
      if (err instanceof SignInNeeded) return startSignIn(config, res, req.method === 'GET' ? url.pathname + url.search : url.pathname.replace(/\/[^/]*$/, '') || '/');
      if (err instanceof CsrfRefused) {
        return renderPage(views, res, 'message.njk', { ...locals, title: 'Your form could not be sent', paragraphs: ['The page had expired or was sent from somewhere else. Go back, reload the page and try again.'] }, 403);
      }
      if (err instanceof NotFound) return notFound(res, locals);
      if (err instanceof GatewayUnavailable) {
        return renderPage(views, res, 'message.njk', { ...locals, title: 'Sorry, the figures are not available at the moment', notice: { title: 'Important', text: 'The partnership\'s data service did not answer. Try again in a few minutes.' }, paragraphs: [] }, 503);
      }
      log().error({ err, path: url.pathname }, 'web page failed');
      renderPage(views, res, 'message.njk', { ...locals, title: 'Sorry, there is a problem with the service', paragraphs: ['Try again later.'] }, 500);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log().error({ err }, 'web request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Sorry, there is a problem with the service.\n');
    });
  });
  const port = await listen(server, options.port ?? config.port, config.host);
  return { url: `http://localhost:${port}`, port, server, stop: () => close(server) };
}

