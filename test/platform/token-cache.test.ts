import type { IncomingMessage } from 'node:http';
import { authConfigFromEnv, createAuthenticator, VerifiedTokenCache } from '../../platform/auth';
import { createTestIssuer, type TestIssuer } from '../support/auth';

/** A request carrying only a bearer token: all the authenticator reads. */
function request(token: string): IncomingMessage {
  return { headers: { authorization: `Bearer ${token}` } } as unknown as IncomingMessage;
}

describe('verified tokens are remembered until they expire, and no longer', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer();
  });
  afterEach(() => jest.useRealTimers());

  it('answers a token verified before from the cache (the same caller), and verifies a different token', async () => {
    const authenticate = createAuthenticator({ ...issuer.config, tokenCacheSize: 10 });
    const alice = await issuer.token('la_caseworker', { user: 'alice' });
    const bob = await issuer.token('la_caseworker', { user: 'bob' });
    const first = await authenticate(request(alice));
    expect(await authenticate(request(alice))).toBe(first);
    const other = await authenticate(request(bob));
    expect(other).not.toBe(first);
    expect(other.userId).toBe('bob');
    expect(first.userId).toBe('alice');
  });

  it('verifies every request when the cache is off', async () => {
    const authenticate = createAuthenticator({ ...issuer.config, tokenCacheSize: 0 });
    const token = await issuer.token('la_caseworker');
    const first = await authenticate(request(token));
    const second = await authenticate(request(token));
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });

  it('refuses an expired token even though it was verified and cached while valid', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const start = Date.now();
    jest.setSystemTime(start);
    const authenticate = createAuthenticator({ ...issuer.config, tokenCacheSize: 10 });
    const token = await issuer.token('la_caseworker', { expiresIn: '60s' });
    const caller = await authenticate(request(token));
    expect(await authenticate(request(token))).toBe(caller);
    jest.setSystemTime(start + 61_000);
    await expect(authenticate(request(token))).rejects.toMatchObject({ status: 401, message: 'The token has expired.' });
  });

  it('never lets a token whose signature does not verify in, whatever is cached', async () => {
    const authenticate = createAuthenticator({ ...issuer.config, tokenCacheSize: 10 });
    const token = await issuer.token('la_caseworker');
    await authenticate(request(token));
    const [h, p, sig] = token.split('.');
    const tampered = `${h}.${p}.${sig.slice(0, -4)}${sig.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    await expect(authenticate(request(tampered))).rejects.toMatchObject({ status: 401 });
  });

  it('holds at most its size, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache(2);
    const caller = (userId: string) => ({ userId, roles: [], org: 'LA' });
    const later = Date.now() + 60_000;
    cache.set('a', caller('a'), later);
    cache.set('b', caller('b'), later);
    expect(cache.get('a')?.userId).toBe('a'); // a is now the most recent
    cache.set('c', caller('c'), later);
    expect(cache.count).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.userId).toBe('a');
    expect(cache.get('c')?.userId).toBe('c');
    // An entry past its expiry is gone on reading.
    cache.set('d', caller('d'), Date.now() - 1);
    expect(cache.get('d')).toBeUndefined();
  });

  it('reads its size from AUTH_TOKEN_CACHE_SIZE, refusing a bad value by name', () => {
    const env = { OIDC_ISSUER: 'urn:x', OIDC_AUDIENCE: 'y', OIDC_JWKS: '{"keys":[]}' };
    expect(authConfigFromEnv(env).tokenCacheSize).toBe(10_000);
    expect(authConfigFromEnv({ ...env, AUTH_TOKEN_CACHE_SIZE: '0' }).tokenCacheSize).toBe(0);
    expect(() => authConfigFromEnv({ ...env, AUTH_TOKEN_CACHE_SIZE: 'lots' })).toThrow(/AUTH_TOKEN_CACHE_SIZE/);
  });
});
