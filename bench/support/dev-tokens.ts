import { importJWK, SignJWT, type JWK } from 'jose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_ISSUER_NAME } from '../../platform/auth';

/** The development issuer's audience (infra/dev-issuer.ts, which benchmarks may not import). */
const DEV_AUDIENCE = 'send-partnership-gateway';

/**
 * Signs tokens as the development issuer of a stack's data directory, in this
 * process: what `npm run token` makes, for hundreds of users without a process each.
 */
export async function devTokenSigner(dataDir: string): Promise<(user: string, role: string, org: string) => Promise<string>> {
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
