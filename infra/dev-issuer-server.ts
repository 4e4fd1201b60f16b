/**
 * A development token issuer as a process of its own, for docker-compose's `dev`
 * profile: the gateway and subgraphs run in production mode and fetch its keys
 * like any identity provider's (OIDC_JWKS_URL). It signs a token for any role
 * on request, so it refuses to run with NODE_ENV=production.
 *
 *   GET /.well-known/openid-configuration   issuer and jwks_uri
 *   GET /.well-known/jwks.json               the public key set
 *   GET /token?role=<role>[&org=][&user=][&expires=8h]   a signed token, as text
 */
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { DEV_ISSUER_NAME } from '../platform/auth';
import { close, listen } from '../platform/http';
import { announceReady } from '../platform/lifecycle';
import { ALL_ROLES, USUAL_ORG, type RoleName } from '../platform/roles';

export interface DevIssuerOptions {
  /** The `iss` of its tokens: the URL the services are given as OIDC_ISSUER. */
  issuer: string;
  audience: string;
  port: number;
  host?: string;
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

/** Starts the issuer with a fresh key pair held in memory: a restart invalidates the tokens it gave. */
export async function startDevIssuer(options: DevIssuerOptions): Promise<RunningDevIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  const issuer = options.issuer.replace(/\/$/, '');
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
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'Only GET.\n');
    switch (url.pathname) {
      case '/health/live':
      case '/health/ready':
        return send(res, 200, 'application/json', JSON.stringify({ status: 'ready' }));
      case '/.well-known/jwks.json':
        return send(res, 200, 'application/json', JSON.stringify(jwks));
      case '/.well-known/openid-configuration':
        return send(res, 200, 'application/json', JSON.stringify({ issuer: options.issuer, jwks_uri: `${issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['ES256'] }));
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
  const port = await listen(server, options.port, options.host);
  return {
    url: `http://localhost:${port}`,
    port,
    jwks,
    server,
    stop: () => close(server),
  };
}

/** The `dev-issuer` role: HOST, PORT, and the OIDC_ISSUER / OIDC_AUDIENCE the services are given. */
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
    const running = await startDevIssuer({ issuer: env.OIDC_ISSUER!, audience: env.OIDC_AUDIENCE!, port: Number(env.PORT ?? 0), host: env.HOST || '127.0.0.1' });
    announceReady('development token issuer', 'dev-issuer', running);
  } catch (err) {
    refuse(`development token issuer failed to start: ${(err as Error).message}`);
  }
}
