import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_ISSUER_NAME } from '../../platform/auth';
import { loadOrCreateSecrets } from '../../platform/config';

/** The development issuer's audience (infra/dev-issuer.ts, which benchmarks may not import). */
const DEV_AUDIENCE = 'send-partnership-gateway';

/**
 * Signs tokens as the development issuer of a stack's data directory, in this
 * process: what `npm run token` makes, for hundreds of users without a process each.
 */
export async function devTokenSigner(dataDir: string): Promise<BenchSigner> {
  const jwk = JSON.parse(readFileSync(join(dataDir, 'dev-issuer', 'private.jwk.json'), 'utf8')) as JWK;
  const key = await importJWK(jwk, 'ES256');
  return (user, role, org) =>
    new SignJWT({ roles: [role], org, preferred_username: user })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
      .setSubject(user)
      .setIssuer(DEV_ISSUER_NAME)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(key);
}

/** Signs a benchmark user's token: what the stack's issuer would give that user. */
export type BenchSigner = (user: string, role: string, org: string) => Promise<string>;

/**
 * A stack run as deployed (NODE_ENV=production), with an issuer of the benchmark's
 * own: the development issuer refuses production, and graphql and Apollo Server
 * do less per request there (no development-mode checks), as Hive Gateway is run.
 * Returns the stack's environment (the issuer's keys inline, the link-key secret
 * the data directory was seeded with, a session secret for the web app, which the
 * benchmark never signs in to) and a signer for that issuer.
 */
export async function productionIssuer(dataDir: string): Promise<{ env: Record<string, string>; sign: BenchSigner }> {
  const issuer = 'urn:send-bench';
  const audience = 'send-bench';
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] };
  const env = {
    NODE_ENV: 'production',
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: audience,
    OIDC_JWKS: JSON.stringify(jwks),
    // The seeded link keys were made with the data directory's secret (the start command's own, outside production).
    LINK_KEY_SECRET: loadOrCreateSecrets(dataDir).linkKeySecret,
    WEB_SESSION_SECRET: randomBytes(32).toString('base64url'),
    // Fetched only when someone signs in to the web app, which the benchmark does not.
    OIDC_DISCOVERY_URL: 'http://127.0.0.1:9/.well-known/openid-configuration',
  };
  const sign: BenchSigner = (user, role, org) =>
    new SignJWT({ roles: [role], org, preferred_username: user })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
      .setSubject(user)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(privateKey);
  return { env, sign };
}
