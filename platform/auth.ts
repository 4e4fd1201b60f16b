import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http';
import { ALL_ROLES, type RoleName } from './roles';

/** Who is asking: taken from the verified token, attributable to a named user. */
export interface Caller {
  userId: string;
  roles: string[];
  /** LA, ICB or PARTNER:<name>. */
  org: string;
}

/** Token verification settings: OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL (or a key set in memory). */
export interface AuthConfig {
  issuer: string;
  audience: string;
  jwksUrl?: string;
  jwks?: JSONWebKeySet;
}

/** The development issuer's name, refused in production. */
export const DEV_ISSUER_NAME = 'urn:send-partnership-gateway:dev-issuer';

/** Only asymmetric signatures: `alg: none` and shared-secret HMAC tokens are refused. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'];

const ORG_PATTERN = /^(LA|ICB|PARTNER:[A-Za-z0-9 _.-]{1,64})$/;

function unauthenticated(message: string): HttpError {
  return new HttpError(401, message, 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' });
}

function describeFailure(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The token's "${err.claim}" claim is not accepted here.`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return `Tokens must be signed with ${ACCEPTED_ALGORITHMS.join(' or ')}.`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) return 'The token\'s signature does not verify.';
  return 'The token is not valid.';
}

/**
 * Verifies the bearer token on a request and returns the caller it names. Every
 * failure is an HTTP 401 whose message says what was wrong with the token, never
 * anything about the data behind it.
 */
export function createAuthenticator(config: AuthConfig): (req: IncomingMessage) => Promise<Caller> {
  let keys: JWTVerifyGetKey;
  if (config.jwks) keys = createLocalJWKSet(config.jwks);
  else if (config.jwksUrl) keys = createRemoteJWKSet(new URL(config.jwksUrl));
  else throw new Error('Token verification needs OIDC_JWKS_URL.');
  return async (req) => {
    const header = req.headers.authorization;
    if (!header) throw unauthenticated('Authentication required: send "Authorization: Bearer <token>".');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(m[1], keys, { issuer: config.issuer, audience: config.audience, algorithms: ACCEPTED_ALGORITHMS, requiredClaims: ['sub', 'exp'] }));
    } catch (err) {
      throw unauthenticated(describeFailure(err));
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is RoleName => typeof r === 'string' && (ALL_ROLES as readonly string[]).includes(r)) : [];
    const org = typeof payload.org === 'string' ? payload.org : '';
    if (!ORG_PATTERN.test(org)) throw unauthenticated('The token\'s "org" claim must be LA, ICB or PARTNER:<name>.');
    const userId = typeof payload.preferred_username === 'string' ? payload.preferred_username : String(payload.sub);
    return { userId, roles, org };
  };
}

/**
 * Reads token settings from the environment: OIDC_ISSUER, OIDC_AUDIENCE, and the
 * key set as OIDC_JWKS_URL or, for the development issuer, inline as OIDC_JWKS.
 */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const issuer = env.OIDC_ISSUER;
  const audience = env.OIDC_AUDIENCE;
  if (!issuer || !audience || !(env.OIDC_JWKS_URL || env.OIDC_JWKS)) {
    throw new Error('Token verification is not configured: set OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL.');
  }
  if (env.NODE_ENV === 'production' && issuer === DEV_ISSUER_NAME) {
    throw new Error('The development token issuer is not accepted in production: set OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL to your identity provider.');
  }
  return { issuer, audience, jwksUrl: env.OIDC_JWKS_URL, jwks: env.OIDC_JWKS ? (JSON.parse(env.OIDC_JWKS) as JSONWebKeySet) : undefined };
}
