/**
 * Signing in and out. /sign-in sends the browser to the issuer with a PKCE
 * challenge (the verifier and state wait in a sealed cookie); /auth/callback
 * checks the state, exchanges the code and keeps the token in the sealed
 * session cookie; /sign-out clears it and, when the issuer has one, ends the
 * issuer's session too. A page asked for without a session, or with an expired
 * token, comes back after sign-in.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Environment } from 'nunjucks';
import type { WebConfig } from './config';
import { pageLocals, renderPage } from './context';
import { authorizeUrl, discover, exchangeCode, randomToken } from './oidc';
import { appendCookie, claimsOf, cookie, readCookies, seal, SESSION_COOKIE, SIGN_IN_COOKIE, unseal, type PendingSignIn, type Session } from './session';

type AuthHandler = (req: IncomingMessage, res: ServerResponse, url: URL, nonce: string) => Promise<void>;

const secure = (config: WebConfig) => config.publicUrl.startsWith('https:');

/** Only a path on this site: never an open redirect. */
export function safeReturnTo(value: string | null | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

/** The session, if there is one and its token has not expired. */
export function requireSession(config: WebConfig, req: IncomingMessage): Session | null {
  const sealed = readCookies(req)[SESSION_COOKIE];
  if (!sealed) return null;
  const session = unseal<Session>(config.sessionKey, sealed);
  if (!session || session.exp * 1000 <= Date.now()) return null;
  return session;
}

/**
 * A script's own bearer token, for the routes that take one (Route.bearer): a
 * session of that token alone, with no roles read from it (the gateway verifies
 * the token and applies its roles; the app trusts nothing in it).
 */
export function bearerSession(req: IncomingMessage): Session | null {
  const m = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/.exec(String(req.headers.authorization ?? ''));
  return m ? { token: m[1], exp: Number.MAX_SAFE_INTEGER, user: 'bearer token', roles: [], org: '', csrf: '', bearer: true } : null;
}

/** Off to the issuer, coming back to `returnTo`. */
export async function startSignIn(config: WebConfig, res: ServerResponse, returnTo: string): Promise<void> {
  const endpoints = await discover(config);
  const pending: PendingSignIn = { state: randomToken(), verifier: randomToken(48), nonce: randomToken(), returnTo: safeReturnTo(returnTo), exp: Math.floor(Date.now() / 1000) + 600 };
  appendCookie(res, cookie(SIGN_IN_COOKIE, seal(config.sessionKey, pending), { secure: secure(config), maxAgeSeconds: 600, path: '/auth' }));
  res.writeHead(303, { location: authorizeUrl(config, endpoints, pending), 'cache-control': 'no-store' });
  res.end();
}

export function authRoutes(config: WebConfig, views: Environment): Record<string, AuthHandler> {
  const problem = (res: ServerResponse, nonce: string, text: string) =>
    renderPage(views, res, 'message.njk', { ...pageLocals(null, '/', nonce), title: 'Sign-in did not work', paragraphs: [text], links: [{ href: '/sign-in', text: 'Try signing in again' }] }, 400);

  return {
    '/sign-in': async (_req, res, url) => startSignIn(config, res, url.searchParams.get('returnTo') ?? '/'),

    '/auth/callback': async (req, res, url, nonce) => {
      const pending = unseal<PendingSignIn>(config.sessionKey, readCookies(req)[SIGN_IN_COOKIE] ?? '');
      appendCookie(res, cookie(SIGN_IN_COOKIE, '', { secure: secure(config), maxAgeSeconds: 0, path: '/auth' }));
      if (url.searchParams.get('error')) return problem(res, nonce, `The sign-in service said: ${url.searchParams.get('error_description') ?? url.searchParams.get('error')}.`);
      if (!pending || pending.exp * 1000 < Date.now() || pending.state !== url.searchParams.get('state')) return problem(res, nonce, 'The sign-in had expired or was started elsewhere.');
      const code = url.searchParams.get('code');
      if (!code) return problem(res, nonce, 'The sign-in service sent no code.');
      let token: string;
      try {
        token = await exchangeCode(config, await discover(config), code, pending.verifier);
      } catch (err) {
        return problem(res, nonce, (err as Error).message);
      }
      const claims = claimsOf(token);
      const endpoints = await discover(config);
      const session: Session = { token, ...claims, csrf: randomToken(), endSession: endpoints.end_session_endpoint };
      appendCookie(res, cookie(SESSION_COOKIE, seal(config.sessionKey, session), { secure: secure(config) }));
      res.writeHead(303, { location: pending.returnTo, 'cache-control': 'no-store' });
      res.end();
    },

    '/sign-out': async (req, res) => {
      const sealed = readCookies(req)[SESSION_COOKIE];
      const session = sealed ? unseal<Session>(config.sessionKey, sealed) : null;
      appendCookie(res, cookie(SESSION_COOKIE, '', { secure: secure(config), maxAgeSeconds: 0 }));
      let location = '/signed-out';
      if (session?.endSession) {
        const end = new URL(session.endSession);
        end.searchParams.set('post_logout_redirect_uri', `${config.publicUrl}/signed-out`);
        end.searchParams.set('client_id', config.oidc.clientId);
        location = end.toString();
      }
      res.writeHead(303, { location, 'cache-control': 'no-store' });
      res.end();
    },

    '/signed-out': async (_req, res, _url, nonce) =>
      renderPage(views, res, 'message.njk', { ...pageLocals(null, '/signed-out', nonce), title: 'You have signed out', paragraphs: ['Your session on this device has ended.'], links: [{ href: '/sign-in', text: 'Sign in again' }] }),
  };
}
