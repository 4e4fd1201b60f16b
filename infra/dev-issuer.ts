import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JSONWebKeySet } from 'jose';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_ISSUER_NAME, type AuthConfig } from '../platform/auth';

/** The development issuer: what the stack trusts when no OIDC_ISSUER is configured outside production. */
export const DEV_ISSUER = DEV_ISSUER_NAME;
export const DEV_AUDIENCE = 'send-partnership-gateway';

interface DevKeys {
  privateJwk: JWK;
  jwks: JSONWebKeySet;
}

function keyFiles(dataDir: string) {
  const dir = join(dataDir, 'dev-issuer');
  return { dir, privateKey: join(dir, 'private.jwk.json'), jwks: join(dir, 'jwks.json') };
}

/** Generates the issuer's ES256 key pair into the data directory on first use. */
export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys> {
  const files = keyFiles(dataDir);
  if (existsSync(files.privateKey) && existsSync(files.jwks)) {
    return { privateJwk: JSON.parse(readFileSync(files.privateKey, 'utf8')) as JWK, jwks: JSON.parse(readFileSync(files.jwks, 'utf8')) as JSONWebKeySet };
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.privateKey, JSON.stringify(privateJwk), { mode: 0o600 });
  writeFileSync(files.jwks, JSON.stringify(jwks, null, 2));
  return { privateJwk, jwks };
}

export function devAuthConfig(keys: DevKeys): AuthConfig {
  return { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: keys.jwks };
}

export interface TokenRequest {
  user: string;
  roles: string[];
  org: string;
  /** Lifetime, e.g. '8h'. */
  expiresIn?: string;
}

/** Signs a token as the development issuer. */
export async function signDevToken(keys: DevKeys, request: TokenRequest): Promise<string> {
  const key = await importJWK(keys.privateJwk, 'ES256');
  return new SignJWT({ roles: request.roles, org: request.org, preferred_username: request.user })
    .setProtectedHeader({ alg: 'ES256', kid: keys.privateJwk.kid })
    .setSubject(request.user)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(key);
}
