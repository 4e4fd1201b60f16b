import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError, wholeNumberFromEnv } from './http';
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
  /** Verified tokens remembered until they expire (AUTH_TOKEN_CACHE_SIZE); 0 verifies every request. */
  tokenCacheSize?: number;
}

/** How many verified tokens each process remembers by default. */
export const DEFAULT_TOKEN_CACHE_SIZE = 10_000;

/**
 * Callers of tokens already verified, keyed by the token's SHA-256, least
 * recently used dropped first, each kept only until its token's "exp": a
 * signature check costs about 130 µs and a dashboard passes the same token
 * through five processes, so each process checks a token once, not per request.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { caller: Caller; expiresAtMs: number }>();

  constructor(readonly size: number) {}

  static keyOf(token: string): string {
    // One call, no Hash object: this runs on every request.
    return hash('sha256', token, 'base64url');
  }

  /** The caller of a token verified before and not yet expired at `nowMs`. */
  get(key: string, nowMs = Date.now()): Caller | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    // Never past "exp": an expired token goes back to verification, which refuses it.
    if (nowMs >= entry.expiresAtMs) return undefined;
    this.entries.set(key, entry);
    return entry.caller;
  }

  set(key: string, caller: Caller, expiresAtMs: number): void {
    if (this.size <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { caller, expiresAtMs });
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
  }

  get count(): number {
    return this.entries.size;
  }
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
  const cache = new VerifiedTokenCache(config.tokenCacheSize ?? DEFAULT_TOKEN_CACHE_SIZE);
  return async (req) => {
    const header = req.headers.authorization;
    if (!header) throw unauthenticated('Authentication required: send "Authorization: Bearer <token>".');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const key = cache.size > 0 ? VerifiedTokenCache.keyOf(m[1]) : '';
    const known = cache.size > 0 ? cache.get(key) : undefined;
    if (known) return known;
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
    const caller = { userId, roles, org };
    // "exp" is required and checked above, so it is a number of seconds here.
    cache.set(key, caller, Number(payload.exp) * 1000);
    return caller;
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
  return {
    issuer,
    audience,
    jwksUrl: env.OIDC_JWKS_URL,
    jwks: env.OIDC_JWKS ? (JSON.parse(env.OIDC_JWKS) as JSONWebKeySet) : undefined,
    tokenCacheSize: wholeNumberFromEnv('AUTH_TOKEN_CACHE_SIZE', DEFAULT_TOKEN_CACHE_SIZE, env, 0),
  };
}
