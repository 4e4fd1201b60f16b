import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import type { AuthConfig } from '../../platform/auth';
import { USUAL_ORG, type RoleName } from '../../platform/roles';

export const TEST_ISSUER = 'urn:test-issuer';
export const TEST_AUDIENCE = 'send-partnership-gateway-tests';

export interface TestIssuer {
  config: AuthConfig;
  privateKey: KeyLike;
  kid: string;
  /** A signed token for a role (org defaults to the role's usual organisation). */
  token(role: RoleName | RoleName[], options?: { org?: string; user?: string; expiresIn?: string | number }): Promise<string>;
  /** Authorization header for a role. */
  as(role: RoleName | RoleName[], options?: { org?: string; user?: string }): Promise<Record<string, string>>;
}

/** A throwaway ES256 issuer for one test file. */
export async function createTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'test-key';
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  const token: TestIssuer['token'] = async (role, options = {}) => {
    const roles = Array.isArray(role) ? role : [role];
    const user = options.user ?? `test-${roles.join('+')}`;
    return new SignJWT({ roles, org: options.org ?? USUAL_ORG[roles[0]], preferred_username: user })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(user)
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(privateKey);
  };
  return {
    config: { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, jwks },
    privateKey,
    kid,
    token,
    as: async (role, options) => ({ authorization: `Bearer ${await token(role, options)}` }),
  };
}
