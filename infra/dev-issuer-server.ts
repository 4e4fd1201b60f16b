/**
 * A development token issuer as a process of its own, for docker-compose's `dev`
 * profile: the gateway and subgraphs run in production mode and fetch its keys
 * like any identity provider's (OIDC_JWKS_URL). It signs a token for any role
 * on request, so it refuses to run with NODE_ENV=production.
 *
 *   GET /.well-known/openid-configuration   issuer and jwks_uri
 *   GET /.well-known/jwks.json               the public key set
 *   GET /token?role=<role>[&org=][&user=][&expires=8h]   a signed token, as text
 *   GET|POST /authorize, POST /token, GET /end-session       OIDC code flow with PKCE
 *                                            (the web app's sign-in; infra/dev-issuer-signin.ts)
 */
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { DEV_ISSUER_NAME } from '../platform/auth';
import { close, listen } from '../platform/http';
import { announceReady } from '../platform/lifecycle';
import { ALL_ROLES, USUAL_ORG, type RoleName } from '../platform/roles';
import { CodeStore, readForm, readSignIn, redirect, redirectAllowed, returnAllowed, signInPage } from './dev-issuer-signin';

export interface DevIssuerOptions {
  /** The `iss` of its tokens: the URL the services are given as OIDC_ISSUER. */
  issuer: string;
  audience: string;
  port: number;
  host?: string;
  /** Sign with these keys instead of a fresh pair (npm start: the data directory's; tests: the test issuer's). */
  signing?: { privateKey: KeyLike; kid: string; jwks: JSONWebKeySet };
  /** Redirect URIs the sign-in may send codes to; none given, only loopback ones. */
  redirectUris?: readonly string[];
  /**
   * Where browsers reach this issuer (its sign-in and sign-out pages), when that is
   * not its `iss`: the development URN of npm start, or a container name the
   * browser cannot resolve (docker compose's dev profile). Servers still fetch keys
   * and exchange codes at `iss` when it is a URL.
   */
  publicUrl?: string;
}

export interface RunningDevIssuer {
  url: string;
  port: number;
  jwks: JSONWebKeySet;
  server: Server;
  stop(): Promise<void>;
}

function send(res: import('node:http').ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');

/** The sign-in page's GOV.UK stylesheet and fonts, from the govuk-frontend package. */
function sendAsset(res: ServerResponse, path: string): void {
  const name = path.slice('/assets/'.length);
  if (name !== 'govuk-frontend.min.css' && !/^fonts\/[a-z0-9-]+\.woff2?$/.test(name)) return send(res, 404, 'text/plain', 'Not found.\n');
  try {
    const body = readFileSync(join(GOVUK_DIST, name === 'govuk-frontend.min.css' ? name : join('assets', name)));
    res.writeHead(200, { 'content-type': name.endsWith('.css') ? 'text/css' : 'font/woff2', 'cache-control': 'public, max-age=86400' });
    res.end(body);
  } catch {
    send(res, 404, 'text/plain', 'Not found.\n');
  }
}

/** Starts the issuer with a fresh key pair held in memory: a restart invalidates the tokens it gave. */
export async function startDevIssuer(options: DevIssuerOptions): Promise<RunningDevIssuer> {
  let privateKey: KeyLike;
  let kid: string;
  let jwks: JSONWebKeySet;
  if (options.signing) ({ privateKey, kid, jwks } = options.signing);
  else {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    kid = randomUUID();
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  }
  let base = (options.publicUrl ?? options.issuer).replace(/\/$/, '');
  /** Where servers (the web app's code exchange, the gateway's key fetch) reach this issuer. */
  const serviceBase = () => (/^https?:/.test(options.issuer) ? options.issuer.replace(/\/$/, '') : base);
  const codes = new CodeStore();
  const sign = (key: KeyLike, role: RoleName, org: string, user: string, expiresIn: string) =>
    new SignJWT({ roles: [role], org, preferred_username: user })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(user)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://issuer');
    if (req.method === 'POST' && (url.pathname === '/authorize' || url.pathname === '/token')) {
      codeFlow(req, res, url.pathname).catch((err: Error) => send(res, 400, 'text/plain', `${err.message}\n`));
      return;
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'Only GET.\n');
    if (url.pathname.startsWith('/assets/')) return sendAsset(res, url.pathname);
    switch (url.pathname) {
      case '/health/live':
      case '/health/ready':
        return send(res, 200, 'application/json', JSON.stringify({ status: 'ready' }));
      case '/.well-known/jwks.json':
        return send(res, 200, 'application/json', JSON.stringify(jwks));
      case '/.well-known/openid-configuration':
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({
            issuer: options.issuer,
            jwks_uri: `${serviceBase()}/.well-known/jwks.json`,
            authorization_endpoint: `${base}/authorize`,
            token_endpoint: `${serviceBase()}/token`,
            end_session_endpoint: `${base}/end-session`,
            response_types_supported: ['code'],
            grant_types_supported: ['authorization_code'],
            code_challenge_methods_supported: ['S256'],
            id_token_signing_alg_values_supported: ['ES256'],
          }),
        );
      case '/authorize': {
        const problem = authorizeProblem(url.searchParams);
        if (problem) return send(res, 400, 'text/plain', `${problem}\n`);
        return send(res, 200, 'text/html; charset=utf-8', signInPage(url.searchParams));
      }
      case '/end-session': {
        const back = url.searchParams.get('post_logout_redirect_uri');
        if (back && returnAllowed(back, options.redirectUris ?? [])) return redirect(res, back);
        return send(res, 200, 'text/plain', 'Signed out.\n');
      }
      case '/token': {
        const role = url.searchParams.get('role') ?? '';
        if (!(ALL_ROLES as readonly string[]).includes(role)) return send(res, 400, 'text/plain', `role must be one of ${ALL_ROLES.join(', ')}.\n`);
        const org = url.searchParams.get('org') ?? USUAL_ORG[role as RoleName];
        const user = url.searchParams.get('user') ?? `dev-${role}`;
        const expires = url.searchParams.get('expires') ?? '8h';
        if (!/^\d{1,4}[smhd]$/.test(expires)) return send(res, 400, 'text/plain', 'expires must be a number and a unit (s, m, h, d), e.g. 8h.\n');
        sign(privateKey, role as RoleName, org, user, expires).then(
          (token) => send(res, 200, 'text/plain', `${token}\n`),
          (err: Error) => send(res, 500, 'text/plain', `${err.message}\n`),
        );
        return;
      }
      default:
        return send(res, 404, 'text/plain', 'Not found. GET /token?role=<role>, /.well-known/jwks.json\n');
    }
  });
  const authorizeProblem = (p: URLSearchParams): string | null => {
    if (p.get('response_type') !== 'code') return 'response_type must be code.';
    if (!p.get('client_id')) return 'client_id is required.';
    if (!redirectAllowed(p.get('redirect_uri') ?? '', options.redirectUris ?? [])) return 'redirect_uri is not one this issuer sends codes to.';
    if (p.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(p.get('code_challenge') ?? '')) return 'PKCE is required: code_challenge (S256) and code_challenge_method=S256.';
    return null;
  };

  async function codeFlow(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const form = await readForm(req);
    if (path === '/authorize') {
      const problem = authorizeProblem(form);
      if (problem) return send(res, 400, 'text/plain', `${problem}\n`);
      const signIn = readSignIn(form);
      if (typeof signIn === 'string') return send(res, 400, 'text/html; charset=utf-8', signInPage(form, signIn));
      const code = codes.issue({ request: signIn, clientId: form.get('client_id')!, redirectUri: form.get('redirect_uri')!, challenge: form.get('code_challenge')!, nonce: form.get('nonce') ?? undefined });
      const back = new URL(form.get('redirect_uri')!);
      back.searchParams.set('code', code);
      if (form.get('state')) back.searchParams.set('state', form.get('state')!);
      return redirect(res, back.toString());
    }
    const fail = (error: string, description: string) => send(res, 400, 'application/json', JSON.stringify({ error, error_description: description }));
    if (form.get('grant_type') !== 'authorization_code') return fail('unsupported_grant_type', 'grant_type must be authorization_code.');
    const redeemed = codes.redeem(form.get('code') ?? '', form.get('client_id') ?? '', form.get('redirect_uri') ?? '', form.get('code_verifier') ?? '');
    if (typeof redeemed === 'string') return fail('invalid_grant', redeemed);
    const { role, org, user, expiresIn } = redeemed.request;
    const token = await sign(privateKey, role, org, user, expiresIn);
    const exp = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp;
    send(res, 200, 'application/json', JSON.stringify({ access_token: token, id_token: token, token_type: 'Bearer', expires_in: exp - Math.floor(Date.now() / 1000) }));
  }

  const port = await listen(server, options.port, options.host);
  if (!options.publicUrl && !/^https?:/.test(options.issuer)) base = `http://localhost:${port}`;
  return {
    url: `http://localhost:${port}`,
    port,
    jwks,
    server,
    stop: () => close(server),
  };
}

/** The `dev-issuer` role: HOST, PORT, the OIDC_ISSUER / OIDC_AUDIENCE the services are given, and DEV_ISSUER_PUBLIC_URL where browsers reach it. */
export async function runDevIssuerProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const refuse = (message: string): never => {
    console.error(message);
    process.exit(2);
  };
  if (env.NODE_ENV === 'production') refuse('The development token issuer does not run with NODE_ENV=production.');
  if (!env.OIDC_ISSUER || !env.OIDC_AUDIENCE) refuse('Set OIDC_ISSUER (the URL the services reach this issuer at) and OIDC_AUDIENCE, as the services are given them.');
  // The built-in name is refused by production services; this issuer is for them.
  if (env.OIDC_ISSUER === DEV_ISSUER_NAME) refuse(`OIDC_ISSUER must be this issuer's URL, not ${DEV_ISSUER_NAME}.`);
  try {
    const running = await startDevIssuer({ issuer: env.OIDC_ISSUER!, audience: env.OIDC_AUDIENCE!, port: Number(env.PORT ?? 0), host: env.HOST || '127.0.0.1', publicUrl: env.DEV_ISSUER_PUBLIC_URL || undefined });
    announceReady('development token issuer', 'dev-issuer', running);
  } catch (err) {
    refuse(`development token issuer failed to start: ${(err as Error).message}`);
  }
}
