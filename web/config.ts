import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { port } from '../platform/config';

/** What the web app reads from the environment (README, "Configuration"). */
export interface WebConfig {
  production: boolean;
  host: string;
  port: number;
  /** Where people reach the app: the redirect URI is built on it. */
  publicUrl: string;
  /** The gateway's GraphQL endpoint, which the app calls with the signed-in person's token. */
  gatewayUrl: string;
  oidc: {
    /** OpenID Connect discovery document of the issuer. */
    discoveryUrl: string;
    clientId: string;
    clientSecret?: string;
  };
  /** 32 bytes that seal the session cookie (AES-256-GCM). */
  sessionKey: Buffer;
}

/**
 * The session key: WEB_SESSION_SECRET (at least 32 characters) or, outside
 * production, one generated into the data directory, so a restart keeps people
 * signed in. Given text is hashed to 32 bytes.
 */
export function sessionKeyFrom(env: NodeJS.ProcessEnv, production: boolean): Buffer {
  const secret = env.WEB_SESSION_SECRET;
  if (secret) {
    if (secret.length < 32) throw new Error('WEB_SESSION_SECRET must be at least 32 characters.');
    return require('node:crypto').createHash('sha256').update(secret).digest() as Buffer;
  }
  if (production) throw new Error('WEB_SESSION_SECRET must be set in production: at least 32 random characters, the same for every web process.');
  const dir = resolve(env.DATA_DIR || '.data');
  const file = join(dir, 'web-session.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  const key = randomBytes(32);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

export function webConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const production = env.NODE_ENV === 'production';
  const webPort = port(env, 'WEB_PORT', port(env, 'PORT', 4004));
  const issuer = env.OIDC_ISSUER;
  const discoveryUrl = env.OIDC_DISCOVERY_URL || (issuer && /^https?:/.test(issuer) ? `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration` : '');
  if (!discoveryUrl) throw new Error('The web app needs the issuer\'s discovery document: set OIDC_ISSUER to its URL, or OIDC_DISCOVERY_URL.');
  return {
    production,
    host: env.HOST || '127.0.0.1',
    port: webPort,
    publicUrl: (env.WEB_PUBLIC_URL || `http://localhost:${webPort}`).replace(/\/$/, ''),
    gatewayUrl: env.GATEWAY_URL || 'http://localhost:4000/graphql',
    oidc: { discoveryUrl, clientId: env.OIDC_CLIENT_ID || 'send-web', clientSecret: env.OIDC_CLIENT_SECRET || undefined },
    sessionKey: sessionKeyFrom(env, production),
  };
}
